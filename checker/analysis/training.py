"""Builds the classifier artefact from the training examples (checker/analysis/layout.py says where). Deterministic: same content, same file."""

from __future__ import annotations

import json

import numpy as np
from scipy.sparse import hstack

from checker.analysis import layout
from checker.analysis.model import (
    FORMAT_VERSION,
    PATTERN_IDS,
    Example,
    content_hash,
    library_versions,
    normalized_texts,
)
from checker.analysis.tokenize import full_tokenizer, full_words, small_tokenizer, words
from checker.analysis.types import RISK_LEVELS

CHAR_NGRAM = (1, 3)
C_PATTERN = 10.0
C_LEVEL = 10.0


def _model_dictionary(norm_texts: list[str]) -> list[tuple[str, int]]:
    """Words seen in training (full jieba dictionary) plus the domain lexicon, with their frequencies."""
    full = full_tokenizer()
    seen: dict[str, int] = {}
    for text in norm_texts:
        for w in full_words(text):
            if len(w) > 1:
                seen[w] = seen.get(w, 0) + 1
    lexicon = {}
    for line in layout.shared_file("lexicon.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            word, freq = line.split()[:2]
            lexicon[word] = int(freq)
    kept = {w for w, n in seen.items() if n >= 2} | set(lexicon)
    return sorted((w, max(int(full.FREQ.get(w) or 0), lexicon.get(w, 0), 1)) for w in kept)


def build_payload(examples: list[Example]) -> dict:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    norm = normalized_texts(examples)
    dictionary = _model_dictionary(norm)
    tokenizer = small_tokenizer(dictionary)
    word_docs = [" ".join(words(tokenizer, t)) for t in norm]
    char_docs = [" ".join(t.split()) for t in norm]

    word_vec = TfidfVectorizer(
        token_pattern=r"\S+",  # noqa: S106 - a regex, not a password
        lowercase=False,
        ngram_range=(1, 2),
        min_df=2,
        sublinear_tf=True,
        dtype=np.float64,
    )
    char_vec = TfidfVectorizer(
        analyzer="char", lowercase=False, ngram_range=CHAR_NGRAM, min_df=2, sublinear_tf=True, dtype=np.float64
    )
    x = hstack([word_vec.fit_transform(word_docs), char_vec.fit_transform(char_docs)]).tocsr()

    columns, bias, calib_a, calib_b = [], [], [], []
    for pattern in PATTERN_IDS:
        y = np.array([pattern in e.patterns for e in examples], dtype=int)
        base = LogisticRegression(C=C_PATTERN, class_weight="balanced", solver="liblinear", max_iter=5000)
        folds = StratifiedKFold(n_splits=min(5, max(2, int(y.sum()))), shuffle=True, random_state=0)
        clf = CalibratedClassifierCV(base, method="sigmoid", cv=folds, ensemble=False).fit(x, y)
        fitted = clf.calibrated_classifiers_[0]
        columns.append(fitted.estimator.coef_[0])
        bias.append(fitted.estimator.intercept_[0])
        calib_a.append(fitted.calibrators[0].a_)
        calib_b.append(fitted.calibrators[0].b_)

    levels = np.array([e.risk for e in examples])
    level_clf = LogisticRegression(C=C_LEVEL, class_weight="balanced", max_iter=5000).fit(x, levels)
    order = [list(level_clf.classes_).index(level) for level in RISK_LEVELS]
    for k in order:
        columns.append(level_clf.coef_[k])
        bias.append(level_clf.intercept_[k])

    meta = {
        "format_version": FORMAT_VERSION,
        "content_hash": content_hash(),
        "libraries": library_versions(),
        "char_ngram": list(CHAR_NGRAM),
        "patterns": list(PATTERN_IDS),
        "levels": list(RISK_LEVELS),
        "examples": len(examples),
    }
    word_terms = sorted(word_vec.vocabulary_, key=word_vec.vocabulary_.get)
    char_terms = sorted(char_vec.vocabulary_, key=char_vec.vocabulary_.get)
    return {
        "meta": json.dumps(meta, sort_keys=True),
        # Term lists as one newline-joined string: one array each in the artefact.
        "word_terms": "\n".join(word_terms),
        "word_idf": word_vec.idf_.astype(np.float64),
        "char_terms": "\n".join(char_terms),
        "char_idf": char_vec.idf_.astype(np.float64),
        "weights": np.ascontiguousarray(np.vstack(columns).T),
        "bias": np.array(bias, dtype=np.float64),
        "calib_a": np.array(calib_a, dtype=np.float64),
        "calib_b": np.array(calib_b, dtype=np.float64),
        "dict_words": "\n".join(w for w, _ in dictionary),
        "dict_freqs": np.array([f for _, f in dictionary], dtype=np.int64),
    }
