"""Telegram handlers, one module per conversation area; registered in one place."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CommandHandler, MessageHandler, filters

from handlers import basics, fallback


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    application.add_handler(CommandHandler("start", basics.start))
    application.add_handler(CommandHandler("help", basics.help_command))
    application.add_handler(CommandHandler("language", basics.language))
    new = filters.UpdateType.MESSAGE
    application.add_handler(MessageHandler(new & filters.COMMAND, fallback.unknown_command))
    application.add_handler(MessageHandler(new & filters.Sticker.ALL, fallback.sticker))
    application.add_handler(
        MessageHandler(new & (filters.VOICE | filters.AUDIO | filters.VIDEO_NOTE), fallback.voice)
    )
    application.add_handler(MessageHandler(new & (filters.LOCATION | filters.VENUE), fallback.location))
    application.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND, fallback.text))
    application.add_handler(MessageHandler(new, fallback.unsupported))
