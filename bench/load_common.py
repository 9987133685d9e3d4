"""Shared pieces of the load and fault runs: a throw-away PostgreSQL database seeded quickly, gunicorn, clients.

Not a test: these scripts print figures (p50/p95/p99, throughput, errors) for docs/benchmarks.md.

The client is deliberately cheap: one thread per simulated user, `http.client` with a keep-alive connection,
latency measured from sending the request to the last byte of the answer. Each user waits a think time between
requests (exponential, mean `think_mean` seconds), so 64 users offer a realistic, bounded load rather than 64
back-to-back request loops.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
PG = os.environ.get("LOAD_PG", "postgres://postgres@127.0.0.1:5432")
#: Redis as in production (cache shared by the workers, task queue); LOAD_REDIS= (empty) runs without it.
REDIS = os.environ.get("LOAD_REDIS", "redis://127.0.0.1:6379/3")
READS = ("search", "detail", "similar", "api_list")
#: gunicorn workers as `techbridge/gunicorn_conf.py` sets them (cores + 1; 4 threads each).
DEFAULT_WORKERS = (os.cpu_count() or 1) + 1
CLIENT_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(*, db_name: str, home: Path) -> dict:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": f"{PG}/{db_name}", "TECHBRIDGE_HOME": str(home), "DEBUG": "0", "TECHBRIDGE_ENV": "development",
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "DATABASE_CONN_MAX_AGE": "60", "HUEY_IMMEDIATE": "0",
        "AXES_ENABLED": "0", "DJANGO_SETTINGS_MODULE": "techbridge.settings",
        # Lexical + structured matching only: embedding 100,000 profiles is too slow on this machine.
        "TECHBRIDGE_SEMANTIC": "0",
        "HF_HUB_OFFLINE": "1", "LOG_LEVEL": "ERROR",
        # All simulated users share 127.0.0.1: the per-address API throttle would stop them, not real users.
        # The per-user expression-of-interest limit stays as configured (its 422s are reported separately).
        "TECHBRIDGE_API_RATE_ANON": "1000000", "TECHBRIDGE_API_RATE_USER": "1000000",
    })
    if REDIS:
        env["REDIS_URL"] = REDIS
    else:
        env.pop("REDIS_URL", None)
    return env


def flush_redis() -> None:
    """Start from an empty cache and queue: a previous run's cached pages must not count for this one."""
    if REDIS:
        import redis

        redis.Redis.from_url(REDIS).flushdb()


def recreate_database(db_name: str) -> None:
    for sql in (f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)", f"CREATE DATABASE {db_name}"):
        subprocess.run(["psql", f"{PG}/postgres", "-q", "-c", sql], check=True)


SEED = r'''
import random, sys, django
django.setup()
from django.db import connection
from django.utils import timezone
from techbridge.core.models import Organisation, Membership, User
from techbridge.exchange.models import Profile
from techbridge.core.services import create_api_token
from techbridge.core.permissions import actor_for
n, clients = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(7)
countries = ["BT", "IN", "NP", "TH", "VN", "ID", "PH", "LK", "BD", "KH"]
words = ("solar dryer rice mill biogas water filter cold storage drip irrigation bamboo processing "
         "textile dyeing fish smoking tea withering cashew shelling coconut oil spice grinding").split()
orgs = Organisation.objects.bulk_create([Organisation(name=f"Org {i}", type="sme", size="small",
                                                      country_id=countries[i % 10]) for i in range(max(1, n // 10))])
now = timezone.now()
batch = []
for i in range(n):
    org = orgs[i % len(orgs)]
    title = " ".join(rng.sample(words, 4))
    published = now - timezone.timedelta(minutes=i)  # one a minute, newest last: lists order by date
    batch.append(Profile(kind=rng.choice(["offer", "request"]), reference=f"LD{i:012d}", status="published",
                         title=title.capitalize(), summary=f"{title} for small enterprises", keywords=title,
                         description="<p>" + " ".join(rng.choices(words, k=60)) + "</p>",
                         organisation=org, country_id=org.country_id, published_at=published,
                         expires_at=now + timezone.timedelta(days=365)))
    if len(batch) == 5000:
        Profile.objects.bulk_create(batch); batch = []
Profile.objects.bulk_create(batch)
tokens = []
for c in range(clients):
    user = User.objects.create_user(email=f"load{c}@techbridge.test", password=None)  # API tokens only
    Membership.objects.create(user=user, organisation=orgs[c % len(orgs)], role="admin")
    tokens.append({"token": create_api_token(actor=actor_for(user), name="load")[1], "org": orgs[c % len(orgs)].pk})
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")  # autovacuum would get there too, a minute later
ids = list(Profile.objects.values_list("pk", flat=True))
print(__import__("json").dumps({"tokens": tokens, "ids": ids[:: max(1, len(ids) // 5000)]}))
'''


