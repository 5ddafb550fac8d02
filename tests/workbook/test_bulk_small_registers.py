"""The 园区, 产业 and 目标 sheets are written the bulk way, through their doors' bulk
function (`parkportal.services.records_import`, `indicators.services.targets_import`):
a few statements whatever their rows, created, updated and unchanged counted, a history
row for each record created or changed and none for the others, and a refused row
said at its sheet, row and column with nothing of the sheet written."""

from decimal import Decimal

import pytest

from indicators.models import Target
from parkportal.models import Industry, Park
from tests.workbook import books
from tests.workbook.books import xlsx
from workbook.importer import workbook_import

pytestmark = pytest.mark.django_db


def imported(sheets, *, user=None, filename="基础.xlsx"):
    report = workbook_import(data=xlsx(sheets), filename=filename, user=user)
    assert report.accepted, [str(p) for p in report.problems]
    return {s.sheet: (s.created, s.updated, s.unchanged) for s in report.sheets}


def problems(sheets) -> list[str]:
    report = workbook_import(data=xlsx(sheets), filename="基础.xlsx")
    assert not report.accepted
    return [str(p) for p in report.problems]


def industries(count: int, *, renamed_group: int | None = None) -> list[list]:
    rows = [[f"第{i}产业", "新兴产业" if i == renamed_group else "传统产业"] for i in range(count)]
    return [books.INDUSTRIES[0], *rows]


@pytest.mark.parametrize("count", [2, 40])
def test_the_industry_sheet_is_written_in_as_many_queries_whatever_its_rows(
    count, django_assert_max_num_queries
):
    # The industries read once, compared; the new ones written and their history rows
    # written in one statement each; nothing written when nothing changed.
    with django_assert_max_num_queries(16):
        assert imported({"产业": industries(count)}) == {"产业": (count, 0, 0)}
    with django_assert_max_num_queries(12):
        assert imported({"产业": industries(count)}) == {"产业": (0, 0, count)}
    with django_assert_max_num_queries(16):
        assert imported({"产业": industries(count, renamed_group=1)}) == {"产业": (0, 1, count - 1)}
    assert Industry.objects.get(name="第1产业").group == "emerging"


def test_every_new_and_changed_register_row_has_its_history_row_and_no_other(admin_user):
    sheets = {"园区": books.PARKS, "产业": books.INDUSTRIES, "目标": books.TARGETS}
    assert imported(sheets, user=admin_user, filename="年初.xlsx") == {
        "园区": (3, 0, 0),
        "产业": (2, 0, 0),
        "目标": (2, 0, 0),
    }
    for model, count in ((Park, 3), (Industry, 2), (Target, 2)):
        history = model.history.all()
        assert history.count() == count
        assert {(h.history_type, h.history_user, h.history_change_reason) for h in history} == {
            ("+", admin_user, "导入：年初.xlsx")
        }

    changed = {
        "园区": books.replaced(books.PARKS, 2, "规划面积(亩)", "3500"),
        "产业": books.INDUSTRIES,
        "目标": books.replaced(books.TARGETS, 1, "数值", "650000"),
    }
    assert imported(changed, user=admin_user, filename="调整.xlsx") == {
        "园区": (0, 1, 2),
        "产业": (0, 0, 2),
        "目标": (0, 1, 1),
    }
    park = Park.history.get(history_type="~")
    assert (park.code, park.planned_area_mu, park.history_change_reason) == (
        "CGC",
        Decimal("3500"),
        "导入：调整.xlsx",
    )
    target = Target.history.get(history_type="~")
    assert (target.park.code, target.value, target.history_user) == (
        "KFQ",
        Decimal("650000"),
        admin_user,
    )
    assert not Industry.history.filter(history_type="~").exists()


def test_a_zone_below_its_parks_in_the_sheet_is_their_parent():
    parks = [books.PARKS[0], books.PARKS[2], books.PARKS[3], books.PARKS[1]]
    assert imported({"园区": parks}) == {"园区": (3, 0, 0)}
    zone = Park.objects.get(code="KFQ")
    assert set(zone.children.values_list("code", flat=True)) == {"CGC", "BH"}
    assert Park.history.filter(code="BH").get().parent_id == zone.pk


def test_a_park_under_a_park_is_refused_at_its_row_and_no_park_is_written():
    parks = [*books.PARKS, ["SUB", "下级园", "CGC", "园区", "", ""]]
    assert problems({"园区": parks}) == [
        "工作表“园区”第5行“上级园区编码”列：上级园区必须是开发区。"
    ]
    assert not Park.objects.exists()
    assert not Park.history.exists()


def test_a_park_that_is_its_own_zone_is_refused():
    parks = [books.PARKS[0], ["SELF", "自己园", "SELF", "开发区", "", ""]]
    assert problems({"园区": parks}) == [
        "工作表“园区”第2行“上级园区编码”列：上级园区不能是它自己或它的下级"
    ]
    assert not Park.objects.exists()


def test_a_park_name_another_park_has_is_refused():
    assert imported({"园区": books.PARKS}) == {"园区": (3, 0, 0)}
    parks = [*books.PARKS, ["NEW", "长古城工业园", "KFQ", "园区", "", ""]]
    (problem,) = problems({"园区": parks})
    assert problem.startswith("工作表“园区”第5行“园区名称”列：") and "已存在" in problem
    assert not Park.objects.filter(code="NEW").exists()


def test_a_refused_industry_or_target_writes_none_of_its_sheet():
    rows = [*industries(3), ["坏产业", "无此类别"]]
    (problem,) = problems({"产业": rows})
    assert problem.startswith("工作表“产业”第5行“产业类别”列：")
    assert not Industry.objects.exists()

    imported({"园区": books.PARKS})
    targets = [*books.TARGETS, ["BH", 2026, "营业收入", "目标", "-1x"]]
    (problem,) = problems({"目标": targets})
    assert problem.startswith("工作表“目标”第4行“数值”列：")
    assert not Target.objects.exists()


def test_an_unchanged_register_re_import_writes_no_history():
    sheets = {"园区": books.PARKS, "产业": books.INDUSTRIES, "目标": books.TARGETS}
    imported(sheets)
    counts = [m.history.count() for m in (Park, Industry, Target)]
    assert imported(sheets) == {"园区": (0, 0, 3), "产业": (0, 0, 2), "目标": (0, 0, 2)}
    assert [m.history.count() for m in (Park, Industry, Target)] == counts


def test_a_sheet_that_starts_below_and_right_of_a1_is_read_with_its_excel_row_numbers():
    # Column A and the first two rows empty: the rows are read from A1 all the same, so
    # a problem names the row Excel shows.
    rows = [[], [], *([None, *row] for row in industries(2)), [None, "坏产业", "无此类别"]]
    (problem,) = problems({"产业": rows})
    assert problem.startswith("工作表“产业”第6行“产业类别”列：")
    assert imported({"产业": rows[:-1]}) == {"产业": (2, 0, 0)}
