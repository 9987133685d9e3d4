"""Gunicorn settings: `gunicorn -c python:techbridge.gunicorn_conf techbridge.wsgi` (`techbridge serve --production`).

Why preload: every web process answers "similar profiles", matches and the search box from an in-memory
matching index (`techbridge.matching.services.index`). Built lazily, the first such request in each worker
would wait for the whole build (tens of seconds at 100,000 profiles) and each worker would hold its own copy.
With `preload_app` the master loads Django, builds the index once (`when_ready`, before any worker is forked)
and the workers inherit it copy-on-write; `gc.freeze()` keeps the garbage collector from touching (and so
copying, and walking on every full collection) those millions of objects. Each worker then replays the change
log written since the master built (`post_worker_init`), which keeps a worker forked days later current too.

Why cores + 1 workers of 4 threads: every worker holds the index and runs CPU-bound Python, so processes beyond the
cores only fight over them. On 2 cores under the 64-user load run, 5 × 4 (the usual 2 × cores + 1) cost 18.8 ms
of CPU per request and gave reads p95 114 ms; 3 × 4 cost 17.2 ms and 99 ms; 2 × 6 16.5 ms and 105 ms
(docs/benchmarks.md). Threads keep a worker answering while another request waits on the database.

`TECHBRIDGE_WARM_INDEX=0` switches the warm-up off (workers then build on first use, as before).
`WEB_CONCURRENCY` and `GUNICORN_THREADS` set the worker and thread counts; command-line options (`-w`,
`--threads`, `-b`) still override anything set here.
"""

from __future__ import annotations

import gc
import os
import threading

preload_app = True
workers = int(os.environ.get("WEB_CONCURRENCY") or (os.cpu_count() or 1) + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 4)


def _warm_up_wanted() -> bool:
    return os.environ.get("TECHBRIDGE_WARM_INDEX", "1").strip().lower() not in {"0", "false", "no", "off"}


def when_ready(server) -> None:
    """In the master, after the app is loaded and before the workers are forked: build the index once."""
    if not _warm_up_wanted():
        return
    from django.db import connections

    from techbridge.matching.services.index import warm_up

    try:
        _warm_django()
        server.log.info("matching index built before forking: %s", warm_up())
    except Exception:  # a missing table or database must not keep the site down: workers build on first use
        server.log.exception("matching index warm-up failed; workers will build it on first use")
    finally:
        connections.close_all()  # a forked worker must never share the master's database socket
    gc.freeze()


def _warm_django() -> None:
    """What every worker's first request would otherwise do: the URL resolver's tables, the busiest templates."""
    from django.template.loader import get_template
    from django.urls import reverse

    reverse("exchange:browse")
    for name in ("base.html", "exchange/browse.html", "exchange/detail.html"):
        get_template(name)


def post_worker_init(worker) -> None:
    """In each worker after the fork: apply changes logged since the master built (in the background, so a
    rebuild — a master older than the replay horizon — cannot exceed gunicorn's worker timeout)."""
    if not _warm_up_wanted():
        return

    def catch_up() -> None:
        from django.db import connections

        from techbridge.matching.services.index import warm_up

        try:
            worker.log.info("matching index current in worker %s: %s", worker.pid, warm_up())
        except Exception:
            worker.log.exception("matching index catch-up failed; the next request retries")
        finally:
            connections.close_all()

    threading.Thread(target=catch_up, name="matching-index-catch-up", daemon=True).start()
