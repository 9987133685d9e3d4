"""factory_boy factories of the events app (re-exported by tests.factories)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import factory
from django.utils import timezone

from techbridge.events.models import Event, MeetingRequest, ParticipationType, Registration, Session, Slot
from tests.factories.base import MemberFactory, OrganisationFactory

__all__ = ["EventFactory", "SessionFactory", "ParticipationTypeFactory", "RegistrationFactory",
           "MeetingRequestFactory", "event_with_slots", "approved_participant"]


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Technology Transfer Matchmaking Conference {n}")
    description = "One-to-one business meetings between technology providers and seekers."
    venue = "Dianchi Convention Centre"
    city = "Kunming"
    country_id = "CN"
    time_zone = "Asia/Shanghai"
    starts_on = date(2030, 6, 13)
    ends_on = date(2030, 6, 14)
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    registration_closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    booking_open = True
    meeting_minutes = 20
    published = True


class SessionFactory(factory.django.DjangoModelFactory):
    """A session with its slots generated, like services.events.add_session does."""

    class Meta:
        model = Session
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    name = "Morning"
    starts_at = datetime(2030, 6, 13, 1, 0, tzinfo=UTC)  # 09:00 in Kunming
    ends_at = datetime(2030, 6, 13, 3, 0, tzinfo=UTC)
    tables = 5

    @factory.post_generation
    def slots(obj, create, extracted, **kwargs):
        if not create:
            return
        from techbridge.events.services.events import slot_times

        Slot.objects.bulk_create([Slot(event=obj.event, session=obj, starts_at=a, ends_at=b) for a, b in
                                  slot_times(starts_at=obj.starts_at, ends_at=obj.ends_at,
                                             minutes=obj.event.meeting_minutes)])


class ParticipationTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParticipationType

    event = factory.SubFactory(EventFactory)
    name = factory.Iterator(["Technology provider", "Technology seeker"])


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.LazyAttribute(lambda o: MemberFactory(organisation=o.organisation))
    status = Registration.Status.APPROVED
    headline = "Solar drying for smallholders"
    offers = "Solar dryers for fruit and spices"
    needs = "Distribution partners for food processing equipment"


class MeetingRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingRequest

    event = factory.SubFactory(EventFactory)
    requester = factory.LazyAttribute(lambda o: RegistrationFactory(event=o.event))
    recipient = factory.LazyAttribute(lambda o: RegistrationFactory(event=o.event))
    message = "Let us talk about a licence."


def event_with_slots(*, tables: int = 5, slots_hours: int = 2, **values) -> Event:
    """A published event in its booking phase with one session of `slots_hours` hours (20-minute slots)."""
    event = EventFactory(**values)
    start = datetime(2030, 6, 13, 1, 0, tzinfo=UTC)
    SessionFactory(event=event, starts_at=start, ends_at=start + timedelta(hours=slots_hours), tables=tables)
    return event


def approved_participant(*, event: Event, user=None, organisation=None, **values) -> Registration:
    """An approved registration; with `user`, it is that user's (using their first organisation)."""
    if user is not None and organisation is None:
        organisation = user.memberships.first().organisation
    organisation = organisation or OrganisationFactory()
    if user is None:
        user = MemberFactory(organisation=organisation)
    return RegistrationFactory(event=event, user=user, organisation=organisation, **values)
