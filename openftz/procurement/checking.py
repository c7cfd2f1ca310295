"""Checking an uploaded file for the API and the page: size limit, the rules in force, results split for display."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from openftz.core.errors import InvalidInput, OpenFTZError
from openftz.core.parameters import ParameterError

from .report import Summary
from .rules import Context
from .stream import check_stream

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # an operational limit of a request; larger files go through the CLI


class TooLarge(OpenFTZError):
    status = 413
    code = "too_large"


@dataclass
class Report:
    on: dt.date
    summary: Summary = field(default_factory=Summary)
    releases: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"on": self.on.isoformat(), "summary": self.summary.as_dict(), "releases": self.releases, "errors": self.errors}

    @property
    def results(self) -> list[dict]:
        """Releases and errors in input order (for the Excel export)."""
        return sorted(self.releases + self.errors, key=lambda r: r["line"])


def today() -> dt.date:
    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def check_upload(upload, *, on: dt.date | None = None) -> Report:
    """Check an uploaded file (Django ``UploadedFile``); InvalidInput (422) when nothing in it could be read."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise TooLarge(f"文件超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB;更大的文件请用命令行 openftz procurement check",
                       f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; check larger files with `openftz procurement check`",
                       details={"max_bytes": MAX_UPLOAD_BYTES})
    day = on or today()
    try:
        ctx = Context.at(day)
    except ParameterError as exc:
        raise InvalidInput(exc.message_zh, exc.message_en, details={"on": day.isoformat()}) from None
    report = Report(on=day)
    upload.seek(0)
    for result in check_stream(upload.file, ctx):
        report.summary.add(result)
        (report.errors if "error" in result else report.releases).append(result)
    if not report.releases:
        raise InvalidInput("文件中没有可读取的发布", "nothing in the file could be read as OCDS data",
                           code="nothing_readable", details={"lines": report.errors})
    return report
