"""Reading files into a review: one module per input format, plus encodings and duplicates."""

from reviewer.ingest.base import ImportFailure
from reviewer.ingest.importer import Progress, import_paths
from reviewer.ingest.reading import expand_paths

__all__ = ["ImportFailure", "Progress", "expand_paths", "import_paths"]
