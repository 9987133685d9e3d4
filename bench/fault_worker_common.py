"""Shared pieces of the "task worker killed" fault runs: a throwaway platform home, real huey consumers, SIGKILL.

The run's own process plays the web process: it writes through the services (their after-commit hooks enqueue
huey tasks in the shared queue) and keeps an in-memory matching index alive across the kill, as a web process
would. Workers are `techbridge run_huey` subprocesses on the same database and task queue.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"


def prepare_environment(*, tag: str, database_url: str, semantic: bool, extra: dict | None = None) -> dict:
    """Point this process (before Django starts) and the workers at a fresh home, database and task queue."""
    home = Path(tempfile.mkdtemp(prefix=f"techbridge-fault-{tag}-"))
    env = {
        "TECHBRIDGE_HOME": str(home), "DJANGO_SETTINGS_MODULE": "techbridge.settings", "HUEY_IMMEDIATE": "0",
        "DEBUG": "0", "TECHBRIDGE_ENV": "development", "AXES_ENABLED": "0", "LOG_LEVEL": "ERROR",
        "TECHBRIDGE_SEMANTIC": "1" if semantic else "0", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
        **(extra or {}),
    }
    if database_url:
        recreate_postgres(database_url)
        env["DATABASE_URL"] = database_url
    else:
        env["DATABASE_URL"] = f"sqlite:///{home / 'fault.sqlite3'}"
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))  # `tests` (the SMTP sink) is importable from the project root
    return {**os.environ}


def recreate_postgres(url: str) -> None:
    """Drop and create the database the URL names (it must be a throwaway one)."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name or name in {"postgres", "template0", "template1"}:
        raise SystemExit(f"refusing to recreate database {name!r}: name a throwaway database")
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def start_worker(*, env: dict, log: Path, stall_index: str = "") -> subprocess.Popen:
    """A real huey consumer (`techbridge run_huey`, the settings' worker count) on the shared queue.

    `stall_index` "N:PATH" runs it through bench/fault_worker_stall.py: the N-th indexing task hangs (after
    writing its profile ids to PATH) so the run can kill the worker inside it.
    """
    if stall_index:
        command = [str(PYTHON), str(ROOT / "bench" / "fault_worker_stall.py")]
        env = {**env, "FAULT_STALL_INDEX": stall_index}
    else:
        command = [str(PYTHON), "-m", "techbridge", "run_huey"]
    with open(log, "ab") as sink:
        return subprocess.Popen(command, env=env, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT,
                                start_new_session=True)


def wait_started(*, proc: subprocess.Popen, log: Path, timeout: float = 120) -> bool:
    """Until the consumer announced itself, plus a moment for its workers' startup hooks."""
    ok = wait_until(lambda: "consumer started" in log.read_text(errors="replace"), timeout=timeout, interval=0.2,
                    alive=proc) is not None
    time.sleep(2)
    return ok


def kill(proc: subprocess.Popen) -> int:
    """SIGKILL: no shutdown hook, no `finally`, in-flight tasks die where they stand."""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    return proc.returncode


def stop(proc: subprocess.Popen) -> None:
    """Graceful stop (SIGINT lets huey finish running tasks); SIGKILL if it hangs."""
    if proc.poll() is not None:
        return
    os.kill(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        kill(proc)


def wait_until(predicate: Callable[[], bool], *, timeout: float, interval: float = 0.1,
               alive: subprocess.Popen | None = None) -> float | None:
    """Seconds until `predicate()` held, or None on timeout (or when `alive` exited)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        if alive is not None and alive.poll() is not None:
            return None
        time.sleep(interval)
    return None


def staff_actor():
    from techbridge.core.models import User
    from techbridge.core.permissions import actor_for

    user = User.objects.create_user("fault-staff@techbridge.local", is_staff=True)
    return actor_for(user)


def log_tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def machine_load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def finish(*, summary: dict, ok: bool, logs: tuple[Path, Path], home: Path) -> int:
    """Print the run's JSON summary (with the workers' last log lines when a check failed); exit status."""
    summary["ok"] = bool(ok)
    if not ok:
        summary["worker_logs"] = {"first": log_tail(logs[0], 10), "second": log_tail(logs[1], 10)}
    summary["home"] = str(home)
    print(json.dumps(summary, indent=1, default=str))
    return 0 if ok else 1
