"""Placeholder page (to be built)."""

import streamlit as st

st.title("4_ho_so_don_vi")
