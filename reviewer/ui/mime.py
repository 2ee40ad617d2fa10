"""Drag-and-drop formats shared by the document view (drag source) and the form (target)."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QEvent

SPAN_MIME = "application/x-reviewer-span"  # JSON {"record_id", "start", "end"}


def span_event(event: QEvent, record_id: int | None) -> tuple[bool, dict[str, Any] | None]:
    """What a drag or drop event means for a field that takes dragged words: whether the
    field consumes the event, and the dropped span (``None`` unless it is a drop of words of
    ``record_id``, which is then accepted)."""
    kind = event.type()
    if kind not in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
        return False, None
    data = event.mimeData()  # type: ignore[attr-defined]
    if not data.hasFormat(SPAN_MIME):
        return False, None
    if kind != QEvent.Type.Drop:
        event.acceptProposedAction()  # type: ignore[attr-defined]
        return True, None
    span = json.loads(bytes(data.data(SPAN_MIME)).decode())
    if span.get("record_id") != record_id:
        return True, None
    event.acceptProposedAction()  # type: ignore[attr-defined]
    return True, span
