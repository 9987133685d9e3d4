"""The report's English: lists, plurals, numbers, date ranges and activity paragraphs."""

import datetime as dt

from techbridge.reports.prose import (
    ActivityFacts,
    activity_paragraph,
    count,
    date_range,
    join_and,
    plural,
    usd,
    with_article,
)


def test_join_and_three_items_uses_commas_and_and():
    assert join_and(["a", "b", "c"]) == "a, b and c"


def test_join_and_short_lists():
    assert join_and([]) == ""
    assert join_and(["Bhutan"]) == "Bhutan"
    assert join_and(["Bhutan", "Nepal"]) == "Bhutan and Nepal"
    assert join_and(["a", "", "b"]) == "a and b"


def test_plural_regular_and_irregular_nouns():
    assert plural("participant") == "participants"
    assert plural("country") == "countries"
    assert plural("capacity-building activity") == "capacity-building activities"
    assert plural("partner institution") == "partner institutions"
    assert plural("survey") == "surveys"
    assert plural("business") == "businesses"
    assert plural("person") == "persons"


def test_count_singular_plural_and_thousands():
    assert count(1, "participant") == "1 participant"
    assert count(0, "participant") == "0 participants"
    assert count(2, "country") == "2 countries"
    assert count(1587, "e-subscriber") == "1,587 e-subscribers"
    assert count(3, "expression of interest", "expressions of interest") == "3 expressions of interest"


def test_usd_whole_and_cents():
    assert usd(182496) == "US$182,496"
    assert usd(1000.5) == "US$1,000.50"


def test_date_range_same_month_uses_en_dash():
    assert date_range(dt.date(2019, 6, 18), dt.date(2019, 6, 20)) == "18–20 June 2019"
    assert date_range(dt.date(2019, 10, 30), dt.date(2019, 10, 31)) == "30–31 October 2019"


def test_date_range_single_day_and_across_months_and_years():
    assert date_range(dt.date(2019, 1, 27), dt.date(2019, 1, 27)) == "27 January 2019"
    assert date_range(dt.date(2019, 1, 27)) == "27 January 2019"
    assert date_range(dt.date(2019, 5, 30), dt.date(2019, 6, 2)) == "30 May – 2 June 2019"
    assert date_range(dt.date(2019, 12, 30), dt.date(2020, 1, 2)) == "30 December 2019 – 2 January 2020"


def test_with_article_keeps_an_existing_the():
    assert with_article("Workshop on IP") == "the Workshop on IP"
    assert with_article("The Regional Forum") == "the Regional Forum"


def _facts(**changes):
    values = dict(title="International Workshop on IP Management", type="workshop", start=dt.date(2019, 6, 18),
                  end=dt.date(2019, 6, 20), city="Bangkok", country="Thailand", online=False,
                  centre_role="co_organised", partners=["TISTR", "Ministry of Higher Education"],
                  participants=44, participant_countries=["Viet Nam", "Bhutan", "India"])
    values.update(changes)
    return ActivityFacts(**values)


def test_activity_paragraph_co_organised_full_sentence():
    text = activity_paragraph(_facts())
    assert text == ("The Centre jointly organised the International Workshop on IP Management with TISTR and "
                    "Ministry of Higher Education in Bangkok, Thailand on 18–20 June 2019. The workshop brought "
                    "together 44 participants from Bhutan, India and Viet Nam.")


def test_activity_paragraph_single_participant_online_no_partners():
    text = activity_paragraph(_facts(online=True, partners=[], centre_role="organised", participants=1,
                                     participant_countries=["Nepal"], type="webinar",
                                     end=dt.date(2019, 6, 18)))
    assert text == ("The Centre organised the International Workshop on IP Management online on 18 June 2019. "
                    "The webinar brought together 1 participant from Nepal.")


def test_activity_paragraph_supported_without_participants():
    text = activity_paragraph(_facts(centre_role="supported", partners=["IIM Ahmedabad"], participants=0,
                                     participant_countries=[]))
    assert text == ("The Centre supported the International Workshop on IP Management, organised by IIM Ahmedabad, "
                    "in Bangkok, Thailand on 18–20 June 2019.")

