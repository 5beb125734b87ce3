#!/usr/bin/env bash
# Maintainer helper: re-extract the catalogs and apply Chinese dictionaries (T = {...} files).
set -euo pipefail
cd "$(dirname "$0")/.."
make -s catalog >/dev/null
for f in "$@"; do .venv/bin/python scripts/i18n_fill.py "$f"; done
.venv/bin/pybabel -q compile -d lms/translations
