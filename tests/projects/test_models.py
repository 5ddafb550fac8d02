from datetime import date
from decimal import Decimal as D

import pytest
from django.db import transaction

from tests.factories import ProjectFactory, ProjectProgressFactory, SpecialBondFactory
from tests.helpers import violates

pytestmark = pytest.mark.django_db


def test_project_codes_are_unique(park_a):
    ProjectFactory(park=park_a, code="XM-1")
    with transaction.atomic(), violates("project_code_unique", "projects_project.code"):
        ProjectFactory(park=park_a, code="XM-1")


def test_a_project_cannot_complete_before_it_starts(park_a):
    with transaction.atomic(), violates("project_completes_after_start"):
        ProjectFactory(park=park_a, start_date=date(2026, 5, 1), completion_date=date(2026, 4, 30))


def test_total_investment_is_not_negative(park_a):
    with transaction.atomic(), violates("project_total_investment_not_negative"):
        ProjectFactory(park=park_a, total_investment=D("-1"))


def test_progress_splits_into_government_and_social_capital(park_a):
    progress = ProjectProgressFactory(
        project=ProjectFactory(park=park_a),
        completed_investment=D("90859"),
        government_investment=D("59917"),
    )
    assert progress.social_investment == D("30942")


def test_government_part_cannot_exceed_completed_investment(park_a):
    with transaction.atomic(), violates("project_progress_government_within_total"):
        ProjectProgressFactory(
            project=ProjectFactory(park=park_a),
            completed_investment=D("100"),
            government_investment=D("100.0001"),
        )


def test_one_progress_row_per_project_and_month(park_a):
    progress = ProjectProgressFactory(project=ProjectFactory(park=park_a), month=6)
    with transaction.atomic(), violates("project_progress_natural_key", "projects_projectprogress"):
        ProjectProgressFactory(project=progress.project, month=6)


def test_one_bond_row_per_project_and_year(park_a):
    bond = SpecialBondFactory(project=ProjectFactory(park=park_a), year=2022)
    with transaction.atomic(), violates("special_bond_natural_key", "projects_specialbond"):
        SpecialBondFactory(project=bond.project, year=2022)
    with transaction.atomic(), violates("special_bond_amount_not_negative"):
        SpecialBondFactory(project=bond.project, year=2023, amount=D("-5"))
