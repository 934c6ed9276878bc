"""The trained model on the separately written held-out sets (tests/data/holdout*.jsonl).

Guards the issue's measured bar against a regression in training data, rules or scoring; the set is
never used for training.
"""

import json
from pathlib import Path

import pytest

from checker.analysis import assess
from checker.analysis.evaluation import Labelled, score

DATA = Path(__file__).parent / "data"
HOLDOUT = DATA / "holdout.jsonl"


@pytest.mark.parametrize(
    "name", ["holdout.jsonl", "holdout2.jsonl", "holdout3.jsonl", "holdout4.jsonl", "holdout5.jsonl"]
)
def test_the_model_meets_the_bar_on_the_held_out_sets(name):
    items = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        raw = json.loads(line)
        items.append(Labelled(raw["id"], raw["text"], raw["risk"], tuple(raw["patterns"])))
    figures = score(items, {r.id: assess(r.text).to_dict() for r in items})
    assert figures["high_recall"] >= 0.90
    assert figures["low_judged_high"] <= 0.05
    assert figures["level_accuracy"] >= 0.80
    assert figures["pattern_f1"] >= 0.80


def test_no_held_out_text_is_in_the_training_corpus():
    from checker.analysis.model import load_training_examples

    training = {e.text.strip() for e in load_training_examples()}
    for path in DATA.glob("holdout*.jsonl"):
        held_out = {json.loads(line)["text"].strip() for line in path.read_text(encoding="utf-8").splitlines()}
        assert not training & held_out, path.name
