"""Tổng quan: the year at a glance for the provincial leadership — units per block, the
average ratio and the group distribution with the change from the year before, the
province's own results over the years, its components and who advises each, and the
next dossier deadline. Widgets in -> analytics.views -> drawing."""

import streamlit as st

from analytics import clock, fmt
from pages import _charts_ranking, _charts_trends, _ui, _ui_cache, _ui_tq

NO_DATA = "chưa có dữ liệu"

ctx = _ui.context()
plan = ctx.plan
cls = plan.classification
st.title("🏠 Tổng quan")
st.caption(f"{plan.title} — {plan.jurisdiction}")

years = _ui.browse_guard(ctx)
if years is None:
    st.stop()

col_year, col_note = st.columns([1, 3], vertical_alignment="bottom")
with col_year:
    year = _ui.year_picker(ctx, "tq_year", years["unit_scores"])
data = _ui_cache.overview_data(ctx.store, plan.id, year)
prev_year = data["prev_year"]
blocks, groups = data["blocks"], data["groups"]
total = blocks.iloc[-1]
bands = _ui_cache.bands_data(plan.id)
due = _ui_cache.deadline_data(ctx.store, plan.id, ctx.review_id, clock.today())
with col_note:
    st.caption(
        f"Số liệu năm {year}, so với năm {prev_year}. Đợt xét đang chọn (thanh bên): "
        f"**{fmt.md(ctx.review.label)}**. {ctx.data_version}."
    )

# --- headline numbers ---------------------------------------------------------------------
c1, c2, c3, c4 = st.columns(4)
c1.metric(
    "Số đơn vị đánh giá",
    _ui.num(total["n_units"], 0),
    delta=f"{_ui.num(total['n_scored'], 0)} đơn vị có Chỉ số CCHC",
    delta_color="off",
    delta_arrow="off",
    help=f"Đơn vị hoạt động trong năm {year}; {_ui.num(total['n_scored'], 0)} đơn vị có "
    "Chỉ số CCHC.",
    border=True,
)
c2.metric(
    f"Chỉ số CCHC trung bình {year}",
    _ui.pct(total["avg_pct"]),
    delta=_ui.text_or(
        total["avg_trend"],
        lambda t: f"{_ui.trend(t, total['avg_change_pct'])} so với {prev_year}",
        None,
    ),
    delta_color="off",
    delta_arrow="off",
    help="Trung bình tỷ lệ % của các đơn vị có Chỉ số trong năm (tính chính xác, làm tròn "
    "2 chữ số).",
    border=True,
)
prov_now = data["province_year"] or {}
prov_rank = _ui.text_or(
    prov_now.get("national_rank"), lambda r: f"xếp hạng {_ui.num(r, 0)} toàn quốc", None
)
c3.metric(
    f"Chỉ số CCHC của tỉnh {year}",
    _ui.text_or(prov_now.get("ratio_pct"), _ui.pct),
    delta=_ui.text_or(prov_now.get("ratio_pct"), lambda _: prov_rank, NO_DATA),
    delta_color="off",
    delta_arrow="off",
    help="PAR INDEX của tỉnh do Bộ Nội vụ công bố (bảng province_results).",
    border=True,
)
c4.metric(
    "Hạn nộp hồ sơ khen thưởng",
    _ui.text_or(due["due_date"], _ui.date),
    delta=due["days_text"] or "chưa xác định",
    delta_color="inverse" if due["is_overdue"] else "off",
    delta_arrow="off",
    help=due["basis"],
    border=True,
)
st.caption(
    f"⏰ Hạn nộp hồ sơ **{ctx.review.label}**: "
    f"{_ui.text_or(due['due_date'], _ui.date, 'chưa xác định')}"
    f"{_ui.text_or(due['days_text'], lambda t: f' ({t})', '')} — {due['basis'].rstrip('.')}. "
    f"_Căn cứ: {due['source']}._"
)

if not total["n_scored"]:
    _ui.empty_state(
        f"Chưa có Chỉ số CCHC của các đơn vị năm {year}.",
        "Chọn một năm khác ở ô «Năm», hoặc nhập điểm năm này (unit_scores) ở trang 📥 Dữ liệu.",
    )

# --- who leads, who lags, who is proposed (the leadership's questions) -----------------------
st.subheader(f"Dẫn đầu, tiến bộ nhất và cần cố gắng — năm {year}")
board = _ui_cache.leaders_data(ctx.store, plan.id, year)
for col, blk in zip(st.columns(min(len(board), 4) or 1), board[:4], strict=False):
    with col.container(border=True):
        _ui_tq.leaders_card(blk)
