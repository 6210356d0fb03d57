"""Streamlit helpers for the upload on the page Dữ liệu: save the uploaded files, check
them (validation + an exact preview of what would change), import them all-or-nothing,
and show every problem. No SQL, no arithmetic: the work is done in ``analytics``.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from analytics import db, importing, quality
from analytics.plans import Plan, PlanError
from analytics.sources import InputRejected, Problem

# --- upload: save, check (validate + exact preview), import ----------------------------------
UPLOAD_PREFIX = "thidua-upload-"


class UploadError(ValueError):
    """The uploaded files cannot form a dataset (message in Vietnamese)."""


def save_uploads(files) -> Path:
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
    counts: dict[str, importing.TableCounts] = field(default_factory=dict)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and not self.total


def _plan_for_import(con, plan: Plan) -> Plan:
    """The store's plan (an unbound store will be bound to the selected one on import)."""
    bound = db.bound_plan_id(con)
    if bound is None:
        return plan
    if bound != plan.id:
        raise PlanError(
            f"Kho dữ liệu này theo kế hoạch {bound}; chọn kế hoạch đó ở thanh bên để nhập dữ liệu."
        )
    return db.store_plan(con).plan


def check_upload(path: Path | str, db_path: Path | str, plan: Plan) -> UploadCheck:
    """Validate a dataset (folder of CSV files or one .xlsx) and preview the import exactly.

    Every problem is kept (up to the importer's limit) with the total; the preview's
    counts are computed in a transaction that is rolled back.
    """
    try:
        with db.open_store(db_path) as con:
            plan = _plan_for_import(con, plan)
            result = importing.preview_import(con, Path(path), plan)
        return UploadCheck(plan.id, counts=result.counts)
    except InputRejected as exc:
        return UploadCheck(plan.id, problems=list(exc.problems), total=exc.total)
    except PlanError as exc:
        return UploadCheck(plan.id, error=str(exc))


# The import's steps as shown by the progress bar: (share of the bar when the step starts, text).
IMPORT_STEPS = {
    "read": (0.1, "Bước 1/3: đọc tệp"),
    "check": (0.4, "Bước 2/3: kiểm tra"),
    "write": (0.7, "Bước 3/3: ghi vào kho dữ liệu"),
}


def run_import(
    path: Path | str,
    db_path: Path | str,
    plan: Plan,
    source: str,
    on_step: Callable[[float, str], None] = lambda share, text: None,
) -> importing.ImportResult:
    """Import (all-or-nothing), binding a new store to ``plan``; reports its three steps."""
    on_step(*IMPORT_STEPS["read"])
    with db.open_store(db_path) as con:
        plan = _plan_for_import(con, plan)
        on_step(*IMPORT_STEPS["check"])
        importing.validate_dataset(con, Path(path), plan)
        on_step(*IMPORT_STEPS["write"])
        if db.bound_plan_id(con) is None:
            db.bind_plan(con, plan.id)
        return importing.import_dataset(con, Path(path), plan, source=source)


def render_problems(check: UploadCheck) -> None:
    """The error table: every problem found, and how many more were not listed."""
    st.error(
        f"❌ Dữ liệu có {check.total} lỗi — chưa ghi gì vào kho. Sửa các lỗi dưới đây rồi tải lại."
    )
    st.dataframe(quality.problems_frame(check.problems), hide_index=True, width="stretch")
    more = quality.more_problems_text(check.total, len(check.problems))
    if more:
        st.caption(more)
