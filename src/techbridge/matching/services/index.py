"""The platform's matching index: profiles -> engine fields, stored embeddings, and one engine per side per process.

Why a change log instead of a shared index file: every web process and task worker keeps its own in-memory
`MatchingEngine` (searching it takes milliseconds; loading it from the database takes seconds), so each must
learn about profiles other processes published or withdrew. Writers append an `IndexChange` row after storing
the profile's vectors; before every search a process runs one query for rows newer than the last it applied.
Because ids from concurrent transactions may commit out of order, the query also re-reads rows younger than
`LAG_SECONDS` and skips those already applied, so a late-committing id is never lost. Applying a row re-reads
the profile, so applying it twice is harmless.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from techbridge.core.jobs import Progress, no_progress
from techbridge.exchange.models import Kind, Profile, Status
from techbridge.matching.engine import EngineConfig, MatchingEngine
from techbridge.matching.engine import embedding as emb
from techbridge.matching.engine.text import profile_text, strip_html
from techbridge.matching.models import IndexChange, ProfileVector

#: Exchange kinds as the engine names them (its complement table speaks these).
ENGINE_KIND = {Kind.OFFER: "technology_offer", Kind.REQUEST: "technology_request",
               Kind.EQUIPMENT: "equipment_request"}
#: The exchange's stage vocabulary mapped onto the engine's ordered maturity scale.
ENGINE_STAGE = {"concept": "concept", "under_development": "research", "lab_tested": "prototype",
                "field_tested": "pilot", "available_for_demonstration": "market_ready",
                "already_on_market": "commercialised"}
OFFERS, NEEDS = "offers", "needs"
LAG_SECONDS = 60
#: A process idle for longer than this rebuilds instead of replaying (old log rows are pruned).
REPLAY_HORIZON = timedelta(days=1)
PRUNE_AFTER = timedelta(days=3)
#: Searches ask the change log at most this often per process (one query, not one per engine call: a search
#: box request ranked both sides and asked three times). This process's own writes mark it stale at once, so
#: it always sees them; other processes' changes arrive within this delay.
SYNC_INTERVAL = 0.5


def side_of(kind: str) -> str:
    """Offers live in one engine, requests and equipment requests (the needs) in the other."""
    return OFFERS if kind == Kind.OFFER else NEEDS


def complement_side(kind: str) -> str:
    """Requests and equipment requests are answered by offers; offers by requests and equipment requests."""
    return NEEDS if kind == Kind.OFFER else OFFERS


# --- semantic part: configuration and the lazily loaded encoder ------------------------------------------------

_encoder_lock = threading.Lock()
_encoder: emb.Encoder | None = None
_encoder_tried = False


def semantic_wanted() -> bool:
    """Whether this deployment asks for the embedding part (setting or env TECHBRIDGE_SEMANTIC; off in tests).

    Tests default to off because loading torch costs seconds per process; semantic tests switch it on.
    """
    value = getattr(settings, "TECHBRIDGE_SEMANTIC", None)
    if value is None:
        raw = os.environ.get("TECHBRIDGE_SEMANTIC")
        return (raw.strip().lower() in {"1", "true", "yes", "on"}) if raw else not getattr(settings, "TESTING", False)
    return bool(value)


def encoder_variant() -> str:
    """The encoder variant (TECHBRIDGE_ENCODER_VARIANT), by default the fastest this CPU runs without losing
    quality: `bf16` where the CPU has AMX bfloat16 tiles, else int8 ONNX (within 0.002 nDCG@10 of bf16 on the full
    development set; figures in docs/matching.md). `fp32` and torch `int8` remain.
    Vectors carry the variant in their key, so a change of variant re-embeds on the next reindex."""
    chosen = getattr(settings, "TECHBRIDGE_ENCODER_VARIANT", None) or os.environ.get("TECHBRIDGE_ENCODER_VARIANT")
    return chosen or ("bf16" if emb.cpu_has_amx_bf16() else "onnx-int8")


def model_key() -> str:
    """The key stored with every vector; computed without loading the model (same format as Encoder.key)."""
    return f"{emb.MODEL_NAME}|{encoder_variant()}|w254"


def semantic_status() -> tuple[bool, str]:
    """(on, reason) for the UI: on when wanted and the `semantic` extra is importable (no model load)."""
    if not semantic_wanted():
        return False, "semantic matching is switched off (TECHBRIDGE_SEMANTIC)"
    if not emb.available():
        return False, emb.unavailable_reason()
    return True, ""


def get_encoder() -> emb.Encoder | None:
    """The process's encoder, loaded on first use; None without the semantic extra (lexical fallback)."""
    global _encoder, _encoder_tried
    if not semantic_status()[0]:
        return None
    with _encoder_lock:
        if not _encoder_tried:
            _encoder = emb.load_encoder(variant=encoder_variant())
            _encoder_tried = True
    return _encoder


