"""all-MiniLM-L6-v2 as an int8 ONNX Runtime model: the fast encoder variant (``onnx-int8``).

Why: torch fp32 on this project's 2-core machines embeds ~250-word-piece profiles at about 20/s, and torch's
own dynamic quantisation loses too much (mean cosine 0.93 to the fp32 vectors, −0.014 nDCG@10 for the dense
ranker). ONNX Runtime with per-channel int8 weights in *reduced range* (7-bit, which avoids the u8×s8
saturation of AVX2 machines without VNNI) keeps the vectors within cosine ~0.99 of fp32 and runs the
matrix products in int8. The graph is exported from the model's *eager* attention: the SDPA attention that
transformers uses by default exports as a graph ONNX Runtime cannot fuse, and the fused attention/GELU/layer
norm kernels are measured 1.4× faster (35.9 → 50 profiles/s of 250 word-pieces on an AVX-512 machine, same
vectors). Batches are cut by a budget of word-pieces rather than a count (about 2k per run), which keeps the
activations of long texts in cache and lets short texts go in larger batches.

Nothing is downloaded: the ONNX graph is exported once from the model carried by the pip package (with torch,
part of the ``semantic`` extra), quantised, and stored in the cache directory under a name derived from the
model files, so a model upgrade never reuses a stale graph. The write is atomic (temp file + rename), so
concurrent processes that export at the same time simply race to the same content.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import warnings
from pathlib import Path

import numpy as np

#: Part of the graph's file name: bumped when the export changes, so no process reuses an older graph.
EXPORT_VERSION = "v2"
#: Word-pieces per ONNX Runtime call (batch × padded length): 2k measured best on 2 cores (1k–6k within 5 %).
TOKEN_BUDGET = 2048


def _fingerprint(model_dir: Path) -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    for name in sorted(p.name for p in model_dir.iterdir() if p.is_file()):
        stat = (model_dir / name).stat()
        digest.update(f"{name}:{stat.st_size}".encode())
    return digest.hexdigest()[:12]


def graph_path(*, model_dir: Path, cache_dir: Path) -> Path:
    """Where the quantised graph of this model lives (exported on first use)."""
    return cache_dir / f"minilm-{_fingerprint(model_dir)}-int8rr-{EXPORT_VERSION}.onnx"


def export_int8(*, model_dir: Path, target: Path) -> Path:
    """Export the transformer to ONNX (last hidden state) and quantise its weights to int8, atomically."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel, AutoTokenizer

    target.parent.mkdir(parents=True, exist_ok=True)
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True, attn_implementation="eager").eval()

    class _LastHidden(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    sample = tokenizer(["a sample", "another sample text"], return_tensors="pt", padding=True)
    dynamic = {name: {0: "batch", 1: "tokens"} for name in ("input_ids", "attention_mask", "token_type_ids", "hidden")}
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        plain = Path(tmp) / "model.onnx"
        quantised = Path(tmp) / "model-int8.onnx"
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(_LastHidden(model), (sample["input_ids"], sample["attention_mask"],
                                                   sample["token_type_ids"]),
                              str(plain), input_names=["input_ids", "attention_mask", "token_type_ids"],
                              output_names=["hidden"], dynamic_axes=dynamic, opset_version=17, dynamo=False)
            logging.disable(logging.WARNING)  # the quantiser's advice to pre-process is noise here
            try:
                quantize_dynamic(str(plain), str(quantised), weight_type=QuantType.QInt8, per_channel=True,
                                 reduce_range=True)
            finally:
                logging.disable(logging.NOTSET)
        os.replace(quantised, target)
    return target


class OnnxSentenceModel:
    """Mean-pooled, L2-normalised sentence vectors from an ONNX graph; the subset of SentenceTransformer's
    ``encode`` signature the engine uses. Texts are batched by length so padding costs little."""

    def __init__(self, *, graph: Path, model_dir: Path, threads: int, max_tokens: int):
        import onnxruntime as ort
        from transformers import AutoTokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
        self.max_tokens = max_tokens

    def encode(self, texts: list[str], *, batch_size: int = 256, normalize_embeddings: bool = True,
               convert_to_numpy: bool = True, show_progress_bar: bool = False) -> np.ndarray:
        """Vectors of ``texts`` in their order; at most ``batch_size`` texts and ~``TOKEN_BUDGET`` word-pieces
        (padding included) per run, texts of similar length together so padding costs little."""
        del convert_to_numpy, show_progress_bar  # always numpy, never a progress bar (callers report)
        out = np.zeros((len(texts), 384), dtype=np.float32)
        if not texts:
            return out
        ids = self.tokenizer(list(texts), truncation=True, max_length=self.max_tokens, verbose=False)["input_ids"]
        order = sorted(range(len(texts)), key=lambda index: len(ids[index]))
        start = 0
        while start < len(order):
            # ``order`` is by length, so the last text of a batch is its longest: grow while the budget holds.
            end = start + 1
            while end < len(order) and end - start < batch_size and \
                    (end - start + 1) * len(ids[order[end]]) <= TOKEN_BUDGET:
                end += 1
            chosen = order[start:end]
            out[chosen] = self._run([ids[index] for index in chosen], normalize=normalize_embeddings)
            start = end
        return out

    def _run(self, batch: list[list[int]], *, normalize: bool) -> np.ndarray:
        width = max(len(row) for row in batch)
        input_ids = np.full((len(batch), width), self.tokenizer.pad_token_id, dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, pieces in enumerate(batch):
            input_ids[row, :len(pieces)] = pieces
            mask[row, :len(pieces)] = 1
        feed = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)}
        hidden = self.session.run(None, {name: feed[name] for name in self.inputs})[0]
        weights = mask[..., None].astype(np.float32)
        vectors = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
        if normalize:
            vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return vectors
