"""Serving cuts words with jieba-rs; it must cut exactly as Python jieba does over the same dictionary."""

import io
import random

import jieba
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.analysis import model as model_mod
from checker.analysis.engine import get_engine
from checker.analysis.normalize import normalize
from checker.analysis.tokenize import words


@pytest.fixture(scope="module")
def served():
    return get_engine().model


@pytest.fixture(scope="module")
def python_jieba(served):
    """Python jieba over the model's small dictionary: the reference jieba-rs is held to."""
    tk = jieba.Tokenizer()
    buf = io.BytesIO("\n".join(f"{w} {f}" for w, f in served.dictionary).encode("utf-8"))
    buf.name = "model-dictionary"
    tk.FREQ, tk.total = tk.gen_pfdict(buf)
    tk.initialized = True
    return tk


def _reference(tk, text):
    return [w for w in tk.cut(text, HMM=False) if any(c.isalnum() for c in w)]


def test_jieba_rs_cuts_every_training_text_as_python_jieba(served, python_jieba):
    for example in model_mod.load_training_examples():
        text = normalize(example.text).text
        assert words(served.tokenizer, text) == _reference(python_jieba, text), text


def test_mixed_scripts_and_symbols_cut_alike(served, python_jieba):
    rnd = random.Random(7)
    alphabet = "身份证银行卡兼职的了是我你他有人在abcxyz0123456789 .,_%#&+-@!?/()，。！？、“”（）😀ー①\n\t"
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 60)))
        assert words(served.tokenizer, text) == _reference(python_jieba, text), repr(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_cuts_alike(served, python_jieba, text):
    assert words(served.tokenizer, text) == _reference(python_jieba, text)
