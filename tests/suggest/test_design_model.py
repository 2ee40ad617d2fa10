"""The trained study-design model: shipped small, read without scikit-learn, a fallback only."""

from __future__ import annotations

from reviewer.paths import resources_dir
from reviewer.suggest import design_model
from tests.suggest.helpers import suggestions

RCT_ABSTRACT = (
    "Methods: Patients were randomly assigned in a double-blind manner to receive drug or "
    "placebo for twelve weeks. The primary end point was the change in pain score. Results: "
    "Pain improved more with the drug than with placebo (P = 0.01). Adverse events were mild. "
    "Conclusions: The drug reduced pain compared with placebo in this randomized trial."
)


def test_the_model_file_is_small_and_scores_sum_to_one():
    path = resources_dir() / "models" / "design.json"
    assert path.stat().st_size < 5_000_000
    p = design_model.probabilities("A randomized placebo-controlled trial\n" + RCT_ABSTRACT)
    assert abs(sum(p.values()) - 1) < 1e-9
    assert max(p, key=p.get) == "randomized_controlled_trial"


def test_explicit_statements_win_over_the_model():
    # the cues say case report; whatever the model thinks, the rules decide
    body = "We report a 45-year-old woman with a rare tumour who was treated with surgery."
    found = suggestions(body, "study_design", title="A rare tumour: a case report")
    assert [s.value for s in found] == ["case_report"]
    assert (found[0].detail or {}).get("by") != "model"


def test_a_text_the_cues_leave_open_can_take_the_models_answer():
    body = (
        "Background: This is about an illness. "
        "Many patients were asked about their treatment in clinics across the country and "
        "their answers were compared between groups with the usual statistical tests. "
        "The answers differed between groups in several ways, most clearly for older people, "
        "and the differences remained after adjustment for the usual factors of interest."
    )
    found = suggestions(body, "study_design", title="Patients and their treatment")
    for s in found:  # when the model answers, it says so and quotes the title
        if (s.detail or {}).get("by") == "model":
            assert s.quote == "Patients and their treatment"
