"""Built files served with the brotli or gzip copy made beside them at build time."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from starlette.responses import FileResponse

# Preferred first when the client weighs them equally: brotli is the smaller.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


def accepted_encodings(header: str | None) -> dict[str, float]:
    """``Accept-Encoding`` as coding -> q-value (RFC 9110 §12.5.3); bad q-values count as 0."""
    accepted: dict[str, float] = {}
    for item in (header or "").split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        if not coding:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
                q = q if 0.0 <= q <= 1.0 else 0.0
        accepted[coding.lower()] = q
    return accepted


def choose_encoding(header: str | None, available: list[str]) -> str | None:
    """The available coding the client prefers, or None for the file as it is."""
    accepted = accepted_encodings(header)
    wildcard = accepted.get("*", 0.0)
    best: str | None = None
    best_q = 0.0
    for coding in available:
        q = accepted.get(coding, wildcard)
        if q > best_q:
            best, best_q = coding, q
    return best


def file_response(
    root: Path, relative: str, accept_encoding: str | None, cache_control: str
) -> FileResponse | None:
    """``root/relative`` (never outside ``root``), precompressed when the client accepts it;
    None when there is no such file."""
    base = root.resolve()
    path = (base / relative).resolve()
    if not relative or not path.is_relative_to(base) or not path.is_file():
        return None
    variants = {
        coding: path.with_name(path.name + suffix)
        for coding, suffix in ENCODINGS
        if path.with_name(path.name + suffix).is_file()
    }
    headers = {"Cache-Control": cache_control}
    if variants:
        headers["Vary"] = "Accept-Encoding"
    coding = choose_encoding(accept_encoding, list(variants))
    served = path
    if coding is not None:
        served = variants[coding]
        headers["Content-Encoding"] = coding
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return FileResponse(served, media_type=media_type, headers=headers)
