"""Write the two illustrative demo datasets (data contract v1 CSV) under data/demo/.

Run `python tools/make_demo.py` from anywhere: it rewrites, byte for byte, the ten
contract files of `data/demo/soc-trang-2021-2030/` and `data/demo/nhu-quynh-2023/`.
Standard library only, no network, fixed random seeds (only `Random.random()` is
used, whose sequence is stable across Python versions); rows are sorted by key, except
units.csv and people.csv, written in declaration order (blocks in the plan's order).

What is real (from the seeds or public record):
- Sóc Trăng: the block structure (19 sở/ban/ngành, 4 đơn vị sự nghiệp, 6 cơ quan Trung
  ương, 11 huyện/thị xã/thành phố: seed 000 footnotes 2-5), the 7 advisory departments
  (seed 000 footnote 1), the names of the province's departments and of its 11
  district-level units; the 8 components of the national PAR Index methodology; the
  province's PAR Index 2023 (81.70 %, rank 62/63) and its SIPAS 2021 (89.51 %); the date
  the national PAR Index 2023 was announced (17/04/2024), used as the 2023 publication.
- Như Quỳnh: the town, its plan and the kinds of collectives of its registration table
  (seed 002).

What is illustrative (made up to exercise every rule in shared/spec/rules.md):
- every unit score, satisfaction, task, discipline and judgment value; which
  component each advisory department advises (one plausible assignment: Sở Nội vụ
  C1;C4;C5, Sở Tư pháp C2, Văn phòng UBND tỉnh C3, Sở Tài chính C6, Sở TT&TT C7,
  Sở KH&ĐT and Sở KH&CN both C8); the component scores and maxima per year (the
  2023 total is the real 81.70); the other years' province ratio and SIPAS;
  publication dates other than 2023; the 2022/2023 lineage of the two project
  boards (`bqlda-gt` -> `bqlda`); the choice of `h-longphu` as the district-level
  unit that ends in 2024 (the district level was abolished in 2025);
- every person: names, positions and judgments are fictional;
- Như Quỳnh: the names of its villages/quarters, its PAR scores (78.5 and 84.2 of 100),
  its publication dates (2023's is set before the seed's 10/12/2023 dossier deadline),
  people and judgments.
The intended status of the notable units and people per review is listed in
NOTABLE_CASES at the end of this file, so an engine can be checked against it.
"""

from __future__ import annotations

import csv
import io
import random
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = ROOT / "data" / "demo"
CENT = Decimal("0.01")

# Data contract v1 (shared/spec/data-contract.md): file -> columns, in this order.
COLUMNS: dict[str, list[str]] = {
    "units.csv": [
        "unit_id",
        "name",
        "block",
        "advised_components",
        "active_from",
        "active_to",
        "predecessors",
    ],
    "unit_scores.csv": ["year", "unit_id", "score", "max_score", "ratio"],
    "province_components.csv": ["year", "component", "component_name", "score", "max_score"],
    "satisfaction.csv": ["year", "unit_id", "satisfaction_pct"],
    "unit_facts.csv": ["year", "unit_id", "tasks_completed_pct", "discipline"],
    "unit_judgments.csv": ["review", "unit_id", "head_directs", "outstanding", "has_initiative"],
    "people.csv": ["person_id", "full_name", "unit_id", "position", "advised_components"],
    "person_judgments.csv": [
        "review",
        "person_id",
        "outstanding",
        "has_initiative",
        "initiative_recognized",
        "good_conduct",
        "discipline",
        "votes_pct",
    ],
    "publications.csv": ["year", "published_on"],
    "province_results.csv": ["year", "ratio", "national_rank", "sipas_pct"],
}
KEYS: dict[str, tuple[str, ...]] = {
    "units.csv": ("unit_id",),
    "unit_scores.csv": ("year", "unit_id"),
    "province_components.csv": ("year", "component"),
    "satisfaction.csv": ("year", "unit_id"),
    "unit_facts.csv": ("year", "unit_id"),
    "unit_judgments.csv": ("review", "unit_id"),
    "people.csv": ("person_id",),
    "person_judgments.csv": ("review", "person_id"),
    "publications.csv": ("year",),
    "province_results.csv": ("year",),
}

KEEP_ORDER = {"units.csv", "people.csv"}  # written as declared: blocks in plan order

T, F, U = True, False, None  # judgment values; U = blank = unknown


# ---------------------------------------------------------------- formatting helpers
def q2(value: Decimal) -> Decimal:
    """Round half-up to 2 decimals (rules.md §1)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def num(value: Decimal | int | str | None) -> str:
    """A score or plain number with as few decimals as it needs (at most 2)."""
    if value is None:
        return ""
    return format(q2(Decimal(str(value))).normalize(), "f")


def pct(value: Decimal | str | None) -> str:
    """A percentage with exactly 2 decimals."""
    return "" if value is None else f"{q2(Decimal(str(value))):.2f}"


def yes_no(value: bool | None) -> str:
    """A judgment cell: `true`, `false`, or blank for unknown."""
    return "" if value is None else ("true" if value else "false")


def add(tables: dict[str, list[dict]], name: str, *values: object) -> None:
    """Append one row to a table, its values given in the contract's column order."""
    tables[name].append(dict(zip(COLUMNS[name], values, strict=True)))


def rand_hundredths(rng: random.Random, low: str, high: str) -> Decimal:
    """A value in [low, high] with 2 decimals, from Random.random() only."""
    lo, hi = Decimal(low), Decimal(high)
    steps = int((hi - lo) * 100)
    return lo + Decimal(int(rng.random() * (steps + 1))) / 100


# ===================================================================== Sóc Trăng
ST_YEARS = [2021, 2022, 2023, 2024, 2025]
ST_REVIEWS = ["2021", "2022", "2023", "2024", "2025", "so-ket-2025"]

