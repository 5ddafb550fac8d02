"""The API's doors: issuing and revoking tokens, and the writes that compose other apps'
doors (a park-month's figures with the month's version checked first)."""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from indicators.models import FigureNote, Indicator, MonthlyValue
from indicators.selectors import entry_sheet, plain
from indicators.services import EntryConflict, EntryInvalid, period_figures_save
from indicators.workflow import EntryRefused, period_for_update, refuse_unless_enters
from projects.models import ProjectProgress
from projects.services import ProgressRow, period_progress_save

from .models import ApiToken

TOKEN_DAYS = 90
PREFIX_LENGTH = 8


def token_digest(key: str) -> str:
    """Return the digest the portal keeps of a token: SHA-256, hex. The key holds 256
    random bits, so a fast hash is enough (nothing to guess, unlike a password)."""
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_issue(*, user, issued_by, name: str = "", days: int = TOKEN_DAYS):
    """Issue a token for `user` valid for `days`; return (the token record, its key).

    The key is returned only here: the portal keeps its digest, never the key."""
    if days < 1:
        raise ValueError("有效期至少1天。")
    key = "pp_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=key[:PREFIX_LENGTH],
        digest=token_digest(key),
        created_by=issued_by if issued_by is not None and issued_by.is_authenticated else None,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, key


def token_revoke(*, tokens) -> int:
    """Revoke the tokens not revoked yet (a queryset); return how many."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


class FiguresStale(Exception):
    """The month changed since the version the caller read: nothing was written."""

    def __init__(self, message: str, version: int):
        super().__init__(message)
        self.message = message
        self.version = version


class FiguresRejected(Exception):
    """Figures that fail the entry checks: nothing was written. `problems` say where."""

    def __init__(self, problems: list[dict]):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


@dataclass
class FigureValue:
    """One figure of a set, as the API receives it (DHIS2's dataValue): an enterprise, an
    indicator, the figure as text ("" clears it) and an optional explanation (说明)."""

    enterprise_id: int
    indicator: Indicator
    value: str
    comment: str | None = None


@dataclass
class FiguresSaved:
    changed: int
    version: int
    status: str
    warnings: list[dict] = field(default_factory=list)


@transaction.atomic
def period_figures_put(*, park, year: int, month: int, version: int, values, user):
    """Write figures of the park's month through the entry page's save, if the month is
    still at `version` (PeriodSubmission.version, 0 for a month without a record).

    Raises EntryRefused (not allowed, or the month is submitted or approved),
    FiguresStale (someone saved the month since `version`) or FiguresRejected (a figure
    fails a check); in each case nothing is written. The check of the version, the
    checks of the figures and the write run under one lock of the month.
    """
    refuse_unless_enters(user, park)
    submission = period_for_update(park, year, month)
    if submission.version != version:
        raise FiguresStale(
            f"{park.name}{year}年{month}月的数据在您读取之后已被修改（当前版本{submission.version}，"
            f"您提交的版本{version}），本次未保存任何数据；请重新读取后再提交。",
            submission.version,
        )
    # The version matches, so what is stored now is what the caller read: it is what
    # "the page showed" for the entry's save, which then writes only real changes.
    keys = [(v.enterprise_id, v.indicator.pk) for v in values]
    enterprise_ids = {e for e, _ in keys}
    stored = {
        (e, i): value
        for e, i, value in MonthlyValue.objects.filter(
            enterprise_id__in=enterprise_ids, year=year, month=month
        ).values_list("enterprise_id", "indicator_id", "value")
    }
    notes = {
        (e, i): text
        for e, i, text in FigureNote.objects.filter(
            enterprise_id__in=enterprise_ids, year=year, month=month
        ).values_list("enterprise_id", "indicator_id", "text")
    }
    try:
        changed = period_figures_save(
            park=park,
            year=year,
            month=month,
            user=user,
            typed={(v.enterprise_id, v.indicator.pk): v.value for v in values},
            shown={key: plain(stored.get(key)) for key in keys},
            notes={
                (v.enterprise_id, v.indicator.pk): v.comment
                for v in values
                if v.comment is not None
            },
            notes_shown={key: notes.get(key, "") for key in keys},
        )
    except EntryInvalid as invalid:
        raise FiguresRejected(_problems(invalid.sheet, keys, errors=True)) from None
    except EntryConflict:  # the month is locked and at the caller's version: a bug
        raise FiguresStale("数据已被他人修改，本次未保存任何数据。", submission.version) from None
    submission.refresh_from_db(fields=["version", "status"])
    sheet = entry_sheet(park, year, month)
    return FiguresSaved(
        changed=changed,
        version=submission.version,
        status=submission.status,
        warnings=_problems(sheet, keys, errors=False),
    )


def project_progress_put(*, project, year: int, month: int, completed, government, user):
    """Write a project's 本年累计 of a month as the park's monthly grid writes it
    (projects.services.period_progress_save): only while the park's month is editable,
    checked as the grid checks it, logged, all or nothing. Return (the stored report,
    whether it is new).

    What is stored when the call reads it is what "the page showed": a report saved by
    someone else between that read and the month's lock is refused (ProgressConflict).
    Raises EntryRefused, ProgressMalformed (the project is not under way that month),
    ProgressInvalid or ProgressConflict; in each case nothing is written.
    """
    stored = ProjectProgress.objects.filter(project=project, year=year, month=month).first()
    row = ProgressRow(
        project_id=project.pk,
        completed=plain(completed),
        government=plain(government),
        shown_completed=plain(stored.completed_investment if stored else None),
        shown_government=plain(stored.government_investment if stored else None),
    )
    period_progress_save(park=project.park, year=year, month=month, rows=[row], user=user)
    progress = ProjectProgress.objects.get(project=project, year=year, month=month)
    return progress, stored is None


def _problems(sheet, keys, *, errors: bool) -> list[dict]:
    """Return the errors (or warnings) of the sheet's cells among `keys`, each saying
    where: the enterprise's credit code and name, the indicator's code and name."""
    wanted = set(keys)
    names = {row.enterprise.pk: row.enterprise for row in sheet.rows}
    found = []
    for cell in sheet.cells:
        if (cell.enterprise_id, cell.indicator.pk) not in wanted:
            continue
        for message in cell.errors if errors else cell.warnings:
            enterprise = names[cell.enterprise_id]
            found.append(
                {
                    "enterprise": enterprise.credit_code,
                    "indicator": cell.indicator.code,
                    "message": f"{enterprise.name}·{cell.indicator.name}：{message}",
                }
            )
    return found


__all__ = [
    "EntryRefused",
    "FigureValue",
    "FiguresRejected",
    "FiguresSaved",
    "FiguresStale",
    "period_figures_put",
    "project_progress_put",
    "token_issue",
    "token_revoke",
]
