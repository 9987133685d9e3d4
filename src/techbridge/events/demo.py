"""Demo brokerage event: the South and Southeast Asia Technology Transfer Matchmaking Conference (Kunming,
13–14 June 2019), with 67 participants from the demo organisations, their requests, accepted meetings, a
schedule made by the scheduler, check-ins and follow-up outcomes.

Everything goes through the services (registration, approval, requests, scheduling), so audit entries, the
schedule report and the statistics are the real thing. Idempotent: an existing event of that name is kept.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db.models import Q

from techbridge.core.demo import DEMO_PASSWORD, ORGANISATIONS
from techbridge.core.models import Membership, Organisation, User
from techbridge.core.permissions import actor_for, forget_actor
from techbridge.events.models import Event, Meeting, MeetingRequest, Registration, ScheduleRun
from techbridge.events.services import day, events, registrations, requests, scheduling

NAME = "South and Southeast Asia Technology Transfer Matchmaking Conference"
PARTICIPANTS = 67
KUNMING = ZoneInfo("Asia/Shanghai")

#: (topic, what a provider offers, what a seeker needs) — the technologies such conferences broker.
TOPICS = [
    ("solar drying", "Solar dryers for fruit, tea and spices, 200 kg per batch", "Solar drying of fruit and spices"),
    ("rice milling", "Small rice mills with husk gasifiers for village processing", "Rice milling and husk energy"),
    ("biogas", "Household and farm biogas digesters from agricultural residues", "Biogas from farm residues"),
    ("water purification", "Low-cost water purification units for rural communities", "Rural water purification"),
    ("bamboo processing", "Bamboo processing machinery for furniture and flooring", "Bamboo furniture machinery"),
    ("tea processing", "Tea withering, rolling and drying equipment", "Tea processing equipment"),
    ("cold chain", "Solar-powered cold storage for vegetables and fish", "Cold storage for fresh produce"),
    ("natural rubber", "Natural rubber processing and testing know-how", "Rubber processing technology"),
    ("food packaging", "Vacuum and modified-atmosphere food packaging lines", "Food packaging for exports"),
    ("smart agriculture", "Sensors and irrigation control for smart agriculture", "Smart irrigation and farm sensors"),
    ("traditional medicine", "Extraction of active compounds from medicinal plants", "Medicinal plant extraction"),
    ("micro hydropower", "Micro hydropower turbines up to 100 kW", "Micro hydropower for remote villages"),
    ("textile dyeing", "Natural dyeing and low-water textile finishing", "Natural dyes for handloom textiles"),
    ("e-waste recycling", "Recovery of metals from electronic waste", "Electronic waste recycling"),
    ("seed technology", "Hybrid seed breeding and seed processing lines", "Seed processing technology"),
]
TYPES = [("Technology provider", "Offers technologies for transfer or licensing"),
         ("Technology seeker", "Looks for technologies, equipment or partners"),
         ("Intermediary", "Technology transfer agency, association or investor")]


def _user(email: str, full_name: str) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _delegates() -> list[tuple[User, Organisation]]:
    """67 people: each demo organisation's member, then extra delegates of the larger delegations."""
    orgs = [Organisation.objects.get(name=name) for name, *_rest in ORGANISATIONS]
    people = []
    for index, org in enumerate(orgs):
        people.append((User.objects.get(email=f"member{index}@techbridge.local"), org))
    extra = 0
    while len(people) < PARTICIPANTS:
        index = extra % len(orgs)
        org = orgs[index]
        user = _user(f"delegate{extra + 1}@techbridge.local", f"Delegate {extra + 1} of {org.name}"[:200])
        Membership.objects.get_or_create(user=user, organisation=org, defaults={"role": "member"})
        forget_actor(user)
        people.append((user, org))
        extra += 1
    return people


def _activity_id() -> int | None:
    """The programme's record of the same conference, when the programme demo has loaded it."""
    from techbridge.programme.models import Activity

    return Activity.objects.filter(code="APCTT-2019-08").values_list("pk", flat=True).first()


def _create_event(staff) -> Event:
    actor = actor_for(staff)
    now = datetime.now(tz=KUNMING)
    event = events.create_event(actor=actor, organiser_ids=[staff.pk], values={
        "name": NAME, "organiser_name": "Ministry of Science and Technology of China and the People's Government "
                                        "of Yunnan Province, supported by the Centre",
        "description": "Regional cooperation in technology transfer and commercialisation: one-on-one business "
                       "matchmaking between institutes and enterprises of China and South and Southeast Asia.",
        "venue": "Kunming Dianchi International Convention and Exhibition Center", "city": "Kunming",
        "country_id": "CN", "time_zone": "Asia/Shanghai", "starts_on": date(2019, 6, 13),
        "ends_on": date(2019, 6, 14), "registration_opens_at": now - timedelta(days=1),
        "registration_closes_at": now + timedelta(days=1), "booking_open": True, "max_meetings": 8,
        "meeting_minutes": 20, "published": True, "activity_id": _activity_id()})
    for name, (day_, start, end) in {"13 June morning": (13, (9, 0), (12, 20)),
                                     "13 June afternoon": (13, (14, 0), (17, 20)),
                                     "14 June morning": (14, (9, 0), (12, 0))}.items():
        events.add_session(actor=actor, event=event, name=name, tables=20,
                           starts_at=datetime(2019, 6, day_, *start, tzinfo=KUNMING),
                           ends_at=datetime(2019, 6, day_, *end, tzinfo=KUNMING))
    for name, description in TYPES:
        events.add_participation_type(actor=actor, event=event, name=name, description=description)
    return event


