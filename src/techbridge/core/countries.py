"""The one country resolver used by every import, form and API.

Why one resolver: participants, partners and contributions arrive from
spreadsheets typed by people across the region ("Lao PDR", "Viet Nam",
"Iran", "Hong Kong SAR", "the Philippines"). If each import matched names its
own way, the same country would be counted twice in reports. Everything is
stored as ISO 3166-1 alpha-2 and displayed with the UN/ESCAP short name.

The lookup table is built once (cached) from pycountry's names, the UN/ESCAP
names and a list of common aliases, after normalising case, accents,
punctuation, "St."/"Saint", "&"/"and" and a leading "the". Names that could
mean more than one country ("Korea", "Congo") are refused rather than guessed.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import cache, lru_cache

import pycountry
from django.utils.translation import gettext

from techbridge.core.reference import countries as reference

__all__ = ["UnknownCountry", "country_choices", "country_name", "normalise_country_text", "resolve_country"]


class UnknownCountry(ValueError):
    """Raised when a text does not name exactly one country."""


# Names people type that neither ISO nor the UN uses. Keys are written
# readably; they are normalised when the table is built.
ALIASES: dict[str, tuple[str, ...]] = {
    "AE": ("UAE", "Emirates"),
    "BA": ("Bosnia",),
    "BN": ("Brunei",),
    "CD": (
        "DR Congo",
        "DRC",
        "D.R. Congo",
        "Democratic Republic of Congo",
        "Congo-Kinshasa",
        "Congo (Kinshasa)",
        "Congo, Dem. Rep.",
    ),
    "CG": ("Republic of Congo", "Congo-Brazzaville", "Congo (Brazzaville)", "Congo, Rep."),
    "CI": ("Ivory Coast",),
    "CN": ("PRC", "P.R. China", "China, People's Republic of", "Mainland China"),
    "CV": ("Cape Verde",),
    "CZ": ("Czech Republic",),
    "FJ": ("Fiji Islands",),
    "FM": ("Micronesia", "Micronesia, Fed. Sts."),
    "GB": ("UK", "U.K.", "United Kingdom", "Great Britain", "Britain"),
    "HK": (
        "Hong Kong SAR",
        "Hong Kong SAR, China",
        "Hong Kong, SAR China",
        "Hong Kong (China)",
        "Hong Kong Special Administrative Region of China",
        "HKSAR",
        "Hongkong",
    ),
    "IR": ("Iran", "I.R. Iran", "IR Iran", "Islamic Rep. of Iran", "Iran, Islamic Rep."),
    "KP": (
        "North Korea",
        "DPRK",
        "DPR Korea",
        "Korea DPR",
        "Korea, Dem. People's Rep.",
        "Korea, North",
        "Korea (Democratic People's Republic of)",
    ),
    "KR": (
        "South Korea",
        "ROK",
        "Korea, Rep.",
        "Korea Rep",
        "Korea, South",
        "Korea (Republic of)",
        "Rep. of Korea",
    ),
    "LA": ("Lao PDR", "Laos", "Lao", "Lao P.D.R."),
    "MD": ("Moldova",),
    "MK": ("Macedonia", "FYROM", "Republic of North Macedonia"),
    "MM": ("Burma",),
    "MO": (
        "Macao",
        "Macau",
        "Macau, China",
        "Macao SAR",
        "Macau SAR",
        "Macao SAR, China",
        "Macao (China)",
        "Macao Special Administrative Region of China",
    ),
    "NL": ("Netherlands", "Holland"),
    "PG": ("PNG",),
    "PS": ("Palestine",),
    "RU": ("Russia",),
    "SA": ("KSA",),
    "SY": ("Syria",),
    "SZ": ("Swaziland",),
    "TL": ("East Timor",),
    "TR": ("Turkey", "Turkiye", "Republic of Turkey"),
    "TW": ("Chinese Taipei", "Taiwan, China"),
    "TZ": ("Tanzania",),
    "US": ("USA", "U.S.A.", "U.S.", "United States", "America"),
    "VA": ("Vatican", "Vatican City"),
    "VE": ("Venezuela",),
    "VN": ("Vietnam", "Viet-Nam"),
}

# Normalised texts that name more than one country; refused with a hint.
AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "korea": ("KP", "KR"),
    "congo": ("CD", "CG"),
    "virgin islands": ("VG", "VI"),
}

_PUNCTUATION = re.compile(r"[^\w\s]|_")
_SPACES = re.compile(r"\s+")


def normalise_country_text(text: str) -> str:
    """Reduce a typed country name to a lookup key.

    Why: spreadsheets differ in case, accents, apostrophes and dots
    ("Côte d’Ivoire", "U.S.A.", "St. Lucia", "The Gambia"); matching on this
    key lets one table serve all of them.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = plain.replace("&", " and ")
    # Dots and apostrophes join ("U.S.A." -> "usa", "People's" -> "peoples");
    # other punctuation separates words ("Timor-Leste" -> "timor leste").
    plain = re.sub(r"[.'\u2019\u2018`\u00b4]", "", plain)
    plain = _SPACES.sub(" ", _PUNCTUATION.sub(" ", plain)).strip()
    words = plain.split(" ")
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    words = ["saint" if word == "st" else word for word in words]
    return " ".join(words)


