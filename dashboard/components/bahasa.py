"""Streamlit's own words in Indonesian where it has no setting for them.

Streamlit writes a few strings itself, in English: the file uploader's button and
hint ("Upload", "200MB per file • XLSX, CSV"), the placeholders of empty date inputs
("dd/mm/yyyy") and the keyboard hints under text inputs ("Press Enter to apply",
"Press Ctrl+Enter to submit form") and the top menu (Print, Record screen, About:
hidden, the browser prints as well). Where a setting exists the app uses it
(``st.navigation(expanded=True)`` instead of "View more", ``placeholder=`` on
multiselects). For the rest, :func:`terapkan` adds a small style sheet scoped to
those elements (by Streamlit's ``data-testid``): the English text is hidden and the
Indonesian text drawn in its place. The README lists what stays English and why.
"""

from __future__ import annotations

import streamlit as st

# What a multiselect shows while nothing is chosen (instead of "Choose options").
PILIH_BEBERAPA = "Pilih satu atau lebih"

_UNGGAH = "[data-testid='stFileUploaderDropzone']"
_PETUNJUK = "[data-testid='stFileUploaderDropzoneInstructions']"
_TANGGAL = "[data-testid='stDateInputField'] [data-placeholder='true']"

CSS = f"""
{_UNGGAH} button [data-testid='stMarkdownContainer'] {{ display: none; }}
{_UNGGAH} button span[data-has-shortcut]::after {{ content: "Pilih berkas"; font-size: 0.875rem; }}
{_PETUNJUK} > div > span {{ display: none; }}
{_PETUNJUK} > div::after {{
  content: "Seret berkas ke sini atau klik Pilih berkas";
  font-size: 0.875rem; opacity: 0.7;
}}
{_TANGGAL} {{ visibility: hidden; position: relative; }}
{_TANGGAL}::after {{ visibility: visible; position: absolute; left: 0; }}
{_TANGGAL}[data-type='day']::after {{ content: "hh"; }}
{_TANGGAL}[data-type='month']::after {{ content: "bb"; }}
{_TANGGAL}[data-type='year']::after {{ content: "tttt"; }}
[data-testid='InputInstructions'] {{ display: none; }}
[data-testid='stMainMenu'] {{ display: none; }}
"""


def terapkan() -> None:
    """Put the style sheet on the page (once per run; it takes no space)."""
    st.html(f"<style>{CSS}</style>")
