"""Errors a user meets: a code, a message in Chinese and English, and details.

The API turns them into HTTP 4xx ``{code, message_zh, message_en, details}``; the CLI into one line and exit 2.
"""
from __future__ import annotations

from typing import Any


class OpenFTZError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message_zh: str, message_en: str, *, code: str | None = None, details: Any = None, status: int | None = None):
        super().__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en
        if code:
            self.code = code
        if status:
            self.status = status
        self.details = details

    def as_dict(self) -> dict:
        return {"code": self.code, "message_zh": self.message_zh, "message_en": self.message_en, "details": self.details}

    def one_line(self) -> str:
        return f"error: {self.code}: {self.message_en} / {self.message_zh}"


class NotFound(OpenFTZError):
    status = 404
    code = "not_found"


class InvalidInput(OpenFTZError):
    status = 422
    code = "invalid_input"
