"""Placeholder page (to be built)."""

import streamlit as st

st.title("5_khen_thuong")
