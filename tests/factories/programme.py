"""factory_boy factories of the programme app (re-exported by tests.factories)."""

from __future__ import annotations

import datetime as dt

import factory

from techbridge.programme.models import Activity, Expert, Institution, Participant

__all__ = ["ActivityFactory", "ExpertFactory", "InstitutionFactory", "ParticipantFactory"]


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Institute of Technology Transfer {n}")
    country_id = "TH"
    type = "research_institute"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"ACT-{n:04d}")
    title = factory.Sequence(lambda n: f"Regional workshop on technology transfer {n}")
    type = "workshop"
    start_date = dt.date(2019, 6, 18)
    end_date = factory.LazyAttribute(lambda o: o.start_date + dt.timedelta(days=2))
    city = "Bangkok"
    country_id = "TH"
    centre_role = "co_organised"
    programme_area = "technology_transfer"
    participants_count = None


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    name = factory.Sequence(lambda n: f"Expert {n}")
    country_id = "FI"


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    activity = factory.SubFactory(ActivityFactory)
    name = factory.Sequence(lambda n: f"Participant {n}")
    organisation = "Ministry of Science"
    country_id = "BT"
    stakeholder_type = "policy_maker"
    gender = "female"
    role = "participant"
