"""The spm command: argument parsing only; every command calls the library."""
