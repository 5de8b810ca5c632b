"""Streamlit pieces shared by pages (layout only; data through ``dashboard.data``): the
pickers kept across pages (``filters``), a chart with its note and downloads
(``chart_panel``), role checks and empty-state stops (``guard``), a form's action with its
confirmation (``actions``), where a figure comes from (``explain``) and one template's
download (``template_download``)."""
