"""``make bench``: speed and size figures, one module per subject (``bench_*.py``)."""
