"""Reference tables: ISO coverage, ESCAP membership, SDGs, ISIC Rev.4, vocabularies."""

import pycountry
import pytest

from techbridge.core.reference import countries, isic, sdgs, vocabularies

ESCAP_MEMBER_NAMES = {
    "AF": "Afghanistan", "AM": "Armenia", "AU": "Australia", "AZ": "Azerbaijan", "BD": "Bangladesh",
    "BT": "Bhutan", "BN": "Brunei Darussalam", "KH": "Cambodia", "CN": "China",
    "KP": "Democratic People's Republic of Korea", "FJ": "Fiji", "FR": "France", "GE": "Georgia",
    "IN": "India", "ID": "Indonesia", "IR": "Iran (Islamic Republic of)", "JP": "Japan",
    "KZ": "Kazakhstan", "KI": "Kiribati", "KG": "Kyrgyzstan", "LA": "Lao People's Democratic Republic",
    "MY": "Malaysia", "MV": "Maldives", "MH": "Marshall Islands", "FM": "Micronesia (Federated States of)",
    "MN": "Mongolia", "MM": "Myanmar", "NR": "Nauru", "NP": "Nepal", "NL": "Netherlands (Kingdom of the)",
    "NZ": "New Zealand", "PK": "Pakistan", "PW": "Palau", "PG": "Papua New Guinea", "PH": "Philippines",
    "KR": "Republic of Korea", "RU": "Russian Federation", "WS": "Samoa", "SG": "Singapore",
    "SB": "Solomon Islands", "LK": "Sri Lanka", "TJ": "Tajikistan", "TH": "Thailand", "TL": "Timor-Leste",
    "TO": "Tonga", "TR": "Türkiye", "TM": "Turkmenistan", "TV": "Tuvalu",
    "GB": "United Kingdom of Great Britain and Northern Ireland", "US": "United States of America",
    "UZ": "Uzbekistan", "VU": "Vanuatu", "VN": "Viet Nam",
}  # fmt: skip
ESCAP_ASSOCIATE_NAMES = {
    "AS": "American Samoa", "CK": "Cook Islands", "PF": "French Polynesia", "GU": "Guam",
    "HK": "Hong Kong, China", "MO": "Macao, China", "NC": "New Caledonia", "NU": "Niue",
    "MP": "Northern Mariana Islands",
}  # fmt: skip


def test_all_countries_covers_every_iso_entry():
    records = countries.all_countries()
    assert len(records) == len(pycountry.countries) == 249
    assert {r.iso2 for r in records} == {c.alpha_2 for c in pycountry.countries}
    assert all(len(r.iso3) == 3 and r.official_name for r in records)


def test_all_countries_is_cached():
    assert countries.all_countries() is countries.all_countries()


def test_escap_members_are_the_53_with_un_names():
    members = {r.iso2: r.name for r in countries.all_countries() if r.escap_status == "member"}
    assert members == ESCAP_MEMBER_NAMES
    assert len(members) == 53


def test_escap_associates_are_the_9_with_un_names():
    associates = {r.iso2: r.name for r in countries.all_countries() if r.escap_status == "associate"}
    assert associates == ESCAP_ASSOCIATE_NAMES


def test_subregions_regional_members_have_one_and_others_none():
    for record in countries.all_countries():
        if record.iso2 in {"FR", "NL", "GB", "US"} or not record.escap_status:
            assert record.subregion == "", record
        else:
            assert record.subregion in countries.SUBREGIONS, record


@pytest.mark.parametrize(
    ("iso2", "subregion"),
    [("CN", "ENEA"), ("MO", "ENEA"), ("RU", "NCA"), ("KZ", "NCA"), ("VN", "SEA"), ("TL", "SEA"),
     ("IR", "SSWA"), ("TR", "SSWA"), ("FJ", "PAC"), ("GU", "PAC"), ("DE", "")],
)  # fmt: skip
def test_subregion_of_selected_countries_matches_escap(iso2, subregion):
    assert countries.get(iso2).subregion == subregion


def test_get_is_case_insensitive_and_rejects_unknown():
    assert countries.get("vn").name == "Viet Nam"
    assert countries.get("IR").official_name == "Islamic Republic of Iran"
    with pytest.raises(KeyError):
        countries.get("XX")


@pytest.mark.parametrize(
    ("iso2", "name"),
    [("BO", "Bolivia (Plurinational State of)"), ("VE", "Venezuela (Bolivarian Republic of)"),
     ("TZ", "United Republic of Tanzania"), ("SY", "Syrian Arab Republic"), ("MD", "Republic of Moldova"),
     ("CZ", "Czechia"), ("CD", "Democratic Republic of the Congo"), ("DE", "Germany")],
)  # fmt: skip
def test_un_names_replace_iso_names(iso2, name):
    assert countries.get(iso2).name == name


def test_sdgs_are_the_17_goals_in_order():
    assert [n for n, _title in sdgs.SDGS] == list(range(1, 18))
    assert sdgs.SDGS[0] == (1, "No poverty")
    assert sdgs.SDGS[8] == (9, "Industry, innovation and infrastructure")
    assert sdgs.SDGS[16] == (17, "Partnerships for the goals")


def test_isic_has_21_sections_and_88_divisions():
    assert [code for code, _title in isic.ISIC_SECTIONS] == [chr(c) for c in range(ord("A"), ord("V"))]
    codes = [code for code, _title, _section in isic.ISIC_DIVISIONS]
    assert len(codes) == len(set(codes)) == 88
    assert codes == sorted(codes)
    assert all(len(code) == 2 and code.isdigit() for code in codes)


def test_isic_divisions_belong_to_the_right_section():
    sections = {code for code, _title in isic.ISIC_SECTIONS}
    by_code = {code: section for code, _title, section in isic.ISIC_DIVISIONS}
    assert set(by_code.values()) == sections
    assert (by_code["01"], by_code["33"], by_code["35"], by_code["62"], by_code["72"], by_code["99"]) == (
        "A", "C", "D", "J", "M", "U",
    )  # fmt: skip
    assert sum(section == "C" for section in by_code.values()) == 24


@pytest.mark.parametrize(
    ("vocabulary", "expected"),
    [
        (
            vocabularies.STAGES,
            {
                "concept",
                "under_development",
                "lab_tested",
                "field_tested",
                "available_for_demonstration",
                "already_on_market",
            },
        ),
        (
            vocabularies.IPR_STATUSES,
            {
                "patent_granted",
                "patent_applied",
                "utility_model",
                "design_rights",
                "copyright",
                "trade_secret",
                "trademark",
                "other",
                "none",
            },
        ),
        (
            vocabularies.PARTNERSHIP_TYPES,
            {
                "commercial_agreement_with_technical_assistance",
                "license_agreement",
                "joint_venture",
                "research_cooperation",
                "technical_cooperation",
                "financial_agreement",
                "manufacturing_agreement",
                "supplier",
            },
        ),
        (
            vocabularies.ORGANISATION_TYPES,
            {
                "sme",
                "large_company",
                "university",
                "rd_institution",
                "government",
                "ngo",
                "association",
                "intermediary",
                "other",
            },
        ),
        (vocabularies.ORGANISATION_SIZES, {"micro", "small", "medium", "large", ""}),
    ],
)
def test_vocabularies_have_the_een_codes_with_labels(vocabulary, expected):
    codes = [code for code, _label in vocabulary]
    assert len(codes) == len(set(codes))
    assert set(codes) == expected
    assert all(str(label) for _code, label in vocabulary)
