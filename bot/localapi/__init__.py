"""An in-process Telegram for simulate, the console and the tests (see :mod:`.core`)."""

from bot.localapi.core import (
    ApiError,
    LocalApiUsageError,
    LocalBotAPI,
    SpecViolation,
    Upload,
)
from bot.localapi.request import LocalRequest

__all__ = [
    "ApiError",
    "LocalApiUsageError",
    "LocalBotAPI",
    "LocalRequest",
    "SpecViolation",
    "Upload",
]
