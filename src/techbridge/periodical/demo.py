"""Demo Tech Monitor: the five issues of 2019 and their themes, as the Centre's annual report lists them.

From the report (E/2019/39 annex, section D): 5 issues, 18 articles by 26 authors from Austria, Bangladesh,
Cambodia, India, Malaysia, Nepal, the Philippines and the Republic of Korea; selected technology offers and
requests; 1,587 e-subscribers; 2,935 visitors from December 2018 to September 2019, most from China, India, Japan,
Malaysia, the Philippines, the Republic of Korea, Thailand, the United States and Viet Nam.

The report gives counts, not names: volume numbers, article titles and the split of visitors per country and
month below are illustrative, and authors are named "Demo author NN" so nobody is misquoted. The totals match
the report. Idempotent: an existing issue (volume, number) is left alone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from techbridge.core.models import User
from techbridge.core.permissions import actor_for
from techbridge.exchange.models import Kind, Profile, Status
from techbridge.periodical.models import Issue, PageView, Publication, Subscriber
from techbridge.periodical.services import content

ISSUES = [
    (35, 4, date(2018, 10, 1), date(2018, 12, 31), date(2019, 1, 31),
     "Biotechnology commercialization and transfer in Asia and the Pacific",
     ["Bridging laboratories and markets for agricultural biotechnology",
      "Licensing models for biotechnology in university technology transfer offices",
      "Biosafety regulation and technology transfer: regional experiences",
      "Financing biotechnology start-ups in emerging economies"]),
    (36, 1, date(2019, 1, 1), date(2019, 3, 31), date(2019, 4, 15),
     "Technologies for inclusiveness and equality",
     ["Frugal innovation for the last mile",
      "Grassroots innovations and their diffusion",
      "Assistive technologies and inclusive design",
      "Digital financial inclusion for rural women"]),
    (36, 2, date(2019, 4, 1), date(2019, 6, 30), date(2019, 7, 15),
     "Fourth Industrial Revolution technologies for inclusive and sustainable development",
     ["Artificial intelligence for small and medium enterprises",
      "Industry 4.0 readiness of manufacturing SMEs",
      "Internet of things in smallholder agriculture",
      "Skills policies for the Fourth Industrial Revolution"]),
    (36, 3, date(2019, 7, 1), date(2019, 9, 30), date(2019, 10, 15),
     "Promoting green technologies – Innovative mechanisms and partnerships in the Asia-Pacific",
     ["Green technology funds and blended finance",
      "Technology partnerships for renewable mini-grids",
      "Eco-industrial parks as transfer platforms"]),
    (36, 4, date(2019, 10, 1), date(2019, 12, 31), date(2019, 12, 20),
     "Promotion of technology-based startups in the Asia-Pacific",
     ["Incubators and accelerators: what works",
      "Public procurement as a market for start-ups",
      "Start-up ecosystems in least developed countries"]),
]
AUTHOR_COUNTRIES = ["AT", "BD", "KH", "IN", "MY", "NP", "PH", "KR"]
AUTHORS = 26
TOPICS = ["policy", "transfer", "market", "innovation", "trends"]
SUBSCRIBERS = 1587
VISITS = 2935
TOP_READERS = ["CN", "IN", "JP", "MY", "PH", "KR", "TH", "US", "VN"]
OTHER_READERS = ["BD", "BT", "ID", "IR", "KH", "LK", "NP", "PK", "AU", "GB", "DE", ""]
MONTHS = [date(2018, 12, 1)] + [date(2019, m, 1) for m in range(1, 10)]


def _bylines() -> list[list[dict]]:
    """26 authors over 18 articles (8 articles with two authors), from the report's eight countries."""
    authors = [{"name": f"Demo author {n:02d}", "affiliation": "Demo institute",
                "country": AUTHOR_COUNTRIES[n % len(AUTHOR_COUNTRIES)]} for n in range(1, AUTHORS + 1)]
    lines, index = [], 0
    for article in range(18):
        size = 2 if article < AUTHORS - 18 else 1
        lines.append(authors[index:index + size])
        index += size
    return lines


