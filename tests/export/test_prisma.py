"""PRISMA 2020 diagram: its numbers are ``reviewer stats --json``'s, the SVG is
well-formed with record-derived text escaped, and the PNG is a real image."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from reviewer.domain import ParsedRecord, Source
from reviewer.export.prisma import (
    diagram,
    export_prisma_png,
    export_prisma_svg,
    prisma_counts,
    prisma_svg,
)
from reviewer.review import screening as sc
from reviewer.review.stats import stats
from reviewer.store import Store

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE_SOURCE = '<script>alert("x")</script> & ]]> </text><text>99999</text>\x01.ris'
HOSTILE_REASON = "<b>wrong</b> & 'odd' \"reason\""


@pytest.fixture
def store(screened_review):
    s = Store(screened_review)
    yield s
    s.close()


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == f"{SVG}svg"
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_counts_are_the_stats_numbers(store):
    counts = prisma_counts(store)
    numbers = stats(store)
    assert {k: counts[k] for k in numbers["prisma"]} == numbers["prisma"]
    assert counts["included"] == len(sc.records_at_stage(store, "extraction"))
    assert counts["duplicates_removed"] == 2
    assert counts["not_retrieved"] > 0 and counts["excluded_full_text_reasons"]


def test_svg_is_well_formed_and_shows_every_number(store, tmp_path):
    counts = prisma_counts(store)
    path = export_prisma_svg(store, tmp_path / "prisma.svg")
    svg = path.read_text(encoding="utf-8")
    texts = _texts(svg)
    joined = "\n".join(texts)
    prisma = stats(store)["prisma"]
    for key in ("identified", "duplicates_removed", "screened", "excluded_screening",
                "sought_for_retrieval", "not_retrieved", "assessed_for_eligibility",
                "excluded_full_text", "included"):  # fmt: skip
        assert f"(n = {prisma[key]})" in joined, key
    for name, n in prisma["identified_per_source"].items():
        assert f"{name} (n = {n})" in texts
    for reason, n in prisma["excluded_full_text_reasons"].items():
        assert f"{reason} (n = {n})" in texts
    for label in ("Identification", "Screening", "Included", "Records screened (n = "
                  f"{counts['screened']})", f"Studies included in review (n = {counts['included']})"):  # fmt: skip
        assert label in texts
    assert "marker" not in svg  # Qt's SVG renderer draws no markers: arrowheads are polygons
    every_n = {int(n) for n in re.findall(r"\(n = (\d+)\)", joined)}
    allowed = {v for v in prisma.values() if isinstance(v, int)}
    allowed |= set(prisma["identified_per_source"].values())
    allowed |= set(prisma["excluded_full_text_reasons"].values())
    assert every_n <= allowed


def test_record_derived_text_is_escaped_not_markup(store, tmp_path):
    with store.atomic():
        sid = store.add_source(Source(name=HOSTILE_SOURCE, sha256="9" * 64, size=1, format="ris"))
        store.add_records(sid, [ParsedRecord(title="hostile source")])
    counts = prisma_counts(store)
    counts["excluded_full_text_reasons"][HOSTILE_REASON] = 1
    svg = prisma_svg(counts)
    root = ET.fromstring(svg.encode("utf-8"))
    tags = {el.tag for el in root.iter()}
    assert tags == {f"{SVG}{t}" for t in ("svg", "title", "rect", "text", "line", "polygon")}
    joined = " ".join(_texts(svg))
    assert '<script>alert("x")</script> & ]]> </text><text>99999</text>' in joined
    assert f"{HOSTILE_REASON} (n = 1)" in joined
    assert "\x01" not in svg
    assert "<script>" not in svg and "<b>" not in svg


def test_boxes_do_not_overlap_and_long_names_wrap(store):
    counts = prisma_counts(store)
    counts["identified_per_source"]["a-very-long-source-file-name-" * 4 + ".ris"] = 3
    counts["identified_per_source"]["x" * 30 + " " + "y" * 9] = 12345
    d = diagram(counts)
    boxes = [b for b in d.boxes if b.fill != "none"]
    for i, a in enumerate(boxes):
        assert a.x >= 0 and a.x + a.w <= d.width and a.y >= 0 and a.y + a.h <= d.height
        for b in boxes[i + 1 :]:
            apart = a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y
            assert apart, (a.lines, b.lines)
        if not a.vertical:
            assert all(len(line) * 7.8 <= a.w - 2 * 10 + 1 for line in a.lines), a.lines
            # a count is never broken over two lines
            assert all(re.search(r"\(n = \d+\)", t) for t in a.lines if "(n" in t), a.lines


def test_png_is_a_valid_image_of_the_same_layout(store, tmp_path):
    path = export_prisma_png(store, tmp_path / "prisma.png", scale=2)
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(path) as image:
        image.verify()
    d = diagram(prisma_counts(store))
    with Image.open(path) as image:
        assert image.size == (round(d.width * 2), round(d.height * 2))
        assert image.getpixel((1, 1)) == (255, 255, 255)
        colours = {c for _, c in image.getcolors(maxcolors=1 << 20)}
        assert (0, 0, 0) in colours  # lines and text were drawn
