"""Web forms of the events app. They only shape input; services validate again and write."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core.countries import country_choices
from techbridge.events.models import Event, Meeting, MeetingLength
from techbridge.exchange.models import Profile
from techbridge.exchange.models import Status as ProfileStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def in_zone(value, zone: str):
    """Read a wall-clock datetime typed by the organiser as a time in the event's own time zone."""
    if value is None:
        return None
    return timezone.make_aware(value.replace(tzinfo=None), zoneinfo.ZoneInfo(zone))


class EventForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=250)
    description = forms.CharField(label=_("Description"), max_length=4000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    organiser_name = forms.CharField(label=_("Organised by"), max_length=250, required=False)
    venue = forms.CharField(label=_("Venue"), max_length=250, required=False)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    online = forms.BooleanField(label=_("Online event"), required=False)
    online_url = forms.URLField(label=_("Meeting link"), required=False, assume_scheme="https")
    time_zone = forms.CharField(label=_("Time zone"), max_length=60, initial="UTC",
                                help_text=_("For example Asia/Shanghai; agendas show times in this zone."))
    starts_on = forms.DateField(label=_("First day"), widget=DATE)
    ends_on = forms.DateField(label=_("Last day"), widget=DATE)
    registration_opens_at = forms.DateTimeField(label=_("Registration opens"), widget=DATETIME)
    registration_closes_at = forms.DateTimeField(label=_("Registration closes"), widget=DATETIME)
    meeting_minutes = forms.TypedChoiceField(label=_("Meeting length"), coerce=int, choices=MeetingLength.choices,
                                             initial=MeetingLength.MIN_20)
    max_meetings = forms.IntegerField(label=_("Maximum meetings per participant"), min_value=1, max_value=100,
                                      required=False)
    auto_accept = forms.BooleanField(label=_("Accept meeting requests automatically"), required=False)
    published = forms.BooleanField(label=_("Published (visible to everyone)"), required=False)
    activity = forms.TypedChoiceField(label=_("Programme activity"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from techbridge.programme.models import Activity

        self.fields["country"].choices = [("", "—"), *country_choices()]
        activities = Activity.objects.order_by("-start_date").values_list("pk", "code", "title")[:500]
        self.fields["activity"].choices = [("", "—")] + [(pk, f"{code} {title}"[:120]) for pk, code, title in
                                                         activities]

    def service_values(self) -> dict:
        values = dict(self.cleaned_data)
        values["country_id"] = values.pop("country") or None
        values["activity_id"] = values.pop("activity")
        zone = values["time_zone"]
        try:
            zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = "UTC"  # the service reports the unknown zone on its field
        for name in ("registration_opens_at", "registration_closes_at"):
            values[name] = in_zone(values[name], zone)
        return values

    @classmethod
    def initial_from(cls, event: Event) -> dict:
        tz = zoneinfo.ZoneInfo(event.time_zone)
        data = {name: getattr(event, name) for name in cls.base_fields if hasattr(event, name)}
        data["country"] = event.country_id or ""
        data["activity"] = event.activity_id or ""
        for name in ("registration_opens_at", "registration_closes_at"):
            data[name] = timezone.localtime(getattr(event, name), tz).replace(tzinfo=None)
        return data


class SessionForm(forms.Form):
    name = forms.CharField(label=_("Session name"), max_length=120, initial=_("Morning"))
    starts_at = forms.DateTimeField(label=_("Starts (event time)"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends (event time)"), widget=DATETIME)
    tables = forms.IntegerField(label=_("Tables or rooms"), min_value=1, max_value=1000, initial=10)


class ParticipationTypeForm(forms.Form):
    name = forms.CharField(label=_("Participation type"), max_length=120)
    description = forms.CharField(label=_("Description"), max_length=500, required=False)


class RegistrationForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    participation_type = forms.TypedChoiceField(label=_("Participation type"), coerce=int, required=False,
                                                empty_value=None)
    headline = forms.CharField(label=_("Headline"), max_length=200, required=False,
                               help_text=_("One line others see first, e.g. 'Solar dryers for tea estates'."))
    offers = forms.CharField(label=_("What I offer"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 4}))
    needs = forms.CharField(label=_("What I am looking for"), max_length=2000, required=False,
                            widget=forms.Textarea(attrs={"rows": 4}))
    profiles = forms.TypedMultipleChoiceField(label=_("Linked exchange profiles"), coerce=int, required=False)
    max_meetings = forms.IntegerField(label=_("My maximum number of meetings"), min_value=1, max_value=100,
                                      required=False)

    def __init__(self, *args, event: Event, organisations, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        types = list(event.participation_types.all())
        self.fields["participation_type"].choices = [("", "—")] + [(t.pk, t.name) for t in types]
        self.fields["participation_type"].required = bool(types) and not editing
        profiles = Profile.objects.filter(organisation__in=organisations, status=ProfileStatus.PUBLISHED)
        self.fields["profiles"].choices = [(p.pk, f"{p.reference} {p.title}") for p in profiles]
        if editing:
            del self.fields["organisation"]

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {"headline": data["headline"], "offers": data["offers"], "needs": data["needs"],
                "max_meetings": data["max_meetings"], "participation_type_id": data["participation_type"],
                "profile_ids": data["profiles"]}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class RequestForm(forms.Form):
    message = forms.CharField(label=_("Message"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Say what you would like to discuss."))


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[c for c in Meeting.Outcome.choices if c[0]])
    notes = forms.CharField(label=_("Notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MarketplaceFilters(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    type = forms.TypedChoiceField(label=_("Participation type"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        countries = (event.registrations.filter(status="approved")
                     .values_list("organisation__country_id", "organisation__country__name").distinct()
                     .order_by("organisation__country__name"))
        self.fields["country"].choices = [("", _("All"))] + list(countries)
        self.fields["type"].choices = [("", _("All"))] + [(t.pk, t.name) for t in event.participation_types.all()]
