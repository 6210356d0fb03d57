#!/usr/bin/env bash
# Install the pinned dependencies and start the dashboard on the built-in demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q --disable-pip-version-check -r requirements.txt
# server.py: app.py served with the sign-in routes (a sign-in survives a reload); it listens
# on 127.0.0.1 (.streamlit/config.toml) unless --server.address says otherwise.
exec python3 -m streamlit run server.py --server.headless true "$@"
