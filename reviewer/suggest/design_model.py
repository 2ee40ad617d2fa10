"""The trained study-design classifier: a second opinion where the cue phrases say too little.

``scripts/train_design_model.py`` fits a TF-IDF + logistic regression model with
scikit-learn on records labelled by their MEDLINE publication types, and exports
it as JSON (``resources/models/design.json``). Scoring a text here is the same
arithmetic in plain Python: a dictionary look-up per word and word pair, so the
app needs neither scikit-learn nor a pickle. The file is read once, lazily; the
UI warms it up on a worker thread together with the lexicons.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from reviewer.paths import resources_dir

_TOKEN = re.compile(r"(?u)\b\w\w+\b")


@dataclass(frozen=True)
class Model:
    classes: tuple[str, ...]
    intercept: tuple[float, ...]
    features: dict[str, list[float]]  # term -> [idf, weight per class]


@lru_cache(maxsize=1)
def model() -> Model | None:
    path = resources_dir() / "models" / "design.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Model(tuple(data["classes"]), tuple(data["intercept"]), data["features"])


def probabilities(text: str) -> dict[str, float]:
    """Each design's probability for a title and abstract (empty without a model)."""
    m = model()
    if m is None:
        return {}
    words = _TOKEN.findall(text.lower())
    counts = Counter(words)
    counts.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    vec = {t: (1.0 + math.log(c)) * m.features[t][0] for t, c in counts.items() if t in m.features}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    scores = list(m.intercept)
    for t, v in vec.items():
        for k, w in enumerate(m.features[t][1:]):
            scores[k] += w * v / norm
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return {c: e / total for c, e in zip(m.classes, exps, strict=True)}
