"""Streaming the records out of a large XML export, safely and with their line numbers.

XML from other tools is untrusted, so it goes through defusedxml's parser (no entity
declarations, no external references). ``iterparse`` would stream too, but it cannot say
on which line a record starts; a parser target can, because it is called while expat
is positioned on the start tag. Each record element is handed over whole, with its
line, and then cleared, so memory stays flat however many records the file holds.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import TextIO
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

_CHUNK = 1 << 16


class XmlBroken(Exception):
    """The XML stops being well-formed (or is unsafe) at ``line``."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message = message
        self.line = line


class _Collector:
    """Parser target: builds elements, and notes each record element with its start line."""

    def __init__(self, record_tags: frozenset[str]):
        self.record_tags = record_tags
        self.builder = TreeBuilder()
        self.parser: DefusedXMLParser | None = None
        self.open_lines: list[int] = []
        self.done: list[tuple[Element, int]] = []
        self.root_tag = ""

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        if not self.root_tag:
            self.root_tag = tag
        if tag in self.record_tags and self.parser is not None:
            self.open_lines.append(self.parser.parser.CurrentLineNumber)
        return self.builder.start(tag, attrs)

    def end(self, tag: str) -> Element:
        elem = self.builder.end(tag)
        if tag in self.record_tags and self.open_lines:
            self.done.append((elem, self.open_lines.pop()))
        return elem

    def data(self, text: str) -> None:
        self.builder.data(text)

    def close(self) -> Element | None:
        return None


class RecordReader:
    """Iterate ``(element, line)`` for each record element as the file is read.

    ``root_tag`` names the document element once reading has begun. Iteration raises
    ``XmlBroken`` where the file stops being well-formed or declares entities.
    """

    def __init__(self, stream: TextIO, record_tags: frozenset[str]):
        self.stream = stream
        self.collector = _Collector(record_tags)

    @property
    def root_tag(self) -> str:
        return local(self.collector.root_tag)

    def __iter__(self) -> Iterator[tuple[Element, int]]:
        collector = self.collector
        parser = DefusedXMLParser(target=collector)
        collector.parser = parser
        broken: XmlBroken | None = None
        try:
            while chunk := self.stream.read(_CHUNK):
                parser.feed(chunk)
                yield from self._drain()
            parser.close()
        except ParseError as exc:
            line = exc.position[0] if getattr(exc, "position", None) else None
            broken = XmlBroken(f"the XML is not well-formed ({_plain(exc)})", line)
        except DefusedXmlException as exc:
            line = parser.parser.CurrentLineNumber
            broken = XmlBroken(
                f"the XML declares entities, which are not read for safety ({exc})", line
            )
        yield from self._drain()  # records completed before the fault still count
        if broken is not None:
            raise broken

    def _drain(self) -> Iterator[tuple[Element, int]]:
        done = self.collector.done
        while done:
            elem, line = done.pop(0)
            yield elem, line
            elem.clear()


def _plain(exc: ParseError) -> str:
    return str(exc).split(": line")[0]


def local(tag: str) -> str:
    """A tag without its ``{namespace}``."""
    return tag.rsplit("}", 1)[-1]


def text_of(elem: Element | None, lines: bool = False) -> str:
    """All the text inside ``elem`` (markup such as <i> or <style> dropped), in NFC.

    Pretty-printed XML wraps values with line breaks and indentation that are not part
    of them, so white space runs become one space; with ``lines``, line breaks the
    exporter meant (EndNote's ``&#xD;`` between paragraphs) are kept.
    """
    if elem is None:
        return ""
    text = "".join(elem.itertext()).replace("\r\n", "\n").replace("\r", "\n")
    if lines:
        text = "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())
    else:
        text = " ".join(text.split())
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def head_root(head: str) -> str:
    """The first element name in the head of an XML file (``""`` if none is visible)."""
    i = 0
    while True:
        i = head.find("<", i)
        if i == -1 or i + 1 >= len(head):
            return ""
        nxt = head[i + 1]
        if nxt not in "?!":
            end = i + 1
            while end < len(head) and head[end] not in " \t\r\n/>":
                end += 1
            return local(head[i + 1 : end])
        i += 1
