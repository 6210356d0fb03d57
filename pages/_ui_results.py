"""Streamlit section of the page Dữ liệu: import the PAR Index results table as the
province publishes it. Upload + year in; the column mapping read, the name matches, the
problems and the exact preview shown; a button imports (admins only). The reading,
matching and writing are ``analytics.ingest.results_annex``; the tables ``analytics.views``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from analytics import fmt
from analytics.errors import InputRejected, Problem, StoreBusy, ThiduaError
from analytics.ingest.results_annex import ResultsImport, prepare_results, write_results
from analytics.views import annex_preview, coverage, import_log
from pages import _ui
from pages import _ui_upload as up

PATH_KEY = "results_path"  # the saved upload (a temp folder of _ui_upload)
NAME_KEY = "results_name"
SIG_KEY = "results_sig"
DONE_KEY = "results_done"
ROUND_KEY = "results_round"
CHECK_KEY = "results_check"  # (what was checked, the annex read, the dry run)
TITLE = "Nhập bảng kết quả công bố"


def _forget() -> None:
    up.discard_upload(st.session_state.get(PATH_KEY))
    for key in (PATH_KEY, NAME_KEY, SIG_KEY, CHECK_KEY):
        st.session_state.pop(key, None)


def _problems(problems: list[Problem], total: int | None = None) -> None:
    n = total if total is not None else len(problems)
    st.error(f"❌ Bảng kết quả có {n} lỗi — chưa ghi gì vào kho. Sửa tệp rồi tải lại.")
    st.dataframe(import_log.problems_frame(problems), hide_index=True, width="stretch")
    more = import_log.more_problems_text(n, len(problems))
    if more:
        st.caption(more)


def _show_reading(prepared: ResultsImport) -> None:
    st.markdown("**Cách đọc các cột** (kiểm tra trước khi nhập):")
    st.dataframe(annex_preview.mapping_frame(prepared), hide_index=True, width="stretch")
    if prepared.lines:
        st.markdown("**Tên đơn vị trong tệp → đơn vị trong kho:**")
        st.dataframe(annex_preview.matches_frame(prepared), hide_index=True, width="stretch")
    if prepared.annex.skipped:
        with st.expander(f"Dòng bỏ qua ({len(prepared.annex.skipped)})"):
            st.dataframe(annex_preview.skipped_frame(prepared), hide_index=True, width="stretch")


def _upload(ctx: _ui.Context) -> None:
    """Save a newly chosen file (the session keeps its path across reruns)."""
    file = st.file_uploader(
        "Chọn tệp Excel bảng kết quả đã công bố (.xlsx)",
        type=["xlsx"],
        key=f"results_file_{st.session_state.get(ROUND_KEY, 0)}",
        on_change=_forget,
        help="Phụ lục của quyết định công bố Chỉ số CCHC: dòng tiêu đề, tên đơn vị, điểm, "
        "tỷ lệ; có thể mỗi khối một trang tính.",
    )
    if file is None:
        return
    signature = (file.name, file.size, file.file_id)
    if st.session_state.get(SIG_KEY) != signature:
        try:
            _forget()
            st.session_state[PATH_KEY] = str(up.save_uploads([file]))
            st.session_state[NAME_KEY] = file.name
            st.session_state[SIG_KEY] = signature
        except up.UploadError as exc:
            _forget()
            st.error(f"❌ {fmt.md(exc)}")


def section(ctx: _ui.Context) -> None:
    """The whole section (drawn inside the page's tab)."""
    plan = ctx.plan
    st.markdown(
        "Tải lên **bảng kết quả Chỉ số CCHC như tỉnh công bố** (phụ lục quyết định: có dòng "
        "tiêu đề, tên đơn vị thay cho mã, dấu phẩy thập phân, mỗi khối một trang tính). Hệ "
        "thống tìm dòng tiêu đề, đọc các cột, khớp tên đơn vị với kho; tên nào không khớp "
        "hoặc khớp nhiều đơn vị thì không ghi gì."
    )
    if not ctx.may("import_data"):
        st.info(f"🔒 Chỉ quản trị viên được nhập dữ liệu (bạn: {ctx.role_label}).")
        return
    if not _ui.has_store(ctx):
        _ui.empty_state(
            "Chưa có kho dữ liệu: chưa có đơn vị nào để khớp tên.",
            "Nhập danh sách đơn vị ở tab **⬆️ Nhập dữ liệu** trước.",
        )
        return
    done = st.session_state.pop(DONE_KEY, None)
    if done:
        st.success(f"✅ {done}")
    _upload(ctx)
    years = coverage.plan_years(plan)
    end = plan.effective_end(ctx.review) or ctx.review.window_end
    year = st.selectbox(
        "Năm đánh giá của bảng kết quả",
        years,
        index=years.index(end) if end in years else 0,
        key=f"results_year_{plan.id}",
    )
    path = st.session_state.get(PATH_KEY)
    if not path:
        return
    if not Path(path).exists():
        _forget()
        st.warning("Tệp đã tải lên không còn trên máy chủ; hãy tải lại.")
        return
    name = st.session_state.get(NAME_KEY) or Path(path).name
    checked = (path, ctx.store, plan.id, year)
    cached = st.session_state.get(CHECK_KEY)
    if cached and cached[0] == checked:
        prepared, preview = cached[1], cached[2]
    else:
        try:
            with st.spinner("Đang đọc bảng kết quả…"):
                prepared = _ui.guarded(prepare_results, path, ctx.db_path, year, name)
                preview = None
                if not prepared.problems:
                    preview = _ui.guarded(
                        write_results, prepared, ctx.db_path, plan_ref=plan.id, dry_run=True
                    ).result
        except InputRejected as exc:
            _problems(exc.problems, exc.total)
            return
        except ThiduaError as exc:
            st.error(f"❌ {fmt.md(exc)}")
            return
        st.session_state[CHECK_KEY] = (checked, prepared, preview)
    _show_reading(prepared)
    if prepared.problems or preview is None:
        _problems(prepared.problems)
        return
    st.success(
        f"✅ {len(prepared.lines)} đơn vị đã khớp. Xem trước những gì sẽ thay đổi trong kho:"
    )
    st.dataframe(import_log.preview_frame(preview.counts), hide_index=True, width="stretch")
    if not import_log.has_changes(preview.counts):
        st.info("ℹ️ Các kết quả này đã có sẵn trong kho: nhập lại sẽ không thay đổi gì.")
    if not st.button("📥 Nhập bảng kết quả", type="primary", key="do_import_results"):
        return
    try:
        done_import = write_results(prepared, ctx.db_path, actor=ctx.actor, plan_ref=plan.id)
    except StoreBusy:
        st.warning(f"⏳ {_ui.BUSY_MESSAGE}.")
        return
    except InputRejected as exc:
        _problems(exc.problems, exc.total)
        return
    except ThiduaError as exc:
        st.error(f"❌ {fmt.md(exc)}")
        return
    result = done_import.result
    assert result is not None
    _forget()
    st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1
    st.session_state[DONE_KEY] = (
        f"Đã nhập kết quả năm {year} của {len(prepared.lines)} đơn vị (lần nhập số "
        f"{result.import_id}). "
        + ("Kho dữ liệu đã được cập nhật." if result.is_change else "Không có thay đổi.")
    )
    st.rerun()
