"""Reading a multipart upload as it arrives, with every limit applied while reading.

The caller authenticates first, then hands over the request's byte stream. The file part goes
straight to a temporary file in the media directory; reading stops at the first byte over the
size limit, so a large body is never read in full just to be refused. Plain fields are small
and kept in memory.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import anyio
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from gaung.kit.errors import AppError, Invalid

# What a form may carry besides the file: each known field at most once (an unknown or repeated
# name is refused as soon as its headers end, which bounds the number of parts), each small.
MAX_FIELD_BYTES = 4096  # alt text: 1000 characters of up to 4 bytes each
MAX_HEADER_BYTES = 4096  # the headers of one part


@dataclass
class ReceivedFile:
    path: Path
    size: int
    filename: str | None


@dataclass
class ReceivedForm:
    fields: dict[str, str]
    file: ReceivedFile | None


def too_large(max_bytes: int) -> AppError:
    limit = f"{max_bytes // (1024 * 1024)} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes} bytes"
    return AppError(
        f"The file is larger than {limit}.",
        code="payload_too_large",
        status_code=413,
        fields={"file": f"at most {limit}"},
        limits={"file": {"max_bytes": max_bytes}},
    )


def _bad_body(reason: str) -> Invalid:
    return Invalid(f"body: {reason}", fields={"body": reason})


def _bad_field(name: str, reason: str) -> Invalid:
    return Invalid(f"{name}: {reason}", fields={name: reason})


@dataclass
class _Part:
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    header_bytes: int = 0
    name: str = ""
    is_file: bool = False
    data: bytearray = field(default_factory=bytearray)


class _Reader:
    """Callbacks of python-multipart's push parser. They only record what happened (the file
    writes are blocking I/O, done afterwards in a worker thread), but they enforce the limits
    at once, so the parser stops in the middle of the chunk that crosses one."""

    def __init__(self, fields: Collection[str], file_field: str, max_file_bytes: int) -> None:
        self.allowed = set(fields)
        self.file_field = file_field
        self.max_file_bytes = max_file_bytes
        self.part = _Part()
        self.header_name = b""
        self.header_value = b""
        self.fields: dict[str, str] = {}
        self.seen: set[str] = set()
        self.filename: str | None = None
        self.file_size = 0
        # ("start", b"") when the file part begins, ("data", bytes), ("end", b"").
        self.events: list[tuple[str, bytes]] = []
        self.ended = False

    def on_part_begin(self) -> None:
        self.part = _Part()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._count_header(end - start)
        self.header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._count_header(end - start)
        self.header_value += data[start:end]

    def _count_header(self, n: int) -> None:
        self.part.header_bytes += n
        if self.part.header_bytes > MAX_HEADER_BYTES:
            raise _bad_body(f"part headers over {MAX_HEADER_BYTES} bytes")

    def on_header_end(self) -> None:
        self.part.headers.append((self.header_name.lower(), self.header_value))
        self.header_name = self.header_value = b""

    def on_headers_finished(self) -> None:
        disposition = next((v for k, v in self.part.headers if k == b"content-disposition"), b"")
        kind, options = parse_options_header(disposition)
        raw_name = options.get(b"name")
        if kind != b"form-data" or raw_name is None:
            raise _bad_body("each part needs Content-Disposition: form-data with a name")
        name = raw_name.decode("utf-8", "replace")[:100]
        if name != self.file_field and name not in self.allowed:
            raise _bad_field(name, "Extra inputs are not permitted")
        if name in self.seen:
            raise _bad_field(name, "given more than once")
        self.seen.add(name)
        self.part.name = name
        self.part.is_file = b"filename" in options
        if name == self.file_field:
            if not self.part.is_file:
                raise _bad_field(name, "must be a file")
            self.filename = options[b"filename"].decode("utf-8", "replace")
            self.events.append(("start", b""))
        elif self.part.is_file:
            raise _bad_field(name, "must be a plain value, not a file")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.part.name == self.file_field:
            self.file_size += end - start
            if self.file_size > self.max_file_bytes:
                raise too_large(self.max_file_bytes)
            self.events.append(("data", data[start:end]))
            return
        self.part.data += data[start:end]
        if len(self.part.data) > MAX_FIELD_BYTES:
            raise _bad_field(self.part.name, f"at most {MAX_FIELD_BYTES} bytes")

    def on_part_end(self) -> None:
        if self.part.name == self.file_field:
            self.events.append(("end", b""))
            return
        try:
            self.fields[self.part.name] = self.part.data.decode("utf-8")
        except UnicodeDecodeError:
            raise _bad_field(self.part.name, "must be UTF-8 text") from None

    def on_end(self) -> None:
        self.ended = True


class _Spool:
    """The temporary file the file part is written to."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=directory, prefix=".upload-")
        self.path = Path(name)
        self.out: BinaryIO = os.fdopen(fd, "wb")

    def write(self, chunks: list[bytes]) -> None:
        self.out.writelines(chunks)

    def discard(self) -> None:
        self.out.close()
        self.path.unlink(missing_ok=True)


