"""The classifier: TF-IDF over jieba words and character n-grams, one calibrated linear model per
pattern and one for the risk level.

Training (``python manage.py train``) writes one versioned artefact (a pickle-free .npz); serving loads it once
and scores with plain numpy, because calling one scikit-learn estimator per pattern on every request costs more
than the whole check is allowed to take.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from functools import partial
from math import exp, sqrt
from operator import is_not, itemgetter
from pathlib import Path

import ahocorasick
import numpy as np

from checker.analysis import contentfile, layout
from checker.analysis.contentfile import ContentError
from checker.analysis.normalize import normalize
from checker.analysis.tokenize import small_tokenizer, words
from checker.analysis.types import PATTERN_IDS, RISK_LEVELS

# Bump when features, training or the artefact's layout change: older files are then stale.
FORMAT_VERSION = 3


class ModelError(RuntimeError):
    """The model file is missing, unreadable or built from other content or libraries."""


@dataclass(frozen=True)
class Example:
    text: str
    risk: str
    patterns: tuple[str, ...]
    source: str


def load_training_examples(root: Path | None = None) -> list[Example]:
    """Every training example, each file checked against training.schema.json and the taxonomy ids."""
    root = layout.content_root() if root is None else root
    examples: list[Example] = []
    for path in layout.training_files(root):
        data = contentfile.read(path, "training.schema.json", root)
        source = str(path.relative_to(root))
        for i, raw in enumerate(data["examples"]):
            unknown = sorted(set(raw["patterns"]) - set(PATTERN_IDS))
            if unknown:
                raise ContentError(path, f"examples[{i}].patterns", f"{unknown[0]!r} is not a taxonomy id")
            examples.append(Example(raw["text"], raw["risk"], tuple(raw["patterns"]), source))
    return examples


def content_hash(root: Path | None = None) -> str:
    """Hash of everything the model is built from: training files, the lexicon, the feature code, the format."""
    root = layout.content_root() if root is None else root
    digest = hashlib.sha256(f"format={FORMAT_VERSION}\n".encode())
    # The code that turns text into training features counts too: a change to normalisation
    # or training makes an old model stale just as new examples do.
    code = [Path(__file__).with_name("normalize.py"), Path(__file__).with_name("training.py")]
    shared = [layout.shared_file("lexicon.txt", root), layout.shared_file("english.yaml", root)]
    for path in layout.training_files(root) + shared:
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    for path in code:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def library_versions() -> dict[str, str]:
    # Read from the installed metadata: importing scikit-learn only to read its version would cost
    # seconds of start-up in every app server, which never needs scikit-learn itself.
    from importlib.metadata import version

    return {name: version(name) for name in ("scikit-learn", "numpy", "jieba", "rjieba")}


# --- Serving ------------------------------------------------------------------------------------


@dataclass
class Model:
    """What serving needs, loaded from the artefact."""

    word_vocab: dict[str, int]
    word_idf: np.ndarray
    char_vocab: dict[str, int]
    char_idf: np.ndarray
    char_ngram: tuple[int, int]
    weights: np.ndarray  # (n_features, n_patterns + n_levels)
    bias: np.ndarray
    calib_a: np.ndarray  # Platt scaling per pattern: p = 1 / (1 + exp(a * f + b))
    calib_b: np.ndarray
    dictionary: list[tuple[str, int]]
    meta: dict

    def __post_init__(self) -> None:
        self._n_words = len(self.word_vocab)
        self._idf = np.concatenate([self.word_idf, self.char_idf])
        # Every character n-gram of the vocabulary in one Aho-Corasick automaton (pyahocorasick): one pass in C
        # over a text yields each occurrence of each known n-gram with its column, which is exactly what
        # sklearn's analyzer="char" counts, less the n-grams the model has no column for.
        self._char_automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for term, k in self.char_vocab.items():
            self._char_automaton.add_word(term, k + self._n_words)
        if self.char_vocab:
            self._char_automaton.make_automaton()
        self._calib_a, self._calib_b = self.calib_a.tolist(), self.calib_b.tolist()
        self._log_tf = np.concatenate([[0.0], 1.0 + np.log(np.arange(1, _LOG_TF_SIZE, dtype=np.float64))])
        self.tokenizer = small_tokenizer(self.dictionary)  # part of loading, not of the first request
        self._word_names = {v: k for k, v in self.word_vocab.items()}
        self._char_names = {v: k for k, v in self.char_vocab.items()}

    def words(self, text: str) -> list[str]:
        return words(self.tokenizer, text)

    def features(self, norm_text: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Sparse TF-IDF row as (sorted indices, values), equal to the training vectorisers' output."""
        toks = self.words(norm_text)
        # Word bigrams, "a b" as sklearn writes them.
        grams = toks + list(map(" ".join, zip(toks, toks[1:], strict=False)))
        # Looking terms up is the only per-term Python work; numpy then counts and weighs them in a few calls
        # (on this machine each numpy call costs a microsecond or two whatever its size, so they are few).
        ids = list(filter(_KNOWN, map(self.word_vocab.get, grams)))
        split = len(set(ids))  # distinct word columns: they sort before every character column
        if self.char_vocab:
            ids += map(_SECOND, self._char_automaton.iter(" ".join(norm_text.split())))
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros(0), toks
        ids_sorted = np.array(ids, dtype=np.int64)
        ids_sorted.sort()
        n = len(ids_sorted)
        starts = np.empty(n + 1, dtype=bool)  # where each run of one column starts, and the end
        starts[0] = starts[n] = True
        np.not_equal(ids_sorted[1:], ids_sorted[:-1], out=starts[1:n])
        bounds = np.flatnonzero(starts)
        idx = ids_sorted[bounds[:-1]]
        # Sublinear tf × idf, as sklearn computes it (1 + ln tf, read from a table: one numpy call fewer).
        counts = bounds[1:] - bounds[:-1]  # no count exceeds n, the number of terms (np.diff, less its Python)
        vals = (self._log_tf[counts] if n < len(self._log_tf) else 1.0 + np.log(counts)) * self._idf[idx]
        # Each vectoriser l2-normalises its own block, as sklearn does, before the blocks are joined;
        # idx is sorted and word columns come first, so the word block is a prefix.
        for block in (vals[:split], vals[split:]):
            norm = sqrt(float(block @ block))
            if norm:
                block /= norm
        return idx, vals, toks

    def predict(self, norm_text: str) -> tuple[list[float], list[float], np.ndarray, np.ndarray]:
        """Returns (pattern probabilities, level probabilities, feature indices, feature values).

        The probabilities are a dozen numbers: plain Python arithmetic on them is quicker than numpy's calls.
        """
        idx, vals, _ = self.features(norm_text)
        raw = (vals @ self.weights[idx] + self.bias if len(idx) else self.bias).tolist()
        n = len(PATTERN_IDS)
        pattern_p = [_platt(a * f + b) for a, f, b in zip(self._calib_a, raw[:n], self._calib_b, strict=True)]
        top = max(raw[n:])
        level_e = [exp(r - top) for r in raw[n:]]
        total = sum(level_e)
        return pattern_p, [e / total for e in level_e], idx, vals

    def feature_name(self, j: int) -> tuple[str, str]:
        if j < self._n_words:
            return "word", self._word_names[j]
        return "char", self._char_names[j - self._n_words]


