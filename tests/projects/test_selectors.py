"""The projects' reads: the lights' SQL narrowing keeps every project the rule lights up."""

from datetime import date
from decimal import Decimal as D

import pytest

from indicators.models import PeriodSubmission
from projects.choices import Light
from projects.models import Milestone, Project, ProjectPlan
from projects.selectors import (
    LIGHT_FACTS,
    LIST_FIELDS,
    ListedProject,
    light_thresholds,
    may_be_lit,
    verdict_of,
    with_light_facts,
)
from tests.factories import ProjectFactory, ProjectProgressFactory

# The lights judge April's progress: 序时进度 33.33%, yellow from 10 points behind
# (progress 23.33% or less, rounded to 2 decimals), red beyond 30.
TODAY = date(2026, 5, 20)


def planned(park, code, plan, completed=None):
    project = ProjectFactory(park=park, code=code, start_date=date(2025, 3, 1))
    ProjectPlan.objects.create(project=project, year=2026, planned_investment=D(plan))
    if completed is not None:
        ProjectProgressFactory(
            project=project, year=2026, month=4, completed_investment=D(completed)
        )
    return project


@pytest.fixture
def projects(park_a):
    PeriodSubmission.objects.create(park=park_a, year=2026, month=4, status="approved")
    planned(park_a, "LAG-EDGE", "1000", "233.3")  # 23.33%: exactly 10 points behind
    planned(park_a, "LAG-ROUND-DOWN", "1000", "233.349")  # rounds to 23.33%
    planned(park_a, "LAG-ROUND-UP", "1000", "233.35")  # rounds to 23.34%: green
    planned(park_a, "ON-PLAN", "1000", "400")
    planned(park_a, "NO-REPORT", "1000")  # nothing done: red
    planned(park_a, "FAR-BEHIND", "1000", "20")
    planned(park_a, "ZERO-PLAN", "0", "0")  # the rule does not apply
    late = ProjectFactory(park=park_a, code="MILESTONE-LATE", start_date=date(2025, 3, 1))
    Milestone.objects.create(project=late, name="主体封顶", planned_date=date(2026, 5, 19))
    due = ProjectFactory(park=park_a, code="MILESTONE-TODAY", start_date=date(2025, 3, 1))
    Milestone.objects.create(project=due, name="主体封顶", planned_date=TODAY)
    done = ProjectFactory(park=park_a, code="MILESTONE-DONE", start_date=date(2025, 3, 1))
    Milestone.objects.create(
        project=done, name="主体封顶", planned_date=date(2026, 1, 1), actual_date=date(2026, 2, 1)
    )
    ProjectFactory(
        park=park_a, code="START-MISSED", start_date=None, planned_start_date=date(2026, 5, 1)
    )
    ProjectFactory(park=park_a, code="START-TODAY", start_date=None, planned_start_date=TODAY)
    ProjectFactory(park=park_a, code="STARTED", start_date=date(2026, 1, 1))


def lit(projects) -> set[str]:
    thresholds = light_thresholds()
    return {
        project.code
        for project in map(
            ListedProject, with_light_facts(projects, TODAY).values(*LIST_FIELDS, *LIGHT_FACTS)
        )
        if verdict_of(project, TODAY, thresholds).light != Light.GREEN
    }


def test_the_candidates_hold_every_lit_project_and_leave_the_plain_green_out(projects):
    candidates = with_light_facts(Project.objects.all(), TODAY).filter(
        may_be_lit(TODAY, light_thresholds())
    )
    codes = set(candidates.values_list("code", flat=True))

    assert lit(Project.objects.all()) == {
        "LAG-EDGE",
        "LAG-ROUND-DOWN",
        "NO-REPORT",
        "FAR-BEHIND",
        "MILESTONE-LATE",
        "START-MISSED",
    }
    assert lit(Project.objects.all()) <= codes
    assert not codes & {"ON-PLAN", "ZERO-PLAN", "MILESTONE-TODAY", "MILESTONE-DONE", "STARTED"}
