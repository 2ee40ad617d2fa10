"""Full texts: a PDF's text attached to a record (abstract kept, searchable, an event),
and a folder of real PDFs matched to records by DOI or title."""

from __future__ import annotations

import shutil

import pytest

from reviewer.domain import ParsedRecord, Source
from reviewer.review import filters
from reviewer.review import fulltext as ft
from reviewer.store import Store
from reviewer.store.check import check_review
from tests.conftest import CORPUS
from tests.consistency import assert_consistent

PDFS = CORPUS / "pdf"

TULLY = PDFS / "clinical_oa" / "Tully2010_RehabResPract_heart_failure_programmes.pdf"
USSHER = PDFS / "clinical_oa" / "Ussher2015_BMJ_RCT_smoking_pregnancy.pdf"
DATTA = PDFS / "clinical_oa" / "Datta2010_TraumaMgmtOutcomes_DVT_prophylaxis_SR.pdf"
AGYEMAN = PDFS / "clinical_oa" / "AgyemanDuah2014_BMC_HSR_quality_improvement_Malawi.pdf"


@pytest.fixture
def store(review_path, template):
    s = Store.create(review_path, "Full texts", template)
    records = [
        # 1: found by its DOI (written as a link, in capitals)
        ParsedRecord(
            title="Patient experiences of structured heart failure programmes",
            doi="https://doi.org/10.1155/2010/157939".upper(),
            abstract="Heart failure programmes were studied.",
            text="Patient experiences ... Heart failure programmes were studied.",
        ),
        # 2: found by its title, worded a little differently
        ParsedRecord(
            title="Physical activity for smoking cessation in pregnancy: a randomised controlled trial."
        ),
        # 3: the DOI BioMed Central prints only where it says how to cite the article
        ParsedRecord(title="DVT prophylaxis complications", doi="10.1186/1752-2897-4-1"),
        # 4: a shortened title, printed at the top of the PDF's first page
        ParsedRecord(
            title="Understanding the barriers to setting up a healthcare quality improvement "
            "process in resource-limited settings"
        ),
        # 5: nothing to do with any PDF
        ParsedRecord(title="Lenalidomide maintenance after transplantation in myeloma"),
    ]
    with s.atomic():
        sid = s.add_source(Source(name="t.ris", sha256="c" * 64, size=1, format="ris"))
        s.add_records(sid, records)
    yield s
    s.close()


def test_attaching_keeps_the_abstract_and_logs_an_event(store):
    got = ft.attach_fulltext(store, 1, TULLY, "ann")
    assert got.pages == 6 and len(got.page_offsets) == 6
    assert "Structured Heart Failure Programmes" in got.text
    again = ft.fulltext(store, 1)
    assert again == got
    record = store.record(1)
    assert record.abstract == "Heart failure programmes were studied."
    assert record.text.startswith("Patient experiences")
    [event] = store.events(1)
    assert event.kind == "fulltext.attach"
    assert event.payload["path"] == str(TULLY.resolve())
    assert event.payload["pages"] == 6 and event.payload["before"] is None


def test_the_full_text_is_searchable(store):
    assert filters.filter_record_ids(store, search="Hindawi") == []
    ft.attach_fulltext(store, 1, TULLY, "ann")
    assert filters.filter_record_ids(store, search="Hindawi") == [1]


def test_attaching_again_replaces_the_text(store):
    ft.attach_fulltext(store, 1, TULLY, "ann")
    ft.attach_fulltext(store, 1, USSHER, "bob")
    assert "smoking" in ft.fulltext(store, 1).text
    assert filters.filter_record_ids(store, search="Hindawi") == []
    last = store.events(1)[-1]
    assert last.payload["before"] is not None and last.payload["before_path"].endswith(TULLY.name)


def test_check_compares_the_stored_text_with_the_hash_the_event_carries(store):
    ft.attach_fulltext(store, 1, TULLY, "ann")
    ft.attach_fulltext(store, 1, USSHER, "bob")
    assert "text" not in store.events(1)[-1].payload  # the words stay out of the log
    assert_consistent(store)
    with store.atomic():
        store.db.execute("update fulltexts set text = text || ' (edited)' where record_id = 1")
        store.db.execute(
            "insert into fulltexts (record_id, path, sha256, pages, text, reviewer, time) "
            "values (2, 'x.pdf', 'abc', 1, 'words', 'eve', 't')"
        )
    lines = [line.split(":")[0] for line in check_review(store).lines()]
    assert lines == ["fulltexts [record_id=1] text", "fulltexts [record_id=2]"], lines


