"""SPM and LPPD monitoring for a provincial Biro Pemerintahan: the library.

Modules by job: ``store`` (the DuckDB boundary), ``reference`` (regions and
catalogs), ``settings`` (versioned parameters), ``demo`` (demo data), ``cli``
(the ``spm`` command, a thin layer over the rest).
"""