def migrate(*, env: dict) -> None:
    subprocess.run([str(VENV_BIN / "techbridge"), "migrate", "-v0"], env=env, check=True)


def migrate_and_seed(*, env: dict, profiles: int, clients: int) -> dict:
    migrate(env=env)
    started = time.monotonic()
    out = subprocess.run([str(VENV_BIN / "python"), "-c", SEED, str(profiles), str(clients)], env=env,
                         capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        raise RuntimeError(f"seeding failed:\n{out.stderr[-3000:]}")
    seed = json.loads(out.stdout.strip().splitlines()[-1])
    seed["seconds"] = round(time.monotonic() - started, 1)
    return seed


def start_gunicorn(*, env: dict, port: int, workers: int, threads: int, startup_timeout: float = 1200,
                   log: Path | None = None) -> subprocess.Popen:
    """gunicorn with the project's configuration (`techbridge.gunicorn_conf`: preload + index warm-up)."""
    out = open(log, "ab") if log else None  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "techbridge.wsgi:application", "-c", "python:techbridge.gunicorn_conf",
         "-b", f"127.0.0.1:{port}", "-w", str(workers), "--threads", str(threads), "--log-level", "info",
         "--graceful-timeout", "5"],
        env=env, cwd=ROOT, start_new_session=True, stdout=out, stderr=out)
    deadline = time.monotonic() + startup_timeout  # the index warm-up runs before the workers are forked
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.5)
    stop(proc)
    raise RuntimeError("gunicorn did not start")


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def _quantiles(values: list[float]) -> dict:
    values = sorted(values)
    q = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else values * 99
    return {"p50_ms": round(q[49] * 1000, 1), "p95_ms": round(q[94] * 1000, 1), "p99_ms": round(q[98] * 1000, 1),
            "max_ms": round(values[-1] * 1000, 1)}


