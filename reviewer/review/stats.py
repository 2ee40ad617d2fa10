"""The review in numbers: what ``reviewer stats --json`` prints and PRISMA is drawn from.

Shape (every count is of records unless it says decisions)::

    {
      "review": "name",
      "records": {
        "identified": 1200,          # every imported record
        "duplicates": 200,           # marked as duplicates at import
        "unique": 1000,
        "per_source": [{"source_id": 1, "name": "pubmed.nbib", "format": "medline",
                        "records": 700, "duplicates": 12}, ...]
      },
      "stages": {
        "title_abstract": {           # likewise "full_text" and "extraction"
          "records": 1000,            # at the stage (see screening's rules)
          "screened": 950,            # with at least one decision
          "decisions": {"include": 80, "exclude": 1700, "maybe": 20},  # reviewer decisions
          "final": {"include": 60, "exclude": 870, "conflict": 20, "undecided": 50},
          "resolved": 14,             # records with a resolver's decision
          "reviewers": {"ann": {"screened": 950, "include": 41, "exclude": 900, "maybe": 9}},
          "reasons": {"wrong population": 300, ..., "unspecified": 570},  # final excludes
          "agreement": [{"reviewers": ["ann", "bob"], "n": 900, "kappa": 0.81,
                         "percent_agreement": 97.3, "pabak": 0.946,
                         "table": [[40, 5], [3, 852]]}]      # see agreement.py
        }, ...
      },
      "prisma": {
        "identified": 1200, "identified_per_source": {"pubmed.nbib": 700, ...},
        "duplicates_removed": 200,
        "screened": 1000, "excluded_screening": 870,
        "sought_for_retrieval": 60, "not_retrieved": 4,
        "assessed_for_eligibility": 56, "excluded_full_text": 30,
        "excluded_full_text_reasons": {"wrong outcomes": 12, ...},
        "included": 26
      }
    }

A record's final exclusion reason is the resolver's when resolved, otherwise the
reason most of its excluding reviewers gave (alphabetically first on a tie), or
"unspecified". Excluded at full text as "full text not retrievable" counts as not
retrieved, not as assessed, as PRISMA 2020 has it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from reviewer.domain import STAGES
from reviewer.domain.screening import UNSPECIFIED
from reviewer.review.agreement import agreement
from reviewer.review.settings import NOT_RETRIEVED
from reviewer.store import Store
from reviewer.store import stats as stored
from reviewer.store.screening import count_at_stage


def stats(store: Store) -> dict[str, Any]:
    stages = {stage: stage_stats(store, stage) for stage in STAGES}
    records = record_counts(store)
    return {
        "review": store.name,
        "records": records,
        "stages": stages,
        "prisma": prisma_counts(records, stages),
    }


def record_counts(store: Store) -> dict[str, Any]:
    per_source = [s._asdict() for s in stored.per_source(store)]
    identified = sum(s["records"] for s in per_source)
    duplicates = sum(s["duplicates"] for s in per_source)
    return {
        "identified": identified,
        "duplicates": duplicates,
        "unique": identified - duplicates,
        "per_source": per_source,
    }


def stage_stats(store: Store, stage: str) -> dict[str, Any]:
    final = _final_counts(store, stage)
    return {
        "records": sum(final.values()),
        "screened": sum(final.values()) - final["undecided"],
        "decisions": _decision_counts(store, stage),
        "final": final,
        "resolved": stored.resolved_count(store, stage),
        "reviewers": _reviewer_counts(store, stage),
        "reasons": final_reasons(store, stage),
        "agreement": [pair.as_json() for pair in agreement(store, stage)],
    }


def _final_counts(store: Store, stage: str) -> dict[str, int]:
    include, exclude, conflict = stored.final_counts(store, stage)
    return {
        "include": include,
        "exclude": exclude,
        "conflict": conflict,
        "undecided": count_at_stage(store, stage) - include - exclude - conflict,
    }


def _decision_counts(store: Store, stage: str) -> dict[str, int]:
    counts = {"include": 0, "exclude": 0, "maybe": 0}
    counts.update(stored.decision_counts(store, stage))
    return counts


def _reviewer_counts(store: Store, stage: str) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for reviewer, decision, n in stored.reviewer_decision_counts(store, stage):
        entry = out.setdefault(reviewer, {"screened": 0, "include": 0, "exclude": 0, "maybe": 0})
        entry[decision] = n
        entry["screened"] += n
    return out


def final_reasons(store: Store, stage: str) -> dict[str, int]:
    """Records finally excluded at ``stage``, by their reason (see the module docstring)."""
    reasons: Counter[str] = Counter()
    for reason, n in stored.final_exclusion_reasons(store, stage).items():
        reasons[reason or UNSPECIFIED] += n
    return dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))


def _per_source_name(per_source: list[dict[str, Any]]) -> dict[str, int]:
    out: Counter[str] = Counter()
    for s in per_source:
        out[s.get("label") or s["name"] or "(no source)"] += s["records"]
    return dict(out)


def prisma_counts(records: dict[str, Any], stages: dict[str, Any]) -> dict[str, Any]:
    ta, ft, ex = stages["title_abstract"], stages["full_text"], stages["extraction"]
    not_retrieved = ft["reasons"].get(NOT_RETRIEVED, 0)
    return {
        "identified": records["identified"],
        "identified_per_source": _per_source_name(records["per_source"]),
        "duplicates_removed": records["duplicates"],
        "screened": ta["records"],
        "excluded_screening": ta["final"]["exclude"],
        "sought_for_retrieval": ft["records"],
        "not_retrieved": not_retrieved,
        "assessed_for_eligibility": ft["records"] - not_retrieved,
        "excluded_full_text": ft["final"]["exclude"] - not_retrieved,
        "excluded_full_text_reasons": {
            r: n for r, n in ft["reasons"].items() if r != NOT_RETRIEVED
        },
        "included": ex["records"],
    }
