"""Import invariants over generated datasets: idempotent, all-or-nothing, order-free."""

from __future__ import annotations

import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.errors import InputRejected
from analytics.ingest.importer import import_dataset
from analytics.store.binding import bind_plan
from analytics.store.connection import open_store
from analytics.store.contract import DATA_TABLES
from tests._datasets import ST_ID, ST_PLAN, TEST_ADMIN, counts, snapshot, write_dataset

SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

UNIT_IDS = ["snv", "stp", "hct", "hoa-1", "bv.dk"]
BLOCKS = [b.code for b in ST_PLAN.blocks]
YEARS = list(range(ST_PLAN.first_year, ST_PLAN.last_year + 1))
REVIEWS = [r.id for r in ST_PLAN.reviews]
BOOLS = ["x", "X", "có", "Có", "không", "TRUE", "false", "1", "0", ""]
NAME_CHARS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáạảãệữỹÀĐ ,\"'\u0300\u0301"

names = st.text(alphabet=NAME_CHARS, min_size=1, max_size=12).filter(lambda s: s.strip())
HEADERS = {
    "units": ["unit_id", "name", "block"],
    "unit_scores": ["year", "unit_id", "score", "max_score", "ratio"],
    "satisfaction": ["year", "unit_id", "satisfaction_pct"],
    "unit_judgments": ["review", "unit_id", "head_directs", "outstanding", "has_initiative"],
    "unit_facts": ["year", "unit_id", "tasks_completed_pct", "discipline"],
}
OPTIONAL = ("unit_scores", "satisfaction", "unit_judgments", "unit_facts")
Dataset = dict[str, tuple[list[str], list[list[str]]]]


def hundredths(draw, low: int, high: int, *, percent_sign: bool = False) -> str:
    """A decimal with up to two places, written as a person might: dot or comma, maybe '%'."""
    text = format(Decimal(draw(st.integers(low, high))).scaleb(-2).normalize(), "f")
    if draw(st.booleans()):
        text = text.replace(".", ",")
    if percent_sign and draw(st.booleans()):
        text += "%"
    return text


@st.composite
def score_cells(draw) -> list[str]:
    if draw(st.booleans()):
        max_c = draw(st.integers(1, 100_000))
        score = hundredths(draw, 0, max_c)
        max_score = format(Decimal(max_c).scaleb(-2).normalize(), "f")
        return [score, max_score, ""]
    return ["", "", hundredths(draw, 0, 10_000, percent_sign=True)]


def rows_for(draw, table: str, units: list[str]) -> list[list[str]]:
    first = REVIEWS if table == "unit_judgments" else YEARS
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from(first), st.sampled_from(units)),
            min_size=1,
            max_size=5,
            unique=True,
        )
    )
    rows = []
    for y, u in keys:
        if table == "unit_scores":
            cells = draw(score_cells())
        elif table == "satisfaction":
            cells = [hundredths(draw, 0, 10_000, percent_sign=True)]
        elif table == "unit_facts":
            cells = [
                draw(st.sampled_from(["", "100", "95,5", "87.25"])),
                draw(st.sampled_from(["", "none", "disciplined", "Under_Review"])),
            ]
        else:
            cells = [draw(st.sampled_from(BOOLS)) for _ in range(3)]
        rows.append([str(y), u, *cells])
    return rows


@st.composite
def datasets(draw, *, with_units: bool | None = None) -> Dataset:
    """Rows for one table about units of the store, and maybe new versions of those units.

    The store already holds every unit of UNIT_IDS, so each import stays small and fast.
    """
    units = draw(st.lists(st.sampled_from(UNIT_IDS), min_size=1, max_size=4, unique=True))
    data: Dataset = {}
    if draw(st.booleans()) if with_units is None else with_units:
        rows = [[u, draw(names), draw(st.sampled_from(BLOCKS))] for u in units]
        data["units"] = (HEADERS["units"], rows)
    table = draw(st.sampled_from(OPTIONAL))
    data[table] = (HEADERS[table], rows_for(draw, table, units))
    return data


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """A store holding every unit the generated datasets refer to."""
    folder = tmp_path_factory.mktemp("properties")
    units = [[u, u.upper(), "so_nganh"] for u in UNIT_IDS]
    write_dataset(folder / "units", {"units": (HEADERS["units"], units)})
    path = folder / "base.duckdb"
    with open_store(path) as con:
        bind_plan(con, ST_ID)
        import_dataset(con, folder / "units", ST_PLAN, actor=TEST_ADMIN)
    return path


def _copy(base: Path, tmp: str, name: str = "store.duckdb") -> Path:
    return Path(shutil.copy(base, Path(tmp) / name))


def _data(con) -> dict:
    snap = snapshot(con)
    return {t: snap[t] for t in DATA_TABLES}


