"""Before the window opens on Linux: are the system libraries Qt's X11 plugin needs there?

The PySide6 wheel carries Qt but not the X11 libraries its ``xcb`` platform plugin links
to. On a fresh Debian or Ubuntu machine some are missing (``libxcb-cursor0``,
``libxcb-icccm4``, ``libxcb-keysyms1`` …) and Qt aborts with "Could not load the Qt
platform plugin "xcb"", often naming a library other than the one missing. This asks
``ldd`` which libraries the plugin cannot find and says the exact packages to install.

It reads no Qt module: it runs before the QApplication exists (Qt's abort cannot be
caught), and does nothing where the plugin is not used (another platform chosen with
``QT_QPA_PLATFORM``, macOS, Windows) or ``ldd`` is not there.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

# soname -> Debian/Ubuntu package (the names are the same on both)
PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb.so.1": "libxcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libGLX.so.0": "libglx0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}
# What the README tells a new machine to install: every package the plugin needs
# beyond a minimal desktop (installing one already there does no harm).
README_PACKAGES = (
    "libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 "
    "libxcb-xkb1 libxcb-randr0 libxcb-shape0 libxkbcommon-x11-0 libegl1 libfontconfig1 "
    "libdbus-1-3"
)
_NOT_FOUND = re.compile(r"^\s*(\S+)\s*=>\s*not found", re.M)


def missing_libraries(ldd_output: str) -> list[str]:
    """The libraries ``ldd`` could not find, in its order, once each."""
    return list(dict.fromkeys(_NOT_FOUND.findall(ldd_output)))


def packages_for(libraries: list[str]) -> list[str]:
    """The Debian/Ubuntu packages that provide ``libraries`` (a guess from the name for
    one this table does not know)."""
    out = []
    for lib in libraries:
        out.append(PACKAGES.get(lib) or _guess(lib))
    return list(dict.fromkeys(out))


def _guess(lib: str) -> str:
    m = re.match(r"lib(.+?)\.so\.(\d+)", lib)
    if not m:
        return lib
    name, version = m.group(1).lower(), m.group(2)
    return f"lib{name}{'-' if name[-1].isdigit() else ''}{version}"


def xcb_plugin() -> Path | None:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        return None
    plugin = Path(spec.origin).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return plugin if plugin.exists() else None


def uses_xcb(env: dict[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    if not sys.platform.startswith("linux"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(":")[0].split(";")[0] == "xcb"
    return bool(env.get("DISPLAY")) and not env.get("WAYLAND_DISPLAY")


def problem(env: dict[str, str] | None = None) -> str:
    """What to tell the reviewer when the X11 plugin cannot load, or "" when it can (or
    is not used, or cannot be checked)."""
    plugin = xcb_plugin()
    if plugin is None or not uses_xcb(env) or shutil.which("ldd") is None:
        return ""
    try:
        result = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return ""
    missing = missing_libraries(result.stdout)
    if not missing:
        return ""
    packages = packages_for(missing)
    return (
        "Reviewer cannot open its window: Qt's X11 plugin needs system libraries that "
        f"are not installed ({', '.join(missing)}).\n\n"
        "On Debian or Ubuntu install them with:\n\n"
        f"    sudo apt-get install {' '.join(packages)}\n\n"
        "(other distributions name the same libraries in their own packages; the "
        "command line works without them: reviewer --help)"
    )
