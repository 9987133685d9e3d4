"""The single country resolver: codes, ISO/UN/common names, ambiguity, suggestions, choices."""

import pytest

from techbridge.core.countries import (
    AMBIGUOUS,
    UnknownCountry,
    country_choices,
    country_name,
    normalise_country_text,
    resolve_country,
)
from techbridge.core.reference import countries as reference


@pytest.mark.parametrize(
    ("text", "iso2"),
    [
        ("Iran (Islamic Republic of)", "IR"),
        ("Islamic Republic of Iran", "IR"),
        ("Iran", "IR"),
        ("Iran, Islamic Republic of", "IR"),
        ("Republic of Korea", "KR"),
        ("South Korea", "KR"),
        ("Korea, Republic of", "KR"),
        ("Democratic People's Republic of Korea", "KP"),
        ("DPRK", "KP"),
        ("North Korea", "KP"),
        ("Lao PDR", "LA"),
        ("Lao People's Democratic Republic", "LA"),
        ("Laos", "LA"),
        ("Viet Nam", "VN"),
        ("Vietnam", "VN"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Turkiye", "TR"),
        ("Macao, China", "MO"),
        ("Macau", "MO"),
        ("Macao SAR", "MO"),
        ("Hong Kong, China", "HK"),
        ("Hong Kong SAR", "HK"),
        ("Hong Kong", "HK"),
        ("Fiji Islands", "FJ"),
        ("Fiji", "FJ"),
        ("Timor Leste", "TL"),
        ("Timor-Leste", "TL"),
        ("the Philippines", "PH"),
        ("The Philippines", "PH"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("United States", "US"),
        ("United States of America", "US"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("United Kingdom of Great Britain and Northern Ireland", "GB"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("Micronesia (Federated States of)", "FM"),
        ("Federated States of Micronesia", "FM"),
        ("Czech Republic", "CZ"),
        ("Bolivia (Plurinational State of)", "BO"),
        ("Bolivia", "BO"),
        ("Venezuela", "VE"),
        ("Tanzania", "TZ"),
        ("Syria", "SY"),
        ("Moldova", "MD"),
        ("Netherlands", "NL"),
        ("Brunei", "BN"),
        ("Brunei Darussalam", "BN"),
        ("DR Congo", "CD"),
        ("Democratic Republic of the Congo", "CD"),
        ("Republic of the Congo", "CG"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d’Ivoire", "CI"),
        ("St. Lucia", "LC"),
        ("Saint Lucia", "LC"),
        ("Trinidad & Tobago", "TT"),
        ("British Virgin Islands", "VG"),
    ],
)
def test_resolve_country_accepts_names_people_type(text, iso2):
    assert resolve_country(text) == iso2


@pytest.mark.parametrize(
    ("text", "iso2"), [("vn", "VN"), ("VN", "VN"), ("vnm", "VN"), ("IRN", "IR"), ("kor", "KR")]
)
def test_resolve_country_accepts_codes_in_any_case(text, iso2):
    assert resolve_country(text) == iso2


def test_resolve_country_ignores_case_accents_and_spaces():
    assert resolve_country("  VIET   nam ") == "VN"
    assert resolve_country("TÜRKIYE") == "TR"
    assert resolve_country("lao  p.d.r.") == "LA"


def test_resolve_country_round_trips_every_record():
    for record in reference.all_countries():
        assert resolve_country(record.iso2) == record.iso2
        assert resolve_country(record.iso3) == record.iso2
        assert resolve_country(record.official_name) == record.iso2, record
        if normalise_country_text(record.name) not in AMBIGUOUS:
            assert resolve_country(record.name) == record.iso2, record


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Korea", ("KP", "KR")),
        ("korea", ("KP", "KR")),
        ("Congo", ("CD", "CG")),
        ("Virgin Islands", ("VG", "VI")),
    ],
)
def test_resolve_country_refuses_ambiguous_names(text, codes):
    with pytest.raises(UnknownCountry) as caught:
        resolve_country(text)
    message = str(caught.value)
    assert "ambiguous" in message
    assert f"'{text}'" in message
    assert all(f"({code})" in message for code in codes)


def test_resolve_country_suggests_close_names():
    with pytest.raises(UnknownCountry, match=r"unknown country 'Viet Nan' \(did you mean 'Viet Nam'\?\)"):
        resolve_country("Viet Nan")
    with pytest.raises(UnknownCountry, match="did you mean 'Thailand'"):
        resolve_country("Thailnd")


def test_resolve_country_unknown_without_suggestion_names_the_input():
    with pytest.raises(UnknownCountry) as caught:
        resolve_country("Atlantis")
    assert str(caught.value) == "unknown country 'Atlantis'"
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("text", ["", "   ", "--", None])
def test_resolve_country_refuses_empty_input(text):
    with pytest.raises(UnknownCountry, match="no country given"):
        resolve_country(text)


def test_resolve_country_refuses_partial_and_unknown_codes():
    for text in ("XX", "ZZZ", "Asia", "Republic"):
        with pytest.raises(UnknownCountry):
            resolve_country(text)


def test_country_name_uses_un_escap_names():
    assert country_name("IR") == "Iran (Islamic Republic of)"
    assert country_name("kr") == "Republic of Korea"
    assert country_name("HK") == "Hong Kong, China"
    with pytest.raises(KeyError):
        country_name("XX")


def test_country_choices_sorted_by_name_ignoring_accents():
    choices = country_choices()
    assert len(choices) == 249
    keys = [normalise_country_text(name) for _code, name in choices]
    assert keys == sorted(keys)
    codes = [code for code, _name in choices]
    assert codes.index("AX") < codes.index("AL")  # Åland Islands sorts as "Aland"
    assert ("VN", "Viet Nam") in choices


def test_country_choices_escap_only_has_members_and_associates():
    choices = country_choices(escap_only=True)
    assert len(choices) == 62
    codes = {code for code, _name in choices}
    assert {"TH", "FR", "US", "HK", "NU"} <= codes
    assert "DE" not in codes


def test_country_choices_returns_a_fresh_list():
    country_choices().clear()
    assert len(country_choices()) == 249
