"""Nhật ký: the audit trail — every value the committee recorded or undid, every account
change and restore — filtered by review and subject, newest first, 50 per page."""

import streamlit as st

from analytics.views import paging
from pages import _ui
from pages import _ui_council as uc

PAGE_SIZE = 50

ctx = _ui.context()
st.title("📜 Nhật ký thay đổi")
if not ctx.may("record_judgments"):
    st.info(f"🔒 Nhật ký dành cho Hội đồng và quản trị (bạn: {ctx.role_label}).")
    st.stop()
if not _ui.has_store(ctx):
    _ui.empty_state("Chưa có kho dữ liệu.")
    st.stop()
st.caption(
    "Mỗi dòng là một giá trị đã thay đổi: ai, lúc nào (giờ Việt Nam), đợt xét, đối tượng, "
    "giá trị cũ → mới và căn cứ. Các lần nhập tệp ghi ở trang Dữ liệu (Nhật ký nhập)."
)
left, right = st.columns(2)
review = left.selectbox(
    "Đợt xét",
    [None, *(r.id for r in ctx.plan.reviews)],
    format_func=lambda r: "Tất cả" if r is None else ctx.plan.review(r).label,
    key="audit_review",
)
subject = right.text_input("Mã đơn vị hoặc cá nhân", key="audit_subject").strip() or None
page = int(st.session_state.get("audit_page", 0))
frame, total = _ui.guarded(uc.entries_page, ctx.store, review, subject, page, PAGE_SIZE)
if not total:
    _ui.empty_state("Không có thay đổi nào khớp bộ lọc.")
    st.stop()
pages = paging.page_count(total, PAGE_SIZE)
st.caption(f"{_ui.num(total, 0)} giá trị — trang {page + 1}/{pages}")
st.dataframe(frame, hide_index=True, width="stretch")
prev, nxt = st.columns(2)
if prev.button("◀ Trang trước", disabled=page == 0, key="audit_prev"):
    st.session_state["audit_page"] = page - 1
    st.rerun()
if nxt.button("Trang sau ▶", disabled=page + 1 >= pages, key="audit_next"):
    st.session_state["audit_page"] = page + 1
    st.rerun()
