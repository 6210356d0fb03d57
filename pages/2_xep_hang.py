"""Placeholder page (to be built)."""

import streamlit as st

st.title("2_xep_hang")
