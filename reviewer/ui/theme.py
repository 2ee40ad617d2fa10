"""Colours that read in a light and a dark palette alike.

Every colour the window adds to Qt's own (decision labels, errors, muted metadata,
highlight tints, chips) is derived here from the application's ``QPalette`` at the
moment it is drawn, instead of being a fixed hex value: a fixed dark green reads on
white and vanishes on a dark grey. A semantic colour keeps its hue and saturation
and has its lightness moved until it stands out from the palette's background by the
WCAG contrast ratio for text (4.5:1); a tint behind text is moved the other way, so
the palette's own text colour stays readable on it.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette

# The colours' hues (their light-palette shades); what is shown is derived from them.
INCLUDE = "#2e7d32"
EXCLUDE = "#c62828"
MAYBE = "#ef6c00"
CONFLICT = "#6a1b9a"
ERROR = "#b71c1c"
SUCCESS = "#2e7d32"
DECISIONS = {"include": INCLUDE, "exclude": EXCLUDE, "maybe": MAYBE, "conflict": CONFLICT}

TEXT_CONTRAST = 4.5  # WCAG AA for body text
TINT_CONTRAST = 7.0  # text on a highlight tint: a little more, it sits under every word


def palette() -> QPalette:
    app = QGuiApplication.instance()
    return app.palette() if app is not None else QPalette()  # type: ignore[union-attr]


def background(pal: QPalette | None = None) -> QColor:
    """The colour text is drawn on (a list's or a document's base)."""
    return (pal or palette()).color(QPalette.ColorRole.Base)


def is_dark(pal: QPalette | None = None) -> bool:
    return _luminance(background(pal)) < 0.25


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable(colour: str | QColor, on: QColor | None = None, ratio: float = TEXT_CONTRAST) -> QColor:
    """``colour``'s hue, as light or as dark as it must be to read on ``on`` (the
    palette's base by default)."""
    base = on if on is not None else background()
    return _shift(QColor(colour), base, ratio, lighter=_luminance(base) < 0.25)


def tint(colour: str | QColor, pal: QPalette | None = None) -> QColor:
    """``colour``'s hue as a background behind the palette's text (pale in a light
    palette, deep in a dark one)."""
    pal = pal or palette()
    text = pal.color(QPalette.ColorRole.Text)
    return _shift(QColor(colour), text, TINT_CONTRAST, lighter=_luminance(text) < 0.5)


def decision_colour(decision: str) -> QColor:
    return readable(DECISIONS.get(decision, MAYBE))


def error_colour() -> QColor:
    return readable(ERROR)


def success_colour() -> QColor:
    return readable(SUCCESS)


def muted_colour(pal: QPalette | None = None) -> QColor:
    """Secondary text (counts, metadata, hints): between the text and its background,
    still readable."""
    pal = pal or palette()
    text, base = pal.color(QPalette.ColorRole.Text), pal.color(QPalette.ColorRole.Window)
    mixed = _mix(text, base, 0.68)
    return mixed if contrast(mixed, base) >= TEXT_CONTRAST else _mix(text, base, 0.85)


def disabled_colour(pal: QPalette | None = None) -> QColor:
    """An option that leads nowhere: greyed, as Qt greys disabled text."""
    pal = pal or palette()
    return pal.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)


def css(colour: QColor) -> str:
    return colour.name(QColor.NameFormat.HexRgb)


def muted_style() -> str:
    return f"color: {css(muted_colour())};"


def error_style() -> str:
    return f"color: {css(error_colour())};"


# -- colour arithmetic ---------------------------------------------------------------------


def _channel(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _luminance(colour: QColor) -> float:
    return (
        0.2126 * _channel(colour.redF())
        + 0.7152 * _channel(colour.greenF())
        + 0.0722 * _channel(colour.blueF())
    )


def _mix(a: QColor, b: QColor, share_a: float) -> QColor:
    s = share_a
    return QColor.fromRgbF(
        a.redF() * s + b.redF() * (1 - s),
        a.greenF() * s + b.greenF() * (1 - s),
        a.blueF() * s + b.blueF() * (1 - s),
    )


def _shift(colour: QColor, against: QColor, ratio: float, lighter: bool) -> QColor:
    """Move ``colour``'s HSL lightness (towards white if ``lighter``, else black) until
    its contrast with ``against`` reaches ``ratio``; the hue and saturation stay."""
    h, s, lightness, _a = colour.getHslF()
    h = max(h, 0.0)  # -1 for greys
    step = 0.02 if lighter else -0.02
    current = QColor.fromHslF(h, s, lightness)
    while contrast(current, against) < ratio and 0.0 < lightness < 1.0:
        lightness = min(1.0, max(0.0, lightness + step))
        current = QColor.fromHslF(h, s, lightness)
    return current
