"""Checking an uploaded file for the API and the page: size limit, the rules in force, results split for display."""
from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import secrets
import time
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings

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


# A checked report stays downloadable as Excel for an hour. It is kept as a file under var/, not in a worker's memory,
# so that whichever worker process serves the download finds it.
REPORT_SECONDS = 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{22}$")


def _reports_dir():
    path = settings.VAR_DIR / "procurement-reports"
    path.mkdir(exist_ok=True)
    return path


def report_keep(report: Report) -> str:
    """Keep ``report`` for download; returns its token. Reports older than REPORT_SECONDS are removed meanwhile."""
    folder = _reports_dir()
    cutoff = time.time() - REPORT_SECONDS
    for old in folder.glob("*.json.gz"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(16)
    with gzip.open(folder / f"{token}.json.gz", "wt", encoding="utf-8") as fh:
        json.dump({"on": report.on.isoformat(), "results": report.results}, fh, ensure_ascii=False)
    return token


def report_get(token: str) -> tuple[dt.date, list[dict]] | None:
    """The day and results of a kept report, or None if the token is unknown or expired."""
    if not _TOKEN.match(token):
        return None
    path = _reports_dir() / f"{token}.json.gz"
    try:
        if path.stat().st_mtime < time.time() - REPORT_SECONDS:
            return None
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    return dt.date.fromisoformat(data["on"]), data["results"]
