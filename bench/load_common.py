"""Shared pieces of the load and fault runs: a throw-away PostgreSQL database seeded quickly, gunicorn, clients.

Not a test: these scripts print figures (p50/p95/p99, throughput, errors) for docs/benchmarks.md.
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(*, db_name: str, home: Path) -> dict:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": f"{PG}/{db_name}", "TECHBRIDGE_HOME": str(home), "DEBUG": "0", "TECHBRIDGE_ENV": "development",
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "DATABASE_CONN_MAX_AGE": "60", "HUEY_IMMEDIATE": "0",
        "AXES_ENABLED": "0", "DJANGO_SETTINGS_MODULE": "techbridge.settings", "TECHBRIDGE_SEMANTIC": "0",
        "HF_HUB_OFFLINE": "1", "LOG_LEVEL": "ERROR",
    })
    return env


def recreate_database(db_name: str) -> None:
    for sql in (f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)", f"CREATE DATABASE {db_name}"):
        subprocess.run(["psql", f"{PG}/postgres", "-q", "-c", sql], check=True)


SEED = r'''
import random, sys, django
django.setup()
from django.utils import timezone
from techbridge.core.models import Organisation, Membership, User, ApiToken
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
    batch.append(Profile(kind=rng.choice(["offer", "request"]), reference=f"LD{i:012d}", status="published",
                         title=title.capitalize(), summary=f"{title} for small enterprises", keywords=title,
                         description="<p>" + " ".join(rng.choices(words, k=60)) + "</p>",
                         organisation=org, country_id=org.country_id, published_at=now,
                         expires_at=now + timezone.timedelta(days=365)))
    if len(batch) == 5000:
        Profile.objects.bulk_create(batch); batch = []
Profile.objects.bulk_create(batch)
tokens = []
for c in range(clients):
    user = User.objects.create_user(email=f"load{c}@techbridge.test", password="x" * 12)
    Membership.objects.create(user=user, organisation=orgs[c % len(orgs)], role="admin")
    tokens.append({"token": create_api_token(actor=actor_for(user), name="load")[1], "org": orgs[c % len(orgs)].pk})
ids = list(Profile.objects.values_list("pk", flat=True))
print(__import__("json").dumps({"tokens": tokens, "ids": ids[:: max(1, len(ids) // 5000)]}))
'''


def migrate_and_seed(*, env: dict, profiles: int, clients: int) -> dict:
    subprocess.run([str(VENV_BIN / "techbridge"), "migrate", "-v0"], env=env, check=True)
    started = time.monotonic()
    out = subprocess.run([str(VENV_BIN / "python"), "-c", SEED, str(profiles), str(clients)], env=env,
                         capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        raise RuntimeError(f"seeding failed:\n{out.stderr[-3000:]}")
    seed = json.loads(out.stdout.strip().splitlines()[-1])
    seed["seconds"] = round(time.monotonic() - started, 1)
    return seed


def start_gunicorn(*, env: dict, port: int, workers: int, threads: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "techbridge.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", str(workers),
         "--threads", str(threads), "--log-level", "warning", "--graceful-timeout", "5"],
        env=env, cwd=ROOT, start_new_session=True)
    for _ in range(200):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


@dataclass
class Recorder:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            counts = self.statuses.setdefault(kind, {})
            counts[status] = counts.get(status, 0) + 1

    def summary(self, duration: float) -> dict:
        result = {}
        for kind, values in sorted(self.latencies.items()):
            values = sorted(values)
            q = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
            result[kind] = {"requests": len(values), "p50_ms": round(q[49] * 1000, 1),
                            "p95_ms": round(q[94] * 1000, 1), "p99_ms": round(q[98] * 1000, 1),
                            "statuses": self.statuses[kind]}
        total = sum(len(v) for v in self.latencies.values())
        server_errors = sum(c for s in self.statuses.values() for code, c in s.items() if code >= 500 or code == 0)
        return {"throughput_rps": round(total / duration, 1), "requests": total, "errors": server_errors,
                "transport_errors": len(self.errors), "by_kind": result}


READ_MIX = [("search", 30), ("detail", 35), ("similar", 15), ("api_list", 10)]
WRITE_MIX = [("draft", 7), ("eoi", 3)]


def client_loop(*, port: int, seed: dict, index: int, deadline: float, recorder: Recorder, writes: bool = True):
    rng = random.Random(index)
    token = seed["tokens"][index % len(seed["tokens"])]
    auth = {"Authorization": f"Bearer {token['token']}", "Content-Type": "application/json"}
    mix = READ_MIX + (WRITE_MIX if writes else [])
    kinds, weights = zip(*mix, strict=True)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    words = ["solar", "dryer", "rice", "biogas", "irrigation", "tea", "bamboo", "coconut"]
    while time.monotonic() < deadline:
        kind = rng.choices(kinds, weights)[0]
        pid = rng.choice(seed["ids"])
        method, path, body, headers = "GET", "", None, {}
        if kind == "search":
            path = f"/exchange/?q={rng.choice(words)}"
        elif kind == "detail":
            path = f"/exchange/{pid}/"
        elif kind == "similar":
            path = f"/api/v1/matching/profiles/{pid}/similar"
        elif kind == "api_list":
            path, headers = f"/api/v1/profiles?q={rng.choice(words)}", auth
        elif kind == "draft":
            method, path, headers = "POST", "/api/v1/profiles", auth
            body = json.dumps({"kind": "offer", "organisation_id": token["org"], "title": "Load draft",
                               "summary": "Written by the load run"})
        else:
            method, path, headers = "POST", f"/api/v1/matching/profiles/{pid}/interests", auth
            body = json.dumps({"message": "Load", "offer_or_seek": "Load", "why_this": "Load", "next_step": "Load"})
        started = time.monotonic()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            status = 0
            recorder.errors.append(f"{kind}: {type(exc).__name__}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        recorder.add(kind, time.monotonic() - started, status)


def run_clients(*, port: int, seed: dict, clients: int, duration: float, recorder: Recorder, writes=True) -> float:
    deadline = time.monotonic() + duration
    threads = [threading.Thread(target=client_loop, kwargs={"port": port, "seed": seed, "index": i,
                                                           "deadline": deadline, "recorder": recorder,
                                                           "writes": writes}, daemon=True)
               for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - started


def workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="techbridge-load-"))


def python() -> str:
    return sys.executable
