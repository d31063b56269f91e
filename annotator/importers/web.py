"""Web pages in: the article of a saved page or a URL, without the page around it.

trafilatura finds the main text, the title, the outlet and (through htmldate) the publication date;
what it lets through of the page's furniture ("Read more: ...", "Share on ...", cookie notices) is
dropped line by line with the suggester's own list of such lines plus the cookie notices it lacks.
Fetching is polite and bounded: a user agent that says who we are, a timeout, robots.txt obeyed
(RFC 9309: unreachable means disallowed), a pause between requests to one host, a size limit.

trafilatura and lxml are imported inside the functions that use them: importing a folder of .txt
files never pays for them.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
import urllib.robotparser
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit, urlunsplit

from annotator import __version__
from annotator.importers.records import ArticleRecord, InputError

USER_AGENT = f"conflict-annotator/{__version__} (news annotation; one request at a time)"
TIMEOUT_SECONDS = 15.0
DELAY_SECONDS = 1.0  # between two requests to the same host (robots.txt's Crawl-delay wins if longer)
MIN_WORDS = 10  # fewer is a menu or a stub, not a report
MAX_PAGE_BYTES = 5_000_000  # far beyond a news page; more is a file download, not an article
# Lines trafilatura keeps that are not reporting; the suggester's list (annotator.suggest.boilerplate)
# covers "Read more", sharing, photo credits, copyright; cookie notices are only a page's.
_COOKIES = re.compile(r"\b(we use cookies|this (web)?site uses cookies|accept (all )?cookies|cookie (policy|settings|preferences))\b",
                      re.IGNORECASE)


@dataclass
class Page:
    """One page's article: the text as stored, and what the page says about it."""

    text: str
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    dropped_lines: list[str] = field(default_factory=list)  # furniture left out of the text


def extract_page(html: str | bytes, *, url: str | None = None, where: str = "page") -> Page:
    """The article of one HTML page.

    :param html: the page (bytes are decoded as the page declares)
    :param url: where it came from (helps the outlet and date when the page is silent)
    :param where: how to name the page in an error (file name or URL)
    :raises InputError: the page holds no article text
    """
    import trafilatura

    # No extensive date search: with no date in the page's metadata, htmldate falls back on the text and
    # reads a footer's "© 2026" as 1 January 2026, which then dates every "on Tuesday" of the article
    # wrongly. An article without a published date is kept undated and says so in the event table.
    found = trafilatura.bare_extraction(html, url=url, with_metadata=True, favor_precision=True,
                                        include_comments=False, include_tables=False, include_images=False,
                                        date_extraction_params={"extensive_search": False, "original_date": True})
    if found is None or not (found.text or "").strip():
        raise InputError(where, None, "no article text found in the page (a page of links, a login wall, "
                         "or text drawn by JavaScript?)")
    paragraphs, dropped = _without_furniture(found.text)
    words = sum(len(p.split()) for p in paragraphs)
    if words < MIN_WORDS:
        shown = " / ".join(paragraphs)[:80]
        raise InputError(where, None, f"no article text found in the page, only {words} words"
                         f"{f' ({shown!r})' if shown else ''}: a menu, a login wall, or text drawn by JavaScript?")
    outlet = found.sitename or found.hostname or (urlsplit(url).hostname if url else None)
    return Page(
        # Paragraphs one blank line apart, as in the sample articles and most pasted text.
        text="\n\n".join(paragraphs) + "\n",
        title=(found.title or "").strip() or None,
        published=found.date or None,
        outlet=outlet,
        url=found.url or url,
        language=found.language or None,
        dropped_lines=dropped,
    )


def _without_furniture(text: str) -> tuple[list[str], list[str]]:
    from annotator.suggest.boilerplate import boilerplate_ranges

    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    joined = "\n".join(lines)
    furniture = {joined[start:end].strip() for start, end in boilerplate_ranges(joined)}
    kept, dropped = [], []
    for line in lines:
        (dropped if line in furniture or _COOKIES.search(line) else kept).append(line)
    return kept, dropped


def page_record(page: Page, *, line: int = 1, fetched_from: str | None = None) -> ArticleRecord:
    record = ArticleRecord(text=page.text, line=line, title=page.title, source=page.outlet, url=page.url,
                           published=page.published, language=page.language)
    if fetched_from and fetched_from != page.url:
        record.meta["fetched_from"] = fetched_from
    return record


