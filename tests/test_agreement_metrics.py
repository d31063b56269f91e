"""Agreement figures on the three-annotator fixture: worked out by hand (arithmetic in comments) and
checked against sklearn's cohen_kappa_score and the krippendorff package."""

from __future__ import annotations

import csv
import io
import json
import itertools

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from annotator.agreement import ARGUMENTS, ENTITIES, EVENTS, MEASURED_UNITS, compute_agreement
from annotator.agreement import metrics
from annotator.agreement.report import load_agreement_data
from annotator.agreement.tokens import token_offsets
from annotator.cli import main
from annotator.store import Store, StoreError
from test_agreement_fixture import TEXT_1, build_three_annotators

approx = lambda value: pytest.approx(value, abs=1e-4)  # noqa: E731 - figures are rounded to 4 places


@pytest.fixture
def report():
    store = Store.memory()
    build_three_annotators(store)
    return compute_agreement(store).to_dict()


def pair(report, kind, a, b):
    return next(p for p in report[kind]["pairs"] if p["annotators"] == [a, b])


def test_agreement_tokenizer_splits_words_and_punctuation():
    starts, ends = token_offsets(TEXT_1)
    assert [TEXT_1[s:e] for s, e in zip(starts, ends)] == [
        "Militia", "fighters", "attacked", "Dorvan", "market", "on", "Tuesday", "."]


def test_agreement_counts_only_articles_two_annotators_marked_done(report):
    # Article 4 is done by ana alone; cho's PERSON span on article 2 (in progress) is not counted.
    assert report["articles"] == 3
    assert report["annotators"] == ["ana", "ben", "cho"]
    assert pair(report, ENTITIES, "ana", "ben")["articles"] == 2
    assert pair(report, ENTITIES, "ana", "cho")["articles"] == 1
    assert pair(report, ENTITIES, "ben", "cho")["articles"] == 2


def test_agreement_entity_span_f1_by_hand(report):
    # ana~ben: article 1 exact LOCATION, DATE (2), overlap also ARMED_GROUP (3); article 2 Sela (1).
    #   spans 3+3+1+1 = 8: f1_exact 2*3/8 = .75, f1_overlap 2*4/8 = 1.
    # ana~cho: article 1 only: ARMED_GROUP matches; LOCATION vs FACILITY does not: 2*1/(3+2) = .4 both.
    # ben~cho: article 1 nothing exact, ARMED_GROUP overlaps; article 3 PERSON, LOCATION exact.
    #   spans 3+2+3+2 = 10: f1_exact 2*2/10 = .4, f1_overlap 2*3/10 = .6.
    # Overall: exact 3+1+2 = 6, overlap 4+1+3 = 8, spans 8+5+10 = 23: 12/23, 16/23.
    assert pair(report, ENTITIES, "ana", "ben")["f1_exact"] == approx(0.75)
    assert pair(report, ENTITIES, "ana", "ben")["f1_overlap"] == approx(1.0)
    assert pair(report, ENTITIES, "ana", "cho")["f1_exact"] == approx(0.4)
    assert pair(report, ENTITIES, "ben", "cho")["f1_overlap"] == approx(0.6)
    assert report[ENTITIES]["overall"]["f1_exact"] == approx(12 / 23)
    assert report[ENTITIES]["overall"]["f1_overlap"] == approx(16 / 23)
    # LOCATION: ana~ben 2 of 2+2, ana~cho 0 of 1, ben~cho 1 of 1+2: 2*3/8 = .75.
    assert report[ENTITIES]["labels"]["LOCATION"]["f1_exact"] == approx(0.75)
    assert pair(report, ENTITIES, "ben", "cho")["labels"]["LOCATION"]["f1_exact"] == approx(2 / 3)


