"""Xếp hạng: the units of a block ranked for a year (ties share a rank), with the change
from the year before; the ratios against the group bands, a unit × year heatmap and the
rank movement over the years. Selecting a row opens the unit's profile; the ranking shown
downloads as a workbook. The address carries plan, review, year and block (a shareable
link; ``unit`` opens the block of that unit).
Widgets in -> analytics.views -> drawing."""

from functools import partial

import pandas as pd
import streamlit as st

from analytics import fmt, labels
from analytics.exports.ranking_workbook import ranking_xlsx_bytes
from analytics.views import coverage, paging
from pages import _charts, _charts_ranking, _links, _ui, _ui_cache

PAGE_SIZE = 30  # rows per table page; the charts draw the units of the page shown

ctx = _ui.context()
plan = ctx.plan
cls = plan.classification
st.title("📊 Xếp hạng")

years = _ui.browse_guard(ctx)
if years is None:
    st.stop()

block_labels = {b.code: b.label for b in plan.blocks}
# a shared link: its year and block (or the block of its unit) before the widgets exist
linked_year = _links.wanted_int("year", coverage.plan_years(plan))
if linked_year is not None:
    st.session_state[f"xh_year_{plan.id}_{ctx.review_id}"] = linked_year
linked_block = _links.wanted_text("block", block_labels)
if linked_block is None:
    units = _ui_cache.units_data(ctx.store)
    for uid in _links.wanted_units(units["unit_id"]):
        linked_block = dict(zip(units["unit_id"], units["block"], strict=True)).get(uid)
if linked_block in block_labels:
    st.session_state[f"xh_block_{plan.id}"] = linked_block
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
_links.share(plan.id, ctx.review_id, year=year, block=block)
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
# Two tables, one shown by the window's width (CSS, no script): the whole table on a
# desktop; on a phone (≤ 640 px) the unit with its rank, the ratio and the group, which fit
# 390 px without scrolling sideways.
st.html(_ui.NARROW_CSS.format(wide="xh_wide", narrow="xh_narrow"))
with st.container(key="xh_wide"):
    event = st.dataframe(
        styled,
        hide_index=True,
        height="content",
        column_config={"unit_id": None},
        on_select="rerun",
        selection_mode="single-row",
        key=table_key,
    )
compact = pd.DataFrame(
    {
        "Đơn vị": [f"{r} · {n}" for r, n in zip(table["Hạng"], df["name"], strict=True)],
        "Tỷ lệ (%)": table["Tỷ lệ (%)"],
        cls.name: table[cls.name],
    }
)
with st.container(key="xh_narrow"):
    narrow_event = st.dataframe(
        compact.style.map(_charts.band_badge_style(bands), subset=[cls.name]),
        hide_index=True,
        height="content",
        width="stretch",
        column_config={
            "Đơn vị": st.column_config.TextColumn(width=190),
            "Tỷ lệ (%)": st.column_config.TextColumn(width=80),
            cls.name: st.column_config.TextColumn(width=72),
        },
        on_select="rerun",
        selection_mode="single-row",
        key=f"{table_key}_narrow",
    )
st.caption(
    "Hạng trong khối theo tỷ lệ % (bằng nhau thì cùng hạng). «± tỷ lệ», «± hạng»: so với "
    "năm trước, khi đơn vị đã hoạt động và có Chỉ số năm đó. 👆 Chọn một dòng để mở hồ sơ "
    "đơn vị."
)
st.download_button(
    "Tải bảng xếp hạng (Excel)",
    partial(  # built when clicked: the date it carries is the download's
        ranking_xlsx_bytes,
        plan,
        year,
        block_labels[block],
        all_units,
        ctx.data_version,
        mode_label=labels.COMPARISON_MODES.get(mode),
    ),
    file_name=f"xep-hang-{year}-{fmt.slug(block_labels[block])}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon="📥",
    help="Toàn bộ các đơn vị của khối năm đã chọn (không chỉ trang đang xem).",
    key="xh_xlsx",
)
rows = (event.selection.rows if event is not None else []) or (
    narrow_event.selection.rows if narrow_event is not None else []
)
if rows:
    st.session_state["profile_unit"] = df["unit_id"].iloc[rows[0]]
    st.session_state.pop(table_key, None)  # coming back must not reopen the profile
    st.session_state.pop(f"{table_key}_narrow", None)
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
