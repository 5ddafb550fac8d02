"""factory_boy factories for the portal's models, with Chinese fake data."""

import itertools
from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from indicators.models import Indicator, MonthlyValue, Target
from indicators.sums import cells_of_figures, official_sums_refresh
from investment.models import Lead, LeadStageChange, OutreachEvent
from parkportal.choices import IndustryGroup, ParkKind
from parkportal.credit_code import with_check_character
from parkportal.models import Enterprise, Industry, Park, ParkMembership
from projects.models import Project, ProjectProgress, SpecialBond

_credit_serial = itertools.count(1)


def next_credit_code() -> str:
    """Return a fresh, valid unified social credit code."""
    return with_check_character(f"91130630MA{next(_credit_serial):07d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):
        if create:
            self.save()


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Park
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"Z{n:02d}")
    name = factory.Sequence(lambda n: f"示范经济开发区{n}")
    kind = ParkKind.ZONE
    parent = None


class ParkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Park
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"P{n:02d}")
    name = factory.Sequence(lambda n: f"第{n}工业园")
    kind = ParkKind.PARK
    parent = factory.SubFactory(ZoneFactory)


class IndustryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Industry
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"产业{n}")
    group = IndustryGroup.TRADITIONAL


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    credit_code = factory.LazyFunction(next_credit_code)
    name = factory.Faker("company", locale="zh_CN")
    park = factory.SubFactory(ParkFactory)
    industry = factory.SubFactory(IndustryFactory)
    in_statistics = True
    scale_category = ""


class ParkMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParkMembership

    user = factory.SubFactory(UserFactory)
    park = factory.SubFactory(ParkFactory)


def indicator(code: str) -> Indicator:
    """Return the catalog's indicator with `code` (seeded by migration)."""
    return Indicator.objects.get(code=code)


class MonthlyValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonthlyValue

    enterprise = factory.SubFactory(EnterpriseFactory)
    indicator = factory.LazyFunction(lambda: indicator("revenue"))
    year = 2026
    month = 1
    value = Decimal("100.0000")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Create the figure around the door, and recount the reports' sums it counts in
        as the door would."""
        figure = super()._create(model_class, *args, **kwargs)
        enterprise = figure.enterprise
        place = (enterprise.park_id, enterprise.industry_id, enterprise.in_statistics)
        key = (enterprise.pk, figure.indicator_id, figure.year, figure.month)
        official_sums_refresh(cells_of_figures([key], {enterprise.pk: place}))
        return figure


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    park = factory.SubFactory(ParkFactory)
    indicator = factory.LazyFunction(lambda: indicator("revenue"))
    year = 2026
    kind = "target"
    value = Decimal("10000")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"XM{n:04d}")
    name = factory.Sequence(lambda n: f"示范项目{n}")
    park = factory.SubFactory(ParkFactory)
    category = "industrial"
    stage = "construction"
    total_investment = Decimal("50000")
    start_date = date(2026, 3, 1)


class ProjectProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectProgress

    project = factory.SubFactory(ProjectFactory)
    year = 2026
    month = 1
    completed_investment = Decimal("1000")
    government_investment = Decimal("0")


class SpecialBondFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpecialBond

    project = factory.SubFactory(ProjectFactory)
    year = 2026
    amount = Decimal("20000")


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lead

    code = factory.Sequence(lambda n: f"ZS{n:04d}")
    name = factory.Sequence(lambda n: f"招商线索{n}")
    channel = "self_led"
    stage = "docked"
    docked_on = date(2026, 3, 1)


class LeadStageChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeadStageChange

    lead = factory.SubFactory(LeadFactory)
    from_stage = ""
    to_stage = "docked"
    changed_on = date(2026, 3, 1)


class OutreachEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutreachEvent

    date = date(2026, 4, 1)
    name = factory.Sequence(lambda n: f"赴北京招商活动{n}")
    kind = "trip"
