"""Demo programme: the ten capacity-building activities of 2019 from the centre's annual report.

Source: the 2019 annual report of the Asian and Pacific Centre for Transfer of Technology (section 2 and
paragraph (iii): "10 demand-driven capacity building activities organized in 6 member countries … in close
collaboration with 11 partner institutions", about 550 participants). Dates, places, the centre's role, head
counts, participant countries and partners are the report's; SDG tags and the resource persons' labels are
demo assumptions (the report names countries, not people). The activities go in through the real import
service (a CSV built here), so `techbridge demo` exercises the same path as staff do. Idempotent.
"""

from __future__ import annotations

import csv
import io

from techbridge.core.permissions import Actor
from techbridge.programme.models import Activity
from techbridge.programme.services import ACTIVITY_COLUMNS, add_expert, import_activities, save_institution
from techbridge.programme.services import update_activity as set_details

#: The 11 partner institutions: (name, country, type).
PARTNERS = [
    ("Indian Institute of Management Ahmedabad", "IN", "university"),
    ("Ministry of Higher Education, Science, Research and Innovation", "TH", "ministry"),
    ("Thailand Institute of Scientific and Technological Research", "TH", "research_institute"),
    ("V.V. Giri National Labour Institute", "IN", "research_institute"),
    ("Ministry of Innovative Development of the Republic of Uzbekistan", "UZ", "ministry"),
    ("Ministry of Energy, Science, Technology, Environment and Climate Change", "MY", "ministry"),
    ("Department of Cottage and Small Industry, Ministry of Economic Affairs", "BT", "ministry"),
    ("Ministry of Science and Technology of China", "CN", "ministry"),
    ("People's Government of Yunnan Province", "CN", "ministry"),
    ("Human Resource Development Centre, CSIR", "IN", "research_institute"),
    ("Royal Monetary Authority of Bhutan", "BT", "ministry"),
]

# code, title, type, start, end, city, country, role, area, partners, participants, participant countries, sdgs
ACTIVITIES = [
    ("APCTT-2019-01", "Workshop on policies to support Grassroots Innovation", "workshop", "2019-01-27",
     "2019-01-27", "Ahmedabad", "India", "supported", "national_innovation_systems",
     "Indian Institute of Management Ahmedabad", "42",
     "Bangladesh; Cambodia; India; Indonesia; Malaysia; Mali; Myanmar; Nepal; Philippines; Samoa; Sri Lanka; "
     "Timor Leste; United Kingdom", "9; 17"),
    ("APCTT-2019-02", "International Workshop on Intellectual Property Management and Technology Licensing",
     "workshop", "2019-06-18", "2019-06-20", "Bangkok", "Thailand", "co_organised", "national_innovation_systems",
     "Ministry of Higher Education, Science, Research and Innovation; "
     "Thailand Institute of Scientific and Technological Research", "44",
     "Bangladesh; Bhutan; Cambodia; India; Islamic Republic of Iran; Lao People's Democratic Republic; Myanmar; "
     "Republic of Korea; Thailand; Viet Nam", "9; 17"),
    ("APCTT-2019-03", "Training workshop on Skill, Technology and Future of Work", "training", "2019-07-08",
     "2019-07-12", "Noida", "India", "supported", "national_innovation_systems",
     "V.V. Giri National Labour Institute", "20", "India", "8; 9"),
    ("APCTT-2019-04", "International Training Programme on Skill Development and Employment Generation",
     "training", "2019-09-20", "2019-09-20", "Noida", "India", "contributed", "national_innovation_systems",
     "V.V. Giri National Labour Institute", "25",
     "Botswana; Ethiopia; Egypt; Morocco; Niger; Nigeria; Philippines; Senegal; South Africa; South Sudan; "
     "Thailand; Sri Lanka; Iraq; Tanzania; Uzbekistan; Zimbabwe", "4; 8; 17"),
    ("APCTT-2019-05", "Regional Workshop on Innovation and Technology Transfer: Role of Intellectual Property",
     "workshop", "2019-10-30", "2019-10-31", "Tashkent", "Uzbekistan", "co_organised",
     "national_innovation_systems", "Ministry of Innovative Development of the Republic of Uzbekistan", "80",
     "India; Israel; Kazakhstan; Philippines; Malaysia; Uzbekistan", "9; 17"),
    ("APCTT-2019-06", "International Conference on Emerging Technologies for Achieving Sustainable Development "
     "Goals", "conference", "2019-11-05", "2019-11-05", "Kuala Lumpur", "Malaysia", "co_organised",
     "emerging_technologies",
     "Ministry of Energy, Science, Technology, Environment and Climate Change", "118",
     "Bangladesh; China; India; Indonesia; Islamic Republic of Iran; Japan; Malaysia; Pakistan; Philippines; "
     "Republic of Korea; Singapore; Sri Lanka; Thailand; USA; Uzbekistan", "7; 9; 17"),
    ("APCTT-2019-07", "Study Mission to Bhutan for developing a blue print structure of national technology "
     "transfer database", "study_mission", "2019-04-09", "2019-04-10", "Thimphu", "Bhutan", "organised",
     "technology_transfer", "Department of Cottage and Small Industry, Ministry of Economic Affairs", "17",
     "Bhutan", "9"),
    ("APCTT-2019-08", "South and Southeast Asia Technology Transfer Matchmaking Conference", "matchmaking",
     "2019-06-13", "2019-06-14", "Kunming", "China", "supported", "technology_transfer",
     "Ministry of Science and Technology of China; People's Government of Yunnan Province", "67", "China",
     "9; 17"),
    ("APCTT-2019-09", "Regional Workshop on New Paradigm in Technology Transfer and Commercialization",
     "workshop", "2019-07-08", "2019-07-10", "Ghaziabad", "India", "co_organised", "technology_transfer",
     "Human Resource Development Centre, CSIR", "45", "India", "9"),
    ("APCTT-2019-10", "Regional Workshop on Planning and Managing Technology Transfer for Inclusive Development",
     "workshop", "2019-07-16", "2019-07-18", "Thimphu", "Bhutan", "co_organised", "technology_transfer",
     "Department of Cottage and Small Industry, Ministry of Economic Affairs; Royal Monetary Authority of Bhutan",
     "83", "Bhutan; India; Nepal; Thailand", "8; 9"),
]

