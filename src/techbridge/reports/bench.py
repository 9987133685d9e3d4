"""`techbridge bench report`: build a large year's annual report in every format, in a temporary database.

    techbridge bench report [--activities 1000] [--participants 100000] [--year 2019] [--formats json,html,docx,pdf]
                            [--json] [--write-docs docs/benchmarks.md]

Generates one year with N activities (60 % with individual participant records holding all the participants,
the rest with head counts), partner institutions, SDGs and published profiles, with bulk_create and then
ANALYZE (planner statistics, as a database in service has), in a fresh database that is dropped afterwards
(a temporary SQLite file, or `techbridge_report_bench` on the PostgreSQL server of DATABASE_URL). Prints
seconds, queries and bytes per format against the 10-second goal, and, as the same-run baseline, the time the
activity data would take with one query per activity (N+1). CPU seconds include the worker processes that
render the PDF's parts. `--write-docs` keeps one subsection per database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 10.0
SECTION_TITLE = "## Annual report build (`techbridge bench report`)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="techbridge bench report", description=__doc__.split("\n\n")[0])
    parser.add_argument("--activities", type=int, default=1000)
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--year", type=int, default=2019)
    parser.add_argument("--formats", default="json,html,docx,pdf")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--write-docs", type=Path, help="replace this benchmark's section in the given Markdown file")
    return parser


def generate(*, year: int, activities: int, participants: int, seed: int) -> dict[str, int]:
    """Fill the (empty, temporary) database with one synthetic year; returns what was created."""
    from django.db import connection

    from techbridge.core.models import Country, Organisation
    from techbridge.exchange.models import Kind, Profile, Status
    from techbridge.programme.models import (
        Activity,
        ActivityType,
        CentreRole,
        Gender,
        Institution,
        Participant,
        ProgrammeArea,
        StakeholderType,
    )

    rng = random.Random(seed)
    countries = list(Country.objects.exclude(escap_status="").values_list("pk", flat=True)) or ["TH", "IN", "BT"]
    institutions = Institution.objects.bulk_create([
        Institution(name=f"Institute of Innovation {n}", normalised_name=f"institute of innovation {n}",
                    country_id=rng.choice(countries)) for n in range(max(10, activities // 3))])
    start = dt.date(year, 1, 1)
    rows = []
    for n in range(activities):
        first = start + dt.timedelta(days=rng.randrange(360))
        online = rng.random() < 0.1
        rows.append(Activity(
            code=f"B-{year}-{n:05d}", title=f"Regional workshop on technology transfer and innovation {n}",
            type=rng.choice(ActivityType.values), start_date=first,
            end_date=first + dt.timedelta(days=rng.randrange(4)), city="" if online else f"City {n % 97}",
            country_id=None if online else rng.choice(countries), online=online,
            centre_role=rng.choice(CentreRole.values), programme_area=rng.choice(ProgrammeArea.values),
            participants_count=rng.randrange(15, 150)))
    created = Activity.objects.bulk_create(rows, batch_size=500)
    partner_links = [Activity.partners.through(activity_id=a.pk, institution_id=i.pk)
                     for a in created for i in rng.sample(institutions, rng.randrange(1, 4))]
    Activity.partners.through.objects.bulk_create(partner_links, batch_size=2000)
    sdg_links = [Activity.sdgs.through(activity_id=a.pk, sdg_id=number)
                 for a in created for number in rng.sample(range(1, 18), 2)]
    Activity.sdgs.through.objects.bulk_create(sdg_links, batch_size=2000)
    with_records = created[: int(len(created) * 0.6)]
    head_counts = created[len(with_records):]
    country_links = [Activity.participant_countries.through(activity_id=a.pk, country_id=code)
                     for a in head_counts for code in rng.sample(countries, min(4, len(countries)))]
    Activity.participant_countries.through.objects.bulk_create(country_links, batch_size=2000)
    # Like real workshops, each activity draws its participants from a handful of countries.
    pools = {a.pk: rng.sample(countries, min(len(countries), rng.randrange(3, 13))) for a in with_records}
    people = []
    for n in range(participants):
        activity_id = with_records[n % len(with_records)].pk
        people.append(Participant(
            activity_id=activity_id, name=f"Participant {n}",
            organisation=f"Organisation {n % 500}", country_id=rng.choice(pools[activity_id]),
            stakeholder_type=rng.choice(StakeholderType.values), gender=rng.choice(Gender.values),
            role="resource_person" if n % 40 == 0 else "participant"))
        if len(people) == 5000:
            Participant.objects.bulk_create(people)
            people = []
    Participant.objects.bulk_create(people)
    organisations = Organisation.objects.bulk_create([
        Organisation(name=f"Enterprise {n}", type="sme", size="small", country_id=rng.choice(countries),
                     email=f"enterprise{n}@bench.test") for n in range(50)])
    published = dt.datetime(year, 6, 1, tzinfo=dt.UTC)
    profiles = [Profile(kind=rng.choice(Kind.values), reference=f"BENCH{n:012d}", status=Status.PUBLISHED,
                        title=f"Technology {n}", summary="Synthetic profile.", organisation=organisation,
                        country_id=organisation.country_id, published_at=published)
                for n, organisation in enumerate(rng.choices(organisations, k=500))]
    Profile.objects.bulk_create(profiles, batch_size=500)
    # Planner statistics, as a database in service has them (PostgreSQL's autovacuum analyses a table soon
    # after a bulk load); without them PostgreSQL plans the figures' joins for empty tables.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"activities": len(created), "participants": participants, "institutions": len(institutions),
            "profiles": len(profiles)}


def naive_entries(*, year: int) -> int:
    """The N+1 baseline: partners, participant count and countries fetched per activity, as a naive loop would."""
    from techbridge.programme import figures as programme

    start, end = programme.year_range(year=year)
    touched = 0
    for activity in programme.activities_in(start=start, end=end):
        touched += len(list(activity.partners.all()))
        touched += activity.participants.filter(role__in=programme.COUNTED_ROLES).count()
        touched += len(set(activity.participants.values_list("country_id", flat=True)))
    return touched


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _measure(work):
    """(value, wall seconds, CPU seconds of this process and its finished children, children's part, queries)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        began, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
        value = work()
        seconds = time.perf_counter() - began
        children = _children_cpu() - children
        cpu = time.process_time() - cpu + children
    return value, seconds, cpu, children, len(queries)


def _load() -> str:
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def run(*, options) -> dict:
    from django.db import connection

    from techbridge.reports.export import build_report

    formats = [fmt.strip() for fmt in options.formats.split(",") if fmt.strip()]
    began = time.perf_counter()
    made = generate(year=options.year, activities=options.activities, participants=options.participants,
                    seed=options.seed)
    result = {"generated": made, "generate_seconds": round(time.perf_counter() - began, 2), "formats": {},
              "goal_seconds": GOAL_SECONDS, "database": DATABASES.get(connection.vendor, connection.vendor),
              "date": dt.date.today().isoformat(), "load_average_before": _load()}
    for fmt in formats:
        built, seconds, cpu, workers, queries = _measure(lambda fmt=fmt: build_report(year=options.year, fmt=fmt))
        result["formats"][fmt] = {"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
                                  "worker_cpu_seconds": round(workers, 2), "queries": queries,
                                  "bytes": len(built.data), "within_goal": seconds <= GOAL_SECONDS}
    if "pdf" in formats:
        # Same-run baseline for the parallel parts: the same PDF with every part in this one process.
        os.environ["TECHBRIDGE_PDF_WORKERS"] = "0"
        try:
            _built, seconds, cpu, _workers, _queries = _measure(lambda: build_report(year=options.year, fmt="pdf"))
        finally:
            del os.environ["TECHBRIDGE_PDF_WORKERS"]
        result["baseline_pdf_one_process"] = {"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2)}
    result["load_average_after"] = _load()
    _value, seconds, _cpu, _workers, queries = _measure(lambda: naive_entries(year=options.year))
    result["baseline_n_plus_1"] = {"seconds": round(seconds, 2), "queries": queries}
    return result


def _temporary_database():
    """Point the default connection at a fresh test database; returns a function that drops it."""
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    test = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        handle, path = tempfile.mkstemp(prefix="techbridge-report-bench-", suffix=".sqlite3")
        os.close(handle)
        test["NAME"] = path
    else:
        test["NAME"] = "techbridge_report_bench"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)

    def drop() -> None:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    return drop


DATABASES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
INTRO = ("Builds the annual report of a generated year in every format on a throwaway database:\n"
         "`techbridge bench report [--activities 1000] [--participants 100000]`; with `DATABASE_URL=postgres://…`\n"
         "it runs on that PostgreSQL server. CPU seconds include the worker processes that render the PDF's parts;\n"
         "the load average (`uptime`: 1, 5 and 15 minutes) is noted because the 2 cores are shared with other\n"
         "builds, which stretches wall seconds. What was done for speed: `docs/reports.md`, *Performance*.")


def _text(result: dict, options) -> str:
    made = result["generated"]
    lines = [f"Measured {result['date']} on the development machine (2 shared cores), {result['database']}; "
             f"load average {result['load_average_before']} before and {result['load_average_after']} after "
             f"the builds.",
             "", f"Generated {made['activities']:,} activities, {made['participants']:,} participants, "
             f"{made['institutions']:,} institutions, {made['profiles']:,} profiles in "
             f"{result['generate_seconds']} s (year {options.year}).",
             "", "| format | wall seconds | CPU seconds (PDF workers) | queries | bytes | goal ≤ 10 s (wall) |",
             "|---|---:|---:|---:|---:|---|"]
    for fmt, row in result["formats"].items():
        workers = f" ({row['worker_cpu_seconds']})" if row["worker_cpu_seconds"] else ""
        lines.append(f"| {fmt} | {row['seconds']} | {row['cpu_seconds']}{workers} | {row['queries']} | "
                     f"{row['bytes']:,} | {'met' if row['within_goal'] else 'MISSED'} |")
    base = result["baseline_n_plus_1"]
    lines += ["", f"Baseline (activity data with one query per activity, N+1): {base['seconds']} s, "
                  f"{base['queries']:,} queries — the report's content needs a fixed handful."]
    if "baseline_pdf_one_process" in result:
        one = result["baseline_pdf_one_process"]
        lines += ["", f"Baseline PDF in one process (the same parts one after another, no workers): "
                      f"{one['seconds']} s wall, {one['cpu_seconds']} s CPU."]
    return "\n".join(lines)


def write_docs(*, path: Path, text: str, database: str = "SQLite") -> None:
    """Replace (or add) this database's subsection of this benchmark's section of docs/benchmarks.md.

    Other sections of the file, and the other databases' subsections, are left as they are.
    """
    existing = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    before, title, after = existing.partition(SECTION_TITLE)
    rest = after.split("\n## ", 1) if title else [""]
    tail = ("\n## " + rest[1]) if len(rest) == 2 else ""
    subsections = {}
    for block in rest[0].split("\n### ")[1:]:
        name, _newline, body = block.partition("\n")
        subsections[name.strip()] = body.strip("\n")
    subsections[database] = text.strip("\n")
    order = [name for name in DATABASES.values() if name in subsections]
    order += [name for name in subsections if name not in order]
    section = f"{SECTION_TITLE}\n\n{INTRO}\n" + "".join(f"\n### {name}\n\n{subsections[name]}\n" for name in order)
    new = (before + section + tail) if title else (existing.rstrip("\n") + "\n\n" + section)
    path.write_text(new, encoding="utf-8")


def main(argv: list[str]) -> int:
    options = _parser().parse_args(argv)
    drop = _temporary_database()
    try:
        result = run(options=options)
    finally:
        drop()
    text = _text(result, options)
    print(json.dumps(result, indent=2) if options.json else text)
    if options.write_docs:
        write_docs(path=options.write_docs, text=text, database=result["database"])
    return 0 if all(row["within_goal"] for row in result["formats"].values()) else 1
