"""Hồ sơ đơn vị: one unit — its block, active years and lineage, its ratio and group per
year against the band lines, satisfaction and tasks per year, and its verdict in every
review of the plan in which it is a candidate, criterion by criterion with the evidence;
its component scores of a year against its block's median and best, and the one-page
profile in Word. The address carries plan, review, unit and year (a shareable link).
Widgets in -> analytics.views -> drawing."""

from functools import partial

import streamlit as st

from analytics import fmt, labels
from analytics.exports.profile_docx import profile_docx_bytes
from analytics.views import profile
from pages import (
    _charts_components,
    _charts_trends,
    _links,
    _ui,
    _ui_benchmark,
    _ui_cache,
    _ui_council,
)

ctx = _ui.context()
plan = ctx.plan
cls = plan.classification
st.title("🏛️ Hồ sơ đơn vị")

years = _ui.browse_guard(ctx)
if years is None:
    st.stop()

choices = _ui.unit_choices(ctx)
ids, names = choices.ids, choices.names
for linked in _links.wanted_units(ids):  # a shared link names the unit
    st.session_state["profile_unit"] = linked
wanted = st.session_state.get("profile_unit")
unit_id = st.selectbox(
    "Đơn vị",
    ids,
    index=ids.index(wanted) if wanted in names else 0,
    format_func=choices.label,
    help="Gõ vài chữ của tên đơn vị để tìm.",
)
st.session_state["profile_unit"] = unit_id
info, hist = _ui_cache.unit_profile_data(ctx.store, plan.id, unit_id)
bands = _ui_cache.bands_data(plan.id)

# --- identity and lineage --------------------------------------------------------------------
st.subheader(fmt.md(info["name"]))
first = _ui.text_or(info["active_from_declared"], str, f"đầu kế hoạch ({info['active_from']})")
last = _ui.text_or(info["active_to_declared"], str, f"cuối kế hoạch ({info['active_to']})")
facts = [
    f"**Khối:** {info['block_label'] or 'ngoài kế hoạch (chỉ là đơn vị tiếp nhận)'}",
    f"**Hoạt động:** từ {first} đến {last}",
]
if info["advised_components"]:
    facts.append(
        "**Đơn vị tham mưu chỉ số thành phần:** "
        + ", ".join(fmt.md(c) for c in info["advised_components"])
    )
st.markdown("  \n".join(facts))
links = profile.lineage_table(info)
if not links.empty:
    st.markdown("**Sắp xếp, hợp nhất, đổi tên**")
    st.text(profile.lineage_line(info))
    st.dataframe(links, hide_index=True, height="content", key="hs_lineage")
    others = [("Đơn vị tiền thân", o) for o in info["predecessors"]]
    others += [("Đơn vị kế nhiệm", o) for o in info["successors"]]
    cols = st.columns(min(len(others), 4))
    for i, (role, other) in enumerate(others):
        if cols[i % len(cols)].button(
            f"{role}: {fmt.md(other['name'])}", key=f"hs_goto_{other['unit_id']}", icon="🔗"
        ):
            st.session_state["profile_unit"] = other["unit_id"]
            st.rerun()
    if ctx.plan.history == "primary_chain" and info["predecessors"]:
        st.caption(
            "Các năm trước khi đơn vị hoạt động lấy số liệu của đơn vị tiền thân chính (đánh dấu "
            "«kế thừa» trong bảng và biểu đồ); đơn vị sáp nhập vào không chuyển số liệu."
        )

# --- results per year ----------------------------------------------------------------------------
st.subheader("Kết quả qua các năm")
if hist.empty:
    _ui.empty_state(
        "Chưa có số liệu nào của đơn vị trong các năm hoạt động.",
        "Nhập điểm Chỉ số CCHC, tỷ lệ hài lòng và nhiệm vụ ở trang 📥 Dữ liệu.",
    )
