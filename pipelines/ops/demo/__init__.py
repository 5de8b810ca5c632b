"""Deterministic demo data for every capability (SPM and LPPD figures, accounts, review history, SOP cycles)."""
