"""Web pages in: saved pages and URLs become the article alone, with title, outlet and date.

The pages are written for these tests (invented outlets and events); URLs are served by a small
HTTP server on 127.0.0.1 that the test starts: nothing leaves the machine.
"""

from __future__ import annotations

import http.server
import threading
import time

import pytest

from annotator import config
from annotator.cli import main
from annotator.importers import import_samples
from annotator.store import Store

BODY = [
    "DORVAN, March 14 — Artillery fire struck the municipal water plant on the eastern edge of Dorvan early "
    "on Tuesday, cutting supply to about 12,000 residents, the regional governor Mira Talo said.",
    "The Valley Brigade said its positions north of the town had repelled an assault overnight, while the "
    "ministry of defence denied that any drones had been launched from the area.",
    "Two civilians were killed and five wounded, according to the town's hospital.",
]
FURNITURE = ["Home", "World news", "We use cookies to make this site work and to measure its audience.",
             "Accept all cookies", "Read more: Ceasefire talks stall in Lakeport", "Share on Facebook",
             "Share this article", "© 2026 The Valley Post. All rights reserved.", "Most read"]


def page(title: str, body: list[str], *, outlet: str = "The Valley Post", date: str = "2026-03-14") -> str:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in body)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | {outlet}</title>
<meta property="og:site_name" content="{outlet}">
<meta property="article:published_time" content="{date}T08:00:00Z">
</head><body>
<div class="cookie-banner"><p>{FURNITURE[2]}</p><button>{FURNITURE[3]}</button></div>
<header><nav><ul><li><a href="/">{FURNITURE[0]}</a></li><li><a href="/world">{FURNITURE[1]}</a></li></ul></nav></header>
<main><article><h1>{title}</h1>
{paragraphs}
<p>{FURNITURE[4]}</p>
<p>{FURNITURE[5]}</p>
<div class="share"><p>{FURNITURE[6]}</p></div>
</article>
<aside><h2>{FURNITURE[8]}</h2><ul><li><a href="/a">Storm closes the coast road</a></li></ul></aside></main>
<footer><p>{FURNITURE[7]}</p></footer></body></html>"""


def only_article(text: str) -> None:
    for paragraph in BODY:
        assert paragraph in text
    for line in FURNITURE:
        assert line not in text, line


def test_saved_page_imports_its_article_alone(tmp_path, write, capsys):
    saved = write("dorvan.html", page("Shelling cuts water in Dorvan", BODY))
    db = tmp_path / "p.sqlite"
    assert main(["--db", str(db), "import", str(saved)]) == 0
    assert "articles imported: 1" in capsys.readouterr().out
    with Store.open(db) as store:
        [article] = list(store.articles.iter())
    only_article(article.text)
    assert article.title == "Shelling cuts water in Dorvan"
    assert article.source == "The Valley Post"
    assert article.published == "2026-03-14"
    assert "<" not in article.text and "&" not in article.text


def test_a_copyright_year_is_no_published_date(tmp_path, write):
    # the page's metadata gives no date; only the footer's "© 2026" does, and it is no day
    undated = page("Shelling cuts water in Dorvan", BODY).replace(
        '<meta property="article:published_time" content="2026-03-14T08:00:00Z">\n', "")
    saved = write("undated.html", undated)
    db = tmp_path / "p.sqlite"
    assert main(["--db", str(db), "import", str(saved)]) == 0
    with Store.open(db) as store:
        [article] = list(store.articles.iter())
    assert article.published is None
    only_article(article.text)


def test_page_without_an_article_is_refused_with_its_name(tmp_path, write, capsys):
    empty = write("menu.html", "<html><body><nav><a href='/'>Home</a></nav></body></html>")
    good = write("dorvan.htm", page("Shelling cuts water in Dorvan", BODY))
    db = tmp_path / "p.sqlite"
    assert main(["--db", str(db), "import", str(empty), str(good)]) == 1
    out = capsys.readouterr().out
    assert "articles imported: 1" in out and "menu.html: no article text found" in out


def test_bundled_html_sample_goes_through_the_page_reader(store):
    assert any(p.suffix == ".html" for p in config.samples_dir().iterdir())
    import_samples(store)
    [sample] = [a for a in store.articles.iter() if a.source == "Coastline Daily"]
    assert sample.title == "Fishing boats turned back as navy patrols close Port Sable"
    assert sample.published == "2026-04-09"
    assert "Navy patrol boats turned back" in sample.text
    for furniture in ("cookies", "Read more", "Share on", "All rights reserved", "Subscribe", "Related"):
        assert furniture not in sample.text


# -- URLs against a local server -------------------------------------------------------------------

PAGES = {
    "/news/dorvan": page("Shelling cuts water in Dorvan", BODY),
    "/news/lakeport": page("Talks in Lakeport", ["LAKEPORT, March 15 — Delegations from both sides met in Lakeport "
                                                 "on Wednesday to discuss a local ceasefire, officials said, the "
                                                 "first such meeting since the autumn."], date="2026-03-15"),
    "/private/leaked": page("Not for robots", BODY[:1]),
}
ROBOTS = "User-agent: *\nDisallow: /private/\n"
SLOW_SECONDS = 3.0


class Handler(http.server.BaseHTTPRequestHandler):
    seen: list[tuple[str, str]] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        Handler.seen.append((self.path, self.headers.get("User-Agent", "")))
        if self.path == "/robots.txt":
            self._send(200, "text/plain", ROBOTS)
        elif self.path in PAGES:
            self._send(200, "text/html; charset=utf-8", PAGES[self.path])
        elif self.path == "/slow":
            time.sleep(SLOW_SECONDS)
            self._send(200, "text/html", PAGES["/news/dorvan"])
        elif self.path == "/picture.png":
            self._send(200, "image/png", "\x89PNG")
        else:
            self._send(404, "text/html", "<html><body>Not found</body></html>")

    def _send(self, status: int, kind: str, body: str) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_url_import_fetches_politely_and_names_each_failure(server, tmp_path, capsys):
    Handler.seen.clear()
    good = [f"{server}/news/dorvan", f"{server}/news/lakeport"]
    bad = [f"{server}/private/leaked", f"{server}/missing", f"{server}/picture.png", f"{server}/slow",
           "ftp://example.invalid/file", "http://127.0.0.1:9/refused"]
    listing = tmp_path / "urls.txt"
    listing.write_text("# pages to import\n" + "\n".join(good[:1] + bad + good[1:]) + "\n\n", encoding="utf-8")
    db = tmp_path / "p.sqlite"
    started = time.monotonic()
    status = main(["--db", str(db), "import", "--urls", str(listing), "--timeout", "0.5", "--fetch-delay", "0"])
    assert time.monotonic() - started < SLOW_SECONDS  # the slow page was given up on, not waited for
    out = capsys.readouterr().out
    assert status == 1
    assert "web pages listed: 8, fetched: 2" in out and "articles imported: 2" in out
    assert "pages not imported: 6" in out
    failures = [line.strip() for line in out.splitlines() if line.startswith("  ")]
    assert len(failures) == 6
    assert any(f"{server}/private/leaked" in line and "robots.txt" in line for line in failures)
    assert any(f"{server}/missing" in line and "HTTP 404" in line for line in failures)
    assert any("picture.png" in line and "not a web page (image/png)" in line for line in failures)
    assert any(f"{server}/slow" in line and "0.5 s" in line for line in failures)
    assert any("ftp://" in line and "not an http(s) URL" in line for line in failures)
    assert any(":9/refused" in line and "connect" in line for line in failures)
    # robots.txt read once, before any page; the private page never requested; our user agent sent.
    paths = [path for path, _ in Handler.seen]
    assert paths[0] == "/robots.txt" and paths.count("/robots.txt") == 1
    assert "/private/leaked" not in paths
    assert all(agent.startswith("conflict-annotator/") for _, agent in Handler.seen)
    with Store.open(db) as store:
        articles = sorted(store.articles.iter(), key=lambda a: a.published)
    assert [a.title for a in articles] == ["Shelling cuts water in Dorvan", "Talks in Lakeport"]
    assert [a.url for a in articles] == good
    assert articles[0].source == "The Valley Post" and articles[1].published == "2026-03-15"
    only_article(articles[0].text)


def test_url_import_pauses_between_requests_to_one_site(server, tmp_path, capsys):
    from annotator.importers.web import Fetcher

    fetcher = Fetcher(delay=0.3)
    started = time.monotonic()
    for path in ("/news/dorvan", "/news/lakeport"):
        assert fetcher.fetch(server + path).error is None
    # robots.txt, then two pages: two pauses.
    assert time.monotonic() - started >= 0.6


def test_url_list_that_cannot_be_read_creates_no_project(tmp_path, capsys):
    db = tmp_path / "p.sqlite"
    assert main(["--db", str(db), "import", "--urls", str(tmp_path / "none.txt")]) == 2
    assert "none.txt: cannot read" in capsys.readouterr().err
    assert not db.exists()
