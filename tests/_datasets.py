"""A tiny valid Sóc Trăng dataset and store helpers shared by the import and store tests.

Rows are lists of cell texts; row index ``i`` of a table is line ``i + 2`` of its CSV
(the header is line 1), which the malformed-input tests use to name the row at fault.
"""

from __future__ import annotations

import copy
import csv
import io
import shutil
from pathlib import Path

from analytics.access import Actor
from analytics.ingest.importer import ImportResult, import_dataset
from analytics.plans.loading import load_plan
from analytics.store.binding import bind_plan
from analytics.store.connection import open_store
from analytics.store.contract import DATA_TABLES

# The acting user of the tests' writes (an admin: imports, the demo).
TEST_ADMIN = Actor("test:admin", "admin")

ROOT = Path(__file__).resolve().parent.parent
# Naming in the tests: *_ID is a plan id (text), *_PLAN the loaded plan object.
ST_ID = "soc-trang-2021-2030"
NQ_ID = "nhu-quynh-2023"
RE_ID = "soc-trang-2025-reorg"  # the amendment "as it happened" (rules.md §12), the default
ST_PLAN = load_plan(ST_ID)
NQ_PLAN = load_plan(NQ_ID)
DEMO_ST = ROOT / "data" / "demo" / ST_ID
DEMO_NQ = ROOT / "data" / "demo" / "nhu-quynh-2023"
SNAPSHOT_TABLES = (*DATA_TABLES, "import_log", "meta")

Table = tuple[list[str], list[list[str]]]

# A small dataset touching every table, column kind and a few edge values (a ratio-only
# row, a blank boolean, a citizen without a unit, a comma inside a quoted cell).
TINY: dict[str, Table] = {
    "units": (
        [
            "unit_id",
            "name",
            "block",
            "advised_components",
            "active_from",
            "active_to",
            "predecessors",
            "ceased_on",
        ],
        [
            ["snv", "Sở Nội vụ", "so_nganh", "C1;C2", "", "", "", ""],
            ["stp", "Sở Tư pháp", "so_nganh", "C2", "2021", "", "", ""],
            ["bvdk", "Bệnh viện Đa khoa tỉnh", "dvsn", "", "", "", "", ""],
            ["bhxh", "Bảo hiểm xã hội tỉnh", "tw", "", "", "", "", ""],
            ["hct", "Huyện Châu Thành", "huyen", "", "2021", "2024", "", ""],
            ["hmt", "Huyện Mỹ Tú", "huyen", "", "2025", "", "hct", ""],
            ["skhdt", "Sở Kế hoạch và Đầu tư", "so_nganh", "", "", "2024", "", ""],
            ["sgtvt", "Sở Giao thông vận tải", "Khối sở, ban, ngành tỉnh", "", "", "2024", "", ""],
            ["ct-sxd", "Sở Xây dựng thành phố Cần Thơ", "", "", "", "", "", ""],
            ["h-lp", "UBND huyện Long Phú", "huyen", "", "", "2024", "", "01/07/2025"],
        ],
    ),
    "unit_scores": (
        ["year", "unit_id", "score", "max_score", "ratio"],
        [
            ["2021", "snv", "80", "100", ""],
            ["2021", "stp", "64.1", "80", ""],
            ["2021", "bvdk", "", "", "85.125"],
            ["2021", "bhxh", "70", "80", "87.5"],
            ["2022", "snv", "85.5", "100", "85.5"],
            ["2022", "hct", "72", "90", ""],
        ],
    ),
    "province_components": (
        ["year", "component", "component_name", "score", "max_score"],
        [
            ["2021", "C1", "Công tác chỉ đạo, điều hành", "7.8", "9"],
            ["2021", "C2", "Xây dựng và thực hiện văn bản QPPL", "6.5", "8"],
            ["2022", "C1", "Công tác chỉ đạo, điều hành", "8", "9"],
            ["2022", "C2", "Xây dựng và thực hiện văn bản QPPL", "7", "8"],
        ],
    ),
    "satisfaction": (
        ["year", "unit_id", "satisfaction_pct"],
        [["2021", "snv", "93.15"], ["2021", "hct", "88"], ["2022", "snv", "90.5"]],
    ),
    "unit_facts": (
        ["year", "unit_id", "tasks_completed_pct", "discipline"],
        [
            ["2021", "snv", "100", "none"],
            ["2021", "stp", "95.5", ""],
            ["2022", "hct", "", "under_review"],
        ],
    ),
    "unit_judgments": (
        [
            "review",
            "unit_id",
            "head_directs",
            "outstanding",
            "has_initiative",
            "discipline",
            "proposed_form",
        ],
        [
            ["2021", "snv", "true", "true", "", "", "bang_khen_tinh"],
            ["2021", "stp", "x", "", "không", "", ""],
            [
                "so-ket-2025",
                "snv",
                "true",
                "false",
                "true",
                "đang bị thanh tra, kiểm tra, kiểm toán",
                "",
            ],
        ],
    ),
    "people": (
        ["person_id", "full_name", "unit_id", "position", "advised_components", "gender"],
        [
            ["p01", "Trần Minh Khoa", "snv", "Trưởng phòng", "C1;C2", "nam"],
            ["p02", "Lê Thị Hân", "stp", "Chuyên viên", "", "Nữ"],
            ["p03", "Nguyễn Văn An", "", "Người dân", "", ""],
        ],
    ),
    "person_judgments": (
        [
            "review",
            "person_id",
            "outstanding",
            "has_initiative",
            "initiative_recognized",
            "good_conduct",
            "discipline",
            "votes_pct",
            "votes_for",
            "council_members",
            "is_nominated",
            "proposed_form",
        ],
        [
            ["2021", "p01", "true", "true", "", "true", "none", "89", "89", "100", "", ""],
            ["2021", "p02", "true", "false", "false", "true", "", "91.5", "", "", "có", ""],
            ["2021", "p03", "", "", "", "", "", "", "", "", "không", ""],
        ],
    ),
    "publications": (
        ["year", "published_on"],
        [["2021", "2022-05-24"], ["2022", "30/05/2023"]],
    ),
    "province_results": (
        ["year", "ratio", "national_rank", "sipas_pct"],
        [["2021", "78.40", "", "89.51"], ["2022", "79.60", "45", "86.74"]],
    ),
    "unit_links": (
        ["from_unit_id", "to_unit_id", "kind", "effective_on", "is_primary", "note"],
        [
            ["skhdt", "snv", "absorbed", "01/03/2025", "", "minh họa"],
            ["sgtvt", "ct-sxd", "sáp nhập vào", "2025-07-01", "có", ""],
        ],
    ),
    "unit_component_scores": (
        ["year", "unit_id", "component", "score", "max_score"],
        [["2021", "snv", "cd", "30", "40"], ["2021", "snv", "tc", "50", "60"]],
    ),
    "registrations": (
        ["year", "subject_kind", "subject", "titles", "forms", "registered_on", "note"],
        [
            ["2023", "unit", "snv", "", "bang_khen_tinh", "10/02/2023", ""],
            [
                "2023",
                "nhóm",
                "Toàn thể cán bộ, công chức",
                "",
                "Bằng khen của Chủ tịch UBND tỉnh",
                "",
                "",
            ],
        ],
    ),
    "awards_granted": (
        [
            "review",
            "award",
            "subject_id",
            "recipient_id",
            "form",
            "decision_no",
            "decided_on",
            "authority",
        ],
        [
            [
                "2021",
                "certificate",
                "snv",
                "",
                "bang_khen_tinh",
                "123/QĐ-UBND",
                "15/07/2022",
                "Chủ tịch UBND tỉnh",
            ]
        ],
    ),
}