else:
    if info["series"] == "none":
        _ui.empty_state(
            "Đơn vị chưa có Chỉ số CCHC năm nào.",
            "Nếu khối của đơn vị không có Chỉ số CCHC riêng, đơn vị được xét theo đánh giá của "
            "Ban Chỉ đạo (xem kết quả xét khen thưởng bên dưới); nếu có, nhập điểm (unit_scores) "
            "ở trang 📥 Dữ liệu.",
        )
    else:
        if info["series"] == "one_year":
            _ui.empty_state(
                f"Đơn vị mới có Chỉ số CCHC một năm ({info['scored_years'][0]}): chưa so sánh "
                "được qua các năm.",
                "Khi có thêm số liệu năm sau, biểu đồ sẽ cho thấy xu hướng.",
            )
        reference = (
            _ui_benchmark.block_stats_data(ctx.store, plan.id, info["block"])
            if info["block_label"]
            else None
        )
        st.plotly_chart(
            _charts_trends.unit_ratio_line(
                hist,
                bands,
                f"Tỷ lệ Chỉ số CCHC và {cls.name.lower()} — {info['name']}",
                reference,
            ),
            key="hs_line",
        )
        if reference is not None:
            st.caption(
                "Đường chấm: trung vị của khối; đường gạch: đơn vị cao nhất của khối "
                "(các đơn vị cùng khối có Chỉ số CCHC năm đó)."
            )
    st.dataframe(
        {
            "Năm": hist["year"].astype(str),
            "Số liệu của": [
                f"{n} (kế thừa)" if inh else "đơn vị"
                for n, inh in zip(hist["source_name"], hist["is_inherited"], strict=True)
            ],
            "Điểm": hist["score"].map(_ui.num),
            "Điểm tối đa": hist["max_score"].map(_ui.num),
            "Tỷ lệ": hist["ratio_pct"].map(_ui.pct),
            cls.name: hist["band_label"].fillna("—"),
            "Hạng trong khối": [
                _ui.text_or(r, lambda r, n=n: f"{r}/{n}", "—")
                for r, n in zip(hist["rank"], hist["n_ranked"], strict=True)
            ],
            "So với năm trước": hist["change_pct"].map(_ui.signed),
            "Tỷ lệ hài lòng": hist["satisfaction_pct"].map(_ui.pct),
            "Hoàn thành nhiệm vụ CCHC": hist["tasks_completed_pct"].map(_ui.pct),
            "Kỷ luật": hist["discipline"].map(lambda d: labels.DISCIPLINE.get(d, d)),
        },
        hide_index=True,
        height="content",
        key="hs_years",
    )
    st.caption("Ô «—»: chưa có số liệu năm đó.")

# --- component scores of a year against the block ------------------------------------------------
st.subheader("Điểm các lĩnh vực so với khối")
comp_years = _ui_benchmark.component_years_data(ctx.store, (unit_id,))
comp_year = None
components = None
if not comp_years:
    _ui.empty_state(
        "Chưa có điểm các lĩnh vực (chỉ số thành phần) của đơn vị năm nào.",
        "Nhập bảng «Điểm lĩnh vực của đơn vị» (unit_component_scores) ở trang 📥 Dữ liệu: "
        "điểm từng lĩnh vực cộng lại bằng điểm Chỉ số CCHC của đơn vị năm đó.",
    )
else:
    year_key = f"hs_comp_year_{plan.id}"
    linked_year = _links.wanted_int("year", comp_years)
    if linked_year is not None:
        st.session_state[year_key] = linked_year
    if st.session_state.get(year_key) not in comp_years:
        end = plan.effective_end(ctx.review) or ctx.review.window_end
        st.session_state[year_key] = end if end in comp_years else comp_years[-1]
    comp_year = st.selectbox("Năm", comp_years, key=year_key)
    components = _ui_benchmark.component_scores_data(ctx.store, plan.id, (unit_id,), comp_year)
    st.plotly_chart(
        _charts_components.unit_component_bars(
            components,
            info["name"],
            f"Tỷ lệ điểm từng lĩnh vực năm {comp_year} — {info['name']}",
        ),
        key="hs_components",
    )
    st.dataframe(
        {
            "Lĩnh vực": components["component_label"],
            "Điểm": components["score"].map(_ui.num),
            "Điểm tối đa": components["max_score"].map(_ui.num),
            "Tỷ lệ": components["ratio_pct"].map(_ui.pct),
            "Trung vị của khối": components["block_median_pct"].map(_ui.pct),
            "Cao nhất của khối": components["block_best_pct"].map(_ui.pct),
        },
        hide_index=True,
        height="content",
        column_config={"Lĩnh vực": st.column_config.TextColumn(width="large")},
        key="hs_components_table",
    )
    st.caption(
        "Tỷ lệ = điểm đạt được / điểm tối đa của lĩnh vực. Trung vị và cao nhất: các đơn vị "
        "cùng khối, đang hoạt động, có điểm lĩnh vực đó trong năm."
    )
