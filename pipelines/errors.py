"""The project's exceptions: every error meant for a user is an :class:`SpmError`.

Its message is one plain Indonesian sentence saying what is wrong and what to do. The
app's entry file and the CLI's root group are the only places that turn it into a
message; everything else raises it. Pages and commands import the family from here,
never from the database layer.
"""

from __future__ import annotations


class SpmError(Exception):
    """An error whose message is meant for the user (Indonesian, one sentence).

    ``detail`` may carry technical text (e.g. the database driver's own message) for
    logs; it is never part of what the user reads.
    """

    detail: str | None = None


class DatabaseBusy(SpmError):
    """Another process holds the database file."""


class DatabaseError(SpmError):
    """The database refused an operation (constraint, corrupt file, bad query)."""


class NotInitialised(SpmError):
    """The database has not been prepared with ``spm init``."""


class AccessDenied(SpmError):
    """The actor may not do this."""
