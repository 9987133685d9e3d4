"""How the engine holds its documents: compact lexical arrays and no third copy of the vectors under HNSW."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from techbridge.matching.engine.lexical import BM25Params, LexicalIndex, query_vector
from techbridge.matching.engine.vectors import VectorIndex


def _bm25_by_hand(docs: dict[str, dict[str, str]], query: str, params: BM25Params) -> dict[str, float]:
    """Textbook BM25F over whitespace tokens, computed independently of the index."""
    fields = list(params.field_weights)
    avg = {f: np.mean([len(d[f].split()) for d in docs.values() if d.get(f)]) for f in fields
           if any(d.get(f) for d in docs.values())}
    n = len(docs)
    out = {}
    for doc_id, doc in docs.items():
        score = 0.0
        for term in set(query.split()):
            df = sum(1 for d in docs.values() if any(term in d.get(f, "").split() for f in fields))
            if not df:
                continue
            idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
            tf = sum(params.field_weights[f] * Counter(doc[f].split())[term]
                     / (1 - params.b + params.b * len(doc[f].split()) / avg[f]) for f in fields if doc.get(f))
            qw = query_vector(fields={"title": term}, params=params)[term]
            score += qw * idf * tf * (params.k1 + 1) / (params.k1 + tf)
        out[doc_id] = score
    return out


def test_lexical_scores_match_bm25f_computed_by_hand():
    params = BM25Params(stemming=False, field_weights={"title": 2.0, "description": 1.0},
                        query_field_weights={"title": 1.0})
    docs = {"a": {"title": "solar dryer", "description": "dryer mango chilli dryer"},
            "b": {"title": "water filter", "description": "ceramic filter drinking water"},
            "c": {"title": "rice dryer", "description": ""}}
    index = LexicalIndex(params=params)
    for doc_id, fields in docs.items():
        index.add(doc_id=doc_id, fields=fields)
    scores = dict(zip(index.ids, index.scores(query_terms=query_vector(fields={"title": "dryer mango"},
                                                                       params=params)).tolist(), strict=True))
    assert scores == pytest.approx(_bm25_by_hand(docs, "dryer mango", params), rel=1e-5)


def test_lexical_replace_and_remove_forget_old_terms():
    index = LexicalIndex(params=BM25Params(stemming=False))
    index.add(doc_id="a", fields={"title": "biogas digester"})
    index.add(doc_id="b", fields={"title": "solar pump"})
    index.add(doc_id="a", fields={"title": "rice husk stove"})
    assert index.doc_terms(doc_id="a") == {"rice", "husk", "stove"}
    assert index.idf(term="biogas") == 0.0
    assert index.scores(query_terms=Counter({"biogas": 1.0})).tolist() == [0.0, 0.0]
    index.remove(doc_id="b")
    assert index.ids == ["a"] and index.idf(term="solar") == 0.0
    assert index.doc_counts(doc_id="a") == Counter({"rice": 1, "husk": 1, "stove": 1})


def test_vector_index_under_hnsw_keeps_no_stacked_copy_yet_searches_exactly_on_demand():
    rng = np.random.default_rng(2)
    index = VectorIndex(dim=16, ann_threshold=20)
    vectors = {f"d{i}": rng.normal(size=(2, 16)) for i in range(60)}
    for doc_id, v in vectors.items():
        index.add(doc_id=doc_id, vectors=v)
    query = vectors["d7"][:1] + 0.01
    found = index.candidates(query=query, k=5)
    assert index.uses_ann and next(iter(found)) == "d7"
    assert index._matrix is None  # the graph and the per-profile passages are the only copies
    ids, exact = index.exact_scores(query=query)
    assert ids[int(np.argmax(exact))] == "d7"
    index.add(doc_id="new", vectors=vectors["d7"] * 1.0)
    assert "new" in index.candidates(query=query, k=5) and index._matrix is None