def tiny() -> dict[str, Table]:
    """A deep copy of the tiny dataset, free to mutate."""
    return copy.deepcopy(TINY)


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def write_table(folder: Path, name: str, table: Table) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csv"
    path.write_bytes(csv_text(*table).encode("utf-8"))
    return path


def write_dataset(folder: Path, tables: dict[str, Table], only: tuple[str, ...] = ()) -> Path:
    """Write each table (or only the named ones) as ``<name>.csv`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        if not only or name in only:
            write_table(folder, name, table)
    return folder


def snapshot(con) -> dict[str, list[tuple]]:
    """Every row of every data table, the import log and meta, in a canonical order."""
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in SNAPSHOT_TABLES}


def snapshot_file(path: Path) -> dict[str, list[dict]]:
    with open_store(path) as con:
        return snapshot(con)


def build_store(path: Path, dataset: Path, plan_id: str = ST_ID) -> ImportResult:
    """A new store at ``path`` bound to ``plan_id`` holding ``dataset``."""
    with open_store(path) as con:
        bind_plan(con, plan_id)
        return import_dataset(con, dataset, load_plan(plan_id), actor=TEST_ADMIN)


def copy_store(src: Path, dst: Path) -> Path:
    shutil.copy(src, dst)
    return dst


def counts(result: ImportResult) -> dict[str, tuple[int, int, int]]:
    """(inserted, updated, unchanged) per table of an import result."""
    return {k: (v.inserted, v.updated, v.unchanged) for k, v in result.counts.items()}


def national_store(root: Path, *, units: int, people: int, seed: int) -> Path:
    """A small run of the national benchmark's generator, imported into a Sóc Trăng store."""
    from bench.make_national import generate

    generate(root / "data", units=units, people=people, seed=seed)
    path = root / "national.duckdb"
    build_store(path, root / "data")
    return path
