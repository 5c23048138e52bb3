"""Both languages say the same things: same keys, same placeholders, nothing missing."""

from __future__ import annotations

from bot.i18n import LOCALES, catalog, from_choice, normalize, placeholders, t


def test_every_message_exists_in_every_language_with_the_same_placeholders() -> None:
    zh, en = (catalog(lang) for lang in LOCALES)
    assert set(zh) == set(en), sorted(set(zh) ^ set(en))
    for key in zh:
        assert placeholders(zh[key]) == placeholders(en[key]), key
        assert zh[key].strip() and en[key].strip(), key


def test_telegram_language_codes_map_to_our_catalogs() -> None:
    for code in ("zh", "zh-hans", "zh-CN", "zh-sg", "zh_Hans"):
        assert normalize(code) == "zh_CN"
    for code in ("en", "en-US", "de", "ru"):
        assert normalize(code) == "en"
    assert normalize(None) == "zh_CN"
    assert normalize(None, "en") == "en"
    assert from_choice("English") == "en" and from_choice("中文") == "zh_CN" and from_choice("x") is None


def test_rendering_fills_placeholders() -> None:
    assert "5000" in t("zh_CN", "fallback.too_long", length=5000, limit=2000)
    assert t("en", "language.changed") == "Switched to English."


def test_no_message_is_written_twice() -> None:
    """A key added again at the end of a catalog silently loses to (or overrides) the first."""
    import re
    from collections import Counter
    from pathlib import Path

    for po in sorted((Path(__file__).resolve().parent.parent / "locale").glob("*/LC_MESSAGES/*.po")):
        keys = Counter(re.findall(r'^msgid "(.+)"$', po.read_text(encoding="utf-8"), re.M))
        assert [k for k, n in keys.items() if n > 1] == [], po
    all_keys = Counter(
        key for po in (Path(__file__).resolve().parent.parent / "locale").glob("zh_CN/LC_MESSAGES/*.po")
        for key in re.findall(r'^msgid "(.+)"$', po.read_text(encoding="utf-8"), re.M)
    )
    assert [k for k, n in all_keys.items() if n > 1] == []
