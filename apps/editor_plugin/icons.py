"""Draw the plug-in's icon, a white five-pointed star on a blue square, as PNG bytes."""

from __future__ import annotations

import math
import struct
import zlib
from functools import lru_cache

# Sizes in pixels that Office requests: 32 (IconUrl), 64 (HighResolutionIconUrl), 16 and 80 (ribbon).
ICON_SIZES = (16, 32, 64, 80)
BACKGROUND = (29, 78, 216)
FOREGROUND = (255, 255, 255)
# Samples per pixel along each axis, for anti-aliased edges.
SUPERSAMPLING = 4


def _star_polygon(size: int) -> list[tuple[float, float]]:
    centre = size / 2
    outer = size * 0.40
    inner = outer * 0.382
    points = []
    for index in range(10):
        radius = outer if index % 2 == 0 else inner
        angle = -math.pi / 2 + index * math.pi / 5
        points.append((centre + radius * math.cos(angle), centre + size * 0.03 + radius * math.sin(angle)))
    return points


def _inside(x: float, y: float, polygon: list[tuple[float, float]]) -> bool:
    """Even-odd ray casting."""
    inside = False
    previous_x, previous_y = polygon[-1]
    for current_x, current_y in polygon:
        if (current_y > y) != (previous_y > y):
            crossing = previous_x + (y - previous_y) * (current_x - previous_x) / (current_y - previous_y)
            if x < crossing:
                inside = not inside
        previous_x, previous_y = current_x, current_y
    return inside


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@lru_cache(maxsize=len(ICON_SIZES))
def icon_png(size: int) -> bytes:
    """Return the icon as an 8-bit RGB PNG of `size` x `size` pixels; `size` must be one of ICON_SIZES."""
    if size not in ICON_SIZES:
        raise ValueError(f"icon size {size} is not one of {ICON_SIZES}")

    polygon = _star_polygon(size)
    step = 1 / SUPERSAMPLING
    rows = bytearray()
    for row in range(size):
        rows.append(0)  # PNG filter type "None" for this scanline
        for column in range(size):
            hits = sum(
                _inside(column + (i + 0.5) * step, row + (j + 0.5) * step, polygon)
                for i in range(SUPERSAMPLING)
                for j in range(SUPERSAMPLING)
            )
            cover = hits / SUPERSAMPLING**2
            rows.extend(round(b + (f - b) * cover) for b, f in zip(BACKGROUND, FOREGROUND, strict=True))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + _png_chunk(b"IEND", b"")
    )
