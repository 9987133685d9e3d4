"""Fault run: PostgreSQL restarted in the middle of a load run; the platform must recover without a restart.

Usage:
    python bench/fault_pg_restart.py --profiles 10000 --clients 64 --duration 90

Needs permission to restart the local cluster (`pg_ctlcluster <version> main restart`, as root in CI images);
restarting it cuts every other user of the cluster off for a few seconds too.

What it checks, printed as JSON:
- every draft and every expression of interest the API answered 201 for exists afterwards (by id): no request
  that was told "committed" loses its data;
- requests during the outage may fail (counted, with the window in which they failed, relative to the restart);
- after the restart the same gunicorn master and workers (same pids) answer a second load phase with 0 errors:
  Django's persistent connections (CONN_MAX_AGE) are dropped and reopened thanks to CONN_HEALTH_CHECKS.
Same clients and think time as bench/load_run.py.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import threading
import time
from pathlib import Path

from load_common import (
    DEFAULT_WORKERS,
    VENV_BIN,
    LoadSampler,
    Recorder,
    _children,
    environment,
    free_port,
    migrate,
    migrate_and_seed,
    recreate_database,
    run_clients,
    start_gunicorn,
    stop,
    uptime,
    workdir,
)

CHECK = r'''
import json, sys, django
django.setup()
from django.conf import settings
from techbridge.exchange.models import Profile
from techbridge.matching.models import ExpressionOfInterest
wanted = json.loads(sys.stdin.read())
drafts = set(Profile.objects.filter(pk__in=wanted["drafts"]).values_list("pk", flat=True))
eois = set(ExpressionOfInterest.objects.filter(pk__in=wanted["eois"]).values_list("pk", flat=True))
db = settings.DATABASES["default"]
print(json.dumps({"missing_drafts": sorted(set(wanted["drafts"]) - drafts),
                  "missing_eois": sorted(set(wanted["eois"]) - eois),
                  "conn_max_age": db["CONN_MAX_AGE"], "conn_health_checks": db["CONN_HEALTH_CHECKS"]}))
'''


def restart_postgres(*, after: float, outcome: dict) -> None:
    time.sleep(after)
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    outcome["restart_started"] = time.monotonic()
    outcome["uptime_at_restart"] = uptime()
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True)
    outcome["restart_finished"] = time.monotonic()


def window(recorder: Recorder, outcome: dict) -> dict:
    """When the failed requests failed, in seconds relative to the start of the restart."""
    start = outcome.get("restart_started")
    if not recorder.failures or start is None:
        return {"failed": 0}
    times = [t - start for t, _kind, _outcome in recorder.failures]
    by_outcome: dict[str, int] = {}
    for _t, _kind, result in recorder.failures:
        by_outcome[result] = by_outcome.get(result, 0) + 1
    return {"failed": len(times), "first_s": round(min(times), 2), "last_s": round(max(times), 2),
            "by_outcome": by_outcome}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--duration", type=float, default=90, help="load phase around the restart, seconds")
    parser.add_argument("--after", type=float, default=60, help="load phase after the restart, seconds")
    parser.add_argument("--think", type=float, default=1.0, help="mean think time per user, seconds (exponential)")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="gunicorn workers (default: cores + 1)")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--db", default="techbridge_fault")
    parser.add_argument("--reuse-db", action="store_true", help="keep the database a previous run seeded")
    parser.add_argument("--output", type=Path, help="also write the JSON here")
    args = parser.parse_args()

    home = workdir()
    env = environment(db_name=args.db, home=home)
    cache = Path(f"/tmp/techbridge-load-{args.db}-seed.json")
    if args.reuse_db and cache.exists() and json.loads(cache.read_text()).get("profiles") == args.profiles:
        seed = json.loads(cache.read_text())
        migrate(env=env)
    else:
        recreate_database(args.db)
        seed = migrate_and_seed(env=env, profiles=args.profiles, clients=args.clients)
        seed["profiles"] = args.profiles
        cache.write_text(json.dumps(seed))
    port = free_port()
    server = start_gunicorn(env=env, port=port, workers=args.workers, threads=args.threads,
                            log=home / "gunicorn.log")
    time.sleep(2)
    pids_before = sorted([server.pid, *_children(server.pid)])
    outcome: dict = {}
    try:
        restarter = threading.Thread(target=restart_postgres,
                                     kwargs={"after": args.duration / 3, "outcome": outcome})
        during = Recorder()
        with LoadSampler() as load_during:
            restarter.start()
            elapsed = run_clients(port=port, seed=seed, clients=args.clients, duration=args.duration,
                                  recorder=during, think_mean=args.think)
            restarter.join()
        after = Recorder()
        with LoadSampler() as load_after:
            after_elapsed = run_clients(port=port, seed=seed, clients=args.clients, duration=args.after,
                                        recorder=after, think_mean=args.think)
        pids_after = sorted([server.pid, *_children(server.pid)])
    finally:
        stop(server)
    wanted = {"drafts": during.created_drafts + after.created_drafts,
              "eois": during.created_eois + after.created_eois}
    check = subprocess.run([str(VENV_BIN / "python"), "-c", CHECK], input=json.dumps(wanted), env=env,
                           capture_output=True, text=True, check=True)
    verdict = json.loads(check.stdout.strip().splitlines()[-1])
    after_summary = after.summary(after_elapsed)
    result = {
        "profiles": args.profiles, "clients": args.clients,
        "think_time": f"exponential, mean {args.think} s, per user between requests",
        "gunicorn": f"{args.workers} workers x {args.threads} threads (techbridge.gunicorn_conf)",
        "django_database": {"CONN_MAX_AGE": verdict["conn_max_age"],
                            "CONN_HEALTH_CHECKS": verdict["conn_health_checks"]},
        "restart_at_s": round(args.duration / 3, 1),
        "restart_seconds": round(outcome["restart_finished"] - outcome["restart_started"], 2),
        "uptime_at_restart": outcome.get("uptime_at_restart"),
        "machine_load_during": load_during.summary(), "machine_load_after": load_after.summary(),
        "during": during.summary(elapsed), "failures_relative_to_restart": window(during, outcome),
        "after": after_summary,
        "drafts_answered_201": len(wanted["drafts"]), "eois_answered_201": len(wanted["eois"]),
        "missing_drafts": verdict["missing_drafts"], "missing_eois": verdict["missing_eois"],
        "same_gunicorn_processes": pids_before == pids_after, "gunicorn_pids": pids_before,
        "recovered": after_summary["errors"] == 0 and pids_before == pids_after,
        "no_committed_data_lost": not verdict["missing_drafts"] and not verdict["missing_eois"],
        "error_sample": during.errors[:5],
        "gunicorn_log": str(home / "gunicorn.log"),
    }
    text = json.dumps(result, indent=1)
    print(text)
    if args.output:
        args.output.write_text(text + "\n")


if __name__ == "__main__":
    main()
