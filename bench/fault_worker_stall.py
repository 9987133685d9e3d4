"""`techbridge run_huey` with one indexing task made to hang, so a fault run can kill the worker inside it.

The outbox has its own hook for this (services/outbox.py, TECHBRIDGE_TEST_STALL_AFTER_SEND); the index has none,
so this wrapper patches `index_profiles` in the worker process only: the N-th call (counted across worker
threads) writes its profile ids to PATH and sleeps instead of indexing. Everything else is the real consumer.

Usage (by bench/fault_worker_reindex.py): FAULT_STALL_INDEX=N:PATH python bench/fault_worker_stall.py
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techbridge.settings")
    import django

    django.setup()
    from techbridge.cli import main as techbridge
    from techbridge.matching.services import index

    count, _sep, path = os.environ["FAULT_STALL_INDEX"].partition(":")
    original = index.index_profiles
    lock, calls = threading.Lock(), [0]

    def stalling(*, profile_ids: list[int], **kwargs) -> int:
        with lock:
            calls[0] += 1
            mine = calls[0]
        if mine == int(count):
            Path(path).write_text(json.dumps(list(profile_ids)))
            time.sleep(600)
        return original(profile_ids=profile_ids, **kwargs)

    index.index_profiles = stalling
    techbridge(["run_huey"])


if __name__ == "__main__":
    main()
