"""What goes into the bundle, decided in plain Python so the spec stays short and testable.

The spec (``reviewer.spec``) asks this module which data files to ship, which modules to keep
out, which Qt files to drop after PyInstaller's analysis and what build to stamp. Nothing here
imports PyInstaller, so the unit tests can check these decisions without building.

Dependencies are never listed here: PyInstaller follows the imports of ``reviewer`` and its
hooks (``pyinstaller-hooks-contrib``) bring in each library's own files, so a dependency added
to ``pyproject.toml`` is bundled without touching this file. What is listed is what must stay
*out*: the tools of the ``dev`` and ``bundle`` extras (computed from ``pyproject.toml``), other
Qt bindings, Tk, and the parts of Qt the app does not use.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Never needed at run time, whatever imports them optionally.
ALWAYS_EXCLUDED = (
    "tkinter",
    "_tkinter",
    "turtle",
    "turtledemo",
    "idlelib",
    "lib2to3",
    "pydoc_data",
    "ensurepip",
    "venv",
    "distutils",
    "setuptools",
    "pkg_resources",
    "pip",
    "wheel",
    "IPython",
    "jupyter_client",
    "ipykernel",
    "notebook",
    "PyQt5",
    "PyQt6",
    "PySide2",
    "shiboken2",
    "PyInstaller",
    "pytest",
    "_pytest",
    # Pillow's image formats the app never reads or writes (AVIF alone is 5 MB of libraries)
    "PIL._avif",
    "PIL.AvifImagePlugin",
    "PIL.ImageTk",
    "PIL._imagingtk",
    "PIL.ImageQt",
)

# Qt plugin folders the app has no use for: it prints nothing, plays nothing, opens no
# network sockets and uses no SQL drivers or QML.
QT_PLUGIN_FOLDERS_DROPPED = frozenset(
    {
        "designer",
        "egldeviceintegrations",
        "generic",
        "networkinformation",
        "printsupport",
        "qmllint",
        "qmltooling",
        "sqldrivers",
        "tls",
        "wayland-graphics-integration-server",
    }
)
# Single plugins dropped by name (without "lib" and suffix). Kept: xcb and wayland (desktops),
# offscreen (the screenshot command), windows/cocoa, the portal theme. Dropped: framebuffer and
# VNC back ends, and the GTK theme, which would load the system's GTK into the process beside
# the glib bundled for QtCore and break when the two differ.
QT_PLUGINS_DROPPED = frozenset(
    {
        "qeglfs",
        "qlinuxfb",
        "qminimal",
        "qminimalegl",
        "qvkkhrdisplay",
        "qvnc",
        "qgtk3",
        "qdirect2d",
    }
)

ENTRY_POINT = ROOT / "packaging" / "launch.py"
APP_ID = "io.github.reviewer.Reviewer"


def project() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]


def version() -> str:
    """The app's version: ``reviewer/__init__.py`` (pyproject.toml reads the same line)."""
    text = (ROOT / "reviewer" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if not match:
        raise ValueError("reviewer/__init__.py: no __version__ line")
    return match.group(1)


def _requirement_name(spec: str) -> str:
    return re.split(r"[\s<>=!~;\[(]", spec.strip(), maxsplit=1)[0]


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _runtime_closure(names: list[str]) -> set[str]:
    """The distributions the runtime dependencies need, transitively, as installed here."""
    seen: set[str] = set()
    todo = [_canonical(n) for n in names]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for req in requires:
            if re.search(r"\bextra\s*==", req):
                continue  # an optional extra of that library, not installed by us
            todo.append(_canonical(_requirement_name(req)))
    return seen


def tool_only_modules() -> list[str]:
    """Top-level modules of the ``dev``/``bundle`` extras that the runtime does not need."""
    proj = project()
    runtime = _runtime_closure([_requirement_name(r) for r in proj.get("dependencies", [])])
    extras = proj.get("optional-dependencies", {})
    tools = {
        _canonical(_requirement_name(r))
        for group in ("dev", "bundle")
        for r in extras.get(group, [])
    }
    tools = _runtime_closure(sorted(tools)) - runtime
    modules = set()
    for module, dists in metadata.packages_distributions().items():
        if module.isidentifier() and {_canonical(d) for d in dists} <= tools:
            modules.add(module)
    return sorted(modules)


def _pyside_dir() -> Path | None:
    try:
        import PySide6
    except ImportError:
        return None
    return Path(PySide6.__file__).parent


def qt_modules_used(source: Path = ROOT / "reviewer", pyside: Path | None = None) -> set[str]:
    """The PySide6 modules ``reviewer`` imports, with the modules they import in turn.

    Read from the source (``PySide6.QtX`` and ``from PySide6 import QtX``), so a new Qt
    import in the app is bundled without an edit here; the dependencies of each module are
    read from the ``import PySide6.QtY`` lines of its ``.pyi`` stub.
    """
    used = {"QtCore"}
    for path in source.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used.update(re.findall(r"\bPySide6\.(Qt\w+)", text))
        imported = re.findall(r"^\s*from PySide6 import \(([^)]*)\)", text, re.M)
        imported += re.findall(r"^\s*from PySide6 import ([\w ,]+)$", text, re.M)
        for names in imported:
            for name in names.split(","):
                words = name.split()
                if words and words[0].startswith("Qt"):
                    used.add(words[0])
    pyside = pyside or _pyside_dir()
    todo = sorted(used)
    while todo and pyside is not None:
        stub = pyside / f"{todo.pop()}.pyi"
        if stub.exists():
            for dep in re.findall(r"^import PySide6\.(Qt\w+)", stub.read_text("utf-8"), re.M):
                if dep not in used:
                    used.add(dep)
                    todo.append(dep)
    return used


def qt_modules_excluded(pyside: Path | None = None) -> list[str]:
    """Every installed PySide6 module the app does not use."""
    pyside = pyside or _pyside_dir()
    if pyside is None:
        return []
    names = {
        p.name.split(".")[0]
        for p in pyside.iterdir()
        if p.name.startswith("Qt") and p.suffix in (".so", ".pyd", ".pyi")
    }
    used = qt_modules_used(pyside=pyside)
    return sorted(f"PySide6.{n}" for n in names if n not in used)


def excludes() -> list[str]:
    return sorted(set(ALWAYS_EXCLUDED) | set(tool_only_modules()) | set(qt_modules_excluded()))


def datas(build_info: Path) -> list[tuple[str, str]]:
    """(source, folder in the bundle) for the files the app reads at run time.

    ``reviewer/paths.py`` looks for ``resources/`` and ``seeds/`` beside the ``reviewer``
    package, which in the bundle is PyInstaller's ``_internal`` folder.
    """
    return [
        (str(ROOT / "resources"), "resources"),
        (str(ROOT / "seeds"), "seeds"),
        (str(build_info), "reviewer"),
    ]


def dropped_binary(dest: str) -> bool:
    """True for the Qt plugins the analysis collected that the app never loads."""
    parts = Path(dest).parts
    if "plugins" not in parts[:-1]:
        return False
    folder = parts[parts.index("plugins") + 1]
    stem = Path(parts[-1]).name.split(".")[0].removeprefix("lib")
    return folder in QT_PLUGIN_FOLDERS_DROPPED or stem in QT_PLUGINS_DROPPED


def prune_binaries(
    binaries: list[tuple], needed: Callable[[str], Iterable[str]]
) -> tuple[list[tuple], list[tuple]]:
    """Drop the unused Qt plugins, then every library only they needed.

    ``binaries`` are PyInstaller's ``(dest, source, kind)`` entries; ``needed(source)`` names
    the libraries a binary links (its DT_NEEDED). A library goes only when it was linked by
    something and everything that linked it is gone, so libraries loaded by ``ctypes`` or put
    there by a hook (linked by nothing) always stay. Returns (kept, removed).
    """
    by_name = {Path(entry[0]).name: entry for entry in binaries}
    linked_by: dict[str, set[str]] = {name: set() for name in by_name}
    for name, entry in by_name.items():
        for lib in needed(entry[1]):
            if lib in linked_by and lib != name:
                linked_by[lib].add(name)
    removed = {name for name, entry in by_name.items() if dropped_binary(entry[0])}
    changed = True
    while changed:
        changed = False
        for name, users in linked_by.items():
            if name not in removed and users and users <= removed:
                removed.add(name)
                changed = True
    kept = [e for e in binaries if Path(e[0]).name not in removed]
    return kept, [e for e in binaries if Path(e[0]).name in removed]


def prune_datas(datas: list[tuple], binaries: list[tuple]) -> list[tuple]:
    """Drop Qt's translations (the app is in English and installs no QTranslator), and the
    symbolic links PyInstaller made to libraries ``prune_binaries`` removed."""
    present = {os.path.normpath(entry[0]) for entry in binaries + datas}
    kept = []
    for dest, src, kind in datas:
        parts = Path(dest).parts
        if "PySide6" in parts and "translations" in parts:
            continue
        if (
            kind == "SYMLINK"
            and os.path.normpath(os.path.join(os.path.dirname(dest), src)) not in present
        ):
            continue
        kept.append((dest, src, kind))
    return kept


def _git(*args: str) -> str:
    try:
        out = subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip()


def build_stamp() -> dict:
    """What ``reviewer --version`` and Help → About report for this build."""
    commit = _git("rev-parse", "--short=12", "HEAD")
    if commit and _git("status", "--porcelain", "--untracked-files=no"):
        commit += "-modified"
    epoch = os.environ.get("SOURCE_DATE_EPOCH")  # reproducible builds set this
    built = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return {
        "version": version(),
        "commit": commit or "unknown",
        "commit_date": _git("log", "-1", "--format=%cs") or "unknown",
        "built": built.strftime("%Y-%m-%d %H:%M UTC"),
        "platform": platform_tag(),
        "python": platform.python_version(),
    }


def write_build_stamp(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(build_stamp(), indent=2) + "\n", encoding="utf-8")
    return path


def platform_tag() -> str:
    system = {"darwin": "macos", "win32": "windows"}.get(sys.platform, sys.platform)
    machine = platform.machine().lower().replace("amd64", "x86_64").replace("arm64", "aarch64")
    return f"{system}-{machine}"
