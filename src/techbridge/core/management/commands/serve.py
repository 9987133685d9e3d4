"""`techbridge serve`: the web server plus a background-task worker, in one command.

Development (default): Django's server with static files. `--production`: gunicorn. In both cases a huey worker
process runs beside it so imports, reindexing, report builds and mailings started from the web make progress.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the platform on http://HOST:PORT with a background-task worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--production", action="store_true", help="serve with gunicorn")
        parser.add_argument("--workers", type=int, help="gunicorn worker processes (default: cores + 1, "
                                                        "4 threads each; see techbridge/gunicorn_conf.py)")
        parser.add_argument("--no-worker", action="store_true", help="do not start the task worker")

    def handle(self, *args, host, port, production, workers, no_worker, **options):
        worker = None
        if not no_worker:
            worker = subprocess.Popen(
                [sys.executable, "-m", "techbridge", "run_huey", "--quiet"], env=os.environ.copy()
            )
            self.stdout.write(f"task worker started (pid {worker.pid})")
        try:
            if production:
                call_command("collectstatic", interactive=False, verbosity=0)
                os.execvp(
                    sys.executable,
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "techbridge.wsgi",
                        "--config",
                        "python:techbridge.gunicorn_conf",  # preload + matching index warm-up
                        "--bind",
                        f"{host}:{port}",
                        *(["--workers", str(workers)] if workers else []),
                        "--access-logfile",
                        "-",
                    ],
                )
            self.stdout.write(f"TechBridge on http://{host}:{port}/")
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        finally:
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                worker.wait(timeout=10)
