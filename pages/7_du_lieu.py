"""Dữ liệu: upload a dataset (CSV files or one Excel workbook), see every error or exactly
what would change, import it all-or-nothing; download the template; the import log and
the data-quality warnings. Widgets in -> analytics -> drawing."""

import streamlit as st

from analytics import fmt
from analytics.errors import InputRejected, StoreBusy, ThiduaError
from analytics.store.backup import backup_bytes
from analytics.views import import_log, quality
from pages import _ui
from pages import _ui_awards as ua
from pages import _ui_results as ur
from pages import _ui_upload as up

ctx = _ui.context()
plan = ctx.plan
st.title("📥 Dữ liệu")
st.caption(
    f"Kế hoạch **{plan.title}** ({plan.first_year}–{plan.last_year}). Nhập là tất cả hoặc không: "
    "một dòng lỗi thì không ghi gì; nhập lại cùng dữ liệu không thay đổi gì."
)

tab_import, tab_results, tab_template, tab_log, tab_quality, tab_backup = st.tabs(
    [
        "⬆️ Nhập dữ liệu",
        f"🏛️ {ur.TITLE}",
        "📄 Mẫu nhập liệu",
        "🗂️ Nhật ký nhập",
        "🔎 Chất lượng dữ liệu",
        "💾 Sao lưu",
    ]
)

UPLOAD_KEY = "upload_path"
CHECK_KEY = "upload_check"
DONE_KEY = "upload_done"
up.sweep_stale_uploads(keep=st.session_state.get(UPLOAD_KEY))


def _forget_upload() -> None:
    up.discard_upload(st.session_state.get(UPLOAD_KEY))
    for key in (UPLOAD_KEY, CHECK_KEY, "upload_sig"):
        st.session_state.pop(key, None)


with tab_import:
    if not ctx.may("import_data"):
        st.info(
            f"🔒 Chỉ quản trị viên được nhập dữ liệu (bạn: {ctx.role_label}). Xem nhật ký nhập "
            "và chất lượng dữ liệu ở các tab bên cạnh."
        )
    done = st.session_state.pop(DONE_KEY, None)
    if done:
        st.success(f"✅ {done}")
    files = (
        None
        if not ctx.may("import_data")
        else st.file_uploader(
            "Chọn các tệp CSV (units.csv, unit_scores.csv, …) hoặc một tệp Excel (.xlsx)",
            type=["csv", "xlsx"],
            accept_multiple_files=True,
            key=up.uploader_key(),
            on_change=_forget_upload,
            help="Tên tệp CSV (hoặc tên trang tính) là tên bảng trong mẫu nhập liệu.",
        )
    )
    if files:
        signature = tuple((f.name, f.size, f.file_id) for f in files)
        if st.session_state.get("upload_sig") != signature:
            try:
                up.discard_upload(st.session_state.get(UPLOAD_KEY))
                st.session_state[UPLOAD_KEY] = str(up.save_uploads(files))
                st.session_state["upload_sig"] = signature
                st.session_state.pop(CHECK_KEY, None)
            except up.UploadError as exc:
                _forget_upload()
                st.error(f"❌ {fmt.md(exc)}")
    upload = st.session_state.get(UPLOAD_KEY) if ctx.may("import_data") else None
    if not upload and ctx.may("import_data"):
        st.info(
            "Tải lên các tệp dữ liệu theo mẫu (tab **📄 Mẫu nhập liệu**). Hệ thống kiểm tra từng "
            "ô, cho xem trước số dòng thêm mới / cập nhật / không đổi, rồi mới ghi khi bạn bấm "
            "**Nhập dữ liệu**."
        )
    elif upload:
        check_key = (upload, ctx.store, plan.id)
        cached = st.session_state.get(CHECK_KEY)
        if not cached or cached[0] != check_key:
            with st.spinner("Đang kiểm tra dữ liệu…"):
                check = _ui.guarded(up.check_upload, upload, ctx.db_path, plan)
            st.session_state[CHECK_KEY] = (check_key, check)
        else:
            check = cached[1]
        if check.error:
            st.error(f"❌ {fmt.md(check.error)}")
        elif not check.ok:
            up.render_problems(check)
        else:
            up.render_conversions(check)
            st.success("✅ Dữ liệu hợp lệ. Xem trước những gì sẽ thay đổi trong kho:")
            st.dataframe(import_log.preview_frame(check.counts), hide_index=True, width="stretch")
            if not import_log.has_changes(check.counts):
                st.info("ℹ️ Dữ liệu này đã có sẵn trong kho: nhập lại sẽ không thay đổi gì.")
            if st.button("📥 Nhập dữ liệu", type="primary", key="do_import"):
                names = ", ".join(f.name for f in files) if files else upload
                with st.status("Đang nhập dữ liệu…", expanded=True) as status:
                    bar = st.progress(0, text="Bắt đầu")

                    def _step(share: float, text: str) -> None:
                        bar.progress(share, text=text)
                        st.write(f"{text}…")

                    try:
                        result = up.import_upload(
                            upload,
                            ctx.db_path,
                            plan,
                            source=f"tải lên: {names}",
                            actor=ctx.actor,
                            on_step=_step,
                        )
                    except StoreBusy:
                        status.update(label=_ui.BUSY_MESSAGE, state="error")
                        st.stop()
                    except InputRejected as exc:
                        status.update(
                            label=f"Dữ liệu có {exc.total} lỗi — chưa ghi gì", state="error"
                        )
                        st.stop()
                    except ThiduaError as exc:
                        status.update(label=fmt.md(exc), state="error")
                        st.stop()
                    bar.progress(1.0, text="Xong")
                    status.update(label="Đã nhập dữ liệu", state="complete")
                _forget_upload()
                up.reset_uploader()
                st.session_state[DONE_KEY] = (
                    f"Đã nhập dữ liệu (lần nhập số {result.import_id}). "
                    + (
                        "Kho dữ liệu đã được cập nhật."
                        if result.is_change
                        else "Không có thay đổi."
                    )
                )
                st.rerun()

