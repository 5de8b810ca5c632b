"""The Streamlit app: layout and widgets only; figures come from ``pipelines``."""
