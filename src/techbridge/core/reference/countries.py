"""ISO 3166-1 countries with UN/ESCAP display names, membership and subregions.

Why a module of its own: the centre reports to ESCAP member States, so people
expect the UN spelling ("Viet Nam", "Iran (Islamic Republic of)") while the
data interchange uses ISO codes. pycountry supplies the 249 ISO entries; this
module overlays the UN/ESCAP names and the ESCAP membership table.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pycountry

__all__ = [
    "ESCAP_ASSOCIATE_MEMBERS",
    "ESCAP_MEMBERS",
    "SUBREGIONS",
    "UN_NAMES",
    "CountryRecord",
    "all_countries",
    "get",
]


@dataclass(frozen=True)
class CountryRecord:
    """One ISO 3166-1 country or territory as the platform shows it."""

    iso2: str
    iso3: str
    name: str
    official_name: str
    escap_status: str
    subregion: str


SUBREGIONS: dict[str, str] = {
    "ENEA": "East and North-East Asia",
    "SEA": "South-East Asia",
    "SSWA": "South and South-West Asia",
    "NCA": "North and Central Asia",
    "PAC": "Pacific",
}

# ESCAP's 53 member States -> subregion ("" for the four non-regional members).
ESCAP_MEMBERS: dict[str, str] = {
    # East and North-East Asia
    "CN": "ENEA", "KP": "ENEA", "JP": "ENEA", "MN": "ENEA", "KR": "ENEA",
    # North and Central Asia
    "AM": "NCA", "AZ": "NCA", "GE": "NCA", "KZ": "NCA", "KG": "NCA",
    "RU": "NCA", "TJ": "NCA", "TM": "NCA", "UZ": "NCA",
    # South-East Asia
    "BN": "SEA", "KH": "SEA", "ID": "SEA", "LA": "SEA", "MY": "SEA", "MM": "SEA",
    "PH": "SEA", "SG": "SEA", "TH": "SEA", "TL": "SEA", "VN": "SEA",
    # South and South-West Asia
    "AF": "SSWA", "BD": "SSWA", "BT": "SSWA", "IN": "SSWA", "IR": "SSWA",
    "MV": "SSWA", "NP": "SSWA", "PK": "SSWA", "LK": "SSWA", "TR": "SSWA",
    # Pacific
    "AU": "PAC", "FJ": "PAC", "KI": "PAC", "MH": "PAC", "FM": "PAC", "NR": "PAC",
    "NZ": "PAC", "PW": "PAC", "PG": "PAC", "WS": "PAC", "SB": "PAC", "TO": "PAC",
    "TV": "PAC", "VU": "PAC",
    # Non-regional members
    "FR": "", "NL": "", "GB": "", "US": "",
}  # fmt: skip

# ESCAP's 9 associate members -> subregion.
ESCAP_ASSOCIATE_MEMBERS: dict[str, str] = {
    "HK": "ENEA", "MO": "ENEA",
    "AS": "PAC", "CK": "PAC", "PF": "PAC", "GU": "PAC", "NC": "PAC", "NU": "PAC",
    "MP": "PAC",
}  # fmt: skip

# UN/ESCAP short names where they differ from pycountry's ISO short name.
UN_NAMES: dict[str, str] = {
    "BO": "Bolivia (Plurinational State of)",
    "BQ": "Bonaire, Sint Eustatius and Saba",
    "CD": "Democratic Republic of the Congo",
    "CZ": "Czechia",
    "FK": "Falkland Islands (Malvinas)",
    "FM": "Micronesia (Federated States of)",
    "GB": "United Kingdom of Great Britain and Northern Ireland",
    "HK": "Hong Kong, China",
    "IR": "Iran (Islamic Republic of)",
    "KP": "Democratic People's Republic of Korea",
    "KR": "Republic of Korea",
    "LA": "Lao People's Democratic Republic",
    "MD": "Republic of Moldova",
    "MF": "Saint Martin (French part)",
    "MO": "Macao, China",
    "NL": "Netherlands (Kingdom of the)",
    "PS": "State of Palestine",
    "RU": "Russian Federation",
    "SH": "Saint Helena",
    "SY": "Syrian Arab Republic",
    "TR": "Türkiye",
    "TZ": "United Republic of Tanzania",
    "US": "United States of America",
    "VA": "Holy See",
    "VE": "Venezuela (Bolivarian Republic of)",
    "VG": "British Virgin Islands",
    "VI": "United States Virgin Islands",
    "VN": "Viet Nam",
}


def _status_and_subregion(iso2: str) -> tuple[str, str]:
    if iso2 in ESCAP_MEMBERS:
        return "member", ESCAP_MEMBERS[iso2]
    if iso2 in ESCAP_ASSOCIATE_MEMBERS:
        return "associate", ESCAP_ASSOCIATE_MEMBERS[iso2]
    return "", ""


@cache
def _table() -> dict[str, CountryRecord]:
    records: dict[str, CountryRecord] = {}
    for entry in pycountry.countries:
        iso2 = entry.alpha_2
        status, subregion = _status_and_subregion(iso2)
        records[iso2] = CountryRecord(
            iso2=iso2,
            iso3=entry.alpha_3,
            name=UN_NAMES.get(iso2, entry.name),
            official_name=getattr(entry, "official_name", None) or entry.name,
            escap_status=status,
            subregion=subregion,
        )
    return records


@cache
def all_countries() -> list[CountryRecord]:
    """Every ISO 3166-1 entry with ESCAP names applied, ordered by ISO code.

    Cached: the table is immutable for the life of the process. Callers must
    not mutate the returned list (copy it if you need to sort differently).
    """
    return list(_table().values())


def get(iso2: str) -> CountryRecord:
    """Return the record for an ISO alpha-2 code (case-insensitive); KeyError if unknown."""
    return _table()[iso2.strip().upper()]
