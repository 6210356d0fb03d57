"""Đăng ký thi đua: the registrations of a year (seed 002 annex) with the plan's deadline
and late ones flagged, what the review proposes for each registered row, and the form in the
annex's layout as Word and Excel. Widgets in -> analytics -> drawing."""

import streamlit as st

from analytics import fmt
from analytics.views import registration
from pages import _ui
from pages import _ui_awards as ua
from pages import _ui_council as uc

ctx = _ui.context()
plan = ctx.plan
st.title("📝 Đăng ký thi đua")
if not registration.form_columns(plan):
    _ui.empty_state(
        f"Kế hoạch {plan.title} không có mẫu đăng ký danh hiệu thi đua, hình thức khen thưởng.",
        "Mẫu đăng ký có ở kế hoạch của thị trấn Như Quỳnh (phụ lục).",
    )
    st.stop()
if not _ui.has_store(ctx):
    _ui.empty_state(ua.NO_STORE, "Nhập bảng registrations ở trang 📥 Dữ liệu.")
    st.stop()
ua.stop_if_other_plan(ctx)
years = [r.window_end for r in plan.reviews if r.kind == "annual"] or [plan.last_year]
year = st.selectbox("Năm đăng ký", years, index=len(years) - 1, key="registration_year")
due = plan.deadlines.registration_due
if due:
    st.caption(f"Hạn đăng ký theo kế hoạch: **{fmt.date(due)}**. Đăng ký sau hạn được đánh dấu.")
regs = _ui.guarded(uc.registrations_of, ctx.store, plan.id, year)
if not regs:
    _ui.empty_state(
        f"Chưa có đăng ký thi đua năm {year}.",
        "Nhập bảng registrations (mẫu nhập liệu, trang tính Đăng ký thi đua) ở trang 📥 Dữ liệu.",
    )
    st.stop()
late = [r for r in regs if r.late]
if late:
    st.warning(f"⚠️ {len(late)} đăng ký sau hạn {fmt.date(due)}.")
st.dataframe(registration.registration_frame(plan, regs), hide_index=True, width="stretch")

review = next((r for r in plan.reviews if r.kind == "annual" and r.window_end == year), None)
if review is not None and review.held:
    st.subheader("Đăng ký và kết quả xét")
    st.caption(f"So với danh sách của đợt xét {review.label} (trang Khen thưởng).")
    shortlist = _ui.guarded(ua.review_frame, ctx.store, plan.id, review.id, ctx.hides_personal)
    st.dataframe(
        registration.registered_vs_achieved(plan, regs, shortlist), hide_index=True, width="stretch"
    )

st.subheader("Mẫu đăng ký (theo phụ lục của kế hoạch)")
FILES = (
    ("⬇️ Bản Word (.docx)", uc.registration_docx, "docx", "wordprocessingml.document"),
    ("⬇️ Bảng tính (.xlsx)", uc.registration_xlsx, "xlsx", "spreadsheetml.sheet"),
)
for column, (label, build, ext, mime) in zip(st.columns(2), FILES, strict=True):
    column.download_button(
        label,
        data=ua.deferred(build, ctx, year),
        file_name=f"dang-ky-thi-dua-{year}.{ext}",
        mime=f"application/vnd.openxmlformats-officedocument.{mime}",
        key=f"registration_{ext}",
    )
