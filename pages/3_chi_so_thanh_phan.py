"""Chỉ số thành phần: the provincial PAR Index components by year — score, max, exact
ratio, change from the year before and the advisory unit(s) responsible — their ratios
over the years, and each advisory unit's combined component ratio (the measure the
award rule reads). Widgets in -> analytics.views -> drawing."""

import streamlit as st

from analytics import labels
from pages import _charts_trends, _ui, _ui_cache

ctx = _ui.context()
plan = ctx.plan
st.title("🧩 Chỉ số thành phần")
st.caption(
    "Các chỉ số thành phần của Chỉ số CCHC cấp tỉnh và đơn vị tham mưu từng lĩnh vực. "
    "Tỷ lệ = điểm / điểm tối đa × 100, làm tròn 2 chữ số (thang điểm tối đa có thể thay "
    "đổi giữa các năm nên so sánh theo tỷ lệ %)."
)

years = _ui.browse_guard(ctx)
if years is None:
    st.stop()
if not years["province_components"]:
    _ui.empty_state(
        "Kho dữ liệu chưa có chỉ số thành phần cấp tỉnh.",
        "Nhập bảng province_components (năm, mã, tên, điểm, điểm tối đa) ở trang 📥 Dữ liệu. "
        "Kế hoạch cấp xã, phường (như Như Quỳnh) thường không có chỉ số thành phần.",
    )
    st.stop()

col_year, _ = st.columns([1, 3])
with col_year:
    year = _ui.year_picker(ctx, "cstp_year", years["province_components"])
all_years = _ui_cache.components_data(ctx.store, plan.id)
comp = _ui_cache.components_data(ctx.store, plan.id, year)

# --- the components of the year ------------------------------------------------------------
st.subheader(f"Chỉ số thành phần năm {year}")
if comp.empty:
    _ui.empty_state(
        f"Chưa có chỉ số thành phần năm {year}.",
        "Chọn một năm khác ở ô «Năm», hoặc nhập số liệu năm này ở trang 📥 Dữ liệu.",
    )
else:
    table = {
        "Mã": comp["component"],
        "Chỉ số thành phần": comp["component_name"],
        "Điểm": comp["score"].map(_ui.num),
        "Điểm tối đa": comp["max_score"].map(_ui.num),
        "Tỷ lệ": comp["ratio_pct"].map(_ui.pct),
        "Năm trước": comp["prev_ratio_pct"].map(_ui.pct),
        "So với năm trước": [
            _ui.text_or(t, lambda t, c=c: _ui.trend(t, c), "chưa có năm trước")
            for t, c in zip(comp["trend"], comp["change_pct"], strict=True)
        ],
        "Đơn vị tham mưu": comp["advisors"].fillna("— chưa phân công —"),
    }
    st.dataframe(
        table,
        hide_index=True,
        height="content",
        column_config={"Chỉ số thành phần": st.column_config.TextColumn(width="medium")},
        key="cstp_table",
    )
    st.caption("▲ tăng / ▼ giảm / = không đổi so với năm trước; ★ tối đa: đạt 100 % điểm tối đa.")

# --- ratios over the years ---------------------------------------------------------------------
st.subheader("Tỷ lệ các chỉ số thành phần qua các năm")
st.plotly_chart(
    _charts_trends.ratio_lines(
        all_years,
        series="component",
        label="component_label",
        title="Tỷ lệ chỉ số thành phần (%)",
    ),
    key="cstp_lines",
)
with st.expander("Bảng số liệu các năm"):
    st.dataframe(
        {
            "Năm": all_years["year"].astype(str),
            "Mã": all_years["component"],
            "Chỉ số thành phần": all_years["component_name"],
            "Điểm": all_years["score"].map(_ui.num),
            "Điểm tối đa": all_years["max_score"].map(_ui.num),
            "Tỷ lệ": all_years["ratio_pct"].map(_ui.pct),
            "Kết quả": [
                _ui.trend(t, c)
                for t, c in zip(all_years["trend"], all_years["change_pct"], strict=True)
            ],
        },
        hide_index=True,
        height="content",
        column_config={"Chỉ số thành phần": st.column_config.TextColumn(width="medium")},
        key="cstp_all",
    )

# --- the advisory units ------------------------------------------------------------------------
st.subheader(f"Đơn vị tham mưu — chỉ số thành phần gộp năm {year} so với năm trước")
st.caption(
    "Tỷ lệ gộp = tổng điểm / tổng điểm tối đa các chỉ số thành phần đơn vị tham mưu, làm "
    "tròn 2 chữ số — đúng cách tính của tiêu chuẩn khen thưởng «"
    f"{labels.CRITERIA['component_improved']}». Thiếu một chỉ số thành phần thì chưa đủ dữ liệu."
)
adv = _ui_cache.advisory_data(ctx.store, plan.id, year)
if adv.empty:
    _ui.empty_state(
        f"Không có đơn vị tham mưu nào hoạt động năm {year}.",
        "Khai báo cột advised_components của đơn vị (bảng units) ở trang 📥 Dữ liệu.",
    )
else:
    improved = {True: labels.state_label("pass"), False: labels.state_label("fail")}
    st.dataframe(
        {
            "Đơn vị tham mưu": adv["name"],
            "Chỉ số thành phần": adv["advised_components"],
            f"Tỷ lệ gộp {year}": [
                _ui.text_or(v, _ui.pct, f"chưa đủ dữ liệu (thiếu {m})")
                for v, m in zip(adv["ratio_pct"], adv["missing_end"], strict=True)
            ],
            "Năm trước": [
                _ui.text_or(v, _ui.pct, f"chưa đủ dữ liệu (thiếu {m})")
                for v, m in zip(adv["prev_ratio_pct"], adv["missing_prev"], strict=True)
            ],
            "Thay đổi": [
                _ui.trend(t, c) for t, c in zip(adv["trend"], adv["change_pct"], strict=True)
            ],
            "Năm sau cao hơn năm trước": [
                _ui.text_or(v, improved.get, labels.state_label("unknown"))
                for v in adv["is_improved"]
            ],
        },
        hide_index=True,
        height="content",
        key="cstp_advisory",
    )
