"""``make bundle``: build Reviewer's download for this platform, in one command.

Steps: run PyInstaller on ``packaging/reviewer.spec`` (which also renders the icons and
stamps the build: version, commit, date), then package the result. On Linux that is a tarball,
``dist/reviewer-<version>-linux-<arch>.tar.gz``, holding the program folder, the desktop
files and ``install.sh``; on macOS a zip of ``Reviewer.app``; on Windows a zip of the
program folder. It ends by printing the sizes and what takes the room.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bundling  # noqa: E402
import render_icons  # noqa: E402

ROOT = bundling.ROOT
PACKAGING = ROOT / "packaging"
ICON_SIZES = render_icons.SIZES


def bundle_name() -> str:
    return f"reviewer-{bundling.version()}-{bundling.platform_tag()}"


def run_pyinstaller(build: Path, dist: Path) -> Path:
    env = dict(os.environ, REVIEWER_BUILD_DIR=str(build))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(build / "pyinstaller"),
            str(PACKAGING / "reviewer.spec"),
        ],
        check=True,
        cwd=ROOT,
        env=env,
    )
    return dist / ("Reviewer.app" if sys.platform == "darwin" else "reviewer")


def assemble_linux(app: Path, icon_dir: Path, out: Path) -> Path:
    """The tarball's folder: the program, the files for the desktop, and the scripts.

    ``app`` is PyInstaller's output folder (``reviewer`` and ``reviewer-gui`` inside);
    ``icon_dir`` holds ``<n>x<n>/reviewer.png`` and ``scalable/reviewer.svg``.
    """
    if out.exists():
        shutil.rmtree(out)
    share = out / "share"
    shutil.copytree(app, out / "reviewer", symlinks=True)
    for script in ("install.sh", "uninstall.sh"):
        shutil.copy2(PACKAGING / "linux" / script, out / script)
        (out / script).chmod(0o755)
    (share / "applications").mkdir(parents=True)
    shutil.copy2(PACKAGING / "reviewer.desktop", share / "applications" / "reviewer.desktop")
    (share / "mime" / "packages").mkdir(parents=True)
    shutil.copy2(PACKAGING / "linux" / "reviewer-mime.xml", share / "mime/packages/reviewer.xml")
    (share / "metainfo").mkdir(parents=True)
    metainfo = f"{bundling.APP_ID}.metainfo.xml"
    shutil.copy2(PACKAGING / metainfo, share / "metainfo" / metainfo)
    hicolor = share / "icons" / "hicolor"
    for size in ICON_SIZES:
        dest = hicolor / f"{size}x{size}" / "apps"
        dest.mkdir(parents=True)
        shutil.copy2(icon_dir / f"{size}x{size}" / "reviewer.png", dest / "reviewer.png")
    (hicolor / "scalable" / "apps").mkdir(parents=True)
    shutil.copy2(icon_dir / "scalable" / "reviewer.svg", hicolor / "scalable/apps/reviewer.svg")
    (out / "README.txt").write_text(
        f"Reviewer {bundling.version()}\n\n"
        "Install for yourself:    ./install.sh\n"
        "Install for everyone:    sudo ./install.sh --system\n"
        "Update:                  run install.sh of the newer version the same way\n"
        "Uninstall:               ~/.local/lib/reviewer/uninstall.sh\n"
        "                         (or /usr/local/lib/reviewer/uninstall.sh)\n"
        "Run without installing:  ./reviewer/reviewer-gui\n\n"
        "Your reviews and settings (~/.local/share/Reviewer, ~/.config/Reviewer) are kept\n"
        "by updates and by uninstalling.\n",
        encoding="utf-8",
    )
    return out


def make_tarball(folder: Path) -> Path:
    tarball = folder.with_name(folder.name + ".tar.gz")

    def normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        return info

    with tarfile.open(tarball, "w:gz", compresslevel=6) as tar:
        tar.add(folder, arcname=folder.name, filter=normalise)
    return tarball


def make_zip(folder: Path, out: Path) -> Path:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            zf.write(path, Path(folder.name) / path.relative_to(folder))
    return out


def tree_size(path: Path) -> int:
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def glibc_floor(app: Path) -> str:
    """The newest GLIBC symbol version any bundled binary needs: the oldest Linux it runs on
    has at least that glibc (the build machine's sets it; build on an old one to reach more)."""
    if shutil.which("objdump") is None:
        return "unknown"
    newest = (0, 0)
    for path in app.rglob("*"):
        if (
            path.is_symlink()
            or not path.is_file()
            or not (".so" in path.name or path.stat().st_mode & 0o111)
        ):
            continue
        out = subprocess.run(["objdump", "-T", str(path)], capture_output=True, text=True).stdout
        for major, minor in re.findall(r"GLIBC_(\d+)\.(\d+)", out):
            newest = max(newest, (int(major), int(minor)))
    return f"{newest[0]}.{newest[1]}" if newest != (0, 0) else "unknown"


def size_report(app: Path, package: Path) -> str:
    internal = app / "_internal" if (app / "_internal").is_dir() else app
    parts = []
    for child in internal.iterdir():
        size = tree_size(child) if child.is_dir() else child.lstat().st_size
        parts.append((size, child.name))
    parts.sort(reverse=True)
    mb = 1024 * 1024
    lines = [
        f"program folder: {tree_size(app) / mb:.0f} MB unpacked; "
        f"download {package.name}: {package.stat().st_size / mb:.0f} MB",
        "largest parts:",
    ]
    lines += [f"  {size / mb:6.1f} MB  {name}" for size, name in parts[:15]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the bundle goes")
    parser.add_argument("--build", type=Path, default=ROOT / "build" / "bundle")
    args = parser.parse_args(argv)
    started = time.monotonic()
    if sys.platform.startswith("linux") and not shutil.which("objdump"):
        parser.error("PyInstaller needs binutils (objdump, strip): apt-get install binutils")
    build, dist = args.build.resolve(), args.dist.resolve()
    build.mkdir(parents=True, exist_ok=True)
    dist.mkdir(parents=True, exist_ok=True)

    app = run_pyinstaller(build, build / "app")  # the spec also stamps and renders icons

    if sys.platform.startswith("linux"):
        folder = assemble_linux(app, build / "icons", dist / bundle_name())
        package = make_tarball(folder)
        app = folder / "reviewer"
    else:  # untested: see README, "Other platforms"
        package = make_zip(app, dist / f"{bundle_name()}.zip")
    print(size_report(app, package))
    if sys.platform.startswith("linux"):
        print(f"runs on Linux with glibc >= {glibc_floor(app)}")
    print(f"built {package} in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
