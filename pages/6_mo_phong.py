"""Placeholder page (to be built)."""

import streamlit as st

st.title("6_mo_phong")
