"""The investor's 统一社会信用代码 of a lead: checked on the form, shown on the lead's page
and beside its possible duplicates, kept by a merge, left as it is by the workbook."""

from datetime import date

import pytest
from django.urls import reverse

from investment.models import Lead
from investment.selectors import duplicate_pairs, lead_duplicates
from tests.factories import LeadFactory
from tests.workbook.books import ALL_SHEETS, xlsx
from workbook.importer import SHEETS, workbook_import
from workbook.writer import workbook_bytes

pytestmark = pytest.mark.django_db

CODE = "91130100MA0A1B2C31"
OTHER_CODE = "91130100MA0A1B2C44"


def new_lead(client, **fields):
    return client.post(
        reverse("investment:lead_new"),
        {
            "code": "ZS-9",
            "name": "新能源装备",
            "investor": "某某新能源集团",
            "channel": "referral",
            "docked_on": "2026-03-10",
            "owner": "investment",
            **fields,
        },
    )


def test_a_wrong_check_character_is_refused_on_the_form(client, investment):
    client.force_login(investment)

    response = new_lead(client, investor_credit_code="91130100MA0A1B2C32")

    assert response.status_code == 400
    assert "统一社会信用代码“91130100MA0A1B2C32”校验位错误：第18位应为“1”" in response.text
    assert not Lead.objects.filter(code="ZS-9").exists()


def test_a_code_typed_in_lower_case_is_kept_in_capitals(client, investment):
    client.force_login(investment)

    new_lead(client, investor_credit_code=CODE.lower())

    assert Lead.objects.get(code="ZS-9").investor_credit_code == CODE


def test_a_new_lead_with_an_open_leads_code_opens_with_it_named(client, investment):
    # Different names, the same code.
    other = LeadFactory(code="ZS-1", investor="石家庄某某新材料有限公司", investor_credit_code=CODE)
    client.force_login(investment)

    response = new_lead(client, investor_credit_code=CODE)
    page = client.get(response["Location"])

    assert "疑似重复" in page.text
    assert f'href="{reverse("investment:lead", args=[other.pk])}"' in page.text
    assert CODE in page.text


OPEN = {"stage": "negotiating"}


@pytest.mark.parametrize(
    ("other", "matched"),
    [
        ({"investor": "河北某某建材（集团）", "investor_credit_code": "", **OPEN}, True),
        ({"investor": "石家庄某某新材料", "investor_credit_code": CODE, **OPEN}, True),
        ({"investor": "石家庄某某新材料", "investor_credit_code": OTHER_CODE, **OPEN}, False),
        ({"investor": "石家庄某某新材料", "investor_credit_code": "", **OPEN}, False),
        # Closed leads are not duplicates any more: landed, or dropped.
        (
            {
                "investor": "石家庄某某新材料",
                "investor_credit_code": CODE,
                "stage": "landed",
                "signed_on": date(2026, 3, 2),
                "landed_on": date(2026, 3, 3),
            },
            False,
        ),
        (
            {
                "investor": "河北某某建材",
                "investor_credit_code": CODE,
                "stage": "dropped",
                "drop_reason": "选址他处",
            },
            False,
        ),
    ],
    ids=["same-name", "same-code", "different-both", "blank-code", "landed", "dropped"],
)
def test_a_lead_is_a_possible_duplicate_by_name_or_code(leader, other, matched):
    lead = LeadFactory(investor="河北某某建材集团有限公司", investor_credit_code=CODE)
    found = LeadFactory(**other)

    assert (found in lead_duplicates(leader, lead)) is matched
    assert ((lead, found) in duplicate_pairs(leader)) is matched


def test_two_blank_codes_match_nothing(leader):
    lead = LeadFactory(investor="", investor_credit_code="")
    LeadFactory(investor="", investor_credit_code="")

    assert lead_duplicates(leader, lead) == []
    assert duplicate_pairs(leader) == []


def test_the_duplicates_page_sets_the_codes_side_by_side_and_a_merge_keeps_the_code(
    client, admin_user
):
    keep = LeadFactory(investor="甲公司", investor_credit_code="", docked_on=date(2026, 1, 5))
    other = LeadFactory(investor="乙公司", investor_credit_code=CODE, docked_on=date(2026, 2, 5))
    third = LeadFactory(investor="甲有限公司", investor_credit_code=OTHER_CODE)
    client.force_login(admin_user)

    page = client.get(reverse("investment:duplicates"))
    # 甲 and 乙 differ in name and 甲 has no code: only 甲 and 甲有限公司 are a pair.
    assert "投资方统一社会信用代码" in page.text and OTHER_CODE in page.text
    assert CODE not in page.text

    client.post(reverse("investment:merge"), {"keep": keep.pk, "merged": third.pk})
    keep.refresh_from_db()
    assert keep.investor_credit_code == OTHER_CODE
    other.refresh_from_db()
    assert other.investor_credit_code == CODE


def test_a_merge_keeps_the_kept_leads_own_code(admin_user):
    from investment.services import lead_merge

    keep = LeadFactory(investor="甲公司", investor_credit_code=CODE)
    merged = LeadFactory(investor="甲有限公司", investor_credit_code=OTHER_CODE)

    lead_merge(keep=keep, merged=merged, user=admin_user)

    keep.refresh_from_db()
    assert keep.investor_credit_code == CODE


def test_the_workbook_neither_holds_nor_changes_the_code():
    assert workbook_import(data=xlsx(ALL_SHEETS), filename="in.xlsx").accepted
    Lead.objects.update(investor_credit_code=CODE)
    exported = workbook_bytes(SHEETS, with_data=True)

    report = workbook_import(data=exported, filename="out.xlsx")

    assert report.accepted, [str(p) for p in report.problems]
    assert "投资方统一社会信用代码".encode() not in exported  # no column for it
    assert set(Lead.objects.values_list("investor_credit_code", flat=True)) == {CODE}
