"""``make bundle-test``: install the built bundle as a reviewer would and drive it.

In a throw-away home folder: unpack the tarball, run ``install.sh``, check the menu entry,
icons and file type landed, start ``reviewer-gui`` under Xvfb, answer the first-start
question, wait for the window with the demo review, screenshot it (and check the picture is
not blank), open Help → About, quit with Ctrl+Q and expect a clean exit; then import a RIS
file and export CSV through the bundled command line, start the window again (the warm
start), and uninstall. Nothing of the machine's own home, settings or reviews is touched.

Needs Xvfb and xdotool (``apt-get install xvfb xdotool``); Pillow (a dependency of the app)
takes the screenshots. Prints the start times it measured.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RIS = ROOT / "tests/data/corpus/ris/asreview_citation_file_formatting/_baseline_zotero.ris"
RIS_RECORDS = 10


class SmokeFailure(Exception):
    pass


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SmokeFailure(what)
    print(f"  ok  {what}")


def newest_tarball() -> Path:
    found = sorted(
        (ROOT / "dist").glob("reviewer-*-linux-*.tar.gz"), key=lambda p: p.stat().st_mtime
    )
    if not found:
        raise SmokeFailure("no dist/reviewer-*-linux-*.tar.gz: run `make bundle` first")
    return found[-1]


def clean_env(home: Path, display: str) -> dict[str, str]:
    """A fresh user's environment: nothing of ours (REVIEWER_*, QT_*, XDG_*) leaks in."""
    return {
        "HOME": str(home),
        "PATH": f"{home}/.local/bin:/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "USER": "smoke",
        "DISPLAY": display,
        "TMPDIR": str(home / "tmp"),
    }