# --- profiles as engine fields ------------------------------------------------------------------------------


def profile_fields(*, profile: Profile, relations: dict[str, list[str]] | None = None) -> dict:
    """Engine fields of a profile (relations should be prefetched, or given as codes by `relation_codes`).

    A summary that merely repeats the opening of the description is left out, so its words are not counted
    twice and the indexed text is exactly what the author wrote.
    """
    if relations is None:
        relations = {"sectors": [s.code for s in profile.sectors.all()],
                     "target_countries": [c.iso2 for c in profile.target_countries.all()],
                     "partnership_types": [p.code for p in profile.partnership_types.all()]}
    description = profile.description or ""
    summary = profile.summary or ""
    plain = strip_html(text=description)
    if summary and plain.startswith(strip_html(text=summary).rstrip("…. ")):
        summary = ""
    title = profile.title
    technical = profile.technical_spec or ""
    if profile.kind == Kind.EQUIPMENT:
        title = f"{title}. {profile.item}" if profile.item and profile.item not in title else title
        technical = " ".join(p for p in (technical, profile.specification, profile.capacity) if p)
    return {
        "title": title,
        "summary": summary,
        "description": description,
        "advantages": profile.advantages or "",
        "technical_spec": technical,
        "keywords": profile.keywords or "",
        "kind": ENGINE_KIND.get(profile.kind, profile.kind),
        "sectors": relations.get("sectors", []),
        "country": profile.country_id,
        "target_countries": relations.get("target_countries", []),
        "partnership_types": relations.get("partnership_types", []),
        "trl": profile.trl,
        "stage": ENGINE_STAGE.get(profile.stage, ""),
    }


def _with_relations(qs):
    return qs.select_related("organisation").prefetch_related("sectors", "target_countries", "partnership_types")


#: Relation name -> (through-table column holding the related code, order of the related model's Meta).
_RELATION_COLUMNS = {"sectors": ("sector_id", "sector__code"), "target_countries": ("country_id", "country__name"),
                     "partnership_types": ("partnershiptype_id", "partnershiptype__label")}


def relation_codes(*, profile_ids: list[int]) -> dict[int, dict[str, list[str]]]:
    """{profile id: {"sectors": [...], "target_countries": [...], "partnership_types": [...]}} in three queries.

    What a full build uses instead of `prefetch_related`, whose per-instance managers cost more than the rest
    of reading 100,000 profiles. Codes come in the order `profile_fields` would list them from prefetched
    relations, so both give equal fields.
    """
    codes: dict[int, dict[str, list[str]]] = {}
    for name, (column, order) in _RELATION_COLUMNS.items():
        through = getattr(Profile, name).through
        for profile_id, code in (through.objects.filter(profile_id__in=profile_ids)
                                 .order_by(order, column).values_list("profile_id", column)):
            codes.setdefault(profile_id, {}).setdefault(name, []).append(code)
    return codes


def is_matchable(profile: Profile, *, now=None) -> bool:
    """Published and not past its validity: the only profiles anybody is matched with."""
    now = now or timezone.now()
    return profile.status == Status.PUBLISHED and not (profile.expires_at and profile.expires_at <= now)


# --- stored vectors -----------------------------------------------------------------------------------------


def _pack(matrix: np.ndarray) -> bytes:
    return np.asarray(matrix, dtype=np.float16).tobytes()


