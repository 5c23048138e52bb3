"""The one error the importer raises for input it cannot use.

Callers (the CLI, the chat preview) must tell an official what was wrong and what the bot
needs instead, without a traceback; a machine-readable ``code`` lets them pick the localized
message while ``str(err)`` stays a usable English sentence for ``errors[].reason``.
"""

from __future__ import annotations

from typing import Final

MAX_BYTES: Final = 20 * 1024 * 1024

_MESSAGES: Final[dict[str, str]] = {
    "empty": "The file is empty; send the plan document itself (.docx, .pdf, .xlsx or .txt).",
    "too_large": "The file is larger than 20 MB; send a smaller file, for example the plan without attached scans.",
    "encrypted": "The file is password-protected; remove the password and send it again.",
    "corrupt": "The file is damaged and cannot be opened; save or export it again and resend it.",
    "no_text_layer": "The PDF has no text layer (it looks like a scan); send the original Word file or a PDF with selectable text.",
    "undecodable": "The text file is in an encoding that could not be recognised; save it as UTF-8 or GB18030 and resend it.",
    "unsupported_type": "This file type is not supported; send the plan as .docx, .pdf, .xlsx or .txt.",
    "not_a_plan": "No rectification tasks were found in the document; send a plan with a task list (整改任务清单) or a measures section (主要措施/整改措施).",
}

CODES: Final = frozenset(_MESSAGES)


class PlanReadError(Exception):
    """A document that cannot become a plan; ``code`` says why, ``detail`` says where."""

    def __init__(self, code: str, detail: str = "", *, message: str | None = None) -> None:
        if code not in _MESSAGES:
            raise ValueError(f"unknown PlanReadError code {code!r}")
        self.code = code
        self.detail = detail
        text = message or _MESSAGES[code]
        super().__init__(f"{text} ({detail})" if detail else text)