# Plain C callables for map/filter: a comprehension would run a Python frame step per term.
_KNOWN = partial(is_not, None)
_SECOND = itemgetter(1)
_LOG_TF_SIZE = 8192  # 1 + ln(tf) for every count a text of up to this many terms can have


def _platt(t: float) -> float:
    # 1 / (1 + e^t); where e^t overflows a float the probability is 0, as numpy's arithmetic gives.
    return 0.0 if t > 709.0 else 1.0 / (1.0 + exp(t))


# --- The artefact -------------------------------------------------------------------------------


def save(payload: dict, path: Path) -> None:
    """Write atomically and reproducibly: same payload, same bytes.

    The artefact is a NumPy ``.npz`` of plain arrays and strings, read back with
    ``allow_pickle=False``: loading it cannot run code, which a pickle (or a joblib file) could.
    skops would also be safe, but importing it pulls in all of scikit-learn and took seconds of
    start-up; serving needs only these arrays.
    """
    arrays = {k: (np.array(v) if isinstance(v, str) else v) for k, v in payload.items()}
    raw = io.BytesIO()
    np.savez_compressed(raw, **arrays)
    # np.savez stamps each zip entry with the current time; pin it so builds are byte-identical.
    src = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            fixed = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".engine-", suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(out.getvalue())
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def read_meta(path: Path) -> dict:
    """Read the artefact's arrays (and its metadata) without executing anything from the file."""
    if not path.exists():
        raise ModelError(f"no model at {path}; build it with `python manage.py train`")
    try:
        with np.load(path, allow_pickle=False) as data:
            payload = {k: data[k] for k in data.files}
        for key in ("meta", "word_terms", "char_terms", "dict_words"):
            payload[key] = str(payload[key])
    except Exception as exc:  # truncated, foreign or hand-edited: report it, never crash obscurely
        raise ModelError(
            f"the model file {path} cannot be read ({exc.__class__.__name__}); rebuild it with `python manage.py train`"
        ) from None
    return payload