def _unpack(row: ProfileVector) -> np.ndarray:
    return np.frombuffer(bytes(row.vectors), dtype=np.float16).reshape(row.passages, row.dim).astype(np.float32)


def stored_vectors(*, profile_ids: list[int]) -> dict[int, tuple[str, np.ndarray]]:
    """{profile id: (text hash, passages)} for vectors made with the current model key."""
    rows = ProfileVector.objects.filter(profile_id__in=profile_ids, model_key=model_key())
    return {r.profile_id: (r.text_hash, _unpack(r)) for r in rows}


def embed_profiles(*, profiles: list[Profile], cache: emb.EmbeddingCache | None = None,
                   progress: Progress | None = None, batch: int = 256) -> int:
    """Store passage vectors for profiles whose text changed since they were embedded; returns how many.

    Unchanged text (same model key and text hash) is never embedded again; `cache` (an on-disk
    EmbeddingCache keyed the same way) lets benchmarks and rebuilds reuse vectors across databases.
    """
    encoder = get_encoder()
    if encoder is None or not profiles:
        return 0
    progress = progress or no_progress
    texts = {p.pk: profile_text(fields=profile_fields(profile=p)) for p in profiles}
    hashes = {pk: emb.text_key(encoder=encoder, text=t) for pk, t in texts.items()}
    have = dict(ProfileVector.objects.filter(profile_id__in=list(texts), model_key=encoder.key)
                .values_list("profile_id", "text_hash"))
    todo = [pk for pk in texts if have.get(pk) != hashes[pk]]
    done = 0
    for start in range(0, len(todo), batch):
        chunk = todo[start:start + batch]
        matrices = emb.encode_passages(encoder=encoder, texts=[texts[pk] for pk in chunk], cache=cache,
                                       save_every=max(batch, 1000))
        now = timezone.now()
        with transaction.atomic():
            ProfileVector.objects.filter(profile_id__in=chunk).delete()
            ProfileVector.objects.bulk_create([
                ProfileVector(profile_id=pk, model_key=encoder.key, text_hash=hashes[pk], passages=len(m),
                              dim=m.shape[1], vectors=_pack(m), updated_at=now)
                for pk, m in zip(chunk, matrices, strict=True)])
        done += len(chunk)
        progress(done, len(todo), f"embedded {done} of {len(todo)} changed profiles")
    return done


def query_vectors(*, profile: Profile) -> np.ndarray | None:
    """Passages of a profile used as a query: stored when current, else embedded now (if possible)."""
    if not semantic_status()[0]:
        return None
    text = profile_text(fields=profile_fields(profile=profile))
    stored = stored_vectors(profile_ids=[profile.pk]).get(profile.pk)
    encoder = get_encoder()
    if encoder is None:
        return stored[1] if stored else None
    if stored and stored[0] == emb.text_key(encoder=encoder, text=text):
        return stored[1]
    return emb.encode_passages(encoder=encoder, texts=[text])[0]


def text_vectors(*, text: str) -> np.ndarray | None:
    """Passages of a free-text query (the search box, saved searches); None without the semantic part."""
    encoder = get_encoder()
    if encoder is None or not text.strip():
        return None
    return emb.encode_passages(encoder=encoder, texts=[text])[0]


# --- writers: what tasks and commands call ------------------------------------------------------------------


def index_profiles(*, profile_ids: list[int], cache: emb.EmbeddingCache | None = None,
                   progress: Progress | None = None) -> int:
    """Embed the matchable ones among `profile_ids` (if semantic is on) and log a change for each.

    Called by the background task after a profile was saved, published, withdrawn or expired; the log row is
    what makes every other process pick the change up.
    """
    profiles = list(_with_relations(Profile.objects.filter(pk__in=profile_ids)))
    live = [p for p in profiles if is_matchable(p)]
    embed_profiles(profiles=live, cache=cache, progress=progress)
    live_ids = {p.pk for p in live}
    IndexChange.objects.bulk_create([
        IndexChange(profile_id=pk, op=IndexChange.Op.UPSERT if pk in live_ids else IndexChange.Op.REMOVE)
        for pk in profile_ids])
    _written_to_log()
    return len(live)


