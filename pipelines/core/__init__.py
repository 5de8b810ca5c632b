"""What every capability reads: settings, reference data (regions, OPD, catalogs), form definitions and Indonesian formatting."""
