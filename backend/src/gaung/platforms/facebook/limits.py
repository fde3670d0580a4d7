"""Facebook Page publishing limits."""

from typing import Final

MIB: Final = 1024 * 1024

MAX_MESSAGE_LENGTH: Final = 63206

MAX_VIDEOS: Final = 1

MAX_PHOTO_BYTES: Final = 10 * MIB

PHOTO_MIME_TYPES: Final = frozenset(
    {"image/jpeg", "image/bmp", "image/png", "image/gif", "image/tiff"}
)
# Facebook accepts most video containers; any video type is passed on to it.
VIDEO_MIME_TYPES: Final = frozenset({"video/*"})

# The longest link a post carries (browsers and Facebook handle a little more; bounded here).
MAX_LINK_LENGTH: Final = 2048
