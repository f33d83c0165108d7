#!/usr/bin/env bash
# The one benchmark command. Installs what it needs (nginx, node's ws, a venv with the
# official soniox==2.10.0), then runs every workload for every client; see README.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
py="${BENCH_PYTHON:-}"
if [[ -z "$py" ]]; then
  if [[ -x "$repo/.venv/bin/python" ]]; then
    py="$repo/.venv/bin/python"
  else
    # A fresh machine: a venv with this project (and trio) installed.
    py="$here/.work/venv-ours/bin/python"
    if [[ ! -x "$py" ]]; then
      mkdir -p "$here/.work"
      python3 -m venv "$here/.work/venv-ours"
      "$py" -m pip install -q -e "$repo[trio]"
    fi
  fi
fi
export BENCH_PYTHON="$py"
exec "$py" "$here/run.py" "$@"
