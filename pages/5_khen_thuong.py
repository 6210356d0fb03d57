"""Khen thưởng: the candidates of the selected review, award by award and category by
category, with each candidate's status, reasons and criteria; the dossier deadline; and
the shortlist as CSV / Excel and the proposal list as Word.
Widgets in -> analytics -> drawing."""

import streamlit as st

from analytics import clock, fmt, labels
from analytics.plans.models import group_by_award
from analytics.views import awards
from pages import _ui
from pages import _ui_awards as ua

ctx = _ui.context()
review = ctx.review
st.title(f"🏅 Khen thưởng — {review.label}")
st.caption(
    "Danh sách đề nghị khen thưởng do hệ thống tính theo tiêu chuẩn của kế hoạch. "
    "Ban Chỉ đạo xem xét, quyết định; mỗi ứng viên có lý do và căn cứ số liệu."
)

if not _ui.has_store(ctx):
    _ui.empty_state(ua.NO_STORE, ua.NO_STORE_HINT)
    st.stop()
ua.stop_if_other_plan(ctx)
if not review.held:
    st.info(f"ℹ️ Đợt xét này không được tổ chức: {review.reason}.")
    st.caption(
        "Danh sách không được lập. Trang 🧪 Mô phỏng vẫn có thể tính đợt xét này để tham khảo."
    )
    st.page_link("pages/6_mo_phong.py", label="Mở trang Mô phỏng", icon="🧪")
    st.stop()
end_year = ctx.plan.effective_end(review)

frame = _ui.guarded(ua.review_frame, ctx.store, ctx.plan.id, ctx.review_id, ctx.hides_personal)
due = _ui.guarded(ua.deadline, ctx.store, ctx.plan.id, ctx.review_id, clock.today())

# --- dossier deadline -------------------------------------------------------------------------
c1, c2, c3 = st.columns(3)
c1.metric(
    "📅 Hạn nộp hồ sơ đề nghị",
    fmt.date(due.due) if due.is_known else "Chưa xác định",
    help=due.source or None,
    border=True,
)
days_label, days_value = due.days_metric()
c2.metric(f"⏱️ {days_label}", days_value, border=True)
c3.metric(f"📰 Công bố Chỉ số {end_year}", fmt.date(due.publication), border=True)
if due.is_overdue:
    st.warning(f"⚠️ Hạn nộp hồ sơ {fmt.date(due.due)} {due.days_text()}. {due.basis}")
elif not due.is_known:
    st.info(f"ℹ️ {due.basis}")
else:
    st.caption(f"Căn cứ: {due.basis}.")

if frame.empty:
    _ui.empty_state(
        "Đợt xét này chưa có ứng viên.",
        f"Ứng viên là các đơn vị hoạt động trong năm {end_year} và các cá nhân được đề cử "
        f"cho đợt xét. Vào trang **📥 Dữ liệu** để nhập danh sách đơn vị, điểm Chỉ số và đánh giá "
        f"của Ban Chỉ đạo cho đợt xét {review.id}.",
    )
    st.stop()

# --- highlight (sơ kết / tổng kết) ------------------------------------------------------------
headline, cards, totals = ua.review_highlights(
    ctx.store, ctx.plan.id, ctx.review_id, ctx.hides_personal
)
if headline:
    st.success(f"⭐ {headline}")
    with st.container(horizontal=True, wrap=True):
        for card in cards:
            with st.container(border=True, width=300):
                st.markdown(f"**{card.title}**")
                for line in card.lines:
                    st.markdown(f"- {line}")

# --- totals and downloads ---------------------------------------------------------------------
for col, (status, n) in zip(st.columns(len(totals)), totals.items(), strict=True):
    col.metric(labels.status_short(status), fmt.num(n, 0), border=True)

stem = ua.file_stem(ctx)
downloads = st.container(horizontal=True)
downloads.download_button(
    "⬇️ Tải danh sách (CSV)",
    data=ua.deferred(ua.shortlist_csv, ctx),
    file_name=f"danh-sach-{stem}.csv",
    mime="text/csv",
    help="CSV UTF-8 theo mẫu dữ liệu, kèm kế hoạch, đợt xét, phiên bản dữ liệu và thời điểm xuất.",
)
downloads.download_button(
    "⬇️ Tải danh sách (Excel)",
    data=ua.deferred(ua.shortlist_xlsx, ctx),
    file_name=f"danh-sach-{stem}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    help="Bản để đọc, in và lưu hồ sơ: tên hình thức, nhóm xét, kết quả bằng chữ, không có mã.",
)
downloads.download_button(
    "⬇️ Danh sách đề nghị (Word)",
    data=ua.deferred(ua.shortlist_docx, ctx),
    file_name=f"danh-sach-de-nghi-{stem}.docx",
    mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    help="Danh sách tập thể, cá nhân đề nghị khen thưởng để kèm hồ sơ (chỉ những trường hợp "
    "được đề nghị), có chỗ ký.",
)
downloads.download_button(
    "⬇️ Tải biên bản họp xét (Word)",
    data=ua.deferred(ua.minutes_docx, ctx),
    file_name=f"bien-ban-hop-xet-{stem}.docx",
    mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    help="Khung biên bản họp xét khen thưởng của Hội đồng: thành phần, nội dung, danh sách đề "
    "nghị kèm số phiếu đã ghi nhận, kết quả biểu quyết và chỗ ký; ngày, giờ, địa điểm để trống.",
)
st.caption(
    "Tệp CSV là dữ liệu cho các phần mềm khác (giữ nguyên mã theo mẫu dữ liệu); bản để đọc, in "
    "và lưu hồ sơ là tệp Excel và các tệp Word."
)