def read_html(path: Path, data: bytes) -> Iterator[tuple[ArticleRecord, int]]:
    """A saved page as one article (the importer's reader for .html files)."""
    page = extract_page(data, url=None, where=str(path))
    yield page_record(page), len(data)


# -- fetching ------------------------------------------------------------------------------------

@dataclass
class Fetched:
    url: str
    record: ArticleRecord | None = None
    error: str | None = None


def read_url_list(path: Path) -> list[str]:
    """URLs one a line; blank lines and lines starting with # are left out.

    :raises InputError: the file cannot be read
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(str(path), None, f"cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(str(path), None, "not valid UTF-8") from exc
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


class Fetcher:
    """Fetches pages one at a time, politely.

    :param timeout: seconds for each request (connecting and each read)
    :param delay: seconds between two requests to the same host
    :param user_agent: the User-Agent header, also the name looked up in robots.txt
    """

    def __init__(self, *, timeout: float = TIMEOUT_SECONDS, delay: float = DELAY_SECONDS,
                 user_agent: str = USER_AGENT):
        self.timeout, self.delay, self.user_agent = timeout, delay, user_agent
        self._robots: dict[str, urllib.robotparser.RobotFileParser | str] = {}
        self._last_request: dict[str, float] = {}

    def fetch(self, url: str) -> Fetched:
        """The page's article, or why not (one line)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return Fetched(url, error="not an http(s) URL")
        robots = self._robots_for(parts.scheme, parts.netloc)
        if isinstance(robots, str):
            return Fetched(url, error=robots)
        if not robots.can_fetch(self.user_agent, url):
            return Fetched(url, error="robots.txt of the site does not allow fetching it")
        crawl_delay = robots.crawl_delay(self.user_agent)
        try:
            data, final_url = self._get(parts.netloc, url, float(crawl_delay or 0), page=True)
        except _FetchError as exc:
            return Fetched(url, error=str(exc))
        try:
            page = extract_page(data, url=final_url, where=url)
        except InputError as exc:
            return Fetched(url, error=exc.reason)
        return Fetched(url, record=page_record(page, fetched_from=url))

    def _robots_for(self, scheme: str, netloc: str):
        key = f"{scheme}://{netloc}"
        if key not in self._robots:
            parser = urllib.robotparser.RobotFileParser(urlunsplit((scheme, netloc, "/robots.txt", "", "")))
            try:
                data, _ = self._get(netloc, parser.url, 0.0, page=False)
                parser.parse(data.decode("utf-8", "replace").splitlines())
                self._robots[key] = parser
            except _Missing:
                parser.parse([])  # no robots.txt: everything is allowed
                self._robots[key] = parser
            except _FetchError as exc:
                self._robots[key] = f"robots.txt could not be read ({exc}), so the site is not fetched"
        return self._robots[key]

    def _get(self, host: str, url: str, crawl_delay: float, *, page: bool) -> tuple[bytes, str]:
        wait = max(self.delay, crawl_delay) - (time.monotonic() - self._last_request.get(host, -1e9))
        if wait > 0:
            time.sleep(wait)
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent,
                                                       "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                kind = response.headers.get_content_type()
                if page and kind not in ("text/html", "application/xhtml+xml"):
                    raise _FetchError(f"not a web page ({kind})")
                data = response.read(MAX_PAGE_BYTES + 1)
                if len(data) > MAX_PAGE_BYTES:
                    raise _FetchError(f"larger than {MAX_PAGE_BYTES // 1_000_000} MB")
                return data, response.geturl()
        except urllib.error.HTTPError as exc:
            if not page and 400 <= exc.code < 500 and exc.code not in (401, 403):
                raise _Missing() from exc
            raise _FetchError(f"HTTP {exc.code} {exc.reason}") from exc
        except urllib.error.URLError as exc:
            raise _FetchError(f"cannot connect: {exc.reason}") from exc
        except TimeoutError as exc:
            raise _FetchError(f"no answer within {self.timeout:g} s") from exc
        except OSError as exc:
            raise _FetchError(f"connection failed: {exc}") from exc
        finally:
            self._last_request[host] = time.monotonic()


class _FetchError(Exception):
    pass


class _Missing(_FetchError):
    """robots.txt answered 404 (or another 4xx but 401/403): there are no rules."""
