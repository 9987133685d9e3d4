"""Demo profiles: real technology texts (SBIR/NASA, public domain) and Bhutan's equipment requests.

Profiles go through the same services as users' (create, submit, validate), so the audit trail, references and
the matching index are all real.
"""

from __future__ import annotations

import json
import random
import re
from datetime import date, timedelta
from pathlib import Path

from techbridge.core.demo import ORGANISATIONS
from techbridge.core.models import Organisation, User
from techbridge.core.permissions import actor_for
from techbridge.exchange import services
from techbridge.exchange.models import Profile

DATA = Path(__file__).resolve().parent.parent / "core" / "demo_data" / "profiles.jsonl"

#: Machinery needs of Bhutan's cottage and small industries (the national Technology Request Database).
BHUTAN_EQUIPMENT = [
    (
        "Small-scale rice milling machine",
        "Rice mill",
        "Husker and polisher for local red rice",
        "500 kg per hour",
        2,
        "8437.80",
    ),
    (
        "Chilli drying and grinding line",
        "Solar-assisted dryer and grinder",
        "Food-grade stainless steel",
        "200 kg per day",
        1,
        "8438.80",
    ),
    (
        "Incense stick making machine",
        "Automatic incense stick machine",
        "Bamboo stick feeding, adjustable length",
        "150 sticks per minute",
        3,
        "8479.89",
    ),
    (
        "Handmade paper (Deh-sho) pulp beater",
        "Hollander beater",
        "For Daphne bark pulp",
        "20 kg per batch",
        1,
        "8439.10",
    ),
    (
        "Wood-turning lathe for traditional bowls",
        "Wood lathe",
        "Variable speed, 600 mm swing",
        "",
        2,
        "8465.91",
    ),
    (
        "Buckwheat noodle extruder",
        "Noodle extruder",
        "Buckwheat flour, cold extrusion",
        "50 kg per hour",
        1,
        "8438.10",
    ),
    (
        "Cheese (datshi) processing vat",
        "Pasteurising vat",
        "Stainless steel, 300 litres",
        "300 litres per batch",
        1,
        "8434.20",
    ),
    (
        "Textile handloom with jacquard attachment",
        "Jacquard handloom",
        "For kira and gho weaving",
        "",
        5,
        "8446.10",
    ),
    (
        "Briquetting press for agricultural residues",
        "Briquetting press",
        "Screw press for sawdust and husk",
        "100 kg per hour",
        1,
        "8479.30",
    ),
    (
        "Fruit juice pasteuriser for apple and orange",
        "Juice pasteuriser",
        "Plate heat exchanger",
        "500 litres per hour",
        1,
        "8419.50",
    ),
]

SECTORS_BY_CATEGORY = {
    "Department of Agriculture": ["A", "10"],
    "Department of Energy": ["D", "35"],
    "National Science Foundation": ["M", "72"],
    "National Aeronautics and Space Administration": ["C", "30"],
    "Department of Health and Human Services": ["Q", "21"],
}
SDGS_BY_CATEGORY = {
    "Department of Agriculture": [2, 12],
    "Department of Energy": [7, 13],
    "National Science Foundation": [9],
    "National Aeronautics and Space Administration": [9],
    "Department of Health and Human Services": [3],
}


def _summary(text: str) -> str:
    sentences = re.split(r"(?<=[.!?])\s+", text.strip())
    summary = ""
    for sentence in sentences:
        if len(summary) + len(sentence) + 1 > 480:
            break
        summary = f"{summary} {sentence}".strip()
    return summary or text[:480]


def load(*, stdout) -> None:
    if Profile.objects.filter(contact_email__endswith="@demo.techbridge.local").exists():
        stdout.write("  exchange: demo profiles already loaded")
        return
    rng = random.Random(2019)
    staff = actor_for(User.objects.get(email="staff@techbridge.local"))
    organisations = list(Organisation.objects.filter(name__in=[o[0] for o in ORGANISATIONS]))
    smes = [o for o in organisations if o.type in {"sme", "large_company", "rd_institution", "intermediary"}]
    members = {o.pk: actor_for(o.memberships.first().user) for o in organisations}
    stages = ["lab_tested", "field_tested", "available_for_demonstration", "already_on_market"]
    count = 0
    for line in DATA.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        organisation = rng.choice(smes)
        actor = members[organisation.pk]
        text = row["text"]
        values = {
            "title": row["title"][:256],
            "summary": _summary(text),
            "description": f"<p>{text}</p>",
            "keywords": row["category"][:120],
            "sectors": SECTORS_BY_CATEGORY.get(row["category"], ["M"]),
            "sdgs": SDGS_BY_CATEGORY.get(row["category"], [9]),
            "partnership_types": rng.sample(
                [
                    "license_agreement",
                    "technical_cooperation",
                    "commercial_agreement_with_technical_assistance",
                    "research_cooperation",
                ],
                2,
            ),
            "target_countries": rng.sample(["BT", "IN", "TH", "VN", "ID", "NP", "BD", "LA", "KH", "PH"], 3),
            "contact_name": "Demo Contact",
            "contact_email": f"{row['source_id']}@demo.techbridge.local",
        }
        if row["kind"] == "offer":
            values.update(
                {"stage": rng.choice(stages), "trl": rng.randint(4, 9), "ipr_status": "patent_granted"}
            )
        else:
            values.update({"technical_spec": _summary(text[len(values["summary"]) :]) or values["summary"]})
        profile = services.create_profile(
            actor=actor, kind=row["kind"], organisation_id=organisation.pk, values=values
        )
        _publish(profile, owner=actor, staff=staff)
        count += 1
    bhutan = [o for o in organisations if o.country_id == "BT" and o.type == "sme"]
    for index, (title, item, spec, capacity, quantity, hs_code) in enumerate(BHUTAN_EQUIPMENT):
        organisation = bhutan[index % len(bhutan)]
        actor = members[organisation.pk]
        profile = services.create_profile(
            actor=actor,
            kind="equipment",
            organisation_id=organisation.pk,
            values={
                "title": title,
                "summary": f"A cottage and small industry in Bhutan needs {item.lower()} ({spec.lower()}).",
                "item": item,
                "specification": spec,
                "capacity": capacity,
                "quantity": quantity,
                "hs_code": hs_code,
                "budget_min_usd": 2000 + 1000 * index,
                "budget_max_usd": 8000 + 3000 * index,
                "needed_by": date.today() + timedelta(days=120 + 15 * index),
                "sectors": ["C", "28"],
                "sdgs": [8, 9],
                "partnership_types": ["supplier"],
                "target_countries": ["IN", "CN", "TH"],
                "contact_name": "Demo Contact",
                "contact_email": f"equipment{index}@demo.techbridge.local",
            },
        )
        _publish(profile, owner=actor, staff=staff)
        count += 1
    stdout.write(f"  exchange: {count} published profiles")


def _publish(profile, *, owner, staff) -> None:
    services.submit_profile(actor=owner, profile=profile)
    services.validate_profile(actor=staff, profile=profile)
