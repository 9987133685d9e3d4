"""Encoder loading, passages and the embedding cache (real model when the semantic extra is installed)."""

from __future__ import annotations

import numpy as np
import pytest

from techbridge.matching.engine import MatchingEngine
from techbridge.matching.engine.embedding import (
    EmbeddingCache,
    available,
    encode_passages,
    load_encoder,
    split_passages,
    unavailable_reason,
)
from techbridge.matching.engine.text import profile_text, strip_html

needs_model = pytest.mark.skipif(not available(), reason="semantic extra not installed")


@pytest.fixture(scope="module")
def encoder():
    if not available():
        pytest.skip(unavailable_reason())
    return load_encoder(window=30)


def test_load_encoder_disabled_returns_none_with_reason():
    assert load_encoder(disabled=True) is None
    assert unavailable_reason()


def test_engine_with_query_vector_but_no_indexed_vectors_falls_back_to_lexical():
    engine = MatchingEngine()
    engine.add_or_update(doc_id="a", fields={"title": "hydrogen fuel cell stack"}, vector=None)
    engine.add_or_update(doc_id="b", fields={"title": "rice husk dryer"}, vector=None)
    res = engine.search(query_fields={"title": "fuel cell"}, query_vector=np.ones(384, np.float32), k=5)
    assert [m.doc_id for m in res] == ["a"]
    assert "semantic" not in res[0].components


def test_profile_text_strips_html_and_orders_title_first():
    text = profile_text(fields={"description": "<p>Body &amp; more</p>", "title": "Title"})
    assert text == "Title. Body & more"
    assert strip_html(text="<b>x</b><br/>y") == "x y"


@pytest.mark.semantic
@needs_model
def test_split_passages_covers_long_text_in_windows(encoder):
    text = " ".join(f"word{i}" for i in range(60))
    passages = split_passages(encoder=encoder, text=text)
    assert len(passages) > 1
    assert passages[0].startswith("word0") and passages[-1].endswith("word59")
    assert len(split_passages(encoder=encoder, text=text * 20, max_passages=4)) == 4


@pytest.mark.semantic
@needs_model
def test_encode_passages_cache_round_trip_and_similarity(encoder, tmp_path):
    texts = ["solar dryer for mango fruit", "dryer powered by the sun for drying fruit",
             "quantum key distribution over optical fibre"]
    cache = EmbeddingCache(path=tmp_path / "c.npz")
    vecs = encode_passages(encoder=encoder, texts=texts, cache=cache)
    assert all(np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-3) for v in vecs)
    assert float(vecs[0][0] @ vecs[1][0]) > float(vecs[0][0] @ vecs[2][0])
    reloaded = EmbeddingCache(path=tmp_path / "c.npz")
    again = encode_passages(encoder=encoder, texts=texts, cache=reloaded)
    assert not reloaded.dirty  # everything came from disk
    assert np.allclose(again[2], vecs[2], atol=1e-2)  # stored as float16


@pytest.mark.semantic
@needs_model
def test_onnx_int8_encoder_stays_close_to_fp32_and_keeps_ranking(encoder, tmp_path, monkeypatch):
    from techbridge.matching.engine import embedding

    monkeypatch.setattr(embedding, "CACHE_ROOT", tmp_path)  # a fresh export, not a graph left by another run
    fast = load_encoder(variant="onnx-int8", window=30)
    assert fast is not None, unavailable_reason()
    assert fast.key.endswith("|onnx-int8|w30") and fast.key != encoder.key  # never shares cached vectors
    assert list((tmp_path / "models").glob("minilm-*-int8rr-v2.onnx"))
    texts = ["solar dryer for mango fruit", "dryer powered by the sun for drying fruit",
             "quantum key distribution over optical fibre", "x"]
    exact = encode_passages(encoder=encoder, texts=texts)
    quick = encode_passages(encoder=fast, texts=texts)
    for a, b in zip(exact, quick, strict=True):
        assert a.shape == b.shape
        assert float((a * b).sum(axis=1).min()) > 0.97
    assert float(quick[0][0] @ quick[1][0]) > float(quick[0][0] @ quick[2][0])
    long = " ".join(f"word{i}" for i in range(60))
    assert split_passages(encoder=fast, text=long) == split_passages(encoder=encoder, text=long)


@pytest.mark.semantic
@needs_model
def test_bf16_encoder_gives_fp32_vectors_to_rounding_and_its_own_cache_key(encoder):
    fast = load_encoder(variant="bf16", window=30)
    assert fast is not None, unavailable_reason()
    assert fast.key.endswith("|bf16|w30") and fast.key != encoder.key
    texts = ["solar dryer for mango fruit", "dryer powered by the sun for drying fruit",
             "quantum key distribution over optical fibre"]
    exact = encode_passages(encoder=encoder, texts=texts)
    quick = encode_passages(encoder=fast, texts=texts)
    for a, b in zip(exact, quick, strict=True):
        assert a.dtype == np.float32 and a.shape == b.shape
        assert float((a * b).sum(axis=1).min()) > 0.99
    assert float(quick[0][0] @ quick[1][0]) > float(quick[0][0] @ quick[2][0])


def test_cpu_amx_detection_reads_the_flags_line(tmp_path):
    from techbridge.matching.engine.embedding import cpu_has_amx_bf16

    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f amx_bf16 amx_tile\n")
    assert cpu_has_amx_bf16(info)
    info.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f\nbugs\t\t: amx_bf16\n")
    assert not cpu_has_amx_bf16(info)  # only the flags line counts
    info.write_text("processor\t: 0\nflags\t\t: fpu avx512f avx512_bf16 avx512_vnni\n")
    assert not cpu_has_amx_bf16(info)  # AVX-512 BF16 without AMX: int8 ONNX is faster there
    assert not cpu_has_amx_bf16(tmp_path / "missing")


def test_default_encoder_variant_follows_the_cpu_unless_configured(monkeypatch, settings):
    from techbridge.matching.engine import embedding
    from techbridge.matching.services import index

    settings.TECHBRIDGE_ENCODER_VARIANT = None
    monkeypatch.delenv("TECHBRIDGE_ENCODER_VARIANT", raising=False)
    monkeypatch.setattr(embedding, "cpu_has_amx_bf16", lambda: True)
    assert index.encoder_variant() == "bf16" and index.model_key().endswith("|bf16|w254")
    monkeypatch.setattr(embedding, "cpu_has_amx_bf16", lambda: False)
    assert index.encoder_variant() == "onnx-int8"
    monkeypatch.setenv("TECHBRIDGE_ENCODER_VARIANT", "fp32")
    assert index.encoder_variant() == "fp32"
