"""Brokerage events: sessions cut into meeting slots, registrations, meeting requests and the meetings themselves.

A meeting's place in the agenda is stored twice on purpose: `Meeting.slot/table` for reading, and one
`MeetingSeat` per participant so the database itself refuses to put a person in two meetings of one slot
(unique slot + registration) or two meetings at one table (unique slot + table). Writes go through
`techbridge.events.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core.models import Organisation


class MeetingLength(models.IntegerChoices):
    MIN_15 = 15, _("15 minutes")
    MIN_20 = 20, _("20 minutes")
    MIN_30 = 30, _("30 minutes")


class Event(models.Model):
    """A matchmaking conference, optionally part of a programme activity (the annual report counts both)."""

    name = models.CharField(_("name"), max_length=250)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    organiser_name = models.CharField(_("organised by"), max_length=250, blank=True)
    venue = models.CharField(_("venue"), max_length=250, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.ForeignKey("core.Country", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    online = models.BooleanField(_("online event"), default=False)
    online_url = models.URLField(_("meeting link"), blank=True)
    time_zone = models.CharField(_("time zone"), max_length=60, default="UTC")
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    registration_opens_at = models.DateTimeField(_("registration opens"))
    registration_closes_at = models.DateTimeField(_("registration closes"))
    booking_open = models.BooleanField(_("booking phase open"), default=False,
                                       help_text=_("Participants may request meetings and pick slots."))
    auto_accept = models.BooleanField(_("accept meeting requests automatically"), default=False)
    max_meetings = models.PositiveSmallIntegerField(_("maximum meetings per participant"), null=True, blank=True)
    meeting_minutes = models.PositiveSmallIntegerField(_("meeting length"), choices=MeetingLength.choices,
                                                       default=MeetingLength.MIN_20)
    published = models.BooleanField(_("published"), default=False)
    schedule_published_at = models.DateTimeField(null=True, blank=True)
    activity = models.ForeignKey("programme.Activity", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="brokerage_events", verbose_name=_("programme activity"),
                                 help_text=_("The capacity-building activity this event belongs to, if any."))
    organisers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="organised_events",
                                        verbose_name=_("organisers"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("brokerage event")
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                              name="event_ends_after_start")]

    def __str__(self) -> str:
        return self.name

    @property
    def registration_open(self) -> bool:
        now = timezone.now()
        return self.published and self.registration_opens_at <= now < self.registration_closes_at


class Session(models.Model):
    """A block of back-to-back meetings (a morning, an afternoon) with a number of tables or rooms."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    name = models.CharField(_("name"), max_length=120)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    tables = models.PositiveSmallIntegerField(_("tables or rooms"), default=10)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                              name="session_ends_after_start")]

    def __str__(self) -> str:
        return self.name


class Slot(models.Model):
    """One meeting round; booking locks this row so two bookings of one round happen one after the other."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "starts_at"], name="unique_slot_start")]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class ParticipationType(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participation_types")
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=500, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="unique_participation_type")]

    def __str__(self) -> str:
        return self.name


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="event_registrations")
    participation_type = models.ForeignKey(ParticipationType, null=True, blank=True, on_delete=models.SET_NULL,
                                           related_name="registrations", verbose_name=_("participation type"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    headline = models.CharField(_("headline"), max_length=200, blank=True)
    offers = models.TextField(_("what I offer"), max_length=2000, blank=True)
    needs = models.TextField(_("what I am looking for"), max_length=2000, blank=True)
    profiles = models.ManyToManyField("exchange.Profile", blank=True, related_name="event_registrations",
                                      verbose_name=_("exchange profiles"))
    max_meetings = models.PositiveSmallIntegerField(_("my maximum meetings"), null=True, blank=True)
    rejection_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="unique_event_registration")]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"

    @property
    def display_name(self) -> str:
        return getattr(self.user, "display_name", str(self.user))

    def meeting_cap(self) -> int | None:
        """The tighter of the event's cap and the participant's own."""
        caps = [c for c in (self.event.max_meetings, self.max_meetings) if c is not None]
        return min(caps) if caps else None


class Unavailability(models.Model):
    """A slot a participant has blocked (a talk to give, a flight to catch)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="blocked")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "slot"], name="unique_unavailability")]


class MeetingRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE = (Status.REQUESTED, Status.ACCEPTED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meeting_requests")
    requester = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="sent_requests")
    recipient = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="received_requests")
    message = models.TextField(_("message"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED,
                              db_index=True)
    mutual = models.BooleanField(_("mutual interest"), default=False,
                                 help_text=_("Both sides asked for this meeting; it is scheduled first."))
    boosted = models.BooleanField(_("organiser priority"), default=False)
    response = models.CharField(_("reply"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-mutual", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["requester", "recipient"], name="unique_active_request",
                                    condition=Q(status__in=["requested", "accepted"])),
            models.CheckConstraint(condition=~Q(requester=models.F("recipient")), name="request_not_to_self"),
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.recipient}"

    @property
    def priority(self) -> int:
        """Scheduler weight 1–3: mutual interest and the organiser's flag each count one more."""
        return 1 + int(self.mutual) + int(self.boosted)


class Meeting(models.Model):
    """An accepted request. `slot`/`table` empty = not scheduled yet; `locked` and `published` never move."""

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Not checked in")
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("No-show")

    class Outcome(models.TextChoices):
        NONE = "", _("Not reported")
        NO_INTEREST = "no_interest", _("No interest")
        FURTHER_TALKS = "further_talks", _("Further talks")
        AGREEMENT_SIGNED = "agreement_signed", _("Agreement signed")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    request = models.OneToOneField(MeetingRequest, on_delete=models.CASCADE, related_name="meeting")
    slot = models.ForeignKey(Slot, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings")
    table = models.PositiveSmallIntegerField(null=True, blank=True)
    locked = models.BooleanField(_("locked"), default=False, help_text=_("The scheduler never moves it."))
    published = models.BooleanField(_("published"), default=False)
    attendance = models.CharField(_("attendance"), max_length=10, choices=Attendance.choices, blank=True,
                                  default=Attendance.UNKNOWN)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True,
                               default=Outcome.NONE)
    outcome_notes = models.TextField(_("notes"), max_length=2000, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["slot__starts_at", "table", "id"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "table"], name="unique_meeting_table"),
            models.CheckConstraint(condition=Q(slot__isnull=True, table__isnull=True)
                                   | Q(slot__isnull=False, table__gte=1), name="meeting_slot_with_table"),
        ]

    def __str__(self) -> str:
        return f"{self.request.requester} – {self.request.recipient}"

    @property
    def scheduled(self) -> bool:
        return self.slot_id is not None

    @property
    def fixed(self) -> bool:
        """Published or locked meetings are promises to participants: the scheduler keeps them in place."""
        return self.scheduled and (self.locked or self.published)


class MeetingSeat(models.Model):
    """One participant's seat in a scheduled meeting: the database refuses a second meeting in one slot."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="seats")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="seats")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="seats")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["slot", "registration"], name="unique_seat_per_slot")]


class ScheduleRun(models.Model):
    """One "Schedule all" (or re-run): who, when, and the report shown on the organiser's page."""

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="schedule_runs")
    mode = models.CharField(max_length=10, default="all")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    job_id = models.UUIDField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.RUNNING)
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
