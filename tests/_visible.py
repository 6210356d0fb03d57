"""What a person sees, and what must never be in it (issue "Fileable outputs", done-when 1):
the text of a page under AppTest, of a workbook and of a Word document, and the offenders —
any contract code (every enumerated code of the plan and of the labels, every unit and
person id, case-sensitive, as whole words), "seed", "rules.md", an ISO date or a file path.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd
from docx import Document
from google.protobuf.json_format import MessageToDict
from openpyxl import load_workbook

from analytics import labels
from analytics.plans.models import Plan
from analytics.store.connection import open_store

# Words that are both a code and ordinary Vietnamese (or a number a person reads as one).
NOT_CODES = frozenset({"nam"})  # "nam" is a gender code and a Vietnamese word ("Nam Bộ")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
FILE_PATH = re.compile(
    r"(?:^|[\s(\"'])(?:/[\w.-]+){2,}|\b[\w-]+\.(?:duckdb|toml|py|parquet)\b|[A-Za-z]:\\\w"
)
WORDS = re.compile(r"\bseed\b|rules\.md", re.IGNORECASE)
# Proto fields that carry what the element shows (labels, bodies, options, tooltips).
SHOWN_FIELDS = frozenset(
    {
        "body",
        "label",
        "options",
        "placeholder",
        "help",
        "caption",
        "text",
        "value",
        "delta",
        "default",
        "title",
    }
)


def plan_codes(plan: Plan) -> set[str]:
    """Every enumerated code of ``plan`` and of the shared vocabularies."""
    codes = {plan.id}
    codes |= {b.code for b in plan.blocks}
    codes |= {a.id for a in plan.awards}
    codes |= {c.id for a in plan.awards for c in a.categories}
    codes |= {c.code for group in (plan.forms, plan.titles, plan.unit_components) for c in group}
    codes |= {c.key for crits in plan.criteria_sets.values() for c in crits}
    codes |= {c.kind for crits in plan.criteria_sets.values() for c in crits}
    codes |= set(plan.criteria_sets)
    codes |= {r.id for r in plan.reviews if not r.id.isdigit()}
    for table in (
        labels.STATUSES,
        labels.DISCIPLINE,
        labels.CRITERIA,
        labels.LINK_KINDS,
        labels.GENDERS,
        labels.SUBJECT_KINDS,
        labels.REVIEW_KINDS,
        labels.JUDGMENTS,
        labels.RANKING_KEYS,
        labels.HISTORY,
    ):
        codes |= {str(k) for k in table if k}
    return {c for c in codes if c and not c.isdigit()} - NOT_CODES


def store_ids(path: Path) -> set[str]:
    """Every unit and person id of the store."""
    with open_store(path, read_only=True) as con:
        units = {r[0] for r in con.execute("SELECT unit_id FROM units").fetchall()}
        people = {r[0] for r in con.execute("SELECT person_id FROM people").fetchall()}
    return units | people


class Offences:
    """Finds the forbidden words in texts: the codes (whole words, case-sensitive)."""

    def __init__(self, codes: Iterable[str]) -> None:
        ordered = sorted(set(codes), key=len, reverse=True)
        alternatives = "|".join(re.escape(c) for c in ordered)
        self.codes = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")

    def in_text(self, text: str) -> list[str]:
        found = [m.group(0) for m in self.codes.finditer(text)]
        found += [m.group(0) for m in ISO_DATE.finditer(text)]
        found += [m.group(0).strip() for m in FILE_PATH.finditer(text)]
        found += [m.group(0) for m in WORDS.finditer(text)]
        return found

    def in_texts(self, texts: Iterable[str]) -> list[tuple[str, str]]:
        """(offending word, the text it is in) for every offence."""
        return [(word, text[:200]) for text in texts for word in self.in_text(text)]


# --- pages --------------------------------------------------------------------------------------


def _strings(value: object, key: str | None = None) -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)
    elif isinstance(value, str) and key in SHOWN_FIELDS:
        yield value


def _chart_strings(spec: str) -> Iterator[str]:
    """The texts a plotly chart shows: titles, trace names, texts, tick texts, annotations."""
    fig = json.loads(spec)

    def walk(value: object, key: str | None = None) -> Iterator[str]:
        if isinstance(value, dict):
            for k, v in value.items():
                yield from walk(v, k)
        elif isinstance(value, list):
            for v in value:
                yield from walk(v, key)
        elif isinstance(value, str) and key in ("text", "name", "ticktext", "title"):
            yield value

    yield from walk(fig.get("data", []))
    yield from walk(fig.get("layout", {}))


def _frame_strings(frame: pd.DataFrame) -> Iterator[str]:
    yield from (str(c) for c in frame.columns)
    if not isinstance(frame.index, pd.RangeIndex):
        yield from (str(v) for v in frame.index)
    for column in frame.columns:
        for v in frame[column].tolist():
            if isinstance(v, str):
                yield v


def page_texts(at: object, *, tagged: bool = False) -> list[str]:
    """Every text an AppTest run shows: elements' bodies, labels, options, tooltips,
    metric values, table headers and cells, chart titles and labels (``tagged``: each text
    prefixed with its element's kind and key, to find where an offence is)."""
    out: list[str] = []
    for node, text in _node_texts(at):
        out.append(f"[{node.type} {getattr(node, 'key', None)}] {text}" if tagged else text)
    return out


def _node_texts(at: object) -> Iterator[tuple[object, str]]:
    for node in at._tree:  # noqa: SLF001 - AppTest exposes no public walk of every node
        kind = getattr(node, "type", "")
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        if kind in ("dataframe", "table"):
            value = getattr(node, "value", None)
            if isinstance(value, pd.DataFrame):
                config = json.loads(getattr(proto, "columns", "") or "{}")
                hidden = [c for c, spec in config.items() if (spec or {}).get("hidden")]
                shown = value.drop(columns=[c for c in hidden if c in value.columns])
                shown = shown.rename(
                    columns={c: spec["label"] for c, spec in config.items() if spec.get("label")}
                )
                yield from ((node, t) for t in _frame_strings(shown))
            continue
        if kind == "plotly_chart":
            yield from ((node, t) for t in _chart_strings(proto.spec))
            continue
        if kind == "html":  # st.html: its text, not its style sheet
            body = re.sub(r"<style>.*?</style>", "", proto.body, flags=re.S)
            yield from ((node, t) for t in [re.sub(r"<[^>]+>", " ", body)] if t.strip())
            continue
        fields = MessageToDict(proto, preserving_proto_field_name=True)
        yield from ((node, t) for t in _strings(fields))


# --- files ---------------------------------------------------------------------------------------


def workbook_texts(data: bytes) -> list[str]:
    """Every cell (as text), every sheet name and every data-validation prompt of a workbook."""
    wb = load_workbook(io.BytesIO(data))
    out: list[str] = []
    for ws in wb.worksheets:
        out.append(ws.title)
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                if hasattr(cell.value, "isoformat"):
                    continue  # an Excel date shows as the cell's number format, not ISO text
                out.append(str(cell.value))
    return out


def docx_texts(data: bytes) -> list[str]:
    """Every paragraph, table cell, header and footer of a Word document."""
    doc = Document(io.BytesIO(data))
    out = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            out += [c.text for c in row.cells]
    for section in doc.sections:
        for part in (section.header, section.footer):
            out += [p.text for p in part.paragraphs]
            for table in part.tables:
                for row in table.rows:
                    out += [c.text for c in row.cells]
    return [t for t in out if t]


def download_of(button: object, captured: dict[str, tuple]) -> tuple[bytes, str]:
    """(bytes, file name) of an AppTest download button, from the ``downloads`` fixture's
    captures: a deferred button's callable is run, as Streamlit does on the click."""
    proto = button.proto  # type: ignore[attr-defined]
    if proto.deferred_file_id:
        make, name = captured[proto.deferred_file_id]
        return make(), name
    file_id = proto.url.rsplit("/", 1)[-1].split(".")[0]
    data, name = captured[file_id]
    return data, name
