"""One update, one transaction: the effects, the handled-update record and the replies.

Handlers never call the Bot API themselves. They queue replies on the Turn; the
replies are outbox rows committed with the update id and the effects, and sent
after the commit. A redelivered update therefore changes nothing, and its replies
are sent only if they were not sent before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.i18n import Translator
from storage import outbox as outbox_q
from storage.models import Person, TelegramUser

# A button is (label, callback data) or (label, None, url).
Button = tuple[str, str] | tuple[str, None, str]


def keyboard(rows: Sequence[Sequence[Button]]) -> dict[str, Any]:
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(b[0], url=b[2]) if len(b) == 3 and b[1] is None
                else InlineKeyboardButton(b[0], callback_data=b[1])
                for b in row
            ]
            for row in rows
        ]
    )
    return markup.to_dict()


@dataclass
class Turn:
    session: AsyncSession
    update: Update
    now: datetime
    lang: str
    user: TelegramUser | None
    person: Person | None
    is_admin: bool
    outbox_ids: list[int] = field(default_factory=list)
    _n: int = 0
    # Messages to this chat kept back instead of queued (see hold_replies): an album's caption
    # is answered once, after its last photo, in one reply with the files counted.
    held: list[dict[str, Any]] | None = None

    @property
    def tr(self) -> Translator:
        return Translator(self.lang)

    async def examples(self) -> dict[str, str]:
        """``ref`` and ``unit`` from the reader's own plan, for the examples in help texts."""
        from bot.example_refs import examples

        return await examples(self.session, self.person, self.tr)

    @property
    def chat_id(self) -> int:
        chat = self.update.effective_chat
        if chat is None:
            raise ValueError("update has no chat")
        return chat.id

    @property
    def in_group(self) -> bool:
        chat = self.update.effective_chat
        return chat is not None and chat.type != "private"

    @property
    def roles(self) -> set[str]:
        roles = set(self.person.roles or []) if self.person else set()
        if self.is_admin:
            roles.add("admin")
        return roles

    def hold_replies(self) -> None:
        """Keep this turn's messages to its own chat back from now on; :meth:`release_held` returns them."""
        self.held = []

    def release_held(self) -> list[dict[str, Any]]:
        held, self.held = self.held or [], None
        return held

    async def _queue(self, method: str, payload: dict[str, Any], kind: str = "reply") -> None:
        if self.held is not None and method == "sendMessage" and payload.get("chat_id") == self.chat_id:
            self.held.append(payload)
            return
        self._n += 1
        row = await outbox_q.enqueue(
            self.session,
            key=f"update:{self.update.update_id}:{self._n}",
            kind=kind,
            chat_id=int(payload.get("chat_id") or self.chat_id),
            method=method,
            payload=payload,
            now=self.now,
            update_id=self.update.update_id,
        )
        if row is not None:
            await self.session.flush()
            self.outbox_ids.append(row.id)

    async def reply(
        self,
        text: str,
        *,
        buttons: Sequence[Sequence[Button]] | None = None,
        quote: bool | None = None,
    ) -> None:
        """Answer in the update's chat; in groups as a reply to the message that asked."""
        payload: dict[str, Any] = {"chat_id": self.chat_id, "text": text, "parse_mode": "HTML"}
        if buttons:
            payload["reply_markup"] = keyboard(buttons)
        message = self.update.effective_message
        if (quote if quote is not None else self.in_group) and message is not None:
            payload["reply_parameters"] = {"message_id": message.message_id, "allow_sending_without_reply": True}
        await self._queue("sendMessage", payload)

    async def send_file(
        self,
        path: str,
        *,
        caption: str | None = None,
        document: bool = False,
        filename: str | None = None,
        buttons: Sequence[Sequence[Button]] | None = None,
    ) -> None:
        """A photo or document as part of this turn's answer (exports, charts, evidence)."""
        payload: dict[str, Any] = {"chat_id": self.chat_id, "path": path, "parse_mode": "HTML"}
        if caption:
            payload["caption"] = caption
        if document:
            payload["filename"] = filename or path.rsplit("/", 1)[-1]
        if buttons:
            payload["reply_markup"] = keyboard(buttons)
        await self._queue("sendDocument" if document else "sendPhoto", payload)

    async def send_album(self, items: Sequence[tuple[str, str | None]], *, documents: bool = False) -> None:
        """Up to ten files as one media group; each item is (path, caption)."""
        media = [
            {"type": "document" if documents else "photo", "path": path, "parse_mode": "HTML"}
            | ({"caption": caption} if caption else {})  # no caption rather than the word "None"
            for path, caption in items
        ]
        await self._queue("sendMediaGroup", {"chat_id": self.chat_id, "media": media})

    async def edit(self, message_id: int, text: str, *, buttons: Sequence[Sequence[Button]] | None = None) -> None:
        payload: dict[str, Any] = {
            "chat_id": self.chat_id,
            "message_id": message_id,
            "text": text,
            "parse_mode": "HTML",
        }
        if buttons:
            payload["reply_markup"] = keyboard(buttons)
        await self._queue("editMessageText", payload)

    async def answer_callback(self, text: str | None = None, *, alert: bool = False) -> None:
        query = self.update.callback_query
        if query is None:
            return
        payload: dict[str, Any] = {"callback_query_id": query.id, "show_alert": alert}
        if text:
            payload["text"] = text
        await self._queue("answerCallbackQuery", payload)