with tab_results:
    ur.section(ctx)

with tab_template:
    st.markdown(
        "Mẫu Excel có một trang tính cho mỗi bảng (tên trang và tiêu đề cột tiếng Việt), danh "
        "sách chọn cho khối, đợt xét, kỷ luật, Có / Không, mã đơn vị…, trang **Hướng dẫn** giải "
        "thích từng cột và quy tắc nhập (ngày dd/mm/yyyy; tỷ lệ %; dấu thập phân; ô trống = chưa "
        "có số liệu). **Mẫu nhập liệu** để trống (các đơn vị đã có trong kho dữ liệu được điền "
        "sẵn); **mẫu có ví dụ** có vài dòng lấy từ dữ liệu minh họa của kế hoạch."
    )
    xlsx_mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    col_empty, col_examples = st.columns(2)
    col_empty.download_button(
        "⬇️ Tải mẫu nhập liệu (.xlsx)",
        data=_ui.guarded(ua.template_bytes, plan.id, ctx.store),
        file_name=f"mau-nhap-lieu-{plan.id}.xlsx",
        mime=xlsx_mime,
        key="template_download",
    )
    col_examples.download_button(
        "⬇️ Tải mẫu có ví dụ (.xlsx)",
        data=ua.template_bytes(plan.id, None, True),
        file_name=f"mau-co-vi-du-{plan.id}.xlsx",
        mime=xlsx_mime,
        key="template_examples_download",
    )

if not _ui.has_store(ctx):
    for tab in (tab_log, tab_quality, tab_backup):
        with tab:
            _ui.empty_state(ua.NO_STORE, "Nhập dữ liệu ở tab **⬆️ Nhập dữ liệu**.")
    st.stop()

with tab_log:
    log = _ui.guarded(ua.import_log_frame, ctx.store)
    if log.empty:
        _ui.empty_state("Chưa có lần nhập dữ liệu nào.", "Nhập dữ liệu ở tab **⬆️ Nhập dữ liệu**.")
    else:
        st.dataframe(log, hide_index=True, width="stretch", column_config=ua.LOG_COLUMNS)

with tab_backup:
    if not ctx.may("restore_backup"):
        st.info(f"🔒 Sao lưu kho dữ liệu dành cho quản trị viên (bạn: {ctx.role_label}).")
    else:
        st.markdown(
            "Bản sao lưu là một bản sao nhất quán của toàn bộ kho (dữ liệu, tài khoản, nhật ký), "
            "lấy được khi ứng dụng đang chạy. Khôi phục trên máy chủ bằng lệnh "
            "`python -m analytics restore TỆP --db KHO` (README, mục Workspace)."
        )
        st.download_button(
            "💾 Tải bản sao lưu (.duckdb)",
            data=ua.deferred(backup_bytes, ctx.db_path),
            file_name=f"sao-luu-{ctx.db_path.stem}.duckdb",
            mime="application/octet-stream",
            key="backup_download",
        )

with tab_quality:
    bound = _ui.guarded(ua.bound_plan, ctx.store)
    if bound is not None and bound != plan.id:
        st.warning(f"Kho dữ liệu này theo kế hoạch {bound}; chọn kế hoạch đó ở thanh bên.")
    warnings_df = _ui.guarded(ua.quality_frame, ctx.store, plan.id)
    if warnings_df.empty:
        st.success("✅ Không có cảnh báo nào về chất lượng dữ liệu.")
    else:
        counts = quality.warning_counts(warnings_df)
        st.markdown(" · ".join(f"**{quality.KINDS[k]}**: {n}" for k, n in counts.items() if n))
        st.caption(
            "Cảnh báo không làm thay đổi kết quả xét: chúng chỉ ra số liệu nên kiểm tra lại "
            "(năm thiếu làm chỉ số trung bình chưa xác định; dòng ngoài thời gian hoạt động được "
            "giữ nhưng không dùng; giá trị bất thường có thể do nhập nhầm)."
        )
        st.dataframe(
            quality.warnings_display(warnings_df),
            hide_index=True,
            width="stretch",
            column_config=ua.QUALITY_COLUMNS,
        )