def test_agreement_entity_cohen_kappa_by_hand(report):
    # ana~ben over 15 tokens (articles 1, 2): only "fighters" differs (ARMED_GROUP vs O): p_o = 14/15.
    #   ana: AG 2, LOC 3, DATE 1, O 9; ben: AG 1, LOC 3, DATE 1, O 10.
    #   p_e = (2*1 + 3*3 + 1*1 + 9*10)/225 = 102/225; kappa = (210-102)/(225-102) = 108/123.
    # ana~cho over 8 tokens: agree on 5; p_e = (AG 2*2 + O 3*4)/64 = 16/64; kappa = (.625-.25)/.75 = .5.
    # ben~cho over 15 tokens: agree on 4 + 6; p_e = (AG 1*2 + LOC 3*1 + PER 2*2 + O 7*8)/225 = 65/225;
    #   kappa = (150-65)/(225-65) = 85/160.
    assert pair(report, ENTITIES, "ana", "ben")["cohen_kappa"] == approx(108 / 123)
    assert pair(report, ENTITIES, "ana", "cho")["cohen_kappa"] == approx(0.5)
    assert pair(report, ENTITIES, "ben", "cho")["cohen_kappa"] == approx(85 / 160)
    assert report[ENTITIES]["overall"]["cohen_kappa_mean"] == approx((108 / 123 + 0.5 + 85 / 160) / 3)


def test_agreement_entity_krippendorff_alpha_by_hand(report):
    # 52 pairable values (8 tokens x 3 + 7 x 2 + 7 x 2). Coincidences off the diagonal:
    #   "fighters" AG,O,AG: AG-O and O-AG 1 each; "Dorvan", "market" LOC,LOC,FAC: LOC-FAC, FAC-LOC 1 each
    #   per token; "Tuesday" DATE,DATE,O: 1 each way; "Police" ORG vs O: 1 each way. Sum = 10.
    #   n_c: AG 5, O 30, LOC 8, FAC 2, DATE 2, ORG 1, PER 4; sum n_c^2 = 1014.
    #   alpha = 1 - (n-1) * 10 / (n^2 - 1014) = 1 - 51*10/1690.
    assert report[ENTITIES]["overall"]["krippendorff_alpha"] == approx(1 - 510 / 1690)


def test_agreement_event_figures_by_hand(report):
    # Triggers: cho's BATTLES vs the others' VIOLENCE_AGAINST_CIVILIANS on "attacked".
    #   ana~cho: p_o = 7/8, p_e = 7*7/64, kappa = (56-49)/(64-49) = 7/15.
    #   ben~cho: 15 tokens, p_o = 14/15, p_e = 14*14/225, kappa = 14/29. ana~ben: 1.
    #   alpha: off-diagonal 2 (VAC-BAT both ways); n_VAC 2, n_BAT 3, n_O 47: 1 - 51*2/(2704-2222).
    assert pair(report, EVENTS, "ana", "cho")["cohen_kappa"] == approx(7 / 15)
    assert pair(report, EVENTS, "ben", "cho")["cohen_kappa"] == approx(14 / 29)
    assert pair(report, EVENTS, "ana", "ben")["f1_exact"] == approx(1.0)
    assert report[EVENTS]["overall"]["f1_exact"] == approx(0.5)  # 2 matches of 8 triggers, doubled
    assert report[EVENTS]["overall"]["krippendorff_alpha"] == approx(1 - 102 / 482)
    # Arguments: ana~ben TARGET and Sela LOCATION exact, ACTOR overlaps (Militia / Militia fighters):
    #   exact 2*2/6, overlap 2*3/6. With cho the event labels differ, so no argument matches.
    #   Tokens name the role of the span they fill: ana~cho differ on "Dorvan market" (TARGET vs
    #   LOCATION): p_o = 6/8, p_e = (ACTOR 2*2 + O 4*4)/64, kappa = (48-20)/(64-20) = 28/44.
    assert pair(report, ARGUMENTS, "ana", "ben")["f1_exact"] == approx(2 / 3)
    assert pair(report, ARGUMENTS, "ana", "ben")["f1_overlap"] == approx(1.0)
    assert pair(report, ARGUMENTS, "ana", "cho")["cohen_kappa"] == approx(28 / 44)
    # alpha: off-diagonal ACTOR-O 2, TARGET-LOCATION 4; n: ACTOR 5, O 39, TARGET 4, LOCATION 4.
    assert report[ARGUMENTS]["overall"]["krippendorff_alpha"] == approx(1 - 51 * 6 / (2704 - 1578))


