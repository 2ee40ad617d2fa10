#!/bin/sh
# Remove Reviewer as install.sh placed it: the files listed in installed-files.txt beside
# this script, then the program folder itself. Your reviews and settings stay
# (~/.local/share/Reviewer and ~/.config/Reviewer); delete those yourself if you want them gone.
set -eu

appdir=$(cd "$(dirname "$0")" && pwd)
manifest="$appdir/installed-files.txt"
[ -f "$manifest" ] && [ -x "$appdir/reviewer" ] || {
    echo "uninstall.sh: $appdir does not look like an installed Reviewer" >&2
    exit 1
}
prefix=$(dirname "$(dirname "$appdir")")
share="$prefix/share"

while IFS= read -r path; do
    case "$path" in
        "$prefix"/*) rm -f "$path" ;;  # only ever inside the prefix it was installed in
    esac
done < "$manifest"
rm -rf "$appdir"
if command -v update-mime-database >/dev/null 2>&1 && [ -d "$share/mime/packages" ]; then
    update-mime-database "$share/mime" >/dev/null 2>&1 || true
fi
if command -v update-desktop-database >/dev/null 2>&1 && [ -d "$share/applications" ]; then
    update-desktop-database -q "$share/applications" 2>/dev/null || true
fi
# Folders install.sh created and that are now empty (never ones holding anything else).
for dir in "$share"/icons/hicolor/*/apps "$share"/icons/hicolor/* "$share/icons/hicolor" \
        "$share/icons" "$share/mime/packages" "$share/metainfo" "$share/applications"; do
    [ -d "$dir" ] && rmdir "$dir" 2>/dev/null || true
done

echo "Reviewer removed from $prefix (your reviews and settings are kept)."
