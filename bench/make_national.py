"""Write a national-scale synthetic dataset in the data contract v1 CSV format.

    python bench/make_national.py OUT_DIR [--units 5000] [--people 200000] [--seed 2021]

Deterministic (numpy's PCG64 with a fixed seed: the same arguments give the same bytes)
and fast (the full size, ~2.7 M rows / ~120 MB, takes a few seconds). The values are
illustrative, not real: they only have to be valid under the Sóc Trăng plan
(soc-trang-2021-2030: years 2021–2030, blocks so_nganh/dvsn/tw/huyen, 12 reviews) and
shaped like a real national roll-out so that the engine's timings mean something:

- units: split 40 % so_nganh, 20 % dvsn, 16 % tw, 24 % huyen; ~7 % advisory (1-3
  components); ~2 % end before 2030 and ~1 % start later with predecessors;
- unit_scores / satisfaction / unit_facts: every unit x 10 years; scores as
  score+max_score with 1-2 decimals, ~3 % ratio only, ~2 % all three (consistent);
- unit_judgments: every unit x 12 reviews; booleans true/false/blank;
- people: ~0.5 % advisors (with advised components), ~92.5 % staff of a unit,
  ~7 % citizens (blank unit_id); person_judgments: every person x 12 reviews;
- province_components (C1..C8), publications and province_results: 10 years each.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

YEARS = list(range(2021, 2031))
REVIEWS = [str(y) for y in YEARS] + ["so-ket-2025", "tong-ket-2030"]
BLOCKS = (  # code, share of units, id prefix, name stem
    ("so_nganh", 0.40, "sn", "Sở ngành"),
    ("dvsn", 0.20, "dv", "Đơn vị sự nghiệp"),
    ("tw", 0.16, "tw", "Cơ quan Trung ương"),
    ("huyen", 0.24, "hu", "UBND cấp huyện"),
)
COMPONENTS = {  # code -> (name, max score)
    "C1": ("Công tác chỉ đạo, điều hành cải cách hành chính", 9.0),
    "C2": ("Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật", 8.0),
    "C3": ("Cải cách thủ tục hành chính", 14.0),
    "C4": ("Cải cách tổ chức bộ máy hành chính nhà nước", 9.0),
    "C5": ("Cải cách chế độ công vụ", 13.0),
    "C6": ("Cải cách tài chính công", 9.0),
    "C7": ("Xây dựng, phát triển Chính phủ điện tử, Chính phủ số", 14.0),
    "C8": (
        "Tác động của cải cách hành chính đến người dân, tổ chức và phát triển kinh tế - xã hội",
        24.0,
    ),
}
SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Hoàng",
    "Võ",
    "Phan",
    "Trương",
    "Bùi",
    "Đặng",
    "Đỗ",
    "Ngô",
    "Hồ",
    "Dương",
    "Lý",
    "Thạch",
    "Sơn",
    "Lâm",
    "Tăng",
]
MIDDLES = [
    "Văn",
    "Thị",
    "Minh",
    "Ngọc",
    "Quốc",
    "Thanh",
    "Hoàng",
    "Thị Kim",
    "Hữu",
    "Đức",
    "Thị Mỹ",
    "Công",
    "Bảo",
    "Thị Thu",
    "Xuân",
]
GIVENS = [
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Duyên",
    "Giang",
    "Hà",
    "Hải",
    "Hân",
    "Hiếu",
    "Hòa",
    "Hùng",
    "Khoa",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "My",
    "Nam",
    "Ngân",
    "Nhi",
    "Phúc",
    "Phương",
    "Quân",
    "Sang",
    "Tâm",
    "Thảo",
    "Thành",
    "Trang",
    "Trí",
    "Tuấn",
    "Vy",
    "Yến",
]
STAFF_POSITIONS = [
    "Chuyên viên",
    "Phó Trưởng phòng",
    "Trưởng phòng",
    "Phó Giám đốc",
    "Công chức Bộ phận Một cửa",
    "Văn thư",
    "Thanh tra viên",
    '"Phó Trưởng phòng Công chức, viên chức"',
    "Kế toán viên",
]
ADVISOR_POSITIONS = [
    "Trưởng phòng Cải cách hành chính",
    "Chuyên viên Phòng Cải cách hành chính",
    '"Phó Trưởng phòng Tổ chức, biên chế"',
]
CITIZEN_POSITIONS = ['"Người dân, xã {}"', "Chủ hộ kinh doanh phường {}", "Doanh nhân"]
OTHER_DISCIPLINE = ["disciplined", "under_review", "complaint_pending", "press_unverified"]

HEADERS = {
    "units.csv": "unit_id,name,block,advised_components,active_from,active_to,predecessors",
    "unit_scores.csv": "year,unit_id,score,max_score,ratio",
    "province_components.csv": "year,component,component_name,score,max_score",
    "satisfaction.csv": "year,unit_id,satisfaction_pct",
    "unit_facts.csv": "year,unit_id,tasks_completed_pct,discipline",
    "unit_judgments.csv": "review,unit_id,head_directs,outstanding,has_initiative",
    "people.csv": "person_id,full_name,unit_id,position,advised_components",
    "person_judgments.csv": "review,person_id,outstanding,has_initiative,"
    "initiative_recognized,good_conduct,discipline,votes_pct",
    "publications.csv": "year,published_on",
    "province_results.csv": "year,ratio,national_rank,sipas_pct",
    "unit_links.csv": "from_unit_id,to_unit_id,kind,effective_on,is_primary,note",
}


def _q(text: str) -> str:
    """A CSV field (quoted when it holds a comma or a quote)."""
    if any(ch in text for ch in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _hundredths(values: np.ndarray) -> list[str]:
    """Integer hundredths as text with 1-2 decimals: 6570 -> '65.7', 6500 -> '65.0'."""
    out = []
    for v in values.tolist():
        whole, frac = divmod(v, 100)
        out.append(f"{whole}.{frac // 10}" if frac % 10 == 0 else f"{whole}.{frac:02d}")
    return out


def _pct_table() -> list[str]:
    """Text of every hundredth 0.00..100.00 (index = hundredths), 1-2 decimals."""
    return _hundredths(np.arange(10001))


def _pick(rng: np.random.Generator, n: int, values: list[str], p: list[float]) -> list[str]:
    """n values drawn with probabilities p (vectorised through an object array)."""
    idx = rng.choice(len(values), size=n, p=p)
    return np.asarray(values, dtype=object)[idx].tolist()


def _write(out: Path, name: str, rows, counts: dict[str, int]) -> None:
    lines = [HEADERS[name], *rows]
    text = "\n".join(lines) + "\n"
    (out / name).write_text(text, encoding="utf-8", newline="")
    counts[name] = len(lines) - 1


def _block_sizes(units: int) -> list[int]:
    sizes = [int(round(units * share)) for _, share, _, _ in BLOCKS]
    sizes[-1] = units - sum(sizes[:-1])
    return sizes


def make_units(rng, n_units: int):
    """(unit ids, unit rows, advisory unit index -> components)."""
    ids: list[str] = []
    names: list[str] = []
    blocks: list[str] = []
    for (code, _share, prefix, stem), size in zip(BLOCKS, _block_sizes(n_units), strict=True):
        for k in range(1, size + 1):
            ids.append(f"{prefix}-{k:05d}")
            names.append(f"{stem} số {k}")
            blocks.append(code)
    n = len(ids)
    comps = list(COMPONENTS)
    advised = [""] * n
    advisory_idx = np.flatnonzero(rng.random(n) < 0.07)
    for i in advisory_idx.tolist():
        k = int(rng.integers(1, 4))
        advised[i] = ";".join(sorted(rng.choice(comps, size=k, replace=False).tolist()))
    # Lineage: ~5 % end before 2030 (each absorbed into a continuing unit: unit_links.csv),
    # ~1 % start later and name one or two of them as predecessors.
    active_from = [""] * n
    active_to = [""] * n
    predecessors = [""] * n
    order = rng.permutation(n)
    n_end = max(1, n // 20)
    ended = order[:n_end].tolist()
    started = order[n_end : n_end + max(1, n // 100)].tolist()
    for i in ended:
        if not advised[i]:
            active_to[i] = str(int(rng.integers(2022, 2027)))
    ended_ids = [ids[i] for i in ended if active_to[i]]
    for i in started:
        active_from[i] = str(int(rng.integers(2023, 2027)))
        if ended_ids:
            k = int(rng.integers(1, 3))
            predecessors[i] = ";".join(sorted(set(rng.choice(ended_ids, size=k).tolist())))
    rows = [
        f"{ids[i]},{names[i]},{blocks[i]},{advised[i]},{active_from[i]},{active_to[i]},{predecessors[i]}"
        for i in range(n)
    ]
    continuing = [i for i in order[n_end + max(1, n // 100) :].tolist() if not active_to[i]]
    links = []
    for i in ended:
        if active_to[i] and continuing:
            target = continuing[int(rng.integers(0, len(continuing)))]
            links.append(f"{ids[i]},{ids[target]},absorbed,{int(active_to[i]) + 1}-01-01,,")
    return ids, rows, {i: advised[i] for i in advisory_idx.tolist()}, links


def make_unit_years(rng, ids: list[str], out: Path, counts: dict[str, int]) -> None:
    n = len(ids)
    ny = len(YEARS)
    pct = _pct_table()
    # Ratio in hundredths: a unit level plus yearly noise, so every group band occurs.
    level = np.clip(rng.normal(8200, 700, n), 3500, 9950)
    ratio = np.clip(level[:, None] + rng.normal(0, 300, (n, ny)), 2000, 10000)
    max_h = rng.choice(np.array([10000, 10000, 9000, 8000, 9550, 8525]), size=(n, ny))
    score_h = np.minimum(np.rint(max_h * ratio / 10000).astype(np.int64), max_h)
    ratio_h = (2 * 10000 * score_h + max_h) // (2 * max_h)  # round half up, as the engine
    kind = rng.random((n, ny))  # < 0.03 ratio only, < 0.05 all three, else score+max
    score_txt = _hundredths(score_h.T.ravel())
    max_txt = _hundredths(max_h.T.ravel())
    ratio_flat = ratio_h.T.ravel().tolist()
    kind_flat = kind.T.ravel().tolist()
    rows = []
    i = 0
    for year in YEARS:
        for uid in ids:
            k = kind_flat[i]
            if k < 0.03:
                rows.append(f"{year},{uid},,,{pct[ratio_flat[i]]}")
            elif k < 0.05:
                rows.append(f"{year},{uid},{score_txt[i]},{max_txt[i]},{pct[ratio_flat[i]]}")
            else:
                rows.append(f"{year},{uid},{score_txt[i]},{max_txt[i]},")
            i += 1
    _write(out, "unit_scores.csv", rows, counts)

    sat = np.clip(rng.normal(9200, 350, n * ny), 6000, 10000).astype(np.int64).tolist()
    sat_blank = (rng.random(n * ny) < 0.005).tolist()
    year_col = [str(y) for y in YEARS for _ in range(n)]
    id_col = ids * ny
    rows = [
        f"{y},{u},{'' if b else pct[s]}"
        for y, u, s, b in zip(year_col, id_col, sat, sat_blank, strict=True)
    ]
    _write(out, "satisfaction.csv", rows, counts)

    short = np.clip(rng.normal(9600, 250, n * ny), 8000, 9999).astype(np.int64).tolist()
    t = rng.random(n * ny).tolist()
    tasks = [
        "100" if x < 0.85 else ("" if x > 0.97 else pct[s]) for x, s in zip(t, short, strict=True)
    ]
    disc = _pick(
        rng, n * ny, ["none", "", *OTHER_DISCIPLINE], [0.95, 0.03, 0.006, 0.006, 0.004, 0.004]
    )
    rows = [f"{y},{u},{tk},{d}" for y, u, tk, d in zip(year_col, id_col, tasks, disc, strict=True)]
    _write(out, "unit_facts.csv", rows, counts)

    nr = n * len(REVIEWS)
    head = _pick(rng, nr, ["true", "false", ""], [0.85, 0.08, 0.07])
    outst = _pick(rng, nr, ["true", "false", ""], [0.70, 0.20, 0.10])
    init = _pick(rng, nr, ["true", "false", ""], [0.75, 0.15, 0.10])
    rev_col = [r for r in REVIEWS for _ in range(n)]
    rows = [
        f"{r},{u},{a},{b},{c}"
        for r, u, a, b, c in zip(rev_col, ids * len(REVIEWS), head, outst, init, strict=True)
    ]
    _write(out, "unit_judgments.csv", rows, counts)


def make_people(
    rng, ids: list[str], advisory: dict[int, str], n_people: int, out: Path, counts: dict[str, int]
) -> None:
    kinds = rng.choice(3, size=n_people, p=[0.005, 0.925, 0.07])  # advisor, staff, citizen
    sur = rng.integers(0, len(SURNAMES), n_people).tolist()
    mid = rng.integers(0, len(MIDDLES), n_people).tolist()
    giv = rng.integers(0, len(GIVENS), n_people).tolist()
    unit_of = rng.integers(0, len(ids), n_people).tolist()
    pos = rng.integers(0, 1 << 30, n_people).tolist()
    adv_units = sorted(advisory)
    adv_pick = rng.integers(0, max(1, len(adv_units)), n_people).tolist()
    pids = [f"p{i:07d}" for i in range(1, n_people + 1)]
    rows = []
    for i, kind in enumerate(kinds.tolist()):
        name = f"{SURNAMES[sur[i]]} {MIDDLES[mid[i]]} {GIVENS[giv[i]]}"
        if kind == 0 and adv_units:
            u = adv_units[adv_pick[i]]
            p = ADVISOR_POSITIONS[pos[i] % len(ADVISOR_POSITIONS)]
            rows.append(f"{pids[i]},{name},{ids[u]},{p},{advisory[u]}")
        elif kind == 2:
            p = CITIZEN_POSITIONS[pos[i] % len(CITIZEN_POSITIONS)].format(pos[i] % 97 + 1)
            rows.append(f"{pids[i]},{name},,{p},")
        else:
            p = STAFF_POSITIONS[pos[i] % len(STAFF_POSITIONS)]
            rows.append(f"{pids[i]},{name},{ids[unit_of[i]]},{p},")
    _write(out, "people.csv", rows, counts)

    # person_judgments: every person x 12 reviews, rows by review then person.
    nr = n_people * len(REVIEWS)
    is_citizen = np.tile(kinds == 2, len(REVIEWS))
    tf = ["true", "false", ""]
    outst = _pick(rng, nr, tf, [0.60, 0.25, 0.15])
    init = _pick(rng, nr, tf, [0.40, 0.45, 0.15])
    recog_c = np.asarray(_pick(rng, nr, tf, [0.30, 0.30, 0.40]), dtype=object)
    recog_o = np.asarray(_pick(rng, nr, tf, [0.10, 0.10, 0.80]), dtype=object)
    recog = np.where(is_citizen, recog_c, recog_o).tolist()
    conduct = _pick(rng, nr, tf, [0.90, 0.03, 0.07])
    disc = _pick(
        rng, nr, ["none", "", *OTHER_DISCIPLINE], [0.97, 0.015, 0.006, 0.004, 0.003, 0.002]
    )
    votes_h = (np.clip(rng.normal(800, 120, nr), 0, 1000).astype(np.int64) * 10).tolist()
    votes_blank = (rng.random(nr) < 0.08).tolist()
    pct = _pct_table()
    votes = ["" if b else pct[v] for v, b in zip(votes_h, votes_blank, strict=True)]
    rev_col = [r for r in REVIEWS for _ in range(n_people)]
    rows = [
        f"{r},{p},{a},{b},{c},{d},{e},{v}"
        for r, p, a, b, c, d, e, v in zip(
            rev_col, pids * len(REVIEWS), outst, init, recog, conduct, disc, votes, strict=True
        )
    ]
    _write(out, "person_judgments.csv", rows, counts)


def make_province(rng, out: Path, counts: dict[str, int]) -> None:
    rows = []
    for year in YEARS:
        for code, (name, top) in COMPONENTS.items():
            score = round(top * float(rng.uniform(0.6, 1.0)), 2)
            rows.append(f"{year},{code},{_q(name)},{score:g},{top:g}")
    _write(out, "province_components.csv", rows, counts)
    rows = [f"{y},{y + 1}-05-{10 + (y % 19):02d}" for y in YEARS]
    _write(out, "publications.csv", rows, counts)
    rows = [
        f"{y},{rng.uniform(75, 92):.2f},{int(rng.integers(1, 64))},{rng.uniform(80, 95):.2f}"
        for y in YEARS
    ]
    _write(out, "province_results.csv", rows, counts)


def generate(
    out: Path, *, units: int = 5000, people: int = 200_000, seed: int = 2021
) -> dict[str, int]:
    """Write the ten contract files into ``out``; returns rows written per file."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    counts: dict[str, int] = {}
    ids, unit_rows, advisory, links = make_units(rng, units)
    _write(out, "units.csv", unit_rows, counts)
    _write(out, "unit_links.csv", links, counts)
    make_province(rng, out, counts)
    make_unit_years(rng, ids, out, counts)
    make_people(rng, ids, advisory, people, out, counts)
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--units", type=int, default=5000)
    ap.add_argument("--people", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=2021)
    args = ap.parse_args(argv)
    if args.units < len(BLOCKS) * 5 or args.people < 1:
        ap.error(f"--units must be at least {len(BLOCKS) * 5} and --people at least 1")
    t0 = time.perf_counter()
    counts = generate(args.out_dir, units=args.units, people=args.people, seed=args.seed)
    elapsed = time.perf_counter() - t0
    size = sum((args.out_dir / f).stat().st_size for f in counts)
    for name, n in counts.items():
        print(f"{name:<26}{n:>10,} rows")
    print(f"{sum(counts.values()):,} rows, {size / 1e6:.1f} MB in {args.out_dir} ({elapsed:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