async def receive_form(
    content_type: str | None,
    content_length: str | None,
    stream: AsyncIterator[bytes],
    *,
    directory: Path,
    max_file_bytes: int,
    fields: Collection[str],
    file_field: str = "file",
    before_file: Callable[[dict[str, str]], None] = lambda _: None,
) -> ReceivedForm:
    """Read a multipart/form-data body with one file part and a few plain fields.

    ``before_file`` sees the plain fields sent before the file part, before any of the file is
    stored; raising there refuses the upload without reading on. The caller owns (and must
    remove) the returned temporary file.
    """
    kind, options = parse_options_header(content_type)
    if kind == b"application/x-www-form-urlencoded":  # a form, but one that cannot hold a file
        raise _bad_field(file_field, "Field required: send the form as multipart/form-data")
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise _bad_body("must be multipart/form-data with a boundary")
    # The file, plus each plain field and the headers and boundaries of every part.
    max_body = max_file_bytes + (len(fields) + 1) * (MAX_FIELD_BYTES + MAX_HEADER_BYTES + 256)
    if content_length and content_length.isdigit() and int(content_length) > max_body:
        raise too_large(max_file_bytes)

    reader = _Reader(fields, file_field, max_file_bytes)
    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": reader.on_part_begin,
            "on_part_data": reader.on_part_data,
            "on_part_end": reader.on_part_end,
            "on_header_field": reader.on_header_field,
            "on_header_value": reader.on_header_value,
            "on_header_end": reader.on_header_end,
            "on_headers_finished": reader.on_headers_finished,
            "on_end": reader.on_end,
        },
    )
    spool: _Spool | None = None
    received: ReceivedFile | None = None
    total = 0
    try:
        async for chunk in stream:
            total += len(chunk)
            if total > max_body:
                raise too_large(max_file_bytes)
            try:
                parser.write(chunk)
            except FormParserError:
                raise _bad_body("not a valid multipart/form-data body") from None
            pending: list[bytes] = []
            for event, data in reader.events:
                if event == "start":
                    before_file(dict(reader.fields))
                    spool = await anyio.to_thread.run_sync(_Spool, directory)
                elif event == "data":
                    pending.append(data)
                else:
                    assert spool is not None
                    await anyio.to_thread.run_sync(spool.write, pending)
                    pending = []
                    await anyio.to_thread.run_sync(spool.out.close)
                    received = ReceivedFile(spool.path, reader.file_size, reader.filename)
            reader.events.clear()
            if pending and spool is not None:
                await anyio.to_thread.run_sync(spool.write, pending)
            if reader.ended:
                break
        if not reader.ended:
            raise _bad_body("the body ends before the closing boundary")
    except BaseException:
        if spool is not None:
            await anyio.to_thread.run_sync(spool.discard)
        raise
    return ReceivedForm(reader.fields, received)