def _issues(actor, stdout) -> list[Issue]:
    bylines = iter(_bylines())
    issues = []
    for volume, number, start, end, published, theme, titles in ISSUES:
        issue = Issue.objects.filter(volume=volume, number=number).first()
        if issue is not None:
            issues.append(issue)
            for _title in titles:
                next(bylines)
            continue
        issue = content.save_issue(actor=actor, values={
            "volume": volume, "number": number, "period_start": start, "period_end": end, "theme": theme,
            "published_on": published,
            "editorial": f"<p>This issue of the Asia-Pacific Tech Monitor is devoted to <strong>{theme}</strong>."
                         "</p><p>Articles present data, analysis, case studies and good practices from the region."
                         "</p>"})
        for position, title in enumerate(titles):
            content.save_article(actor=actor, issue=issue, authors=next(bylines), values={
                "title": title, "position": position, "topic": TOPICS[position % len(TOPICS)],
                "abstract": f"{title}: an overview for policy makers and technology transfer intermediaries.",
                "body": f"<p>{title}.</p><p>(Demo text.)</p>", "keywords": theme.split(" ")[0].lower()})
        issues.append(issue)
        stdout.write(f"  Tech Monitor Vol. {volume} No. {number}")
    return issues


def _featured(issues: list[Issue]) -> None:
    """Spread up to 39 published offers and 20 requests over the issues, as the report counts them."""
    if any(issue.featured_profiles.exists() for issue in issues):
        return
    published = Profile.objects.filter(status=Status.PUBLISHED).order_by("id")
    offers = list(published.filter(kind=Kind.OFFER)[:39])
    requests = list(published.exclude(kind=Kind.OFFER)[:20])
    for index, profile in enumerate(offers + requests):
        issues[index % len(issues)].featured_profiles.add(profile)


def _subscribers() -> None:
    if Subscriber.objects.filter(email__endswith="@subscribers.example").exists():
        return
    countries = TOP_READERS + ["BT", "BD", "NP", "LK", "ID", "KH"]
    base = datetime(2016, 1, 1, tzinfo=UTC)
    Subscriber.objects.bulk_create([
        Subscriber(email=f"reader{n:04d}@subscribers.example", country_id=countries[n % len(countries)],
                   status=Subscriber.Status.ACTIVE, source=Subscriber.Source.IMPORT, consented=True,
                   created_at=base + timedelta(days=n % 1000), confirmed_at=base + timedelta(days=n % 1000),
                   topics=[TOPICS[n % len(TOPICS)]] if n % 3 else [])
        for n in range(1, SUBSCRIBERS + 1)], batch_size=500)


def _readership(issues: list[Issue]) -> None:
    """2,935 page views over December 2018 – September 2019; two thirds from the nine countries the report names."""
    if PageView.objects.filter(month__in=MONTHS).exists():
        return
    buckets: dict[tuple, int] = {}
    for n in range(VISITS):
        top, rest = divmod(n, 3)
        country = TOP_READERS[(n - top - 1) % len(TOP_READERS)] if rest else OTHER_READERS[top % len(OTHER_READERS)]
        month = MONTHS[(n * 7) % len(MONTHS)]
        candidates = [i for i in issues if i.published_on <= month.replace(day=28) + timedelta(days=3)] or issues[:1]
        issue = candidates[n % len(candidates)]
        key = ("issue", issue.pk, month, country)
        buckets[key] = buckets.get(key, 0) + 1
    PageView.objects.bulk_create([PageView(target=t, object_id=o, month=m, country=c, count=n)
                                  for (t, o, m, c), n in buckets.items()])


def load(*, stdout) -> None:
    """Create the demo periodical (issues, articles, featured profiles, publications, subscribers, readership)."""
    staff = User.objects.filter(is_staff=True).order_by("id").first()
    if staff is None:
        stdout.write("  no staff user: skipping the Tech Monitor demo")
        return
    actor = actor_for(staff)
    issues = _issues(actor, stdout)
    _featured(issues)
    if not Publication.objects.exists():
        content.save_publication(actor=actor, values={
            "kind": Publication.Kind.MANUAL,
            "title": "Intellectual property management and technology licensing: publication and training manual",
            "summary": "In preparation under the 10th tranche of the UN Development Account project 'South-South "
                       "Cooperation for Science, Technology and Innovation Policies in the Asia-Pacific Region'."})
    _subscribers()
    _readership(issues)
    stdout.write(f"  {SUBSCRIBERS} demo subscribers, {VISITS} page views (Dec 2018 – Sep 2019)")
