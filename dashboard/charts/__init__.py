"""Every chart of the app as pure functions (a DataFrame in, an Altair chart out; no
Streamlit, no database): ``spm`` (Ringkasan, Capaian, Peta), ``lppd``, ``kelengkapan``,
``sop`` (the SOP cycle), what they share (``common``: colours, locale, labels) and the
files behind a chart (``exports``: CSV, XLSX, PNG)."""
