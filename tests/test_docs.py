"""The README stays honest (datasette style): its command table, its criteria vocabulary and
the data-version format it shows are checked against the code."""

from __future__ import annotations

import re
from pathlib import Path

from analytics.cli import build_parser
from analytics.plans.criteria import CRITERION_KINDS
from analytics.rules.criteria import COMPILERS
from analytics.store.connection import open_store
from analytics.store.meta import data_version
from tests._datasets import ST_ID

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 3)
    return README[start : end if end > 0 else None]


def test_the_command_table_lists_every_command():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")  # noqa: SLF001 (argparse)
    documented = re.findall(r"^\| `([a-z-]+)[ `]", _section("Command line"), flags=re.M)
    assert sorted(documented) == sorted(sub.choices)


def test_every_command_shows_its_options():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")  # noqa: SLF001
    rows = {
        m[1]: m[0] for m in re.finditer(r"^\| `([a-z-]+)[^|]*\|", _section("Command line"), re.M)
    }
    for name, cmd in sub.choices.items():
        options = {o for a in cmd._actions for o in a.option_strings if o.startswith("--")}  # noqa: SLF001
        options -= {"--help"}
        missing = [o for o in options if o not in rows[name]]
        assert not missing, f"{name}: README does not show {missing}"


def test_the_criteria_table_lists_every_kind_and_each_has_a_compiler():
    table = re.findall(r"^ *\| `([a-z_]+)`", _section("Plans are data"), flags=re.M)
    assert sorted(table) == sorted(CRITERION_KINDS)
    assert sorted(COMPILERS) == sorted(CRITERION_KINDS)


def _shape(text: str) -> str:
    return re.sub(r"\d", "9", text)


def test_the_data_version_shown_has_the_code_format(demo_stores):
    with open_store(demo_stores[ST_ID], read_only=True) as con:
        actual = data_version(con)
    shown = set(re.findall(r"`(Phiên bản dữ liệu \d+[^`]*)`", README))
    assert shown, "the README shows no data version"
    assert {_shape(s) for s in shown} == {_shape(actual)}, (shown, actual)