@dataclass
class Recorder:
    """Latency and outcome of every request, by kind.

    Outcomes: the HTTP status, or "timeout" / "transport" (connection reset, refused, bad answer).
    Errors = 5xx + timeouts + transport errors. A rate-limit answer on an expression of interest (429, or 422
    "Too many requests" from the service's per-user limit) is the limit working: counted as `rate_limited`.
    """

    latencies: dict[str, list[float]] = field(default_factory=dict)
    outcomes: dict[str, dict[str, int]] = field(default_factory=dict)
    rate_limited: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    created_drafts: list[int] = field(default_factory=list)
    created_eois: list[int] = field(default_factory=list)
    failures: list[tuple[float, str, str]] = field(default_factory=list)  # (monotonic time, kind, outcome)
    finished: list[tuple[float, float]] = field(default_factory=list)  # (monotonic time at the end, seconds)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, outcome: str, *, rate_limited: bool = False) -> None:
        with self.lock:
            if not outcome.isdigit() or int(outcome) >= 500:
                self.failures.append((time.monotonic(), kind, outcome))
            self.latencies.setdefault(kind, []).append(seconds)
            self.finished.append((time.monotonic(), seconds))
            counts = self.outcomes.setdefault(kind, {})
            counts[outcome] = counts.get(outcome, 0) + 1
            if rate_limited:
                self.rate_limited[kind] = self.rate_limited.get(kind, 0) + 1

    def summary(self, duration: float) -> dict:
        by_kind = {}
        for kind, values in sorted(self.latencies.items()):
            by_kind[kind] = {"requests": len(values), "throughput_rps": round(len(values) / duration, 2),
                             **_quantiles(values), "outcomes": self.outcomes[kind]}
        reads = [v for kind in READS for v in self.latencies.get(kind, [])]
        total = sum(len(v) for v in self.latencies.values())

        def count(pred) -> int:
            return sum(c for counts in self.outcomes.values() for o, c in counts.items() if pred(o))

        server_errors = count(lambda o: o.isdigit() and int(o) >= 500)
        timeouts = count(lambda o: o == "timeout")
        transport = count(lambda o: o == "transport")
        return {"duration_s": round(duration, 1), "requests": total, "throughput_rps": round(total / duration, 1),
                "reads": {"requests": len(reads), "throughput_rps": round(len(reads) / duration, 1),
                          **(_quantiles(reads) if reads else {})},
                "errors": server_errors + timeouts + transport, "server_errors_5xx": server_errors,
                "timeouts": timeouts, "transport_errors": transport,
                "rate_limited": dict(self.rate_limited), "by_kind": by_kind, "p95_ms_per_window": self.windows()}

    def windows(self, seconds: float = 10.0) -> list[float]:
        """p95 of every request finished in each successive window: shows whether the tail is spread over the
        run or comes from a few stalls (a warm-up, a periodic job)."""
        if not self.finished:
            return []
        start = min(t for t, _ in self.finished)
        buckets: dict[int, list[float]] = {}
        for t, s in self.finished:
            buckets.setdefault(int((t - start) // seconds), []).append(s)
        return [_quantiles(sorted(buckets[b]))["p95_ms"] for b in sorted(buckets)]


READ_MIX = [("search", 30), ("detail", 35), ("similar", 15), ("api_list", 10)]
WRITE_MIX = [("draft", 7), ("eoi", 3)]
#: The seed's vocabulary. A search is one word or two (625 distinct texts), not a handful repeated: the platform
#: caches rankings per process, and a benchmark of 8 texts would measure that cache only.
WORDS = ["solar", "dryer", "rice", "mill", "biogas", "water", "filter", "cold", "storage", "drip", "irrigation",
         "bamboo", "processing", "textile", "dyeing", "fish", "smoking", "tea", "withering", "cashew", "shelling",
         "coconut", "oil", "spice", "grinding"]
#: gunicorn closes a keep-alive connection idle for 2 s; a user who thought longer opens a new one (as browsers
#: do), instead of racing the server's close and counting its reset as an error.
IDLE_RECONNECT = 1.5


def search_text(rng: random.Random) -> str:
    return "+".join(rng.sample(WORDS, rng.choice((1, 2))))


def client_loop(*, port: int, seed: dict, index: int, deadline: float, recorder: Recorder, writes: bool = True,
                think_mean: float = 1.0, rng_seed: int = 0):
    """One simulated user: pick a request from the mix, send it, read the answer, think, repeat.

    `rng_seed` varies the users' choices between runs on the same database (the same sequence again would
    send the same expressions of interest, all refused as duplicates)."""
    rng = random.Random(f"{rng_seed}:{index}")
    token = seed["tokens"][index % len(seed["tokens"])]
    auth = {"Authorization": f"Bearer {token['token']}", "Content-Type": "application/json"}
    mix = READ_MIX + (WRITE_MIX if writes else [])
    kinds, weights = zip(*mix, strict=True)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=CLIENT_TIMEOUT)
    if think_mean > 0:
        time.sleep(rng.uniform(0, think_mean))  # users do not all arrive in the same millisecond
    last_used = time.monotonic()
    while time.monotonic() < deadline:
        kind = rng.choices(kinds, weights)[0]
        pid = rng.choice(seed["ids"])
        method, path, body, headers = "GET", "", None, {}
        if kind == "search":
            path = f"/exchange/?q={search_text(rng)}"
        elif kind == "detail":
            path = f"/exchange/{pid}/"
        elif kind == "similar":
            path = f"/api/v1/matching/profiles/{pid}/similar"
        elif kind == "api_list":
            path, headers = f"/api/v1/profiles?q={search_text(rng)}", auth
        elif kind == "draft":
            method, path, headers = "POST", "/api/v1/profiles", auth
            body = json.dumps({"kind": "offer", "organisation_id": token["org"], "title": "Load draft",
                               "summary": "Written by the load run"})
        else:
            method, path, headers = "POST", f"/api/v1/matching/profiles/{pid}/interests", auth
            body = json.dumps({"message": "Load", "offer_or_seek": "Load", "why_this": "Load", "next_step": "Load"})
        if time.monotonic() - last_used > IDLE_RECONNECT:
            conn.close()
        started = time.monotonic()
        limited = False
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            outcome = str(response.status)
            if response.status == 201 and kind in {"draft", "eoi"}:
                created = recorder.created_drafts if kind == "draft" else recorder.created_eois
                created.append(json.loads(payload)["id"])
            limited = kind == "eoi" and (response.status == 429 or (
                response.status == 422 and b"Too many requests" in payload))
        except TimeoutError:
            outcome = "timeout"
        except (OSError, http.client.HTTPException, ValueError) as exc:
            outcome = "transport"
            recorder.errors.append(f"{kind}: {type(exc).__name__}: {exc}"[:200])
        elapsed = time.monotonic() - started
        last_used = time.monotonic()
        if outcome in {"timeout", "transport"}:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=CLIENT_TIMEOUT)
        recorder.add(kind, elapsed, outcome, rate_limited=limited)
        if think_mean > 0:
            time.sleep(min(rng.expovariate(1 / think_mean), max(0.0, deadline - time.monotonic())))
    conn.close()


