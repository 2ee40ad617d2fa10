"""Every citation export in the test corpus imports with the records it really holds.

The table below was counted by a second method, not copied from the importers: RIS by
``grep -c '^TY  -'`` (allowing the BOM some exporters glue to the first ``TY``),
MEDLINE by ``grep -c '^PMID-'`` or by blank-line separated blocks, BibTeX by ``grep``
of ``@entry{`` lines (not ``@string``/``@comment``), Web of Science by ``grep -c '^PT '``,
Ovid by its ``<n>`` record markers, EndNote tagged files by blank-line separated blocks,
XML by counting ``<PubmedArticle>``/``<record>`` elements, JSON with ``json.load``, and
CSV/TSV files with Python's ``csv`` module (rows after the header, preamble rows not
counted). Where a count differs from the plain grep, the comment says why; files broken
on purpose (SOURCES.md lists them) expect a clear error that names the file and the line
or record.

The test runs over the copy under ``tests/data/corpus``; ``benchmarks/corpus_check.py``
runs the same table over the whole shared corpus (``../shared/corpus``), which only
benchmarks may read.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from reviewer.ingest import import_paths
from reviewer.review.project import create_review

ROOT = Path(__file__).resolve().parents[2]
LOCAL = ROOT / "tests" / "data" / "corpus"

CITATION_FORMATS = {
    "ris",
    "medline",
    "wos",
    "pubmed_xml",
    "endnote_xml",
    "endnote_tagged",
    "ovid",
    "bibtex",
    "json",
    "csv",
}
# Folders of the corpus that hold citation exports (the rest are documents: PDF, JATS, text).
CITATION_FOLDERS = (
    "ris",
    "medline",
    "bibtex",
    "endnote_xml",
    "endnote_tagged",
    "wos_tagged",
    "ovid_tagged",
    "pubmed_xml",
    "csv",
    "json",
    "screening",
    "dedup",
)
# Files in those folders that are not citation exports at all.
NOT_EXPORTS = {".md", ".zip"}
NOT_EXPORT_NAMES = {"CITATION.txt", "SOURCES.md", "MANIFEST.tsv"}

DOCUMENT = "a document format"  # not a citation export; left to the document importers
EMPTY = "the record is empty"
NOT_A_LIST = "not a list of references"
LOST_CHARACTERS = "show as \ufffd"  # the file itself holds U+FFFD; the record still imports


@dataclass(frozen=True)
class Expect:
    format: str  # the format detection must pick
    records: int  # records stored
    errors: int = 0  # problems reported (skipped records, or one for a refused file)
    says: str = ""  # a phrase every reported problem contains


EXPECTED: dict[str, Expect] = {
    # --- ris/
    "ris/asreview_citation_file_formatting/_baseline.ris": Expect("ris", 100),
    "ris/asreview_citation_file_formatting/_baseline_cinahl.ris": Expect("ris", 9),
    # SOURCES.md says "99 TY / 100 ER": the 100th TY has the BOM glued to it, so a
    # plain grep misses it; counted with the BOM allowed, 100 records.
    "ris/asreview_citation_file_formatting/_baseline_citavi.ris": Expect("ris", 100),
    "ris/asreview_citation_file_formatting/_baseline_cochrane_endnote.ris": Expect("ris", 3),
    "ris/asreview_citation_file_formatting/_baseline_cochrane_procite.ris": Expect("ris", 3),
    "ris/asreview_citation_file_formatting/_baseline_cochrane_refman.ris": Expect("ris", 3),
    "ris/asreview_citation_file_formatting/_baseline_covidence_endnote.ris": Expect("ris", 10),
    "ris/asreview_citation_file_formatting/_baseline_covidence_mendeley.ris": Expect("ris", 10),
    "ris/asreview_citation_file_formatting/_baseline_covidence_refworks.ris": Expect("ris", 10),
    "ris/asreview_citation_file_formatting/_baseline_covidence_zotero.ris": Expect("ris", 10),
    "ris/asreview_citation_file_formatting/_baseline_embase.ris": Expect("ris", 10),
    "ris/asreview_citation_file_formatting/_baseline_endnote.ris": Expect("ris", 10),
    "ris/asreview_citation_file_formatting/_baseline_eppireviewer.ris": Expect("ris", 10),
    "ris/asreview_citation_file_formatting/_baseline_eric_ovid.ris": Expect("ris", 10),
    "ris/asreview_citation_file_formatting/_baseline_googlescholar.ris": Expect("ris", 10),
    "ris/asreview_citation_file_formatting/_baseline_mdpi.ris": Expect("ris", 11),
    "ris/asreview_citation_file_formatting/_baseline_mendeley.ris": Expect("ris", 10),
    "ris/asreview_citation_file_formatting/_baseline_openalex.ris": Expect("ris", 9),
    "ris/asreview_citation_file_formatting/_baseline_psychInfo_ovid.ris": Expect("ris", 10),
    # MEDLINE saved as .ris: grep -c '^PMID-' gives 50 (SOURCES.md says 10; the file has 50).
    "ris/asreview_citation_file_formatting/_baseline_pubmed.ris": Expect("medline", 50),
    "ris/asreview_citation_file_formatting/_baseline_rayyan.ris": Expect("ris", 10),
    "ris/asreview_citation_file_formatting/_baseline_refworks.ris": Expect("ris", 10),
    # BOM glued to the first TY: 9 by a plain grep, 10 with the BOM allowed.
    "ris/asreview_citation_file_formatting/_baseline_scopus.ris": Expect("ris", 10),
    "ris/asreview_citation_file_formatting/_baseline_webofscience.ris": Expect("ris", 10),
    "ris/asreview_citation_file_formatting/_baseline_zotero.ris": Expect("ris", 10),
    "ris/asreview_datatools/dataset_1.ris": Expect("ris", 6),
    "ris/asreview_datatools/dataset_2.ris": Expect("ris", 8),
    # BOM before the first TY, mixed CRLF/LF: 100 with the BOM allowed.
    "ris/asreview_demo_data/_baseline.ris": Expect("ris", 100),
    "ris/asreview_demo_data/baseline_empty_values.ris": Expect("ris", 4),
    # 61 TY lines (one per reference type) whose records hold only a note: nothing to import.
    "ris/asreview_demo_data/baseline_reference_types.ris": Expect("ris", 0, 61, EMPTY),
    # 12 TY; only the first has a title (grep -c '^TI' = 1), the rest are notes only.
    "ris/asreview_demo_data/baseline_tag-notes.ris": Expect("ris", 1, 11, EMPTY),
    "ris/asreview_demo_data/baseline_tag-notes_labels.ris": Expect("ris", 32),
    "ris/asreview_demo_data/baseline_tag-notes_zotero.ris": Expect("ris", 4),
    # 1 TY; after its ER come "UK - Unknown Tag" and a second ER with no TY before them.
    "ris/asreview_demo_data/baseline_tag_and_field_definitions.ris": Expect(
        "ris", 1, 1, "outside any record"
    ),
    "ris/asreview_demo_data/baseline_tag_and_field_definitions_lists.ris": Expect("ris", 1),
    "ris/asreview_demo_data/baseline_zotero.ris": Expect("ris", 100),
    "ris/asreview_demo_data/embase.ris": Expect("ris", 6),
    "ris/asreview_demo_data/faulty_year.ris": Expect("ris", 1),
    "ris/asreview_demo_data/ovid_psycinfo.ris": Expect("ris", 6),
    "ris/asreview_demo_data/ovid_zotero.ris": Expect("ris", 6),
    "ris/asreview_demo_data/proquest.ris": Expect("ris", 6),
    "ris/asreview_demo_data/pubmed_endnote.txt": Expect("ris", 6),
    "ris/asreview_demo_data/pubmed_zotero.ris": Expect("ris", 6),
    "ris/asreview_demo_data/ris_issue_1099.txt": Expect("ris", 7),
    "ris/asreview_demo_data/ris_issue_992.txt": Expect("ris", 19),
    "ris/asreview_demo_data/ris_many_authors.ris": Expect("ris", 1),
    "ris/asreview_demo_data/scopus.ris": Expect("ris", 6),
    "ris/asreview_demo_data/web_of_science.txt": Expect("ris", 10),
    "ris/colrev/abi_inform_proquest_ris.ris": Expect("ris", 2),
    "ris/colrev/ieee_ris.ris": Expect("ris", 2),
    "ris/colrev/jstor_ris.ris": Expect("ris", 4),
    "ris/colrev/lorem_ipsum.ris": Expect("ris", 2),
    "ris/colrev/psycinfo_ris.ris": Expect("ris", 1),
    # 2 TY but 1 ER: the first record lost its ER; the second TY ends it.
    "ris/colrev/ris_data.ris": Expect("ris", 2),
    "ris/colrev/trid_ris.ris": Expect("ris", 3),
    # MALFORMED (SOURCES.md): tags and an ER but no TY.
    "ris/jabref/RisImporterCorrupted.ris": Expect("ris", 0, 1, "outside any record"),
    # JabRef's torture file: nine TY lines in a row (one record), then fields, then a TY
    # after fields twice; TY starts a record in RIS, so three records (1 ER).
    "ris/jabref/RisImporterTest1.ris": Expect("ris", 3),
    "ris/jabref/RisImporterTest3.ris": Expect("ris", 1),
    "ris/jabref/RisImporterTest4a.ris": Expect("ris", 1),
    "ris/jabref/RisImporterTest4b.ris": Expect("ris", 1),
    "ris/jabref/RisImporterTest4c.ris": Expect("ris", 1),
    "ris/jabref/RisImporterTest5a.ris": Expect("ris", 1),
    "ris/jabref/RisImporterTest5b.ris": Expect("ris", 1),
    "ris/jabref/RisImporterTest6.ris": Expect("ris", 1),
    "ris/jabref/RisImporterTest7.ris": Expect("ris", 1),
    "ris/jabref/RisImporterTest8_date.ris": Expect("ris", 1),
    "ris/jabref/RisImporterTest9.ris": Expect("ris", 1),
    "ris/jabref/RisImporterTestDOI.ris": Expect("ris", 1),
    "ris/jabref/RisImporterTestDate1.1.ris": Expect("ris", 1),
    "ris/jabref/RisImporterTestDate1.2.ris": Expect("ris", 1),
    "ris/jabref/RisImporterTestDoiAndJournalTitle.ris": Expect("ris", 1),
    "ris/jabref/RisImporterTestScience.ris": Expect("ris", 1),
    "ris/jabref/RisImporterTestScopus.ris": Expect("ris", 1),
    "ris/jabref/RisImporterTestWithEmptyER.ris": Expect("ris", 1),
    "ris/rayyan_formats/example1.ris": Expect("ris", 6),
    "ris/rayyan_formats/example2.ris": Expect("ris", 1),
    "ris/rayyan_formats/example3.ris": Expect("ris", 1),
    "ris/reflib_iebh/blue-light.ris": Expect("ris", 102),
    "ris/rispy/example_basic.ris": Expect("ris", 1),
    "ris/rispy/example_bom.ris": Expect("ris", 1),
    "ris/rispy/example_custom_list_tags.ris": Expect("ris", 1),
    "ris/rispy/example_empty_tag.ris": Expect("ris", 1),
    "ris/rispy/example_extraneous_data.ris": Expect("ris", 2),
    "ris/rispy/example_full.ris": Expect("ris", 2),
    "ris/rispy/example_full_without_whitespace.ris": Expect("ris", 2),
    "ris/rispy/example_full_write.ris": Expect("ris", 2),
    "ris/rispy/example_multi_unknown_tags.ris": Expect("ris", 1),
    "ris/rispy/example_multiline.ris": Expect("ris", 3),
    "ris/rispy/example_single_unknown_tag.ris": Expect("ris", 1),
    "ris/rispy/example_starting_newlines.ris": Expect("ris", 1),
    "ris/rispy/example_urls.ris": Expect("ris", 4),
    "ris/rispy/example_utf_chars.ris": Expect("ris", 1),
    # MISNAMED: Web of Science tagged text; grep -c '^PT ' = 2.
    "ris/rispy/example_wos.ris": Expect("wos", 2),
    "ris/systematic_review_datasets/Virus_Metagenomics_in_Farm_Animals-INCLUDED-v2.txt": Expect(
        "ris", 120
    ),
    "ris/systematic_review_datasets/schoot-lgmm-ptsd-included-1.ris": Expect("ris", 363),
    "ris/systematic_review_datasets/schoot-lgmm-ptsd-included-2.ris": Expect("ris", 38),
    "ris/systematic_review_datasets/schoot-lgmm-ptsd-included-3.ris": Expect("ris", 8),
    # --- medline/
    "medline/biopython/pubmed_result1.txt": Expect("medline", 1),
    "medline/biopython/pubmed_result2.txt": Expect("medline", 4),
    "medline/biopython/pubmed_result3.txt": Expect("medline", 1),
    "medline/colrev/eric_nbib.nbib": Expect("medline", 1),
    "medline/colrev/nbib_data.nbib": Expect("medline", 1),
    "medline/jabref/MedlinePlainImporterStringOutOfBounds.txt": Expect("medline", 2),
    "medline/jabref/MedlinePlainImporterTestCompleteEntry.txt": Expect("medline", 1),
    "medline/jabref/MedlinePlainImporterTestDOI.txt": Expect("medline", 1),
    "medline/jabref/MedlinePlainImporterTestInproceeding.txt": Expect("medline", 1),
    # NOT MEDLINE (SOURCES.md): claimed as a damaged MEDLINE file (it has PMID/PMC and a
    # "SO-" tag) so that the report says no record could be read.
    "medline/jabref/MedlinePlainImporterTestInvalidFormat.xml": Expect("medline", 0, 1, EMPTY),
    # No PMID lines: MultiAbstract/MultiTitle/eric/nbib_data are one tagged block each.
    "medline/jabref/MedlinePlainImporterTestMultiAbstract.txt": Expect("medline", 1),
    "medline/jabref/MedlinePlainImporterTestMultiTitle.txt": Expect("medline", 1),
    # 5 PMID lines plus a "PMC -" record and a "PMCR-" record (by hand); the line
    # "This line should be omitted by the importer." is not a record.
    "medline/jabref/MedlinePlainImporterTestMultipleEntries.txt": Expect("medline", 7),
    "medline/jabref/NbibImporterTest.nbib": Expect("medline", 1),
    # PMC display: each record starts with "PMC -" before its PMID; grep -c '^PMID-' = 5.
    "medline/nbib_holub008/pmc_medlars.txt": Expect("medline", 5),
    "medline/nbib_holub008/pubmed-balloongui-set.nbib": Expect("medline", 75),
    "medline/nbib_holub008/single.nbib": Expect("medline", 1),
    # NEGATIVE (SOURCES.md): PubMed's "Abstract" text display, not MEDLINE; no citation
    # parser claims it, the document importers read it.
    "medline/not_medline/pubmed_abstracts.txt": Expect(DOCUMENT, 1),
    "medline/rayyan_formats/example1.nbib": Expect("medline", 10),
    "medline/rayyan_formats/example2.nbib": Expect("medline", 1),
    "medline/rayyan_formats/example3.nbib": Expect("medline", 1),
    "medline/reflib_iebh/blue-light.nbib": Expect("medline", 80),
    "medline/reflib_node/cancer.nbib": Expect("medline", 20),
    # --- bibtex/
    "bibtex/colrev/abi_inform_proquest_bib.bib": Expect("bibtex", 2),
    "bibtex/colrev/acm_bib.bib": Expect("bibtex", 2),
    "bibtex/colrev/bib_data.bib": Expect("bibtex", 6),
    "bibtex/colrev/crossref_bib.bib": Expect("bibtex", 1),
    "bibtex/colrev/crossref_feed.bib": Expect("bibtex", 3),
    "bibtex/colrev/dblp_bib.bib": Expect("bibtex", 2),
    # 2 entries; the second has a keywords value full of unbalanced braces (scraped HTML).
    "bibtex/colrev/ebsco_bib.bib": Expect("bibtex", 1, 1, "cannot be read"),
    "bibtex/colrev/europe_pmc_bib.bib": Expect("bibtex", 2),
    "bibtex/colrev/scopus_bib.bib": Expect("bibtex", 11),
    "bibtex/colrev/taylor_and_francis_bib.bib": Expect("bibtex", 2),
    "bibtex/colrev/unknown_source_bib.bib": Expect("bibtex", 1),
    "bibtex/colrev/web_of_science_bib.bib": Expect("bibtex", 2),
    "bibtex/colrev/wiley_bib.bib": Expect("bibtex", 2),
    # 4 entries; two hold no bibliographic field (only keys/comments): by hand.
    "bibtex/jabref/BibtexImporter.examples.bib": Expect("bibtex", 2, 2, EMPTY),
    "bibtex/jabref/Chocolate.bib": Expect("bibtex", 15),
    "bibtex/jabref/complex.bib": Expect("bibtex", 20),
    "bibtex/jabref/crossref.bib": Expect("bibtex", 4),
    "bibtex/jabref/encoding-us-ascii-with-header.bib": Expect("bibtex", 1),
    "bibtex/jabref/encoding-utf-16BE-with-header.bib": Expect("bibtex", 1),
    "bibtex/jabref/encoding-utf-16BE-without-header.bib": Expect("bibtex", 1),
    "bibtex/jabref/encoding-utf-8-with-header.bib": Expect("bibtex", 1),
    "bibtex/jabref/encoding-utf-8-without-header.bib": Expect("bibtex", 1),
    "bibtex/jabref/encoding-windows-1252-but-utf-8-declared--decoding-fails.bib": Expect(
        "bibtex", 1
    ),
    "bibtex/jabref/encoding-windows-1252-with-header.bib": Expect("bibtex", 1),
    "bibtex/jabref/encoding-windows-1252-without-header.bib": Expect("bibtex", 1),
    "bibtex/jabref/entryWithMultilineAbstract.bib": Expect("bibtex", 1),
    "bibtex/jabref/headerless.bib": Expect("bibtex", 1),
    "bibtex/jabref/jabref-authors.bib": Expect("bibtex", 212),
    "bibtex/jabref/testjabref.bib": Expect("bibtex", 156),
    "bibtex/jabref/tiny-BE-noBOM.bib": Expect("bibtex", 1),
    "bibtex/jabref/tiny-BE-withBOM.bib": Expect("bibtex", 1),
    "bibtex/jabref/tiny-LE-noBOM.bib": Expect("bibtex", 1),
    "bibtex/jabref/tiny-LE-withBOM.bib": Expect("bibtex", 1),
    "bibtex/jabref/wrong-header.bib": Expect("bibtex", 1),
    "bibtex/python_bibtexparser/gbk_test.bib": Expect("bibtex", 1),
    "bibtex/python_bibtexparser_v1/article.bib": Expect("bibtex", 1),
    "bibtex/python_bibtexparser_v1/article_comma_first.bib": Expect("bibtex", 2),
    "bibtex/python_bibtexparser_v1/article_comma_normal_multiple.bib": Expect("bibtex", 3),
    "bibtex/python_bibtexparser_v1/article_field_name_with_underscore.bib": Expect("bibtex", 1),
    "bibtex/python_bibtexparser_v1/article_homogenize.bib": Expect("bibtex", 1),
    # MALFORMED (missing commas): bibtexparser still reads all 4 entries.
    "bibtex/python_bibtexparser_v1/article_missing_coma.bib": Expect("bibtex", 4),
    "bibtex/python_bibtexparser_v1/article_multilines.bib": Expect("bibtex", 1),
    "bibtex/python_bibtexparser_v1/article_no_braces.bib": Expect("bibtex", 1),
    "bibtex/python_bibtexparser_v1/article_oneline.bib": Expect("bibtex", 2),
    "bibtex/python_bibtexparser_v1/article_start_with_bom.bib": Expect("bibtex", 1),
    "bibtex/python_bibtexparser_v1/article_start_with_whitespace.bib": Expect("bibtex", 2),
    "bibtex/python_bibtexparser_v1/article_with_annotation.bib": Expect("bibtex", 1),
    "bibtex/python_bibtexparser_v1/article_with_protection_braces.bib": Expect("bibtex", 1),
    "bibtex/python_bibtexparser_v1/article_with_special_characters.bib": Expect("bibtex", 1),
    "bibtex/python_bibtexparser_v1/article_with_strings.bib": Expect("bibtex", 1),
    # 118 entries by grep; 13 hold none of title/author/editor/journal/booktitle/abstract/doi
    # (3 @set, 9 @misc "pagesN" fixtures, 1 @book list1), checked with a regex by hand.
    "bibtex/python_bibtexparser_v1/biber-examples.bib": Expect("bibtex", 105, 13, EMPTY),
    "bibtex/python_bibtexparser_v1/book_bom.bib": Expect("bibtex", 1),
    "bibtex/python_bibtexparser_v1/book_capital_AND.bib": Expect("bibtex", 1),
    # No entries at all: comments_only, common_strings (only @string), multiline_comments.
    "bibtex/python_bibtexparser_v1/comments_only.bib": Expect("bibtex", 0, 1, "no BibTeX entry"),
    "bibtex/python_bibtexparser_v1/comments_percentage.bib": Expect("bibtex", 2),
    "bibtex/python_bibtexparser_v1/comments_percentage_nolastcoma.bib": Expect("bibtex", 2),
    "bibtex/python_bibtexparser_v1/comments_spaces_and_declarations.bib": Expect("bibtex", 1),
    "bibtex/python_bibtexparser_v1/common_strings.bib": Expect("bibtex", 0, 1, "no BibTeX entry"),
    # crossref_cascading(_cycle) and fieldname: entries with only crossref/date fields.
    "bibtex/python_bibtexparser_v1/crossref_cascading.bib": Expect("bibtex", 0, 4, EMPTY),
    "bibtex/python_bibtexparser_v1/crossref_cascading_cycle.bib": Expect("bibtex", 0, 2, EMPTY),
    "bibtex/python_bibtexparser_v1/crossref_entries.bib": Expect("bibtex", 14),
    "bibtex/python_bibtexparser_v1/crossref_missing_entries.bib": Expect("bibtex", 1),
    # 0 bytes: refused before any format is chosen.
    "bibtex/python_bibtexparser_v1/empty.bib": Expect("", 0, 1, "the file is empty"),
    "bibtex/python_bibtexparser_v1/encoding.bib": Expect("bibtex", 1),
    "bibtex/python_bibtexparser_v1/features.bib": Expect("bibtex", 1),
    "bibtex/python_bibtexparser_v1/features2.bib": Expect("bibtex", 1),
    "bibtex/python_bibtexparser_v1/fieldname.bib": Expect("bibtex", 0, 1, EMPTY),
    "bibtex/python_bibtexparser_v1/multiline_comments.bib": Expect(
        "bibtex", 0, 1, "no BibTeX entry"
    ),
    "bibtex/python_bibtexparser_v1/multiple_entries_and_comments.bib": Expect("bibtex", 3),
    "bibtex/python_bibtexparser_v1/string.bib": Expect("bibtex", 1),
    "bibtex/python_bibtexparser_v1/traps.bib": Expect("bibtex", 1),
    "bibtex/python_bibtexparser_v1/website.bib": Expect("bibtex", 1),
    # MALFORMED: "@wrong{foo" is an unknown entry type, still an entry; 2 entries.
    "bibtex/python_bibtexparser_v1/wrong.bib": Expect("bibtex", 2),
    "bibtex/python_bibtexparser_v1/xref_entries.bib": Expect("bibtex", 8),
    "bibtex/python_bibtexparser_v1/xref_missing_entries.bib": Expect("bibtex", 1),
    # 17 entries; 12 are "@article{kN, year, month}" fixtures with nothing else (by hand).
    "bibtex/rayyan_formats/example1.bib": Expect("bibtex", 5, 12, EMPTY),
    "bibtex/rayyan_formats/example2.bib": Expect("bibtex", 1),
    "bibtex/rayyan_formats/example3.bib": Expect("bibtex", 1),
    # --- endnote_xml/
    "endnote_xml/jabref/EndnoteXmlImporterTestArticle.xml": Expect("endnote_xml", 1),
    "endnote_xml/jabref/EndnoteXmlImporterTestArticle2.xml": Expect("endnote_xml", 2),
    "endnote_xml/jabref/EndnoteXmlImporterTestLabelAndMultiTitle.xml": Expect("endnote_xml", 3),
    "endnote_xml/jabref/EndnoteXmlImporterTestReport.xml": Expect("endnote_xml", 1),
    "endnote_xml/jabref/EndnoteXmlImporterTest_EmptyKeywordStyle.xml": Expect("endnote_xml", 1),
    "endnote_xml/jabref/EndnoteXmlImporterTest_WithoutUrlStyle.xml": Expect("endnote_xml", 1),
    "endnote_xml/jabref/EndnoteXmlImporterTest_WithoutUrlStyle2.xml": Expect("endnote_xml", 2),
    "endnote_xml/reflib_iebh/Dump-Converted test.xml": Expect("endnote_xml", 25),
    "endnote_xml/reflib_iebh/SpiderCite demo.xml": Expect("endnote_xml", 10),
    "endnote_xml/reflib_iebh/blue-light.xml": Expect("endnote_xml", 102),
    "endnote_xml/reflib_iebh/multipart.xml": Expect("endnote_xml", 1),
    "endnote_xml/reflib_node/bold.xml": Expect("endnote_xml", 3),
    # --- endnote_tagged/
    "endnote_tagged/colrev/ais_enl.txt": Expect("endnote_tagged", 6),
    "endnote_tagged/colrev/enl_data.enl": Expect("endnote_tagged", 3),
    "endnote_tagged/jabref/Endnote.book.example.enw": Expect("endnote_tagged", 1),
    # Many %0 lines but no blank line: one record (Refer records are separated by blank lines).
    "endnote_tagged/jabref/Endnote.entries.enw": Expect("endnote_tagged", 1),
    "endnote_tagged/jabref/refer.bibIX.Journal.ref": Expect("endnote_tagged", 1),
    "endnote_tagged/jabref/refer.bibIX.ref": Expect("endnote_tagged", 4),
    # Two blank-line separated blocks; the second has only %0/%Y/%?/%B/%> (journal2).
    "endnote_tagged/rayyan_formats/example1.enw": Expect("endnote_tagged", 2),
    "endnote_tagged/rayyan_formats/example2.enw": Expect("endnote_tagged", 1),
    "endnote_tagged/rayyan_formats/example3.enw": Expect("endnote_tagged", 1),
    # --- wos_tagged/
    "wos_tagged/jabref/IsiImporterTest1.isi": Expect("wos", 1),
    "wos_tagged/jabref/IsiImporterTest2.isi": Expect("wos", 3),
    # 4 bytes (" ## "): no record.
    "wos_tagged/jabref/IsiImporterTestEmpty.isi": Expect("wos", 0, 1, "no Web of Science record"),
    "wos_tagged/jabref/IsiImporterTestInspec.isi": Expect("wos", 2),
    "wos_tagged/jabref/IsiImporterTestMedline.isi": Expect("wos", 2),
    "wos_tagged/jabref/IsiImporterTestWOS.isi": Expect("wos", 2),
    "wos_tagged/rayyan_formats/example1.ciw": Expect("wos", 3),
    "wos_tagged/rayyan_formats/example2.ciw": Expect("wos", 1),
    "wos_tagged/rayyan_formats/example3.ciw": Expect("wos", 1),
    # --- ovid_tagged/
    # 5 markers <1333>..<1337>; the last has only a Source, kept as its journal.
    "ovid_tagged/jabref/OvidImporterTest1.txt": Expect("ovid", 5),
    # NOT Ovid (SOURCES.md): Ovid-like fields without any <n> record marker.
    "ovid_tagged/jabref/OvidImporterTest2Invalid.txt": Expect("ovid", 0, 1, "no Ovid record"),
    "ovid_tagged/jabref/OvidImporterTest3.txt": Expect("ovid", 1),
    "ovid_tagged/jabref/OvidImporterTest4.txt": Expect("ovid", 1),
    "ovid_tagged/jabref/OvidImporterTest5.txt": Expect("ovid", 1),
    "ovid_tagged/jabref/OvidImporterTest6.txt": Expect("ovid", 1),
    "ovid_tagged/jabref/OvidImporterTest7.txt": Expect("ovid", 1),
    # --- pubmed_xml/
    # NEGATIVE (SOURCES.md): eSummary DocSums, not PubmedArticleSet.
    "pubmed_xml/biopython/esummary1.xml": Expect("pubmed_xml", 0, 1, "eSummary"),
    "pubmed_xml/biopython/pubmed1.xml": Expect("pubmed_xml", 2),
    "pubmed_xml/biopython/pubmed2.xml": Expect("pubmed_xml", 2),
    "pubmed_xml/biopython/pubmed4.xml": Expect("pubmed_xml", 1),
    "pubmed_xml/biopython/pubmed5.xml": Expect("pubmed_xml", 1),
    "pubmed_xml/biopython/pubmed6.xml": Expect("pubmed_xml", 1),
    "pubmed_xml/biopython/pubmed7.xml": Expect("pubmed_xml", 1),
    "pubmed_xml/jabref/MedlineImporterTestArticleID.xml": Expect("pubmed_xml", 1),
    "pubmed_xml/jabref/MedlineImporterTestArticleItalics.xml": Expect("pubmed_xml", 1),
    "pubmed_xml/jabref/MedlineImporterTestArticleNoISSN.xml": Expect("pubmed_xml", 1),
    "pubmed_xml/jabref/MedlineImporterTestBookArticleSet.xml": Expect("pubmed_xml", 2),
    "pubmed_xml/jabref/MedlineImporterTestKeywordSingleEntry.xml": Expect("pubmed_xml", 1),
    # MALFORMED (SOURCES.md): <PubmedArticle> never closed.
    "pubmed_xml/jabref/MedlineImporterTestMalformedEntry.xml": Expect(
        "pubmed_xml", 0, 1, "not well-formed"
    ),
    "pubmed_xml/jabref/MedlineImporterTestMathML.xml": Expect("pubmed_xml", 1),
    "pubmed_xml/jabref/MedlineImporterTestMeshHeadingList.xml": Expect("pubmed_xml", 1),
    # An empty <PubmedArticle/>: one element, nothing in it.
    "pubmed_xml/jabref/MedlineImporterTestMinimalEntry.xml": Expect(
        "pubmed_xml", 0, 1, "no MedlineCitation"
    ),
    # One <PubmedArticle> and one <PubmedBookArticle>.
    "pubmed_xml/jabref/MedlineImporterTestNbib.xml": Expect("pubmed_xml", 2),
    "pubmed_xml/jabref/MedlineImporterTestPubmedBook.xml": Expect("pubmed_xml", 1),
    # --- csv/
    "csv/asreview_citation_file_formatting/_baseline.csv": Expect("csv", 100),
    "csv/asreview_citation_file_formatting/_baseline.tsv": Expect("csv", 100),
    # csv module: 11 rows after the header; row 7 is a stray fragment ("citations that ...")
    # of a broken multi-line cell, not a record.
    "csv/asreview_citation_file_formatting/_baseline_abstrackr.csv": Expect("csv", 10, 1, EMPTY),
    "csv/asreview_citation_file_formatting/_baseline_cinahl.csv": Expect("csv", 10),
    "csv/asreview_citation_file_formatting/_baseline_cochrane.csv": Expect("csv", 3),
    "csv/asreview_citation_file_formatting/_baseline_covidence.csv": Expect("csv", 10),
    # 12 rows by the csv module, of which 2 are the "SEARCH QUERY" preamble before the header.
    "csv/asreview_citation_file_formatting/_baseline_embase.csv": Expect("csv", 10),
    "csv/asreview_citation_file_formatting/_baseline_excel.csv": Expect("csv", 10),
    "csv/asreview_citation_file_formatting/_baseline_googlescholar.csv": Expect("csv", 10),
    "csv/asreview_citation_file_formatting/_baseline_openalex.csv": Expect("csv", 9),
    "csv/asreview_citation_file_formatting/_baseline_pubmed.csv": Expect("csv", 10),
    "csv/asreview_citation_file_formatting/_baseline_rayyan.csv": Expect("csv", 10),
    "csv/asreview_citation_file_formatting/_baseline_refworks.tsv": Expect("csv", 100),
    "csv/asreview_citation_file_formatting/_baseline_scopus.csv": Expect("csv", 10),
    "csv/asreview_citation_file_formatting/_baseline_zotero.csv": Expect("csv", 10),
    "csv/asreview_demo_data/duplicate_records.csv": Expect("csv", 14),
    "csv/asreview_demo_data/embase.csv": Expect("csv", 6),
    "csv/asreview_demo_data/embase_newpage.csv": Expect("csv", 6),
    "csv/asreview_demo_data/generic.csv": Expect("csv", 2),
    "csv/asreview_demo_data/generic_bad_record_id.csv": Expect("csv", 6),
    "csv/asreview_demo_data/generic_column_names_with_spaces.csv": Expect("csv", 2),
    "csv/asreview_demo_data/generic_labels.csv": Expect("csv", 6),
    "csv/asreview_demo_data/generic_labels_no_abs.csv": Expect("csv", 6),
    "csv/asreview_demo_data/generic_labels_no_title.csv": Expect("csv", 6),
    "csv/asreview_demo_data/generic_partial_labels.csv": Expect("csv", 6),
    "csv/asreview_demo_data/generic_semicolon.csv": Expect("csv", 2),
    "csv/asreview_demo_data/generic_tab.csv": Expect("csv", 2),
    "csv/asreview_demo_data/generic_tab.tab": Expect("csv", 2),
    "csv/asreview_demo_data/generic_tab.tsv": Expect("csv", 2),
    "csv/asreview_demo_data/missing_values.csv": Expect("csv", 4),
    "csv/asreview_demo_data/record_id.csv": Expect("csv", 10),
    "csv/colrev/csv_data.csv": Expect("csv", 2),
    "csv/colrev/ieee_csv.csv": Expect("csv", 2),
    "csv/colrev/pubmed-chatbot.csv": Expect("csv", 6),
    "csv/colrev/pubmed_csv.csv": Expect("csv", 1),
    "csv/colrev/springer_csv.csv": Expect("csv", 1),
    "csv/dimitrov_snhl_search_exports/cinahl.csv": Expect("csv", 168),
    "csv/dimitrov_snhl_search_exports/embase.csv": Expect("csv", 568),
    "csv/dimitrov_snhl_search_exports/ieee.csv": Expect("csv", 93),
    "csv/dimitrov_snhl_search_exports/medline.csv": Expect("csv", 859),
    "csv/dimitrov_snhl_search_exports/psychinfo.csv": Expect("csv", 58),
    "csv/dimitrov_snhl_search_exports/scopus.csv": Expect("csv", 709),
    "csv/rayyan_formats/example1.csv": Expect("csv", 2),
    "csv/rayyan_formats/example2.csv": Expect("csv", 4),
    "csv/rayyan_formats/example3.csv": Expect("csv", 2),
    "csv/rayyan_formats/example4.csv": Expect("csv", 2),
    "csv/rayyan_formats/example5.csv": Expect("csv", 2),
    # --- json/
    "json/reflib_iebh/blue-light.json": Expect("json", 102),
    # --- screening/
    "screening/dimitrov_snhl_dual_reviewer/LB_response_complete.csv": Expect("csv", 1498),
    "screening/dimitrov_snhl_dual_reviewer/LD_response_complete.csv": Expect("csv", 1498),
    # rows holding U+FFFD already in the file (csv module: 2) are imported and flagged
    "screening/dimitrov_snhl_dual_reviewer/full_text_reviews.csv": Expect(
        "csv", 18, 2, LOST_CHARACTERS
    ),
    "screening/nagtegaal_2019/Nagtegaal_2019.csv": Expect("csv", 2019),
    # Dataset descriptions (metadata.json, Nagtegaal_2019.json), not reference lists.
    "screening/nagtegaal_2019/Nagtegaal_2019.json": Expect("json", 0, 1, NOT_A_LIST),
    "screening/synergy_v1/Donners_2021/Donners_2021_title_abstract_labels.csv": Expect("csv", 258),
    # labels.csv: openalex_id, doi, pmid, label; rows with neither doi nor pmid hold
    # nothing to import (csv module: 2 of 258 in Donners, 35 of 1175 in Jeyaraman).
    "screening/synergy_v1/Donners_2021/labels.csv": Expect("csv", 256, 2, EMPTY),
    "screening/synergy_v1/Donners_2021/metadata.json": Expect("json", 0, 1, NOT_A_LIST),
    # rows holding U+FFFD already in the file (csv module: 1) are imported and flagged
    "screening/synergy_v1/Jeyaraman_2020/Jeyaraman_2020_title_abstract_labels.csv": Expect(
        "csv", 1175, 1, LOST_CHARACTERS
    ),
    "screening/synergy_v1/Jeyaraman_2020/labels.csv": Expect("csv", 1140, 35, EMPTY),
    "screening/synergy_v1/Jeyaraman_2020/metadata.json": Expect("json", 0, 1, NOT_A_LIST),
    # rows holding U+FFFD already in the file (csv module: 1) are imported and flagged
    "screening/synergy_v1/Nelson_2002/Nelson_2002_title_abstract_labels.csv": Expect(
        "csv", 366, 1, LOST_CHARACTERS
    ),
    "screening/synergy_v1/Nelson_2002/labels.csv": Expect("csv", 366),
    "screening/synergy_v1/Nelson_2002/metadata.json": Expect("json", 0, 1, NOT_A_LIST),
    # --- dedup/
    "dedup/asreview_datatools/duplicate_data_with_doi.csv": Expect("csv", 5),
    "dedup/asreview_datatools/duplicate_data_without_doi.csv": Expect("csv", 5),
    # Labelled record pairs for deduplication tests: an object, not a list of references.
    "dedup/bib_dedupe/test_cases.json": Expect("json", 0, 1, NOT_A_LIST),
    "dedup/colrev/records.bib": Expect("bibtex", 21),
    "dedup/colrev/records_expected.bib": Expect("bibtex", 19),
}


def _corpus_files(root: Path) -> list[str]:
    files = []
    for folder in CITATION_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if (
                path.is_file()
                and path.suffix not in NOT_EXPORTS
                and path.name not in NOT_EXPORT_NAMES
            ):
                files.append(path.relative_to(root).as_posix())
    return files


@pytest.fixture(scope="module")
def blank_review(tmp_path_factory) -> Path:
    """An empty review made once; each test imports into its own copy of it."""
    path = tmp_path_factory.mktemp("blank") / "blank.review"
    create_review(path).close()
    return path


def _check(path: Path, expect: Expect, blank_review: Path, tmp_path: Path) -> None:
    review = tmp_path / "r.review"
    shutil.copy(blank_review, review)
    from reviewer.review.project import open_review

    store = open_review(review)
    try:
        report = import_paths(store, [path]).files[0]
        stored = store.record_count()
    finally:
        store.close()
    if expect.format == DOCUMENT:
        assert report.format not in CITATION_FORMATS, report
        assert stored >= expect.records
        return
    assert report.format == expect.format, report
    assert stored == expect.records, report.errors[:3]
    assert report.added + report.duplicates == expect.records
    assert len(report.errors) == expect.errors, report.errors[:3]
    for error in report.errors:
        assert error.startswith(path.name), error  # names the file ...
        assert ", line " in error or ": the file is empty" in error, error  # ... and where
        assert expect.says in error, error


def test_table_covers_every_local_file():
    assert set(_corpus_files(LOCAL)) <= set(EXPECTED)


@pytest.mark.parametrize("name", _corpus_files(LOCAL))
def test_local_corpus_file(name, blank_review, tmp_path):
    _check(LOCAL / name, EXPECTED[name], blank_review, tmp_path)
