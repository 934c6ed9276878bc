"""Authored content: the patterns' pages, the law registry and the reporting channels.

The YAML under ``content/`` is read and validated on first use and cached for the life of the
process; nothing is read at import time. A file that breaks its schema (``content/schema/``) or
cites a law the registry does not hold raises :class:`ContentError`, which names the file and the
field::

    >>> get_pattern("id-photo-collection").title
    '手持证件照采集'
    >>> load_content(bad_dir)
    ContentError: /…/patterns/gift-qr-lure/pattern.yaml: legal_refs[0].article: 第九十九条 is not in the registry …
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.urls import reverse

from checker.analysis import contentfile, layout
from checker.analysis.contentfile import ContentError
from checker.analysis.types import PATTERN_IDS

__all__ = ["ContentError", "get_channels", "get_laws", "get_pattern", "get_patterns", "load_content", "validate_all"]

# Who a legal reference is about, as the pages say it.
APPLIES_TO_LABELS = {
    "fraudster": "对方违法",
    "you": "你也可能担责",
    "rights": "你的权利",
}


@dataclass(frozen=True)
class Article:
    law_key: str
    key: str
    text: str
    effective: date
    title: str = ""
    note: str = ""
    renumbered_from: str = ""
    renumbered_since: date | None = None

    @property
    def anchor(self) -> str:
        """The fragment of this article on the laws page."""
        return f"{self.law_key}-{self.key}"

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(line for line in self.text.splitlines() if line.strip())


@dataclass(frozen=True)
class Law:
    key: str
    name: str
    kind: str
    effective: date
    url: str
    articles: tuple[Article, ...]
    edition: str = ""

    @property
    def citation_name(self) -> str:
        """How the pages name it: 《中华人民共和国治安管理处罚法》（2025年修订）."""
        return f"《{self.name}》" + (f"（{self.edition}）" if self.edition else "")

    @property
    def short_name(self) -> str:
        """The everyday name for a one-line summary: 《刑法》, 《反电信网络诈骗法》; the full name elsewhere."""
        return f"《{self.name.removeprefix('中华人民共和国')}》"

    def article(self, key: str) -> Article:
        for article in self.articles:
            if article.key == key:
                return article
        raise KeyError(key)


@dataclass(frozen=True)
class Citation:
    law: Law
    article: Article


@dataclass(frozen=True)
class LegalRef:
    law: Law
    article: Article
    applies_to: str
    why: str

    @property
    def applies_to_label(self) -> str:
        return APPLIES_TO_LABELS[self.applies_to]

    def to_dict(self) -> dict[str, Any]:
        return {
            "law": self.law.name + (f"（{self.law.edition}）" if self.law.edition else ""),
            "law_key": self.law.key,
            "article": self.article.key,
            "text": self.article.text,
            "effective": self.article.effective.isoformat(),
            "url": self.law.url,
            "applies_to": self.applies_to,
            "why": self.why,
        }


@dataclass(frozen=True)
class Advice:
    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True)
class CaseSource:
    title: str
    publisher: str
    seed: str = ""  # a report in shared/seeds/
    url: str = ""  # or where a public report was read


@dataclass(frozen=True)
class Case:
    place: str
    year: int
    summary: str
    scale: str
    source: CaseSource


@dataclass(frozen=True)
class Pattern:
    id: str
    title: str
    warning: str
    # The one thing to do now, said first in a high verdict naming this pattern.
    now: str
    how_it_works: tuple[str, ...]
    consequences: tuple[str, ...]
    advice: Advice
    legal_refs: tuple[LegalRef, ...]
    cases: tuple[Case, ...]

    @property
    def url(self) -> str:
        return reverse("pattern_detail", args=[self.id])

    def refs_for(self, applies_to: str) -> tuple[LegalRef, ...]:
        return tuple(ref for ref in self.legal_refs if ref.applies_to == applies_to)


@dataclass(frozen=True)
class Channel:
    key: str
    kind: str
    name: str
    contact: str
    purpose: str
    how: tuple[str, ...]
    legal_basis: tuple[Citation, ...]
    tel: str = ""
    url: str = ""


@dataclass(frozen=True)
class Content:
    patterns: dict[str, Pattern]
    laws: dict[str, Law]
    channels: tuple[Channel, ...]

    def patterns_citing(self, law_key: str, article_key: str) -> tuple[Pattern, ...]:
        return tuple(
            pattern
            for pattern in self.patterns.values()
            if any(ref.law.key == law_key and ref.article.key == article_key for ref in pattern.legal_refs)
        )


# --- Public API ------------------------------------------------------------------------------


def get_patterns() -> dict[str, Pattern]:
    """Every pattern, in taxonomy order."""
    return _content().patterns


def get_pattern(pattern_id: str) -> Pattern:
    """One pattern; KeyError for an id outside the taxonomy."""
    return _content().patterns[pattern_id]


def get_laws() -> dict[str, Law]:
    return _content().laws


def get_channels() -> tuple[Channel, ...]:
    return _content().channels


def patterns_citing(law_key: str, article_key: str) -> tuple[Pattern, ...]:
    return _content().patterns_citing(law_key, article_key)


@lru_cache(maxsize=1)
def _content() -> Content:
    return load_content(layout.content_root())


# --- Loading and validation ------------------------------------------------------------------


# --- Loading and validation ------------------------------------------------------------------


def load_content(root: Path) -> Content:
    """Read and check the pages, laws and channels under ``root`` (a ``content/`` directory). Not cached."""
    laws = _load_laws(layout.shared_file("laws.yaml", root), root)
    found = layout.pattern_dirs(root)
    for name, folder in found.items():
        if name not in PATTERN_IDS:
            raise ContentError(
                folder, "(folder)", f"{name!r} is not a taxonomy id; expected one of {', '.join(PATTERN_IDS)}"
            )
    patterns = {}
    for pattern_id in PATTERN_IDS:
        path = root / "patterns" / pattern_id / layout.PATTERN_FILE
        if not path.exists():
            raise ContentError(path, "(file)", "missing: every taxonomy id needs a pattern folder with this file")
        patterns[pattern_id] = _load_pattern(path, pattern_id, root, laws)
    channels = _load_channels(layout.shared_file("channels.yaml", root), root, laws)
    return Content(patterns=patterns, laws=laws, channels=channels)


def validate_all(root: Path | None = None) -> None:
    """Everything authored, as `manage.py check` sees it: pages, laws, channels, rules, training examples."""
    from checker.analysis.model import load_training_examples
    from checker.analysis.rules import load_rules

    root = layout.content_root() if root is None else root
    load_content(root)
    load_rules(root)
    load_training_examples(root)


def _date(path: Path, field: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ContentError(path, field, f"{value!r} is not a real date") from exc


def _load_laws(path: Path, root: Path) -> dict[str, Law]:
    data = contentfile.read(path, "laws.schema.json", root)
    laws: dict[str, Law] = {}
    for i, raw in enumerate(data["laws"]):
        where = f"laws[{i}]"
        if raw["key"] in laws:
            raise ContentError(path, f"{where}.key", f"{raw['key']!r} appears twice")
        articles: list[Article] = []
        for j, art in enumerate(raw["articles"]):
            at = f"{where}.articles[{j}]"
            if any(a.key == art["key"] for a in articles):
                raise ContentError(path, f"{at}.key", f"{art['key']!r} appears twice in {raw['key']}")
            renumbered = art.get("renumbered") or {}
            articles.append(
                Article(
                    law_key=raw["key"],
                    key=art["key"],
                    text=art["text"].strip(),
                    effective=_date(path, f"{at}.effective", art["effective"]),
                    title=art.get("title", ""),
                    note=art.get("note", ""),
                    renumbered_from=renumbered.get("from", ""),
                    renumbered_since=(
                        _date(path, f"{at}.renumbered.since", renumbered["since"]) if renumbered else None
                    ),
                )
            )
        laws[raw["key"]] = Law(
            key=raw["key"],
            name=raw["name"],
            kind=raw["kind"],
            effective=_date(path, f"{where}.effective", raw["effective"]),
            url=raw["url"],
            articles=tuple(articles),
            edition=raw.get("edition", ""),
        )
    return laws


def _cite(path: Path, where: str, raw: dict[str, Any], laws: dict[str, Law]) -> Citation:
    law = laws.get(raw["law"])
    if law is None:
        raise ContentError(path, f"{where}.law", f"{raw['law']!r} is not in the law registry (laws.yaml)")
    try:
        article = law.article(raw["article"])
    except KeyError:
        raise ContentError(
            path, f"{where}.article", f"{raw['article']} is not in the registry under {law.key} ({law.name})"
        ) from None
    return Citation(law=law, article=article)


def _load_pattern(path: Path, pattern_id: str, root: Path, laws: dict[str, Law]) -> Pattern:
    data = contentfile.read(path, "pattern.schema.json", root)
    if data["id"] != pattern_id:
        raise ContentError(path, "id", f"{data['id']!r} does not match the folder name {pattern_id}")
    refs: list[LegalRef] = []
    seen: set[tuple[str, str, str]] = set()
    for i, raw in enumerate(data["legal_refs"]):
        citation = _cite(path, f"legal_refs[{i}]", raw, laws)
        key = (citation.law.key, citation.article.key, raw["applies_to"])
        if key in seen:
            raise ContentError(path, f"legal_refs[{i}]", "the same reference appears twice")
        seen.add(key)
        refs.append(LegalRef(law=citation.law, article=citation.article, applies_to=raw["applies_to"], why=raw["why"]))
    cases = tuple(
        Case(
            place=raw["place"],
            year=raw["year"],
            summary=raw["summary"],
            scale=raw["scale"],
            source=CaseSource(**raw["source"]),
        )
        for raw in data["cases"]
    )
    return Pattern(
        id=data["id"],
        title=data["title"],
        warning=data["warning"],
        now=data["now"],
        how_it_works=tuple(data["how_it_works"]),
        consequences=tuple(data["consequences"]),
        advice=Advice(before=tuple(data["advice"]["before"]), after=tuple(data["advice"]["after"])),
        legal_refs=tuple(refs),
        cases=cases,
    )


def _load_channels(path: Path, root: Path, laws: dict[str, Law]) -> tuple[Channel, ...]:
    data = contentfile.read(path, "channels.schema.json", root)
    channels: list[Channel] = []
    for i, raw in enumerate(data["channels"]):
        if any(c.key == raw["key"] for c in channels):
            raise ContentError(path, f"channels[{i}].key", f"{raw['key']!r} appears twice")
        basis = tuple(
            _cite(path, f"channels[{i}].legal_basis[{j}]", ref, laws) for j, ref in enumerate(raw["legal_basis"])
        )
        channels.append(
            Channel(
                key=raw["key"],
                kind=raw["kind"],
                name=raw["name"],
                contact=raw["contact"],
                purpose=raw["for"],
                how=tuple(raw["how"]),
                legal_basis=basis,
                tel=raw.get("tel", ""),
                url=raw.get("url", ""),
            )
        )
    return tuple(channels)


def iter_citations() -> Iterator[tuple[str, Citation]]:
    """Every (where, citation) in the content: pattern references and channel legal bases."""
    content = _content()
    for pattern in content.patterns.values():
        for ref in pattern.legal_refs:
            yield f"patterns/{pattern.id}", Citation(ref.law, ref.article)
    for channel in content.channels:
        for citation in channel.legal_basis:
            yield f"channels/{channel.key}", citation
