"""jieba word segmentation with the domain lexicon of content/lexicon.txt."""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from pathlib import Path

LEXICON = Path(__file__).resolve().parent.parent.parent / "content" / "lexicon.txt"
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _tokenizer():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    with _lock:
        tk = jieba.Tokenizer()
        tk.initialize()
        tk.load_userdict(str(LEXICON))
    return tk


def words(text: str) -> list[str]:
    """Words of an already normalised text, without whitespace and punctuation-only tokens."""
    return [w for w in _tokenizer().lcut(text, HMM=False) if w.strip() and any(c.isalnum() for c in w)]