def rebuild(*, progress: Progress | None = None, cache: emb.EmbeddingCache | None = None) -> dict:
    """Re-embed every matchable profile whose text changed and tell every process to reload (`reindex`)."""
    progress = progress or no_progress
    qs = _with_relations(Profile.objects.filter(status=Status.PUBLISHED)).order_by("pk")
    profiles = [p for p in qs if is_matchable(p)]
    progress(0, len(profiles), f"{len(profiles)} published profiles")
    embedded = embed_profiles(profiles=profiles, cache=cache, progress=progress)
    IndexChange.objects.create(op=IndexChange.Op.REBUILD)
    _written_to_log()
    prune_log()
    PROCESS_INDEX.reset()
    progress(len(profiles), len(profiles), f"{len(profiles)} profiles indexed, {embedded} embedded")
    on, reason = semantic_status()
    return {"profiles": len(profiles), "embedded": embedded, "semantic": on, "reason": reason}


def _written_to_log() -> None:
    """This process's index reads its own change now, and again once the transaction commits (a search between
    the two would not yet see the uncommitted row)."""
    PROCESS_INDEX.mark_stale()
    transaction.on_commit(PROCESS_INDEX.mark_stale)


def prune_log() -> int:
    """Delete log rows older than PRUNE_AFTER (processes idle that long rebuild instead of replaying)."""
    deleted, _ = IndexChange.objects.filter(created_at__lt=timezone.now() - PRUNE_AFTER).delete()
    return deleted


# --- the per-process in-memory index -----------------------------------------------------------------------


@dataclass
class Meta:
    kind: str
    organisation_id: int
    expires_at: object


