"""The sums the reports read (indicators.sums, FigureSum) after every kind of write equal a
plain recount of the figures, done here in Python from the MonthlyValue rows."""

from decimal import Decimal as D

import pytest
from django.core.management import call_command

from indicators import codes
from indicators.choices import ChangeSource
from indicators.figures import figures_write
from indicators.models import FigureSum, MonthlyValue
from indicators.sums import official_sums_deferred, official_sums_rebuild
from indicators.workflow import period_transition
from parkportal.choices import EnterpriseStatus
from parkportal.models import Enterprise, Park
from parkportal.services import enterprise_delete, enterprise_save
from reports.figures import indicator_sums
from reports.scope import ReportPeriod, report_scope
from tests.factories import EnterpriseFactory, IndustryFactory, indicator
from tests.reports.small_zone import build_small_zone
from tests.workbook import books
from workbook.importer import workbook_import


def recount() -> dict:
    """Return every line the sums should hold, counted figure by figure."""
    figures = list(
        MonthlyValue.objects.filter(enterprise__in_statistics=True).values_list(
            "enterprise_id",
            "enterprise__park_id",
            "enterprise__industry_id",
            "indicator_id",
            "year",
            "month",
            "value",
        )
    )
    present = {(e, i, y, m) for e, _, _, i, y, m, _ in figures}
    lines: dict = {}
    for e, park, industry, i, y, m, value in figures:
        total, reporters, last, last_n, after, after_n = lines.get(
            (park, industry, i, y, m), (D(0), 0, None, 0, None, 0)
        )
        if (e, i, y - 1, m) in present:
            last, last_n = (last or D(0)) + value, last_n + 1
        if (e, i, y + 1, m) in present:
            after, after_n = (after or D(0)) + value, after_n + 1
        lines[park, industry, i, y, m] = (
            total + value,
            reporters + 1,
            last,
            last_n,
            after,
            after_n,
        )
    return lines


def kept() -> dict:
    return {
        (s.park_id, s.industry_id, s.indicator_id, s.year, s.month): (
            s.total,
            s.reporters,
            s.with_last,
            s.with_last_members,
            s.with_next,
            s.with_next_members,
        )
        for s in FigureSum.objects.all()
    }


def park_line(park, year, month, code=codes.REVENUE) -> tuple:
    """Return a park's (total, reporters, comparable with last year, its members) of a month."""
    lines = FigureSum.objects.filter(
        park=park, indicator=indicator(code), year=year, month=month
    ).values_list("total", "reporters", "with_last", "with_last_members")
    total, reporters, last, members = D(0), 0, D(0), 0
    for line in lines:
        total, reporters = total + line[0], reporters + line[1]
        last, members = last + (line[2] or 0), members + line[3]
    return total, reporters, last, members


# --- The small zone of the reports' tests --------------------------------------------------------


@pytest.fixture
def small(zone, park_a, park_b):
    return build_small_zone(zone, park_a, park_b)


def test_the_small_zone_built_around_the_door_is_counted_as_the_door_would(small):
    assert kept() == recount()
    # Park A 2026 1-3月: E1 40000 and E2 9000.1234, both with a 2025 figure.
    assert park_line(small.park_a, 2026, 3) == (D("49000.1234"), 2, D("49000.1234"), 2)
    # Park B: E3 50000 and E5 7000 (new, no 2025); E4 is not 入统.
    assert park_line(small.park_b, 2026, 3) == (D("57000"), 2, D("50000"), 1)


def test_last_years_figure_corrected_changes_this_years_comparable_line(small, admin_user):
    e5 = Enterprise.objects.get(name="新设光伏材料有限公司")
    period_transition(
        park=small.park_b, year=2025, month=3, action="unlock", user=admin_user, reason="补录"
    )
    figures_write(
        changes={(e5.pk, indicator(codes.REVENUE).pk, 2025, 3): D("5000")},
        user=admin_user,
        source=ChangeSource.ADMIN,
    )
    assert kept() == recount()
    # E5 now has a base: 50000 + 7000 on the comparable scope, two members.
    assert park_line(small.park_b, 2026, 3) == (D("57000"), 2, D("57000"), 2)


