"""Placeholder page (to be built)."""

import streamlit as st

st.title("1_tong_quan")