@dataclass
class ProcessIndex:
    """Two engines (offers; requests + equipment) built lazily from the database and kept in step by the log."""

    lock: threading.RLock = field(default_factory=threading.RLock)
    engines: dict[str, MatchingEngine] = field(default_factory=dict)
    meta: dict[str, Meta] = field(default_factory=dict)
    last_id: int = 0
    recent: dict[int, float] = field(default_factory=dict)  # applied ids still inside the lag window
    synced_at: float = 0.0
    checked_at: float = 0.0  # time.monotonic() of the last look at the change log
    stale_marks: int = 0  # mark_stale() calls: a look that started before one must not count as current
    built: bool = False
    semantic: bool = False
    stats: dict = field(default_factory=lambda: {"builds": 0, "applied": 0})

    def reset(self) -> None:
        with self.lock:
            self.engines, self.meta, self.recent = {}, {}, {}
            self.last_id, self.built, self.synced_at, self.checked_at = 0, False, 0.0, 0.0

    def engine(self, side: str) -> MatchingEngine:
        """The engine of one side, current to within SYNC_INTERVAL (at once for this process's own writes)."""
        self.ensure_current(at_most_every=SYNC_INTERVAL)
        return self.engines[side]

    def mark_stale(self) -> None:
        """This process wrote to the change log: the next search reads it, whatever the interval."""
        self.stale_marks += 1
        self.checked_at = 0.0

    def ensure_current(self, *, at_most_every: float = 0.0) -> None:
        """Apply the change log (or rebuild); `at_most_every` seconds skips the query if one ran that recently."""
        if self.built and at_most_every and time.monotonic() - self.checked_at < at_most_every:
            return
        with self.lock:
            looked, marks = time.monotonic(), self.stale_marks
            stale = time.time() - self.synced_at > REPLAY_HORIZON.total_seconds()
            if not self.built or stale or self.semantic != semantic_status()[0]:
                self._build()
            else:
                self._apply_changes()
            if marks == self.stale_marks:
                self.checked_at = looked

    def _build(self) -> None:
        self.engines = {OFFERS: MatchingEngine(config=EngineConfig()), NEEDS: MatchingEngine(config=EngineConfig())}
        self.meta = {}
        self.semantic = semantic_status()[0]
        self.last_id = IndexChange.objects.aggregate(m=Max("id"))["m"] or 0
        self.recent = {}
        cutoff = timezone.now() - timedelta(seconds=LAG_SECONDS)
        for pk in IndexChange.objects.filter(created_at__gte=cutoff).values_list("id", flat=True):
            self.recent[pk] = time.time()  # already reflected by the full load below
        qs = Profile.objects.filter(status=Status.PUBLISHED).order_by("pk")
        collecting = gc.isenabled()
        gc.disable()  # millions of new long-lived objects: collections would re-walk them over and over
        try:
            for chunk in _chunks(list(qs), 2000):
                ids = [p.pk for p in chunk]
                vectors = stored_vectors(profile_ids=ids) if self.semantic else {}
                relations = relation_codes(profile_ids=ids)
                for profile in chunk:
                    self._put(profile, vectors.get(profile.pk), relations.get(profile.pk, {}))
        finally:
            if collecting:
                gc.enable()
        self.built = True
        self.synced_at = time.time()
        self.stats["builds"] += 1

    def _put(self, profile: Profile, stored, relations: dict[str, list[str]] | None = None) -> None:
        doc_id = str(profile.pk)
        if not is_matchable(profile):
            self._drop(doc_id)
            return
        side = side_of(profile.kind)
        other = NEEDS if side == OFFERS else OFFERS
        self.engines[other].remove(doc_id=doc_id)  # a profile never changes kind, but be safe
        self.engines[side].add_or_update(doc_id=doc_id, fields=profile_fields(profile=profile, relations=relations),
                                         vector=stored[1] if stored else None)
        self.meta[doc_id] = Meta(kind=profile.kind, organisation_id=profile.organisation_id,
                                 expires_at=profile.expires_at)

    def _drop(self, doc_id: str) -> None:
        for engine in self.engines.values():
            engine.remove(doc_id=doc_id)
        self.meta.pop(doc_id, None)

    def _apply_changes(self) -> None:
        now = time.time()
        cutoff = timezone.now() - timedelta(seconds=LAG_SECONDS)
        rows = list(IndexChange.objects.filter(Q(id__gt=self.last_id) | Q(created_at__gte=cutoff))
                    .values_list("id", "profile_id", "op"))
        fresh = [r for r in rows if r[0] not in self.recent and r[0] > 0]
        self.recent = {k: v for k, v in self.recent.items() if now - v < 2 * LAG_SECONDS}
        self.synced_at = now
        if not fresh:
            return
        if any(op == IndexChange.Op.REBUILD for _id, _pk, op in fresh):
            self._build()
            return
        for change_id, _pk, _op in fresh:
            self.recent[change_id] = now
            self.last_id = max(self.last_id, change_id)
        wanted = sorted({pk for _id, pk, _op in fresh if pk})
        found = {p.pk: p for p in _with_relations(Profile.objects.filter(pk__in=wanted))}
        vectors = stored_vectors(profile_ids=wanted) if self.semantic else {}
        for pk in wanted:
            profile = found.get(pk)
            if profile is None:
                self._drop(str(pk))
            else:
                self._put(profile, vectors.get(pk))
        self.stats["applied"] += len(fresh)


def warm_up(*, index: ProcessIndex | None = None) -> dict:
    """Bring this process's index up to date now, lexical matrices included, not in the first request.

    Building the index for 100,000 profiles takes tens of seconds; a request that found it cold would wait
    that long (and every gunicorn worker would pay it once). The gunicorn configuration
    (`techbridge.gunicorn_conf`) calls this in the master before forking, so the workers share the built
    engines copy-on-write, and again in every worker after the fork, where it only replays the change log.
    """
    index = index or PROCESS_INDEX
    started = time.monotonic()
    with index.lock:
        index.ensure_current()
        for engine in index.engines.values():
            engine.lexical.row_of(doc_id="")  # the BM25 matrix is built lazily: build it now
    # The index lives as long as the process: move it out of the collector's generations, or every full
    # collection walks its millions of objects (hundreds of milliseconds inside some unlucky request).
    gc.collect()
    gc.freeze()
    return {"profiles": len(index.meta), "builds": index.stats["builds"],
            "seconds": round(time.monotonic() - started, 2)}


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]


PROCESS_INDEX = ProcessIndex()
