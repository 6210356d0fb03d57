#!/usr/bin/env bash
# Install the pinned dependencies and start the dashboard on the built-in demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q --disable-pip-version-check -r requirements.txt
exec python3 -m streamlit run app.py --server.headless true "$@"