for blk in board[4:]:
    with st.container(border=True):
        _ui_tq.leaders_card(blk)
_ui_tq.proposed_summary(ctx)

# --- blocks ---------------------------------------------------------------------------------
st.subheader(f"Đơn vị theo khối — năm {year}")
expected = [_ui.text_or(e, lambda e: f" / {_ui.num(e, 0)}", "") for e in blocks["expected_units"]]
block_table = {
    "Khối": blocks["label"],
    "Số đơn vị / kế hoạch": [
        f"{_ui.num(n, 0)}{e}" for n, e in zip(blocks["n_units"], expected, strict=True)
    ],
    "Có Chỉ số": blocks["n_scored"].map(lambda n: _ui.num(n, 0)),
    f"TB {year}": blocks["avg_pct"].map(_ui.pct),
    f"TB {prev_year}": blocks["avg_prev_pct"].map(_ui.pct),
    "Thay đổi": [
        _ui.trend(t, c) for t, c in zip(blocks["avg_trend"], blocks["avg_change_pct"], strict=True)
    ],
} | {
    label: [_ui.num(counts[i], 0) for counts in blocks["band_counts"]]
    for i, label in enumerate(bands["label"])
}
st.dataframe(block_table, hide_index=True, height="content", key="tq_blocks")

# --- group distribution ---------------------------------------------------------------------
st.subheader(f"Phân loại đơn vị theo {cls.name.lower()} — năm {year} (so với {prev_year})")
for col, row in zip(st.columns(len(groups)), groups.itertuples(), strict=True):
    col.metric(
        bands.loc[row.band_index, "text"],
        f"{_ui.num(row.n, 0)} đơn vị",
        delta=f"{_ui.signed(row.n_change, 0)} so với {prev_year}",
        delta_color="off",
        delta_arrow="off",
        border=True,
    )
if total["n_scored"]:
    st.plotly_chart(
        _charts_ranking.group_distribution(
            data["block_groups"],
            bands,
            f"Số đơn vị theo {cls.name.lower()} và khối, năm {year}",
        ),
        key="tq_groups_chart",
    )

# --- the province's own results ---------------------------------------------------------------
st.subheader("Kết quả của tỉnh qua các năm")
prov = data["province"]
prov_table = {
    "Năm": prov["year"].astype(str),
    "PAR INDEX": [_ui.text_or(v, _ui.pct, NO_DATA) for v in prov["ratio_pct"]],
    "± năm trước": prov["ratio_change_pct"].map(_ui.signed),
    "Xếp hạng": [_ui.text_or(v, lambda r: _ui.num(r, 0), NO_DATA) for v in prov["national_rank"]],
    "SIPAS": [_ui.text_or(v, _ui.pct, NO_DATA) for v in prov["sipas_pct"]],
}
left_col, right_col = st.columns([1, 1])
with left_col:
    st.dataframe(prov_table, hide_index=True, height="content", key="tq_province")
with right_col:
    if prov["has_data"].any():
        st.plotly_chart(
            _charts_trends.province_lines(prov, "PAR INDEX và SIPAS của tỉnh"),
            key="tq_province_chart",
        )
    else:
        _ui.empty_state(
            "Chưa có dữ liệu kết quả của tỉnh (PAR INDEX, SIPAS, xếp hạng toàn quốc).",
            "Nhập bảng province_results ở trang 📥 Dữ liệu.",
        )

# --- provincial components -----------------------------------------------------------------
st.subheader(f"Chỉ số thành phần cấp tỉnh năm {year}")
comp = data["components"]
if comp.empty:
    _ui.empty_state(
        f"Chưa có dữ liệu chỉ số thành phần cấp tỉnh năm {year}.",
        "Nhập bảng province_components ở trang 📥 Dữ liệu (nếu kế hoạch có chỉ số thành phần).",
    )
else:
    comp_table = {
        "Mã": comp["component"],
        "Chỉ số thành phần": comp["component_name"],
        "Tỷ lệ": comp["ratio_pct"].map(_ui.pct),
        "So với năm trước": [
            _ui.trend(t, c) for t, c in zip(comp["trend"], comp["change_pct"], strict=True)
        ],
        "Đơn vị tham mưu": comp["advisors"].fillna("— chưa phân công —"),
    }
    st.dataframe(
        comp_table,
        hide_index=True,
        height="content",
        column_config={"Chỉ số thành phần": st.column_config.TextColumn(width="medium")},
        key="tq_components",
    )
    st.page_link("pages/3_chi_so_thanh_phan.py", label="Xem chi tiết chỉ số thành phần", icon="🧩")
