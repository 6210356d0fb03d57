"""The layers of analytics/, checked on the source (tests/architecture.py), and proof
that the check fails on a planted offender of each rule."""

from __future__ import annotations

import pytest

from tests.architecture import sources, violations


def test_the_code_follows_the_architecture():
    found = violations(sources())
    assert found == [], "\n".join(str(v) for v in found)


def test_every_analytics_module_belongs_to_a_layer():
    from tests.architecture import LEVELS

    layers = {m.split(".")[1] for m in sources() if m.startswith("analytics.")}
    assert layers <= set(LEVELS), layers - set(LEVELS)


PLANTED = [
    pytest.param(
        "analytics.plans.bad", "from analytics.views import awards\n", "layer plans may not import",
        id="plans-import-views",
    ),
    pytest.param(
        "analytics.ingest.bad", "from analytics.rules.shortlist import evaluate_review\n",
        "layer ingest may not import", id="sibling-ingest-imports-rules",
    ),
    pytest.param(
        "analytics.store.bad", "def f():\n    from analytics.exports import stamp\n",
        "layer store may not import", id="nested-import-upwards",
    ),
    pytest.param("analytics.views.bad", "import streamlit as st\n", "analytics imports streamlit",
                 id="analytics-imports-streamlit"),
    pytest.param("analytics.rules.bad", "from pages import _ui\n", "analytics imports pages",
                 id="analytics-imports-pages"),
    pytest.param("pages.bad", "import duckdb\n", "a page imports duckdb", id="page-imports-duckdb"),
    pytest.param(
        "pages.bad2", "from analytics.rules.measures import measures_ctes\n",
        "a page imports analytics.rules.measures", id="page-imports-rules-internals",
    ),
    pytest.param(
        "analytics.views.bad", "from analytics.views.awards import _folded\n",
        "private name _folded", id="private-name-imported",
    ),
    pytest.param(
        "analytics.views.bad", "from analytics.views import awards\nawards._folded('x')\n",
        "private name _folded used", id="private-name-used",
    ),
    pytest.param(
        "analytics.views.bad", "import duckdb\ncon = duckdb.connect()\n",
        "opens DuckDB outside store", id="duckdb-opened-outside-store",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("module", "text", "expected"), PLANTED)
def test_a_planted_offender_fails(module, text, expected):
    files = {**sources(), module: text}
    found = [str(v) for v in violations(files)]
    assert any(expected in v for v in found), found


def test_a_planted_cycle_fails():
    files = {
        **sources(),
        "analytics.views.cycle_a": "from analytics.views import cycle_b\n",
        "analytics.views.cycle_b": "from analytics.views import cycle_a\n",
    }
    found = [str(v) for v in violations(files)]
    assert any("import cycle" in v and "cycle_a" in v for v in found), found
