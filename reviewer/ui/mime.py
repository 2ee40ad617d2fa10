"""Drag-and-drop formats shared by the document view (drag source) and the form (target)."""

SPAN_MIME = "application/x-reviewer-span"  # JSON {"record_id", "start", "end"}
