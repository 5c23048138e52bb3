"""Text as Telegram sees it: HTML entities parsed, lengths in UTF-16, commands detected.

A message the real Telegram refuses ("can't parse entities", "message is too long") must be
refused here too, or the bot ships replies that work offline and fail in production.  The
HTML parser follows the one in TDLib (which the Bot API server uses): same supported tags,
same error texts, same byte offsets.
"""

from __future__ import annotations

import re
from typing import Any

MAX_TEXT = 4096
MAX_CAPTION = 1024

_SUPPORTED_TAGS = {
    "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins",
    "tg-spoiler", "tg-emoji", "span", "pre", "code", "blockquote",
}  # fmt: skip
_ENTITY_TYPE = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "u": "underline", "ins": "underline", "tg-spoiler": "spoiler", "span": "spoiler",
    "code": "code", "pre": "pre", "blockquote": "blockquote",
    "a": "text_link", "tg-emoji": "custom_emoji",
}  # fmt: skip
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_COMMAND = re.compile(r"(?<![\w/@])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/@])")


class EntityParseError(ValueError):
    """The text of a "can't parse entities" 400, without the Bot API prefix."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _decode_entity(text: str, i: int) -> tuple[str, int] | None:
    """Decode ``&...;`` at ``i``; TDLib knows only four named entities plus numeric ones."""
    end = text.find(";", i + 1, i + 12)
    if end == -1:
        return None
    body = text[i + 1 : end]
    if body in _NAMED:
        return _NAMED[body], end + 1
    if body.startswith("#"):
        try:
            code = int(body[2:], 16) if body[1:2] in ("x", "X") else int(body[1:], 10)
        except ValueError:
            return None
        if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
            return chr(code), end + 1
    return None


def _byte_offset(text: str, i: int) -> int:
    return len(text[:i].encode("utf-8"))


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Return (plain text, entities) or raise :class:`EntityParseError`."""
    out: list[str] = []
    offset = 0
    entities: list[dict[str, Any]] = []
    stack: list[tuple[str, str, int]] = []
    n = len(text)
    i = 0
    while i < n:
        c = text[i]
        if c == "&":
            decoded = _decode_entity(text, i)
            if decoded is not None:
                out.append(decoded[0])
                offset += utf16_len(decoded[0])
                i = decoded[1]
                continue
        if c != "<":
            out.append(c)
            offset += utf16_len(c)
            i += 1
            continue
        begin = i
        i += 1
        if i < n and text[i] != "/":
            start = i
            while i < n and not text[i].isspace() and text[i] != ">":
                i += 1
            if i >= n:
                raise EntityParseError(
                    f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                )
            tag = text[start:i].lower()
            if tag not in _SUPPORTED_TAGS:
                raise EntityParseError(
                    f'Unsupported start tag "{tag}" at byte offset {_byte_offset(text, begin)}'
                )
            argument = ""
            while i < n and text[i] != ">":
                while i < n and text[i].isspace():
                    i += 1
                if i < n and text[i] == ">":
                    break
                attr_start = i
                while i < n and not text[i].isspace() and text[i] != "=" and text[i] != ">":
                    i += 1
                attr = text[attr_start:i].lower()
                if not attr:
                    raise EntityParseError(
                        f'Empty attribute name in the tag "{tag}" at byte offset {_byte_offset(text, begin)}'
                    )
                while i < n and text[i].isspace():
                    i += 1
                if i >= n or text[i] != "=":
                    if tag == "blockquote" and attr == "expandable":
                        argument = "expandable"
                        continue
                    raise EntityParseError(
                        f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                        f"at byte offset {_byte_offset(text, begin)}"
                    )
                i += 1
                while i < n and text[i].isspace():
                    i += 1
                if i >= n:
                    raise EntityParseError(
                        f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                    )
                if text[i] not in "'\"":
                    token_start = i
                    while i < n and (text[i].isalnum() or text[i] in ".-"):
                        i += 1
                    value = text[token_start:i].lower()
                    if i >= n or (not text[i].isspace() and text[i] != ">"):
                        raise EntityParseError(
                            f"Unexpected end of name token at byte offset {_byte_offset(text, token_start)}"
                        )
                else:
                    quote = text[i]
                    i += 1
                    chars: list[str] = []
                    while i < n and text[i] != quote:
                        if text[i] == "&":
                            decoded = _decode_entity(text, i)
                            if decoded is not None:
                                chars.append(decoded[0])
                                i = decoded[1]
                                continue
                        chars.append(text[i])
                        i += 1
                    if i < n:
                        i += 1
                    value = "".join(chars)
                if i >= n:
                    raise EntityParseError(
                        f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                    )
                if tag == "a" and attr == "href":
                    argument = value
                elif tag == "code" and attr == "class" and value.startswith("language-"):
                    argument = value[len("language-") :]
                elif tag == "span" and attr == "class" and value.startswith("tg-"):
                    argument = value[len("tg-") :]
                elif tag == "tg-emoji" and attr == "emoji-id":
                    argument = value
            if tag == "span" and argument != "spoiler":
                raise EntityParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {_byte_offset(text, begin)}'
                )
            stack.append((tag, argument, offset))
            i += 1
            continue
        i += 1
        if not stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {_byte_offset(text, begin)}")
        start = i
        while i < n and not text[i].isspace() and text[i] != ">":
            i += 1
        end_tag = text[start:i].lower()
        while i < n and text[i].isspace():
            i += 1
        if i >= n or text[i] != ">":
            raise EntityParseError(f"Unclosed end tag at byte offset {_byte_offset(text, begin)}")
        tag, argument, entity_offset = stack.pop()
        if end_tag and end_tag != tag:
            raise EntityParseError(
                f'Unmatched end tag at byte offset {_byte_offset(text, begin)}, expected "</{tag}>", '
                f'found "</{end_tag}>"'
            )
        length = offset - entity_offset
        if length > 0:
            entity: dict[str, Any] = {
                "type": _ENTITY_TYPE[tag],
                "offset": entity_offset,
                "length": length,
            }
            if tag == "a":
                if not argument:
                    entity = {}
                else:
                    entity["url"] = argument
            elif tag == "pre" and argument:
                entity["language"] = argument
            elif tag == "code" and argument:
                entity["type"] = "pre"
                entity["language"] = argument
            elif tag == "tg-emoji":
                entity["custom_emoji_id"] = argument
            elif tag == "blockquote" and argument == "expandable":
                entity["type"] = "expandable_blockquote"
            if entity:
                entities.append(entity)
        i += 1
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def strip_text(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Trim surrounding whitespace as Telegram does, keeping entities on the same characters."""
    stripped = text.lstrip()
    shift = utf16_len(text) - utf16_len(stripped)
    stripped = stripped.rstrip()
    total = utf16_len(stripped)
    kept: list[dict[str, Any]] = []
    for entity in entities:
        start = max(0, entity["offset"] - shift)
        end = min(total, entity["offset"] - shift + entity["length"])
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


def command_entities(text: str) -> list[dict[str, Any]]:
    """``bot_command`` entities for every /command (also /command@bot) in ``text``."""
    entities = []
    for match in _COMMAND.finditer(text):
        entities.append(
            {
                "type": "bot_command",
                "offset": utf16_len(text[: match.start()]),
                "length": utf16_len(match.group(0)),
            }
        )
    return entities


_MDV2_RESERVED = "_*[]()~`>#+-=|{}.!"
_MDV2_NAMES = {
    "bold": "Bold", "italic": "Italic", "underline": "Underline", "strikethrough": "Strikethrough",
    "spoiler": "Spoiler", "code": "Code", "pre": "Pre", "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}  # fmt: skip


def _reserved(c: str) -> EntityParseError:
    return EntityParseError(
        f"Character '{c}' is reserved and must be escaped with the preceding '\\'"
    )


def parse_markdown_v2(text: str) -> tuple[str, list[dict[str, Any]]]:
    """MarkdownV2 as TDLib parses it: every reserved character outside markup must be escaped.

    The unescaped ``.`` or ``-`` in an ordinary sentence is the classic MarkdownV2 failure
    in production, so that error is reproduced exactly.
    """
    out: list[str] = []
    offset = 0
    entities: list[dict[str, Any]] = []
    stack: list[tuple[str, int, int]] = []
    blockquote_start: int | None = None
    language = ""
    n = len(text)
    i = 0

    def emit(s: str) -> None:
        nonlocal offset
        out.append(s)
        offset += utf16_len(s)

    while i < n:
        c = text[i]
        at_line_start = i == 0 or text[i - 1] == "\n"
        if c == "\\" and i + 1 < n and 0 < ord(text[i + 1]) <= 126:
            emit(text[i + 1])
            i += 2
            continue
        top = stack[-1][0] if stack else None
        reserved = "`" if top in ("code", "pre") else _MDV2_RESERVED
        if c == "\n" and blockquote_start is not None and not text.startswith(">", i + 1):
            entities.append(
                {
                    "type": "blockquote",
                    "offset": blockquote_start,
                    "length": offset - blockquote_start,
                }
            )
            blockquote_start = None
        if c not in reserved:
            emit(c)
            i += 1
            continue
        nxt = text[i + 1] if i + 1 < n else ""
        ends = {
            "bold": c == "*",
            "italic": c == "_" and nxt != "_",
            "underline": c == "_" and nxt == "_",
            "code": c == "`",
            "pre": text.startswith("```", i),
            "text_link": c == "]",
            "custom_emoji": c == "]",
            "strikethrough": c == "~",
            "spoiler": c == "|" and nxt == "|",
        }
        if top is not None and ends.get(top, False):
            kind, start_offset, start_byte = stack.pop()
            entity: dict[str, Any] = {
                "type": kind,
                "offset": start_offset,
                "length": offset - start_offset,
            }
            if kind in ("underline", "spoiler"):
                i += 1
            elif kind == "pre":
                i += 2
                if language:
                    entity["language"] = language
            elif kind in ("text_link", "custom_emoji"):
                if nxt != "(":
                    raise EntityParseError(
                        f"Can't find end of a URL at byte offset {_byte_offset(text, i + 1)}"
                    )
                i += 2
                url_start = i
                url: list[str] = []
                while i < n and text[i] != ")":
                    if text[i] == "\\" and i + 1 < n:
                        url.append(text[i + 1])
                        i += 2
                        continue
                    url.append(text[i])
                    i += 1
                if i >= n:
                    raise EntityParseError(
                        f"Can't find end of a URL at byte offset {_byte_offset(text, url_start)}"
                    )
                target = "".join(url)
                if kind == "text_link":
                    entity["url"] = target
                else:
                    entity["custom_emoji_id"] = target.rpartition("id=")[2]
            if entity["length"] > 0:
                entities.append(entity)
            i += 1
            continue
        start_byte = _byte_offset(text, i)
        if c == ">" and at_line_start:
            if blockquote_start is None:
                blockquote_start = offset
            i += 1
            continue
        if c == "_":
            kind = "underline" if nxt == "_" else "italic"
            i += 2 if kind == "underline" else 1
        elif c == "*":
            kind, i = "bold", i + 1
        elif c == "~":
            kind, i = "strikethrough", i + 1
        elif c == "|" and nxt == "|":
            kind, i = "spoiler", i + 2
        elif c == "[":
            kind, i = "text_link", i + 1
        elif c == "!" and nxt == "[":
            kind, i = "custom_emoji", i + 2
        elif c == "`":
            if text.startswith("```", i):
                i += 3
                end_line = text.find("\n", i)
                if end_line != -1 and re.fullmatch(r"[\w+#.-]*", text[i:end_line]):
                    language = text[i:end_line]
                    i = end_line + 1
                kind = "pre"
            else:
                kind, i = "code", i + 1
        else:
            raise _reserved(c)
        stack.append((kind, offset, start_byte))
    if blockquote_start is not None:
        entities.append(
            {"type": "blockquote", "offset": blockquote_start, "length": offset - blockquote_start}
        )
    if stack:
        kind, _, start_byte = stack[-1]
        raise EntityParseError(
            f"Can't find end of {_MDV2_NAMES[kind]} entity at byte offset {start_byte}"
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def parse_markdown(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Legacy Markdown: only ``*``, ``_``, `````, ``[`` are special and nothing nests."""
    out: list[str] = []
    offset = 0
    entities: list[dict[str, Any]] = []
    n = len(text)
    i = 0
    while i < n:
        c = text[i]
        if c not in "*_`[":
            out.append(c)
            offset += utf16_len(c)
            i += 1
            continue
        start_byte = _byte_offset(text, i)
        if c == "`" and text.startswith("```", i):
            end = text.find("```", i + 3)
            if end == -1:
                raise EntityParseError(
                    f"Can't find end of the entity starting at byte offset {start_byte}"
                )
            body = text[i + 3 : end]
            kind = "pre"
            i = end + 3
        elif c == "[":
            close = text.find("]", i + 1)
            if (
                close == -1
                or not text.startswith("(", close + 1)
                or text.find(")", close + 2) == -1
            ):
                raise EntityParseError(
                    f"Can't find end of the entity starting at byte offset {start_byte}"
                )
            body = text[i + 1 : close]
            url_end = text.find(")", close + 2)
            url = text[close + 2 : url_end]
            i = url_end + 1
            if body:
                entities.append(
                    {"type": "text_link", "offset": offset, "length": utf16_len(body), "url": url}
                )
            out.append(body)
            offset += utf16_len(body)
            continue
        else:
            end = text.find(c, i + 1)
            if end == -1:
                raise EntityParseError(
                    f"Can't find end of the entity starting at byte offset {start_byte}"
                )
            body = text[i + 1 : end]
            kind = {"*": "bold", "_": "italic", "`": "code"}[c]
            i = end + 1
        if body:
            entities.append({"type": kind, "offset": offset, "length": utf16_len(body)})
        out.append(body)
        offset += utf16_len(body)
    return "".join(out), entities
