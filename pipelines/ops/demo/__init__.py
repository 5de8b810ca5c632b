"""Deterministic demo data, one module per capability: the orchestration (loader), the SPM and LPPD uploads (uploads), SOP cycles (siklus), review history (review) and accounts (users)."""
