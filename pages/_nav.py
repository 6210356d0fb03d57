"""Keep Streamlit in ``st.navigation`` mode although the project has a top-level ``pages/``.

Streamlit (1.67) decides once per process, from the mere existence of ``pages/`` next to
``app.py``, to use its legacy multipage mode: a direct link such as ``/khen_thuong`` then
runs that page script *without* ``app.py`` (no shared sidebar, every file of ``pages/``
listed as a page). This app declares its pages with ``st.navigation`` in ``app.py``, so the
legacy mode is switched off on first use and the run restarts through ``app.py``.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def ensure_navigation_mode() -> None:
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
