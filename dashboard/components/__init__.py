"""Reusable Streamlit pieces shared by pages (layout only; data through dashboard.data*)."""
