"""Placeholder page (to be built)."""

import streamlit as st

st.title("7_du_lieu")
