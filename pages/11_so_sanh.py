"""So sánh đơn vị: two or three units side by side — their PAR Index ratio, group and rank
in their block year by year, and their component scores of a year. The address carries
plan, review, units and year (a shareable link).
Widgets in -> analytics.views -> drawing."""

import streamlit as st

from analytics import fmt
from pages import _charts_components, _links, _ui, _ui_benchmark

MOST = 3  # units compared at once: more would not read side by side

ctx = _ui.context()
plan = ctx.plan
cls = plan.classification
st.title("⚖️ So sánh đơn vị")

years = _ui.browse_guard(ctx)
if years is None:
    st.stop()

choices = _ui.unit_choices(ctx)
ids, names = choices.ids, choices.names
units_key = f"ss_units_{plan.id}"
linked = _links.wanted_units(ids, most=MOST)
if linked:
    st.session_state[units_key] = linked
elif units_key not in st.session_state and st.session_state.get("profile_unit") in names:
    st.session_state[units_key] = [st.session_state["profile_unit"]]
picked = st.multiselect(
    f"Đơn vị (chọn 2 hoặc {MOST})",
    ids,
    max_selections=MOST,
    format_func=choices.label,
    help="Gõ vài chữ của tên đơn vị để tìm.",
    key=units_key,
    placeholder="Chọn đơn vị",
)
if len(picked) < 2:
    _links.share(plan.id, ctx.review_id, units=picked)
    _ui.empty_state(
        f"Chọn ít nhất 2 đơn vị (tối đa {MOST}) để so sánh.",
        "Có thể so sánh đơn vị của các khối khác nhau; hạng luôn tính trong khối của từng đơn vị.",
    )
    st.stop()
chosen = tuple(picked)
columns = fmt.unique_names(  # table headers: two units of one name stay apart
    {u: names[u] for u in chosen}, {u: choices.block_labels[u] for u in chosen}
)

# --- ratios and groups over the years ------------------------------------------------------------
st.subheader("Chỉ số CCHC qua các năm")
hist = _ui_benchmark.units_history_data(ctx.store, plan.id, chosen)
if hist.empty:
    _ui.empty_state(
        "Các đơn vị đã chọn chưa có Chỉ số CCHC năm nào.",
        "Nhập điểm (unit_scores) ở trang 📥 Dữ liệu.",
    )
else:
    st.plotly_chart(
        _charts_components.units_ratio_lines(hist, f"Tỷ lệ Chỉ số CCHC và {cls.name.lower()}"),
        key="ss_lines",
    )
    shown_years = sorted(hist["year"].unique())
    table = {"Năm": [str(y) for y in shown_years]}
    for uid in chosen:
        rows = hist[hist["unit_id"] == uid].set_index("year")
        cells = []
        for y in shown_years:
            if y not in rows.index:
                cells.append("—")
                continue
            r = rows.loc[y]
            cells.append(
                f"{_ui.pct(r['ratio_pct'])} · {r['band_label']} · hạng {r['rank']}/{r['n_ranked']}"
            )
        table[columns[uid]] = cells
    st.dataframe(table, hide_index=True, height="content", key="ss_years")
    st.caption(
        f"Mỗi ô: tỷ lệ Chỉ số CCHC · {cls.name.lower()} · hạng trong khối của đơn vị năm đó; "
        "«—»: đơn vị chưa hoạt động hoặc chưa có số liệu năm đó."
    )

# --- component scores of a year ------------------------------------------------------------------
st.subheader("Điểm các lĩnh vực")
comp_years = _ui_benchmark.component_years_data(ctx.store, chosen)
comp_year = None
if not comp_years:
    _ui.empty_state(
        "Chưa có điểm các lĩnh vực (chỉ số thành phần) của các đơn vị đã chọn.",
        "Nhập bảng «Điểm lĩnh vực của đơn vị» (unit_component_scores) ở trang 📥 Dữ liệu.",
    )
else:
    year_key = f"ss_year_{plan.id}"
    linked_year = _links.wanted_int("year", comp_years)
    if linked_year is not None:
        st.session_state[year_key] = linked_year
    if st.session_state.get(year_key) not in comp_years:
        end = plan.effective_end(ctx.review) or ctx.review.window_end
        st.session_state[year_key] = end if end in comp_years else comp_years[-1]
    comp_year = st.selectbox("Năm", comp_years, key=year_key)
    comps = _ui_benchmark.component_scores_data(ctx.store, plan.id, chosen, comp_year)
    missing = [fmt.md(columns[u]) for u in chosen if u not in set(comps["unit_id"])]
    if missing:
        st.caption(f"Chưa có điểm các lĩnh vực năm {comp_year}: " + "; ".join(missing) + ".")
    if not comps.empty:
        st.plotly_chart(
            _charts_components.units_component_bars(
                comps, f"Tỷ lệ điểm từng lĩnh vực năm {comp_year}"
            ),
            key="ss_components",
        )
        labels_order = list(dict.fromkeys(comps["component_label"]))
        side = {"Lĩnh vực": labels_order}
        for uid in chosen:
            rows = comps[comps["unit_id"] == uid].set_index("component_label")
            side[columns[uid]] = [
                f"{_ui.num(rows.loc[c, 'score'])} / {_ui.num(rows.loc[c, 'max_score'])} "
                f"({_ui.pct(rows.loc[c, 'ratio_pct'])})"
                if c in rows.index
                else "—"
                for c in labels_order
            ]
        st.dataframe(
            side,
            hide_index=True,
            height="content",
            column_config={"Lĩnh vực": st.column_config.TextColumn(width="large")},
            key="ss_components_table",
        )
        st.caption("Mỗi ô: điểm đạt được / điểm tối đa của lĩnh vực (tỷ lệ).")
_links.share(plan.id, ctx.review_id, units=chosen, year=comp_year)
