"""整改助手: the application and its Telegram-free services."""

import os

# Opt in to PTB's future timedelta API now, so RetryAfter.retry_after is one type everywhere
# (and no deprecation warning is raised where warnings are errors).
os.environ.setdefault("PTB_TIMEDELTA", "1")
