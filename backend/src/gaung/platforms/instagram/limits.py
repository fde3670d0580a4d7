"""Instagram publishing limits (feed images, Reels and carousels through the content API)."""

from typing import Final

MIB: Final = 1024 * 1024

MAX_CAPTION_LENGTH: Final = 2200
MAX_HASHTAGS: Final = 30
MAX_MENTIONS: Final = 20

MIN_ITEMS: Final = 1
MAX_CAROUSEL_ITEMS: Final = 10

# width / height, 4:5 (portrait) to 1.91:1 (landscape), both inclusive.
MIN_ASPECT_RATIO: Final = 0.8
MAX_ASPECT_RATIO: Final = 1.91
# Slack for pixel sizes that round to a limit, e.g. 1080x1351 or 1080x565.
ASPECT_RATIO_TOLERANCE: Final = 0.005

MAX_IMAGE_BYTES: Final = 8 * MIB
MAX_VIDEO_BYTES: Final = 300 * MIB

MIN_VIDEO_DURATION_S: Final = 3.0
MAX_VIDEO_DURATION_S: Final = 15 * 60.0

# Instagram publishes JPEG only; PNG and WebP are converted to JPEG before upload.
IMAGE_MIME_TYPES: Final = frozenset({"image/jpeg", "image/png", "image/webp"})
VIDEO_MIME_TYPES: Final = frozenset({"video/mp4", "video/quicktime"})
