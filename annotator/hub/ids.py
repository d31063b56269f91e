"""Ids the client makes: a row gets its hub id from the file that made it, with no round trip.

Each project file has a replica id (a UUID made once, ``store.sync.prepare``); a row it made is
``uuid5(replica, "annotator:kind:local id")`` (the annotator's name is in it so that two people
who started from copies of one file still make different ids), so pushing the same row again, after a kill or a week offline,
names the same hub row. An article is named by its text (``uuid5`` of its content hash), so two
files holding the same article agree on its id. Rows that came from the hub keep the hub's id
(``hub_ids`` in the file).
"""

from __future__ import annotations

import uuid

ARTICLES = uuid.UUID("5b0c1d8e-5d0a-4f5e-9a57-2f6f3f1e6a11")


def article_id(content_hash: str) -> str:
    return str(uuid.uuid5(ARTICLES, content_hash))


class IdMaker:
    """Hub ids for one file's rows: pulled rows keep theirs, the file's own get computed ones."""

    def __init__(self, replica: str, annotator: str, pulled: dict[str, dict[int, str]]):
        self._replica = uuid.UUID(replica)
        self._annotator = annotator
        self._pulled = pulled

    def __call__(self, kind: str, local_id: int | None) -> str | None:
        if local_id is None:
            return None
        known = self._pulled.get(kind, {}).get(local_id)
        if known is not None:
            return known
        return str(uuid.uuid5(self._replica, f"{self._annotator}:{kind}:{local_id}"))
