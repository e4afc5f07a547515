"""The files each result in the disk cache was computed from, beside Hamilton's metadata.

Hamilton's cache key is a node's code version and its inputs' data
versions: a loader that reads `data.csv` has the same key whatever the file
holds, and its stored result was reused after the file changed (even after
a restart). The studio keeps, per cache key, the files the node read
(`studio.kernel.running.file_audit`) in a table of Hamilton's own metadata
database; before a stored result is reused, those files are checked, and a
node whose files changed is computed again.
"""

from __future__ import annotations

import json
import sqlite3

from studio.core.runs.file_reads import FileStamp

_TABLE = (
    "CREATE TABLE IF NOT EXISTS studio_file_reads (cache_key TEXT PRIMARY KEY, reads TEXT NOT NULL)"
)


def save(connection: sqlite3.Connection, cache_key: str, stamps: list[FileStamp]) -> None:
    """Keep the files read for `cache_key` (a failure only means no check later)."""
    text = json.dumps([s.to_wire() for s in stamps])
    try:
        connection.execute(_TABLE)
        connection.execute(
            "INSERT OR REPLACE INTO studio_file_reads (cache_key, reads) VALUES (?, ?)",
            (cache_key, text),
        )
        connection.commit()
    except sqlite3.Error:
        pass


def load(connection: sqlite3.Connection, cache_key: str) -> list[FileStamp] | None:
    """The files read for `cache_key`, or None when none were kept."""
    try:
        row = connection.execute(
            "SELECT reads FROM studio_file_reads WHERE cache_key = ?", (cache_key,)
        ).fetchone()
    except sqlite3.Error:  # no table yet
        return None
    if row is None:
        return None
    try:
        return [FileStamp.from_wire(item) for item in json.loads(row[0])]
    except (ValueError, TypeError, KeyError):
        return None