def test_a_figure_corrected_in_an_approved_month_after_its_unlock(small, admin_user):
    e1 = Enterprise.objects.get(name="涞源精密铸造有限公司")
    period_transition(
        park=small.park_a, year=2026, month=3, action="unlock", user=admin_user, reason="更正"
    )
    figures_write(
        changes={(e1.pk, indicator(codes.REVENUE).pk, 2026, 3): D("41000")},
        user=admin_user,
        source=ChangeSource.ADMIN,
    )
    for action in ("submit", "approve"):
        period_transition(park=small.park_a, year=2026, month=3, action=action, user=admin_user)

    assert kept() == recount()
    assert park_line(small.park_a, 2026, 3) == (D("50000.1234"), 2, D("50000.1234"), 2)


# --- A zone whose months are drafts, so that the register may change -----------------------------


@pytest.fixture
def drafts(zone, park_a, park_b, admin_user):
    """Two parks, two industries; X and Y in park A, Z (not 入统) in park B; revenue of
    2025 and 2026 months 2 and 3 written through the door as drafts."""
    food, stone = IndustryFactory(name="食品加工"), IndustryFactory(name="绿色建材")
    x = EnterpriseFactory(park=park_a, industry=food, name="甲")
    y = EnterpriseFactory(park=park_a, industry=stone, name="乙")
    z = EnterpriseFactory(park=park_b, industry=food, name="丙", in_statistics=False)
    revenue = indicator(codes.REVENUE).pk
    figures = {
        (x, 2025, 2): "100",
        (x, 2025, 3): "150",
        (x, 2026, 2): "120",
        (x, 2026, 3): "180",
        (y, 2026, 3): "70",
        (z, 2025, 3): "40",
        (z, 2026, 3): "60",
    }
    figures_write(
        changes={(e.pk, revenue, yr, m): D(v) for (e, yr, m), v in figures.items()},
        user=admin_user,
        source=ChangeSource.ENTRY,
    )
    return {"x": x, "y": y, "z": z, "food": food, "stone": stone}


def moved_to_park_b(d, park_b, admin_user):
    d["x"].park = park_b
    enterprise_save(enterprise=d["x"], user=admin_user)


def industry_changed(d, park_b, admin_user):
    d["x"].industry = d["stone"]
    enterprise_save(enterprise=d["x"], user=admin_user)


def industry_cleared(d, park_b, admin_user):
    d["y"].industry = None
    enterprise_save(enterprise=d["y"], user=admin_user)


def entered_statistics(d, park_b, admin_user):
    d["z"].in_statistics = True
    enterprise_save(enterprise=d["z"], user=admin_user)


def left_statistics(d, park_b, admin_user):
    d["x"].in_statistics = False
    enterprise_save(enterprise=d["x"], user=admin_user)


def entry_saved(d, park_b, admin_user):
    figures_write(
        changes={(d["y"].pk, indicator(codes.REVENUE).pk, 2025, 3): D("50")},
        user=admin_user,
        source=ChangeSource.ENTRY,
    )


def figure_deleted(d, park_b, admin_user):
    figures_write(
        changes={(d["x"].pk, indicator(codes.REVENUE).pk, 2025, 3): None},
        user=admin_user,
        source=ChangeSource.ENTRY,
    )


# Each write, and the lines it changes: park A's 2026 1-3月 revenue afterwards (total,
# reporters, comparable, members), or None when the write leaves park A's line alone.
WRITES = [
    ("enterprise moved to another park", moved_to_park_b, (D("70"), 1, D("0"), 0)),
    ("industry changed", industry_changed, (D("250"), 2, D("180"), 1)),
    ("industry cleared", industry_cleared, (D("250"), 2, D("180"), 1)),
    ("入统 changed on", entered_statistics, None),
    ("入统 changed off", left_statistics, (D("70"), 1, D("0"), 0)),
    ("entry save of last year's figure", entry_saved, (D("250"), 2, D("250"), 2)),
    ("figure deleted", figure_deleted, (D("250"), 2, D("0"), 0)),
]


@pytest.mark.parametrize(
    ("write", "park_a_after"), [w[1:] for w in WRITES], ids=[w[0] for w in WRITES]
)
def test_after_each_write_the_sums_equal_their_recount(
    drafts, park_a, park_b, admin_user, write, park_a_after
):
    before = kept()
    assert before == recount()
    assert park_line(park_a, 2026, 3) == (D("250"), 2, D("180"), 1)

    write(drafts, park_b, admin_user)

    assert kept() == recount()
    assert kept() != before
    if park_a_after is not None:
        assert park_line(park_a, 2026, 3) == park_a_after


