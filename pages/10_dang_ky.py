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
done = st.session_state.pop("council_done", None)
if done:
    st.success(f"✅ {done}")
due = plan.deadlines.registration_due
if due:
    st.caption(f"Hạn đăng ký theo kế hoạch: **{fmt.date(due)}**. Đăng ký sau hạn được đánh dấu.")
if ctx.may("record_judgments"):
    with st.expander("✏️ Ghi hoặc sửa một đăng ký"):
        kind = st.radio(
            "Loại",
            ["unit", "person", "group"],
            format_func=lambda k: {
                "unit": "Tập thể (đơn vị)",
                "person": "Cá nhân",
                "group": "Nhóm",
            }[k],
            horizontal=True,
            key="reg_kind",
        )
        choices = _ui.guarded(uc.registration_subjects, ctx.store, kind)
        if choices:
            subject = st.selectbox(
                "Tập thể, cá nhân",
                list(choices),
                format_func=choices.get,
                key=f"reg_subject_{kind}",
            )
        else:
            subject = st.text_input(
                "Tên nhóm",
                placeholder="Ví dụ: Toàn thể cán bộ, công chức, người lao động UBND",
                key="reg_group",
            )
        titles = st.multiselect(
            "Danh hiệu thi đua",
            [c.code for c in plan.titles],
            format_func=lambda c: next(t.label for t in plan.titles if t.code == c),
            key="reg_titles",
        )
        forms = st.multiselect(
            "Hình thức khen thưởng",
            [c.code for c in plan.forms],
            format_func=lambda c: next(f.label for f in plan.forms if f.code == c),
            key="reg_forms",
        )
        registered_on = st.date_input(
            "Ngày đăng ký", value=None, format="DD/MM/YYYY", key="reg_date"
        )
        reg_note = st.text_input("Ghi chú của đăng ký", key="reg_note")
        basis = st.text_input("Căn cứ của lần lưu (bắt buộc)", key="reg_basis")
        if st.button("💾 Lưu đăng ký", disabled=not subject, key="reg_save"):
            uc.save(
                ctx,
                registration.changes_for(
                    year, kind, subject, titles, forms, registered_on, reg_note
                ),
                basis,
            )

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
        registration.registered_vs_achieved(
            plan, regs, shortlist, _ui.guarded(uc.granted_in_review, ctx.store, plan.id, review.id)
        ),
        hide_index=True,
        width="stretch",
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
