"""What to annotate next: the learned version's uncertainty per article, kept in the project, ordering the
queue (``annotator next``). Invented reports only."""

from __future__ import annotations

import pytest

from annotator.cli import main
from annotator.learn.uncertainty import uncertainty
from annotator.domain import ArticleState
from annotator.store import Store
from learn_fixtures import build_team_project, learn_fast


def test_uncertainty_is_expected_errors_per_hundred_words():
    # a coin-flip span is half an expected error, a 0.9 span a tenth, a 0.02 span a fiftieth
    assert uncertainty([0.5, 0.9, 0.02], 50) == pytest.approx(100 * (0.5 + 0.1 + 0.02) / 50)
    assert uncertainty([1.0, 0.0], 10) == 0.0
    assert uncertainty([], 0) == 0.0


def test_store_orders_unfinished_articles_by_uncertainty_unscored_last(tmp_path):
    with Store.open(tmp_path / "p.sqlite") as store:
        calm, _ = store.articles.add("Calm report: the market opened.")
        unsure, _ = store.articles.add("Unsure report: shelling near Avdiivka.")
        unscored, _ = store.articles.add("A report nobody scored yet.")
        store.uncertainty.set("v0001", {calm: 0.4, unsure: 2.5})
        assert store.uncertainty.of([calm, unsure, unscored]) == {calm: ("v0001", 0.4), unsure: ("v0001", 2.5)}
        assert store.uncertainty.next_id("maria") == unsure
        # "next" from the article just left moves on to the next most uncertain
        assert store.uncertainty.next_id("maria", after=unsure) == calm
        store.states.set(calm, "maria", ArticleState.DONE)
        assert store.uncertainty.unfinished_ids("maria") == [unsure, unscored]
        assert store.uncertainty.next_id("maria", after=unsure) == unscored
        # a later scoring replaces the earlier one
        store.uncertainty.set("v0002", {unsure: 0.1})
        assert store.uncertainty.of([unsure]) == {unsure: ("v0002", 0.1)}


def test_next_command_without_a_learned_version_keeps_the_list_order(tmp_path, capsys):
    path = tmp_path / "p.sqlite"
    with Store.open(path) as store:
        first, _ = store.articles.add("First report: rebels shelled Sarvik.")
        second, _ = store.articles.add("Second report: talks in Kettleby.")
    assert main(["next", "--db", str(path), "--annotator", "maria", "--order", "uncertain"]) == 0
    printed = capsys.readouterr().out
    assert "no learned version yet" in printed
    rows = [line.split()[0] for line in printed.splitlines() if line.strip()[:1].isdigit()]
    assert rows == [str(first), str(second)]


def test_next_command_rejects_a_count_below_one(tmp_path, capsys):
    with Store.open(tmp_path / "p.sqlite") as store:
        store.articles.add("A report.")
    assert main(["next", "--db", str(tmp_path / "p.sqlite"), "--count", "0"]) == 2
    assert "--count" in capsys.readouterr().err


@pytest.mark.slow
def test_next_command_scores_unfinished_articles_with_the_learned_version(tmp_path, monkeypatch, capsys):
    learn_fast(monkeypatch)
    project = build_team_project(tmp_path / "team.sqlite", "Half done: Major Ilse Brandvold visited Kettleby.")
    with Store.open(project) as store:
        other, _ = store.articles.add("Colonel Arvo Tammik said that rebels shelled Sarvik overnight, and "
                                      "Captain Lena Morrow said the Harbour Front withdrew from Kettleby.")
    assert main(["learn", "--db", str(project), "--annotator", "rita"]) == 0
    capsys.readouterr()
    assert main(["next", "--db", str(project), "--annotator", "ana"]) == 0
    assert "learned version" not in capsys.readouterr().out  # the default is the list's order
    assert main(["next", "--db", str(project), "--annotator", "ana", "--order", "uncertain"]) == 0
    printed = capsys.readouterr().out
    assert "learned version v0001" in printed
    with Store.open(project) as store:
        unfinished = store.uncertainty.unfinished_ids("ana")
        scores = store.uncertainty.of(unfinished)
        # both unfinished articles scored by v0001 and kept; the finished ones are not in the queue
        assert set(scores) == set(unfinished) and other in unfinished and len(unfinished) == 2
        assert {version for version, _ in scores.values()} == {"v0001"}
        highest = max(unfinished, key=lambda i: scores[i][1])
    listed = [int(line.split()[0]) for line in printed.splitlines() if line.strip()[:1].isdigit()]
    assert listed[0] == highest and sorted(listed) == sorted(unfinished)
