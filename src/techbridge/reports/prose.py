"""Plain, correct English for the generated report: lists, counts, date ranges and activity paragraphs.

Why a module of its own: the report is sent to member States under the Centre's name, so "1 participants" or
"Bhutan, India, and, Nepal" would be visible mistakes. Every sentence the report generates is built from these
few functions, which are tested one by one (tests/reports/test_prose.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

EN_DASH = "\u2013"

#: The noun a paragraph uses for an activity of each type ("The workshop brought together …").
TYPE_NOUNS = {
    "workshop": ("workshop", "workshops"),
    "conference": ("conference", "conferences"),
    "training": ("training", "trainings"),
    "study_mission": ("study mission", "study missions"),
    "matchmaking": ("matchmaking event", "matchmaking events"),
    "consultation": ("consultation", "consultations"),
    "delegation_visit": ("delegation visit", "delegation visits"),
    "webinar": ("webinar", "webinars"),
    "exhibition": ("exhibition", "exhibitions"),
}

#: Irregular plurals the report uses; everything else takes "s" (or "ies" after a consonant + y).
IRREGULAR = {"person": "persons", "country": "countries", "activity": "activities", "study mission": "study missions"}


def join_and(items: Iterable[str], *, conjunction: str = "and") -> str:
    """"a", "a and b", "a, b and c": the house style of the report (no serial comma)."""
    words = [str(item) for item in items if str(item)]
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def plural(word: str) -> str:
    """The plural of a (possibly multi-word) noun: the last word changes ("partner institution" → "…s")."""
    if word in IRREGULAR:
        return IRREGULAR[word]
    head, _space, last = word.rpartition(" ")
    if last in IRREGULAR:
        last = IRREGULAR[last]
    elif last.endswith("y") and len(last) > 1 and last[-2] not in "aeiou":
        last = last[:-1] + "ies"
    elif last.endswith(("s", "x", "z", "ch", "sh")):
        last = last + "es"
    else:
        last = last + "s"
    return f"{head} {last}" if head else last


def number(value: int | float) -> str:
    """1587 → "1,587"; whole floats lose their ".0"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}"


def count(n: int, singular: str, plural_form: str | None = None) -> str:
    """"1 participant", "2 participants", "1,587 subscribers": the number and the right form of the noun."""
    noun = singular if n == 1 else (plural_form or plural(singular))
    return f"{number(n)} {noun}"


def usd(amount: float | int) -> str:
    """US$182,496 (cents only when there are any)."""
    value = float(amount)
    text = f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    return f"US${text}"


def day_month_year(day: dt.date) -> str:
    """27 January 2019 (no leading zero, English month names whatever the server locale)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def date_range(start: dt.date, end: dt.date | None = None) -> str:
    """"27 January 2019", "18–20 June 2019", "30 May – 2 June 2019", "30 December 2019 – 2 January 2020"."""
    if end is None or end == start:
        return day_month_year(start)
    if end < start:
        start, end = end, start
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}{EN_DASH}{end.day} {MONTHS[end.month - 1]} {end.year}"
    if start.year == end.year:
        return f"{start.day} {MONTHS[start.month - 1]} {EN_DASH} {day_month_year(end)}"
    return f"{day_month_year(start)} {EN_DASH} {day_month_year(end)}"


def type_noun(activity_type: str, *, many: bool = False) -> str:
    singular, plural_form = TYPE_NOUNS.get(activity_type, ("activity", "activities"))
    return plural_form if many else singular


@dataclass(frozen=True)
class ActivityFacts:
    """What a paragraph says about one activity (built by reports.content from the programme's tables)."""

    title: str
    type: str
    start: dt.date
    end: dt.date
    city: str
    country: str  # display name, "" when none
    online: bool
    centre_role: str
    partners: Sequence[str]
    participants: int
    participant_countries: Sequence[str]  # display names


def _where_when(facts: ActivityFacts) -> str:
    dates = date_range(facts.start, facts.end)
    if facts.online:
        return _("online on %(dates)s") % {"dates": dates}
    place = ", ".join(part for part in (facts.city, facts.country) if part)
    if place:
        return _("in %(place)s on %(dates)s") % {"place": place, "dates": dates}
    return _("on %(dates)s") % {"dates": dates}


def activity_paragraph(facts: ActivityFacts) -> str:
    """Two sentences: what the Centre did, where, when and with whom; then whom the activity reached."""
    where_when = _where_when(facts)
    partners = join_and(facts.partners)
    values = {"title": with_article(facts.title), "where_when": where_when, "partners": partners}
    role = facts.centre_role
    if role == "co_organised":
        first = (_("The Centre jointly organised %(title)s with %(partners)s %(where_when)s.") if partners
                 else _("The Centre jointly organised %(title)s %(where_when)s."))
    elif role == "supported":
        first = (_("The Centre supported %(title)s, organised by %(partners)s, %(where_when)s.") if partners
                 else _("The Centre supported %(title)s %(where_when)s."))
    elif role == "contributed":
        first = (_("The Centre contributed to %(title)s, organised by %(partners)s, %(where_when)s.")
                 if partners else _("The Centre contributed to %(title)s %(where_when)s."))
    else:
        first = (_("The Centre organised %(title)s in partnership with %(partners)s %(where_when)s.")
                 if partners else _("The Centre organised %(title)s %(where_when)s."))
    sentences = [first % values]
    noun = type_noun(facts.type)
    countries = join_and(sorted(facts.participant_countries))
    if facts.participants:
        reached = count(facts.participants, "participant")
        if countries:
            second = _("The %(noun)s brought together %(reached)s from %(countries)s.")
        else:
            second = _("The %(noun)s brought together %(reached)s.")
        sentences.append(second % {"noun": noun, "reached": reached, "countries": countries})
    elif countries:
        sentences.append(_("The %(noun)s brought together participants from %(countries)s.")
                         % {"noun": noun, "countries": countries})
    return " ".join(sentences)


def with_article(title: str) -> str:
    """"the Workshop on …", but a title that already starts with "The" keeps its own article."""
    title = title.strip()
    if title[:4].casefold() == "the ":
        return "the " + title[4:]
    return f"the {title}"
