"""The database problems the dashboard names to people, kept apart so every layer can raise them."""

from __future__ import annotations


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or is not ours; the message says which and what to do.

    Messages may name the host, port, user and database (for operators and the server log), never
    the password; pages show a generic message instead."""


class DatabaseConfigError(DatabaseUnavailable):
    """A setting (``DATABASE_URL``, a timeout) cannot be used: the message names it and says what to
    write instead. Retrying cannot help until the setting is changed."""


class LoadBusy(RuntimeError):
    """Another load of the same programme held the database for longer than this one may wait.
    Nothing from this file was written; the message is meant for the person loading."""
