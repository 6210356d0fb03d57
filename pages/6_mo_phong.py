"""Mô phỏng (what-if): change quotas, band cut-offs, the satisfaction threshold, the window
or the improvement rule for the selected review and see who enters or leaves the list.
The plan file is never written. Widgets in -> analytics -> drawing."""

import streamlit as st

from analytics import fmt, labels
from analytics.errors import PlanError
from analytics.plans import whatif
from analytics.views import awards, whatif_diff
from pages import _ui, _ui_cache
from pages import _ui_awards as ua

ctx = _ui.context()
review = ctx.review
plan = ctx.plan
st.title(f"🧪 Mô phỏng — {review.label}")
st.caption(
    "Thử thay đổi chỉ tiêu, ngưỡng xếp loại, ngưỡng hài lòng, cách tính giai đoạn… để xem danh "
    "sách đề nghị thay đổi thế nào. Kế hoạch đã lưu không bị thay đổi."
)

if not _ui.has_store(ctx):
    _ui.empty_state(ua.NO_STORE, ua.NO_STORE_HINT)
    st.stop()
ua.stop_if_other_plan(ctx)
if not review.held:
    st.warning(
        f"⚠️ Đợt xét này không được tổ chức ({review.reason}). Kết quả dưới đây chỉ là mô phỏng "
        "để tham khảo, không phải danh sách đề nghị."
    )
years = _ui.guarded(_ui_cache.data_years, ctx.store)

base = _ui.guarded(ua.review_table, ctx.store, plan.id, ctx.review_id, ctx.hides_personal)
if base.num_rows == 0 and review.held:
    _ui.empty_state(
        "Đợt xét này chưa có ứng viên nên chưa có gì để mô phỏng.",
        "Vào trang **📥 Dữ liệu** để nhập dữ liệu cho đợt xét.",
    )
    st.stop()
if base.num_rows == 0:
    st.info(
        "ℹ️ Theo kế hoạch, đợt xét này không có ứng viên (không có năm nào được đánh giá). "
        "Chọn «Như ban hành» ở mục Các năm được đánh giá để xem kết quả nếu đợt xét được tổ chức."
    )

d = whatif.defaults(plan, ctx.review_id)
prefix = f"wi_{plan.id}_{ctx.review_id}_"


def _reset() -> None:
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]


st.button("↺ Đặt lại theo kế hoạch", on_click=_reset, key=f"{prefix}reset_button")

# --- parameters (defaults = the plan's values) -----------------------------------------------
form = st.form(f"{prefix}form", border=False)
with form:
    quotas = {}
    with st.expander("🎯 Chỉ tiêu khen thưởng", expanded=True):
        for award_id, award_label in d.award_labels.items():
            st.markdown(f"**{award_label}**")
            with st.container(horizontal=True, wrap=True):
                for key in d.quota_keys(award_id):
                    quotas[key] = st.number_input(
                        d.category_labels[key],
                        min_value=0,
                        step=1,
                        value=d.quotas[key],
                        placeholder="không giới hạn",
                        key=f"{prefix}q_{key[0]}_{key[1]}",
                        help="Để trống = không giới hạn (mọi ứng viên đạt tiêu chuẩn đều được đề nghị).",
                        width=205,
                    )

    c1, c2 = st.columns(2)
    cutoffs = {}
    bands_title = f"📏 Ngưỡng {plan.classification.name.lower()} (tỷ lệ % tối thiểu)"
    with c1, st.expander(bands_title, expanded=True), st.container(horizontal=True, wrap=True):
        for code, label, minimum in d.bands:
            cutoffs[code] = st.text_input(
                label,
                value=fmt.bound(minimum),
                key=f"{prefix}band_{code}",
                help="Tỷ lệ % tối thiểu, dấu phẩy thập phân (ví dụ 82,5).",
                width=95,
            )
    satisfaction = None
    window_mode = "cumulative"
    improvement = "plan"
    with c2, st.expander("⚙️ Cách tính", expanded=True):
        if not d.has_method_choices:
            st.caption("Đợt xét này không có thông số cách tính nào khác để thay đổi.")
        if d.satisfaction_min_pct is not None:
            satisfaction = st.text_input(
                "Ngưỡng tỷ lệ hài lòng trung bình (%)",
                value=fmt.bound(d.satisfaction_min_pct),
                key=f"{prefix}sat",
                help="Tỷ lệ % tối thiểu, dấu phẩy thập phân (ví dụ 82,5).",
            )
        if d.has_window_choice:
            start, end = d.window
            window_mode = st.radio(
                "Giai đoạn tính trung bình",
                ["cumulative", "single_year"],
                format_func=lambda m, s=start, e=end: {
                    "cumulative": f"Cộng dồn {s}–{e} (theo kế hoạch)",
                    "single_year": f"Chỉ năm {e}",
                }[m],
                key=f"{prefix}window",
                horizontal=True,
            )
        if d.has_improvement_rule:
            improvement = st.radio(
                "Chỉ số thành phần tham mưu",
                ["plan", "strict", "improved_or_max"],
                format_func=lambda r: {
                    "plan": "Theo kế hoạch",
                    "strict": "Phải tăng so với năm trước",
                    "improved_or_max": "Tăng hoặc duy trì tối đa (100 %)",
                }[r],
                key=f"{prefix}improve",
                horizontal=True,
            )
        history = st.radio(
            "Số liệu các năm trước khi đơn vị được sắp xếp",
            ["plan", "primary_chain", "own"],
            format_func=lambda h: {
                "plan": f"Theo kế hoạch ({labels.HISTORY[d.history]})",
                "primary_chain": labels.HISTORY["primary_chain"],
                "own": labels.HISTORY["own"],
            }[h],
            key=f"{prefix}history",
        )
        dissolved = st.checkbox(
            "Vẫn xét đơn vị không còn đơn vị nhận khen thưởng (đã giải thể)",
            value=d.award_dissolved,
            key=f"{prefix}dissolved",
        )
        options = whatif.assessed_options(d, years["unit_scores"])
        assessed_choices = {
            "plan": f"Theo kế hoạch: {fmt.years(d.assessed_years)}",
            "as_written": f"Như ban hành: mọi năm {d.span[0]}–{d.span[1]}",
            "as_happened": "Như đã diễn ra: các năm có Chỉ số trong kho "
            f"({fmt.years(options['as_happened'] or ())})",
        }
        assessed = st.radio(
            "Các năm được đánh giá Chỉ số CCHC",
            list(assessed_choices),
            format_func=assessed_choices.get,
            key=f"{prefix}assessed",
        )

    st.form_submit_button("▶️ Áp dụng thông số", type="primary")
