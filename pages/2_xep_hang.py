"""Xếp hạng: the units of a block ranked for a year (ties share a rank), with the change
from the year before; the ratios against the group bands, a unit × year heatmap and the
rank movement over the years. Selecting a row opens the unit's profile.
Widgets in -> analytics.views -> drawing."""

import pandas as pd
import streamlit as st

from analytics import labels
from analytics.views import paging
from pages import _charts, _charts_ranking, _ui, _ui_cache

PAGE_SIZE = 30  # rows per table page; the charts draw the units of the page shown

ctx = _ui.context()
plan = ctx.plan
cls = plan.classification
st.title("📊 Xếp hạng")

years = _ui.browse_guard(ctx)
if years is None:
    st.stop()

block_labels = {b.code: b.label for b in plan.blocks}
c_year, c_block, c_mode = st.columns([1, 2, 2])
with c_year:
    year = _ui.year_picker(ctx, "xh_year", years["unit_scores"])
with c_block:
    block = st.selectbox(
        "Khối",
        list(block_labels),
        format_func=block_labels.get,
        key=f"xh_block_{plan.id}",
    )
with c_mode:
    mode = st.selectbox(
        "So sánh qua các năm",
        list(labels.COMPARISON_MODES),
        format_func=labels.COMPARISON_MODES.get,
        help=labels.COMPARISON_HELP,
        key=f"xh_mode_{plan.id}",
    )
bands = _ui_cache.bands_data(plan.id)
df = _ui_cache.ranking_data(ctx.store, plan.id, year, block, mode)

st.subheader(f"{block_labels[block]} — năm {year}")
if df.empty:
    _ui.empty_state(
        f"Năm {year} khối này không có đơn vị nào đang hoạt động.",
        "Chọn năm hoặc khối khác.",
    )
    st.stop()
if df["ratio_pct"].isna().all():
    _ui.empty_state(
        f"Chưa có Chỉ số CCHC năm {year} của các đơn vị trong khối này.",
        "Chọn một năm khác ở ô «Năm», hoặc nhập điểm (unit_scores) ở trang 📥 Dữ liệu. "
        "Khối không có Chỉ số CCHC riêng được xét theo đánh giá của Ban Chỉ đạo "
        "(trang 🏅 Khen thưởng).",
    )

all_units = df
if len(all_units) > PAGE_SIZE:
    n_pages = paging.page_count(len(all_units), PAGE_SIZE)
    page_no = st.number_input(
        f"Trang (mỗi trang {PAGE_SIZE} đơn vị)",
        min_value=1,
        max_value=n_pages,
        step=1,
        key=f"xh_page_{plan.id}_{year}_{block}",
    )
    df, n_pages, page_no = paging.page_of(all_units, page_no, PAGE_SIZE)
    st.caption(
        f"Khối có {_ui.num(len(all_units), 0)} đơn vị: trang {page_no}/{n_pages} — bảng và "
        "các biểu đồ dưới đây chỉ vẽ các đơn vị của trang này."
    )
else:
    page_no = 1

table = {
    "unit_id": df["unit_id"],
    "Hạng": [
        _ui.text_or(r, lambda r, n=n: f"{r}/{n}", "—")
        for r, n in zip(df["rank"], df["n_ranked"], strict=True)
    ],
    "Đơn vị": df["name"],
    "Điểm": df["score"].map(_ui.num),
    "Điểm tối đa": df["max_score"].map(_ui.num),
    "Tỷ lệ (%)": df["ratio_pct"].map(_ui.pct),
    cls.name: df["band_label"].fillna("chưa có dữ liệu"),
    "± tỷ lệ": [
        _ui.trend(t, c) for t, c in zip(df["ratio_trend"], df["ratio_change_pct"], strict=True)
    ],
    "± hạng": [
        _ui.rank_trend(t, m, p)
        for t, m, p in zip(df["rank_trend"], df["rank_moves"], df["prev_rank"], strict=True)
    ],
    "Tỷ lệ hài lòng": df["satisfaction_pct"].map(_ui.pct),
}
frame = pd.DataFrame(table)
styled = frame.style.map(_charts.band_badge_style(bands), subset=[cls.name])
table_key = f"xh_table_{plan.id}_{year}_{block}_{page_no}"
event = st.dataframe(
    styled,
    hide_index=True,
    height="content",
    column_config={"unit_id": None},
    on_select="rerun",
    selection_mode="single-row",
    key=table_key,
)
st.caption(
    "Hạng trong khối theo tỷ lệ % (bằng nhau thì cùng hạng). «± tỷ lệ», «± hạng»: so với "
    "năm trước, khi đơn vị đã hoạt động và có Chỉ số năm đó. 👆 Chọn một dòng để mở hồ sơ "
    "đơn vị."
)
rows = event.selection.rows if event is not None else []
if rows:
    st.session_state["profile_unit"] = df["unit_id"].iloc[rows[0]]
    st.session_state.pop(table_key, None)  # coming back must not reopen the profile
    st.switch_page("pages/4_ho_so_don_vi.py")

tab_bar, tab_heat, tab_bump = st.tabs(
    ["📶 Tỷ lệ và ngưỡng xếp loại", "🗺️ Bản đồ nhiệt qua các năm", "↕️ Diễn biến thứ hạng"]
)
with tab_bar:
    if df["ratio_pct"].notna().any():
        st.plotly_chart(
            _charts_ranking.ratio_bars(
                df, bands, f"Tỷ lệ Chỉ số CCHC năm {year} — {block_labels[block]}"
            ),
            key="xh_bars",
        )
    else:
        st.caption("Chưa có số liệu để vẽ biểu đồ.")
hist = paging.rows_of_units(
    _ui_cache.block_history_data(ctx.store, plan.id, block, year, mode), df["unit_id"]
)
with tab_heat:
    if hist.empty:
        st.caption("Chưa có số liệu các năm để vẽ bản đồ nhiệt.")
    else:
        st.plotly_chart(
            _charts_ranking.ratio_heatmap(
                hist, bands, f"Tỷ lệ Chỉ số CCHC theo năm — {block_labels[block]}"
            ),
            key="xh_heatmap",
        )
        st.caption(
            f"Mỗi ô ghi tỷ lệ % và {cls.name.lower()}; ô trống: đơn vị chưa hoạt động hoặc chưa có số liệu."
        )
with tab_bump:
    if hist.empty:
        st.caption("Chưa có số liệu các năm để vẽ diễn biến thứ hạng.")
    else:
        st.plotly_chart(
            _charts_ranking.rank_bump(
                hist, f"Thứ hạng trong khối qua các năm — {block_labels[block]}"
            ),
            key="xh_bump",
        )
