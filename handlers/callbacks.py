"""Buttons of reporting and sign-off. Callback data is checked server-side by the services:
a forged, replayed or expired press, or one by the wrong person, gets a polite alert."""

from __future__ import annotations

import re
from typing import Any

from telegram.ext import Application, CallbackQueryHandler

from bot import guided_report, reporting, signoff
from bot.services import Services
from bot.turns import Turn
from handlers.reporting import with_services

_DATA = re.compile(r"^(ru|rc|rn|rg|sa|sr|rb):([0-9a-z:-]{1,60})$")


def _ints(raw: str, n: int) -> list[int] | None:
    parts = raw.split(":")
    if len(parts) != n or not all(re.fullmatch(r"-?\d{1,12}", p) for p in parts):
        return None
    return [int(p) for p in parts]


@with_services
async def press(services: Services, turn: Turn) -> None:
    query = turn.update.callback_query
    match = _DATA.match(query.data or "") if query else None
    if match is None:
        await turn.answer_callback(turn.tr("reporting.button_invalid"), alert=True)
        return
    kind, raw = match.groups()
    if kind == "rg":
        step, _, value = raw.partition(":")
        number = _ints(value, 1)
        if step in ("t", "m", "p") and number is not None:
            await guided_report.guided_press(services, turn, step, number[0])
            return
    elif kind == "rb":
        parts = raw.split(":")
        if len(parts) == 2 and parts[0].isdigit():
            await signoff.confirm_rebound(services, turn, int(parts[0]), parts[1])
            return
    else:
        numbers = _ints(raw, 2 if kind == "rc" else 1)
        if numbers is not None:
            if kind == "ru":
                await reporting.undo(services, turn, numbers[0])
            elif kind == "rc":
                await reporting.choose(services, turn, numbers[0], numbers[1])
            elif kind == "rn":
                await reporting.none_of_these(turn, numbers[0])
            elif kind == "sa":
                await signoff.approve(services, turn, numbers[0])
            elif kind == "sr":
                await signoff.ask_reason(services, turn, numbers[0])
            return
    await turn.answer_callback(turn.tr("reporting.button_invalid"), alert=True)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    application.add_handler(CallbackQueryHandler(press))
