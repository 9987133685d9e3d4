"""Demo contributions for 2019, from the Centre's annual report (section G, resource mobilization).

From the report: pledges for 2019 noted by the Commission (Decision 75/13) — China 30,000, India 400,000 (the host
country contribution, raised at the 75th session), Indonesia 10,000, Macao, China 5,000, Thailand 15,000 USD;
US$ 182,496 received from Bangladesh, China, Indonesia, Macao (China), Malaysia, Pakistan, the Philippines, the
Republic of Korea, Sri Lanka, Uzbekistan and Viet Nam; in-kind support worth about US$ 50,000 from Bhutan, China,
India, Malaysia, Thailand and Uzbekistan. The report gives only the received and in-kind totals: their split per
member State below is illustrative, and sums exactly to the reported totals. Idempotent.
"""

from __future__ import annotations

from decimal import Decimal

from techbridge.core.permissions import Actor
from techbridge.funding.models import Contribution
from techbridge.funding.services import record_contribution

PLEDGES = [("CN", 30000), ("IN", 400000), ("ID", 10000), ("MO", 5000), ("TH", 15000)]
RECEIVED = [("BD", 10000), ("CN", 30000), ("ID", 10000), ("MO", 5000), ("MY", 20000), ("PK", 10000),
            ("PH", 15000), ("KR", 50000), ("LK", 5000), ("UZ", 17496), ("VN", 10000)]
IN_KIND = [("BT", 8000), ("CN", 10000), ("IN", 12000), ("MY", 7000), ("TH", 7000), ("UZ", 6000)]
SPLIT_NOTE = "Per-member split illustrative; the annual report gives the total only."

DEMO_ACTOR = Actor(user=None, is_staff=True, focal_countries=frozenset(), organisation_ids=frozenset(),
                   admin_organisation_ids=frozenset())


def load(*, stdout) -> None:
    """Record the 2019 pledges, cash received and in-kind contributions once."""
    if Contribution.objects.filter(year=2019).exists():
        return
    for iso2, amount in PLEDGES:
        note = "Host country contribution" if iso2 == "IN" else ""
        record_contribution(actor=DEMO_ACTOR, member_state=iso2, year=2019, kind="pledge", amount_usd=str(amount),
                            reference="Commission decision 75/13", note=note)
    for iso2, amount in RECEIVED:
        record_contribution(actor=DEMO_ACTOR, member_state=iso2, year=2019, kind="cash_received",
                            amount_usd=str(amount), note=SPLIT_NOTE)
    for iso2, amount in IN_KIND:
        record_contribution(actor=DEMO_ACTOR, member_state=iso2, year=2019, kind="in_kind", amount_usd=str(amount),
                            note="Estimated value of programme activities hosted. " + SPLIT_NOTE)
    received = sum(Decimal(a) for _c, a in RECEIVED)
    stdout.write(f"  2019 contributions: {len(PLEDGES)} pledges, {received:,} USD received, in kind 50,000 USD")
