"""Articles: the texts, exactly as imported, their list with filters, and full-text search."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from annotator.domain import Article, content_hash, display_title
from annotator.store.errors import NotFoundError, StoreError
from annotator.store.project import chunked, dump, now
from annotator.store.states import ALL_STATES, state_clause
from annotator.store.suggestions import UNDECIDED, UNDECIDED_SUGGESTION
from annotator.store.part import Part


@dataclass
class ArticleSummary:
    """One row of the article list: enough to show it without loading the text."""

    id: int
    title: str
    state: str
    spans: int
    pending: int
    length: int


def fts_query(text: str) -> str:
    """Turn what a user typed into an FTS5 query of quoted terms, so punctuation cannot break it."""
    terms = [t.replace('"', '""') for t in text.split()]
    return " ".join(f'"{t}"' for t in terms if t)


class Articles(Part):
    def add(
        self,
        text: str,
        *,
        title: str | None = None,
        source: str | None = None,
        url: str | None = None,
        published: str | None = None,
        language: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> tuple[int, bool]:
        """Add an article unless one with the same text is there.

        :param text: the text, stored exactly (CRLF, emoji and all)
        :param title: its headline, if known
        :param source: the outlet that published it
        :param url: where it was published
        :param published: when, as the input gave it (ISO dates preferred)
        :param language: its language code
        :param meta: anything else the input carried, kept so nothing is lost
        :returns: (article id, True if it was added now)
        """
        digest = content_hash(text)
        # One statement for a new text (the usual case), not a look-up first.
        cursor = self._db.execute(
            "INSERT INTO articles(text, title, source, url, published, language, meta, content_hash,"
            " imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(content_hash) DO NOTHING",
            [text, title, source, url, published, language, dump(meta), digest, now()],
        )
        if cursor.rowcount == 1:
            return cursor.lastrowid, True
        return self._db.execute("SELECT id FROM articles WHERE content_hash = ?", [digest]).fetchone()[0], False

    @contextmanager
    def deferred_search(self) -> Iterator[None]:
        """A transaction in which the articles added are indexed for search once, at the end, in one
        statement, instead of one by one as they are inserted (six times cheaper for a file of
        articles). Everything inside is one transaction: it all goes in, or nothing does."""
        with self.transaction():
            if self._db.execute("SELECT 1 FROM search_deferred").fetchone():
                yield  # an enclosing block indexes these too
                return
            first = self._db.execute("SELECT coalesce(max(id), 0) + 1 FROM articles").fetchone()[0]
            self._db.execute("INSERT INTO search_deferred(id, from_id) VALUES (1, ?)", [first])
            yield
            self._db.execute("DELETE FROM search_deferred")
            self._db.execute(
                "INSERT INTO articles_fts(rowid, title, text) SELECT id, title, text FROM articles WHERE id >= ?",
                [first])

    def verify_search_index(self) -> None:
        """Check that the search index agrees with the articles (SQLite's FTS5 integrity check).

        :raises StoreError: it does not (searches would miss or repeat articles); the message says so
        """
        try:
            # rank 1: also compare the index with the articles themselves (external content), not only with itself.
            self._db.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self._store.path or 'the project'}: the search index disagrees with the articles ({exc})"
                             ) from exc

    def get(self, article_id: int) -> Article:
        """One article.

        :param article_id: its id
        :raises NotFoundError: no such article
        """
        rows = list(self._db.query("SELECT * FROM articles WHERE id = ?", [article_id]))
        if not rows:
            raise NotFoundError(f"no article with id {article_id}")
        return Article.from_row(rows[0])

    def update_meta(self, article_id: int, meta: dict[str, Any]) -> None:
        """Replace an article's meta.

        :param article_id: its id
        :param meta: the new meta object
        """
        with self.transaction():
            self._db.execute("UPDATE articles SET meta = ? WHERE id = ?", [dump(meta), article_id])

    def id_by_hash(self, digest: str) -> int | None:
        """The article whose text has this content hash, if any.

        :param digest: :func:`annotator.domain.content_hash` of the text
        """
        row = self._db.execute("SELECT id FROM articles WHERE content_hash = ?", [digest]).fetchone()
        return row[0] if row else None

    def count(self) -> int:
        """How many articles the project holds."""
        return self._db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def ids(self) -> list[int]:
        """Every article id, in order."""
        return [r[0] for r in self._db.execute("SELECT id FROM articles ORDER BY id")]

    def missing(self, ids: Iterable[int]) -> list[int]:
        """Those of ``ids`` that name no article, in the order given.

        :param ids: article ids to check
        """
        ids = list(dict.fromkeys(ids))
        known: set[int] = set()
        for chunk in chunked(ids):
            known |= {r[0] for r in self._db.execute(
                f"SELECT id FROM articles WHERE id IN ({', '.join('?' * len(chunk))})", chunk)}
        return [i for i in ids if i not in known]

    def iter(self, ids: Iterable[int] | None = None, batch: int = 500) -> Iterator[Article]:
        """Stream articles in id order without loading them all.

        :param ids: only these, in the order given
        :param batch: rows read at a time
        """
        if ids is not None:
            for article_id in ids:
                yield self.get(article_id)
            return
        last = 0
        while True:
            rows = list(self._db.query("SELECT * FROM articles WHERE id > ? ORDER BY id LIMIT ?", [last, batch]))
            if not rows:
                return
            for row in rows:
                yield Article.from_row(row)
            last = rows[-1]["id"]

    def lengths(self, ids: list[int]) -> dict[int, int]:
        """Each article's length in characters, without reading the texts out.

        :param ids: the article ids
        """
        found: dict[int, int] = {}
        for chunk in chunked(ids):
            found.update(self._db.execute(
                f"SELECT id, length(text) FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk))
        return found

    def texts(self, ids: list[int]) -> dict[int, tuple[str, str | None]]:
        """(text, title) of many articles at once.

        :param ids: the article ids
        """
        found: dict[int, tuple[str, str | None]] = {}
        for chunk in chunked(ids):
            for article_id, text, title in self._db.execute(
                f"SELECT id, text, title FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ):
                found[article_id] = (text, title)
        return found

    # -- the article list ----------------------------------------------------------------------

    def _filter(self, annotator: str, states: Iterable[str] | None, label: str | None,
                has_pending: bool | None, search: str | None) -> tuple[str, list[Any]]:
        me = self._store.annotators.ensure(annotator)
        clauses: list[str] = []
        params: list[Any] = []
        if states:
            clause, values = state_clause(me, states)
            clauses.append(clause)
            params += values
        if label:
            # A set from the index spans_by_label, not a lookup per article.
            clauses.append(
                "a.id IN (SELECT s.article_id FROM spans s WHERE s.label = ?"
                " AND (s.annotator_id = ? OR s.annotator_id IS NULL) AND s.status != 'rejected')"
            )
            params += [label, me]
        if has_pending is not None:
            clauses.append(("" if has_pending else "NOT ") + "EXISTS (" + UNDECIDED_SUGGESTION + ")")
            params += [me, me]
        if search and search.strip():
            clauses.append("a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            params.append(fts_query(search))
        return (" AND ".join(clauses) if clauses else "1"), params

    def count_where(self, annotator: str, *, states: Iterable[str] | None = None,
                    label: str | None = None, has_pending: bool | None = None,
                    search: str | None = None) -> int:
        """How many articles :meth:`list_articles` would list with these filters.

        :param annotator: whose states, spans and undecided suggestions count
        :param states: only articles in these states of that annotator
        :param label: only articles with a (not rejected) span of this label
        :param has_pending: only articles with (True) or without (False) undecided suggestions
        :param search: only articles whose title or text has all these words
        """
        searching = bool(search and search.strip())
        if states and not (label or has_pending is not None or searching):
            return self._count_in_named_states(annotator, states)
        if searching and not (states or label or has_pending is not None):
            # Straight from the index: "a.id IN (matches)" first copied every match (a third more).
            return self._db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?",
                                    [fts_query(search)]).fetchone()[0]
        if label and not (states or has_pending is not None or searching):
            # The distinct articles of the label's index range (every span's article exists: the
            # foreign key cascades), not "a.id IN (...)" probed article by article: 0.5 s -> 0.2 s.
            me = self._store.annotators.ensure(annotator)
            return self._db.execute(
                "SELECT count(DISTINCT s.article_id) FROM spans s WHERE s.label = ?"
                " AND (s.annotator_id = ? OR s.annotator_id IS NULL) AND s.status != 'rejected'",
                [label, me]).fetchone()[0]
        if has_pending is not None and not (states or label or searching):
            # One scan of the suggestions, not a probe per article: 12 s -> 1.1 s on a million.
            me = self._store.annotators.ensure(annotator)
            with_pending = self._db.execute(
                f"SELECT count(DISTINCT s.article_id) FROM spans s WHERE {UNDECIDED}", [me, me]).fetchone()[0]
            return with_pending if has_pending else self.count() - with_pending
        where, params = self._filter(annotator, states, label, has_pending, search)
        return self._db.execute(f"SELECT count(*) FROM articles a WHERE {where}", params).fetchone()[0]

    def _count_in_named_states(self, annotator: str, states: Iterable[str]) -> int:
        """Counted from the annotator's state rows alone (an index range), not article by article:
        'todo' is every article less those recorded in another state (0.7 s -> 0.1 s on a million)."""
        me = self._store.annotators.ensure(annotator)
        wanted = {str(s) for s in states}
        counted = [s for s in ALL_STATES if (s in wanted) != ("todo" in wanted)]
        marks = ", ".join("?" * len(counted)) or "NULL"
        recorded = self._db.execute(
            f"SELECT count(*) FROM article_states WHERE annotator_id = ? AND state IN ({marks})",
            [me, *counted]).fetchone()[0]
        return self.count() - recorded if "todo" in wanted else recorded

    def list(self, annotator: str, *, states: Iterable[str] | None = None, label: str | None = None,
             has_pending: bool | None = None, search: str | None = None, offset: int = 0,
             limit: int = 200, after: int | None = None) -> list[ArticleSummary]:
        """One page of the article list for ``annotator``, in id order, filtered.

        :param annotator: whose states and counts are shown
        :param states: see :meth:`count_articles_where` (also ``label``, ``has_pending``, ``search``)
        :param offset: rows to skip (after ``after``, if given)
        :param limit: rows to return at most
        :param after: only articles with a larger id: the last id of the previous page. Prefer it to
            ``offset`` when scrolling: it costs the same on every page, where ``offset`` walks every
            row skipped (seconds deep into a million articles)
        """
        me = self._store.annotators.ensure(annotator)
        searching = bool(search and search.strip())
        where, params = self._filter(annotator, states, label, has_pending, None)
        if after is not None:
            where = f"{'f.rowid' if searching else 'a.id'} > ? AND ({where})"
            params = [after, *params]
        source = "articles a"
        if searching:
            # Driven by the full-text index in its own (id) order, so a page stops after its rows:
            # "a.id IN (all matches)" first collected every match (0.9 s for a common word in a
            # million articles). The count still needs every match.
            source = "articles_fts f JOIN articles a ON a.id = f.rowid"
            where = f"f.articles_fts MATCH ? AND ({where})"
            params = [fts_query(search), *params]
        # The list names an article by the window's one title rule (model.display_title), read from the
        # title, the text's first lines and the date.
        sql = f"""
            SELECT a.id, a.title, substr(a.text, 1, 400) AS head, a.published,
                   coalesce(st.state, 'todo') AS state, length(a.text) AS length,
                   (SELECT count(*) FROM spans s WHERE s.article_id = a.id AND s.annotator_id = ?
                        AND s.status = 'accepted') AS spans,
                   ({UNDECIDED_SUGGESTION.replace("SELECT 1", "SELECT count(*)", 1)}) AS pending
            FROM {source}
            LEFT JOIN article_states st ON st.article_id = a.id AND st.annotator_id = ?
            WHERE {where}
            ORDER BY {'f.rowid' if searching else 'a.id'} LIMIT ? OFFSET ?
        """
        rows = self._db.execute(sql, [me, me, me, me, *params, limit, offset]).fetchall()
        blind = self._store.blind_article_ids([r[0] for r in rows])  # they show no suggestion (docs/agreement.md)
        return [
            ArticleSummary(id=r[0], title=display_title(r[1], r[2], r[0], r[3]), state=r[4],
                           length=r[5], spans=r[6], pending=0 if r[0] in blind else r[7])
            for r in rows
        ]

    def next_id(self, annotator: str, after: int | None = None) -> int | None:
        """The next article (by id) that ``annotator`` has not finished, wrapping around.

        :param annotator: whose states count
        :param after: the article to start after (default: the first)
        """
        me = self._store.annotators.ensure(annotator)
        clause, params = state_clause(me, ("todo", "in_progress"))
        sql = f"SELECT a.id FROM articles a WHERE {clause} AND a.id > ? ORDER BY a.id LIMIT 1"
        row = self._db.execute(sql, [*params, after or 0]).fetchone()
        if row is None and after:
            row = self._db.execute(sql, [*params, 0]).fetchone()
        return row[0] if row else None

    # -- articles by an annotator's state (export) ------------------------------------------------

    def count_in_states(self, annotator_id: int, states: Iterable[str]) -> int:
        """How many articles ``annotator_id`` has in one of ``states``.

        :param annotator_id: the annotator's id
        :param states: article states (an article never touched is 'todo')
        """
        clause, params = state_clause(annotator_id, states)
        return self._db.execute(f"SELECT count(*) FROM articles a WHERE {clause}", params).fetchone()[0]

    def hashes_in_states(self, annotator_id: int, states: Iterable[str]) -> dict[int, str]:
        """Article id -> content hash of the articles ``annotator_id`` has in one of ``states``
        (the export's split reads them before it writes anything)."""
        clause, params = state_clause(annotator_id, states)
        return dict(self._db.execute(f"SELECT a.id, a.content_hash FROM articles a WHERE {clause}", params).fetchall())

    def in_states(self, annotator_id: int, states: Iterable[str], *, after: int = 0,
                  limit: int = 200) -> list[Article]:
        """The next articles (by id, after ``after``) that ``annotator_id`` has in one of ``states``.

        :param annotator_id: the annotator's id
        :param states: article states
        :param after: the last article id already read
        :param limit: articles to return at most
        """
        clause, params = state_clause(annotator_id, states)
        rows = self._db.query(
            f"SELECT a.* FROM articles a WHERE a.id > ? AND {clause} ORDER BY a.id LIMIT ?", [after, *params, limit])
        return [Article.from_row(r) for r in rows]
