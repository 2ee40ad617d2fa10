"""Fields a reviewer adds get evidence sentences and typed values; the template decides
which fields are suggested at all."""

from __future__ import annotations

from pathlib import Path

from reviewer.domain import ParsedRecord, Source
from reviewer.domain.template import FieldSpec, Template
from reviewer.review import extraction
from reviewer.review.project import create_review, default_template
from reviewer.store import Store
from reviewer.suggest import suggest
from reviewer.suggest.custom import rank, stem
from reviewer.suggest.document import Document
from reviewer.suggest.runner import compute_suggestions, stale_record_ids, version_for
from tests.suggest.helpers import make_record

ABSTRACT = (
    "BACKGROUND: Knee pain is common. METHODS: In this double-blind trial, 120 patients at "
    "four hospitals in Kenya were randomly assigned to glucosamine or placebo. Outcome "
    "assessors were masked to the allocation. RESULTS: Eleven patients (9%) withdrew before "
    "the end of the study. Pain improved in 45% of patients on glucosamine."
)


def _field(key: str, label: str, type_: str = "text", **extra) -> FieldSpec:
    return FieldSpec(key=key, label=label, type=type_, **extra)


def _top(field: FieldSpec) -> list[str]:
    doc = Document(make_record(ABSTRACT, "Glucosamine for knee pain"))
    ranked = rank(doc, field)
    assert ranked, "no sentence ranked"
    return [doc.text[s.start : s.end] for _, s in ranked]


def test_light_stemming_joins_spellings():
    assert stem("randomised") == stem("randomized") == stem("randomization")


def test_a_text_field_gets_the_sentence_most_about_it():
    blinding = _top(_field("blinding", "Blinding", keywords=["masked"]))
    assert "blind" in blinding[0]
    assert any("masked" in s for s in blinding)
    assert "hospitals" in _top(_field("setting", "Setting"))[0]
    assert not any("Knee pain is common" in s for s in blinding)


def test_a_number_field_gets_a_number_parsed_from_its_sentence():
    record = make_record(ABSTRACT, "Glucosamine for knee pain")
    template = Template(
        name="t", fields=[_field("dropouts", "Dropouts", "integer", help="patients who withdrew")]
    )
    found = suggest(record, template)
    assert found and {s.field for s in found} == {"dropouts"}
    best = max(found, key=lambda s: s.confidence)
    assert best.value == 11
    assert "withdrew" in best.quote
    assert all(s.quote == record.text[s.start : s.end] for s in found)


def test_a_percentage_field_reads_the_share():
    record = make_record(ABSTRACT, "Glucosamine for knee pain")
    template = Template(name="t", fields=[_field("improved_pct", "Pain improved (%)", "number")])
    values = [s.value for s in suggest(record, template)]
    assert 45.0 in values


def test_a_list_field_reads_the_drugs_of_its_sentence():
    record = make_record(ABSTRACT, "Glucosamine for knee pain")
    template = Template(
        name="t", fields=[FieldSpec(key="treatments", label="Treatments", type="list")]
    )
    values = [s.value for s in suggest(record, template)]
    assert ["glucosamine"] in values


def test_the_template_decides_which_fields_are_suggested():
    record = make_record(ABSTRACT, "Glucosamine for knee pain")
    only = Template(name="t", fields=[FieldSpec(key="sample_size", label="N", type="integer")])
    found = suggest(record, only)
    assert {s.field for s in found} == {"sample_size"}
    assert found[0].value == 120


def _review(path: Path, template: Template) -> Store:
    store = create_review(path, "test", template)
    source = store.add_source(Source(name="a.txt", sha256="0" * 64, size=1, format="text"))
    with store.atomic():
        store.add_records(
            source,
            [ParsedRecord(title="Glucosamine for knee pain", text=f"Glucosamine\n\n{ABSTRACT}")],
        )
    return store


def test_adding_a_field_makes_suggestions_stale_and_fills_it(tmp_path):
    template = default_template()
    store = _review(tmp_path / "r.review", template)
    compute_suggestions(store)
    rid = store.record_ids()[0]
    assert not stale_record_ids(store)
    grown = Template(
        name=template.name,
        fields=[*template.fields, _field("blinding", "Blinding", keywords=["masked"])],
    )
    store.set_template(grown, "ann")
    assert version_for(grown) != version_for(template)
    assert stale_record_ids(store) == [rid]
    compute_suggestions(store)
    blinding = extraction.pending_by_field(store, rid)["blinding"]
    assert any("masked" in s.quote for s in blinding)
    store.close()


def test_a_judgement_field_gets_no_suggested_value():
    record = make_record(ABSTRACT, "Glucosamine for knee pain")
    judgement = FieldSpec(
        key="rob_d1_q1",
        label="RoB 1.1",
        type="choice",
        choices=["Y", "PY", "PN", "N", "NI"],
        help="Was the allocation sequence random?",
        quote_only=True,
    )
    coded = FieldSpec(key="arm", label="Arm", type="choice", choices=["A", "B"])
    assert suggest(record, Template(name="t", fields=[judgement, coded])) == []


# -- what the ranking knows besides a field's own words ------------------------------------------

TRIAL = (
    "BACKGROUND: Tinnitus is common and hard to treat. "
    "METHODS: Adults with chronic tinnitus were enrolled at three clinics. "
    "Participants were randomly assigned to sertraline or a sugar pill for 16 weeks. "
    "The main outcome was the loudness score. "
    "RESULTS: Loudness fell more with sertraline (P = 0.04)."
)


def _ranked(
    field: FieldSpec, body: str = TRIAL, title: str = "Sertraline for tinnitus"
) -> list[str]:
    doc = Document(make_record(body, title))
    return [doc.text[s.start : s.end] for _, s in rank(doc, field)]


def test_a_name_is_matched_as_a_phrase_the_longest_first():
    from reviewer.suggest.custom import groups_named, terms

    size = groups_named(terms("Number of patients"))
    assert len(size) == 1 and "_people_" in size[0].words  # not also the population group
    design = groups_named(terms("Type of study"))
    assert len(design) == 1 and "random" in design[0].words
    assert groups_named(terms("Type 2 diabetes")) == []  # "type" alone names no group


def test_a_control_arm_is_found_where_the_arms_are_formed():
    # neither a word of "Control arm" nor a drug is in the sentence that forms the arms
    body = TRIAL.replace("sertraline or a sugar pill", "sound therapy or a waiting list")
    top = _ranked(_field("control_arm", "Control arm"), body)
    assert any("randomly assigned to sound therapy or a waiting list" in s for s in top)


def test_a_disease_field_offers_the_title_and_who_was_enrolled():
    top = _ranked(_field("disease", "Disease"))
    assert "Sertraline for tinnitus" in top
    assert any(s.startswith("METHODS: Adults with chronic tinnitus") for s in top)


def test_a_section_label_speaks_for_every_sentence_under_it():
    body = (
        "OBJECTIVE: To test a scheme. SETTING: Rural villages. We worked with local nurses in "
        "Malawi. RESULTS: It worked in 40% of households."
    )
    top = _ranked(_field("setting", "Setting"), body, "A scheme for households")
    assert top[0].startswith("SETTING:")
    assert "We worked with local nurses in Malawi." in top[:2]


def test_a_description_gives_an_unknown_name_its_meaning():
    top = _top(_field("q7", "Q7", help="Were the outcome assessors masked?"))
    assert "masked to the allocation" in top[0]


def test_stems_agree_across_plural_and_spelling():
    assert stem("disease") == stem("diseases")
    assert stem("receive") == stem("received")
    assert stem("randomisation") == stem("randomized")
