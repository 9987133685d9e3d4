"""Programme figures for a date range: pure read-only queries the annual report and the dashboard call.

Why in one module: the report (issue #7) and the staff dashboard must print the same numbers. Rules, decided
once here:

- An activity belongs to a range when its **start date** is within it (both ends inclusive).
- Participants: an activity with individual records (role participant or resource person) is counted from
  those records; otherwise from its head count (`participants_count`). Never both. Organisers are not
  counted as participants.
- Breakdowns (by country, stakeholder type, gender) can only split individual records; the head counts of
  aggregate-only activities are returned as ``unattributed`` so that ``total`` equals `participant_total`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from techbridge.programme.models import Activity, Expert, Institution, Participant, ParticipantRole, normalise_name

#: Roles counted as participants in every figure.
COUNTED_ROLES = (ParticipantRole.PARTICIPANT.value, ParticipantRole.RESOURCE_PERSON.value)


@dataclass(frozen=True)
class Breakdown:
    """Participants split by some attribute; ``unattributed`` are head counts that cannot be split."""

    counts: dict[str, int] = field(default_factory=dict)
    unattributed: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values()) + self.unattributed


@dataclass(frozen=True)
class ExpertRecord:
    """One resource person or expert, with the activities (codes) they contributed to in the range."""

    name: str
    country_id: str | None
    activities: tuple[str, ...]


def year_range(*, year: int) -> tuple[dt.date, dt.date]:
    """1 January to 31 December of ``year``: the report's usual range."""
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def activities_in(*, start: dt.date, end: dt.date) -> QuerySet:
    """Activities starting within [start, end]."""
    return Activity.objects.filter(start_date__gte=start, start_date__lte=end)


def _ranked(counts: Mapping) -> dict:
    """Counts largest first, ties by key; a None key (no value recorded) is left out."""
    return dict(sorted(((key, n) for key, n in counts.items() if key is not None),
                       key=lambda item: (-item[1], item[0])))


def _count_by(queryset: QuerySet, field_name: str) -> dict[str, int]:
    # Every caller groups rows of one table (or follows a forward foreign key), so rows are not repeated.
    rows = queryset.order_by().values(field_name).annotate(n=Count("pk")).values_list(field_name, "n")
    return _ranked(dict(rows))


def activities_by_type(*, start: dt.date, end: dt.date) -> dict[str, int]:
    """Number of activities per type code, largest first."""
    return _count_by(activities_in(start=start, end=end), "type")


def activities_by_area(*, start: dt.date, end: dt.date) -> dict[str, int]:
    """Number of activities per programme area code, largest first."""
    return _count_by(activities_in(start=start, end=end), "programme_area")


def activities_by_role(*, start: dt.date, end: dt.date) -> dict[str, int]:
    """Number of activities per role of the centre (organised, co-organised, …), largest first."""
    return _count_by(activities_in(start=start, end=end), "centre_role")


def host_countries(*, start: dt.date, end: dt.date) -> dict[str, int]:
    """Activities per host country (ISO alpha-2), largest first; online activities have no host country."""
    return _count_by(activities_in(start=start, end=end).filter(online=False), "country_id")


def online_activities(*, start: dt.date, end: dt.date) -> int:
    """How many activities in the range were held online."""
    return activities_in(start=start, end=end).filter(online=True).count()


def _counted_participants(*, start: dt.date, end: dt.date) -> QuerySet:
    # Any activity with a counted record is, by definition, counted from its records.
    return Participant.objects.filter(activity__start_date__gte=start, activity__start_date__lte=end,
                                      role__in=COUNTED_ROLES)


def records_per_activity(*, start: dt.date, end: dt.date) -> dict[int, int]:
    """Counted individual records per activity id; activities counted from head counts are absent.

    One query answered from the participant index alone, cheaper than annotating activities through a join.
    """
    rows = (_counted_participants(start=start, end=end).order_by().values("activity_id")
            .annotate(n=Count("pk")).values_list("activity_id", "n"))
    return dict(rows)


def _sources(*, start: dt.date, end: dt.date) -> tuple[list[int], dict[int, int]]:
    """Ids of activities counted from individual records, and head counts of the others (id -> count)."""
    records = records_per_activity(start=start, end=end)
    rows = list(activities_in(start=start, end=end).order_by().values_list("id", "participants_count"))
    individual = [pk for pk, _count in rows if pk in records]
    aggregate = {pk: count or 0 for pk, count in rows if pk not in records}
    return individual, aggregate


def participant_total(*, start: dt.date, end: dt.date) -> int:
    """Participants reached: individual records where an activity has them, else its head count."""
    _individual, aggregate = _sources(start=start, end=end)
    return _counted_participants(start=start, end=end).count() + sum(aggregate.values())


def _breakdown(*, start: dt.date, end: dt.date, field_name: str) -> Breakdown:
    _individual, aggregate = _sources(start=start, end=end)
    counts = _count_by(_counted_participants(start=start, end=end), field_name)
    return Breakdown(counts=counts, unattributed=sum(aggregate.values()))


def participants_by_country(*, start: dt.date, end: dt.date) -> Breakdown:
    """Individual participants per country (ISO alpha-2); head counts of other activities as unattributed."""
    return _breakdown(start=start, end=end, field_name="country_id")


def participants_by_stakeholder(*, start: dt.date, end: dt.date) -> Breakdown:
    """Individual participants per stakeholder type code; head counts as unattributed."""
    return _breakdown(start=start, end=end, field_name="stakeholder_type")


def participants_by_gender(*, start: dt.date, end: dt.date) -> Breakdown:
    """Individual participants per gender code; head counts as unattributed."""
    return _breakdown(start=start, end=end, field_name="gender")


