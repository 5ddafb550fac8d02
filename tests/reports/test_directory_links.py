"""Every enterprise a page names links to its page (`/enterprises/<id>/`) where the reader
may open it: the year-end drill-down rows, the dashboard's rankings and attention list,
the completeness page (the directory's own links: tests/reports/test_directory.py)."""

import pytest
from django.urls import reverse

from parkportal.models import Enterprise
from reports.links import EnterpriseLinks
from tests.reports.small_zone import build_small_zone

ROWS = reverse("reports:year_end_rows")
MARCH = {"year": 2026, "month": 3}


@pytest.fixture
def small(zone, park_a, park_b):
    return build_small_zone(zone, park_a, park_b)


def link(name: str, year: int = 2026) -> str:
    enterprise = Enterprise.objects.get(name=name)
    return f'<a href="/enterprises/{enterprise.pk}/?year={year}">{name}</a>'


def test_a_link_is_made_only_for_an_enterprise_of_a_park_the_reader_may_read(small):
    links = EnterpriseLinks([small.park_a.pk], 2026)

    assert links(7, small.park_a.pk) == "/enterprises/7/?year=2026"
    assert links(8, small.park_b.pk) == ""
    assert EnterpriseLinks([small.park_a.pk])(7, small.park_a.pk) == "/enterprises/7/"


def test_the_year_end_rows_of_an_indicator_link_each_enterprise(client, leader, small):
    client.force_login(leader)

    response = client.get(ROWS, {"park": "KFQ", **MARCH, "figure": "indicator.revenue"})

    content = response.content.decode()
    for name in ("涞源精密铸造有限公司", "白合建材商贸有限公司", "新设光伏材料有限公司"):
        assert link(name) in content
    names = [row.cell("name") for row in response.context["table"].rows]
    assert all(cell.href for cell in names)


def test_the_year_end_rows_of_the_register_link_each_enterprise(client, leader, small):
    client.force_login(leader)

    content = client.get(
        ROWS, {"park": "KFQ", **MARCH, "figure": "enterprises.statistical"}
    ).content.decode()

    assert link("停报机械制造有限公司") in content
    assert link("涞源食品科技有限公司") in content


def test_staff_follow_the_rows_of_their_park_to_its_enterprises(client, staff_a, small):
    client.force_login(staff_a)

    response = client.get(ROWS, {"park": "A", **MARCH, "figure": "indicator.revenue"})

    assert link("涞源精密铸造有限公司") in response.content.decode()
    # and the page it leads to opens
    enterprise = Enterprise.objects.get(name="涞源精密铸造有限公司")
    assert client.get(reverse("reports:enterprise", args=[enterprise.pk])).status_code == 200


def test_rows_of_projects_and_leads_name_no_enterprise(client, leader, small):
    client.force_login(leader)

    for figure in ("projects.carried_out", "leads.signed"):
        response = client.get(ROWS, {"park": "KFQ", **MARCH, "figure": figure})
        assert not any(cell.href for row in response.context["table"].rows for cell in row.cells)


def test_the_dashboard_rankings_and_attention_list_link_each_enterprise(client, leader, small):
    client.force_login(leader)

    content = client.get(reverse("reports:home"), {"park": "KFQ", **MARCH}).content.decode()

    assert link("涞源精密铸造有限公司") in content  # top 10 by revenue and by tax
    assert link("停报机械制造有限公司") in content  # has not reported March


def test_the_completeness_page_links_each_missing_enterprise(client, leader, small):
    client.force_login(leader)

    content = client.get(reverse("indicators:completeness_month", args=[2026, 3])).content.decode()

    assert link("停报机械制造有限公司") in content
    assert link("五月新设有限公司") in content