def _register_all(event: Event, staff, rng: random.Random) -> list[Registration]:
    types = list(event.participation_types.order_by("pk"))
    regs = []
    for i, (user, org) in enumerate(_delegates()):
        offer, need = rng.sample(TOPICS, 2)
        ptype = types[2] if org.type in {"association", "intermediary", "government"} else types[i % 2]
        values = {"participation_type_id": ptype.pk, "headline": f"{offer[0].capitalize()} — {org.name}"[:200],
                  "offers": offer[1], "needs": need[2]}
        regs.append(registrations.register(actor=actor_for(user), event=event, organisation_id=org.pk,
                                           values=values))
    for reg in regs:
        registrations.decide_registration(actor=actor_for(staff), registration=reg, approve=True)
    return regs


def _requests(event: Event, regs: list[Registration], rng: random.Random) -> None:
    """Skewed popularity: a few participants are asked by many, as at real matchmaking events."""
    weights = [1.0 / (rank + 1) ** 0.7 for rank in range(len(regs))]
    popular = regs[:]
    rng.shuffle(popular)
    for reg in regs:
        wanted = set()
        for _ in range(rng.randint(2, 5)):
            other = rng.choices(popular, weights=weights)[0]
            if other.pk != reg.pk:
                wanted.add(other.pk)
        for other_pk in sorted(wanted):
            other = next(r for r in regs if r.pk == other_pk)
            pair = MeetingRequest.objects.filter(Q(requester=reg, recipient=other) | Q(requester=other,
                                                                                          recipient=reg))
            if pair.filter(status__in=["accepted", "declined"]).exists() or pair.filter(requester=reg).exists():
                continue
            try:
                req = requests.send_request(actor=actor_for(reg.user), event=event, recipient=other,
                                            message=f"We would like to discuss {other.offers.split(',')[0].lower()}.")
            except ValidationError:  # a cap reached is normal in demo traffic: skip that pair
                continue
            if req.status != "requested":
                continue
            roll = rng.random()
            try:
                if roll < 0.7:
                    requests.accept_request(actor=actor_for(other.user), request=req, response="Happy to meet.")
                elif roll < 0.8:  # they wanted this meeting too: asking back makes it mutual (and accepted)
                    requests.send_request(actor=actor_for(other.user), event=event, recipient=reg,
                                          message="We were about to ask you as well.")
                elif roll < 0.9:
                    requests.decline_request(actor=actor_for(other.user), request=req,
                                             response="Not our field, sorry.")
            except ValidationError:  # the recipient's cap is reached: leave the request pending
                continue
    base = datetime(2019, 5, 20, 9, 0, tzinfo=KUNMING)
    for i, pk in enumerate(MeetingRequest.objects.filter(event=event).order_by("pk").values_list("pk", flat=True)):
        MeetingRequest.objects.filter(pk=pk).update(created_at=base + timedelta(hours=3 * i))


def _the_day(event: Event, staff, rng: random.Random) -> None:
    """Most scheduled meetings were held; their participants reported outcomes afterwards."""
    outcomes = ["further_talks"] * 5 + ["no_interest"] * 3 + ["agreement_signed"]
    for meeting in Meeting.objects.filter(event=event, slot__isnull=False).select_related("request__requester__user"):
        if rng.random() < 0.9:
            day.check_in(actor=actor_for(staff), meeting=meeting, attendance="held")
            if rng.random() < 0.75:
                day.record_outcome(actor=actor_for(meeting.request.requester.user), meeting=meeting,
                                   outcome=rng.choice(outcomes))
        else:
            day.check_in(actor=actor_for(staff), meeting=meeting, attendance="no_show")


def load(*, stdout) -> None:
    if Event.objects.filter(name=NAME).exists():
        stdout.write("  events: Kunming 2019 matchmaking conference already loaded")
        return
    staff = User.objects.get(email="staff@techbridge.local")
    rng = random.Random(2019)
    event = _create_event(staff)
    regs = _register_all(event, staff, rng)
    _requests(event, regs, rng)
    run = ScheduleRun.objects.create(event=event, mode="all", started_by=staff)
    report = scheduling.run_schedule(run=run, time_limit=5)
    scheduling.publish_schedule(actor=actor_for(staff), event=event)
    _the_day(event, staff, rng)
    Event.objects.filter(pk=event.pk).update(
        booking_open=False, registration_opens_at=datetime(2019, 4, 1, 9, 0, tzinfo=KUNMING),
        registration_closes_at=datetime(2019, 6, 7, 18, 0, tzinfo=KUNMING))
    stdout.write(f"  events: Kunming 2019 with {len(regs)} participants, "
                 f"{report['total']} accepted meetings, {report['scheduled']} scheduled "
                 f"({report['ratio']:.1%} of the upper bound)")