def test_unreadable_pdfs_and_missing_records_are_clear_errors(store, tmp_path):
    with pytest.raises(ft.FullTextError, match="password"):
        ft.attach_fulltext(store, 1, PDFS / "edge_cases" / "encrypted.pdf", "ann")
    with pytest.raises(ft.FullTextError, match="OCR"):
        ft.attach_fulltext(store, 1, PDFS / "edge_cases" / "scanned-image-only.pdf", "ann")
    with pytest.raises(ft.FullTextError, match="no such file|No such file"):
        ft.attach_fulltext(store, 1, tmp_path / "missing.pdf", "ann")
    with pytest.raises(ft.FullTextError, match="no record 99"):
        ft.attach_fulltext(store, 99, TULLY, "ann")
    assert ft.fulltext(store, 1) is None
    assert store.events() == []


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "pdfs"
    (folder / "sub").mkdir(parents=True)
    for pdf in (TULLY, USSHER, AGYEMAN):
        shutil.copy(pdf, folder / pdf.name)
    shutil.copy(DATTA, folder / "sub" / "DATTA.PDF")
    shutil.copy(PDFS / "edge_cases" / "broken-pdf.pdf", folder / "broken.pdf")
    shutil.copy(PDFS / "edge_cases" / "minimal-highlight-with-note.pdf", folder / "hello.pdf")
    (folder / "notes.txt").write_text("not a pdf")
    return folder


def test_a_folder_is_matched_by_doi_and_title(store, folder):
    matched, unmatched = ft.match_fulltexts(store, folder)
    assert sorted((rid, p.name) for rid, p in matched) == [
        (1, TULLY.name),
        (2, USSHER.name),
        (3, "DATTA.PDF"),
        (4, AGYEMAN.name),
    ]
    assert sorted(p.name for p in unmatched) == ["broken.pdf", "hello.pdf"]
    assert store.events() == []  # matching alone attaches nothing


def test_importing_a_folder_attaches_what_matched(store, folder):
    seen = []
    result = ft.import_fulltexts(store, folder, "ann", progress=lambda i, n: seen.append((i, n)))
    assert len(result.matched) == 4
    assert sorted(p.name for p in result.errors) == ["broken.pdf"]
    assert "damaged" in result.errors[folder / "broken.pdf"]
    assert seen[-1] == (6, 6)
    assert {e.record_id for e in store.events()} == {1, 2, 3, 4}
    assert "thrombosis" in ft.fulltext(store, 3).text


def test_a_record_gets_one_pdf(store, folder):
    shutil.copy(TULLY, folder / "tully-copy.pdf")
    matched, unmatched = ft.match_fulltexts(store, folder)
    assert [rid for rid, _ in matched].count(1) == 1
    assert "tully-copy.pdf" in {p.name for p in unmatched}  # files are taken in name order


def test_every_record_is_a_candidate_whatever_its_stage(store, folder):
    """Bug 10 of issue 10: with one record at full text, the other four PDFs (exact DOIs
    and titles) were matched to nothing."""
    from reviewer.review import screening

    screening.decide(store, 5, "include", "ann")  # only record 5 is at full text
    matched, _ = ft.match_fulltexts(store, folder)
    assert sorted(rid for rid, _ in matched) == [1, 2, 3, 4]


def test_a_duplicates_doi_leads_to_the_record_its_group_keeps(store, tmp_path):
    with store.atomic():
        sid = store.add_source(Source(name="u.ris", sha256="d" * 64, size=1, format="ris"))
        store.add_records(
            sid, [ParsedRecord(title="Ussher et al.", doi="10.1136/bmj.h2145")], duplicate_of=[5]
        )
    folder = tmp_path / "one"
    folder.mkdir()
    shutil.copy(USSHER, folder / "ussher.pdf")
    store.db.execute("update records set title = 'Another title entirely' where id = 2")
    matched, _ = ft.match_fulltexts(store, folder)
    assert [rid for rid, _ in matched] == [5]


def test_each_unmatched_file_says_what_was_tried(store, folder):
    store.db.execute("update records set doi = '', title = 'Something else entirely' where id = 2")
    result = ft.import_fulltexts(store, folder, "ann")
    ussher = folder / USSHER.name
    assert ussher in result.unmatched
    why = result.reason(ussher)
    assert "DOI 10.1136/bmj.h2145 found in the PDF, but no record has it" in why
    assert "most similar title is" in why and "% alike (record " in why
    hello = result.reason(folder / "hello.pdf")
    assert hello.startswith("no DOI found in the PDF")
    assert "damaged" in result.reason(folder / "broken.pdf")


def test_dois_and_titles_are_compared_in_a_normal_form():
    assert ft.normalise_doi("https://dx.doi.org/10.1136/BMJ.h2145).") == "10.1136/bmj.h2145"
    assert ft.normalise_doi("doi: 10.1/x") == "10.1/x"
    assert ft.normalise_title("Trial: A  randomised—study!") == "trial a randomised study"


def test_a_missing_folder_is_an_error(store, tmp_path):
    with pytest.raises(ft.FullTextError, match="not a folder"):
        ft.match_fulltexts(store, tmp_path / "nope")