def test_an_enterprise_entering_the_statistics_adds_to_its_park(drafts, park_b, admin_user):
    entered_statistics(drafts, park_b, admin_user)
    assert park_line(park_b, 2026, 3) == (D("60"), 1, D("60"), 1)


def test_a_status_change_or_a_deletion_leaves_the_sums_as_they_were(drafts, park_a, admin_user):
    before = kept()
    drafts["y"].status = EnterpriseStatus.DEREGISTERED
    enterprise_save(enterprise=drafts["y"], user=admin_user)
    enterprise_delete(enterprise=EnterpriseFactory(park=park_a), user=admin_user)
    assert kept() == recount() == before


@pytest.mark.parametrize(
    "steps",
    [
        ["submit", "approve"],
        ["submit", "return"],
        ["submit", "approve", "unlock"],
        ["submit", "withdraw"],
    ],
    ids=["approve", "return", "unlock", "withdraw"],
)
def test_the_workflows_steps_change_what_counts_not_the_sums(
    drafts, zone, park_a, admin_user, settings, steps
):
    settings.FIGURES_OFFICIAL_FROM = "approved"
    before = kept()
    for action in steps:
        reason = "更正" if action in ("return", "unlock") else ""
        period_transition(
            park=park_a, year=2026, month=3, action=action, user=admin_user, reason=reason
        )
    assert kept() == recount() == before
    revenue = indicator(codes.REVENUE)
    sums = indicator_sums(report_scope(zone), ReportPeriod(2026, 3), [revenue])
    line = sums.get(park_a.pk, {}).get((revenue.pk, 2026, 3))
    if steps[-1] == "approve":
        # Counted; last year's March is still a draft, so no comparable pair counts.
        assert (line.total, line.reporters, line.comparable_members) == (D("250"), 2, 0)
    else:
        assert line is None


def test_the_monthly_sheets_import_is_counted(db, admin_user):
    sheets = {
        "园区": books.PARKS,
        "产业": books.INDUSTRIES,
        "企业": books.ENTERPRISES,
        "月度指标": books.MONTHLY,
    }
    report = workbook_import(data=books.xlsx(sheets), filename="园区数据.xlsx", user=admin_user)
    assert report.accepted
    assert kept() == recount()
    # 河北甲食品 (CGC, 入统) 2026 1-3月 2000; 河北乙建材 is not 入统.
    assert park_line(Park.objects.get(code="CGC"), 2026, 3) == (D("2000"), 1, D("0"), 0)

    # The same file with 河北甲食品 in another industry: its lines follow it.
    moved = books.replaced(books.ENTERPRISES, 1, "所属产业", "绿色建材")
    report = workbook_import(
        data=books.xlsx({**sheets, "企业": moved}), filename="园区数据.xlsx", user=admin_user
    )
    assert report.accepted
    assert kept() == recount()
    assert set(FigureSum.objects.values_list("industry__name", flat=True)) == {"绿色建材"}


def test_a_rebuild_writes_the_same_lines_and_the_command_too(drafts, park_a):
    before = kept()
    FigureSum.objects.all().delete()
    official_sums_rebuild(years=[2025, 2026])
    assert kept() == before == recount()
    FigureSum.objects.filter(park=park_a).update(total=D("1"))
    call_command("rebuild_official_sums", verbosity=0)
    assert kept() == before


def test_writes_in_a_deferred_block_are_counted_once_at_its_end(drafts, park_a, admin_user):
    revenue = indicator(codes.REVENUE).pk
    with official_sums_deferred():
        for value in ("50", "60"):
            figures_write(
                changes={(drafts["y"].pk, revenue, 2025, 3): D(value)},
                user=admin_user,
                source=ChangeSource.IMPORT,
            )
        assert park_line(park_a, 2026, 3) == (D("250"), 2, D("180"), 1)  # not yet
    assert kept() == recount()
    assert park_line(park_a, 2026, 3) == (D("250"), 2, D("250"), 2)
