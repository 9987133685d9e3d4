"""Fault run: PostgreSQL restarted in the middle of a load run; the platform must recover without a restart.

Usage:
    python bench/fault_pg_restart.py --profiles 10000 --clients 16 --duration 60

Needs permission to restart the local cluster (`pg_ctlcluster <version> main restart`, as root in CI images).
Every draft the API answered 201 for is checked to exist afterwards (no request loses committed data); requests
during the outage may fail (counted), requests after it must succeed again without restarting gunicorn.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import threading
import time
from pathlib import Path

from load_common import (
    Recorder,
    environment,
    free_port,
    migrate_and_seed,
    recreate_database,
    run_clients,
    start_gunicorn,
    stop,
    workdir,
)


def restart_postgres(after: float) -> dict:
    time.sleep(after)
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    started = time.monotonic()
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True)
    return {"restart_seconds": round(time.monotonic() - started, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--db", default="techbridge_fault")
    args = parser.parse_args()
    home = workdir()
    env = environment(db_name=args.db, home=home)
    recreate_database(args.db)
    seed = migrate_and_seed(env=env, profiles=args.profiles, clients=args.clients)
    port = free_port()
    server = start_gunicorn(env=env, port=port, workers=(os.cpu_count() or 2) * 2 + 1, threads=4)
    outcome: dict = {}
    try:
        restarter = threading.Thread(target=lambda: outcome.update(restart_postgres(args.duration / 3)))
        restarter.start()
        during = Recorder()
        elapsed = run_clients(port=port, seed=seed, clients=args.clients, duration=args.duration, recorder=during)
        restarter.join()
        after = Recorder()
        after_elapsed = run_clients(port=port, seed=seed, clients=args.clients, duration=10, recorder=after)
    finally:
        stop(server)
    check = subprocess.run(
        [str(Path(__file__).resolve().parents[1] / ".venv/bin/python"), "-c",
         "import django;django.setup();from techbridge.exchange.models import Profile;"
         "print(Profile.objects.filter(title='Load draft').count())"],
        env=env, capture_output=True, text=True, check=True)
    drafts_201 = sum(s.get(201, 0) for k, s in {**during.statuses, **{}}.items() if k == "draft") + \
        after.statuses.get("draft", {}).get(201, 0)
    print(json.dumps({"restart": outcome, "during": during.summary(elapsed), "after": after.summary(after_elapsed),
                      "drafts_answered_201": drafts_201, "drafts_in_database": int(check.stdout.strip()),
                      "recovered": after.summary(after_elapsed)["errors"] == 0}, indent=1))


if __name__ == "__main__":
    main()
