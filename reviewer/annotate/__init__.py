"""Annotating a record's text beside the form: the core under the side-by-side view.

Setting a field from selected text (``selection``), notes that belong to no field
(``notes``), anchors that survive a change of the record's text (``anchors``,
``text_replace``), editing the review's own template (``template_ops``) and undo/redo
of all of it (``undo``). No Qt here: the window and the command line call these functions.

Listing notes is ``reviewer.annotate.notes.notes``: it is not re-exported here,
where the name would hide the module of the same name.
"""

from reviewer.annotate.anchors import (
    Orphan,
    dismiss_orphan,
    orphans,
    reanchor,
    reattach_orphan,
)
from reviewer.annotate.notes import add_note, delete_note, edit_note, restore_note
from reviewer.annotate.selection import parse_selection, remove_span, set_from_selection
from reviewer.annotate.text_replace import ReanchorReport, replace_record_text

__all__ = [
    "Orphan",
    "ReanchorReport",
    "add_note",
    "delete_note",
    "dismiss_orphan",
    "edit_note",
    "orphans",
    "parse_selection",
    "reanchor",
    "reattach_orphan",
    "remove_span",
    "replace_record_text",
    "restore_note",
    "set_from_selection",
]
