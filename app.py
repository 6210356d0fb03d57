"""Thi đua CCHC: page config, navigation and the shared sidebar. Nothing else."""

import streamlit as st

from pages._nav import ensure_navigation_mode

ensure_navigation_mode()

from pages import _ui  # noqa: E402 (after the navigation mode is settled)

st.set_page_config(page_title="Thi đua CCHC", page_icon="🏅", layout="wide")

PAGES = [
    st.Page("pages/1_tong_quan.py", title="Tổng quan", icon="🏠", default=True),
    st.Page("pages/2_xep_hang.py", title="Xếp hạng", icon="📊"),
    st.Page("pages/3_chi_so_thanh_phan.py", title="Chỉ số thành phần", icon="🧩"),
    st.Page("pages/4_ho_so_don_vi.py", title="Hồ sơ đơn vị", icon="🏛️"),
    st.Page("pages/5_khen_thuong.py", title="Khen thưởng", icon="🏅"),
    st.Page("pages/6_mo_phong.py", title="Mô phỏng", icon="🧪"),
    st.Page("pages/7_du_lieu.py", title="Dữ liệu", icon="📥"),
    st.Page("pages/8_hoi_dong.py", title="Hội đồng xét", icon="🗳️"),
    st.Page("pages/9_nhat_ky.py", title="Nhật ký", icon="📜"),
    st.Page("pages/10_dang_ky.py", title="Đăng ký thi đua", icon="📝"),
    st.Page("pages/11_so_sanh.py", title="So sánh đơn vị", icon="⚖️"),
]

nav = st.navigation(PAGES)
try:
    _ui.sidebar()
    nav.run()
except Exception as exc:  # noqa: BLE001 (a visitor sees a Vietnamese message, never a traceback)
    _ui.show_failure(exc)
