"""Fault run (issue #8): the task worker SIGKILLed in the middle of index work; a new worker must finish it.

What it does, on a throwaway database (a SQLite file in a temporary TECHBRIDGE_HOME, or the PostgreSQL database
named by `--database-url`, which is dropped and recreated):
1. bulk-imports N published profiles (the exchange's `import_published_profiles`, indexing deferred), and builds
   this process's in-memory matching index — this process plays a long-running web process;
2. queues, as the web does, a full index rebuild (the staff button's Job and task) and a stream of profile
   events through the exchange services: edits (each adds a unique word), new publications and withdrawals —
   each one's after-commit hook enqueues an indexing task;
3. starts a real huey consumer (`techbridge run_huey`), SIGKILLs it when the work is about half done (the
   rebuild's progress with semantic matching on, the task queue's otherwise), starts a new consumer and waits;
4. checks: every published profile is in this process's index and in a freshly built one exactly once (one side,
   no withdrawn profile) with its latest text; with semantic matching on, one stored vector per published
   profile, made from its current text; the rebuild Job ended "done"; a search for each edited profile's new word
   finds it first. Prints a JSON summary; exit status 1 if a check failed.

Usage:
    python bench/fault_worker_reindex.py [--profiles 3000] [--edits 600] [--publish 100] [--withdraw 50]
        [--semantic] [--kill-at 0.5] [--timeout 300] [--database-url postgres://user@host/throwaway_db]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

from fault_worker_common import (
    finish,
    kill,
    log_tail,
    machine_load,
    prepare_environment,
    setup_django,
    start_worker,
    stop,
    wait_until,
)

WORDS = ["solar", "dryer", "rice", "mill", "biogas", "water", "filter", "cold", "storage", "drip", "irrigation",
         "bamboo", "processing", "textile", "dyeing", "fish", "smoking", "tea", "withering", "cashew", "shelling",
         "coconut", "oil", "spice", "grinding"]


def token(n: int) -> str:
    """A word no generated text contains, unique per event (letters only, so every tokenizer keeps it)."""
    letters = ""
    n += 26 * 26
    while n:
        n, r = divmod(n, 26)
        letters = chr(97 + r) + letters
    return f"zq{letters}x"


def rows(count: int, rng: random.Random):
    for _ in range(count):
        title = " ".join(rng.sample(WORDS, 4))
        yield {"title": title.capitalize(), "summary": f"{title} for small enterprises", "keywords": title,
               "description": "<p>" + " ".join(rng.choices(WORDS, k=60)) + "</p>"}


def seed(*, profiles: int) -> tuple[object, list[int], list[object]]:
    from django.test.utils import override_settings

    from techbridge.exchange.bulk import import_published_profiles
    from techbridge.matching.bench_db import setup_actor

    actor, offering, seeking = setup_actor()
    rng = random.Random(8)
    ids: list[int] = []
    with override_settings(TECHBRIDGE_DEFER_INDEXING=True):  # indexing is the rebuild's job, not the seed's
        for org, kind, count in ((offering, "offer", profiles - profiles // 2), (seeking, "request", profiles // 2)):
            ids += import_published_profiles(actor=actor, organisation_id=org.pk, kind=kind,
                                             rows=rows(count, rng), total=count)
    return actor, ids, [offering, seeking]


def plan_events(*, ids: list[int], edits: int, publish: int, withdraw: int) -> list[tuple[str, int | None]]:
    rng = random.Random(9)
    chosen = rng.sample(ids, edits + withdraw)
    events = [("edit", pk) for pk in chosen[:edits]] + [("withdraw", pk) for pk in chosen[edits:]]
    events += [("publish", None)] * publish
    rng.shuffle(events)
    return events


class WebSide:
    """What the web does: profile events through the services (each one's commit hook enqueues a task)."""

    def __init__(self, *, actor, orgs):
        self.actor, self.orgs, self.rng = actor, orgs, random.Random(11)
        self.words: dict[int, str] = {}  # profile id -> the unique word its latest text carries
        self.withdrawn: list[int] = []

    def emit(self, n: int, what: str, pk: int | None) -> int:
        from techbridge.exchange import services
        from techbridge.exchange.models import Profile

        word, rng = token(n), self.rng
        if what == "edit":
            profile = Profile.objects.get(pk=pk)
            services.update_profile(actor=self.actor, profile=profile, values={
                "title": f"{profile.title} {word}",
                "description": f"<p>Edited: {word} {' '.join(rng.choices(WORDS, k=40))}</p>"})
            self.words[pk] = word
            return pk
        if what == "withdraw":
            services.archive_profile(actor=self.actor, profile=Profile.objects.get(pk=pk))
            self.withdrawn.append(pk)
            return pk
        profile = services.create_profile(
            actor=self.actor, kind="offer" if n % 2 == 0 else "request", organisation_id=self.orgs[n % 2].pk,
            values={"title": f"New {' '.join(rng.sample(WORDS, 3))} {word}", "summary": f"A new profile: {word}",
                    "description": f"<p>{word} {' '.join(rng.choices(WORDS, k=40))}</p>"})
        services.submit_profile(actor=self.actor, profile=profile)
        services.validate_profile(actor=self.actor, profile=profile)
        self.words[profile.pk] = word
        return profile.pk


def uncovered(profile_ids: list[int]) -> set[int]:
    """Profiles changed after the last index log row that covers them (what no process would ever re-read)."""
    from django.db.models import Max

    from techbridge.exchange.models import Profile
    from techbridge.matching.models import IndexChange

    updated = dict(Profile.objects.filter(pk__in=profile_ids).values_list("pk", "updated_at"))
    logged = dict(IndexChange.objects.filter(profile_id__in=profile_ids).values("profile_id")
                  .annotate(last=Max("created_at")).values_list("profile_id", "last"))
    rebuilt = IndexChange.objects.filter(op=IndexChange.Op.REBUILD).aggregate(m=Max("created_at"))["m"]
    out = set()
    for pk, at in updated.items():
        marks = [m for m in (logged.get(pk), rebuilt) if m is not None]
        if not marks or max(marks) < at:
            out.add(pk)
    return out


def pending_profile_ids() -> set[int]:
    """Profiles named by indexing tasks still waiting in the queue (not lost: a worker will run them)."""
    from huey.contrib.djhuey import HUEY

    found: set[int] = set()
    for task in HUEY.pending():
        found.update((task.kwargs or {}).get("profile_ids", []))
    return found


def kill_and_look(worker, touched: list[int], job_id, progress, started: float, *, emitted: int) -> dict:
    """SIGKILL the worker, then tell the work it dropped (not logged, not queued) from the work still queued."""
    from huey.contrib.djhuey import HUEY

    at = round(progress(), 3)
    kill(worker)
    not_logged = uncovered(sorted(set(touched)))
    lost = not_logged - pending_profile_ids()
    return {"after_seconds": round(time.monotonic() - started, 1), "progress": at, "events_emitted": emitted,
            "tasks_pending": HUEY.pending_count(), "job": job_state(job_id),
            "events_not_logged": len(not_logged), "lost_in_flight": sorted(lost)}


def job_state(job_id: str | None) -> dict:
    from techbridge.core.models import Job

    if job_id is None:
        return {}
    job = Job.objects.get(pk=job_id)
    return {"state": job.state, "done": job.done, "total": job.total, "message": job.message}


def check_index(proc_index, *, published: dict, semantic: bool) -> dict:
    """Compare an in-memory index with the database: each published profile once, on its side, latest text."""
    from techbridge.matching.services import index

    proc_index.ensure_current()
    sides = {side: set(engine.fields) for side, engine in proc_index.engines.items()}
    in_both = sides[index.OFFERS] & sides[index.NEEDS]
    indexed = sides[index.OFFERS] | sides[index.NEEDS]
    want = {str(pk) for pk in published}
    stale, wrong_side = [], []
    for pk, profile in published.items():
        doc = str(pk)
        side = index.side_of(profile.kind)
        if doc not in sides[side]:
            if doc in indexed:
                wrong_side.append(pk)
            continue
        if proc_index.engines[side].fields[doc] != index.profile_fields(profile=profile):
            stale.append(pk)
    result = {"indexed": len(indexed), "missing": len(want - indexed), "extra": len(indexed - want),
              "in_both_sides": len(in_both), "wrong_side": len(wrong_side), "stale_text": len(stale),
              "stale_examples": stale[:5], "missing_examples": sorted(int(d) for d in want - indexed)[:5]}
    if semantic:
        vectors = sum(len(engine.vectors) for engine in proc_index.engines.values())
        result["with_vectors"] = vectors
    return result


def check_vectors(published: dict) -> dict:
    """One stored vector per published profile, made by the current model from the profile's current text."""
    from techbridge.matching.engine import embedding as emb
    from techbridge.matching.engine.text import profile_text
    from techbridge.matching.models import ProfileVector
    from techbridge.matching.services import index

    encoder = index.get_encoder()
    stored = dict(ProfileVector.objects.filter(model_key=index.model_key()).values_list("profile_id", "text_hash"))
    outdated = [pk for pk, p in published.items() if pk in stored and stored[pk] != emb.text_key(
        encoder=encoder, text=profile_text(fields=index.profile_fields(profile=p)))]
    # Vectors of withdrawn profiles are kept on purpose (re-publishing the same text costs no embedding); no
    # process loads them, so they are reported, not counted as errors.
    return {"published": len(published), "stored_for_published": len(set(stored) & set(published)),
            "missing": len(set(published) - set(stored)), "outdated_text": len(outdated),
            "kept_for_unpublished": len(set(stored) - set(published))}


def check_queries(words: dict[int, str], published: dict, *, sample: int, must: set[int]) -> dict:
    from techbridge.matching.services import matches

    live = [pk for pk in words if pk in published]
    rng = random.Random(10)
    chosen = sorted(set(rng.sample(live, min(sample, len(live)))) | (must & set(live)))
    first, misses = 0, []
    for pk in chosen:
        ranked = matches.rank_text(text=words[pk], k=5)
        if ranked and ranked[0].doc_id == str(pk):
            first += 1
        else:
            misses.append(pk)
    return {"queries": len(chosen), "found_first": first, "misses": misses[:10]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=3000)
    parser.add_argument("--edits", type=int, default=None, help="default: profiles / 5")
    parser.add_argument("--publish", type=int, default=None, help="default: profiles / 30")
    parser.add_argument("--withdraw", type=int, default=None, help="default: profiles / 60")
    parser.add_argument("--no-reindex", action="store_true", help="only the event stream, no rebuild Job")
    parser.add_argument("--semantic", action="store_true", help="embeddings on (TECHBRIDGE_SEMANTIC=1); slow")
    parser.add_argument("--kill-at", type=float, default=0.5, help="fraction of the work done at the kill")
    parser.add_argument("--kill-mode", choices=["stall", "progress"], default=None,
                        help="stall: kill inside the indexing task due at the mark (hung by "
                             "bench/fault_worker_stall.py); progress: kill when the progress reaches the mark "
                             "with tasks queued (default: stall, or progress with --semantic)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds the second worker may take")
    parser.add_argument("--queries", type=int, default=50, help="edited profiles searched by their new word")
    parser.add_argument("--database-url", default="", help="a throwaway PostgreSQL database (recreated)")
    args = parser.parse_args()
    edits = args.profiles // 5 if args.edits is None else args.edits
    publish = args.profiles // 30 if args.publish is None else args.publish
    withdraw = args.profiles // 60 if args.withdraw is None else args.withdraw

    env = prepare_environment(tag="reindex", database_url=args.database_url, semantic=args.semantic)
    home = Path(env["TECHBRIDGE_HOME"])
    setup_django()
    from django.db import connection
    from huey.contrib.djhuey import HUEY

    from techbridge.exchange.models import Profile, Status
    from techbridge.matching.models import IndexChange
    from techbridge.matching.services import index

    summary: dict = {"database": connection.vendor, "semantic": args.semantic, "profiles": args.profiles,
                     "load_before": machine_load()}
    started = time.monotonic()
    actor, ids, orgs = seed(profiles=args.profiles)
    summary["seed_seconds"] = round(time.monotonic() - started, 1)
    started = time.monotonic()
    index.PROCESS_INDEX.ensure_current()  # the long-running "web process" index, built before anything changes
    summary["web_index_build_seconds"] = round(time.monotonic() - started, 1)

    from techbridge.core.jobs import start_job
    from techbridge.matching.tasks import reindex_job_task

    job_id = None
    if not args.no_reindex:  # the staff button: a Job whose task rebuilds the index
        job_id = str(start_job(actor=actor, kind="Rebuild of the matching index", task=reindex_job_task,
                               params={}).pk)
    plan = plan_events(ids=ids, edits=edits, publish=publish, withdraw=withdraw)
    web = WebSide(actor=actor, orgs=orgs)
    touched: list[int] = []

    def progress() -> float:
        job = job_state(job_id)
        if args.semantic and job:  # the rebuild is the long part: its own progress bar
            return job["done"] / job["total"] if job["total"] else 0.0
        return (len(touched) - len(uncovered(touched))) / len(plan)

    mode = args.kill_mode or ("progress" if args.semantic else "stall")
    marker = home / "stalled"
    expected_tasks = edits + withdraw + 4 * publish  # a publication is created, submitted, validated, published
    stall = f"{max(1, int(args.kill_at * expected_tasks))}:{marker}" if mode == "stall" else ""
    summary["kill_mode"] = mode

    def kill_now() -> bool:
        if mode == "stall":
            return marker.exists()
        return progress() >= args.kill_at and HUEY.pending_count() >= 2

    log1, log2 = home / "worker-1.log", home / "worker-2.log"
    worker = start_worker(env=env, log=log1, stall_index=stall)
    started = time.monotonic()
    if job_id:  # events start once the worker has taken the rebuild (or, without embeddings, finished it)
        wanted = {"running", "done"} if args.semantic else {"done"}
        wait_until(lambda: job_state(job_id)["state"] in wanted, timeout=args.timeout, alive=worker)
    summary["first_worker_ready_seconds"] = round(time.monotonic() - started, 1)
    killed, n = None, 0
    for n, (what, pk) in enumerate(plan):  # the web keeps writing while the worker runs … and after it died
        touched.append(web.emit(n, what, pk))
        if n % 5 == 4:
            index.PROCESS_INDEX.ensure_current()  # a web process serves searches meanwhile: it follows the log
        # progress mode: kill past the mark while tasks wait in the queue (both worker threads are busy)
        if killed is None and (mode == "stall" or n % 5 == 4) and kill_now():
            killed = kill_and_look(worker, touched, job_id, progress, started, emitted=n + 1)
    if killed is None:
        if wait_until(marker.exists if mode == "stall" else lambda: progress() >= args.kill_at,
                      timeout=args.timeout, interval=0.05, alive=worker) is None:
            stop(worker)
            summary["error"] = "the first worker never reached the kill point"
            summary["worker_log"] = log_tail(log1)
            print(json.dumps(summary, indent=1))
            return 1
        killed = kill_and_look(worker, touched, job_id, progress, started, emitted=len(plan))
    events = sorted(set(touched))
    summary["events"] = {"edits": edits, "published": publish, "withdrawn": withdraw,
                         "emit_seconds": round(time.monotonic() - started, 1)}
    summary["kill"] = killed
    if marker.exists():
        killed["stalled_task_profiles"] = json.loads(marker.read_text())
    lost = set(killed["lost_in_flight"])
    work = {"job_id": job_id, "words": web.words, "withdrawn": web.withdrawn}

    worker = start_worker(env=env, log=log2)
    started = time.monotonic()

    def finished() -> bool:
        index.PROCESS_INDEX.ensure_current()
        job = job_state(work["job_id"])
        return HUEY.pending_count() == 0 and (not job or job["state"] in {"done", "failed"}) \
            and not uncovered(events)

    took = wait_until(finished, timeout=args.timeout, interval=1.0, alive=worker)
    time.sleep(1.0)  # let a task that just logged its change commit everything else it writes
    stop(worker)
    summary["recovery"] = {"completed": took is not None,
                           "seconds": round(took, 1) if took is not None else None,
                           "job": job_state(work["job_id"]), "tasks_pending": HUEY.pending_count(),
                           "events_not_logged": len(uncovered(events))}

    published = {p.pk: p for p in index._with_relations(Profile.objects.filter(status=Status.PUBLISHED))}
    withdrawn_published = [pk for pk in work["withdrawn"] if pk in published]
    checks = {"published": len(published), "withdrawn_still_published": len(withdrawn_published),
              "web_process_index": check_index(index.PROCESS_INDEX, published=published, semantic=args.semantic),
              "fresh_index": check_index(index.ProcessIndex(), published=published, semantic=args.semantic),
              "log_rows": IndexChange.objects.count()}
    if args.semantic:
        checks["vectors"] = check_vectors(published)
    checks["search_new_words"] = check_queries(work["words"], published, sample=args.queries, must=lost)
    summary["checks"] = checks
    summary["load_after"] = machine_load()

    def clean(result: dict) -> bool:
        return not any(result[k] for k in ("missing", "extra", "in_both_sides", "wrong_side", "stale_text"))

    ok = (clean(checks["web_process_index"]) and clean(checks["fresh_index"]) and not withdrawn_published
          and summary["recovery"]["completed"]
          and checks["search_new_words"]["found_first"] == checks["search_new_words"]["queries"]
          and (not work["job_id"] or summary["recovery"]["job"]["state"] == "done"))
    if args.semantic:
        v = checks["vectors"]
        ok = ok and v["stored_for_published"] == v["published"] and not (v["missing"] or v["outdated_text"])
        ok = ok and all(checks[k]["with_vectors"] == len(published) for k in ("web_process_index", "fresh_index"))
    return finish(summary=summary, ok=ok, logs=(log1, log2), home=home)


if __name__ == "__main__":
    sys.exit(main())
