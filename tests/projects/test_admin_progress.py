"""The admin's edit of a project's monthly progress follows the month's workflow, as the
month's 项目进度 grid does: a submitted or approved park-month is not changed."""

from decimal import Decimal as D
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from indicators.choices import PeriodStatus
from indicators.models import PeriodSubmission
from projects.models import ProjectProgress
from projects.services import EntryRefused, project_progress_change, project_progress_delete
from tests.factories import ProjectFactory, ProjectProgressFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def progress(park_a):
    project = ProjectFactory(park=park_a)
    return ProjectProgressFactory(project=project, year=2026, month=3, completed_investment=100)


def month_is(park, status, month=3):
    PeriodSubmission.objects.update_or_create(
        park=park, year=2026, month=month, defaults={"status": status}
    )


def change(client, progress, completed, **extra):
    return client.post(
        reverse("admin:projects_projectprogress_change", args=[progress.pk]),
        {
            "project": progress.project.pk,
            "year": 2026,
            "month": 3,
            "completed_investment": completed,
            "government_investment": "0",
            **extra,
        },
    )


@pytest.mark.parametrize(
    ("status", "said"),
    [(PeriodStatus.SUBMITTED, "已上报，等待审核"), (PeriodStatus.APPROVED, "已审核锁定")],
)
def test_a_change_in_a_submitted_or_approved_month_is_refused_and_says_why(
    site_admin_client, progress, park_a, status, said
):
    month_is(park_a, status)
    response = change(site_admin_client, progress, "150")
    assert response.status_code == 200  # the form again, with the refusal
    assert f"{park_a.name}2026年3月的数据{said}" in response.text
    progress.refresh_from_db()
    assert progress.completed_investment == D("100")


def test_moving_a_record_out_of_an_approved_month_is_refused(site_admin_client, progress, park_a):
    month_is(park_a, PeriodStatus.APPROVED)
    response = change(site_admin_client, progress, "100", month="4")
    assert "已审核锁定" in response.text
    progress.refresh_from_db()
    assert progress.month == 3


def test_a_change_in_a_draft_month_is_saved_with_the_admin_in_its_history(
    site_admin_client, progress, park_a, admin_user
):
    month_is(park_a, PeriodStatus.DRAFT)
    response = change(site_admin_client, progress, "150")
    assert response.status_code == 302
    progress.refresh_from_db()
    assert progress.completed_investment == D("150")
    assert progress.history.latest().history_user == admin_user


def test_a_change_below_an_earlier_months_total_is_refused_as_on_the_grid(
    site_admin_client, progress, park_a
):
    ProjectProgressFactory(project=progress.project, year=2026, month=2, completed_investment=120)
    response = site_admin_client.post(
        reverse("admin:projects_projectprogress_change", args=[progress.pk]),
        {
            "project": progress.project.pk,
            "year": 2026,
            "month": 3,
            "completed_investment": "110",
            "government_investment": "0",
        },
        follow=True,
    )
    assert "本年累计不能低于2月的本年累计" in response.text
    progress.refresh_from_db()
    assert progress.completed_investment == D("100")


def test_an_approved_months_record_cannot_be_deleted_alone_or_in_a_batch(
    site_admin_client, progress, park_a
):
    month_is(park_a, PeriodStatus.APPROVED)
    page = reverse("admin:projects_projectprogress_delete", args=[progress.pk])
    assert site_admin_client.post(page, {"post": "yes"}).status_code == 403
    batch = site_admin_client.post(
        reverse("admin:projects_projectprogress_changelist"),
        {"action": "delete_selected", "_selected_action": [progress.pk], "post": "yes"},
    )
    assert batch.status_code == 403
    assert ProjectProgress.objects.filter(pk=progress.pk).exists()


def test_a_draft_months_record_is_deleted_with_the_admin_in_its_history(
    site_admin_client, progress, admin_user
):
    page = reverse("admin:projects_projectprogress_delete", args=[progress.pk])
    assert site_admin_client.post(page, {"post": "yes"}).status_code == 302
    assert not ProjectProgress.objects.filter(pk=progress.pk).exists()
    assert progress.history.latest().history_type == "-"
    assert progress.history.latest().history_user == admin_user


class FormFields(HTMLParser):
    """The values a browser would post from a page's form: inputs, selects, textareas."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def test_the_projects_inline_refuses_an_approved_months_row_and_saves_a_draft_months(
    site_admin_client, progress, park_a
):
    project = progress.project
    draft = ProjectProgressFactory(project=project, year=2026, month=5, completed_investment=200)
    month_is(park_a, PeriodStatus.APPROVED)
    page = reverse("admin:projects_project_change", args=[project.pk])
    fields = FormFields()
    fields.feed(site_admin_client.get(page).text)
    data = fields.data
    rows = {data[f"progress-{i}-id"]: i for i in range(int(data["progress-TOTAL_FORMS"]))}
    data[f"progress-{rows[str(progress.pk)]}-completed_investment"] = "150"
    response = site_admin_client.post(page, data)
    assert response.status_code == 200
    assert "已审核锁定" in response.text
    progress.refresh_from_db()
    assert progress.completed_investment == D("100")

    data[f"progress-{rows[str(progress.pk)]}-completed_investment"] = "100"
    data[f"progress-{rows[str(draft.pk)]}-completed_investment"] = "250"
    assert site_admin_client.post(page, data).status_code == 302
    draft.refresh_from_db()
    assert draft.completed_investment == D("250")


def test_the_doors_refuse_a_submitted_month_under_its_lock(progress, park_a, admin_user):
    month_is(park_a, PeriodStatus.SUBMITTED)
    progress.completed_investment = D("150")
    with pytest.raises(EntryRefused, match="已上报"):
        project_progress_change(progress=progress, user=admin_user)
    with pytest.raises(EntryRefused, match="已上报"):
        project_progress_delete(records=[progress], user=admin_user)
    assert ProjectProgress.objects.get(pk=progress.pk).completed_investment == D("100")
