#!/bin/sh
# Install Reviewer from this unpacked bundle, for you alone (default) or for everyone.
#
#   ./install.sh                  into ~/.local (no root needed)
#   sudo ./install.sh --system    into /usr/local
#   ./install.sh --prefix DIR     anywhere else
#
# It copies the program to PREFIX/lib/reviewer, links PREFIX/bin/reviewer and reviewer-gui,
# and places the menu entry, the icons (SVG and PNG sizes), the .review file type and the
# AppStream metadata under PREFIX/share. Running a newer bundle's install.sh updates in place;
# PREFIX/lib/reviewer/uninstall.sh removes exactly what was placed. Your reviews and settings
# are never touched (they live in ~/.local/share/Reviewer and ~/.config/Reviewer).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
prefix="${HOME}/.local"
quiet=0

usage() {
    sed -n '2,12s/^# \{0,1\}//p' "$0"
    exit "${1:-0}"
}

while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || usage 2; prefix=$2; shift 2 ;;
        --prefix=*) prefix=${1#--prefix=}; shift ;;
        --system) prefix=/usr/local; shift ;;
        --quiet) quiet=1; shift ;;
        -h|--help) usage 0 ;;
        *) echo "install.sh: unknown option: $1" >&2; usage 2 ;;
    esac
done

say() { [ "$quiet" = 1 ] || echo "$@"; }

[ -x "$here/reviewer/reviewer" ] || {
    echo "install.sh: $here/reviewer/reviewer is missing: run me from the unpacked bundle" >&2
    exit 1
}
case "$prefix" in /*) ;; *) prefix=$(pwd)/$prefix ;; esac

appdir="$prefix/lib/reviewer"
share="$prefix/share"
manifest="$appdir/installed-files.txt"

mkdir -p "$prefix/lib" "$prefix/bin" "$share/applications" "$share/mime/packages" "$share/metainfo"

# The program: copied beside the old one, then swapped in, so an interrupted update
# leaves the previous version working.
rm -rf "$appdir.new"
cp -R "$here/reviewer" "$appdir.new"
cp "$here/uninstall.sh" "$appdir.new/uninstall.sh"
chmod 755 "$appdir.new/uninstall.sh"
if [ -d "$appdir" ]; then
    say "Updating $appdir ($("$appdir/reviewer" --version 2>/dev/null || echo 'unknown version'))"
    rm -rf "$appdir.old"
    mv "$appdir" "$appdir.old"
    mv "$appdir.new" "$appdir"
    rm -rf "$appdir.old"
else
    mv "$appdir.new" "$appdir"
fi

: > "$manifest"
place() {  # place SOURCE DEST: copy one file and remember it for uninstall.sh
    mkdir -p "$(dirname "$2")"
    cp "$1" "$2"
    chmod 644 "$2"
    echo "$2" >> "$manifest"
}

for exe in reviewer reviewer-gui; do
    ln -sf "$appdir/$exe" "$prefix/bin/$exe"
    echo "$prefix/bin/$exe" >> "$manifest"
done

# The menu entry starts the program by its full path: ~/.local/bin is often not on the
# PATH a desktop session starts programs with.
sed -e "s|^Exec=.*|Exec=\"$appdir/reviewer-gui\" %F|" \
    -e "s|^TryExec=.*|TryExec=$appdir/reviewer-gui|" \
    "$here/share/applications/reviewer.desktop" > "$appdir/reviewer.desktop"
place "$appdir/reviewer.desktop" "$share/applications/reviewer.desktop"
rm -f "$appdir/reviewer.desktop"

for icon in "$here"/share/icons/hicolor/*/apps/*; do
    place "$icon" "$share/icons/hicolor/${icon#"$here"/share/icons/hicolor/}"
done
place "$here/share/mime/packages/reviewer.xml" "$share/mime/packages/reviewer.xml"
place "$here/share/metainfo/io.github.reviewer.Reviewer.metainfo.xml" \
    "$share/metainfo/io.github.reviewer.Reviewer.metainfo.xml"

# Let the desktop know (each tool is optional: without it the entry still appears at the
# next login).
if command -v update-mime-database >/dev/null 2>&1; then
    update-mime-database "$share/mime" >/dev/null 2>&1 || true
fi
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$share/applications" 2>/dev/null || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$share/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t "$share/icons/hicolor" 2>/dev/null || true
fi

say "Installed $("$appdir/reviewer" --version 2>/dev/null || echo Reviewer) in $appdir"
case ":${PATH}:" in
    *":$prefix/bin:"*) ;;
    *) say "Note: $prefix/bin is not on your PATH; the menu entry works anyway." ;;
esac
say "Start it from the applications menu, or run: $prefix/bin/reviewer-gui"
say "Uninstall with: $appdir/uninstall.sh"
