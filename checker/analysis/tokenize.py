"""jieba word segmentation: the full dictionary for training, the model's small one for serving.

Both go through :func:`words`, so serving segments exactly as training did.
"""

from __future__ import annotations

import io
import logging
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


def small_tokenizer(dictionary: list[tuple[str, int]]):
    """A jieba tokenizer over the small dictionary saved in the model.

    Only words the model knows can carry weight, so the artefact keeps just those (with their jieba
    frequencies): loading takes milliseconds instead of the full dictionary's second or more.
    """
    import jieba

    tk = jieba.Tokenizer()
    buf = io.BytesIO("\n".join(f"{w} {f}" for w, f in dictionary).encode("utf-8"))
    buf.name = "model-dictionary"
    tk.FREQ, tk.total = tk.gen_pfdict(buf)
    tk.initialized = True
    return tk


def words(tokenizer, text: str) -> list[str]:
    """Words of an already normalised text, without whitespace and punctuation-only tokens."""
    return [w for w in tokenizer.cut(text, HMM=False) if _HAS_ALNUM(w)]