_links.share(plan.id, ctx.review_id, unit=unit_id, year=comp_year)
st.download_button(
    "Tải hồ sơ một trang (Word)",
    partial(  # built when clicked: the date it carries is the download's
        profile_docx_bytes,
        plan,
        info,
        hist,
        components,
        comp_year,
        ctx.data_version,
        profile.lineage_line(info) if not links.empty else None,
    ),
    file_name=f"ho-so-{fmt.slug(info['name'])}.docx",
    mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    icon="📄",
    key="hs_docx",
)

# --- verdicts in every review ---------------------------------------------------------------------
st.subheader("Kết quả xét khen thưởng theo các đợt")
verdicts = _ui_cache.unit_verdicts_data(ctx.store, plan.id, unit_id)
if verdicts.empty:
    _ui.empty_state(
        "Đơn vị không là ứng viên của đợt xét nào trong kế hoạch.",
        "Ứng viên của một đợt xét là các đơn vị hoạt động trong năm cuối của đợt, thuộc một "
        "khối hoặc nhóm xét của kế hoạch.",
    )
    st.stop()

st.dataframe(
    {
        "Đợt xét": verdicts["review_label"],
        "Hình thức — nhóm xét": [
            f"{a} — {c}"
            for a, c in zip(verdicts["award_label"], verdicts["category_label"], strict=True)
        ],
        "Kết quả": [labels.status_label(s) for s in verdicts["status"]],
        "Thứ hạng": [_ui.text_or(r, lambda r: _ui.num(r, 0), "—") for r in verdicts["rank"]],
        "TB giai đoạn": verdicts["window_avg"].map(_ui.pct),
    },
    hide_index=True,
    height="content",
    column_config={"Hình thức — nhóm xét": st.column_config.TextColumn(width="large")},
    key="hs_verdicts",
)
st.caption(
    "«TB giai đoạn»: Chỉ số CCHC trung bình các năm của đợt xét. Mở từng đợt xét bên dưới để "
    "xem từng tiêu chuẩn, kết quả và số liệu làm căn cứ."
)
for review_id, rows in verdicts.groupby("review", sort=False):
    with st.expander(f"{rows['review_label'].iloc[0]}", expanded=review_id == ctx.review_id):
        for row in rows.itertuples():
            rank = _ui.text_or(row.rank, lambda r: f", xếp thứ {r}", "")
            st.markdown(
                f"**{row.award_label}** — {row.category_label}: "
                f"**{labels.status_label(row.status)}**{rank}"
            )
            criteria = list(row.criteria) if row.criteria is not None else []
            st.dataframe(
                {
                    "Tiêu chuẩn": [c["label"] for c in criteria],
                    "Kết quả": [labels.state_label(c["state"]) for c in criteria],
                    "Căn cứ": [c["evidence"] for c in criteria],
                },
                hide_index=True,
                height="content",
                column_config={
                    "Tiêu chuẩn": st.column_config.TextColumn(width="medium"),
                    "Kết quả": st.column_config.TextColumn(width="small"),
                    "Căn cứ": st.column_config.TextColumn(width="large"),
                },
                key=f"hs_crit_{review_id}_{row.award}_{row.category}",
            )

# --- the committee's record of this unit (audit trail) -----------------------------------------
if ctx.may("record_judgments"):
    history, n_changes = _ui.guarded(_ui_council.entries_page, ctx.store, None, unit_id, 0, 50)
    with st.expander(
        f"📜 Lịch sử ghi của Hội đồng về đơn vị này ({_ui.num(n_changes, 0)} giá trị)"
    ):
        if history.empty:
            st.caption("Chưa có giá trị nào được ghi trên màn hình cho đơn vị này.")
        else:
            st.dataframe(history, hide_index=True, width="stretch")
