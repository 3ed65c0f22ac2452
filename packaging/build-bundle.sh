#!/usr/bin/env bash
# Build the standalone one-folder bundle (dist/acupressure-desktop/) and smoke-test it.
#   packaging/build-bundle.sh            # PYTHON=python3.12 packaging/build-bundle.sh for another Python
# Steps: a build venv (build/bundle-venv), `pip install .[bundle]` (the project as a real,
# non-editable install, plus PyInstaller), PyInstaller with packaging/acupressure-desktop.spec,
# the unpacked size, then the bundle renders a screenshot offscreen in a clean environment
# (env -i: no PYTHONPATH, no virtualenv) and, where `unshare` works (root on Linux), again
# with every Python installation on the machine hidden.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
python="${PYTHON:-python3}"
venv="$root/build/bundle-venv"
bundle="$root/dist/acupressure-desktop"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore

[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade "$root[bundle]"
"$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$root/dist" --workpath "$root/build/pyinstaller" "$here/acupressure-desktop.spec"

echo "bundle: $bundle"
echo "unpacked size: $(du -sh "$bundle" | cut -f1) ($(du -sb "$bundle" | cut -f1) bytes, $(find "$bundle" -type f | wc -l) files)"

home="$(mktemp -d)"
shot="${SMOKE_SCREENSHOT:-/tmp/bundle-shot.png}"
trap 'rm -rf "$home"' EXIT
rm -f "$shot"
# A desktop session always has a UTF-8 locale; without one Qt warns and switches to C.UTF-8.
clean_env=(env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen)
"${clean_env[@]}" "$bundle/acupressure-desktop" --screenshot "$shot" >/dev/null
[ -s "$shot" ] || { echo "smoke test: no screenshot at $shot" >&2; exit 1; }
echo "smoke test: screenshot rendered in a clean environment: $shot ($(du -k "$shot" | cut -f1) kB)"

if [ "$(uname -s)" = Linux ] && [ "$(id -u)" -eq 0 ] && unshare --mount true 2>/dev/null; then
  # Hide every Python the machine has (pyenv, Debian's, /usr/local) behind empty tmpfs mounts.
  hide=""
  for dir in "$("$python" -c 'import sys; print(sys.base_prefix)')" /usr/lib/python3* /usr/local/lib/python3* \
             "$HOME/.pyenv" "$HOME/.local/lib"; do
    [ -d "$dir" ] && [ "$dir" != /usr ] && hide+=" $dir"
  done
  unshare --mount sh -c 'for d in $1; do mount -t tmpfs none "$d"; done; shift; exec "$@"' sh "$hide" \
    "${clean_env[@]}" "$bundle/acupressure-desktop" --screenshot "$shot.nopython.png" >/dev/null
  [ -s "$shot.nopython.png" ] || { echo "smoke test: failed with Python hidden" >&2; exit 1; }
  rm -f "$shot.nopython.png"
  echo "smoke test: also renders with every Python installation hidden:$hide"
fi
