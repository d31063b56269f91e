#!/usr/bin/env bash
# The Debian/Ubuntu packages the app needs besides its Python wheels, installed only if missing.
# Works from a user shell (through sudo) and from a root shell or container without sudo alike.
#   - libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1: Qt's xcb plugin loads them to open a window;
#     the PySide6 wheel does not bundle them, and without them Qt aborts.
#   - python3-venv: Debian's python3 ships without ensurepip, so `python3 -m venv` fails without it.
#   - fonts-noto-color-emoji: news text carries emoji (flags, symbols); without a font that has them
#     they show as empty boxes.
set -euo pipefail

need=()
# Read the loader's cache once: `ldconfig -p | grep -q` under pipefail fails at random, when grep
# exits at its first match and ldconfig dies of SIGPIPE, and a present library would count as missing.
cache=$(ldconfig -p 2>/dev/null || true)
for pair in libxcb-cursor.so.0:libxcb-cursor0 libxcb-icccm.so.4:libxcb-icccm4 libxcb-keysyms.so.1:libxcb-keysyms1; do
  grep -qF "${pair%%:*}" <<<"$cache" || need+=("${pair##*:}")
done
python3 -c "import ensurepip" 2>/dev/null || need+=(python3-venv)
# Only where fontconfig can be asked (a desktop has it); read once, for the same reason as above.
if command -v fc-list >/dev/null; then
  fonts=$(fc-list 2>/dev/null || true)
  grep -qi "emoji" <<<"$fonts" || need+=(fonts-noto-color-emoji)
fi

if [ ${#need[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "missing (install them with your system's package manager): ${need[*]}" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "run as root, or install sudo, to install: ${need[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
echo "installing Debian packages: ${need[*]}"
# A fresh container has no package lists yet; install would not find anything without them.
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${need[@]}"
