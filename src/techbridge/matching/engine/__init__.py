"""Pure-Python matching engine (no Django): BM25F + passage embeddings + structure, fused and explained.

See docs/matching.md for the method and the measured figures.
"""

from .core import EngineConfig, Match, MatchingEngine
from .embedding import available, encode_profiles, load_encoder, unavailable_reason
from .structure import structured_fit

__all__ = ["EngineConfig", "Match", "MatchingEngine", "available", "encode_profiles", "load_encoder",
           "structured_fit", "unavailable_reason"]
