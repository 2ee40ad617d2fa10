"""Drug and disease names from the MeSH-linked vocabularies, with their concept ids."""

from __future__ import annotations

from reviewer.suggest import concept_of, lexicon, prediction, suggest
from tests.suggest.helpers import make_record, suggestions, value, values


def _drug(text: str) -> tuple[tuple[str, ...], str]:
    found = lexicon.drug_matcher().find(text)
    assert len(found) == 1, found
    return found[0].names, found[0].concept


def test_salbutamol_and_albuterol_share_one_concept():
    salbutamol, albuterol = _drug("salbutamol"), _drug("albuterol")
    assert salbutamol[0] == ("salbutamol",) and albuterol[0] == ("albuterol",)
    assert salbutamol[1] == albuterol[1] and salbutamol[1].startswith("DRUGBANK:")


def test_a_brand_stands_for_its_generic_name():
    names, concept = _drug("Ventolin")
    assert concept == _drug("albuterol")[1]


def test_drugs_no_topic_list_had():
    body = (
        "Patients were randomly assigned to receive omeprazole or placebo. All patients were "
        "given telmisartan and memantine."
    )
    found = values(body, "interventions", title="A randomized trial")
    assert {"omeprazole", "telmisartan", "memantine"} <= set(found)


def test_class_names_of_enzymes_and_lab_values_are_not_drugs():
    # aromatase is an enzyme, glycated haemoglobin a lab value; metformin is the drug
    body = (
        "Patients whose glycated hemoglobin was above 7% and whose aromatase activity was "
        "high received metformin."
    )
    assert values(body, "interventions", title="A randomized trial") == ["metformin"]


def test_diseases_from_the_dictionary_carry_their_mesh_id():
    for title, expected in [
        ("Omeprazole in gastroesophageal reflux disease", "gastroesophageal reflux disease"),
        ("Memantine in Parkinson's disease", "Parkinson's disease"),
        ("Telmisartan in hypertension", "hypertension"),
    ]:
        found = suggestions("Patients were randomized to the drug or placebo.", "condition", title)
        assert [s.value for s in found] == [expected]
        assert concept_of(found[0]).startswith("MESH:D")


def test_an_abbreviation_the_text_defines_counts_as_the_disease():
    body = (
        "Fampridine was studied in multiple sclerosis (MS). Patients with MS walked further. "
        "MS is a chronic disease."
    )
    found = suggestions(body, "condition", title="Fampridine and walking")
    assert found and found[0].value.lower() == "multiple sclerosis"


def test_a_short_dictionary_name_printed_as_a_word_is_not_a_drug():
    # "serc" is a betahistine brand, but in lower case it is just letters
    assert values("The serc score was recorded.", "interventions", title="A study") == []


def test_the_suggest_command_line_gains_the_concept_id():
    record = make_record(
        "Patients were randomly assigned to salbutamol or placebo.", "Salbutamol in asthma"
    )
    lines = prediction(record, "x.txt")["suggestions"]
    by_field = {s["field"]: s for s in lines}
    assert by_field["interventions"]["concept"] == _drug("salbutamol")[1]
    assert by_field["condition"]["concept"].startswith("MESH:")
    assert "concept" not in by_field["study_design"]
    assert value("Patients were randomly assigned to salbutamol or placebo.", "comparator",
                 title="Salbutamol in asthma") == "placebo"  # fmt: skip
    assert all(s.quote for s in suggest(record))