def _derived_forms(name: str) -> list[str]:
    """Variants of an official name: without its parenthesis, and comma-inverted."""
    forms: list[str] = []
    if "(" in name and ")" in name:
        base = re.sub(r"\s*\([^)]*\)", "", name).strip()
        inner = name[name.index("(") + 1 : name.index(")")].strip()
        forms += [base, f"{inner} {base}"]
    if "," in name:
        head, tail = (part.strip() for part in name.split(",", 1))
        forms += [head, f"{tail} {head}"]
    return forms


@cache
def _lookup() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Build (key -> iso2, key -> ambiguous codes) once per process."""
    primary: dict[str, set[str]] = {}
    derived: dict[str, set[str]] = {}

    def add(table: dict[str, set[str]], text: str, iso2: str) -> None:
        key = normalise_country_text(text)
        if key:
            table.setdefault(key, set()).add(iso2)

    for entry in pycountry.countries:
        iso2 = entry.alpha_2
        names = [entry.name, reference.get(iso2).name]
        for attr in ("official_name", "common_name"):
            if getattr(entry, attr, None):
                names.append(getattr(entry, attr))
        for text in [entry.alpha_2, entry.alpha_3, *names, *ALIASES.get(iso2, ())]:
            add(primary, text, iso2)
        for name in names:
            for form in _derived_forms(name):
                add(derived, form, iso2)

    resolved: dict[str, str] = {}
    ambiguous: dict[str, tuple[str, ...]] = {}
    for key, codes in derived.items():
        if key not in primary:
            primary[key] = codes
    for key, codes in primary.items():
        if len(codes) == 1:
            resolved[key] = next(iter(codes))
        else:
            ambiguous[key] = tuple(sorted(codes))
    for key, codes in AMBIGUOUS.items():
        resolved.pop(key, None)
        ambiguous[key] = codes
    return resolved, ambiguous


@lru_cache(maxsize=2048)
def _suggestions(key: str) -> tuple[str, ...]:
    """Display names of countries whose keys are close to ``key`` (typos)."""
    if len(key) < 3:
        return ()
    resolved, _ambiguous = _lookup()
    candidates = [candidate for candidate in resolved if len(candidate) > 3]
    close = difflib.get_close_matches(key, candidates, n=6, cutoff=0.75)
    names: list[str] = []
    for candidate in close:
        name = country_name(resolved[candidate])
        if name not in names:
            names.append(name)
    return tuple(names[:3])


def resolve_country(text: str) -> str:
    """Return the ISO alpha-2 code named by ``text``; raise UnknownCountry otherwise.

    Accepts alpha-2/alpha-3 codes in any case, ISO, official, UN/ESCAP and
    common names. Ambiguous names are refused, never guessed, because a wrong
    country silently corrupts regional statistics.
    """
    raw = "" if text is None else str(text)
    key = normalise_country_text(raw)
    if not key:
        raise UnknownCountry(gettext("no country given"))
    resolved, ambiguous = _lookup()
    code = resolved.get(key)
    if code is not None:
        return code
    if key in ambiguous:
        options = ", ".join(f"{country_name(iso2)} ({iso2})" for iso2 in ambiguous[key])
        raise UnknownCountry(
            gettext("ambiguous country '%(text)s': could be %(options)s; use the full name or ISO code")
            % {"text": raw.strip(), "options": options}
        )
    suggestions = _suggestions(key)
    if suggestions:
        hint = " or ".join(f"'{name}'" for name in suggestions)
        raise UnknownCountry(
            gettext("unknown country '%(text)s' (did you mean %(hint)s?)")
            % {"text": raw.strip(), "hint": hint}
        )
    raise UnknownCountry(gettext("unknown country '%(text)s'") % {"text": raw.strip()})


def country_name(iso2: str) -> str:
    """UN/ESCAP display name for an ISO alpha-2 code (KeyError if unknown)."""
    return reference.get(iso2).name


@cache
def _choices(escap_only: bool) -> tuple[tuple[str, str], ...]:
    records = [record for record in reference.all_countries() if not escap_only or record.escap_status]
    records.sort(key=lambda record: normalise_country_text(record.name))
    return tuple((record.iso2, record.name) for record in records)


def country_choices(*, escap_only: bool = False) -> list[tuple[str, str]]:
    """(iso2, display name) pairs sorted by display name, ignoring accents.

    ``escap_only`` keeps ESCAP members and associate members, for forms that
    only concern the region.
    """
    return list(_choices(escap_only))