NARRATIVES = {
    "APCTT-2019-01": "Organised by the Trade, Investment and Innovation Division of ESCAP with IIM Ahmedabad, "
                     "SRISTI and GIAN. The Centre presented its online technology transfer platforms and how they "
                     "can help grassroots innovations spread across member States.",
    "APCTT-2019-02": "Policy frameworks and tools for IP management, IP portfolio planning, business-focused IP "
                     "management and technology licensing in universities and R&D institutes; SWOT exercises, "
                     "licensing-clause drafting and a field visit to NSTDA's Technology Licensing Office.",
    "APCTT-2019-03": "Officials and managers from Indian industry trained on web-based technology transfer "
                     "platforms, cross-border facilitation mechanisms and innovation knowledge networks.",
    "APCTT-2019-04": "An ITEC/SCAAP inter-regional programme of the Government of India; the Centre shared "
                     "experience on technology transfer platforms, university-industry partnerships and "
                     "technology-based start-ups with officials from Africa and Asia.",
    "APCTT-2019-05": "Part of the UN Development Account project on South-South cooperation for STI policies: "
                     "socially responsible technology transfer and IP policies, business models of technology "
                     "transfer, and industry linkages. Experts included the UN Economic Commission for Europe.",
    "APCTT-2019-06": "Awareness of fourth-industrial-revolution and renewable-energy technologies for the SDGs, "
                     "and a platform for collaboration among policymakers, industry, academia and NGOs.",
    "APCTT-2019-07": "Discussions with 17 senior officials and private-sector stakeholders on a blueprint for "
                     "Bhutan's national technology transfer database; a Technology Request Database for cottage "
                     "and small industries was agreed first and later written into national policy.",
    "APCTT-2019-08": "Organised by the Ministry of Science and Technology of China and the People's Government "
                     "of Yunnan Province, with one-to-one business matchmaking among institutes and enterprises.",
    "APCTT-2019-09": "Scientists and business development managers of public research institutes on technology "
                     "commercialization, technology-based entrepreneurship and IP licensing.",
    "APCTT-2019-10": "Held with the Bhutan Economic Forum for Innovative Transformation 2019; reviewed the "
                     "Centre's blueprint for a National Technology Request Database for cottage and small "
                     "industries.",
}

#: (activity code, label, country or None, organisation): the report names the experts' countries only.
EXPERTS = [
    ("APCTT-2019-09", "Resource person (Finland)", "FI", ""),
    ("APCTT-2019-09", "Resource person (India)", "IN", ""),
    ("APCTT-2019-09", "Resource person (Indonesia)", "ID", ""),
    ("APCTT-2019-09", "Resource person (Sri Lanka)", "LK", ""),
    ("APCTT-2019-05", "Expert (UNECE)", None, "United Nations Economic Commission for Europe"),
    ("APCTT-2019-05", "Resource person (Israel)", "IL", ""),
    ("APCTT-2019-05", "Resource person (Kazakhstan)", "KZ", ""),
]

DEMO_ACTOR = Actor(user=None, is_staff=True, focal_countries=frozenset(), organisation_ids=frozenset(),
                   admin_organisation_ids=frozenset())


def activities_csv() -> bytes:
    """The ten activities as the CSV staff would upload (also handy as an import example)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(ACTIVITY_COLUMNS)
    writer.writerows(ACTIVITIES)
    return buffer.getvalue().encode("utf-8")


def load(*, stdout) -> None:
    """Load (or refresh) the 2019 programme; running it again changes nothing."""
    for name, country, kind in PARTNERS:
        save_institution(actor=DEMO_ACTOR, name=name, country=country, type=kind)
    result = import_activities(actor=DEMO_ACTOR, source=io.BytesIO(activities_csv()), filename="2019.csv")
    if not result.ok:
        raise RuntimeError(result.report.as_text())
    for activity in Activity.objects.filter(code__in=NARRATIVES):
        if activity.narrative != NARRATIVES[activity.code]:
            set_details(actor=DEMO_ACTOR, activity=activity, values={"narrative": NARRATIVES[activity.code]})
    for code, label, country, organisation in EXPERTS:
        add_expert(actor=DEMO_ACTOR, name=label, country=country, organisation=organisation,
                   activity=Activity.objects.get(code=code))
    stdout.write(f"  programme: {len(ACTIVITIES)} activities of 2019 ({result.summary()}), "
                 f"{len(PARTNERS)} partner institutions, {len(EXPERTS)} resource persons")
