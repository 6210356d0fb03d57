"""A/B: run one benchmark script on an earlier commit and on the working tree, in the same
session and alternating (A, B, A, B, …), and compare every figure of its tables.

    python bench/ab.py --base REV [--rounds 2] -- bench_engine.py --data /tmp/nat
    python bench/ab.py --base REV -- bench_pages.py --no-browser

The base commit is checked out into a temporary git worktree (removed afterwards); each
run is the script as that tree has it, from that tree's root. Every Markdown table row the
script prints is parsed; for each numeric cell the median over the rounds is compared
(ratio = working tree / base). Exit 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NUMBER = re.compile(r"^\**(\d[\d.,]*)\s*(ms|s|MiB|GiB|%)?\**$")


def value_of(cell: str) -> float | None:
    """'6,43 s' / '6.43 s' -> 6.43; '553 ms' -> 0.553; '903 MiB' -> 903; else None."""
    m = NUMBER.match(cell.strip().replace("\u00a0", " "))
    if not m:
        return None
    text, unit = m.group(1), m.group(2)
    if "," in text and "." in text:
        text = text.replace(",", "")  # 2,472,941 (thousands)
    elif text.count(",") == 1 and len(text.split(",")[1]) != 3:
        text = text.replace(",", ".")  # 6,43 (decimal comma)
    else:
        text = text.replace(",", "")
    try:
        number = float(text)
    except ValueError:
        return None
    return number / 1000 if unit == "ms" else number


def tables(stdout: str) -> dict[tuple[str, str, int], float]:
    """(table header, row name, column) -> number, for every numeric cell of the output."""
    out: dict[tuple[str, str, int], float] = {}
    header = ""
    for line in stdout.splitlines():
        if not line.startswith("|"):
            header = ""
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not header:
            header = " | ".join(cells)
            continue
        if set("".join(cells)) <= set("-: "):
            continue
        for i, cell in enumerate(cells[1:], start=1):
            number = value_of(cell)
            if number is not None:
                out[header, cells[0], i] = number
    return out


def run(tree: Path, script: list[str]) -> dict[tuple[str, str, int], float]:
    cmd = [sys.executable, str(tree / "bench" / script[0]), *script[1:]]
    proc = subprocess.run(cmd, cwd=tree, capture_output=True, text=True, check=False)
    if proc.returncode:
        sys.exit(f"{tree}: {' '.join(cmd)} failed:\n{proc.stderr[-3000:]}")
    return tables(proc.stdout)


def _without(script: list[str], drop: list[str], where: Path) -> list[str]:
    """``script`` with its ``--data`` folder replaced by a copy lacking the ``drop`` files."""
    if not drop or "--data" not in script:
        return script
    i = script.index("--data") + 1
    where.mkdir()
    for f in Path(script[i]).iterdir():
        if f.name not in drop:
            (where / f.name).symlink_to(f.resolve())
    return [*script[:i], str(where), *script[i + 1 :]]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", required=True, help="the commit to compare with")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument(
        "--base-drop",
        action="append",
        default=[],
        metavar="FILE",
        help="give the base a copy of the script's --data folder without FILE (a table the "
        "base's contract does not know, e.g. unit_links.csv); repeatable",
    )
    ap.add_argument("script", nargs=argparse.REMAINDER, help="-- SCRIPT [ARGS]")
    args = ap.parse_args(argv)
    script = args.script[1:] if args.script[:1] == ["--"] else args.script
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(base), args.base],
            cwd=REPO, check=True, capture_output=True,
        )  # fmt: skip
        base_script = _without(script, args.base_drop, Path(tmp) / "base-data")
        try:
            runs: dict[str, list[dict[tuple[str, str, int], float]]] = {"A": [], "B": []}
            for r in range(args.rounds):
                for side, tree in (("A", base), ("B", REPO)):
                    print(f"round {r + 1}: {side} ({tree})", file=sys.stderr, flush=True)
                    runs[side].append(run(tree, base_script if side == "A" else script))
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(base)], cwd=REPO, check=False
            )
    keys = [k for k in runs["B"][0] if all(k in x for x in runs["A"] + runs["B"])]
    print(f"A = {args.base}, B = working tree; medians of {args.rounds} alternating rounds\n")
    print("| table | row | col | A | B | B / A |")
    print("|---|---|---:|---:|---:|---:|")
    for key in keys:
        a = statistics.median(x[key] for x in runs["A"])
        b = statistics.median(x[key] for x in runs["B"])
        ratio = f"{b / a:.2f}" if a else "—"
        print(f"| {key[0][:40]} | {key[1][:60]} | {key[2]} | {a:g} | {b:g} | {ratio} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