def test_agreement_lists_articles_worst_first(report):
    # Article 1: exact matches (entities 2+1+0, triggers 1, arguments 1) of 16+6+12 units: 10/34.
    # Article 3: 2 of 5 entity spans doubled: 4/5. Article 2: everything agrees.
    order = [(row["article_id"], row["f1_exact"]) for row in report["per_article"]]
    assert order == [(1, approx(10 / 34)), (3, approx(0.8)), (2, approx(1.0))]


def test_agreement_matches_sklearn_and_krippendorff_packages():
    store = Store.memory()
    build_three_annotators(store)
    report = compute_agreement(store).to_dict()
    data = load_agreement_data(store)
    chosen = data.annotators
    for kind in MEASURED_UNITS:
        codes = data.codes[kind]
        for (i, a), (j, b) in itertools.combinations(enumerate(chosen), 2):
            both = (codes[:, i] >= 0) & (codes[:, j] >= 0)
            expected = cohen_kappa_score(codes[both, i], codes[both, j])
            assert pair(report, kind, a, b)["cohen_kappa"] == approx(expected)
        reliability = np.where(codes.T >= 0, codes.T, np.nan).astype(float)
        expected_alpha = krippendorff.alpha(reliability_data=reliability, level_of_measurement="nominal")
        assert report[kind]["overall"]["krippendorff_alpha"] == approx(expected_alpha)


def test_agreement_alpha_and_kappa_agree_with_packages_on_random_codes():
    rng = np.random.default_rng(7)
    codes = rng.integers(0, 4, size=(400, 3))
    codes[rng.random((400, 3)) < 0.2] = metrics.MISSING
    reliability = np.where(codes.T >= 0, codes.T, np.nan).astype(float)
    assert metrics.krippendorff_alpha_nominal(codes, 4) == pytest.approx(
        krippendorff.alpha(reliability_data=reliability, level_of_measurement="nominal"))
    both = (codes[:, 0] >= 0) & (codes[:, 1] >= 0)
    assert metrics.cohen_kappa(codes[:, 0], codes[:, 1], 4) == pytest.approx(
        cohen_kappa_score(codes[both, 0], codes[both, 1]))


def test_agreement_span_only_one_annotator_marked_lowers_kappa():
    # Two annotators agree on everything except one span only ana marked; dropping "O" positions
    # would report perfect agreement, counting them must not.
    store = Store.memory()
    article, _ = store.articles.add("Guards fired at Ilva port.")
    for name in ("ana", "ben"):
        store.spans.add(article, 16, 25, "LOCATION", "entity", annotator=name)
        store.states.set(article, name, "done")
    store.spans.add(article, 0, 6, "ARMED_GROUP", "entity", annotator="ana")
    report = compute_agreement(store).to_dict()
    assert report[ENTITIES]["pairs"][0]["cohen_kappa"] < 1
    assert report[ENTITIES]["overall"]["krippendorff_alpha"] < 1


def test_agreement_refuses_unknown_annotator_naming_known_ones():
    store = Store.memory()
    build_three_annotators(store)
    with pytest.raises(StoreError, match="'zed'.*known: ana, ben, cho"):
        compute_agreement(store, ["ana", "zed"])


def test_agreement_restricted_to_two_annotators():
    store = Store.memory()
    build_three_annotators(store)
    only = compute_agreement(store, ["ana", "ben"]).to_dict()
    assert only["articles"] == 2
    assert [p["annotators"] for p in only[ENTITIES]["pairs"]] == [["ana", "ben"]]


