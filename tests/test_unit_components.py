"""Unit component scores: the views (a unit against its block's median and best, the block's
median and best PAR Index ratio, units side by side) on a small hand dataset, the demo's
component scores (they add up to each unit's total), the ranking workbook and the
one-page profile (Word)."""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook

from analytics.exports.profile_docx import profile_docx_bytes
from analytics.exports.ranking_workbook import ranking_xlsx_bytes
from analytics.ingest.demo_data import DEMO_DIR
from analytics.plans.loading import load_plan
from analytics.store.connection import open_store
from analytics.views.block_stats import block_ratio_stats
from analytics.views.compare import units_history
from analytics.views.profile import lineage_line, unit_history, unit_info
from analytics.views.ranking import ranking
from analytics.views.unit_components import component_scores, component_years
from tests._datasets import RE_ID, ST_ID, ST_PLAN, build_store, write_dataset
from tools import make_component_scores

UNITS = ["unit_id", "name", "block", "advised_components", "active_from", "active_to"]
# A block of five units (g not active in 2021: not a peer that year), one unit of another
# block; component ratios by hand: cd 75,00 / 66,67 / 87,50 / 68,33 (f), tc 83,33 / 80,00 /
# 91,67. The cd median of four is (68,33 + 75,00) / 2 = 71,665 -> 71,67 (half up).
HAND = {
    "units": (
        UNITS,
        [
            ["a", "Sở A", "so_nganh", "", "", ""],
            ["b", "Sở B", "so_nganh", "", "", ""],
            ["c", "Sở C", "so_nganh", "", "", ""],
            ["f", "Sở F", "so_nganh", "", "", ""],
            ["g", "Sở G", "so_nganh", "", "2022", ""],
            ["d", "Bệnh viện D", "dvsn", "", "", ""],
        ],
    ),
    "unit_scores": (
        ["year", "unit_id", "score", "max_score", "ratio"],
        [
            ["2021", "a", "80", "100", ""],
            ["2021", "b", "60", "80", ""],
            ["2021", "c", "90", "100", ""],
            ["2021", "f", "41", "60", ""],
            ["2021", "g", "100", "100", ""],
            ["2021", "d", "50", "100", ""],
            ["2022", "a", "85", "100", ""],
            ["2022", "g", "70", "100", ""],
        ],
    ),
    "unit_component_scores": (
        ["year", "unit_id", "component", "score", "max_score"],
        [
            ["2021", "a", "cd", "30", "40"],
            ["2021", "a", "tc", "50", "60"],
            ["2021", "b", "cd", "20", "30"],
            ["2021", "b", "tc", "40", "50"],
            ["2021", "c", "cd", "35", "40"],
            ["2021", "c", "tc", "55", "60"],
            ["2021", "f", "cd", "41", "60"],
            ["2021", "g", "cd", "100", "100"],
            ["2021", "d", "cd", "40", "40"],
            ["2021", "d", "tc", "10", "60"],
        ],
    ),
}


@pytest.fixture(scope="module")
def hand_con(tmp_path_factory):
    root = tmp_path_factory.mktemp("hand")
    build_store(root / "hand.duckdb", write_dataset(root / "data", HAND))
    with open_store(root / "hand.duckdb", read_only=True) as con:
        yield con


@pytest.fixture(scope="module")
def st_con(demo_stores):
    with open_store(demo_stores[ST_ID], read_only=True) as con:
        yield con


def _by(frame: pd.DataFrame, unit: str, component: str) -> pd.Series:
    rows = frame[(frame["unit_id"] == unit) & (frame["component"] == component)]
    assert len(rows) == 1, (unit, component)
    return rows.iloc[0]


# --- views on the hand dataset -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "component", "ratio", "median", "best", "n"),
    [
        pytest.param("a", "cd", 75.00, 71.67, 87.50, 4, id="median-of-four-rounds-half-up"),
        pytest.param("b", "cd", 66.67, 71.67, 87.50, 4, id="ratio-two-thirds"),
        pytest.param("a", "tc", 83.33, 83.33, 91.67, 3, id="median-of-three"),
        pytest.param("d", "cd", 100.00, 100.00, 100.00, 1, id="own-block-only"),
        pytest.param("d", "tc", 16.67, 16.67, 16.67, 1, id="other-block-alone"),
    ],
)
def test_component_ratio_against_block(hand_con, unit, component, ratio, median, best, n):
    frame = component_scores(hand_con, ST_PLAN, ["a", "b", "d"], 2021)
    row = _by(frame, unit, component)
    assert (row["ratio_pct"], row["block_median_pct"], row["block_best_pct"], row["n_block"]) == (
        ratio,
        median,
        best,
        n,
    )