def listed_countries(*, activity_ids) -> list[tuple[int, str]]:
    """(activity id, country) pairs of the participant-country lists of head-count activities."""
    through = Activity.participant_countries.through
    return list(through.objects.filter(activity_id__in=list(activity_ids)).values_list("activity_id", "country_id"))


def participant_countries(*, start: dt.date, end: dt.date) -> list[str]:
    """Countries participants came from (ISO alpha-2, sorted): from records, else the activity's country list."""
    _individual, aggregate = _sources(start=start, end=end)
    # No ordering: the model's default one would make DISTINCT keep a row per participant.
    found = set(_counted_participants(start=start, end=end).order_by().values_list("country_id", flat=True)
                .distinct())
    found.update(country for _pk, country in listed_countries(activity_ids=aggregate))
    return sorted(found)


def partner_institutions(*, start: dt.date, end: dt.date) -> QuerySet:
    """Distinct partner institutions of the activities in the range, by name."""
    ids = Activity.partners.through.objects.filter(
        activity__start_date__gte=start, activity__start_date__lte=end).values("institution_id")
    return Institution.objects.filter(pk__in=ids).select_related("country").order_by("name")


def _merge_experts(links, people) -> list[ExpertRecord]:
    """(name, country, activity code) triples from both sources, one record per person."""
    merged: dict[tuple[str, str | None], tuple[str, set[str]]] = {}
    for name, country, code in [*links, *people]:
        _display, codes = merged.setdefault((normalise_name(name), country), (name, set()))
        codes.add(code)
    records = [ExpertRecord(name=display, country_id=country, activities=tuple(sorted(codes)))
               for (_key, country), (display, codes) in merged.items()]
    return sorted(records, key=lambda record: (normalise_name(record.name), record.country_id or ""))


_EXPERT_LINK = ("expert__name", "expert__country_id", "activity__code")
_PERSON = ("name", "country_id", "activity__code")


def experts(*, start: dt.date, end: dt.date) -> list[ExpertRecord]:
    """Resource persons and experts: expert records plus participants with the resource-person role.

    The same person (name ignoring case and spacing, and country) appears once, with all their activities.
    """
    links = Expert.activities.through.objects.filter(activity__start_date__gte=start,
                                                     activity__start_date__lte=end).values_list(*_EXPERT_LINK)
    people = _counted_participants(start=start, end=end).filter(role=ParticipantRole.RESOURCE_PERSON)
    return _merge_experts(links, people.values_list(*_PERSON))


def experts_of_activity(*, activity: Activity) -> list[ExpertRecord]:
    """The resource persons and experts of one activity, merged as in :func:`experts`."""
    links = Expert.activities.through.objects.filter(activity=activity).values_list(*_EXPERT_LINK)
    people = activity.participants.filter(role=ParticipantRole.RESOURCE_PERSON).values_list(*_PERSON)
    return _merge_experts(links, people)


def _countries_of(records: list[ExpertRecord]) -> dict[str, int]:
    return _ranked(Counter(record.country_id for record in records if record.country_id))


def expert_countries(*, start: dt.date, end: dt.date) -> dict[str, int]:
    """Experts per country (ISO alpha-2), largest first; experts without a country are left out."""
    return _countries_of(experts(start=start, end=end))


def summary(*, start: dt.date, end: dt.date) -> dict:
    """Every figure above in one JSON-safe dict (the API and the report's data appendix use it).

    Seven queries whatever the number of activities, each read once and shared by the figures that need it
    (the functions above, called one by one, each run their own): the activities' columns, counted records
    per activity, records per (country, stakeholder type, gender), the country lists of head-count
    activities, partner names, and the two sources of experts.
    """
    activities = list(activities_in(start=start, end=end).order_by().values_list(
        "id", "type", "programme_area", "centre_role", "online", "country_id", "participants_count"))
    records = records_per_activity(start=start, end=end)
    aggregate = {pk: heads or 0 for pk, *_columns, heads in activities if pk not in records}
    by_country: Counter = Counter()
    by_stakeholder: Counter = Counter()
    by_gender: Counter = Counter()
    groups = (_counted_participants(start=start, end=end).order_by()
              .values("country_id", "stakeholder_type", "gender").annotate(n=Count("pk"))
              .values_list("country_id", "stakeholder_type", "gender", "n"))
    for country, stakeholder, gender, n in groups:
        by_country[country] += n
        by_stakeholder[stakeholder] += n
        by_gender[gender] += n
    countries = set(by_country)
    countries.update(country for _pk, country in listed_countries(activity_ids=aggregate))
    unattributed = sum(aggregate.values())
    expert_records = experts(start=start, end=end)
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "activities": len(activities),
        "activities_by_type": _ranked(Counter(row[1] for row in activities)),
        "activities_by_area": _ranked(Counter(row[2] for row in activities)),
        "activities_by_role": _ranked(Counter(row[3] for row in activities)),
        "host_countries": _ranked(Counter(row[5] for row in activities if not row[4])),
        "online_activities": sum(1 for row in activities if row[4]),
        "participants": sum(by_country.values()) + unattributed,
        "participants_by_country": _ranked(by_country),
        "participants_by_stakeholder": _ranked(by_stakeholder),
        "participants_by_gender": _ranked(by_gender),
        "participants_unattributed": unattributed,
        "participant_countries": sorted(countries),
        "partner_institutions": list(partner_institutions(start=start, end=end).values_list("name", flat=True)),
        "experts": len(expert_records),
        "expert_countries": _countries_of(expert_records),
    }
