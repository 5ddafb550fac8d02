"""Factories of the pipeline's records."""

from datetime import date

import factory

from investment.models import FollowUp
from tests.factories import LeadFactory


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    lead = factory.SubFactory(LeadFactory)
    date = date(2026, 3, 5)
    method = "visit"
    content = factory.Sequence(lambda n: f"第{n}次拜访")
