"""The Telegram Bot API, as data, to keep the local Bot API and the bot honest.

The local Bot API is only worth trusting if it cannot accept a call that Telegram would
reject, nor hand the bot a result Telegram would never produce.  ``api.min.json`` (Bot API
10.0, the version python-telegram-bot 22.8 speaks) lists every method and type with required
fields and return types; this module checks calls and results against it.

The spec is a development artefact kept outside the package: production must run without
it, so a missing file gives ``None`` from :func:`load_spec` and one warning, never a crash.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

_LOG = logging.getLogger(__name__)

SPEC_ENV = "RECTIBOT_BOTAPI_SPEC"
_PRIMITIVES = {"Integer", "String", "Boolean", "Float", "True", "InputFile"}


def default_spec_path() -> Path:
    """Where the spec lives: ``$RECTIBOT_BOTAPI_SPEC``, else ``../shared/`` beside the repo."""
    override = os.environ.get(SPEC_ENV)
    if override:
        return Path(override)
    repo_root = Path(__file__).resolve().parent.parent
    return repo_root.parent / "shared" / "telegram-bot-api-spec" / "api.min.json"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    types: tuple[str, ...]
    required: bool


@dataclass(frozen=True)
class ObjectSpec:
    name: str
    fields: dict[str, FieldSpec] = field(default_factory=dict)
    subtypes: tuple[str, ...] = ()


@dataclass(frozen=True)
class MethodSpec:
    name: str
    params: dict[str, FieldSpec]
    returns: tuple[str, ...]


class BotApiSpec:
    """Checks against one loaded spec; every ``check_*`` returns a list of violations.

    Lists rather than exceptions because a test wants to see every problem of a call at
    once, and the local Bot API decides itself whether a violation is fatal (strict mode).
    """

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.version: str = str(raw.get("version", "?"))
        self.types: dict[str, ObjectSpec] = {}
        for name, t in raw.get("types", {}).items():
            fields = {
                f["name"]: FieldSpec(f["name"], tuple(f["types"]), bool(f.get("required")))
                for f in t.get("fields", [])
            }
            self.types[name] = ObjectSpec(name, fields, tuple(t.get("subtypes", ())))
        self.methods: dict[str, MethodSpec] = {}
        self._by_lower: dict[str, str] = {}
        for name, m in raw.get("methods", {}).items():
            params = {
                f["name"]: FieldSpec(f["name"], tuple(f["types"]), bool(f.get("required")))
                for f in m.get("fields", [])
            }
            self.methods[name] = MethodSpec(name, params, tuple(m.get("returns", ())))
            self._by_lower[name.lower()] = name

    @classmethod
    def from_file(cls, path: Path) -> BotApiSpec:
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def method(self, name: str) -> MethodSpec | None:
        """Telegram matches method names case-insensitively, so does this."""
        canonical = self._by_lower.get(name.lower())
        return self.methods[canonical] if canonical else None

    def check_call(self, method: str, params: Mapping[str, Any]) -> list[str]:
        """Method exists, every parameter is known and well typed, required ones are sent."""
        spec = self.method(method)
        if spec is None:
            return [f"{method}: no such Bot API method"]
        errors: list[str] = []
        for name, value in params.items():
            pspec = spec.params.get(name)
            if pspec is None:
                errors.append(f"{spec.name}: unknown parameter {name!r}")
                continue
            errors.extend(self._check_value(pspec.types, value, f"{spec.name}.{name}", True))
        for pspec in spec.params.values():
            if pspec.required and params.get(pspec.name) is None:
                errors.append(f"{spec.name}: required parameter {pspec.name!r} missing")
        return errors

    def check_result(self, method: str, result: Any) -> list[str]:
        """The result has the shape of one of the method's declared return types."""
        spec = self.method(method)
        if spec is None:
            return [f"{method}: no such Bot API method"]
        return self._check_value(spec.returns, result, f"{spec.name}()", False)

    def check_object(self, type_name: str, value: Any, path: str = "") -> list[str]:
        """Check one object (e.g. an Update the local API is about to deliver)."""
        return self._check_value((type_name,), value, path or type_name, False)

    def _check_value(
        self, types: Iterable[str], value: Any, path: str, is_input: bool
    ) -> list[str]:
        """Accept ``value`` if any alternative fits; otherwise report the closest miss."""
        best: list[str] | None = None
        for type_name in types:
            errors = self._check_one(type_name, value, path, is_input)
            if not errors:
                return []
            if best is None or len(errors) < len(best):
                best = errors
        return best or []

    def _check_one(self, type_name: str, value: Any, path: str, is_input: bool) -> list[str]:
        if type_name.startswith("Array of "):
            if not isinstance(value, list | tuple):
                return [f"{path}: expected {type_name}, got {type(value).__name__}"]
            inner = type_name[len("Array of ") :]
            errors: list[str] = []
            for i, item in enumerate(value):
                errors.extend(self._check_one(inner, item, f"{path}[{i}]", is_input))
            return errors
        if type_name in _PRIMITIVES:
            return self._check_primitive(type_name, value, path, is_input)
        spec = self.types.get(type_name)
        if spec is None:
            return [f"{path}: spec has no type {type_name}"]
        if spec.subtypes:
            return self._check_value(spec.subtypes, value, path, is_input)
        if not isinstance(value, Mapping):
            return [f"{path}: expected {type_name} object, got {type(value).__name__}"]
        errors = []
        for name, item in value.items():
            fspec = spec.fields.get(name)
            if fspec is None:
                errors.append(f"{path}: unknown field {name!r} for {type_name}")
            elif item is not None:
                errors.extend(self._check_value(fspec.types, item, f"{path}.{name}", is_input))
        for fspec in spec.fields.values():
            if fspec.required and value.get(fspec.name) is None:
                errors.append(f"{path}: required field {fspec.name!r} of {type_name} missing")
        return errors

    @staticmethod
    def _check_primitive(type_name: str, value: Any, path: str, is_input: bool) -> list[str]:
        ok: bool
        if type_name == "Integer":
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif type_name == "Float":
            ok = isinstance(value, int | float) and not isinstance(value, bool)
        elif type_name == "Boolean":
            ok = isinstance(value, bool)
        elif type_name == "True":
            ok = value is True
        elif type_name == "InputFile":
            # An upload arrives as a multipart part, represented here by a non-JSON marker.
            ok = is_input and not isinstance(value, Mapping | list)
        else:
            ok = isinstance(value, str)
        return [] if ok else [f"{path}: expected {type_name}, got {value!r:.60}"]


@lru_cache(maxsize=4)
def _load_cached(path: str) -> BotApiSpec | None:
    p = Path(path)
    if not p.is_file():
        _LOG.warning("Bot API spec not found at %s; Bot API conformance checks are off", p)
        return None
    try:
        return BotApiSpec.from_file(p)
    except (OSError, ValueError) as exc:
        _LOG.warning("Bot API spec at %s unreadable (%s); conformance checks are off", p, exc)
        return None


def load_spec(path: Path | None = None) -> BotApiSpec | None:
    """The spec at ``path`` (default :func:`default_spec_path`), or ``None`` with a warning."""
    return _load_cached(str(path or default_spec_path()))
