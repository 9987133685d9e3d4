""""Recommended for you" in the event marketplace.

For now a keyword-overlap ranking: what one side offers against what the other needs (both directions), from the
registration's own texts and its linked exchange profiles. The matching engine can replace it without touching
the events app: `register_ranker(fn)` from its AppConfig.ready(), where `fn(*, registration, candidates)` returns
`[(registration, score), ...]` best first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from techbridge.events.models import Registration

Ranker = Callable[..., list[tuple[Registration, float]]]

_STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "into", "is",
    "it", "its", "of", "on", "or", "our", "the", "their", "this", "to", "we", "with", "you", "your",
    "which", "that", "who", "will", "can", "also", "more", "new", "other", "such", "than", "these",
    "those", "using", "use", "based", "technology", "technologies", "solution", "solutions", "looking",
    "seek", "seeking", "offer", "offers", "partner", "partners", "need", "needs",
})
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)

_ranker: Ranker | None = None


def register_ranker(fn: Ranker | None) -> None:
    """Replace the keyword ranking (None restores it); the matching app calls this once it can rank."""
    global _ranker
    _ranker = fn


def terms(*, text: str) -> set[str]:
    """Lower-cased content words with a crude plural fold, enough to match "dryers" with "dryer"."""
    words = set()
    for word in _WORD.findall(text.lower()):
        if word in _STOPWORDS:
            continue
        words.add(word[:-1] if word.endswith("s") and len(word) > 4 else word)
    return words


def _sides(reg: Registration) -> tuple[set[str], set[str]]:
    offers, needs = [reg.offers, reg.headline], [reg.needs]
    for profile in reg.profiles.all():
        text = " ".join([profile.title, profile.summary, profile.keywords])
        (offers if profile.kind == "offer" else needs).append(text)
    return terms(text=" ".join(offers)), terms(text=" ".join(needs))


def keyword_ranker(*, registration: Registration, candidates: Iterable[Registration]) -> list[tuple[Registration,
                                                                                                  float]]:
    """Score = shared words between my needs and their offers plus my offers and their needs (Jaccard-like)."""
    my_offers, my_needs = _sides(registration)
    scored = []
    for other in candidates:
        if other.pk == registration.pk:
            continue
        their_offers, their_needs = _sides(other)
        score = 0.0
        for mine, theirs in ((my_needs, their_offers), (my_offers, their_needs)):
            if mine and theirs:
                score += len(mine & theirs) / (len(mine | theirs) ** 0.5)
        if score > 0:
            scored.append((other, round(score, 4)))
    scored.sort(key=lambda pair: (-pair[1], pair[0].pk))
    return scored


def recommend(*, registration: Registration, candidates: Iterable[Registration], limit: int = 10):
    """The best `limit` candidates for this participant, by the registered ranker or keyword overlap."""
    ranker = _ranker or keyword_ranker
    return ranker(registration=registration, candidates=list(candidates))[:limit]
