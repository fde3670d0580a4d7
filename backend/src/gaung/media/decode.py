"""What an upload really is, found by decoding it (blocking: run in a worker thread).

Images are decoded in full with Pillow and rebuilt from their pixels, so whatever rides along
(HTML after a JPEG's end, EXIF with the GPS position of the phone, comments, XMP) is not kept.
Videos are opened with PyAV's MP4/MOV demuxer only and must decode their first frames; their
facts are read from the container, and what is stored is remuxed from the video and audio
packets (no re-encoding, which would be too costly here): container metadata (the recording's
place, comments) and anything else in the file are left behind, and the index goes first, as
Instagram asks.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
from PIL import Image, ImageOps

IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/gif": "gif",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
}
JPEG_QUALITY = 92
WEBP_QUALITY = 90
# Frames of an animation held while re-encoding (the GIF writer keeps them all): X's own limit
# for animated GIFs is 300 M pixels in total.
MAX_ANIMATION_PIXELS = 300_000_000
# A video must decode this many frames (or all it has, if fewer) to count as a video.
VIDEO_FRAMES_CHECKED = 3
# Image info kept when rebuilding: what changes how the pixels look. Everything else (exif,
# comment, xmp, ...) is dropped.
_KEPT_INFO = ("transparency", "icc_profile")

UNREADABLE = "The file is not an image or video we can use (JPEG, PNG, WebP, GIF, MP4, MOV)."


class Refused(Exception):
    """The upload is not a usable image or video; ``reason`` is for the ``file`` field."""

    def __init__(self, detail: str, reason: str, code: str = "unsupported_media_type") -> None:
        super().__init__(detail)
        self.detail = detail
        self.reason = reason
        self.code = code


@dataclass(frozen=True)
class Decoded:
    kind: str  # "image" | "gif" | "video"
    mime_type: str
    width: int
    height: int
    path: Path  # the file to store, rebuilt next to the upload
    duration_s: float | None = None
    codec: str | None = None

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.mime_type]


def rebuilt_path(src: Path) -> Path:
    """Where :func:`decode` writes the file to store, beside the upload."""
    return src.with_name(src.name + ".clean")


def decode(src: Path, *, max_pixels: int) -> Decoded:
    """Decode ``src`` as an image, else as an MP4/MOV video; :class:`Refused` if neither.

    What to store is rebuilt into a new file beside ``src`` (``Decoded.path``); the caller
    removes both files when done with them.
    """
    try:
        img = Image.open(src, formats=list(IMAGE_FORMATS))
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels(max_pixels) from exc
    except Exception:  # not one of our image formats (or not an image): perhaps a video
        return _decode_video(src, max_pixels=max_pixels)
    with img:
        return _rebuild_image(img, src, max_pixels=max_pixels)


def _too_many_pixels(
    max_pixels: int, width: int | None = None, height: int | None = None, what: str = "image"
) -> Refused:
    size = f" ({width:,} × {height:,})" if width and height else ""
    return Refused(
        f"The {what} is too large{size}: at most {max_pixels:,} pixels.",
        f"at most {max_pixels:,} pixels",
        "image_too_large",
    )


# --- images ----------------------------------------------------------------------------------


def _rebuild_image(img: Image.Image, src: Path, *, max_pixels: int) -> Decoded:
    fmt = img.format or ""
    frames = getattr(img, "n_frames", 1)
    if fmt == "MPO":
        # Some cameras' JPEGs carry a second picture (a preview, the other eye of a 3D pair)
        # after the first: a JPEG whose first picture is the photo.
        fmt, frames = "JPEG", 1
    if fmt not in IMAGE_FORMATS:
        raise Refused(UNREADABLE, "unsupported image format")
    width, height = img.size
    # Checked before any pixel is decoded: Pillow's own guard is process-wide and only warns
    # below twice its limit.
    if width * height > max_pixels:
        raise _too_many_pixels(max_pixels, width, height)
    if frames * width * height > MAX_ANIMATION_PIXELS:
        raise Refused(
            f"The animation is too large: {frames} frames of {width:,} × {height:,} pixels.",
            f"at most {MAX_ANIMATION_PIXELS:,} pixels over all frames",
            "image_too_large",
        )
    mime = IMAGE_FORMATS[fmt]
    out = rebuilt_path(src)
    try:
        if frames > 1:
            _save_animation(img, fmt, out, lossless=_webp_lossless(src))
            size = (width, height)
        else:
            size = _save_still(img, fmt, out, lossless=_webp_lossless(src))
    except Refused:
        out.unlink(missing_ok=True)
        raise
    except Exception as exc:
        out.unlink(missing_ok=True)
        raise Refused(UNREADABLE, f"not a complete {fmt} image") from exc
    kind = "gif" if mime == "image/gif" else "image"
    return Decoded(kind, mime, size[0], size[1], out)


def _clean_info(img: Image.Image) -> dict[str | tuple[int, int], Any]:
    return {key: img.info[key] for key in _KEPT_INFO if key in img.info}


def _save_still(img: Image.Image, fmt: str, out: Path, *, lossless: bool) -> tuple[int, int]:
    img.load()  # the full decode: a truncated or corrupt file fails here
    # Phones store the camera's orientation in EXIF; apply it, since EXIF is dropped. In place:
    # copying a large image holds the GIL (and so the event loop) for a long while.
    ImageOps.exif_transpose(img, in_place=True)
    pixels = img
    pixels.info = _clean_info(img)
    extra: dict[str, Any] = {}
    if "icc_profile" in pixels.info:
        extra["icc_profile"] = pixels.info["icc_profile"]
    if fmt == "JPEG":
        if pixels.mode not in ("RGB", "L", "CMYK"):
            pixels = pixels.convert("RGB")
        pixels.save(out, "JPEG", quality=JPEG_QUALITY, **extra)
    elif fmt == "WEBP":
        quality = 100 if lossless else WEBP_QUALITY
        pixels.save(out, "WEBP", lossless=lossless, quality=quality, **extra)
    else:  # PNG, single-frame GIF: lossless formats
        if "transparency" in pixels.info:
            extra["transparency"] = pixels.info["transparency"]
        pixels.save(out, fmt, **extra)
    return pixels.size


def _save_animation(img: Image.Image, fmt: str, out: Path, *, lossless: bool) -> None:
    durations: list[int] = []
    for index in range(img.n_frames):  # type: ignore[attr-defined]
        img.seek(index)
        img.load()  # each frame decodes, or the file is refused
        durations.append(int(img.info.get("duration", 100)))
    img.seek(0)
    loop = img.info.get("loop", 0)
    # The writers take comments and XMP from ``info``: keep only what changes the pixels.
    img.info = _clean_info(img)
    if fmt == "GIF":
        img.save(out, "GIF", save_all=True, duration=durations, loop=loop, disposal=2)
    elif fmt == "PNG":  # animated PNG
        img.save(out, "PNG", save_all=True, duration=durations, loop=loop)
    else:
        quality = 100 if lossless else WEBP_QUALITY
        img.save(
            out,
            "WEBP",
            save_all=True,
            duration=durations,
            loop=loop,
            lossless=lossless,
            quality=quality,
        )


def _webp_lossless(src: Path) -> bool:
    """Whether a WebP file holds lossless (VP8L) data: it is then re-encoded losslessly."""
    with src.open("rb") as fh:
        head = fh.read(12)
        if head[:4] != b"RIFF" or head[8:12] != b"WEBP":
            return False
        # RIFF chunks: fourcc, little-endian size, data padded to an even length.
        while chunk := fh.read(8):
            if len(chunk) < 8:
                return False
            fourcc, length = chunk[:4], int.from_bytes(chunk[4:], "little")
            if fourcc == b"VP8L":
                return True
            if fourcc == b"VP8 ":
                return False
            if fourcc == b"ANMF":  # an animation frame: 16 bytes of placement, then its image
                return fh.read(20)[16:] == b"VP8L"
            fh.seek(length + (length & 1), os.SEEK_CUR)
    return False


# --- video -----------------------------------------------------------------------------------


def _video_mime(src: Path) -> str:
    with src.open("rb") as fh:
        head = fh.read(12)
    # ISO base media files open with an "ftyp" box; QuickTime's brand is "qt  ", and older
    # QuickTime files have no ftyp box at all.
    if head[4:8] == b"ftyp" and head[8:12] != b"qt  ":
        return "video/mp4"
    return "video/quicktime"


def _decode_video(src: Path, *, max_pixels: int) -> Decoded:
    try:
        # Only the MP4/MOV demuxer: FFmpeg's probing would also accept playlists and other
        # formats that open further files.
        container = av.open(str(src), format="mov", options={"enable_drefs": "0"})
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise Refused(UNREADABLE, "not a readable image or video") from exc
    with container:
        if not any(name in container.format.name for name in ("mov", "mp4")):
            raise Refused(UNREADABLE, "not an MP4 or MOV video")
        if not container.streams.video:
            raise Refused("The file has no video in it.", "no video stream")
        stream = container.streams.video[0]
        width, height = stream.codec_context.width, stream.codec_context.height
        if width * height > max_pixels:
            raise _too_many_pixels(max_pixels, width, height, "video")
        stream.codec_context.thread_count = 1  # a check, not a transcode: leave cores alone
        frames = 0
        try:
            for frame in container.decode(stream):
                frames += 1
                width, height = frame.width, frame.height
                # Phones record portrait video as landscape frames plus a display rotation:
                # the platforms' aspect-ratio rules are about what is shown.
                if frame.rotation % 180 == 90:
                    width, height = height, width
                if frames >= VIDEO_FRAMES_CHECKED:
                    break
        except (av.FFmpegError, ValueError) as exc:
            raise Refused("The video does not decode.", "video frames do not decode") from exc
        if frames == 0 or not width or not height:
            raise Refused("The video does not decode.", "video frames do not decode")
        duration = _duration(container, stream)
        codec = stream.codec_context.name
    mime = _video_mime(src)
    out = rebuilt_path(src)
    try:
        _remux(src, out, "mp4" if mime == "video/mp4" else "mov")
    except (av.FFmpegError, ValueError) as exc:
        out.unlink(missing_ok=True)
        raise Refused("The video cannot be rewritten.", "video packets are unreadable") from exc
    return Decoded("video", mime, width, height, out, duration_s=duration, codec=codec)


def _remux(src: Path, out: Path, fmt: str) -> None:
    """Copy the first video and audio streams' packets into a fresh container."""
    with av.open(str(src), format="mov", options={"enable_drefs": "0"}) as source:
        video = source.streams.video[0]
        streams: list[Any] = [video, *source.streams.audio[:1]]
        with av.open(str(out), mode="w", format=fmt, options={"movflags": "faststart"}) as target:
            # From the template: codec parameters and the display rotation, not the metadata.
            mapping = {s.index: target.add_stream_from_template(s) for s in streams}
            for packet in source.demux(streams):
                if packet.dts is None:  # the demuxer's end-of-stream marker
                    continue
                packet.stream = mapping[packet.stream.index]
                target.mux(packet)


def _duration(container: Any, stream: Any) -> float | None:
    """Seconds, from the container's header (the whole file is not decoded to measure it)."""
    if stream.duration is not None and stream.time_base is not None:
        seconds = float(stream.duration * stream.time_base)
    elif container.duration is not None:
        seconds = container.duration / av.time_base
    else:
        return None
    return round(seconds, 3) if seconds > 0 else None
