"""Where authored content lives. Every loader asks here; none finds ``content/`` by its own path.

One root (``settings.CHECKER_CONTENT_DIR``), one folder per pattern holding everything specific to
it, and named shared files for what all patterns use::

    content/
      patterns/<id>/pattern.yaml   page text: warning, advice, cases, legal references
      patterns/<id>/rules.yaml     the pattern's rules
      patterns/<id>/training.yaml  the pattern's training examples
      cues.yaml                    cue groups the rules share
      lawful.yaml                  lawful-context, warning and service-message cues
      training/**/*.yaml           shared examples: contrastive, boundary, open-world genres
      laws.yaml, channels.yaml, english.yaml, lexicon.txt, schema/
"""

from __future__ import annotations

from pathlib import Path

PATTERN_FILE = "pattern.yaml"
RULES_FILE = "rules.yaml"
TRAINING_FILE = "training.yaml"


def content_root() -> Path:
    from django.conf import settings

    return Path(settings.CHECKER_CONTENT_DIR)


def _root(root: Path | None) -> Path:
    return content_root() if root is None else root


def pattern_dirs(root: Path | None = None) -> dict[str, Path]:
    """Folder name → folder, for every folder under patterns/ (validation checks the names)."""
    base = _root(root) / "patterns"
    return {path.name: path for path in sorted(base.iterdir()) if path.is_dir()}


def training_files(root: Path | None = None) -> list[Path]:
    """Each pattern's training file and the shared ones (any depth under training/).

    In one order by name (a pattern's file by its id, a shared one by its path under training/), so
    the examples reach the trainer in the same order wherever a file lives: same content, same model.
    """
    root = _root(root)
    named = {pid: d / TRAINING_FILE for pid, d in pattern_dirs(root).items() if (d / TRAINING_FILE).exists()}
    shared = root / "training"
    named |= {str(p.relative_to(shared).with_suffix("")): p for p in shared.rglob("*.yaml")}
    return [named[name] for name in sorted(named)]


def rule_files(root: Path | None = None) -> dict[str, Path]:
    return {pid: d / RULES_FILE for pid, d in pattern_dirs(root).items() if (d / RULES_FILE).exists()}


def shared_file(name: str, root: Path | None = None) -> Path:
    """A shared file by name: cues.yaml, lawful.yaml, laws.yaml, channels.yaml, english.yaml, lexicon.txt."""
    return _root(root) / name


def schema_file(name: str, root: Path | None = None) -> Path:
    return _root(root) / "schema" / name
