"""Hội đồng xét: the committee records its judgments, discipline statuses, nominations,
votes and proposed forms for the selected review, each save audited with its note, and can
undo a save. Widgets in -> analytics -> drawing."""

import streamlit as st

from analytics import fmt
from analytics.errors import InputRejected, StoreBusy, ThiduaError
from analytics.views import council, granted
from pages import _ui
from pages import _ui_awards as ua
from pages import _ui_council as uc

ctx = _ui.context()
st.title("🗳️ Hội đồng xét")
if not ctx.may("record_judgments"):
    st.info(
        f"🔒 Trang này dành cho thư ký và thành viên Hội đồng (bạn: {ctx.role_label}). "
        "Kết quả xét xem ở trang Khen thưởng."
    )
    st.stop()
if not _ui.has_store(ctx):
    _ui.empty_state(ua.NO_STORE, "Nhập dữ liệu ở trang 📥 Dữ liệu.")
    st.stop()
ua.stop_if_other_plan(ctx)
st.caption(
    f"Đợt xét **{ctx.review.label}**. Mỗi lần lưu là một giao dịch (tất cả hoặc không), được "
    "kiểm tra như khi nhập tệp và ghi vào nhật ký từng giá trị thay đổi, kèm căn cứ bắt buộc."
)

done = st.session_state.pop("council_done", None)
if done:
    st.success(f"✅ {done}")

kind = st.radio(
    "Đối tượng",
    ["unit", "person"],
    format_func=lambda k: "Tập thể (đơn vị)" if k == "unit" else "Cá nhân",
    horizontal=True,
    key="council_kind",
)
frame = _ui.guarded(uc.candidates_frame, ctx.store, ctx.plan.id, ctx.review_id, kind)
if frame.empty:
    _ui.empty_state("Đợt xét này không có ứng viên loại này.")
    st.stop()

cols = council.columns(ctx.plan, kind)
search = st.text_input("Tìm theo mã hoặc tên", key=f"council_search_{kind}")
shown = council.filtered(frame, search)
note = st.text_input(
    "Căn cứ của lần lưu (bắt buộc)",
    placeholder="Ví dụ: Biên bản họp Hội đồng ngày 12/03/2026",
    key="council_note",
)
edited = st.data_editor(
    shown,
    key=f"council_editor_{kind}_{ctx.review_id}_{ctx.store.version}",
    hide_index=True,
    width="stretch",
    disabled=["subject_id", "subject_name", "result"],
    column_config=uc.column_config(cols),
)
changes = council.changes_between(ctx.plan, ctx.review_id, kind, shown, edited)
st.caption(f"{len(changes)} giá trị đã sửa, chưa lưu.")
if st.button("💾 Lưu thay đổi", type="primary", disabled=not changes, key="council_save"):
    uc.save(ctx, changes, note)

with st.expander("Đặt cùng một giá trị cho nhiều đối tượng"):
    picked = st.multiselect(
        "Đối tượng",
        frame["subject_id"].tolist(),
        format_func=lambda s: uc.subject_label(frame, s),
        key=f"bulk_subjects_{kind}",
    )
    column = st.selectbox("Trường", cols, format_func=lambda c: c.label, key=f"bulk_field_{kind}")
    if column.kind == "count":
        value: object = st.number_input("Giá trị", min_value=0, step=1, key=f"bulk_n_{kind}")
    else:
        value = st.selectbox("Giá trị", column.options, key=f"bulk_v_{kind}")
    if st.button("Áp dụng và lưu", disabled=not picked, key="bulk_save"):
        uc.save(
            ctx,
            council.bulk_changes(ctx.plan, ctx.review_id, kind, picked, column.field, value),
            note,
        )

st.subheader("Các lần lưu gần đây")
recent = _ui.guarded(uc.recent_saves, ctx.store, ctx.review_id)
if recent.empty:
    st.caption("Chưa có lần lưu nào cho đợt xét này.")
else:
    st.dataframe(recent, hide_index=True, width="stretch")
    save_id = st.selectbox(
        "Hoàn tác lần lưu",
        recent["Lần lưu"].tolist(),
        format_func=lambda n: f"Lần lưu số {n}",
        key="undo_pick",
    )
    if st.button("↩️ Hoàn tác", key="undo_save"):
        try:
            result = uc.undo(ctx, int(save_id), note)
        except StoreBusy:
            _ui.busy_stop()
        except (InputRejected, ThiduaError) as exc:
            st.error(f"❌ {fmt.md(exc)}")
        else:
            st.session_state["council_done"] = (
                f"Đã hoàn tác lần lưu số {save_id} (lần lưu số {result.save_id})."
            )
            st.rerun()

st.subheader("📒 Sổ khen thưởng")
st.caption(
    "Sau khi có quyết định: ghi hình thức đã khen thưởng, số và ngày quyết định, cấp quyết "
    "định. Trang Khen thưởng của các đợt xét sau sẽ ghi «đã được khen thưởng»."
)
with st.form("granted_form"):
    award = st.selectbox(
        "Khen thưởng",
        [a.id for a in ctx.plan.awards if ctx.review.kind in a.review_kinds],
        format_func=lambda a: next(x.label for x in ctx.plan.awards if x.id == a),
        key="granted_award",
    )
    proposed = _ui.guarded(uc.proposed_subjects, ctx.store, ctx.plan.id, ctx.review_id)
    subject = st.selectbox(
        "Tập thể, cá nhân (đề nghị trong đợt xét này)",
        list(proposed),
        format_func=proposed.get,
        key="granted_subject",
    )
    form = st.selectbox(
        "Hình thức",
        ["", *(f.code for f in ctx.plan.forms)],
        format_func=lambda c: next((f.label for f in ctx.plan.forms if f.code == c), "—"),
        key="granted_form_code",
    )
    number = st.text_input("Số quyết định", placeholder="Ví dụ: 1234/QĐ-UBND", key="granted_no")
    decided = st.date_input("Ngày quyết định", value=None, format="DD/MM/YYYY", key="granted_on")
    authority = st.text_input("Cấp quyết định", placeholder="Chủ tịch UBND tỉnh", key="granted_by")
    if st.form_submit_button("💾 Ghi vào sổ khen thưởng") and subject:
        uc.save(
            ctx,
            granted.changes_for(
                ctx.review_id,
                award,
                subject,
                form=form or None,
                decision_no=number,
                decided_on=decided,
                authority=authority,
            ),
            note,
        )
