"""The reports: what goes in them (data), deterministic files (berkas), the XLSX workbooks, the DOCX narrative, and the versioned records and export bundles."""