def test_inactive_unit_is_not_a_peer_but_keeps_its_own_rows(hand_con):
    frame = component_scores(hand_con, ST_PLAN, ["g"], 2021)
    row = _by(frame, "g", "cd")
    assert row["ratio_pct"] == 100.00
    assert row["block_best_pct"] == 87.50  # g (active from 2022) is not counted in 2021


def test_component_rows_in_plan_order_and_units_in_given_order(hand_con):
    frame = component_scores(hand_con, ST_PLAN, ["c", "a"], 2021)
    assert list(frame["unit_id"]) == ["c", "c", "a", "a"]
    assert list(frame["component"]) == ["cd", "tc", "cd", "tc"]
    labels = {c.code: c.label for c in ST_PLAN.unit_components}
    assert list(frame["component_label"]) == [labels[c] for c in frame["component"]]


def test_no_component_rows(hand_con):
    assert component_scores(hand_con, ST_PLAN, ["a"], 2022).empty
    assert component_years(hand_con, ["a"]) == [2021]
    assert component_years(hand_con, ["zz"]) == []


def test_block_ratio_median_and_best(hand_con):
    stats = block_ratio_stats(hand_con, ST_PLAN, "so_nganh").set_index("year")
    # 2021: a 80, b 75, c 90, f 68,33 (g not active): median (75 + 80) / 2 = 77,50
    assert tuple(stats.loc[2021, ["n_units", "median_pct", "best_pct"]]) == (4, 77.50, 90.00)
    assert tuple(stats.loc[2022, ["n_units", "median_pct", "best_pct"]]) == (2, 77.50, 85.00)


def test_units_history_side_by_side(hand_con):
    hist = units_history(hand_con, ST_PLAN, ["g", "a"])
    assert list(zip(hist["unit_id"], hist["year"], strict=True)) == [
        ("g", 2022),
        ("a", 2021),
        ("a", 2022),
    ]
    a21 = hist[(hist["unit_id"] == "a") & (hist["year"] == 2021)].iloc[0]
    assert (a21["rank"], a21["n_ranked"], a21["block_label"]) == (2, 4, "Khối sở, ban, ngành tỉnh")
    cls = ST_PLAN.classification  # 80 % falls in the first band whose lower bound it reaches
    band = next(b.label for b, m in zip(cls.bands, cls.mins_centi, strict=True) if m <= 8000)
    assert a21["band_label"] == band


# --- the demo's component scores -------------------------------------------------------------------


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("plan_id", [ST_ID, RE_ID])
def test_demo_components_add_up_to_each_units_total(plan_id):
    folder = DEMO_DIR / plan_id
    sums: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    codes = {c.code for c in load_plan(plan_id).unit_components}
    for row in _csv(folder / "unit_component_scores.csv"):
        assert row["component"] in codes
        assert Decimal(0) <= Decimal(row["score"]) <= Decimal(row["max_score"])
        s = sums[row["year"], row["unit_id"]]
        s[0] += Decimal(row["score"])
        s[1] += Decimal(row["max_score"])
    totals = {
        (r["year"], r["unit_id"]): (Decimal(r["score"]), Decimal(r["max_score"]))
        for r in _csv(folder / "unit_scores.csv")
        if r["score"]
    }
    assert {k: tuple(v) for k, v in sums.items()} == totals  # ratio-only rows: no components


@pytest.mark.parametrize("plan_id", [ST_ID, RE_ID])
def test_demo_components_are_the_generators_output(plan_id):
    folder = DEMO_DIR / plan_id
    codes = [c.code for c in load_plan(plan_id).unit_components]
    rows = make_component_scores.component_rows(_csv(folder / "unit_scores.csv"), codes)
    assert make_component_scores.render(rows) == (folder / "unit_component_scores.csv").read_bytes()


def test_demo_store_holds_the_component_rows(st_con):
    n = st_con.execute("SELECT count(*) FROM unit_component_scores").fetchall()[0][0]
    assert n == len(_csv(DEMO_DIR / ST_ID / "unit_component_scores.csv")) > 0


# --- the ranking workbook ------------------------------------------------------------------------


