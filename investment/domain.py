"""None forgotten: the pure rules of a lead's attention (time limits, overdue, duplicates).

No ORM and no request; `investment/selectors.py` turns the same rules into SQL.
"""

import re
import unicodedata
from datetime import date, timedelta
from enum import StrEnum

from .choices import LeadStage


class Light(StrEnum):
    """How long a lead has gone without follow-up, against its stage's time limit."""

    GREEN = "green"
    YELLOW = "yellow"  # past the limit
    RED = "red"  # past twice the limit


LIGHT_LABELS = {Light.GREEN: "正常", Light.YELLOW: "超期未跟进", Light.RED: "严重超期未跟进"}

# The stages that are followed; signed, landed and dropped leads have no time limit.
FOLLOWED = (LeadStage.DOCKED, LeadStage.NEGOTIATING, LeadStage.INTENTION)


def light_limits(today: date, limits: dict[str, int]) -> dict[str, tuple[date, date]]:
    """Return, per followed stage, the days before which a lead last touched is yellow and
    red: touched before `today − limit` is past the limit, before `today − 2 × limit` past
    it twice."""
    return {
        stage: (today - timedelta(days=days), today - timedelta(days=2 * days))
        for stage, days in limits.items()
        if stage in FOLLOWED
    }


def light(stage: str, last_touched: date, today: date, limits: dict[str, int]) -> Light | None:
    """Return a lead's light: None for a stage without a time limit."""
    if stage not in limits or stage not in FOLLOWED:
        return None
    yellow_before, red_before = light_limits(today, {stage: limits[stage]})[stage]
    if last_touched < red_before:
        return Light.RED
    if last_touched < yellow_before:
        return Light.YELLOW
    return Light.GREEN


def is_overdue(next_on: date | None, today: date) -> bool:
    """Return whether a next follow-up date has passed (the day itself is not overdue)."""
    return next_on is not None and next_on < today


# Words that say what kind of company it is, not which: dropped before comparing.
COMPANY_WORDS = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团",
    "股份",
    "公司",
)


def normalised_investor(name: str) -> str:
    """Return an investor's name as compared for duplicates: full-width folded (NFKC),
    spaces, brackets' marks and punctuation dropped, lower case, and the company-kind
    words (有限公司, 集团…) removed."""
    text = unicodedata.normalize("NFKC", name or "").lower()
    text = re.sub(r"[\s()（）\[\]【】·.,，、\-_]", "", text)
    for word in COMPANY_WORDS:
        text = text.replace(word, "")
    return text


def duplicate_groups(leads: list[tuple[int, str]]) -> list[list[int]]:
    """Return the groups of lead ids (each of two or more, in the given order) whose
    investors' normalised names are the same; a blank name matches nothing."""
    groups: dict[str, list[int]] = {}
    for lead_id, investor in leads:
        key = normalised_investor(investor)
        if key:
            groups.setdefault(key, []).append(lead_id)
    return [ids for ids in groups.values() if len(ids) > 1]


def limits_text(limits: dict[str, int]) -> str:
    """Return the time limits as the pages state them: "对接30天、洽谈21天、意向14天"."""
    return "、".join(
        f"{LeadStage(stage).label}{limits[stage]}天" for stage in FOLLOWED if stage in limits
    )