# (unit_id, name, block, advised_components, active_from, active_to, predecessors)
ST_UNITS = [
    ("snv", "Sở Nội vụ", "so_nganh", "C1;C4;C5", None, None, ""),
    ("skhdt", "Sở Kế hoạch và Đầu tư", "so_nganh", "C8", None, None, ""),
    ("skhcn", "Sở Khoa học và Công nghệ", "so_nganh", "C8", None, None, ""),
    ("stc", "Sở Tài chính", "so_nganh", "C6", None, None, ""),
    ("stttt", "Sở Thông tin và Truyền thông", "so_nganh", "C7", None, None, ""),
    ("stp", "Sở Tư pháp", "so_nganh", "C2", None, None, ""),
    ("vpubnd", "Văn phòng UBND tỉnh", "so_nganh", "C3", None, None, ""),
    ("sct", "Sở Công Thương", "so_nganh", "", None, None, ""),
    ("sgddt", "Sở Giáo dục và Đào tạo", "so_nganh", "", None, None, ""),
    ("sgtvt", "Sở Giao thông vận tải", "so_nganh", "", None, None, ""),
    ("sldtbxh", "Sở Lao động - Thương binh và Xã hội", "so_nganh", "", None, None, ""),
    ("snnptnt", "Sở Nông nghiệp và Phát triển nông thôn", "so_nganh", "", None, None, ""),
    ("stnmt", "Sở Tài nguyên và Môi trường", "so_nganh", "", None, None, ""),
    ("svhttdl", "Sở Văn hóa, Thể thao và Du lịch", "so_nganh", "", None, None, ""),
    ("sxd", "Sở Xây dựng", "so_nganh", "", None, None, ""),
    ("syt", "Sở Y tế", "so_nganh", "", None, None, ""),
    ("ttt", "Thanh tra tỉnh", "so_nganh", "", None, None, ""),
    ("bdt", "Ban Dân tộc", "so_nganh", "", None, None, ""),
    ("bqlkcn", "Ban Quản lý các Khu công nghiệp", "so_nganh", "", None, None, ""),
    ("dptth", "Đài Phát thanh và Truyền hình Sóc Trăng", "dvsn", "", None, None, ""),
    ("cdcd", "Trường Cao đẳng Cộng đồng Sóc Trăng", "dvsn", "", None, None, ""),
    ("cdyt", "Trường Cao đẳng Y tế Sóc Trăng", "dvsn", "", None, None, ""),
    (
        "bqlda-gt",
        "Ban Quản lý dự án đầu tư xây dựng công trình giao thông tỉnh",
        "dvsn",
        "",
        None,
        2022,
        "",
    ),
    ("bqlda", "Ban Quản lý dự án đầu tư xây dựng tỉnh", "dvsn", "", 2023, None, "bqlda-gt"),
    ("ca-tinh", "Công an tỉnh Sóc Trăng", "tw", "", None, None, ""),
    ("cuc-thue", "Cục Thuế tỉnh Sóc Trăng", "tw", "", None, None, ""),
    ("kbnn", "Kho bạc Nhà nước Sóc Trăng", "tw", "", None, None, ""),
    ("bhxh", "Bảo hiểm xã hội tỉnh Sóc Trăng", "tw", "", None, None, ""),
    ("nhnn", "Ngân hàng Nhà nước Việt Nam chi nhánh tỉnh Sóc Trăng", "tw", "", None, None, ""),
    ("cuc-tk", "Cục Thống kê tỉnh Sóc Trăng", "tw", "", None, None, ""),
    ("tp-soctrang", "UBND thành phố Sóc Trăng", "huyen", "", None, None, ""),
    ("tx-vinhchau", "UBND thị xã Vĩnh Châu", "huyen", "", None, None, ""),
    ("tx-ngaman", "UBND thị xã Ngã Năm", "huyen", "", None, None, ""),
    ("h-chauthanh", "UBND huyện Châu Thành", "huyen", "", None, None, ""),
    ("h-kesach", "UBND huyện Kế Sách", "huyen", "", None, None, ""),
    ("h-mytu", "UBND huyện Mỹ Tú", "huyen", "", None, None, ""),
    ("h-culaodung", "UBND huyện Cù Lao Dung", "huyen", "", None, None, ""),
    ("h-longphu", "UBND huyện Long Phú", "huyen", "", None, 2024, ""),
    ("h-myxuyen", "UBND huyện Mỹ Xuyên", "huyen", "", None, None, ""),
    ("h-thanhtri", "UBND huyện Thạnh Trị", "huyen", "", None, None, ""),
    ("h-trande", "UBND huyện Trần Đề", "huyen", "", None, None, ""),
]

# Maximum score of a unit's PAR Index by block and year (the methodology changes).
ST_MAX = {
    "so_nganh": {2021: 100, 2022: 100, 2023: 95, 2024: 95, 2025: 95},
    "dvsn": {2021: 90, 2022: 90, 2023: 90, 2024: 85, 2025: 85},
    "tw": {2021: 80, 2022: 80, 2023: 80, 2024: 80, 2025: 80},
    "huyen": {2021: 100, 2022: 100, 2023: 100, 2024: 100, 2025: 100},
}

# Unit results 2021..2025. A plain string is the target ratio (%): the file gets
# score = round_half_up(target * max / 100, 2) and max_score. "s:X" is a score given
# as is; "r:X" a row given as ratio alone; None a missing row (or an inactive year).
ST_SCORES: dict[str, list[str | None]] = {
    "snv": ["92.4", "93.1", "93.8", "94.2", "95.0"],
    "skhdt": ["88.6", "89.3", "90.1", "90.8", "91.6"],
    "skhcn": ["87.2", "88.0", "88.9", "89.7", "90.4"],
    "stc": ["90.3", "91.2", "91.8", "92.5", "93.1"],
    "stttt": ["89.0", "90.5", "91.0", "90.2", "90.6"],
    "stp": ["94.1", "94.6", "95.2", "95.8", "96.3"],
    "vpubnd": ["91.5", "92.2", "92.0", "92.9", "93.6"],
    "sct": ["92.0", "93.0", "92.6", "93.4", "94.0"],
    # sgddt and syt: the same five ratios in another order -> equal window average
    # 2021-2025 and equal 2025 ratio; the satisfaction average breaks the tie.
    "sgddt": ["90.2", "88.5", "88.8", "91.0", "89.6"],
    "sgtvt": ["93.5", "94.2", "94.9", "95.3", "95.9"],
    "sldtbxh": ["90.6", None, "91.4", "92.0", "92.6"],  # 2022 missing -> unknown average
    "snnptnt": ["90.5", "91.0", "90.8", "91.2", "91.6"],
    "stnmt": ["86.4", "84.9", "87.3", "88.1", "88.8"],
    "svhttdl": ["86.2", "87.4", "s:76", "85.6", "88.2"],  # 2023: 76 / 95 = 80.00 exactly
    "sxd": ["84.3", "85.0", "83.6", "86.2", "87.0"],
    "syt": ["88.5", "90.2", "91.0", "88.8", "89.6"],
    "ttt": ["87.8", "88.4", "89.2", "89.8", "90.4"],
    "bdt": ["s:65", "68.4", "70.2", "72.6", "74.8"],  # 2021: 65 / 100 = 65.00 exactly
    "bqlkcn": ["85.5", "86.7", "87.8", "88.4", "89.2"],
    "dptth": ["88.4", "89.6", "90.3", "91.1", "91.8"],
    "cdcd": ["r:86.40", "86.9", "87.5", "88.2", "88.9"],
    "cdyt": ["72.4", "s:58.5", "74.1", "76.3", "78.2"],  # 2022: 58.5 / 90 = 65.00
    "bqlda-gt": ["78.6", "80.2", None, None, None],
    "bqlda": [None, None, "84.7", "86.3", "87.9"],
    "ca-tinh": ["93.2", "94.0", "94.5", "95.1", "95.6"],
    "cuc-thue": ["90.6", "91.3", "92.0", "92.4", "93.0"],
    "kbnn": ["89.1", "89.8", "s:64.1", "90.5", "91.2"],  # 64.1 / 80 = 80.13 (a float: 80.12)
    "bhxh": ["82.1", "80.6", "81.3", "s:40", "83.4"],  # 2024: 40 / 80 = 50.00, Nhóm 4
    "nhnn": ["91.4", "91.9", "92.3", "92.8", "93.4"],
    "cuc-tk": ["r:87.25", "r:88.10", "88.9", "89.5", "90.2"],
    "tp-soctrang": ["92.1", "92.8", "93.5", "93.9", "94.6"],
    # tx-vinhchau and h-chauthanh: the same sum over 2021-2025 -> equal window average
    # 87.90; the 2025 ratio (90.50 > 90.00) decides the rank.
    "tx-vinhchau": ["85.1", "86.3", "88.2", "89.4", "90.5"],
    "tx-ngaman": ["89.5", "90.1", "90.8", "91.2", "91.6"],
    "h-chauthanh": ["86.0", "87.9", "88.0", "87.6", "90.0"],
    "h-kesach": ["91.2", "47.5", "92.4", "93.1", "94.0"],  # one Nhóm 5 year, high average
    "h-mytu": ["88.3", "88.9", "89.2", "88.6", "89.5"],
    "h-culaodung": ["82.4", "83.1", "84.0", "84.9", "85.6"],
    "h-longphu": ["84.5", "85.2", "86.0", "86.8", None],
    "h-myxuyen": ["76.3", "s:65", "78.4", "80.2", "81.5"],  # 2022: 65.00 exactly
    "h-thanhtri": ["58.4", "61.2", "s:50", "62.5", "63.8"],  # 2023: 50.00, Nhóm 4
    "h-trande": ["r:84.20", "85.6", "86.9", "87.3", "88.0"],
}

