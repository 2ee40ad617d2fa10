"""Colours read in a light and a dark palette alike (issue 10: under a dark theme the
legend chips, decision labels and grey metadata were unreadable)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from reviewer.ui import theme
from reviewer.ui.legend import GROUPS, char_format

DARK = {
    "Window": "#2b2b2b", "WindowText": "#e6e6e6", "Base": "#1e1e1e", "AlternateBase": "#262626",
    "Text": "#e6e6e6", "Button": "#333333", "ButtonText": "#e6e6e6", "Highlight": "#2f65ca",
    "HighlightedText": "#ffffff", "PlaceholderText": "#8c8c8c",
}  # fmt: skip


def dark_palette() -> QPalette:
    p = QPalette()
    for role, colour in DARK.items():
        p.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#777777"))
    return p


@pytest.fixture(params=["light", "dark"])
def palette(request, qapp):
    before = qapp.palette()
    if request.param == "dark":
        qapp.setPalette(dark_palette())
    yield qapp.palette()
    qapp.setPalette(before)


def test_decision_and_error_colours_read_on_the_base(palette):
    base = palette.color(QPalette.ColorRole.Base)
    for decision in ("include", "exclude", "maybe", "conflict"):
        assert theme.contrast(theme.decision_colour(decision), base) >= theme.TEXT_CONTRAST
    assert theme.contrast(theme.error_colour(), base) >= theme.TEXT_CONTRAST
    assert theme.contrast(theme.muted_colour(), palette.color(QPalette.ColorRole.Window)) >= 4.5


def test_highlight_fills_keep_the_text_readable(palette):
    text = palette.color(QPalette.ColorRole.Text)
    for group in GROUPS:
        fill = char_format("value", group).background().color()
        assert theme.contrast(text, fill) >= theme.TINT_CONTRAST, group
    note = char_format("note").background().color()
    assert theme.contrast(text, note) >= theme.TINT_CONTRAST
    keyword = char_format("keyword_exclude").foreground().color()
    assert theme.contrast(keyword, palette.color(QPalette.ColorRole.Base)) >= 4.5


def test_a_light_palette_keeps_the_designed_colours(qapp):
    assert not theme.is_dark(qapp.palette())
    assert theme.css(theme.decision_colour("include")) == theme.INCLUDE
    assert char_format("value", "population").background().color().name() == "#c8e6c9"


def test_the_window_draws_in_the_dark_palette(qtbot, demo_review, sync_jobs, palette):
    from reviewer.store import Store
    from reviewer.ui.main_window import MainWindow

    window = MainWindow(Store(demo_review))
    qtbot.addWidget(window)
    base = palette.color(QPalette.ColorRole.Button)
    for button in window.buttons.values():
        colour = re.search(r"color: (#[0-9a-f]{6})", button.styleSheet()).group(1)
        assert theme.contrast(QColor(colour), base) >= 3.0  # bold button text
    chips = window.tags_editor
    assert chips is not None
    window.close()
    window.store.close()
    assert QApplication.instance() is not None
