"""jieba word segmentation: the full dictionary for choosing the model's words, the model's small one for features.

Features — in training and in serving alike — are cut by jieba-rs (the ``rjieba`` binding of the Rust port of
jieba) over the small dictionary saved in the model: the same dictionary-only algorithm as jieba's
``cut(HMM=False)``, about twenty times faster per text (a check's budget is a fraction of a millisecond).
tests/test_tokenize.py holds the two libraries to the same cuts. Python jieba, with its full dictionary,
only decides at training time which words the small dictionary keeps.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from functools import lru_cache

from checker.analysis import layout

_lock = threading.Lock()
# A token is kept when it holds a letter or digit (str.isalnum(): Python's \w less the underscore).
_HAS_ALNUM = re.compile(r"[^\W_]").search


@lru_cache(maxsize=1)
def full_tokenizer():
    """jieba's own dictionary plus content/lexicon.txt (over a second to load: training only)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    with _lock:
        tk = jieba.Tokenizer()
        tk.initialize()
        tk.load_userdict(str(layout.shared_file("lexicon.txt")))
    return tk


def full_words(text: str) -> list[str]:
    """Words of a normalised text by the full jieba dictionary, filtered as :func:`words` filters."""
    return [w for w in full_tokenizer().cut(text, HMM=False) if _HAS_ALNUM(w)]


def small_tokenizer(dictionary: list[tuple[str, int]]):
    """A jieba-rs tokenizer over the small dictionary saved in the model (its words with jieba frequencies).

    Only words the model knows can carry weight, so the artefact keeps just those: building the
    tokenizer takes milliseconds instead of the full dictionary's second or more.
    """
    tk = _rjieba().Jieba.empty()
    for word, freq in dictionary:
        tk.add_word(word, freq, None)
    return tk


@lru_cache(maxsize=1)
def _rjieba():
    """rjieba's compiled module, without running the package's ``__init__``.

    That ``__init__`` builds a default tokenizer with jieba's whole dictionary (an eighth of a second
    and tens of megabytes in every worker) which serving never uses: it only builds empty ones.
    """
    import importlib.machinery
    import importlib.util
    import sys

    if "rjieba.rjieba" in sys.modules:
        return sys.modules["rjieba.rjieba"]
    package = importlib.util.find_spec("rjieba")  # locating a package does not execute it
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        spec = importlib.util.spec_from_file_location(
            "rjieba.rjieba", f"{package.submodule_search_locations[0]}/rjieba{suffix}"
        )
        if spec is not None and os.path.exists(spec.origin):
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
    import rjieba  # an unexpected layout: the package's own way, dictionary and all

    return rjieba


def words(tokenizer, text: str) -> list[str]:
    """Words of an already normalised text, without whitespace and punctuation-only tokens."""
    return list(filter(_HAS_ALNUM, tokenizer.cut(text, False)))  # filter with a C callable: no Python frame
