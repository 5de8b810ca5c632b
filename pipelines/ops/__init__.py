"""Running the system: backup, restore and check; the demo data."""