@SETTINGS
@given(dataset=datasets())
def test_reimport_changes_nothing(base: Path, dataset: Dataset):
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_dataset(Path(tmp) / "d", dataset)
        with open_store(_copy(base, tmp)) as con:
            import_dataset(con, folder, ST_PLAN, actor=TEST_ADMIN)
            once = _data(con)
            second = import_dataset(con, folder, ST_PLAN, actor=TEST_ADMIN)
            assert counts(second) == {k: (0, 0, len(rows)) for k, (_, rows) in dataset.items()}
            assert not second.is_change
            assert _data(con) == once


# --- (b) a rejected import leaves the store unchanged ---------------------------------------

MUTATIONS = {
    # kind: (table, column, bad value) -- value None = duplicate the row instead
    "units-blank-name": ("units", "name", ""),
    "units-unknown-block": ("units", "block", "khoi_moi"),
    "units-duplicate-key": ("units", None, None),
    "unit_scores-text-score": ("unit_scores", "score", "tám mươi"),
    # v2: 2020 is the baseline year (rules.md §2), accepted; 2019 is before it
    "unit_scores-year-before-baseline": ("unit_scores", "year", "2019"),
    "unit_scores-unknown-unit": ("unit_scores", "unit_id", "khong-co"),
    "unit_scores-ratio-over-100": ("unit_scores", "ratio", "100,01"),
    "unit_scores-duplicate-key": ("unit_scores", None, None),
    "satisfaction-pct-negative": ("satisfaction", "satisfaction_pct", "-1"),
    "satisfaction-fraction-year": ("satisfaction", "year", "2021.5"),
    "unit_judgments-bad-bool": ("unit_judgments", "outstanding", "có lẽ"),
    "unit_judgments-unknown-review": ("unit_judgments", "review", "so-ket-2024"),
    "unit_facts-bad-discipline": ("unit_facts", "discipline", "kỷ luật"),
    "unit_facts-pct-over-100": ("unit_facts", "tasks_completed_pct", "101"),
}


@st.composite
def valid_and_broken(draw) -> tuple[Dataset, Dataset, str, int, str]:
    """A valid dataset, a copy with one bad cell (or duplicated row), and where it is."""
    valid = draw(datasets(with_units=True))
    kinds = [k for k, (table, *_) in MUTATIONS.items() if table in valid]
    kind = draw(st.sampled_from(kinds))
    table, column, value = MUTATIONS[kind]
    header, rows = valid[table]
    rows = [list(r) for r in rows]
    i = draw(st.integers(0, len(rows) - 1))
    if column is None:
        rows.append(list(rows[i]))
        line = len(rows) + 1
    else:
        if column == "ratio":  # a ratio given alone, so that only the ratio is at fault
            rows[i][2:5] = ["", "", ""]
        rows[i][header.index(column)] = value
        line = i + 2
    return valid, {**valid, table: (header, rows)}, table, line, kind


@SETTINGS
@given(case=valid_and_broken())
def test_rejected_import_leaves_every_table_unchanged(base: Path, case):
    valid, broken, table, line, kind = case
    with tempfile.TemporaryDirectory() as tmp:
        valid_folder = write_dataset(Path(tmp) / "valid", valid)
        folder = write_dataset(Path(tmp) / "broken", broken)
        with open_store(_copy(base, tmp)) as con:
            import_dataset(con, valid_folder, ST_PLAN, actor=TEST_ADMIN)
            before = snapshot(con)
            try:
                import_dataset(con, folder, ST_PLAN, actor=TEST_ADMIN)
            except InputRejected as exc:
                problems = exc.problems
            else:
                raise AssertionError(f"{kind}: the broken dataset was accepted")
            assert snapshot(con) == before
    assert any((p.file, p.row) == (f"{table}.csv", line) for p in problems), [
        str(p) for p in problems
    ]


# --- (c) the order of two non-conflicting imports does not matter ------------------------


@st.composite
def two_datasets(draw) -> tuple[Dataset, Dataset]:
    """Two datasets sharing units; each keyed row goes to the first, the second or both."""
    whole = draw(datasets())
    a: Dataset = {}
    b: Dataset = {}
    for table, (header, rows) in whole.items():
        where = draw(st.lists(st.sampled_from("ab+"), min_size=len(rows), max_size=len(rows)))
        for target, side in ((a, "a"), (b, "b")):
            chosen = [r for r, w in zip(rows, where, strict=True) if w in (side, "+")]
            if chosen:
                target[table] = (header, chosen)
    return a or b, b or a


@settings(SETTINGS, max_examples=20)  # four imports per example: fewer keep the suite fast
@given(pair=two_datasets())
def test_import_order_of_non_conflicting_datasets_does_not_matter(base: Path, pair):
    a, b = pair
    with tempfile.TemporaryDirectory() as tmp:
        fa = write_dataset(Path(tmp) / "a", a)
        fb = write_dataset(Path(tmp) / "b", b)
        finals = []
        for order in ((fa, fb), (fb, fa)):
            with open_store(_copy(base, tmp, f"{order[0].name}{order[1].name}.duckdb")) as con:
                for folder in order:
                    import_dataset(con, folder, ST_PLAN, actor=TEST_ADMIN)
                finals.append(_data(con))
        assert finals[0] == finals[1]
