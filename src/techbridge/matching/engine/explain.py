"""Human-readable reasons for a match, built only from evidence that actually entered the score.

Why: brokers forward matches to firms, and a bare "87 %" invites distrust; naming the shared technical
terms, quoting the passage that matched and listing the structured checks lets a person verify the match
in seconds. Terms are shown in their surface form from the candidate's own text.
"""

from __future__ import annotations

import re

from .text import field_text, surface_forms

_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+")


def matched_terms(*, query_weights: dict[str, float], doc_terms: set[str], idf: dict[str, float],
                  doc_text: str, limit: int = 8) -> list[str]:
    """Shared analysed terms, most distinctive first, in readable form.

    Ordered by idf x min(query weight, 2): long requests repeat generic words ("problem", "solve") so
    often that raw contribution would list those first, which explains nothing to a reader.
    """
    shared = [t for t in query_weights if t in doc_terms]
    shared.sort(key=lambda t: -min(query_weights[t], 2.0) * idf.get(t, 0.0))
    forms = surface_forms(text=doc_text)
    out = []
    for term in shared:
        if "_" in term:
            a, b = term.split("_", 1)
            out.append(f"{forms.get(a, a)} {forms.get(b, b)}")
        else:
            out.append(forms.get(term, term))
        if len(out) >= limit:
            break
    return out


def best_sentence(*, text: str, terms: list[str], max_chars: int = 300) -> str | None:
    """The sentence of ``text`` mentioning most of the matched terms (the passage shown to the user)."""
    if not text or not terms:
        return None
    wanted = [t.lower() for t in terms]
    best, best_hits = None, 0
    for sentence in _SENTENCE_RE.split(text):
        low = sentence.lower()
        hits = sum(1 for t in wanted if t in low)
        if hits > best_hits:
            best, best_hits = sentence.strip(), hits
    if best and len(best) > max_chars:
        best = best[: max_chars - 1].rsplit(" ", 1)[0] + "…"
    return best


def strength(*, score: float) -> str:
    """Verbal band for the final score (thresholds chosen to read naturally, not tuned)."""
    if score >= 0.75:
        return "Strong match"
    if score >= 0.5:
        return "Good match"
    if score >= 0.3:
        return "Partial match"
    return "Weak match"


#: Cosine of the two profiles' first passages from which the explanation points it out (the fusion's strongest
#: semantic signal; 0.5 is where MiniLM openings start to be about the same kind of technology)
OPENING_CLOSE = 0.5


def explain(*, score: float, components: dict[str, float], terms: list[str], passage: str | None,
            cosine: float | None, reasons: list[str]) -> list[str]:
    """Sentences, most important first."""
    out = [f"{strength(score=score)} (score {score:.2f})."]
    if terms:
        out.append(f"Shares key terms: {', '.join(terms)}.")
    if cosine is not None:
        level = "very close" if cosine >= 0.6 else "close" if cosine >= 0.45 else "loosely related"
        out.append(f"Meaning of the texts is {level} (semantic similarity {cosine:.2f}).")
    opening = components.get("cosine_opening")
    if opening is not None and opening >= OPENING_CLOSE:
        out.append(f"Its opening paragraph describes closely related technology (similarity {opening:.2f}).")
    if passage:
        out.append(f"Most relevant passage: “{passage}”")
    out.extend(r for r in reasons if r)
    return out


def candidate_text(*, fields: dict) -> str:
    """Text used for the passage snippet: the summary and description, where needs are stated."""
    parts = [field_text(fields=fields, name=n) for n in ("summary", "description", "advantages", "technical_spec")]
    return " ".join(p for p in parts if p)
