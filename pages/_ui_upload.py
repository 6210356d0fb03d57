"""Streamlit helpers for the upload on the page Dữ liệu: save the uploaded files, check
them (validation + an exact preview of what would change), import them all-or-nothing,
and show every problem. No SQL, no arithmetic: the work is done in ``analytics``.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st

from analytics import labels
from analytics.access import Actor
from analytics.errors import InputRejected, Problem, ThiduaError
from analytics.ingest.importer import ImportResult, Step, run_import
from analytics.ingest.legacy_text import Conversion
from analytics.ingest.upsert import TableCounts
from analytics.plans.models import Plan
from analytics.views import import_log

# --- upload: save, check (validate + exact preview), import ----------------------------------
UPLOAD_PREFIX = "thidua-upload-"


class UploadError(ValueError):
    """The uploaded files cannot form a dataset (message in Vietnamese)."""


def save_uploads(files: list[Any]) -> Path:
    """Save uploaded files under their own names in a new temp folder.

    Returns the folder (CSV files) or the workbook's path (one .xlsx).
    """
    names = [Path(f.name).name for f in files]
    books = [n for n in names if n.lower().endswith((".xlsx", ".xlsm"))]
    if books and len(files) > 1:
        raise UploadError("Chỉ tải lên một tệp Excel (.xlsx), hoặc nhiều tệp CSV — không trộn lẫn.")
    if len(set(names)) != len(names):
        raise UploadError("Có hai tệp trùng tên; mỗi bảng chỉ một tệp.")
    folder = Path(tempfile.mkdtemp(prefix=UPLOAD_PREFIX))
    for name, f in zip(names, files, strict=True):
        (folder / name).write_bytes(f.getvalue())
    return folder / books[0] if books else folder


def discard_upload(path: str | Path | None) -> None:
    """Delete an upload's temp folder (only folders ``save_uploads`` made)."""
    if not path:
        return
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    if folder.name.startswith(UPLOAD_PREFIX) and Path(tempfile.gettempdir()) in folder.parents:
        shutil.rmtree(folder, ignore_errors=True)


def sweep_stale_uploads(keep: str | None = None, max_age_s: float = 3600.0) -> int:
    """Delete upload folders older than ``max_age_s`` that a session left behind (a visitor
    who closed the page between the check and the import); returns how many."""
    removed = 0
    cutoff = time.time() - max_age_s
    mine = Path(keep) if keep else None
    if mine is not None and not mine.is_dir():
        mine = mine.parent
    for folder in Path(tempfile.gettempdir()).glob(UPLOAD_PREFIX + "*"):
        try:
            if folder != mine and folder.is_dir() and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        except OSError:
            continue  # gone meanwhile, or not ours to read
    return removed


def uploader_key() -> str:
    """The file uploader's key; a new key (``reset_uploader``) empties the widget."""
    return f"upload_files_{st.session_state.get('upload_round', 0)}"


def reset_uploader() -> None:
    """Forget the uploaded files (after an import, so they are not offered again)."""
    st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1


@dataclass
class UploadCheck:
    """What the Dữ liệu page shows about an upload before importing it."""

    plan_id: str
    problems: list[Problem] = field(default_factory=list)
    total: int = 0
    counts: dict[str, TableCounts] = field(default_factory=dict)
    error: str | None = None
    conversions: tuple[Conversion, ...] = ()  # files read converted from TCVN3/VNI

    @property
    def ok(self) -> bool:
        return self.error is None and not self.total


def check_upload(path: Path | str, db_path: Path | str, plan: Plan) -> UploadCheck:
    """Validate a dataset (folder of CSV files or one .xlsx) and preview the import exactly.

    Checked beside the store (attached read-only): nothing is written and nobody waits.
    Every problem is kept (up to the importer's limit) with the total.
    """
    try:
        result = run_import(Path(path), db_path, plan_ref=plan.id, dry_run=True)
        return UploadCheck(result.plan_id, counts=result.counts, conversions=result.conversions)
    except InputRejected as exc:
        return UploadCheck(plan.id, problems=list(exc.problems), total=exc.total)
    except ThiduaError as exc:
        if exc.exit_code != 2:
            raise
        return UploadCheck(plan.id, error=str(exc))


def import_upload(
    path: Path | str,
    db_path: Path | str,
    plan: Plan,
    source: str,
    actor: Actor,
    on_step: Callable[[float, str], None] = lambda share, text: None,
) -> ImportResult:
    """Import (all-or-nothing) as ``actor``, binding a new store to ``plan``; reports its
    three steps."""

    def step(name: Step) -> None:
        on_step(*labels.IMPORT_STEPS[name])

    return run_import(
        Path(path), db_path, plan_ref=plan.id, source=source, on_step=step, actor=actor
    )


def render_conversions(check: UploadCheck) -> None:
    """Which files were in a legacy Vietnamese encoding, converted, with a preview."""
    if not check.conversions:
        return
    st.info(
        "🔤 Một số tệp dùng bảng mã tiếng Việt cũ (TCVN3/VNI) và đã được chuyển sang Unicode "
        "khi đọc (tệp gốc không bị thay đổi). Kiểm tra các ví dụ dưới đây trước khi nhập:"
    )
    st.dataframe(import_log.conversions_frame(check.conversions), hide_index=True, width="stretch")


def render_problems(check: UploadCheck) -> None:
    """The error table: every problem found, and how many more were not listed."""
    st.error(
        f"❌ Dữ liệu có {check.total} lỗi — chưa ghi gì vào kho. Sửa các lỗi dưới đây rồi tải lại."
    )
    st.dataframe(import_log.problems_frame(check.problems), hide_index=True, width="stretch")
    more = import_log.more_problems_text(check.total, len(check.problems))
    if more:
        st.caption(more)
