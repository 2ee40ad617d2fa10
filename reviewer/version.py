"""Which Reviewer this is: the version and the build, as a user quotes them in a bug report.

``reviewer --version`` and Help → About both read this. The version has one home,
``reviewer.__version__`` (``pyproject.toml`` reads the same line). The build is stamped into
``build_info.json`` beside this module when the bundle is made (``packaging/bundling.py``);
a checkout or a pip install has no stamp and says it runs from source.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from dataclasses import dataclass
from pathlib import Path

from reviewer import __version__

BUILD_INFO = Path(__file__).with_name("build_info.json")


@dataclass(frozen=True)
class BuildInfo:
    version: str
    commit: str = ""
    commit_date: str = ""
    built: str = ""
    platform: str = ""
    bundled: bool = False

    def build_line(self) -> str:
        """One line naming the build: the commit and when it was bundled, or "from source"."""
        if not self.bundled:
            return "from source"
        parts = [f"build {self.commit}"]
        if self.commit_date:
            parts.append(f"commit of {self.commit_date}")
        if self.built:
            parts.append(
                f"bundled {self.built}" + (f" for {self.platform}" if self.platform else "")
            )
        return ", ".join(parts)

    def text(self) -> str:
        return f"reviewer {self.version} ({self.build_line()}; Python {platform.python_version()})"


def build_info(path: Path | None = None) -> BuildInfo:
    """The stamped build, or a from-source one when there is no (readable) stamp."""
    path = path or BUILD_INFO
    try:
        stamp = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stamp = None
    if not isinstance(stamp, dict):
        if getattr(sys, "frozen", False):  # a bundle built without packaging/build.py
            return BuildInfo(version=__version__, commit="unknown", bundled=True)
        return BuildInfo(version=__version__)
    return BuildInfo(
        version=__version__,
        commit=str(stamp.get("commit", "unknown")),
        commit_date=str(stamp.get("commit_date", "")),
        built=str(stamp.get("built", "")),
        platform=str(stamp.get("platform", "")),
        bundled=True,
    )


def version_text() -> str:
    return build_info().text()


class VersionAction(argparse.Action):
    """``--version``: the version and build on one line (argparse's own would re-wrap it)."""

    def __init__(
        self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None
    ):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(version_text())
        parser.exit()
