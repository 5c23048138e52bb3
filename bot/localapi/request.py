"""The PTB transport that talks to :class:`~bot.localapi.core.LocalBotAPI` instead of HTTP.

Replacing only ``BaseRequest`` keeps everything above it real: PTB's parameter encoding,
its error mapping (400 → BadRequest, 403 → Forbidden, 429 → RetryAfter), ``AIORateLimiter``,
the Updater's offset bookkeeping.  So what passes here passes the same code paths in
production.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote, urlsplit

from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

from bot.localapi.core import LocalBotAPI, Upload

_UNAUTHORIZED = {"ok": False, "error_code": 401, "description": "Unauthorized"}


def _encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


class LocalRequest(BaseRequest):
    """One PTB request channel into a LocalBotAPI (PTB uses two: updates and the rest)."""

    __slots__ = ("_api", "_initialized", "_read_timeout")

    def __init__(self, api: LocalBotAPI, read_timeout: float | None = 5.0) -> None:
        self._api = api
        self._read_timeout = read_timeout
        self._initialized = False

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        self._initialized = True

    async def shutdown(self) -> None:
        self._initialized = False

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if not self._initialized:
            raise RuntimeError("This LocalRequest is not initialized!")
        timeout = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        path = unquote(urlsplit(url).path)
        if "/file/bot" in path:
            token_and_path = path.split("/file/bot", 1)[1]
            token, _, file_path = token_and_path.partition("/")
            if token != self._api.token:
                return 401, _encode(_UNAUTHORIZED)
            return self._api.download(file_path)
        head, _, api_method = path.rpartition("/")
        token = head.rpartition("/bot")[2] if "/bot" in head else ""
        if token != self._api.token:
            return 401, _encode(_UNAUTHORIZED)
        params, files = self._params(request_data)
        status, body = await self._api.call(api_method, params, timeout, files)
        return status, _encode(body)

    @staticmethod
    def _params(request_data: RequestData | None) -> tuple[dict[str, Any], dict[str, Upload]]:
        """Python values of the parameters, with uploads as :class:`Upload` objects.

        A single ``InputFile`` parameter has no JSON value: PTB sends it only as a multipart
        part named like the parameter.  Parts referenced by ``attach://`` (media groups,
        thumbnails) are returned apart for the method to resolve.
        """
        if request_data is None:
            return {}, {}
        params: dict[str, Any] = dict(request_data.parameters)
        attached: set[str] = set()
        for value in request_data.json_parameters.values():
            attached.update(part for part in _attach_refs(value))
        files: dict[str, Upload] = {}
        for name, field in request_data.multipart_data.items():
            filename, content, mimetype = field[0], field[1], field[2]
            if not isinstance(content, bytes):
                content = content.read()
            upload = Upload(str(filename or name), content, str(mimetype))
            files[name] = upload
            if name not in attached:
                params[name] = upload
        return params, files


def _attach_refs(value: str) -> list[str]:
    refs = []
    marker = "attach://"
    start = value.find(marker)
    while start != -1:
        end = start + len(marker)
        while end < len(value) and (value[end].isalnum() or value[end] in "_-"):
            end += 1
        refs.append(value[len(marker) + start : end])
        start = value.find(marker, end)
    return refs
