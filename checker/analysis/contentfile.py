"""Reading one authored YAML file against its JSON Schema (``content/schema/``).

Every content file goes through :func:`read`, so a typo is an error naming the file and the field,
never a key that is silently ignored::

    >>> read(path, "rules.schema.json")
    ContentError: …/patterns/gift-qr-lure/rules.yaml: rules[0].unles: Additional properties are not allowed …
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from checker.analysis import layout


class ContentError(Exception):
    """A content file is unreadable or invalid. ``path`` and ``field`` say where."""

    def __init__(self, path: Path, field: str, message: str) -> None:
        self.path = path
        self.field = field
        self.message = message
        super().__init__(f"{path}: {field}: {message}")


# libyaml's parser where the wheel has it (training files hold thousands of examples), Python's otherwise.
_Safe = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Safe):
    """Safe YAML that keeps dates as text, so the schema sees what the editor wrote."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@lru_cache(maxsize=32)
def _validator(path: Path) -> Draft202012Validator:
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ContentError(path, "(file)", f"cannot read the schema: {exc}") from exc
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def read(path: Path, schema: str, root: Path | None = None) -> dict[str, Any]:
    """The file's data, checked against ``schema`` (a file name under the content root's schema/)."""
    validator = _validator(layout.schema_file(schema, root))
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - a SafeLoader
    except OSError as exc:
        raise ContentError(path, "(file)", f"cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ContentError(path, "(yaml)", str(exc)) from exc
    error = best_match(validator.iter_errors(data))
    if error is not None:
        raise ContentError(path, _field_of(error), _short(error.message))
    return data


def _field_of(error: ValidationError) -> str:
    parts: list[str | int] = list(error.absolute_path)
    instance = error.instance
    if error.validator == "required" and isinstance(instance, dict):
        parts += [name for name in error.validator_value if name not in instance][:1]
    elif error.validator == "additionalProperties" and isinstance(instance, dict):
        allowed = error.schema.get("properties", {})
        parts += sorted(name for name in instance if name not in allowed)[:1]
    return join_field(parts) or "(top level)"


def join_field(parts: list[str | int]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _short(message: str, limit: int = 200) -> str:
    return message if len(message) <= limit else message[: limit - 1] + "…"