def run_clients(*, port: int, seed: dict, clients: int, duration: float, recorder: Recorder, writes=True,
                think_mean: float = 1.0, rng_seed: int | None = None) -> float:
    rng_seed = time.time_ns() if rng_seed is None else rng_seed
    deadline = time.monotonic() + duration
    threads = [threading.Thread(target=client_loop, kwargs={"port": port, "seed": seed, "index": i,
                                                           "deadline": deadline, "recorder": recorder,
                                                           "writes": writes, "think_mean": think_mean,
                                                           "rng_seed": rng_seed},
                                daemon=True)
               for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - started


class LoadSampler:
    """The machine's 1-minute load average every few seconds while a phase runs (the machine is shared)."""

    def __init__(self, every: float = 5.0):
        self.every, self.samples, self._stop = every, [], threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append(os.getloadavg()[0])
            self._stop.wait(self.every)

    def __enter__(self) -> LoadSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict:
        s = self.samples or [0.0]
        return {"loadavg_1min_min": round(min(s), 2), "loadavg_1min_mean": round(sum(s) / len(s), 2),
                "loadavg_1min_max": round(max(s), 2), "cpus": os.cpu_count()}


def _cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return out


def _pg_backends(db_name: str) -> list[int]:
    out = subprocess.run(["psql", f"{PG}/postgres", "-Atc",
                          f"SELECT pid FROM pg_stat_activity WHERE datname = '{db_name}'"],
                         capture_output=True, text=True)
    return [int(line) for line in out.stdout.split() if line.strip().isdigit()]


def _redis_servers() -> list[int]:
    """The Redis server's pid when the run uses Redis (its CPU is part of what a request costs)."""
    if not REDIS:
        return []
    out = subprocess.run(["pgrep", "-x", "redis-server"], capture_output=True, text=True)
    return [int(line) for line in out.stdout.split() if line.strip().isdigit()]


class CpuMeter:
    """CPU seconds used by gunicorn (master + workers), by the PostgreSQL backends of the load's database and Redis
    during a phase: a figure the other tenants of a shared machine do not inflate, unlike latencies.
    Backends that exit during the phase are missed (connections live 60 s, so few do)."""

    def __init__(self, *, gunicorn_pid: int, db_name: str):
        self.gunicorn_pid, self.db_name = gunicorn_pid, db_name

    def _snapshot(self) -> dict[str, dict[int, float]]:
        web = [self.gunicorn_pid, *_children(self.gunicorn_pid)]
        return {"gunicorn": {p: c for p in web if (c := _cpu_seconds(p)) is not None},
                "postgres": {p: c for p in _pg_backends(self.db_name) if (c := _cpu_seconds(p)) is not None},
                "redis": {p: c for p in _redis_servers() if (c := _cpu_seconds(p)) is not None}}

    def __enter__(self) -> CpuMeter:
        self.before, self.client_before = self._snapshot(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.after, self.client_after = self._snapshot(), time.process_time()

    def summary(self, requests: int) -> dict:
        result = {}
        for name in ("gunicorn", "postgres", "redis"):
            used = sum(cpu - self.before[name].get(pid, 0.0) for pid, cpu in self.after[name].items())
            result[f"{name}_cpu_s"] = round(used, 1)
            result[f"{name}_cpu_ms_per_request"] = round(1000 * used / max(requests, 1), 1)
        client = self.client_after - self.client_before
        result["load_client_cpu_s"] = round(client, 1)
        return result


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="techbridge-load-"))


def python() -> str:
    return sys.executable
