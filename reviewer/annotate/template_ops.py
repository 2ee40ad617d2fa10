"""The review's own fields: editing the extraction template without losing values.

Each review carries its template, and reviewers change it as they learn what
the papers report. Every operation here writes a whole new template through
``Store.set_template`` (which logs the change), so the event log holds each
version. Removing a field never deletes what was extracted for it: its values
stay in the file and in exports until the reviewer deletes them explicitly, and
``orphan_fields`` lists them meanwhile. Renaming a key moves its values in the
same transaction, so the file is never half renamed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from reviewer.domain import FieldSpec, Template, load_template
from reviewer.domain.events import EventKind, make
from reviewer.store import Store


def _write(store: Store, fields: list[FieldSpec], reviewer: str) -> Template:
    current = store.template()
    try:
        template = Template(name=current.name, version=current.version, fields=fields,
                            outcomes=current.outcomes)  # fmt: skip
    except ValidationError as exc:
        raise ValueError(_message(exc)) from None
    store.set_template(template, reviewer)
    return template


def _message(exc: ValidationError) -> str:
    return "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())


def _spec(data: dict[str, Any]) -> FieldSpec:
    try:
        return FieldSpec.model_validate(data)
    except ValidationError as exc:
        raise ValueError(_message(exc)) from None


def _index(template: Template, key: str) -> int:
    try:
        return template.keys.index(key)
    except ValueError:
        raise KeyError(f"the template has no field {key}") from None


def add_field(
    store: Store, spec: FieldSpec | dict[str, Any], reviewer: str, position: int | None = None
) -> Template:
    """Add a field (at the end, or at ``position``).

    Re-adding a removed field under its old key brings its kept values back.
    """
    spec = spec if isinstance(spec, FieldSpec) else _spec(spec)
    fields = list(store.template().fields)
    if spec.key in {f.key for f in fields}:
        raise ValueError(f"the template has a field {spec.key} already")
    fields.insert(len(fields) if position is None else position, spec)
    return _write(store, fields, reviewer)


def update_field(store: Store, key: str, reviewer: str, /, **changes: Any) -> Template:
    """Change a field's label, type, choices, unit, help, item type or group.

    The key is changed with ``rename_field``, which moves the values along.
    """
    if "key" in changes:
        raise ValueError("change a key with rename_field, which moves its values")
    template = store.template()
    i = _index(template, key)
    fields = list(template.fields)
    fields[i] = _spec({**fields[i].model_dump(), **changes})
    return _write(store, fields, reviewer)


def rename_field(
    store: Store, key: str, reviewer: str, *, label: str | None = None, new_key: str | None = None
) -> Template:
    """Change a field's label and/or key; a new key takes the field's stored values along."""
    template = store.template()
    i = _index(template, key)
    changes: dict[str, Any] = {}
    if label is not None:
        changes["label"] = label
    if new_key is not None and new_key != key:
        _check_free_key(store, template, new_key)
        changes["key"] = new_key
    fields = list(template.fields)
    fields[i] = _spec({**fields[i].model_dump(), **changes})
    with store.atomic():
        if "key" in changes:
            moved = store.value_field_counts().get(key, 0)
            payload = {"old": key, "new": new_key, "values": moved}
            store.commit(make(EventKind.FIELD_RENAME, reviewer, **payload))
        return _write(store, fields, reviewer)


def _check_free_key(store: Store, template: Template, key: str) -> None:
    if key in template.keys:
        raise ValueError(f"the template has a field {key} already")
    if store.value_field_counts().get(key):
        raise ValueError(
            f"values of a removed field {key} are still kept; delete them or re-add that field"
        )


def move_field(store: Store, key: str, position: int, reviewer: str) -> Template:
    """Put a field at ``position`` (0 is first; past the end means last)."""
    template = store.template()
    fields = list(template.fields)
    spec = fields.pop(_index(template, key))
    fields.insert(max(0, position), spec)
    return _write(store, fields, reviewer)


def remove_field(store: Store, key: str, reviewer: str) -> Template:
    """Take a field out of the template; its values stay until deleted on purpose."""
    template = store.template()
    fields = list(template.fields)
    del fields[_index(template, key)]
    return _write(store, fields, reviewer)


def orphan_fields(store: Store) -> dict[str, int]:
    """Keys that hold values but are no field of the template, with how many records."""
    keys = set(store.template().keys)
    return {k: n for k, n in sorted(store.value_field_counts().items()) if k not in keys}


def delete_values_of_removed_field(store: Store, key: str, reviewer: str) -> int:
    """Delete the kept values of a removed field (each deletion logged); return how many."""
    if key in store.template().keys:
        raise ValueError(f"{key} is a field of the template; remove the field first")
    return store.delete_field_values(key, reviewer)


def save_template(store: Store, path: str | Path) -> Path:
    """Write the review's template as JSON, to share with another review."""
    path = Path(path)
    path.write_text(store.template().to_json() + "\n", encoding="utf-8")
    return path


def load_template_into(store: Store, path: str | Path, reviewer: str) -> Template:
    """Make a template file the review's template.

    Values of fields the file does not have are kept (see ``orphan_fields``).
    """
    try:
        template = load_template(Path(path))
    except ValidationError as exc:
        raise ValueError(f"{path}: {_message(exc)}") from None
    store.set_template(template, reviewer)
    return template