def run(cmd: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise SmokeFailure(f"{' '.join(cmd)} exited {done.returncode}:\n{done.stderr}{done.stdout}")
    return done


@contextmanager
def xvfb(display: str):
    if shutil.which("Xvfb") is None or shutil.which("xdotool") is None:
        raise SmokeFailure("needs Xvfb and xdotool: apt-get install xvfb xdotool")
    if Path(f"/tmp/.X{display.lstrip(':')}-lock").exists():
        raise SmokeFailure(f"display {display} is in use: pass another with --display")
    proc = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    env = {"DISPLAY": display, "PATH": "/usr/bin:/bin"}
    deadline = time.monotonic() + 10
    while not xdo(env, "getdisplaygeometry") and proc.poll() is None:
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    try:
        if proc.poll() is not None or not xdo(env, "getdisplaygeometry"):
            raise SmokeFailure(f"Xvfb {display} did not start")
        yield
    finally:
        proc.terminate()
        proc.wait(10)


def xdo(env: dict[str, str], *args: str, timeout: float = 10) -> str:
    done = subprocess.run(
        ["xdotool", *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    return done.stdout.strip() if done.returncode == 0 else ""


def wait_window(env: dict[str, str], pattern: str, timeout: float = 60) -> str:
    """The id of the first visible window whose title matches ``pattern`` (a regex)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = xdo(env, "search", "--onlyvisible", "--name", pattern)
        if found:
            return found.splitlines()[0]
        time.sleep(0.05)
    raise SmokeFailure(f"no window titled /{pattern}/ within {timeout:.0f} s")


def press(env: dict[str, str], window: str, *keys: str) -> None:
    xdo(env, "windowfocus", "--sync", window)
    xdo(env, "key", "--clearmodifiers", *keys)


def window_box(env: dict[str, str], window: str) -> tuple[int, int, int, int] | None:
    """(left, top, right, bottom) of a window on the screen."""
    values = dict(
        line.split("=", 1) for line in xdo(env, "getwindowgeometry", "--shell", window).splitlines()
    )
    try:
        x, y, w, h = (int(values[k]) for k in ("X", "Y", "WIDTH", "HEIGHT"))
    except (KeyError, ValueError):
        return None
    return x, y, x + w, y + h


def screenshot(display: str, out: Path, box: tuple[int, int, int, int] | None = None) -> Path:
    from PIL import ImageGrab, ImageStat

    image = ImageGrab.grab(xdisplay=display)
    if box is not None:
        image = image.crop(box)
    image.save(out)
    colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
    spread = max(ImageStat.Stat(image.convert("L")).stddev)
    check(
        len(colours) > 50 and spread > 10,
        f"screenshot {out.name} is not blank "
        f"({len(colours)} colours, brightness spread {spread:.0f})",
    )
    return out


def wait_exit(proc: subprocess.Popen, timeout: float = 30) -> str:
    try:
        _out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise SmokeFailure(f"the window did not close within {timeout:.0f} s of Ctrl+Q") from None
    check(proc.returncode == 0, f"the app exited cleanly (exit code {proc.returncode})")
    check("Traceback" not in err and "Fatal" not in err, "nothing went wrong on stderr")
    return err


MAIN_WINDOW = "^Lenalidomide demo review .* Reviewer$"


def start(
    cmd: list[str], env: dict[str, str], first_window: str
) -> tuple[subprocess.Popen, str, float]:
    """Start the window program; (process, first window, seconds until it was shown)."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        window = wait_window(env, first_window)
    except SmokeFailure:
        proc.kill()
        _out, err = proc.communicate()
        raise SmokeFailure(f"{cmd[0]} showed no window; its stderr:\n{err}") from None
    return proc, window, time.monotonic() - started


def quit_cleanly(env: dict[str, str], proc: subprocess.Popen, window: str) -> None:
    try:
        press(env, window, "ctrl+q")
        wait_exit(proc)
    finally:
        if proc.poll() is None:
            proc.kill()


def smoke(tarball: Path, work: Path, display: str, shots: Path) -> dict[str, float]:
    home = work / "home"
    (home / "tmp").mkdir(parents=True)
    env = clean_env(home, display)
    prefix = home / ".local"
    appdir = prefix / "lib" / "reviewer"
    share = prefix / "share"
    timings: dict[str, float] = {}

    print(f"unpacking {tarball.name}")
    with tarfile.open(tarball) as tar:
        tar.extractall(work, filter="tar")
    unpacked = work / tarball.name.removesuffix(".tar.gz")

    print("install.sh into a fresh home")
    run([str(unpacked / "install.sh")], env)
    check(
        (prefix / "bin" / "reviewer").resolve() == appdir / "reviewer",
        "bin/reviewer links the program",
    )
    desktop = share / "applications" / "reviewer.desktop"
    text = desktop.read_text(encoding="utf-8")
    check(f'Exec="{appdir}/reviewer-gui" %F' in text, "menu entry starts the installed program")
    check("application/x-reviewer;" in text, "menu entry opens .review files")
    if shutil.which("desktop-file-validate"):
        run(["desktop-file-validate", str(desktop)], env)
        check(True, "desktop-file-validate accepts the menu entry")
    icons = share / "icons" / "hicolor"
    check((icons / "scalable/apps/reviewer.svg").is_file(), "SVG icon installed")
    check(
        all((icons / f"{n}x{n}/apps/reviewer.png").is_file() for n in (16, 32, 48, 256)),
        "PNG icons installed",
    )
    if shutil.which("update-mime-database"):
        globs = (share / "mime" / "globs2").read_text(encoding="utf-8")
        check("application/x-reviewer:*.review" in globs, "the MIME database knows *.review")

    version = run([str(prefix / "bin" / "reviewer"), "--version"], env).stdout.strip()
    check(version.startswith("reviewer ") and "build " in version, f"--version: {version}")

    print(f"first start under Xvfb {display}")
    gui, welcome, seconds = start(
        [str(prefix / "bin" / "reviewer-gui")], env, "^Welcome to Reviewer$"
    )
    timings["bundle, first start: first window shown"] = seconds
    check(True, f"first-start question shown after {seconds:.1f} s (the demo review built)")
    try:
        press(env, welcome, "ctrl+a")
        xdo(env, "type", "--delay", "20", "Smoke Tester")
        press(env, welcome, "Return")
        main = wait_window(env, MAIN_WINDOW)
        check(True, "main window with the demo review")
        time.sleep(1.5)  # let the list, document and form paint
        screenshot(display, shots / "bundle-first-start.png", window_box(env, main))
        press(env, main, "alt+h")
        time.sleep(0.3)
        xdo(env, "key", "a")
        about = wait_window(env, "^About Reviewer$", timeout=10)
        time.sleep(0.5)
        screenshot(display, shots / "bundle-about.png", window_box(env, main))
        press(env, about, "Escape")
        time.sleep(0.3)
    except BaseException:
        gui.kill()
        raise
    quit_cleanly(env, gui, main)

    demo = home / ".local/share/Reviewer/demo.review"
    check(demo.is_file(), f"demo review created in the fresh home ({demo.relative_to(home)})")
    listed = run([str(prefix / "bin" / "reviewer"), "--review", str(demo), "list"], env).stdout
    check(len(listed.splitlines()) >= 5, f"demo review lists {len(listed.splitlines())} records")

    print("command line: import RIS into the demo review, export CSV")
    cli = [str(prefix / "bin" / "reviewer"), "--review", str(demo)]
    out = run([*cli, "import", str(RIS)], env)
    added = out.stdout.splitlines()[-1]
    check(f"{RIS_RECORDS} records added" in added, f"imported {RIS.name}: {added}")
    table = work / "smoke.csv"
    run(
        [
            *cli,
            "export",
            "--format",
            "csv",
            "--decision",
            "any",
            "--table",
            "screening",
            "--out",
            str(table),
        ],
        env,
    )
    with table.open(encoding="utf-8-sig", newline="") as f:
        rows = len(list(csv.DictReader(f)))
    before = len(listed.splitlines())
    check(rows == before + RIS_RECORDS, f"exported CSV has {rows} rows ({before} + {RIS_RECORDS})")

    print("second start, with the review given as a file (settings exist: no question)")
    gui, main, seconds = start([str(prefix / "bin" / "reviewer-gui"), str(demo)], env, MAIN_WINDOW)
    timings["bundle, second start: main window shown"] = seconds
    check(True, f"window with the review it was given after {seconds:.1f} s")
    time.sleep(1.0)
    screenshot(display, shots / "bundle-second-start.png", window_box(env, main))
    quit_cleanly(env, gui, main)

    source_gui = Path(sys.executable).with_name("reviewer-gui")
    if source_gui.exists():
        print("the same start from source, for comparison")
        gui, main, seconds = start([str(source_gui), str(demo)], env, MAIN_WINDOW)
        timings["source, second start: main window shown"] = seconds
        check(True, f"from source the window shows after {seconds:.1f} s")
        quit_cleanly(env, gui, main)

    print("uninstall.sh")
    run([str(appdir / "uninstall.sh")], env)
    check(
        not appdir.exists() and not (prefix / "bin/reviewer").exists() and not desktop.exists(),
        "program, links and menu entry removed",
    )
    check(demo.is_file(), "the user's reviews are kept")
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tarball", nargs="?", type=Path, help="default: the newest in dist/")
    parser.add_argument("--display", default=":19", help="the Xvfb display to start")
    parser.add_argument(
        "--screenshots",
        type=Path,
        default=ROOT / "build" / "bundle" / "smoke-screenshots",
        help="where the screenshots go (default: %(default)s)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the throw-away home folder")
    args = parser.parse_args(argv)
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="reviewer-smoke-"))
    try:
        tarball = args.tarball or newest_tarball()
        args.screenshots.mkdir(parents=True, exist_ok=True)
        with xvfb(args.display):
            timings = smoke(tarball.resolve(), work, args.display, args.screenshots)
    except (SmokeFailure, subprocess.TimeoutExpired) as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    for name, seconds in timings.items():
        print(f"{name}: {seconds:.2f} s")
    bundle = timings.get("bundle, second start: main window shown")
    source = timings.get("source, second start: main window shown")
    if bundle and source:
        print(f"bundle start / source start: {bundle / source:.2f}")
    print(f"screenshots: {args.screenshots}")
    print(f"bundle smoke test passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
