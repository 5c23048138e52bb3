"""Telegram handlers, one module per conversation area; registered in one place.

Each area module exposes ``register(application)``. Order matters: feature areas
first, ``fallback`` last, so stray input only reaches it when nobody else took it.
"""

from __future__ import annotations

import importlib
from typing import Any

from telegram.ext import Application

# Conversation areas in registration order; each module is handlers/<name>.py.
AREAS = (
    "basics",
    "binding",
    "admin",
    "imports",
    "queries",
    "reminders",
    "signoff",
    "evidence",
    "reporting",
    "callbacks",
    "fallback",
)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    for name in AREAS:
        try:
            module = importlib.import_module(f"handlers.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"handlers.{name}":
                raise
            continue  # an area not built yet
        module.register(application)
