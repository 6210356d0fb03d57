"""Keep Streamlit in ``st.navigation`` mode although the project has a top-level ``pages/``.

Streamlit (1.67) decides once per process, from the mere existence of ``pages/`` next to
``app.py``, to use its legacy multipage mode: a direct link such as ``/khen_thuong`` then
runs that page script *without* ``app.py`` (no shared sidebar, every file of ``pages/``
listed as a page). This app declares its pages with ``st.navigation`` in ``app.py``, so the
legacy mode is switched off on first use and the run restarts through ``app.py``.
"""

from __future__ import annotations

import streamlit as st
from streamlit import config
from streamlit.runtime.pages_manager import PagesManager


def ensure_navigation_mode() -> bool:
    """Leave the legacy mode; True when this run is a page script running without app.py.

    In a served app this happens once per process (a direct link as first request): the
    mode is switched off and the run restarts through ``app.py``. ``AppTest`` re-detects
    the legacy mode before every run and keys its reruns to the page script, so there the
    mode is left alone: a page test sets the plan in session state before its first run,
    and switching plans in the sidebar is tested in a real browser (test_e2e_browser.py).
    """
    if not PagesManager.uses_pages_directory:
        return False
    if not config.get_option("global.appTest"):  # st.get_option misses AppTest's patch
        PagesManager.uses_pages_directory = False
        st.rerun()
    return True
