#!/bin/sh
# Build the documentation site with every warning an error (mkdocs --strict).
# Needs the docs extra: pip install -e '.[docs]'. Works offline: no plugin fetches
# anything at build time. Usage: scripts/build_docs.sh [SITE_DIR]   (default: site/)
set -eu
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python3 )}"
NO_MKDOCS_2_WARNING=1 exec "$PYTHON" -m mkdocs build --strict --clean --site-dir "${1:-site}"
