"""The report tables' rows drawn in Python (reports/templatetags/report_tables.py): the same
HTML as the template loop they replace, on the demo zone's year-end summary and its rows,
and every text from the data escaped."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.template import engines
from django.test import override_settings
from django.urls import reverse

from parkportal.models import Park
from reports.links import EnterpriseLinks
from reports.scope import default_period, report_scope
from reports.tables import Column, Kind, Table, table_row
from reports.year_end import figure_rows, report_tables, year_end_report
from tests.factories import LeadFactory, ProjectFactory
from tests.reports.small_zone import build_small_zone

# The rows as templates/reports/_table.html drew them before they were drawn in Python.
TEMPLATE_LOOP = """{% for row in table.rows %}
  <tr{% if row.is_total %} class="is-total"{% endif %}>
    {% for cell in row.cells %}
      {% if forloop.first %}<th scope="row"{% if row.level %} class="is-sub"{% endif %}>{% else %}<td{% if cell.kind != "text" %} class="num"{% endif %}>{% endif %}{% if cell.href %}<a href="{{ cell.href }}">{{ cell.text }}</a>{% elif cell.query %}<a class="figure-link" href="{% url 'reports:year_end_rows' %}?{{ cell.query }}">{{ cell.text }}</a>{% else %}{{ cell.text }}{% endif %}{% if forloop.first %}</th>{% else %}</td>{% endif %}
    {% endfor %}
  </tr>
{% endfor %}"""  # noqa: E501
IN_PYTHON = "{% load report_tables %}{% table_rows table %}"
BETWEEN_TAGS = re.compile(r">\s+<")
# Drill-downs whose rows name enterprises (linked to their pages), projects and leads.
FIGURES = ("indicator.revenue", "enterprises.registered", "projects.carried_out", "leads.signed")


def drawn(source: str, table: Table) -> str:
    """Return `table`'s rows drawn by the template `source`, without the whitespace
    between tags (the template loop's indentation)."""
    html = engines["django"].from_string(source).render({"table": table})
    return BETWEEN_TAGS.sub("><", html).strip()


def drill_down(scope, period, figure: str, parks) -> Table:
    """Return the first page of a figure's rows as the rows page shows them."""
    rows = figure_rows(scope, period, figure)
    links = EnterpriseLinks([park.pk for park in parks], period.year)
    items = list(rows.queryset[:50])
    assert items, figure  # a drill-down with rows, or the comparison proves nothing
    return Table(
        key="明细",
        title=rows.title,
        unit=rows.unit,
        columns=rows.columns,
        rows=[table_row(rows.columns, rows.values(i), pages=rows.pages(i, links)) for i in items],
    )


@pytest.fixture(scope="module")
def demo_tables(django_db_setup, django_db_blocker):
    """Seed the demo zone and return the tables of its zone's and parks' summaries and a
    few drill-downs; roll the demo back afterwards."""
    tables = []
    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        parks = list(Park.objects.order_by("kind", "code"))
        for park in parks:
            scope = report_scope(park)
            period = default_period(scope)
            tables += report_tables(year_end_report(scope, period))
            if park.kind == "zone":
                tables += [drill_down(scope, period, figure, parks) for figure in FIGURES]
        transaction.set_rollback(True)
    return tables


@pytest.fixture(autouse=True)
def fast_password_hashing():
    """Keep the real hasher: the demo's accounts are hashed once, module-wide."""


@pytest.mark.django_db  # among the database's tests: the indicators' catalog is there
def test_the_rows_drawn_in_python_are_the_template_loops_on_the_demo_zone(demo_tables):
    rows = [row for table in demo_tables for row in table.rows]
    # Every kind of row and cell the tables have is met: totals, 其中 lines, figures with
    # their drill-down, names with their page.
    assert any(row.is_total for row in rows) and any(row.level for row in rows)
    assert any(cell.query for row in rows for cell in row.cells)
    assert any(cell.href for row in rows for cell in row.cells)
    for table in demo_tables:
        assert drawn(IN_PYTHON, table) == drawn(TEMPLATE_LOOP, table), table.title


HOSTILE = "<script>alert('园区')</script> & \"引号\""


def test_a_hand_made_table_with_markup_in_every_text_is_drawn_escaped():
    columns = [Column("name", "名称"), Column("amount", "金额", Kind.MONEY)]
    table = Table(
        key="t",
        title="t",
        unit="",
        columns=columns,
        rows=[
            table_row(
                columns,
                {"name": HOSTILE, "amount": Decimal("1234.5")},
                {"amount": 'figure=x&park="><script>'},
                pages={"name": '/e/1/?a="><script>'},
                level=1,
            )
        ],
    )

    html = drawn(IN_PYTHON, table)

    assert "<script>" not in html
    assert html == drawn(TEMPLATE_LOOP, table)
    assert html == (
        '<tr><th scope="row" class="is-sub"><a href="/e/1/?a=&quot;&gt;&lt;script&gt;">'
        "&lt;script&gt;alert(&#x27;园区&#x27;)&lt;/script&gt; &amp; &quot;引号&quot;</a></th>"
        f'<td class="num"><a class="figure-link" href="{reverse("reports:year_end_rows")}?'
        'figure=x&amp;park=&quot;&gt;&lt;script&gt;">1,234.50</a></td></tr>'
    )


@pytest.mark.django_db
def test_a_project_and_a_lead_named_with_markup_show_as_text_on_the_page(
    client, leader, zone, park_a, park_b
):
    build_small_zone(zone, park_a, park_b)
    ProjectFactory(
        park=park_a, name=f"项目{HOSTILE}", key_level="county", start_date=date(2026, 1, 5)
    )
    LeadFactory(
        park=park_a, name=f"线索{HOSTILE}", investor=HOSTILE, stage="intention",
        docked_on=date(2026, 2, 1),
    )  # fmt: skip
    client.force_login(leader)

    page = client.get(reverse("reports:year_end"), {"park": "KFQ", "year": 2026, "month": 3})

    content = page.content.decode()
    escaped = "&lt;script&gt;alert(&#x27;园区&#x27;)&lt;/script&gt; &amp; &quot;引号&quot;"
    assert f"<td>项目{escaped}</td>" in content  # 表5 重点项目
    assert f"<td>线索{escaped}</td><td>{escaped}</td>" in content  # 表13 意向项目清单
    assert "<script>alert" not in content