# Provincial components: code -> (name, {year: max}, {year: score}). Maxima change in
# 2023 and again in 2025 (illustrative); each year's maxima sum to 100 and the scores
# of 2023 sum to the real 81.70.
ST_COMPONENTS = {
    "C1": (
        "Công tác chỉ đạo, điều hành cải cách hành chính",
        [9, 9, 9, 9, 9],
        ["7.8", "8.05", "8.3", "8.1", "8.45"],
    ),
    "C2": (
        "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật",
        [8, 8, 8, 8, 8],
        ["6.5", "6.75", "7.25", "8", "8"],
    ),
    "C3": (
        "Cải cách thủ tục hành chính",
        [14, 14, 13, 13, 13],
        ["10.85", "11.2", "10.15", "10.6", "11.05"],
    ),
    "C4": (
        "Cải cách tổ chức bộ máy hành chính nhà nước",
        [9, 9, 9, 9, 9],
        ["7.95", "8.1", "8.4", "8.2", "8.6"],
    ),
    "C5": (
        "Cải cách chế độ công vụ",
        [13, 13, "13.5", "13.5", 13],
        ["10.2", "10.45", "11.2", "10.9", "11.1"],
    ),
    "C6": ("Cải cách tài chính công", [9, 9, 9, 9, 9], ["7.1", "7.35", "7.6", "7.55", "7.9"]),
    "C7": (
        "Xây dựng, phát triển Chính phủ điện tử, Chính phủ số",
        [14, 14, "14.5", "14.5", 15],
        ["9.8", "10.3", "11.1", "11.9", "12"],
    ),
    "C8": (
        "Tác động của cải cách hành chính đến người dân, tổ chức và phát triển kinh tế - xã hội",
        [24, 24, 24, 24, 24],
        ["18.2", "17.4", "17.7", "19.6", "20.1"],
    ),
}

# Satisfaction overrides (2021..2025; None = missing row); others are drawn.
ST_SATISFACTION = {
    "sxd": ["88.6", "89.4", "89.9", "90.3", "89.1"],  # averages 89.30 / 89.46
    "h-culaodung": ["86.2", "87.5", "88.9", "89.6", "90.4"],
    "h-myxuyen": ["89.2", "90.4", "89.8", "90.1", "90.5"],  # 89.80 (2021-23), 90.00 (-25)
    "bqlda-gt": ["87.9", "88.6", None, None, None],
    "syt": ["94.5", "95.1", "95.6", "96.0", "96.4"],
    "sgddt": ["93.2", "93.8", "94.1", "94.6", "95.0"],
    "cuc-thue": ["93.1", "93.7", "94.2", None, "94.9"],  # 2024 missing
}

# unit_facts overrides: (year, unit_id) -> (tasks_completed_pct, discipline)
ST_FACTS = {
    (2022, "stnmt"): ("97.5", "none"),
    (2021, "h-culaodung"): ("98.5", "none"),
    (2024, "h-thanhtri"): ("96", "none"),
    (2022, "bqlda-gt"): ("99", "none"),
    (2023, "h-mytu"): ("100", "under_review"),
    (2025, "sgtvt"): ("100", "disciplined"),
    # not an excluding status in the Sóc Trăng plan (it is in Như Quỳnh's)
    (2025, "tx-ngaman"): ("100", "complaint_pending"),
}

# unit_judgments overrides: (review, unit_id) -> (head_directs, outstanding, has_initiative)
ST_JUDGMENTS = {
    ("2021", "sxd"): (T, F, T),
    ("2021", "h-culaodung"): (T, T, F),
    ("2021", "bhxh"): (U, T, T),
    ("2022", "stnmt"): (T, F, T),
    ("2022", "h-thanhtri"): (F, T, T),
    ("2022", "cdyt"): (T, T, U),
    ("2023", "nhnn"): (T, T, U),
    ("2023", "sxd"): (T, F, T),
    ("2023", "h-thanhtri"): (T, T, F),
    ("2024", "ttt"): (T, T, F),
    ("2024", "bdt"): (T, U, T),
    ("2024", "h-culaodung"): (F, T, T),
    ("2025", "ttt"): (T, T, F),
    ("2025", "h-kesach"): (T, T, F),
    ("so-ket-2025", "ttt"): (T, T, F),
    ("so-ket-2025", "skhdt"): (T, U, T),
    ("so-ket-2025", "bqlkcn"): (T, U, T),
    ("so-ket-2025", "h-trande"): (U, T, T),
    ("so-ket-2025", "h-thanhtri"): (T, F, F),
}

