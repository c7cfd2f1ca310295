"""Checking a whole file in constant memory: JSON Lines in chunks through a process pool, results in input order.

A file is JSON Lines (one release, record or package per line) unless its first line is not JSON on its own and
the whole file is one JSON document (a pretty-printed package): then that document is checked alone, as line 1.
At most ``workers × 4`` chunks are in flight, so memory does not grow with the file.
"""
from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from typing import BinaryIO, Iterable, Iterator

from openftz.core import jsonio

from .check import PARSE_ERRORS, check_line, check_value, error
from .rules import Context

CHUNK_BYTES = 256 * 1024
CHUNK_LINES = 256
IN_FLIGHT_PER_WORKER = 4

Chunk = list[tuple[int, bytes]]


def _lines(stream: BinaryIO) -> Iterator[tuple[int, bytes]]:
    for number, raw in enumerate(stream, start=1):
        if raw.strip():
            yield number, raw


def units(stream: BinaryIO) -> tuple[str, Iterator[tuple[int, bytes]] | object]:
    """("lines", numbered non-blank lines) or ("document", the parsed value); the stream must be seekable."""
    start = stream.tell()
    first = next(_lines(stream), None)
    if first is None:
        stream.seek(start)
        return "lines", iter(())
    try:
        jsonio.loads(first[1])
    except PARSE_ERRORS:
        stream.seek(start)
        whole = stream.read()
        try:
            return "document", jsonio.loads(whole)
        except PARSE_ERRORS:
            pass
    stream.seek(start)
    return "lines", _lines(stream)


def _chunks(lines: Iterable[tuple[int, bytes]]) -> Iterator[Chunk]:
    chunk: Chunk = []
    size = 0
    for item in lines:
        chunk.append(item)
        size += len(item[1])
        if size >= CHUNK_BYTES or len(chunk) >= CHUNK_LINES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


_worker_ctx: Context | None = None


def _init_worker(ctx: Context) -> None:
    global _worker_ctx
    _worker_ctx = ctx


def check_chunk(chunk: Chunk, ctx: Context | None = None) -> list[dict]:
    ctx = ctx or _worker_ctx
    out: list[dict] = []
    for number, raw in chunk:
        out.extend(check_line(raw, number, ctx))
    return out


def check_stream(stream: BinaryIO, ctx: Context, *, workers: int = 1) -> Iterator[dict]:
    """Every result of a file, in order: ``{"line", "ocid", "findings", …}`` or ``{"line", "error"}``."""
    mode, content = units(stream)
    if mode == "document":
        try:
            yield from check_value(content, 1, ctx)
        except RecursionError:
            yield error(1, "too_deep", "第 1 行的数据嵌套过深,无法检查", "line 1 is nested too deeply to check")
        return
    if workers <= 1:
        for chunk in _chunks(content):
            yield from check_chunk(chunk, ctx)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(ctx,)) as pool:
        pending: deque[Future] = deque()
        for chunk in _chunks(content):
            pending.append(pool.submit(check_chunk, chunk))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