def test_agreement_command_json_and_csv(tmp_path, capsys):
    db = tmp_path / "p.sqlite"
    with Store.open(db) as store:
        build_three_annotators(store)
    assert main(["agreement", "--db", str(db), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[ENTITIES]["overall"]["f1_exact"] == approx(12 / 23)
    assert main(["agreement", "--db", str(db), "--csv", "--annotators", "ana", "ben"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    kappa = [r for r in rows if r["kind"] == ENTITIES and r["scope"] == "pair" and r["label"] == ""
             and r["figure"] == "cohen_kappa"]
    assert [(r["annotators"], float(r["value"])) for r in kappa] == [("ana|ben", approx(108 / 123))]
    assert main(["agreement", "--db", str(db)]) == 0
    table = capsys.readouterr().out
    assert "3 articles marked done" in table and "#1" in table
    assert main(["agreement", "--db", str(db), "--annotators", "ana"]) == 2
    assert "at least two annotators" in capsys.readouterr().err


def reference_f1(units_a: list[tuple], units_b: list[tuple]) -> tuple[float, float]:
    """A plain reading of the definitions: exact = same offsets and label; overlap = same label and
    overlapping offsets, one to one, exact pairs first, then first fit in order of offsets."""
    from collections import Counter

    exact = sum((Counter(units_a) & Counter(units_b)).values())
    rest_a = sorted((Counter(units_a) - Counter(units_b)).elements())
    rest_b = sorted((Counter(units_b) - Counter(units_a)).elements())
    used = [False] * len(rest_b)
    overlap = exact
    for start, end, label in rest_a:
        for k, (other_start, other_end, other_label) in enumerate(rest_b):
            if not used[k] and other_label == label and start < other_end and other_start < end:
                used[k] = True
                overlap += 1
                break
    total = len(units_a) + len(units_b)
    return 2 * exact / total, 2 * overlap / total


def test_agreement_vectorized_span_matching_equals_plain_reading():
    rng = np.random.default_rng(3)
    store = Store.memory()
    text = " ".join(f"w{i}" for i in range(60))
    marked: dict[str, list[tuple]] = {"ana": [], "ben": []}
    for number in range(6):
        article, _ = store.articles.add(f"{number} {text}")
        for name in marked:
            for _ in range(12):
                start = int(rng.integers(0, 150))
                end = start + int(rng.integers(1, 12))
                label = ["PERSON", "LOCATION"][int(rng.integers(0, 2))]
                store.spans.add(article, start, end, label, "entity", annotator=name)
                marked[name].append((article, start, end, label))
            store.states.set(article, name, "done")
    expected_exact, expected_overlap = reference_f1(
        [(a * 1000 + s, a * 1000 + e, l) for a, s, e, l in marked["ana"]],
        [(a * 1000 + s, a * 1000 + e, l) for a, s, e, l in marked["ben"]],
    )
    [figures] = compute_agreement(store).to_dict()[ENTITIES]["pairs"]
    assert figures["f1_exact"] == approx(expected_exact)
    assert figures["f1_overlap"] == approx(expected_overlap)
    assert figures["f1_overlap"] > figures["f1_exact"]  # the random spans do overlap


def test_agreement_articles_worth_discussing_leave_out_full_agreement(tmp_path, capsys):
    # Article 2 is at F1 1.000 (everything agrees): the command must not offer it for discussion.
    db = tmp_path / "p.sqlite"
    with Store.open(db) as store:
        build_three_annotators(store)
        report = compute_agreement(store)
    assert [row["article_id"] for row in report.worth_discussing()] == [1, 3]
    assert report.to_dict()["worth_discussing"] == [1, 3]
    assert main(["agreement", "--db", str(db)]) == 0
    listed = capsys.readouterr().out.split("articles worth discussing")[1].splitlines()
    assert listed[0] == " (worst first, 2 of 2):"
    assert [line.split()[0] for line in listed[1:]] == ["#1", "#3"]