# (person_id, full_name, unit_id, position, advised_components)
ST_PEOPLE = [
    ("p01", "Trần Minh Khoa", "snv", "Trưởng phòng Cải cách hành chính", "C1;C4;C5"),
    ("p02", "Lê Thị Ngọc Hân", "snv", "Phó Trưởng phòng Công chức, viên chức", "C5"),
    ("p03", "Phạm Quốc Bảo", "stp", "Phó Giám đốc", "C2"),
    ("p04", "Huỳnh Thị Mỹ Linh", "vpubnd", "Phó Chánh Văn phòng", "C3"),
    ("p05", "Võ Thanh Tùng", "stc", "Trưởng phòng Quản lý ngân sách", "C6"),
    ("p06", "Thạch Sô Phia", "stttt", "Trưởng phòng Công nghệ thông tin", "C7"),
    ("p07", "Đặng Hoàng Phúc", "skhdt", "Chánh Văn phòng Sở", "C8"),
    ("p08", "Sơn Thị Kim Thoa", "skhcn", "Phó Giám đốc", "C8"),
    ("p09", "Nguyễn Văn Hậu", "snv", "Chuyên viên Phòng Cải cách hành chính", ""),
    ("p10", "Lâm Thị Bích Tuyền", "sct", "Chánh Văn phòng Sở", ""),
    ("p11", "Trương Công Danh", "sgddt", "Phó Giám đốc", ""),
    ("p12", "Ngô Thị Thu Trang", "syt", "Chuyên viên Phòng Tổ chức cán bộ", ""),
    ("p13", "Lý Văn Sang", "sgtvt", "Trưởng phòng Quản lý vận tải", ""),
    ("p14", "Châu Thị Ngọc Ánh", "stnmt", "Công chức Bộ phận Một cửa", ""),
    ("p15", "Danh Hoàng Sơn", "svhttdl", "Phó Chánh Văn phòng Sở", ""),
    ("p16", "Mai Thị Hồng Nhung", "ttt", "Thanh tra viên", ""),
    ("p17", "Tô Minh Triết", "bqlkcn", "Phó Trưởng ban", ""),
    ("p18", "Kim Thị Sa Ry", "dptth", "Biên tập viên", ""),
    ("p19", "Hồ Văn Nghĩa", "cdyt", "Trưởng phòng Đào tạo", ""),
    (
        "p20",
        "Dương Quốc Việt",
        "ca-tinh",
        "Phó Trưởng phòng Cảnh sát quản lý hành chính về trật tự xã hội",
        "",
    ),
    (
        "p21",
        "Bùi Thị Kim Ngân",
        "cuc-thue",
        "Chuyên viên Phòng Tuyên truyền - Hỗ trợ người nộp thuế",
        "",
    ),
    ("p22", "Phan Thanh Liêm", "kbnn", "Phó Giám đốc", ""),
    ("p23", "Lưu Thị Mỹ Duyên", "bhxh", "Phó Trưởng phòng Tiếp nhận và trả kết quả", ""),
    ("p24", "Trịnh Văn Tài", "tp-soctrang", "Phó Chủ tịch UBND thành phố", ""),
    ("p25", "Quách Thị Ngọc Mai", "tx-vinhchau", "Trưởng phòng Nội vụ", ""),
    ("p26", "Đỗ Thành Nhân", "tx-ngaman", "Chánh Văn phòng HĐND và UBND thị xã", ""),
    ("p27", "Lâm Sà Rây", "h-chauthanh", "Chuyên viên Phòng Nội vụ", ""),
    ("p28", "Nguyễn Thị Hoàng Yến", "h-kesach", "Công chức Bộ phận Một cửa", ""),
    ("p29", "Trần Quốc Thái", "h-mytu", "Phó Chủ tịch UBND huyện", ""),
    ("p30", "Võ Thị Cẩm Tú", "h-longphu", "Trưởng phòng Nội vụ", ""),
    ("p31", "Sơn Minh Tâm", "h-trande", "Chuyên viên Văn phòng HĐND và UBND huyện", ""),
    ("p32", "Huỳnh Văn Lợi", "h-myxuyen", "Phó Trưởng phòng Tư pháp", ""),
    ("p33", "Lê Văn Thành", "", "Người dân, phường 5, thành phố Sóc Trăng", ""),
    ("p34", "Nguyễn Thị Diễm My", "", "Chủ hộ kinh doanh, thị xã Vĩnh Châu", ""),
    ("p35", "Triệu Minh Hiếu", "", "Kỹ sư phần mềm, huyện Mỹ Xuyên", ""),
]
ST_CITIZENS = {"p33", "p34", "p35"}
ST_PERSON_REVIEWS = ["2023", "2024", "2025", "so-ket-2025"]
ST_NOT_NOMINATED = {
    ("2023", "p31"),
    ("2024", "p09"),
    ("2024", "p14"),
    ("2024", "p34"),
    ("2025", "p28"),
}
# person_judgments overrides: (review, person_id) -> field: value ("votes": str or None)
ST_PERSON_OVERRIDES: dict[tuple[str, str], dict] = {
    ("2023", "p07"): {"outstanding": F},
    ("2023", "p11"): {"outstanding": F, "has_initiative": F},
    ("2023", "p16"): {"discipline": "under_review"},
    ("2023", "p20"): {"outstanding": U, "has_initiative": T},
    ("2023", "p24"): {"votes": None},
    ("2023", "p33"): {"initiative_recognized": T},
    ("2023", "p34"): {"initiative_recognized": F},
    ("2023", "p35"): {"initiative_recognized": U},
    ("2024", "p10"): {"good_conduct": U},
    ("2025", "p09"): {"outstanding": F, "has_initiative": T},
    ("2025", "p12"): {"outstanding": U, "has_initiative": F},
    ("2025", "p13"): {"discipline": "disciplined"},
    ("2025", "p14"): {"good_conduct": F},
    ("2025", "p33"): {"initiative_recognized": T},
    ("2025", "p34"): {"initiative_recognized": F},
    ("2025", "p35"): {"initiative_recognized": T},
    ("2025", "p21"): {"votes": None},
    ("so-ket-2025", "p05"): {"good_conduct": U},
    ("so-ket-2025", "p13"): {"discipline": "disciplined"},
    ("so-ket-2025", "p33"): {"initiative_recognized": T},
    ("so-ket-2025", "p34"): {"initiative_recognized": F},
    ("so-ket-2025", "p35"): {"initiative_recognized": T},
    ("so-ket-2025", "p26"): {"votes": None},
    ("so-ket-2025", "p27"): {"votes": None},
}
# Ties on votes_pct: person_id breaks them (rules.md §7).
ST_VOTE_TIES = {
    "2023": ({"p10", "p21", "p22"}, "86"),
    "2024": ({"p03", "p08"}, "91"),
    "2025": ({"p05", "p29"}, "82"),
    "so-ket-2025": ({"p18", "p25", "p32"}, "79.5"),
}

ST_PUBLICATIONS = {  # 2023: the national PAR Index 2023 announcement; others illustrative
    2021: "2022-05-24",
    2022: "2023-05-30",
    2023: "2024-04-17",
    2024: "2025-05-20",
    2025: "2026-05-19",
}
# year -> (ratio, national_rank, sipas_pct); real: 2023 ratio and rank, 2021 SIPAS.
ST_PROVINCE = {
    2021: ("78.40", None, "89.51"),
    2022: ("79.60", None, "86.74"),
    2023: ("81.70", 62, "85.92"),
    2024: ("84.85", None, "87.30"),
    2025: ("87.20", None, None),
}


def _active_years(unit: tuple) -> list[int]:
    start = unit[4] or ST_YEARS[0]
    end = unit[5] or ST_YEARS[-1]
    return [y for y in ST_YEARS if start <= y <= end]


def build_soc_trang() -> dict[str, list[dict]]:
    rng = random.Random(20210101)
    tables: dict[str, list[dict]] = {name: [] for name in COLUMNS}
    block_of = {u[0]: u[2] for u in ST_UNITS}
    active = {u[0]: _active_years(u) for u in ST_UNITS}

    for uid, name, block, advised, start, end, preds in ST_UNITS:
        add(tables, "units.csv", uid, name, block, advised, start or "", end or "", preds)

    for uid, values in ST_SCORES.items():
        for year, spec in zip(ST_YEARS, values, strict=True):
            if spec is None:
                continue
            assert year in active[uid], (uid, year)
            top = Decimal(ST_MAX[block_of[uid]][year])
            if spec.startswith("r:"):
                add(tables, "unit_scores.csv", year, uid, "", "", pct(spec[2:]))
                continue
            score = Decimal(spec[2:]) if spec.startswith("s:") else q2(Decimal(spec) * top / 100)
            add(tables, "unit_scores.csv", year, uid, num(score), num(top), "")

    for code, (cname, maxima, scores) in ST_COMPONENTS.items():
        for year, top, score in zip(ST_YEARS, maxima, scores, strict=True):
            add(tables, "province_components.csv", year, code, cname, num(score), num(top))

    for uid, *_ in ST_UNITS:
        base = rand_hundredths(rng, "91.80", "96.80")
        fixed = ST_SATISFACTION.get(uid)
        for i, year in enumerate(ST_YEARS):
            jitter = rand_hundredths(rng, "-1.50", "1.50")  # drawn every year: stable stream
            if year not in active[uid]:
                continue
            value = fixed[i] if fixed else base + jitter
            if value is not None:
                add(tables, "satisfaction.csv", year, uid, pct(value))
            tasks, discipline = ST_FACTS.get((year, uid), ("100", "none"))
            add(tables, "unit_facts.csv", year, uid, num(tasks), discipline)

    for review in ST_REVIEWS:
        end_year = 2025 if review == "so-ket-2025" else int(review)
        for uid, *_ in ST_UNITS:
            if end_year not in active[uid]:
                continue  # a unit inactive in the end year is no candidate (rules.md §2)
            judged = ST_JUDGMENTS.get((review, uid), (T, T, T))
            add(tables, "unit_judgments.csv", review, uid, *map(yes_no, judged))

    for person in ST_PEOPLE:
        add(tables, "people.csv", *person)

    for review in ST_PERSON_REVIEWS:
        tied, tie_votes = ST_VOTE_TIES[review]
        for pid, *_ in ST_PEOPLE:
            votes = 60 + Decimal(int(rng.random() * 79)) / 2  # 60.0 .. 99.0, step 0.5
            if (review, pid) in ST_NOT_NOMINATED:
                continue
            j = {
                "outstanding": U if pid in ST_CITIZENS else T,
                "has_initiative": T,
                "initiative_recognized": U,
                "good_conduct": T,
                "discipline": "none",
                "votes": tie_votes if pid in tied else votes,
            }
            j.update(ST_PERSON_OVERRIDES.get((review, pid), {}))
            flags = (j["outstanding"], j["has_initiative"], j["initiative_recognized"])
            add(
                tables, "person_judgments.csv", review, pid, *map(yes_no, flags),
                yes_no(j["good_conduct"]), j["discipline"], num(j["votes"]),
            )  # fmt: skip

    for year, day in ST_PUBLICATIONS.items():
        add(tables, "publications.csv", year, day)
    for year, (ratio, rank, sipas) in ST_PROVINCE.items():
        add(tables, "province_results.csv", year, pct(ratio), rank or "", pct(sipas))
    return tables


