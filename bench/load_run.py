"""Load run: gunicorn on PostgreSQL, N published profiles, C concurrent clients, mixed reads and writes.

Usage (the full run of issue #8, then the short one recorded in docs/benchmarks.md):
    python bench/load_run.py --profiles 100000 --clients 64 --duration 300
    python bench/load_run.py --profiles 10000 --clients 64 --duration 60

Reads: search (/exchange/?q=), detail (/exchange/<id>/), similar profiles (API), API list search. Writes: drafts
(POST /api/v1/profiles) and expressions of interest (POST .../interests; 422 once a sender's hourly cap is hit is
the rate limit working, not an error). Prints p50/p95/p99 per kind, throughput and 5xx/transport errors as JSON.
The baseline in the same run is a read-only warm-up phase with 1 client (uncontended latency).
"""

from __future__ import annotations

import argparse
import json
import os

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--duration", type=float, default=300)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2 + 1)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--db", default="techbridge_load")
    args = parser.parse_args()

    home = workdir()
    env = environment(db_name=args.db, home=home)
    recreate_database(args.db)
    seed = migrate_and_seed(env=env, profiles=args.profiles, clients=args.clients)
    port = free_port()
    server = start_gunicorn(env=env, port=port, workers=args.workers, threads=args.threads)
    try:
        baseline = Recorder()
        base_time = run_clients(port=port, seed=seed, clients=1, duration=min(15, args.duration / 4),
                                recorder=baseline, writes=False)
        loaded = Recorder()
        elapsed = run_clients(port=port, seed=seed, clients=args.clients, duration=args.duration, recorder=loaded)
    finally:
        stop(server)
    print(json.dumps({
        "profiles": args.profiles, "clients": args.clients, "duration_s": args.duration,
        "gunicorn": f"{args.workers} workers x {args.threads} threads", "cpus": os.cpu_count(),
        "seed_seconds": seed["seconds"],
        "baseline_1_client_reads": baseline.summary(base_time),
        "load": loaded.summary(elapsed),
        "transport_error_sample": loaded.errors[:5],
    }, indent=1))


if __name__ == "__main__":
    main()
