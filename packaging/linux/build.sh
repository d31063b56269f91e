#!/usr/bin/env bash
# Build the sdist and wheel, then the self-contained one-folder bundle from it (PyInstaller), and report sizes.
#   bash packaging/linux/build.sh          -> dist/conflict_annotator-VERSION-py3-none-any.whl
#                                             build/linux/dist/conflict-annotator/ (the bundle)
# A build venv of its own (build/linux/venv) holds the app as installed from the wheel plus the pinned
# packaging tools, and nothing else: no test tools, no editable checkout on sys.path.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/build/linux
VENV=$OUT/venv
PYTHON=${PYTHON:-python3}
start=$(date +%s)

# PyInstaller needs objdump (binutils) to follow shared-library dependencies.
if ! command -v objdump >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq binutils
fi

[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q "build==1.6.1"

echo "== sdist and wheel"
rm -rf "$ROOT/dist"
# sdist first, wheel from the sdist: proves the sdist is complete, and no stale build/lib leaks in.
"$VENV/bin/python" -m build --outdir "$ROOT/dist" "$ROOT" >"$OUT.wheel.log" 2>&1 \
  || { tail -40 "$OUT.wheel.log"; exit 1; }
WHEEL=$(ls "$ROOT"/dist/conflict_annotator-*.whl)
echo "$WHEEL ($(du -h "$WHEEL" | cut -f1))"

echo "== install the wheel and the pinned packaging tools into $VENV"
# The packaging extra's pins live in pyproject.toml; --force-reinstall of the app alone keeps the
# dependencies cached between builds but always freezes this checkout's code.
"$VENV/bin/python" -m pip install -q "$WHEEL[packaging]"
"$VENV/bin/python" -m pip install -q --force-reinstall --no-deps "$WHEEL"

echo "== PyInstaller"
status=0
"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$OUT/dist" --workpath "$OUT/work" packaging/conflict-annotator.spec >"$OUT.pyinstaller.log" 2>&1 || status=$?
# spaCy's and thinc's hooks list their test modules, which the spec excludes: hundreds of lines of noise.
grep -Ev 'Hidden import "(spacy|thinc)\.tests' "$OUT.pyinstaller.log" || true
[ "$status" -eq 0 ] || { echo "PyInstaller failed ($status), log: $OUT.pyinstaller.log" >&2; exit 1; }
BUNDLE=$OUT/dist/conflict-annotator
# Debug sections of the compiled extensions are most of their size (spaCy: 111 MB -> 14 MB). Only
# --strip-debug, and never the auditwheel-vendored *.libs: a full strip breaks numpy's OpenBLAS.
find "$BUNDLE" -type f \( -name '*.so' -o -name '*.so.*' \) -not -path '*.libs/*' -exec strip --strip-debug {} +

echo "== bundle: $BUNDLE"
set +o pipefail  # head/sed closing a pipe early is not a failure of the report
echo "size: $(du -sh "$BUNDLE" | cut -f1) ($(find "$BUNDLE" -type f | wc -l) files)"
echo "biggest parts:"
(cd "$BUNDLE" && du -sh annotator _internal/*) | sort -rh | head -12 | sed 's/^/  /'
echo "biggest files:"
find "$BUNDLE" -type f -printf '%s %P\n' | sort -rn | head -8 | awk '{printf "  %6.1f MB  %s\n", $1/1048576, $2}'
echo "built in $(( $(date +%s) - start )) s"
