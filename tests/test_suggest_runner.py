"""Suggesting through the store: long articles in pieces, one failing article never stops the rest.

The suggester here runs on rules alone (no model load), which keeps a 1.2-million-character
article fast enough for the suite."""

from __future__ import annotations

import pytest

from annotator.domain import Status
from annotator.store import Store
from annotator.suggest import load_gazetteer, load_suggester, suggest_articles
from annotator.suggest.runner import pieces

SHORT = "Ukrainian forces will withdraw from Kiev, an official said.\n\n"


@pytest.fixture(scope="module")
def rules_only():
    return load_suggester("/nonexistent/pipeline", gazetteer=load_gazetteer(geonames=False))


def break_on_poison(suggester, monkeypatch):
    """Make the suggester fail on any text holding POISON; returns its own analysis, to put back."""
    analyse = suggester.analyse

    def fragile(doc, memory=None):
        if "POISON" in doc.text:
            raise ValueError("the parse went wrong")
        return analyse(doc, memory)

    monkeypatch.setattr(suggester, "analyse", fragile)
    return analyse


def test_suggest_runner_pieces_put_back_together_are_the_text():
    text = ("Shelling hit the town.\r\n\r\n" + "Troops moved north 🇺🇦 again. " * 4000).strip()
    cut = pieces(text, size=10_000)
    assert "".join(piece for _, piece in cut) == text
    assert all(text[base : base + len(piece)] == piece for base, piece in cut)
    assert all(len(piece) <= 10_000 for _, piece in cut)
    assert len(cut) > 1


def test_suggest_runner_huge_article_is_suggested_in_pieces_with_exact_offsets(rules_only, monkeypatch):
    # A pipeline limited to 8,000 characters stands in for spaCy's 1,000,000 (E088 beyond it), so the
    # suite does not parse a megabyte.
    monkeypatch.setattr(rules_only.nlp, "max_length", 8_000)
    store = Store.memory()
    paragraph = "Militia fighters shelled the bridge near Kiev on Tuesday.\n\n"
    huge = paragraph * (30_000 // len(paragraph))
    big, _ = store.articles.add(huge)
    small, _ = store.articles.add(SHORT)
    summary = suggest_articles(store, suggester=rules_only)
    assert summary.failed == []
    assert summary.in_pieces == [big] and summary.articles == 2
    found = [s for s in store.spans.for_article(big) if s.label == "LOCATION"]
    assert len(found) == huge.count("Kiev")
    assert all(s.text_in(huge) == "Kiev" for s in found)  # offsets on the right characters, every piece
    assert any(s.start_char > 20_000 for s in found)
    assert any(s.text_in(SHORT) == "Kiev" for s in store.spans.for_article(small))


def test_suggest_runner_one_failing_article_is_named_and_the_rest_go_on(rules_only, monkeypatch):
    store = Store.memory()
    first, _ = store.articles.add("Rebels attacked Goma.\n\nPOISON here.")
    second, _ = store.articles.add(SHORT)
    analyse = break_on_poison(rules_only, monkeypatch)
    summary = suggest_articles(store, suggester=rules_only)
    assert summary.failed == [(first, "ValueError: the parse went wrong")]
    assert summary.articles == 1
    assert store.spans.for_article(first) == []  # nothing half-stored
    assert {s.text_in(SHORT) for s in store.spans.for_article(second) if s.status is Status.PENDING} >= {"Kiev"}
    # The failed article was not marked as done by this suggester: the next run tries it again.
    monkeypatch.setattr(rules_only, "analyse", analyse)
    again = suggest_articles(store, suggester=rules_only)
    assert (again.articles, again.skipped, again.failed) == (1, 1, [])


def test_suggest_runner_command_names_the_failed_article(tmp_path, capsys, monkeypatch, rules_only):
    from annotator.cli import main

    db = tmp_path / "p.sqlite"
    with Store.open(db) as store:
        store.articles.add("Rebels attacked Goma.\n\nPOISON here.")
        store.articles.add(SHORT)
    break_on_poison(rules_only, monkeypatch)
    monkeypatch.setattr("annotator.suggest.load_suggester", lambda model: rules_only)
    assert main(["suggest", "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert "1 articles suggested" in out
    assert "#1: ValueError: the parse went wrong" in out


def test_suggest_runner_parses_a_huge_article_in_batches_of_bounded_size_with_progress(tmp_path, rules_only,
                                                                                         monkeypatch):
    """spaCy holds a whole batch's parse in memory: the pieces of one huge article must not all go
    into one batch (32 pieces of 50,000 characters took a 5 MB article past 5 GB), and the run
    reports each piece as it goes (issue 17, item 10). Sizes scaled down 10 times for speed."""
    from annotator.suggest import runner

    monkeypatch.setattr(runner, "PIECE_CHARS", 2_000)
    monkeypatch.setattr(runner, "BATCH_CHARS", 5_000)
    text = "".join(f"Paragraph {n}: shelling hit the town and troops moved north.\n\n" for n in range(600))
    batches: list[int] = []
    pipe = rules_only.nlp.pipe

    def measured(texts, **kwargs):
        items = list(texts)
        batches.append(sum(len(t) for t, _ in items))
        return pipe(iter(items), **kwargs)

    monkeypatch.setattr(rules_only.nlp, "pipe", measured)
    with Store.open(tmp_path / "p.sqlite") as store:
        store.articles.add(text)
        pieces_seen: list[tuple[int, int]] = []
        summary = suggest_articles(store, suggester=rules_only, learned=False,
                                   piece_progress=lambda done, piece, of: pieces_seen.append((piece, of)))
    assert summary.articles == 1 and not summary.failed and summary.added > 100
    assert len(text) > 5 * runner.BATCH_CHARS
    assert max(batches) <= runner.BATCH_CHARS, f"a batch of {max(batches):,} characters"
    count = len(pieces(text, runner.PIECE_CHARS))
    assert count > 15 and pieces_seen == [(n, count) for n in range(1, count)]
