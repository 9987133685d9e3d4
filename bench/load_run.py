"""Load run: gunicorn on PostgreSQL, N published profiles, C concurrent users, mixed reads and writes.

Usage (the full run of issue #8, then the short one used while iterating):
    python bench/load_run.py --profiles 100000 --clients 64 --duration 300
    python bench/load_run.py --profiles 10000 --clients 64 --duration 60

Reads: search (/exchange/?q=), detail (/exchange/<id>/), similar profiles (API), API list search. Writes: drafts
(POST /api/v1/profiles) and expressions of interest (POST .../interests). Each simulated user thinks between
requests (exponential think time, mean --think seconds). Prints JSON: throughput, p50/p95/p99 per kind and over
all reads, errors (5xx, timeouts, transport errors), rate-limited EoIs separately, the machine's load average.
Before the load phase, a baseline: 1 user, reads only, no think time (uncontended latency).
Semantic matching (embeddings) is off (TECHBRIDGE_SEMANTIC=0): lexical + structured matching only.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from load_common import (
    DEFAULT_WORKERS,
    REDIS,
    CpuMeter,
    LoadSampler,
    Recorder,
    environment,
    flush_redis,
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


def prepare(*, db: str, env: dict, profiles: int, clients: int, reuse: bool) -> dict:
    """A fresh seeded database, or (--reuse-db) the one a previous run seeded with the same sizes."""
    cache = Path(f"/tmp/techbridge-load-{db}-seed.json")
    if reuse and cache.exists():
        seed = json.loads(cache.read_text())
        if seed.get("profiles") == profiles and len(seed["tokens"]) >= clients:
            migrate(env=env)  # migrations added since still apply
            seed["reused"] = True
            return seed
    recreate_database(db)
    seed = migrate_and_seed(env=env, profiles=profiles, clients=clients)
    seed["profiles"] = profiles
    cache.write_text(json.dumps(seed))
    return seed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--duration", type=float, default=300)
    parser.add_argument("--think", type=float, default=1.0, help="mean think time per user, seconds (exponential)")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="gunicorn workers (default: cores + 1)")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--db", default="techbridge_load")
    parser.add_argument("--reuse-db", action="store_true", help="keep the database a previous run seeded")
    parser.add_argument("--output", type=Path, help="also write the JSON here")
    args = parser.parse_args()

    home = workdir()
    env = environment(db_name=args.db, home=home)
    seed = prepare(db=args.db, env=env, profiles=args.profiles, clients=args.clients, reuse=args.reuse_db)
    flush_redis()
    port = free_port()
    started = time.monotonic()
    server = start_gunicorn(env=env, port=port, workers=args.workers, threads=args.threads,
                            log=home / "gunicorn.log")
    startup = time.monotonic() - started
    try:
        baseline = Recorder()
        base_time = run_clients(port=port, seed=seed, clients=1, duration=min(15, args.duration / 4),
                                recorder=baseline, writes=False, think_mean=0)
        loaded = Recorder()
        before = uptime()
        with LoadSampler() as sampler, CpuMeter(gunicorn_pid=server.pid, db_name=args.db) as cpu:
            elapsed = run_clients(port=port, seed=seed, clients=args.clients, duration=args.duration,
                                  recorder=loaded, think_mean=args.think)
        after = uptime()
    finally:
        stop(server)
    result = {
        "profiles": args.profiles, "clients": args.clients, "duration_s": args.duration,
        "think_time": f"exponential, mean {args.think} s, per user between requests",
        "semantic": "off (TECHBRIDGE_SEMANTIC=0): lexical + structured matching",
        "gunicorn": f"{args.workers} workers x {args.threads} threads, preload + index warm-up "
                    "(techbridge.gunicorn_conf)",
        "cache_and_queue": "Redis (shared by the workers)" if REDIS else "per-process memory, SQLite task queue",
        "gunicorn_startup_s": round(startup, 1),
        "seed_seconds": seed.get("seconds"), "seed_reused": bool(seed.get("reused")),
        "uptime_before": before, "uptime_after": after, "machine_load": sampler.summary(),
        "baseline_1_client_reads_no_think": baseline.summary(base_time),
        "load": loaded.summary(elapsed),
        "cpu_during_load": cpu.summary(sum(len(v) for v in loaded.latencies.values())),
        "transport_error_sample": loaded.errors[:5],
        "gunicorn_log": str(home / "gunicorn.log"),
    }
    text = json.dumps(result, indent=1)
    print(text)
    if args.output:
        args.output.write_text(text + "\n")


if __name__ == "__main__":
    main()