st.caption(
    "Thay đổi thông số rồi bấm **Áp dụng thông số**: danh sách được tính lại một lần cho mỗi lần bấm."
)

names = {code: f"Ngưỡng {label}" for code, label, _ in d.bands} | {
    "sat": "Ngưỡng tỷ lệ hài lòng trung bình"
}
typed, unreadable = whatif.typed_numbers(cutoffs | {"sat": satisfaction}, names)
if unreadable:
    st.error("❌ Thông số chưa hợp lệ: " + "; ".join(fmt.md(p) for p in unreadable))
    st.stop()
blank = [names[code] for code in cutoffs if typed[code] is None]
if blank:
    st.error("❌ Thông số chưa hợp lệ: chưa nhập " + ", ".join(blank).lower())
    st.stop()
scenario = whatif.Scenario.build(
    ctx.review_id,
    quotas=quotas,
    band_cutoffs={code: typed[code] for code in cutoffs},
    satisfaction_min_pct=typed["sat"] if satisfaction is not None else None,
    window_mode=window_mode,
    improvement_rule=improvement,
    history=history,
    award_dissolved=None if dissolved == d.award_dissolved else dissolved,
    assessed_years=options[assessed],
)

try:
    new_frame, diff = _ui.guarded(
        ua.whatif_frames, ctx.store, plan.id, scenario, ctx.hides_personal
    )
except PlanError as exc:
    st.error(f"❌ Thông số chưa hợp lệ: {fmt.md(exc)}")
    st.stop()

# --- what changes ----------------------------------------------------------------------------
counts = whatif_diff.diff_counts(diff)
st.subheader("Thay đổi so với kế hoạch")
if whatif.is_default(plan, scenario):
    st.info("ℹ️ Các thông số đang đúng như kế hoạch: danh sách không thay đổi.")
for col, (kind, n) in zip(st.columns(len(counts)), counts.items(), strict=True):
    col.metric(whatif_diff.change_label(kind, title=True), n, border=True)
if diff.empty:
    st.success("Không có ứng viên nào thay đổi trạng thái hoặc thứ hạng.")
else:
    shown_diff = ua.paginate(diff, f"{prefix}diff_{hash(scenario)}", searchable=False)
    st.dataframe(whatif_diff.diff_display(shown_diff, plan), hide_index=True, width="stretch")

stem = ua.file_stem(ctx)
downloads = st.container(horizontal=True)
downloads.download_button(
    "⬇️ Tải bảng thay đổi (CSV)",
    data=ua.deferred(ua.diff_csv, ctx, diff),
    file_name=f"mo-phong-thay-doi-{stem}.csv",
    mime="text/csv",
)
downloads.download_button(
    "⬇️ Tải danh sách mô phỏng (CSV)",
    data=ua.deferred(
        ua.whatif_csv, ctx, ua.whatif_table(ctx.store, plan.id, scenario, ctx.hides_personal)
    ),
    file_name=f"mo-phong-danh-sach-{stem}.csv",
    mime="text/csv",
)

# --- the two lists side by side --------------------------------------------------------------
st.subheader("Danh sách theo kế hoạch và theo mô phỏng")
secs = plan.sections(review)
f1, f2 = st.columns(2)
sec = f1.selectbox(
    "Nhóm xét",
    secs,
    format_func=lambda x: f"{x.award_label} — {x.category_label}",
    key=f"{prefix}section",
)
shown = f2.multiselect(
    "Hiện các kết quả",
    list(labels.STATUS_ORDER),
    default=["proposed", "reserve"],
    format_func=labels.status_label,
    key=f"{prefix}statuses",
)
left, right = st.columns(2)
base_frame = ua.review_frame(ctx.store, plan.id, ctx.review_id, ctx.hides_personal)
sides = (("Theo kế hoạch", base_frame, "base"), ("Theo mô phỏng", new_frame, "new"))
for col, (title, frame, side) in zip((left, right), sides, strict=True):
    with col:
        st.markdown(f"**{title}**")
        table = awards.compact_table(awards.rows_of(frame, sec.award_id, sec.category_id), shown)
        st.dataframe(
            ua.paginate(
                table, f"{prefix}{side}_{sec.award_id}_{sec.category_id}_{shown}", searchable=False
            ),
            hide_index=True,
            width="stretch",
            column_config=ua.COMPACT_COLUMNS,
        )
