"""Creating and opening reviews, including the demo review built from the seeds."""

from __future__ import annotations

from pathlib import Path

from reviewer.domain import Template, load_template
from reviewer.ingest import import_paths
from reviewer.paths import default_review_path, resources_dir, seeds_dir
from reviewer.store import Store

DEFAULT_TEMPLATE = "intervention_study.json"


def default_template() -> Template:
    return load_template(resources_dir() / "templates" / DEFAULT_TEMPLATE)


def create_review(
    path: str | Path, name: str | None = None, template: Template | None = None
) -> Store:
    """A new, empty review file with a copy of the (default) extraction template."""
    path = Path(path)
    return Store.create(path, name or path.stem, template or default_template())


def open_review(path: str | Path) -> Store:
    return Store(path)


def create_demo_review(path: str | Path, name: str | None = None) -> Store:
    """The demo review: the default template and the seed documents imported."""
    store = create_review(path, name or "Lenalidomide demo review")
    import_paths(store, [seeds_dir()])
    return store


def open_default_review(path: str | Path | None = None) -> Store:
    """Open a review, creating it when it does not exist yet.

    Only the default review (no path, or the default path) becomes the demo review
    on first start; any other new path becomes an empty review with the default
    template, ready for the reviewer's own search exports.
    """
    path = Path(path) if path else default_review_path()
    if path.exists():
        return open_review(path)
    if is_default_review(path):
        return create_demo_review(path)
    return create_review(path)


def is_default_review(path: str | Path) -> bool:
    """Whether ``path`` is the default (demo) review in the user data folder."""
    return Path(path).expanduser().resolve() == default_review_path().resolve()