# --- recipients and deferrals (rules.md §6, §11) ---------------------------------------------
no_recipient = awards.recipient_warnings(frame)
if not no_recipient.empty:
    st.warning(
        f"⚠️ {fmt.num(len(no_recipient), 0)} đơn vị không có hoặc chưa xác định được đơn vị nhận "
        "khen thưởng vào ngày quyết định."
    )
    st.dataframe(no_recipient, hide_index=True, width="stretch")
deferred = awards.deferred_table(frame)
if not deferred.empty:
    with st.expander(
        f"{labels.status_label('deferred')}: {fmt.num(len(deferred), 0)} trường hợp "
        "(không xếp hạng, không chiếm chỉ tiêu; xét lại khi đã có kết luận)"
    ):
        st.dataframe(deferred, hide_index=True, width="stretch")

earlier = _ui.guarded(ua.granted_marks, ctx.store, ctx.plan.id, ctx.review_id, frame)
if not earlier.empty:
    flagged = earlier[earlier["Cảnh báo"] != ""]
    if not flagged.empty:
        st.warning(
            f"⚠️ {fmt.num(len(flagged), 0)} trường hợp đã được khen thưởng cho cùng số liệu ở "
            "đợt xét khác: một thành tích chỉ khen thưởng một lần."
        )
    with st.expander(
        f"Đã được khen thưởng: {fmt.num(len(earlier), 0)} trường hợp (sổ khen thưởng)"
    ):
        st.dataframe(earlier, hide_index=True, width="stretch")

# --- award by award, category by category ----------------------------------------------------
by_cat = ua.review_sections(ctx.store, ctx.plan.id, ctx.review_id, ctx.hides_personal)
for award_id, award_label, secs in group_by_award(ctx.plan.sections(review)):
    st.header(award_label)
    tabs = st.tabs([s.category_label for s in secs])
    for tab, sec in zip(tabs, secs, strict=True):
        with tab:
            view = by_cat.get((award_id, sec.category_id))
            st.markdown(
                f"**{sec.category_label}** — {labels.quota_text(sec.quota)}  \n"
                f"{view.counts if view else awards.counts_text({})}"
            )
            if view is None:
                st.info("Nhóm xét này chưa có ứng viên.")
                continue
            rows = ua.paginate(
                view.rows, f"kt_{ctx.plan.id}_{ctx.review_id}_{award_id}_{sec.category_id}"
            )
            if rows.empty:
                st.info("Không có ứng viên nào khớp bộ lọc.")
                continue
            table, matrix = view.tables_for(rows)
            st.dataframe(
                table,
                hide_index=True,
                width="stretch",
                column_config=ua.SHORTLIST_COLUMNS,
            )
            with st.expander("Chi tiết tiêu chuẩn và lý do của từng ứng viên"):
                legend = awards.criteria_legend(rows)
                st.dataframe(
                    ua.state_badges(matrix),
                    hide_index=True,
                    width="stretch",
                    column_config=ua.matrix_columns(legend),
                )
                st.caption("  \n".join(f"**{h}**: {fmt.md(label)}" for h, label in legend))
                names = fmt.unique_names(
                    dict(zip(rows["subject_id"], rows["subject_name"], strict=True))
                )
                chosen = st.selectbox(
                    "Xem căn cứ số liệu của",
                    list(names),
                    format_func=names.__getitem__,
                    key=f"detail_{ctx.plan.id}_{ctx.review_id}_{award_id}_{sec.category_id}",
                )
                st.markdown(f"**Lý do:** {fmt.md(awards.reason_of(rows, chosen))}")
                st.dataframe(
                    ua.state_badges(awards.criteria_detail(awards.criteria_of(rows, chosen))),
                    hide_index=True,
                    width="stretch",
                    column_config=ua.DETAIL_COLUMNS,
                )
