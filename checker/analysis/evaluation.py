"""Figures for `manage.py evaluate`, computed the way the project is judged (shared/eval/score.py)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from checker.analysis.types import RISK_LEVELS


@dataclass(frozen=True)
class Labelled:
    id: str
    text: str
    risk: str
    patterns: tuple[str, ...]


def score(items: list[Labelled], predicted: dict[str, dict]) -> dict:
    high = [r for r in items if r.risk == "high"]
    low = [r for r in items if r.risk == "low"]

    def level(r: Labelled) -> str | None:
        return predicted.get(r.id, {}).get("risk_level")

    tp = fp = fn = 0
    per_pattern: Counter = Counter()
    for r in high:
        gold = set(r.patterns)
        got = {p["id"] for p in predicted.get(r.id, {}).get("patterns", [])}
        tp += len(gold & got)
        fp += len(got - gold)
        fn += len(gold - got)
        for p in gold & got:
            per_pattern[(p, "tp")] += 1
        for p in got - gold:
            per_pattern[(p, "fp")] += 1
        for p in gold - got:
            per_pattern[(p, "fn")] += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    confusion = Counter((r.risk, level(r)) for r in items)
    return {
        "n": len(items),
        "high_recall": sum(level(r) == "high" for r in high) / len(high) if high else 0.0,
        "low_judged_high": sum(level(r) == "high" for r in low) / len(low) if low else 0.0,
        "level_accuracy": sum(level(r) == r.risk for r in items) / len(items) if items else 0.0,
        "pattern_precision": precision,
        "pattern_recall": recall,
        "pattern_f1": f1,
        "per_pattern": per_pattern,
        "confusion": confusion,
    }


def format_report(figures: dict) -> str:
    lines = [
        f"n={figures['n']}  high-risk recall={figures['high_recall']:.3f}  "
        f"low judged high={figures['low_judged_high']:.3f}  level accuracy={figures['level_accuracy']:.3f}",
        f"patterns on high-risk texts: precision={figures['pattern_precision']:.3f} "
        f"recall={figures['pattern_recall']:.3f} F1={figures['pattern_f1']:.3f}",
        "",
        "confusion (rows: labelled, columns: predicted)",
        "          " + "".join(f"{lvl:>8}" for lvl in RISK_LEVELS),
    ]
    for gold in RISK_LEVELS:
        lines.append(f"{gold:>10}" + "".join(f"{figures['confusion'][(gold, got)]:>8}" for got in RISK_LEVELS))
    per = figures["per_pattern"]
    names = sorted({p for p, _ in per})
    if names:
        lines += ["", f"{'pattern':<28}{'tp':>5}{'fp':>5}{'fn':>5}"]
        for name in names:
            lines.append(f"{name:<28}{per[(name, 'tp')]:>5}{per[(name, 'fp')]:>5}{per[(name, 'fn')]:>5}")
    return "\n".join(lines)


def genre_table(items: list[Labelled], genres: dict[str, str], predicted: dict[str, dict]) -> str:
    """Per genre: how many texts, and the share judged high, medium and low (the open-world view).

    For labelled scam texts the high share is their recall; for everyday texts it is the false alarm rate.
    """
    by_genre: dict[str, list[Labelled]] = {}
    for r in items:
        by_genre.setdefault(genres.get(r.id, "?"), []).append(r)
    lines = [f"{'genre':<22}{'n':>6}{'label':>8}{'high':>8}{'medium':>8}{'low':>8}  named when high"]
    for genre, rows in sorted(by_genre.items()):
        got = Counter(predicted[r.id]["risk_level"] for r in rows)
        named = sum(1 for r in rows if predicted[r.id]["risk_level"] == "high" and predicted[r.id]["patterns"])
        labels = "/".join(sorted({r.risk for r in rows}))
        share = {lvl: got[lvl] / len(rows) for lvl in RISK_LEVELS}
        lines.append(
            f"{genre:<22}{len(rows):>6}{labels:>8}{share['high']:>8.1%}{share['medium']:>8.1%}{share['low']:>8.1%}"
            f"  {named}/{got['high']}"
        )
    return "\n".join(lines)