def check_fresh(meta: dict, path: Path) -> None:
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelError(
            f"the model at {path} has format {meta.get('format_version')}, this code needs "
            f"{FORMAT_VERSION}; rebuild it with `python manage.py train`"
        )
    if meta.get("libraries") != library_versions():
        raise ModelError(
            f"the model at {path} was built with other library versions "
            f"({meta.get('libraries')}); rebuild it with `python manage.py train`"
        )
    trained_for = (meta.get("patterns"), meta.get("levels"))
    if trained_for != (list(PATTERN_IDS), list(RISK_LEVELS)):
        raise ModelError(
            f"the model at {path} was trained for other labels (patterns {meta.get('patterns')}); "
            "rebuild it with `python manage.py train`"
        )
    if meta.get("content_hash") != content_hash():
        raise ModelError(
            f"the model at {path} is stale: content/ changed since it was built; "
            "rebuild it with `python manage.py train`"
        )


def load(path: Path) -> Model:
    verify(path)  # cheap: a bad file is refused before its large arrays are decompressed
    payload = read_meta(path)
    meta = json.loads(payload["meta"])
    check_fresh(meta, path)  # again: the file may have been replaced since
    check_layout(_layout(payload), meta, path)
    return from_payload(payload)


# Every array the artefact holds: (dtype kinds allowed, shape in terms of the sizes below).
# n_words, n_chars, n_dict: the lengths of the three term lists; n_out: patterns then levels.
_LAYOUT: dict[str, tuple[str, tuple[str, ...]]] = {
    "meta": ("U", ()),
    "word_terms": ("U", ()),
    "char_terms": ("U", ()),
    "dict_words": ("U", ()),
    "word_idf": ("f", ("n_words",)),
    "char_idf": ("f", ("n_chars",)),
    "weights": ("f", ("n_features", "n_out")),
    "bias": ("f", ("n_out",)),
    "calib_a": ("f", ("n_patterns",)),
    "calib_b": ("f", ("n_patterns",)),
    "dict_freqs": ("iu", ("n_dict",)),
}


_TERM_LISTS = ("word_terms", "char_terms", "dict_words")


def _term_count(terms: str) -> int:
    return len(terms.split("\n")) if terms else 0


def _layout(payload: dict) -> dict:
    """What :func:`read_layout` reads from a file, for a payload already loaded (its texts are str)."""
    arrays = {k: (v.shape, v.dtype) if isinstance(v, np.ndarray) else ((), np.dtype("U1")) for k, v in payload.items()}
    arrays["_terms"] = tuple(_term_count(payload[k]) for k in _TERM_LISTS)
    return arrays


