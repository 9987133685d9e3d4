"""`techbridge bench imports`: participant import throughput against a naive row-by-row baseline.

Why: the issue promises 100,000 participant rows in at most 30 seconds. This measures the real service
(`import_participants`: reading the CSV, checking every cell, writing with bulk statements) on a fresh
throwaway database, then a naive importer that reads the same kind of file and saves one row at a time
(an activity lookup and an INSERT per row, as a first version typically does), and prints both.

The throwaway database is a temporary SQLite file next to nothing else (or, on PostgreSQL, a `<name>_bench`
database); the configured database is never touched.
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from pathlib import Path

from django.db import connection, transaction

COUNTRIES = ["Bhutan", "India", "THA", "Viet Nam", "Lao PDR", "Iran", "Republic of Korea", "Nepal", "MY", "KHM",
             "Bangladesh", "Sri Lanka", "Philippines", "Indonesia", "China", "Uzbekistan"]
STAKEHOLDERS = ["policy_maker", "sme", "academia", "rd_institution", "tt_intermediary", "other", ""]
GENDERS = ["female", "male", "F", "M", ""]
TARGET_SECONDS = 30.0


def _write_file(path: Path, *, rows: int, activities: list[str], seed: int) -> None:
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["activity_code", "name", "organisation", "country", "stakeholder_type", "gender", "role"])
        for index in range(rows):
            writer.writerow([activities[index % len(activities)], f"Participant {index:06d} {rng.randint(0, 999)}",
                             f"Organisation {rng.randint(1, 400)}", rng.choice(COUNTRIES),
                             rng.choice(STAKEHOLDERS), rng.choice(GENDERS), "participant"])


def _make_activities(prefix: str, count: int) -> list[str]:
    import datetime as dt

    from techbridge.programme.models import Activity

    codes = [f"{prefix}-{n:04d}" for n in range(count)]
    Activity.objects.bulk_create([
        Activity(code=code, title=f"Benchmark activity {code}", type="workshop", start_date=dt.date(2019, 1, 1),
                 end_date=dt.date(2019, 1, 2), country_id="TH", centre_role="organised",
                 programme_area="technology_transfer") for code in codes
    ])
    return codes


def naive_import(path: Path) -> int:
    """The baseline: one lookup and one INSERT per row, with the same country resolver and no bulk writes."""
    from techbridge.core.countries import resolve_country
    from techbridge.programme.models import Activity, Participant

    written = 0
    with transaction.atomic(), path.open(newline="", encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            activity = Activity.objects.get(code=record["activity_code"])
            gender = {"f": "female", "m": "male", "": "unstated"}.get(record["gender"].lower(), record["gender"])
            Participant.objects.create(activity=activity, name=record["name"], organisation=record["organisation"],
                                       country_id=resolve_country(record["country"]),
                                       stakeholder_type=record["stakeholder_type"] or "other", gender=gender,
                                       role=record["role"] or "participant")
            written += 1
    return written


def _timed(function):
    started = time.perf_counter()
    value = function()
    return value, time.perf_counter() - started


def run(*, rows: int, baseline_rows: int, activities: int, seed: int) -> int:
    from techbridge.core.permissions import Actor
    from techbridge.programme.models import Participant
    from techbridge.programme.services import import_participants

    actor = Actor(user=None, is_staff=True, focal_countries=frozenset(), organisation_ids=frozenset(),
                  admin_organisation_ids=frozenset())
    with tempfile.TemporaryDirectory(prefix="techbridge-bench-") as folder:
        fast_file = Path(folder) / "participants.csv"
        slow_file = Path(folder) / "baseline.csv"
        _write_file(fast_file, rows=rows, activities=_make_activities("BENCH", activities), seed=seed)
        _write_file(slow_file, rows=baseline_rows, activities=_make_activities("BASE", activities), seed=seed + 1)

        result, first = _timed(lambda: import_participants(actor=actor, source=fast_file,
                                                          filename=fast_file.name))
        if not result.ok:
            print(result.report.as_text()[:2000])
            return 1
        stored = Participant.objects.filter(activity__code__startswith="BENCH").count()
        again, second = _timed(lambda: import_participants(actor=actor, source=fast_file,
                                                          filename=fast_file.name))
        written, naive = _timed(lambda: naive_import(slow_file))

    fast_rate, naive_rate = rows / first, written / naive
    print(f"database: {connection.vendor}; {activities} activities; file {rows:,} rows (seed {seed})")
    print(f"{'run':44} {'rows':>9} {'seconds':>9} {'rows/s':>10}")
    print(f"{'import_participants (first import)':44} {rows:>9,} {first:>9.2f} {fast_rate:>10,.0f}")
    print(f"{'import_participants (re-import, no change)':44} {rows:>9,} {second:>9.2f} {rows / second:>10,.0f}")
    print(f"{'naive row-by-row baseline':44} {written:>9,} {naive:>9.2f} {naive_rate:>10,.0f}")
    print(f"naive baseline extrapolated to {rows:,} rows: {rows / naive_rate:.1f} s; "
          f"speed-up {fast_rate / naive_rate:.1f}x")
    ok = stored == rows and again.unchanged == rows and again.created == 0
    within = first <= TARGET_SECONDS
    print(f"stored {stored:,} participants; re-import unchanged {again.unchanged:,}: {'OK' if ok else 'WRONG'}")
    print(f"target: {rows:,} rows in <= {TARGET_SECONDS:.0f} s: {'PASS' if within else 'FAIL'} ({first:.2f} s)")
    return 0 if ok and within else 1


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="techbridge bench imports", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="participant rows to import (default 100000)")
    parser.add_argument("--baseline-rows", type=int, default=10_000,
                        help="rows for the naive baseline, extrapolated to --rows (default 10000)")
    parser.add_argument("--activities", type=int, default=200, help="activities the rows spread over")
    parser.add_argument("--seed", type=int, default=2019)
    options = parser.parse_args(argv)
    creation = connection.creation
    settings_dict = connection.settings_dict
    folder = tempfile.mkdtemp(prefix="techbridge-bench-db-")
    if connection.vendor == "sqlite":
        settings_dict.setdefault("TEST", {})["NAME"] = str(Path(folder) / "bench.sqlite3")
    else:
        settings_dict.setdefault("TEST", {})["NAME"] = f"{settings_dict['NAME']}_bench"
    original = settings_dict["NAME"]
    print("creating a throwaway database (migrations) …", flush=True)
    creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        return run(rows=options.rows, baseline_rows=options.baseline_rows, activities=options.activities,
                   seed=options.seed)
    finally:
        creation.destroy_test_db(original, verbosity=0)
