"""Fixtures shared by the test modules: the demo stores (built once per session, never
written: copy one with ``demo_copy`` to write), and fresh Streamlit caches for page tests."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from analytics.demo import build_demo_store
from tests._datasets import NQ_ID, RE_ID, ST_ID, TEST_ADMIN

# A page that fails internally fails its test (the app shows visitors a message instead).
os.environ.setdefault("THIDUA_RAISE_INTERNAL", "1")


@pytest.fixture(autouse=True)
def _signed_in_as_test_admin(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """Page tests (AppTest runs in this process) run as a signed-in admin, whatever store
    they use, unless they test signing in itself (marker ``real_sign_in``: the demo mode,
    local accounts, sessions — tests/test_pages_workspace.py, the browser tests)."""
    if request.node.get_closest_marker("real_sign_in"):
        return
    from pages import _auth

    monkeypatch.setattr(_auth, "current_actor", lambda: TEST_ADMIN)


@pytest.fixture(scope="session")
def demo_stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo store of each shipped plan, by plan id (read-only by convention)."""
    base = tmp_path_factory.mktemp("demo-stores")
    out = {}
    for plan_id in (ST_ID, NQ_ID, RE_ID):
        out[plan_id] = base / f"{plan_id}.duckdb"
        build_demo_store(plan_id, out[plan_id], actor=TEST_ADMIN)
    return out


@pytest.fixture
def demo_copy(demo_stores: dict[str, Path], tmp_path: Path) -> Callable[[str], Path]:
    """A pristine, writable copy of a demo store: ``demo_copy(ST_ID)``."""

    def copy(plan_id: str = ST_ID) -> Path:
        return Path(shutil.copy(demo_stores[plan_id], tmp_path / f"{plan_id}.duckdb"))

    return copy


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    """Empty Streamlit caches before and after a page test (results are keyed by store
    path and version: two tests' stores must not share cached frames)."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="session")
def demo_shortlists(demo_stores: dict[str, Path]) -> dict[tuple[str, str], object]:
    """The engine's shortlist (Arrow) of every review of both demo stores."""
    from analytics.plans.loading import load_plan
    from analytics.rules.shortlist import evaluate_review
    from analytics.store.connection import open_store

    out: dict[tuple[str, str], object] = {}
    for plan_id, path in demo_stores.items():
        plan = load_plan(plan_id)
        with open_store(path, read_only=True) as con:
            for review in plan.reviews:
                out[plan_id, review.id] = evaluate_review(con, plan, review.id)
    return out


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple]:
    """Bytes of every download button, by media id (AppTest keeps only the URL).

    Buttons with deferred data (a callable run on click) are captured as their callable:
    ``_download`` calls it, as Streamlit does when the button is clicked."""
    from streamlit.runtime import memory_media_file_storage as media
    from streamlit.runtime.media_file_manager import MediaFileManager

    captured: dict[str, tuple] = {}
    original = media.MemoryMediaFileStorage.load_and_get_id
    original_deferred = MediaFileManager.add_deferred

    def spy(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        captured[file_id] = (path_or_data, filename)
        return file_id

    def spy_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        file_id = original_deferred(
            self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs
        )
        captured[file_id] = (data_callable, file_name)
        return file_id

    monkeypatch.setattr(media.MemoryMediaFileStorage, "load_and_get_id", spy)
    monkeypatch.setattr(MediaFileManager, "add_deferred", spy_deferred)
    return captured