def _sheet_cells(data: bytes):
    ws = load_workbook(io.BytesIO(data)).active
    return ws, [[c for c in row] for row in ws.iter_rows()]


def test_ranking_workbook_vietnamese_without_codes(st_con):
    table = ranking(st_con, ST_PLAN, 2023, "so_nganh")
    block = next(b.label for b in ST_PLAN.blocks if b.code == "so_nganh")
    ws, rows = _sheet_cells(ranking_xlsx_bytes(ST_PLAN, 2023, block, table, "Phiên bản dữ liệu 1"))
    texts = [str(c.value) for row in rows for c in row if c.value is not None]
    assert "2023" in rows[0][0].value and block in rows[0][0].value
    assert ST_PLAN.title in texts
    header_at = next(i for i, row in enumerate(rows) if row[0].value == "Hạng")
    headers = [c.value for c in rows[header_at]]
    assert headers[:4] == ["Hạng", "Số đơn vị được xếp hạng", "Đơn vị", "Khối"]
    assert ST_PLAN.classification.name in headers and "Tỷ lệ (%)" in headers
    body = rows[header_at + 1 :]
    assert len(body) == len(table)
    assert [r[2].value for r in body] == list(table["name"])
    assert {r[3].value for r in body} == {block}
    ratio_col = headers.index("Tỷ lệ (%)")
    assert [r[ratio_col].value for r in body] == list(table["ratio_pct"])
    assert {r[ratio_col].number_format for r in body} == {"0.00"}
    bands = {b.label for b in ST_PLAN.classification.bands}
    assert {r[headers.index(ST_PLAN.classification.name)].value for r in body} <= bands
    codes = set(table["unit_id"]) | {b.code for b in ST_PLAN.blocks}
    words = {w for t in texts for w in re.split(r"[\s,;:()/—-]+", t)}
    assert not words & codes  # no unit id, no block code
    assert not any(re.search(r"\d{4}-\d{2}-\d{2}", t) for t in texts)
    made = next(row[1].value for row in rows if row[0].value == "Ngày lập")
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", made)


def test_ranking_workbook_never_writes_a_formula():
    plan = ST_PLAN
    table = pd.DataFrame(
        {
            "unit_id": ["x"], "source_id": ["x"], "source_name": ["=1+1"], "name": ["=1+1"],
            "rank": [1], "n_ranked": [1], "score": [80.0], "max_score": [100.0],
            "ratio_pct": [80.0], "band_label": ["Nhóm 3"], "prev_ratio_pct": [None],
            "ratio_change_pct": [None], "prev_rank": [None], "satisfaction_pct": [None],
        }
    )  # fmt: skip
    ws, rows = _sheet_cells(ranking_xlsx_bytes(plan, 2021, "=A1", table, "v"))
    cells = [c for row in rows for c in row if isinstance(c.value, str)]
    assert any(c.value == "=1+1" for c in cells)
    assert all(c.data_type == "s" for c in cells)


# --- the one-page profile ------------------------------------------------------------------------


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_profile_docx(st_con):
    info = unit_info(st_con, ST_PLAN, "stp")
    hist = unit_history(st_con, ST_PLAN, "stp")
    comps = component_scores(st_con, ST_PLAN, ["stp"], 2023)
    text = _docx_text(profile_docx_bytes(ST_PLAN, info, hist, comps, 2023, "Phiên bản dữ liệu 3"))
    assert info["name"] in text and info["block_label"] in text
    for label in comps["component_label"]:
        assert label in text
    median = comps.iloc[0]["block_median_pct"]
    assert f"{median:.2f}".replace(".", ",") + " %" in text
    for band in hist["band_label"].dropna():
        assert band in text
    assert "stp" not in re.split(r"[\s,;:()/]+", text)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    assert ST_PLAN.title in text


def test_profile_docx_without_components_and_with_lineage(demo_stores):
    plan = load_plan(RE_ID)
    with open_store(demo_stores[RE_ID], read_only=True) as con:
        linked = con.execute("SELECT from_unit_id FROM unit_links ORDER BY ALL LIMIT 1").fetchall()
        uid = linked[0][0]
        info, hist = unit_info(con, plan, uid), unit_history(con, plan, uid)
    line = lineage_line(info)
    text = _docx_text(profile_docx_bytes(plan, info, hist, None, 2030, "v", line))
    assert "Chưa có điểm các lĩnh vực" in text
    assert line in text and "→" in text
