"""Message catalogs: every text a person reads comes from ``locale/``.

Catalogs are gettext ``.po`` files keyed by a stable message id (``start.unbound``)
rather than by an English sentence, so a wording change in one language never
orphans the other. Babel reads them; nothing needs compiling to ``.mo`` first.
"""

from __future__ import annotations

import os
import string
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

DEFAULT_LOCALE = "zh_CN"
LOCALES = ("zh_CN", "en")
_ZH_CODES = {"zh", "zh-hans", "zh-cn", "zh-sg", "zh_cn", "zh_hans", "zh-hans-cn"}


def locale_dir() -> Path:
    override = os.environ.get("RECTIBOT_LOCALE_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "locale"


@cache
def catalog(lang: str) -> dict[str, str]:
    """All ``*.po`` files of a language, merged: one file per feature area."""
    merged: dict[str, str] = {}
    for path in sorted((locale_dir() / lang / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as fh:
            cat = read_po(fh, locale="zh_Hans_CN" if lang == "zh_CN" else lang)
        for message in cat:
            if message.id and message.string:
                key = str(message.id)
                if key in merged:
                    raise ValueError(f"message {key!r} is defined twice ({path.name})")
                merged[key] = str(message.string)
    return merged


def normalize(lang: str | None, default: str = DEFAULT_LOCALE) -> str:
    """Map a Telegram ``language_code`` (or a user's choice) to one of our catalogs."""
    if not lang:
        return default
    code = lang.strip().lower().replace("_", "-")
    if code in _ZH_CODES or code.startswith("zh-hans") or code == "zh-cn":
        return "zh_CN"
    if code in ("zh_cn",):
        return "zh_CN"
    if code.startswith("en") or code in ("en",):
        return "en"
    return "en"


def from_choice(word: str) -> str | None:
    """What a user may type after /language: 中文, zh, English, en …"""
    w = word.strip().lower()
    if w in ("zh", "zh_cn", "zh-cn", "cn", "中文", "简体中文", "汉语", "chinese"):
        return "zh_CN"
    if w in ("en", "english", "英文", "英语"):
        return "en"
    return None


class Translator:
    """Texts of one language; a missing key falls back to Chinese, never to the key."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LOCALES else DEFAULT_LOCALE

    def __call__(self, key: str, /, **params: object) -> str:
        text = catalog(self.lang).get(key) or catalog(DEFAULT_LOCALE).get(key)
        if text is None:
            raise KeyError(f"message {key!r} is in no catalog")
        return text.format(**params) if params else text


def t(lang: str, key: str, /, **params: object) -> str:
    return Translator(lang)(key, **params)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
