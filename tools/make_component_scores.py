"""Write the illustrative unit component scores (``unit_component_scores.csv``) of the demos.

Run `python tools/make_component_scores.py` from anywhere, after `tools/make_demo.py`: for
every demo folder whose plan declares `[[unit_components]]`, it splits each row of
`unit_scores.csv` that has a score and a maximum into the plan's components, so that the
component scores add up **exactly** to the unit's score and the component maxima to its
maximum (the import checks both, data-contract.md). Rows with a ratio alone get no
component rows. Nothing here is real: the weights of the components and every component
score are made up. Deterministic: one `random.Random` per (year, unit) seeded by text
(stable across Python versions, only `Random.random()` is used), so the rows a unit and a
year share between two demos are the same.
"""

from __future__ import annotations

import csv
import io
import random
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: the project's packages
    sys.path.insert(0, str(ROOT))

from analytics.plans.loading import load_plan  # noqa: E402

DEMO_DIR = ROOT / "data" / "demo"
COLUMNS = ["year", "unit_id", "component", "score", "max_score"]
# Illustrative weight of each component in a maximum of 100 (by plan order of the codes:
# chỉ đạo điều hành, thể chế, TTHC, bộ máy, công vụ, tài chính công, chính phủ số, tác động).
WEIGHTS = (6, 6, 12, 8, 12, 10, 16, 30)
HALF = Decimal("0.5")
CENT = Decimal("0.01")


def _text(value: Decimal) -> str:
    """'65', '65.5', '65.68': as unit_scores.csv writes numbers."""
    text = f"{value.quantize(CENT):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def split_max(total: Decimal, n: int) -> list[Decimal]:
    """The component maxima (multiples of 0,5) adding up to ``total``; the last one takes
    the remainder."""
    weights = [WEIGHTS[i % len(WEIGHTS)] for i in range(n)]
    share = sum(weights)
    out = [
        (total * w / share / HALF).quantize(Decimal(1), ROUND_HALF_UP) * HALF for w in weights[:-1]
    ]
    out.append(total - sum(out))
    assert out[-1] > 0, (total, out)
    return out


def split_score(score: Decimal, maxima: list[Decimal], rnd: random.Random) -> list[Decimal]:
    """Component scores (hundredths) within their maxima adding up exactly to ``score``."""
    ratio = score / sum(maxima)
    cents = []
    for m in maxima:
        r = min(
            Decimal(1),
            max(Decimal("0.3"), ratio + Decimal(str(rnd.random() - 0.5)) * Decimal("0.16")),
        )
        cents.append(int((m * r / CENT).quantize(Decimal(1), ROUND_HALF_UP)))
    caps = [int(m / CENT) for m in maxima]
    gap = int(score / CENT) - sum(cents)
    order = sorted(range(len(maxima)), key=lambda _: rnd.random())
    while gap:  # move the difference onto components with room, one pass at most per sign
        for i in order:
            step = min(gap, caps[i] - cents[i]) if gap > 0 else max(gap, -cents[i])
            cents[i] += step
            gap -= step
            if not gap:
                break
    return [Decimal(c) * CENT for c in cents]


def component_rows(unit_scores: list[dict[str, str]], codes: list[str]) -> list[dict[str, str]]:
    rows = []
    for row in unit_scores:
        if not row["score"] or not row["max_score"]:
            continue  # a ratio alone: nothing to split
        score, total = Decimal(row["score"]), Decimal(row["max_score"])
        rnd = random.Random(f"components:{row['year']}:{row['unit_id']}")
        maxima = split_max(total, len(codes))
        scores = split_score(score, maxima, rnd)
        assert sum(scores) == score and sum(maxima) == total, row
        for code, s, m in zip(codes, scores, maxima, strict=True):
            assert Decimal(0) <= s <= m, (row, code)
            rows.append(
                {"year": row["year"], "unit_id": row["unit_id"], "component": code,
                 "score": _text(s), "max_score": _text(m)}
            )  # fmt: skip
    order = {c: i for i, c in enumerate(codes)}
    return sorted(rows, key=lambda r: (int(r["year"]), r["unit_id"], order[r["component"]]))


def render(rows: list[dict[str, str]]) -> bytes:
    """CSV text as tools/make_demo.py writes it: UTF-8 without BOM, `\\n` line ends."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def main() -> None:
    for folder in sorted(p for p in DEMO_DIR.iterdir() if p.is_dir()):
        codes = [c.code for c in load_plan(folder.name).unit_components]
        if not codes:
            continue
        with (folder / "unit_scores.csv").open(encoding="utf-8-sig", newline="") as fh:
            scores = list(csv.DictReader(fh))
        (folder / "unit_component_scores.csv").write_bytes(render(component_rows(scores, codes)))


if __name__ == "__main__":
    main()