# ===================================================================== Như Quỳnh
# (unit_id, name, block, tasks 2023, discipline 2023, (head, outstanding, initiative))
NQ_UNITS = [
    ("ubnd-tt", "UBND thị trấn Như Quỳnh", "xa", "100", "none", (U, T, T)),
    ("pho-ngocquynh", "Phố Ngọc Quỳnh", "tap_the", "100", "none", (U, T, T)),
    ("pho-hanhlac", "Phố Hành Lạc", "tap_the", "100", "none", (U, T, F)),
    ("thon-nhuquynh", "Thôn Như Quỳnh", "tap_the", "100", "none", (U, T, T)),
    ("thon-dinhdu", "Thôn Đình Dù", "tap_the", "100", "complaint_pending", (U, T, T)),
    ("thon-longthuong", "Thôn Lộng Thượng", "tap_the", "95", "none", (U, F, T)),
    ("bp-motcua", "Bộ phận tiếp nhận và trả kết quả", "tap_the", "100", "none", (T, T, T)),
    ("bp-vptk", "Bộ phận Văn phòng - Thống kê", "tap_the", "100", "none", (T, T, U)),
    ("mttq", "Mặt trận Tổ quốc thị trấn", "tap_the", "100", "none", (U, T, F)),
    ("hlhpn", "Hội Liên hiệp Phụ nữ thị trấn", "tap_the", "100", "none", (U, T, T)),
    ("dtn", "Đoàn Thanh niên thị trấn", "tap_the", "100", "none", (U, T, T)),
    ("hccb", "Hội Cựu chiến binh thị trấn", "tap_the", "100", "none", (U, F, F)),
    ("hnd", "Hội Nông dân thị trấn", "tap_the", "100", "none", (U, T, T)),
]
NQ_SCORES = {2022: "78.5", 2023: "84.2"}  # ubnd-tt, of 100: 78.50 (Khá) -> 84.20 (Tốt)
# (person_id, full_name, unit_id, position, outstanding, has_initiative, discipline, votes)
NQ_PEOPLE = [
    ("nq01", "Nguyễn Văn Khải", "ubnd-tt", "Chủ tịch UBND thị trấn", T, T, "none", "95"),
    (
        "nq02",
        "Đỗ Thị Thanh Huyền",
        "ubnd-tt",
        "Phó Chủ tịch UBND thị trấn (kinh tế)",
        T,
        T,
        "none",
        "90.5",
    ),
    (
        "nq03",
        "Lê Đức Thắng",
        "ubnd-tt",
        "Phó Chủ tịch UBND thị trấn (văn hóa - xã hội)",
        T,
        F,
        "none",
        "88",
    ),
    ("nq04", "Phạm Thị Lan Anh", "bp-vptk", "Công chức Văn phòng - Thống kê", T, T, "none", "92"),
    ("nq05", "Vũ Minh Tuấn", "bp-motcua", "Công chức Tư pháp - Hộ tịch", T, T, "none", ""),
    (
        "nq06",
        "Nguyễn Thị Hằng",
        "ubnd-tt",
        "Công chức Địa chính - Xây dựng - Đô thị và Môi trường",
        T,
        T,
        "press_unverified",
        "81",
    ),
    ("nq07", "Trần Văn Dũng", "ubnd-tt", "Công chức Tài chính - Kế toán", U, T, "none", "79.5"),
    ("nq08", "Hoàng Thị Thu Hà", "ubnd-tt", "Công chức Văn hóa - Xã hội", T, T, "none", "86"),
    ("nq09", "Đặng Quang Huy", "ubnd-tt", "Trưởng Công an thị trấn", T, T, "under_review", "84"),
    (
        "nq10",
        "Nguyễn Đình Long",
        "ubnd-tt",
        "Chỉ huy trưởng Ban Chỉ huy Quân sự thị trấn",
        F,
        T,
        "none",
        "",
    ),
    (
        "nq11",
        "Lưu Thị Ngọc",
        "bp-motcua",
        "Công chức Bộ phận tiếp nhận và trả kết quả",
        T,
        T,
        "none",
        "89",
    ),
    ("nq12", "Đinh Thị Mai", "hlhpn", "Chủ tịch Hội Liên hiệp Phụ nữ thị trấn", T, U, "none", "77"),
]
NQ_PUBLICATIONS = {2022: "2023-01-10", 2023: "2023-12-05"}


def build_nhu_quynh() -> dict[str, list[dict]]:
    tables: dict[str, list[dict]] = {name: [] for name in COLUMNS}
    for uid, name, block, tasks, discipline, judged in NQ_UNITS:
        add(tables, "units.csv", uid, name, block, "", "", "", "")
        add(tables, "unit_facts.csv", 2023, uid, num(tasks), discipline)
        add(tables, "unit_judgments.csv", "2023", uid, *map(yes_no, judged))
    for year, score in NQ_SCORES.items():
        add(tables, "unit_scores.csv", year, "ubnd-tt", num(score), "100", "")
    for pid, full_name, uid, position, outstanding, initiative, discipline, votes in NQ_PEOPLE:
        add(tables, "people.csv", pid, full_name, uid, position, "")
        add(
            tables, "person_judgments.csv", "2023", pid, yes_no(outstanding),
            yes_no(initiative), "", "true", discipline, num(votes or None),
        )  # fmt: skip
    for year, day in NQ_PUBLICATIONS.items():
        add(tables, "publications.csv", year, day)
    return tables


# ===================================================================== writing
def _sort_key(row: dict, key: tuple[str, ...]) -> tuple:
    return tuple((0, row[k], "") if isinstance(row[k], int) else (1, 0, str(row[k])) for k in key)


