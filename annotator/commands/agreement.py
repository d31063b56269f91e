"""``annotator agreement``: how much annotators agree, over articles at least two marked done."""

from __future__ import annotations

import csv
import json
import sys

from annotator.commands._common import CommandError, add_db_argument, open_store

FIGURES = ("f1_exact", "f1_overlap", "cohen_kappa", "krippendorff_alpha")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "agreement",
        help="span F1, Cohen's kappa and Krippendorff's alpha between annotators",
        description="Computed over the articles at least two of the annotators marked done, separately for"
        " entities, event triggers and event arguments. See docs/agreement.md for the definitions.",
    )
    add_db_argument(parser)
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="every figure as one JSON object")
    form.add_argument("--csv", action="store_true", help="one row per figure (scope, label, pair)")
    parser.add_argument("--annotators", nargs="+", metavar="NAME", help="only these annotators (two or more)")
    parser.add_argument("--worst", type=int, default=10, metavar="N",
                        help="how many articles to list, worst first (table output; default 10)")
    parser.set_defaults(func=run)


def run(args) -> int:
    from annotator.agreement import MEASURED_UNITS, blind_split, compute_agreement
    from annotator.store import StoreError

    with open_store(args) as store:
        try:
            report = compute_agreement(store, args.annotators)
            split = blind_split(store, args.annotators)
        except StoreError as exc:
            raise CommandError(str(exc)) from exc
    if args.json:
        data = report.to_dict()
        data["blind_split"] = split.to_dict() if split else None
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    if args.csv:
        write_csv(report.to_dict(), sys.stdout, split.to_dict() if split else None)
        return 0
    if report.articles == 0:
        print("no article has been marked done by two or more annotators yet; nothing to compare")
        return 0
    data = report.to_dict()
    print(f"{report.articles} articles marked done by two or more of: {', '.join(report.annotators)}")
    for kind in MEASURED_UNITS:
        overall = data[kind]["overall"]
        print(f"\n{kind.replace('_', ' ')}: " + "  ".join(
            f"{name} {_fmt(value)}" for name, value in overall.items()))
        for label, row in data[kind]["labels"].items():
            print(f"  {label:<28}" + "  ".join(f"{name} {_fmt(value)}" for name, value in row.items()))
        for pair in data[kind]["pairs"]:
            print(f"  {' ~ '.join(pair['annotators']):<28}articles {pair['articles']:<5}"
                  f"f1_exact {_fmt(pair['f1_exact'])}  f1_overlap {_fmt(pair['f1_overlap'])}"
                  f"  cohen_kappa {_fmt(pair['cohen_kappa'])}")
    if split is not None:
        print(f"\nblind articles (annotated without suggestions; blind share {split.share:g}) apart from the rest:")
        for name, part in (("blind", split.blind), ("with suggestions", split.with_suggestions)):
            figures = part.to_dict()
            print(f"  {name}: {part.articles} articles")
            for kind in MEASURED_UNITS:
                print(f"    {kind.replace('_', ' '):<16}" + "  ".join(
                    f"{figure} {_fmt(value)}" for figure, value in figures[kind]["overall"].items()))
        if split.blind.articles == 0:
            print("  no blind article is done by two annotators yet: the figures above still include the suggester")
    discuss = report.worth_discussing()
    if not discuss:
        print("\nno article to discuss: every pair matched every unit exactly")
    else:
        print(f"\narticles worth discussing (worst first, {min(args.worst, len(discuss))} of {len(discuss)}):")
    for row in discuss[: args.worst]:
        print(f"  #{row['article_id']:<6} f1_exact {_fmt(row['f1_exact'])}  unmatched {row['unmatched']:<4}"
              f" {row['title'][:60]}")
    return 0


def _fmt(value) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def write_csv(data: dict, out, split: dict | None = None) -> None:
    """Long format: kind, scope (overall/label/pair/article, and with a blind share "overall blind" and
    "overall with suggestions"), label, annotator pair, figure, value."""
    from annotator.agreement import MEASURED_UNITS

    writer = csv.writer(out)
    writer.writerow(["kind", "scope", "label", "annotators", "figure", "value"])
    for part in ("blind", "with_suggestions"):
        for kind in MEASURED_UNITS if split else ():
            for figure, value in split[part][kind]["overall"].items():
                writer.writerow([kind, f"overall {part.replace('_', ' ')}", "", "", figure, value])
    for kind in MEASURED_UNITS:
        for figure, value in data[kind]["overall"].items():
            writer.writerow([kind, "overall", "", "", figure, value])
        for label, row in data[kind]["labels"].items():
            for figure, value in row.items():
                writer.writerow([kind, "label", label, "", figure, value])
        for pair in data[kind]["pairs"]:
            names = "|".join(pair["annotators"])
            for figure in FIGURES:
                if figure in pair:
                    writer.writerow([kind, "pair", "", names, figure, pair[figure]])
            for label, row in pair["labels"].items():
                for figure, value in row.items():
                    writer.writerow([kind, "pair", label, names, figure, value])
    for row in data["per_article"]:
        for kind in MEASURED_UNITS:
            for figure, value in row[kind].items():
                writer.writerow([kind, f"article {row['article_id']}", "", "|".join(row["annotators"]),
                                 figure, value])
