"""The model artefact: deterministic, versioned, refused when missing, stale or corrupt."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings

from checker.analysis import model
from checker.analysis.contentfile import ContentError
from checker.analysis.engine import Engine
from checker.analysis.training import build_payload


@pytest.fixture(scope="module")
def small_payload():
    examples = model.load_training_examples()
    # Every tenth example keeps the test quick and still covers every pattern.
    return build_payload(examples[::10])


def test_training_is_deterministic(tmp_path, small_payload):
    examples = model.load_training_examples()
    again = build_payload(examples[::10])
    model.save(small_payload, tmp_path / "a.npz")
    model.save(again, tmp_path / "b.npz")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()


def test_the_artefact_records_format_libraries_and_content_hash(tmp_path, small_payload):
    model.save(small_payload, tmp_path / "m.npz")
    meta = json.loads(model.read_meta(tmp_path / "m.npz")["meta"])
    assert meta["format_version"] == model.FORMAT_VERSION
    assert meta["content_hash"] == model.content_hash()
    assert set(meta["libraries"]) == {"scikit-learn", "numpy", "jieba", "rjieba"}


def test_a_saved_model_loads_and_scores(tmp_path, small_payload):
    model.save(small_payload, tmp_path / "m.npz")
    engine = Engine(model.load(tmp_path / "m.npz"))
    assert engine.assess("有人高价收购银行卡").risk_level in {"medium", "high"}


def test_serving_features_match_scikit_learns_vectorisers():
    # The serving path re-implements TF-IDF in numpy for speed; it must equal sklearn's output.
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer

    from checker.analysis.normalize import normalize

    examples = model.load_training_examples()[::7]
    payload = build_payload(examples)
    m = model.from_payload(payload)
    texts = [normalize(e.text).text for e in examples]
    word_vec = TfidfVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=(1, 2), sublinear_tf=True)
    word_vec.vocabulary_ = m.word_vocab
    word_vec.idf_ = m.word_idf
    char_vec = TfidfVectorizer(analyzer="char", lowercase=False, ngram_range=m.char_ngram, sublinear_tf=True)
    char_vec.vocabulary_ = m.char_vocab
    char_vec.idf_ = m.char_idf
    names = [("word", t) for t in sorted(m.word_vocab, key=m.word_vocab.get)]
    names += [("char", t) for t in sorted(m.char_vocab, key=m.char_vocab.get)]
    # Serving orders its columns its own way (character n-grams by key): compare feature by feature name.
    for text in texts[:50] + ["", "a", "ab", "一 二", "😀扫码😀领 取"]:
        row = hstack([word_vec.transform([" ".join(m.words(text))]), char_vec.transform([" ".join(text.split())])])
        expected = {names[j]: v for j, v in zip(row.indices, row.data, strict=True)}
        idx, vals, _ = m.features(text)
        got = {m.feature_name(int(j)): v for j, v in zip(idx, vals, strict=True)}
        assert got.keys() == expected.keys(), text
        assert np.allclose([got[k] for k in expected], list(expected.values())), text
        # Its weights move with its columns: the same score as the artefact's own layout gives.
        raw = row.toarray()[0] @ payload["weights"] + payload["bias"]
        assert np.allclose(vals @ m.weights[idx] + m.bias if len(idx) else m.bias, raw), text


def test_a_missing_model_names_the_command_to_run(tmp_path):
    with pytest.raises(model.ModelError, match="manage.py train"):
        model.load(tmp_path / "nope.npz")


def test_a_stale_model_is_refused(tmp_path, small_payload):
    meta = json.loads(small_payload["meta"])
    meta["content_hash"] = "0" * 64
    model.save(small_payload | {"meta": json.dumps(meta)}, tmp_path / "old.npz")
    with pytest.raises(model.ModelError, match="stale"):
        model.load(tmp_path / "old.npz")
    assert not model.is_fresh(tmp_path / "old.npz")


def test_a_model_of_another_format_is_refused(tmp_path, small_payload):
    meta = json.loads(small_payload["meta"])
    meta["format_version"] = model.FORMAT_VERSION - 1
    model.save(small_payload | {"meta": json.dumps(meta)}, tmp_path / "v1.npz")
    with pytest.raises(model.ModelError, match="format"):
        model.load(tmp_path / "v1.npz")


def test_a_corrupt_model_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x03\x04 this is not a model")
    with pytest.raises(model.ModelError, match="cannot be read"):
        model.load(bad)


def test_a_model_trained_for_other_labels_is_stale(tmp_path, small_payload):
    # A pattern added to the taxonomy without retraining: the weights have one column too few.
    meta = json.loads(small_payload["meta"])
    meta["patterns"] = meta["patterns"][:-1]
    model.save(small_payload | {"meta": json.dumps(meta)}, tmp_path / "fewer.npz")
    with pytest.raises(model.ModelError, match="other labels"):
        model.load(tmp_path / "fewer.npz")


# A file that passes every freshness check but whose arrays do not fit together: before verify()
# looked at them, it passed start-up and then every check was a 500 inside numpy.
MISSHAPEN = {
    "one output column short": ("weights", lambda a: a[:, :-1]),
    "rows that do not match the vocabulary": ("weights", lambda a: a[:-5]),
    "an idf shorter than its term list": ("word_idf", lambda a: a[:-1]),
    "a bias of the wrong rank": ("bias", lambda a: a.reshape(1, -1)),
    "calibration as integers": ("calib_a", lambda a: a.astype(np.int64)),
    "frequencies as floats": ("dict_freqs", lambda a: a.astype(np.float64)),
    "the metadata as a number": ("meta", lambda a: np.array(3)),
}


@pytest.mark.parametrize("case", MISSHAPEN)
def test_a_model_whose_arrays_do_not_fit_together_is_refused(tmp_path, small_payload, case):
    name, breaking = MISSHAPEN[case]
    value = small_payload[name]
    model.save(
        small_payload | {name: breaking(np.array(value) if isinstance(value, str) else value)}, tmp_path / "m.npz"
    )
    with pytest.raises(model.ModelError, match="malformed|cannot be read"):
        model.verify(tmp_path / "m.npz")
    with pytest.raises(model.ModelError, match="malformed|cannot be read"):
        model.load(tmp_path / "m.npz")
    assert not model.is_fresh(tmp_path / "m.npz")


def test_a_model_missing_an_array_is_refused(tmp_path, small_payload):
    model.save({k: v for k, v in small_payload.items() if k != "calib_b"}, tmp_path / "m.npz")
    with pytest.raises(model.ModelError, match="calib_b"):
        model.verify(tmp_path / "m.npz")


def test_a_well_formed_model_passes_verify(tmp_path, small_payload):
    model.save(small_payload, tmp_path / "m.npz")
    model.verify(tmp_path / "m.npz")


def training_root(tmp_path, text: str):
    shutil.copytree(Path(settings.CHECKER_CONTENT_DIR) / "schema", tmp_path / "schema")
    (tmp_path / "patterns").mkdir()
    (tmp_path / "training").mkdir()
    (tmp_path / "training" / "x.yaml").write_text(text, "utf-8")
    return tmp_path


def test_a_bad_training_example_is_reported_with_file_and_field(tmp_path):
    root = training_root(tmp_path, "examples:\n  - text: 你好\n    risk: severe\n    patterns: []\n")
    with pytest.raises(ContentError, match=r"x.yaml: examples\[0\]\.risk"):
        model.load_training_examples(root)


def test_a_training_example_with_an_unknown_key_or_pattern_is_reported(tmp_path):
    root = training_root(tmp_path, "examples:\n  - text: 你好\n    risk: low\n    patterns: []\n    pattern: [x]\n")
    with pytest.raises(ContentError, match=r"examples\[0\]\.pattern"):
        model.load_training_examples(root)
    (root / "training" / "x.yaml").write_text("examples:\n  - text: 你好\n    risk: high\n    patterns: [lottery]\n")
    with pytest.raises(ContentError, match="lottery"):
        model.load_training_examples(root)


def test_the_system_check_reports_a_missing_model(settings, tmp_path):
    from checker.checks import check_model

    settings.CHECKER_MODEL_PATH = tmp_path / "missing.npz"
    errors = check_model(None)
    assert errors and "manage.py train" in errors[0].hint


def test_the_training_corpus_is_large_and_has_hard_negatives():
    examples = model.load_training_examples()
    assert len(examples) >= 1500
    lawful = [e for e in examples if e.risk == "low"]
    assert len(lawful) >= len(examples) / 3
    for pattern in model.PATTERN_IDS:
        assert sum(pattern in e.patterns for e in examples) >= 50, pattern
