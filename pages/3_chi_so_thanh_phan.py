"""Placeholder page (to be built)."""

import streamlit as st

st.title("3_chi_so_thanh_phan")