def check_layout(arrays: dict, meta: dict, path: Path) -> None:
    """Refuse a file whose arrays do not fit together, as a hand-edited or half-converted one might not.

    Such a file passes every freshness check and then fails inside numpy on the first check (a 500);
    refused here it is a ModelError: a clear message at start-up, a 503 for visitors.
    """
    n_words, n_chars, n_dict = arrays["_terms"]
    sizes = {
        "n_words": n_words,
        "n_chars": n_chars,
        "n_dict": n_dict,
        "n_features": n_words + n_chars,
        "n_patterns": len(meta.get("patterns") or ()),
        "n_out": len(meta.get("patterns") or ()) + len(meta.get("levels") or ()),
    }
    for name, (kinds, dims) in _LAYOUT.items():
        if name not in arrays:
            raise ModelError(f"the model file {path} has no {name!r} array; rebuild it with `python manage.py train`")
        shape, dtype = arrays[name]
        expected = tuple(sizes[d] for d in dims)
        if dtype.kind not in kinds or tuple(shape) != expected:
            raise ModelError(
                f"the model file {path} is malformed: {name!r} is {dtype} of shape {tuple(shape)}, expected "
                f"shape {expected} from its term lists and labels; rebuild it with `python manage.py train`"
            )


def from_payload(payload: dict) -> Model:
    meta = json.loads(payload["meta"])
    word_terms = payload["word_terms"].split("\n") if payload["word_terms"] else []
    char_terms = payload["char_terms"].split("\n") if payload["char_terms"] else []
    dict_words = payload["dict_words"].split("\n") if payload["dict_words"] else []
    model = Model(
        word_vocab={t: k for k, t in enumerate(word_terms)},
        word_idf=payload["word_idf"],
        char_vocab={t: k for k, t in enumerate(char_terms)},
        char_idf=payload["char_idf"],
        char_ngram=tuple(meta["char_ngram"]),
        weights=payload["weights"],
        bias=payload["bias"],
        calib_a=payload["calib_a"],
        calib_b=payload["calib_b"],
        dictionary=[(w, int(f)) for w, f in zip(dict_words, payload["dict_freqs"].tolist(), strict=True)],
        meta=meta,
    )
    return model


def verify(path: Path) -> None:
    """Raise ModelError, naming the command to run, unless ``path`` holds a current, well-formed model.

    Reads the metadata, the term lists and the other arrays' headers only, not their data, so it is
    cheap enough for start-up, ``manage.py check`` and the readiness probe alike.
    """
    meta, arrays = read_layout(path)
    check_fresh(meta, path)
    check_layout(arrays, meta, path)


def read_layout(path: Path) -> tuple[dict, dict]:
    """The metadata, and each array's (shape, dtype) read from its .npy header."""
    if not path.exists():
        raise ModelError(f"no model at {path}; build it with `python manage.py train`")
    try:
        with np.load(path, allow_pickle=False) as data:
            texts = {k: str(data[k]) for k in ("meta", *_TERM_LISTS)}
            arrays = {}
            for name in data.files:
                with data.zip.open(f"{name}.npy") as f:
                    version = np.lib.format.read_magic(f)
                    header = (
                        np.lib.format.read_array_header_1_0
                        if version == (1, 0)
                        else np.lib.format.read_array_header_2_0
                    )
                    shape, _, dtype = header(f)
                arrays[name] = (shape, dtype)
        meta = json.loads(texts["meta"])
        if not isinstance(meta, dict):
            raise TypeError("meta")
    except Exception as exc:  # truncated, foreign or hand-edited: report it, never crash obscurely
        raise ModelError(
            f"the model file {path} cannot be read ({exc.__class__.__name__}); rebuild it with `python manage.py train`"
        ) from None
    arrays["_terms"] = tuple(_term_count(texts[k]) for k in _TERM_LISTS)
    return meta, arrays


def is_fresh(path: Path) -> bool:
    try:
        verify(path)
    except ModelError:
        return False
    return True


def normalized_texts(examples: list[Example]) -> list[str]:
    return [normalize(e.text).text for e in examples]