def render(columns: list[str], rows: list[dict]) -> bytes:
    """CSV text: UTF-8 without BOM, comma, minimal quoting, `\\n` line ends, NFC."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([unicodedata.normalize("NFC", str(row[c])) for c in columns])
    return buffer.getvalue().encode("utf-8")


def write_dataset(folder: Path, tables: dict[str, list[dict]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, columns in COLUMNS.items():
        rows = tables[name]
        if name not in KEEP_ORDER:
            rows = sorted(rows, key=lambda r, k=KEYS[name]: _sort_key(r, k))
        (folder / name).write_bytes(render(columns, rows))


# ================================================ Sóc Trăng as it happened (2025)
# The February 2025 mergers (facts-2025.md: the mergers are sourced, the effective date of
# each decision was not found: 01/03/2025 is illustrative), district-level government
# ending on 01/07/2025, and no 2025 index (the province ceased on 01/07/2025).
REORG_ON = "2025-03-01"
DISTRICTS_END = "2025-07-01"
REORG_PUBLISHED_2024 = "2025-04-06"  # the 2024 index (rules.md §12: dossier due 05/06/2025)
MEDIA_ON = "2025-04-14"  # Báo Sóc Trăng + Đài PT-TH Sóc Trăng (facts-2025.md)
CENTRAL_ON = "2025-03-01"  # tax, treasury, statistics regional units (month sourced, day not)
CITY_ON = "2025-07-01"  # Sóc Trăng, Hậu Giang, Cần Thơ -> thành phố Cần Thơ (NQ 202/2025/QH15)
# New units: never assessed by Sóc Trăng, so outside the plan (blank block): link ends only.
# The names after 07/2025 ("... thành phố Cần Thơ") and of the regional units are illustrative.
REORG_NEW_UNITS = [  # (unit_id, name)
    ("snnmt", "Sở Nông nghiệp và Môi trường tỉnh Sóc Trăng"),
    ("sdttg", "Sở Dân tộc và Tôn giáo tỉnh Sóc Trăng"),
    ("bao-st", "Báo Sóc Trăng"),
    ("bptth", "Báo và Phát thanh, Truyền hình Sóc Trăng"),
    ("thue-kv", "Chi cục Thuế khu vực (Cần Thơ, Sóc Trăng, Hậu Giang)"),
    ("kbnn-kv", "Kho bạc Nhà nước khu vực (Cần Thơ, Sóc Trăng, Hậu Giang)"),
    ("tk-kv", "Thống kê khu vực (Cần Thơ, Sóc Trăng, Hậu Giang)"),
]
CITY_DEPARTMENTS = [  # Sóc Trăng units consolidated into the city's on 01/07/2025
    "snv", "stc", "skhcn", "stp", "vpubnd", "sct", "sgddt", "svhttdl", "sxd", "syt", "ttt",
    "bqlkcn", "ca-tinh", "nhnn", "bhxh",
]  # fmt: skip
REORG_LINKS = [  # (from, to, kind, is_primary, note)
    ("skhdt", "stc", "absorbed", True, "Sở Kế hoạch và Đầu tư hợp nhất vào Sở Tài chính"),
    ("stttt", "skhcn", "absorbed", True, "Sở TT&TT hợp nhất vào Sở Khoa học và Công nghệ"),
    ("sldtbxh", "snv", "absorbed", True, "Sở LĐ-TB&XH hợp nhất vào Sở Nội vụ"),
    ("sldtbxh", "syt", "absorbed", False, "bảo trợ xã hội, trẻ em, phòng chống tệ nạn xã hội"),
    ("sldtbxh", "sgddt", "absorbed", False, "giáo dục nghề nghiệp"),
    ("sgtvt", "sxd", "absorbed", True, "Sở Giao thông vận tải hợp nhất vào Sở Xây dựng"),
    ("snnptnt", "snnmt", "merged", True, "hợp nhất thành Sở Nông nghiệp và Môi trường"),
    ("stnmt", "snnmt", "merged", False, "hợp nhất thành Sở Nông nghiệp và Môi trường"),
    ("bdt", "sdttg", "renamed", True, "Ban Dân tộc thành Sở Dân tộc và Tôn giáo"),
    ("dptth", "bptth", "merged", True, "Đài PT-TH hợp nhất với Báo Sóc Trăng"),
    ("bao-st", "bptth", "merged", False, "Báo Sóc Trăng hợp nhất với Đài PT-TH"),
    ("cuc-thue", "thue-kv", "absorbed", True, "tổ chức lại thành Chi cục Thuế khu vực"),
    ("kbnn", "kbnn-kv", "absorbed", True, "tổ chức lại thành Kho bạc Nhà nước khu vực"),
    ("cuc-tk", "tk-kv", "absorbed", True, "tổ chức lại thành Thống kê khu vực"),
]
REORG_DATES = {"dptth": MEDIA_ON, "bao-st": MEDIA_ON, "cuc-thue": CENTRAL_ON,
               "kbnn": CENTRAL_ON, "cuc-tk": CENTRAL_ON}  # fmt: skip
CITY_NAMES = {"vpubnd": "Văn phòng UBND thành phố Cần Thơ", "ttt": "Thanh tra thành phố Cần Thơ",
              "ca-tinh": "Công an thành phố Cần Thơ", "bhxh": "Bảo hiểm xã hội thành phố Cần Thơ",
              "nhnn": "Ngân hàng Nhà nước chi nhánh khu vực (Cần Thơ)",
              "bqlkcn": "Ban Quản lý các khu chế xuất và công nghiệp thành phố Cần Thơ"}  # fmt: skip
# The provincial components of 2020 (the baseline year of the amended plan, rules.md §2):
# illustrative, a little below the 2021 score, except C2 and C7 (they fall in 2021).
REORG_BASELINE_2020 = {"C1": "7.6", "C2": "6.6", "C3": "10.5", "C4": "7.7", "C5": "10",
                       "C6": "6.9", "C7": "9.9", "C8": "17.8"}  # fmt: skip
REORG_COLUMNS = {
    "units.csv": COLUMNS["units.csv"] + ["ceased_on"],
    "people.csv": COLUMNS["people.csv"] + ["gender"],
    "unit_links.csv": ["from_unit_id", "to_unit_id", "kind", "effective_on", "is_primary", "note"],
}


def build_soc_trang_reorg() -> dict[str, list[dict]]:
    """The seed demo as it happened: the same 2021-2024 rows, no 2025 index, the 2025
    links, the districts ceasing on 01/07/2025 and the real publication of the 2024 index."""
    tables = build_soc_trang()
    links, new_units = list(REORG_LINKS), list(REORG_NEW_UNITS)
    names = {r["unit_id"]: r["name"] for r in tables["units.csv"]}
    for uid in CITY_DEPARTMENTS:
        new = f"ct-{uid}"
        new_units.append((new, CITY_NAMES.get(uid, f"{names[uid]} thành phố Cần Thơ")))
        links.append((uid, new, "merged", False, "hợp nhất vào thành phố Cần Thơ"))
    ended = {link[0] for link in links}
    for row in tables["units.csv"]:
        row["ceased_on"] = ""
        if row["unit_id"] in ended:
            row["active_to"] = 2024
        elif row["block"] == "huyen" and not row["active_to"]:
            row["active_to"] = 2025
            row["ceased_on"] = DISTRICTS_END
    for uid, name in new_units:
        tables["units.csv"].append(
            {"unit_id": uid, "name": name, "block": "", "advised_components": "",
             "active_from": "", "active_to": 2024 if uid == "bao-st" else "",
             "predecessors": "", "ceased_on": ""}
        )  # fmt: skip
    for name in ("unit_scores.csv", "satisfaction.csv", "unit_facts.csv",
                 "province_components.csv", "province_results.csv"):  # fmt: skip
        tables[name] = [r for r in tables[name] if int(r["year"]) < 2025]
    first = {r["component"]: r for r in tables["province_components.csv"] if r["year"] == 2021}
    for code, score in REORG_BASELINE_2020.items():
        base = first[code]
        tables["province_components.csv"].append(base | {"year": 2020, "score": score})
    tables["unit_judgments.csv"] = [
        r for r in tables["unit_judgments.csv"] if r["review"] in ("2021", "2022", "2023", "2024",
                                                                   "so-ket-2025")
    ]  # fmt: skip
    tables["person_judgments.csv"] = [
        r for r in tables["person_judgments.csv"] if r["review"] not in ("2025",)
    ]
    tables["publications.csv"] = [
        {"year": r["year"], "published_on": REORG_PUBLISHED_2024 if r["year"] == 2024 else
         r["published_on"]} for r in tables["publications.csv"] if int(r["year"]) < 2025
    ]  # fmt: skip
    tables["unit_links.csv"] = [
        dict(zip(REORG_COLUMNS["unit_links.csv"],
                 (f, t, k, CITY_ON if t.startswith("ct-") else REORG_DATES.get(f, REORG_ON),
                  "x" if p else "", n), strict=True))
        for f, t, k, p, n in links
    ]  # fmt: skip
    for row in tables["people.csv"]:  # people with a gender (v2): "Thị" marks a woman here
        row["gender"] = "nu" if " Thị " in f" {row['full_name']} " else "nam"
    return tables


def write_reorg_dataset(folder: Path, tables: dict[str, list[dict]]) -> None:
    write_dataset(folder, tables)
    for name, columns in REORG_COLUMNS.items():
        rows = tables[name]
        if name not in KEEP_ORDER:
            rows = sorted(rows, key=lambda r: (r["from_unit_id"], r["to_unit_id"]))
        assert all(set(columns) <= set(r) for r in rows), name
        (folder / name).write_bytes(render(columns, rows))


def main() -> None:
    write_dataset(DEMO_DIR / "soc-trang-2021-2030", build_soc_trang())
    write_reorg_dataset(DEMO_DIR / "soc-trang-2025-reorg", build_soc_trang_reorg())
    write_dataset(DEMO_DIR / "nhu-quynh-2023", build_nhu_quynh())


# Intended statuses under rules.md v2 §4-§11, for checking an engine against this data
# (each case whose status or rank changed from rules v1 says why in a "v2" note):
# (plan, review, award, category, subject_id, status, rank or None, why).
ST, NQ = "soc-trang-2021-2030", "nhu-quynh-2023"
CERT, IND, FLAG = "certificate", "certificate_individual", "flag"
NOTABLE_CASES = [
    # ---- Sóc Trăng, annual review 2023 (window 2021-2023)
    (ST, "2023", CERT, "advisory", "stp", "proposed", 1, "C2 84.38 -> 90.63"),
    (ST, "2023", CERT, "advisory", "stc", "proposed", 3, "C6 +2.77, 0.01 ahead of snv"),
    (ST, "2023", CERT, "advisory", "snv", "reserve", 4, "C1;C4;C5 85.81 -> 88.57 (+2.76)"),
    (ST, "2023", CERT, "advisory", "skhcn", "reserve", 5, "same C8 as skhdt; id decides"),
    (ST, "2023", CERT, "advisory", "skhdt", "reserve", 6, "same C8 as skhcn; id decides"),
    (ST, "2023", CERT, "advisory", "vpubnd", "ineligible", None, "C3 80.00 -> 78.08"),
    (ST, "2023", CERT, "so_nganh", "vpubnd", "proposed", 3, "not eligible under (1)"),
    (ST, "2023", CERT, "so_nganh", "snv", "superseded", None, "eligible (reserve) under (1)"),
    (ST, "2023", CERT, "so_nganh", "stp", "superseded", None, "eligible under (1)"),
    (ST, "2023", CERT, "so_nganh", "sgtvt", "proposed", 1, "highest 2021-2023 average"),
    (ST, "2023", CERT, "so_nganh", "sldtbxh", "pending", None, "no 2022 score"),
    (ST, "2023", CERT, "so_nganh", "stnmt", "ineligible", None, "tasks 97.5 % in 2022"),
    (ST, "2023", CERT, "so_nganh", "sxd", "ineligible", None, "satisfaction 89.30; outstanding"),
    (ST, "2023", CERT, "so_nganh", "svhttdl", "reserve", 9, "2023 ratio exactly 80.00"),
    (
        ST,
        "2023",
        CERT,
        "dvsn",
        "bqlda",
        "ineligible",
        None,
        "v2: inherits 2021-2022 of bqlda-gt (its only predecessor, primary); tasks 99 % in 2022",
    ),
    (ST, "2023", CERT, "tw", "nhnn", "pending", None, "has_initiative blank"),
    (ST, "2023", CERT, "tw", "kbnn", "reserve", 4, "2023: 64.1 / 80 = 80.13"),
    (ST, "2023", CERT, "huyen", "tx-ngaman", "proposed", 2, ""),
    (ST, "2023", CERT, "huyen", "h-chauthanh", "reserve", 3, ""),
    (ST, "2023", CERT, "huyen", "h-longphu", "reserve", 6, "still active in 2023"),
    (
        ST,
        "2023",
        CERT,
        "huyen",
        "h-mytu",
        "deferred",
        None,
        "under_review in 2023: v2 Sóc Trăng defers",
    ),
    (ST, "2023", CERT, "huyen", "h-kesach", "ineligible", None, "2022 ratio 47.50 (Nhóm 5)"),
    (ST, "2023", CERT, "huyen", "h-myxuyen", "ineligible", None, "satisfaction average 89.80"),
    (ST, "2023", CERT, "huyen", "h-thanhtri", "ineligible", None, "average 56.53 < 65"),
    (
        ST,
        "2023",
        IND,
        "individual",
        "p10",
        "reserve",
        11,
        "86 votes, tied; id decides (v2: p07 enters above)",
    ),
    (ST, "2023", IND, "individual", "p21", "reserve", 12, "86 votes, tied with p10, p22"),
    (ST, "2023", IND, "individual", "p16", "deferred", None, "under_review: v2 defers"),
    (ST, "2023", IND, "individual", "p04", "reserve", 27, "C3 fell: v2 judged under (4) as staff"),
    (
        ST,
        "2023",
        IND,
        "individual",
        "p07",
        "proposed",
        7,
        "outstanding false: v2 (4) as staff, initiative",
    ),
    (ST, "2023", IND, "individual", "p11", "ineligible", None, "outstanding, initiative false"),
    (ST, "2023", IND, "individual", "p20", "reserve", 26, "outstanding blank, initiative true"),
    (ST, "2023", IND, "individual", "p24", "reserve", 30, "votes blank: ranked last"),
    (ST, "2023", IND, "individual", "p33", "proposed", 8, "citizen, initiative recognized"),
    (ST, "2023", IND, "individual", "p34", "ineligible", None, "citizen, not recognized"),
    (ST, "2023", IND, "individual", "p35", "pending", None, "citizen, recognition blank"),
    # ---- Sóc Trăng, annual review 2025 (window 2021-2025)
    (ST, "2025", CERT, "advisory", "snv", "proposed", 1, "86.35 -> 90.81"),
    (ST, "2025", CERT, "advisory", "vpubnd", "proposed", 3, "C3 81.54 -> 85.00"),
    (ST, "2025", CERT, "advisory", "skhdt", "reserve", 5, ""),
    (
        ST,
        "2025",
        CERT,
        "advisory",
        "stp",
        "reserve",
        6,
        "C2 100.00 kept: v2 improved or at maximum",
    ),
    (ST, "2025", CERT, "advisory", "stttt", "ineligible", None, "C7 82.07 -> 80.00 (max 15)"),
    (ST, "2025", CERT, "so_nganh", "stp", "superseded", None, "v2: eligible under (1)"),
    (ST, "2025", CERT, "so_nganh", "stttt", "proposed", 3, "judged under (2); stp left"),
    (ST, "2025", CERT, "so_nganh", "syt", "reserve", 4, "ties sgddt; satisfaction decides"),
    (ST, "2025", CERT, "so_nganh", "sgddt", "reserve", 5, "ties syt on average and 2025"),
    (ST, "2025", CERT, "so_nganh", "vpubnd", "superseded", None, "eligible under (1)"),
    (ST, "2025", CERT, "so_nganh", "sgtvt", "deferred", None, "disciplined in 2025: v2 defers"),
    (ST, "2025", CERT, "so_nganh", "ttt", "ineligible", None, "has_initiative false"),
    (ST, "2025", CERT, "so_nganh", "sldtbxh", "pending", None, "no 2022 score"),
    (ST, "2025", CERT, "tw", "cuc-thue", "pending", None, "no 2024 satisfaction"),
    (ST, "2025", CERT, "tw", "bhxh", "reserve", 5, "2024 exactly 50.00 is not Nhóm 5"),
    (
        ST,
        "2025",
        CERT,
        "huyen",
        "tx-ngaman",
        "deferred",
        None,
        "complaint_pending: v2 Sóc Trăng defers",
    ),
    (ST, "2025", CERT, "huyen", "tx-vinhchau", "reserve", 3, "87.90 tie; 2025 ratio 90.50"),
    (ST, "2025", CERT, "huyen", "h-chauthanh", "reserve", 4, "87.90 tie; 2025 ratio 90.00"),
    (ST, "2025", CERT, "huyen", "h-myxuyen", "reserve", 6, "satisfaction average 90.00"),
    (ST, "2025", CERT, "huyen", "h-longphu", "no row", None, "inactive in 2025"),
    (ST, "2025", IND, "individual", "p03", "proposed", 7, "C2 at 100.00: kept the maximum"),
    (ST, "2025", IND, "individual", "p06", "proposed", 4, "C7 ratio fell: v2 judged under (4)"),
    (ST, "2025", IND, "individual", "p13", "deferred", None, "disciplined: v2 defers"),
    (ST, "2025", IND, "individual", "p12", "pending", None, "outstanding blank, no initiative"),
    (ST, "2025", IND, "individual", "p14", "ineligible", None, "good_conduct false"),
    (ST, "2025", IND, "individual", "p05", "proposed", 10, "82 votes, tied with p10, p29"),
    (ST, "2025", IND, "individual", "p29", "reserve", 12, "82 votes; id decides"),
    (ST, "2025", IND, "individual", "p21", "reserve", 30, "votes blank: ranked last"),
    # ---- Sóc Trăng, sơ kết 2021-2025
    (ST, "so-ket-2025", CERT, "advisory", "skhcn", "proposed", 4, ""),
    (ST, "so-ket-2025", CERT, "advisory", "skhdt", "pending", None, "outstanding blank"),
    (
        ST,
        "so-ket-2025",
        CERT,
        "advisory",
        "stp",
        "proposed",
        5,
        "100.00 kept: v2 improved or at maximum",
    ),
    (ST, "so-ket-2025", CERT, "so_nganh", "syt", "proposed", 4, "satisfaction 95.52"),
    (
        ST,
        "so-ket-2025",
        CERT,
        "so_nganh",
        "sgddt",
        "proposed",
        5,
        "satisfaction 94.14; v2: stp holds the flag",
    ),
    (ST, "so-ket-2025", CERT, "so_nganh", "skhdt", "pending", None, "outstanding blank"),
    (ST, "so-ket-2025", CERT, "so_nganh", "bqlkcn", "pending", None, "outstanding blank"),
    (ST, "so-ket-2025", CERT, "so_nganh", "skhcn", "superseded", None, "eligible under (1)"),
    (
        ST,
        "so-ket-2025",
        CERT,
        "so_nganh",
        "sgtvt",
        "deferred",
        None,
        "disciplined in 2025: v2 defers",
    ),
    (
        ST,
        "so-ket-2025",
        CERT,
        "huyen",
        "h-mytu",
        "proposed",
        1,
        "deferred only in 2023; v2: tp-soctrang holds the flag, tx-ngaman deferred",
    ),
    (ST, "so-ket-2025", CERT, "huyen", "tx-vinhchau", "proposed", 2, "87.90 tie won"),
    (ST, "so-ket-2025", CERT, "huyen", "h-chauthanh", "proposed", 3, "87.90 tie lost"),
    (ST, "so-ket-2025", CERT, "huyen", "h-trande", "pending", None, "head_directs blank"),
    (ST, "so-ket-2025", CERT, "huyen", "h-longphu", "no row", None, "inactive in 2025"),
    (
        ST,
        "so-ket-2025",
        CERT,
        "dvsn",
        "cdcd",
        "proposed",
        1,
        "2021 given as ratio alone; v2: dptth holds the flag",
    ),
    (ST, "so-ket-2025", FLAG, "so_nganh", "stp", "proposed", 1, ""),
    (ST, "so-ket-2025", FLAG, "so_nganh", "snv", "reserve", 2, "no precedence for flags"),
    (ST, "so-ket-2025", FLAG, "so_nganh", "bdt", "ineligible", None, "average 70.20 < 80"),
    (ST, "so-ket-2025", FLAG, "dvsn", "cdyt", "ineligible", None, "average 73.20 < 80"),
    (ST, "so-ket-2025", FLAG, "tw", "bhxh", "ineligible", None, "average 75.48 < 80"),
    (ST, "so-ket-2025", FLAG, "huyen", "tp-soctrang", "proposed", 1, ""),
    (ST, "so-ket-2025", FLAG, "huyen", "h-kesach", "ineligible", None, "83.64 but Nhóm 5"),
    (ST, "so-ket-2025", IND, "individual", "p05", "pending", None, "good_conduct blank"),
    (
        ST,
        "so-ket-2025",
        IND,
        "individual",
        "p09",
        "reserve",
        21,
        "72 votes, tied with p20 (v2: advisors fall back to (4))",
    ),
    (ST, "so-ket-2025", IND, "individual", "p20", "reserve", 22, "72 votes; id decides"),
    (ST, "so-ket-2025", IND, "individual", "p30", "reserve", 28, "unit inactive, still nominated"),
    (ST, "so-ket-2025", IND, "individual", "p13", "deferred", None, "disciplined: v2 defers"),
    # ---- Như Quỳnh, review 2023 (no quotas)
    (NQ, "2023", "giay_khen", "xa", "ubnd-tt", "proposed", 1, "84.20 Tốt, up from 78.50"),
    (
        NQ,
        "2023",
        "giay_khen",
        "tap_the",
        "thon-dinhdu",
        "deferred",
        None,
        "complaint_pending: Như Quỳnh defers (chưa xét)",
    ),
    (NQ, "2023", "giay_khen", "tap_the", "bp-vptk", "pending", None, "has_initiative blank"),
    (NQ, "2023", "giay_khen", "tap_the", "hccb", "ineligible", None, "both judgments false"),
    (NQ, "2023", "giay_khen", "tap_the", "bp-motcua", "proposed", 1, "ranked by id"),
    (NQ, "2023", "giay_khen", "individual", "nq06", "deferred", None, "press_unverified: deferred"),
    (NQ, "2023", "giay_khen", "individual", "nq09", "deferred", None, "under_review: deferred"),
    (NQ, "2023", "giay_khen", "individual", "nq07", "pending", None, "outstanding blank"),
    (NQ, "2023", "giay_khen", "individual", "nq10", "ineligible", None, "outstanding false"),
    (NQ, "2023", "giay_khen", "individual", "nq05", "proposed", 4, "votes blank: no quota"),
]

if __name__ == "__main__":
    main()
