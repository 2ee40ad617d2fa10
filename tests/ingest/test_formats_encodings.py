"""The same export in every encoding and line ending a reviewer's tools write.

UTF-8 with and without BOM, UTF-16 little and big endian with and without BOM, Windows
cp1252 and CRLF line ends must all give the same records, in NFC.
"""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest

from reviewer.ingest import import_paths
from reviewer.review.project import create_review

TITLE = "Café au lait spots in naïve patients – a “pragmatic” trial"
AUTHOR = "Müller, Jürgen"
RIS = "".join(
    f"TY  - JOUR\nTI  - {TITLE} {i}\nAU  - {AUTHOR}\nAU  - Øster, Åse\nPY  - 2020\n"
    f"AB  - Résumé of trial {i}: crème brûlée über alles.\nER  - \n\n"
    for i in range(1, 4)
)
MEDLINE = "".join(
    f"PMID- 1000{i}\nTI  - {TITLE} {i}\nFAU - {AUTHOR}\nDP  - 2020 Jan\n\n" for i in range(1, 4)
)
CSV = "Title,Authors,Year\n" + "".join(
    f'"{TITLE} {i}","{AUTHOR}; Øster, Åse",2020\n' for i in range(1, 4)
)

ENCODINGS = {
    "utf-8": ("utf-8", b""),
    "utf-8-bom": ("utf-8", codecs.BOM_UTF8),
    "utf-16-le-bom": ("utf-16-le", codecs.BOM_UTF16_LE),
    "utf-16-be-bom": ("utf-16-be", codecs.BOM_UTF16_BE),
    "utf-16-le": ("utf-16-le", b""),
    "utf-16-be": ("utf-16-be", b""),
    "cp1252": ("cp1252", b""),
}


def _import(path: Path, tmp_path: Path):
    store = create_review(tmp_path / "r.review")
    report = import_paths(store, [path]).files[0]
    records = list(store.records())
    store.close()
    return report, records


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize(
    "encoding",
    list(ENCODINGS),
)
@pytest.mark.parametrize(
    ("text", "suffix", "fmt"),
    [(RIS, ".ris", "ris"), (MEDLINE, ".nbib", "medline"), (CSV, ".csv", "csv")],
    ids=["ris", "medline", "csv"],
)
def test_every_encoding_gives_the_same_records(text, suffix, fmt, encoding, newline, tmp_path):
    codec, bom = ENCODINGS[encoding]
    path = tmp_path / f"export{suffix}"
    path.write_bytes(bom + text.replace("\n", newline).encode(codec))
    report, records = _import(path, tmp_path)
    assert report.format == fmt and report.errors == []
    assert [r.title for r in records] == [f"{TITLE} {i}" for i in (1, 2, 3)]
    assert records[0].authors[0] == AUTHOR
    assert records[0].year == 2020
    assert all("\r" not in r.text for r in records)


def test_decomposed_text_is_stored_composed(tmp_path):
    path = tmp_path / "nfd.ris"
    path.write_text(unicodedata.normalize("NFD", RIS), encoding="utf-8")
    _, records = _import(path, tmp_path)
    assert records[0].title == f"{TITLE} 1"
    assert unicodedata.is_normalized("NFC", records[0].text)
    assert records[0].authors == [AUTHOR, "Øster, Åse"]


def test_classic_mac_line_ends(tmp_path):
    path = tmp_path / "mac.ris"
    path.write_bytes(RIS.replace("\n", "\r").encode("utf-8"))
    _, records = _import(path, tmp_path)
    assert len(records) == 3 and records[2].title == f"{TITLE} 3"


def test_windows_1252_file_is_detected(tmp_path):
    # characters that read the same in every Latin code page, so this holds today
    path = tmp_path / "windows.ris"
    title = "Café “au lait” – Müller’s über-trial"
    text = f"TY  - JOUR\nTI  - {title}\nAU  - Müller, Jürgen\nER  - \n" * 3
    path.write_bytes(text.replace("\n", "\r\n").encode("cp1252"))
    report, records = _import(path, tmp_path)
    assert report.errors == [] and [r.title for r in records] == [title] * 3


def test_a_utf8_file_with_a_few_bad_bytes_stays_utf8_and_names_their_lines(tmp_path):
    """One stray byte near the top used to turn the whole file into cp1252 mojibake."""
    records = [
        f"TY  - JOUR\nTI  - Trial {i} by Björn Ødegård\nAU  - Ødegård, Björn\nPY  - 2020\nER  - \n"
        for i in range(101)
    ]
    data = "\n".join(records).encode("utf-8")
    lines = data.split(b"\n")
    lines[7] = lines[7].replace(b"Trial", b"Tri\xffal")  # record 2's title, line 8
    lines[400] = lines[400] + b" \xe9t\xe9"  # latin-1 bytes in record 81, line 401
    path = tmp_path / "mostly-utf8.ris"
    path.write_bytes(b"\n".join(lines))
    report, stored = _import(path, tmp_path)
    assert len(stored) == 101
    assert sum("Björn Ødegård" in r.title for r in stored) == 101  # not "BjÃ¶rn"
    assert stored[1].title == "Tri\ufffdal 1 by Björn Ødegård"
    bad_bytes = [e.split(":")[0] for e in report.errors if "not UTF-8" in e]
    assert bad_bytes == ["mostly-utf8.ris, line 8", "mostly-utf8.ris, line 401"]
