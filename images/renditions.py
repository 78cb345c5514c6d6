"""
The renditions of an image: sizes for `srcset`, in WebP with a JPEG fallback, and crops to fixed
ratios around the focal point.

Every rendition's name follows from the image's size and focal point alone, so answers and
rendered Markdown can list them before they are made, and a moved focal point makes new names
(the URLs are served as immutable: a name never changes what it holds).
"""

import hashlib
import io
from dataclasses import dataclass

from PIL import Image as PillowImage

WIDTHS = (320, 640, 960, 1280, 1920)
# Format -> Pillow's name, file extension and media type.
FORMATS = {
    "webp": ("WEBP", "webp", "image/webp"),
    "jpeg": ("JPEG", "jpg", "image/jpeg"),
}
RATIOS = {"original": None, "16:9": (16, 9), "1:1": (1, 1)}
QUALITY = 82


@dataclass(frozen=True)
class Rendition:
    name: str
    width: int
    height: int
    format: str
    ratio: str
    box: tuple  # the part of the original it shows: left, top, right, bottom

    @property
    def media_type(self):
        return FORMATS[self.format][2]


def crop_box(width, height, ratio, focal):
    """Return the largest box of `ratio` inside the image, centred on the focal point if it can."""
    if ratio is None:
        return (0, 0, width, height)
    across, down = ratio
    box_width = min(width, round(height * across / down))
    box_height = min(height, round(box_width * down / across))
    left = round(focal[0] * width - box_width / 2)
    top = round(focal[1] * height - box_height / 2)
    left = max(0, min(left, width - box_width))
    top = max(0, min(top, height - box_height))
    return (left, top, left + box_width, top + box_height)


def rendition_specs(*, folder, width, height, focal):
    specs = []
    for ratio_name, ratio in RATIOS.items():
        box = crop_box(width, height, ratio, focal)
        box_width, box_height = box[2] - box[0], box[3] - box[1]
        # A crop's name says where it was cut, so a new focal point is a new URL.
        tag = ratio_name.replace(":", "x")
        if ratio is not None:
            tag += "-" + hashlib.sha256(repr(box).encode()).hexdigest()[:8]
        widths = [size for size in WIDTHS if size <= box_width] or [box_width]
        for size in widths:
            size_height = max(1, round(box_height * size / box_width))
            for format_name, (_, extension, _) in FORMATS.items():
                specs.append(
                    Rendition(
                        name=f"{folder}/{tag}-{size}.{extension}",
                        width=size,
                        height=size_height,
                        format=format_name,
                        ratio=ratio_name,
                        box=box,
                    )
                )
    return specs


def encode(original, rendition):
    """Return the bytes of one rendition of an opened original."""
    # reducing_gap: shrink by whole factors first, then resample; far faster, as sharp.
    picture = original.crop(rendition.box).resize(
        (rendition.width, rendition.height), PillowImage.Resampling.LANCZOS, reducing_gap=3.0
    )
    pillow_format = FORMATS[rendition.format][0]
    if pillow_format == "JPEG":
        picture = flatten(picture)
    elif picture.mode not in {"RGB", "RGBA"}:
        picture = picture.convert("RGBA" if "A" in picture.getbands() else "RGB")
    output = io.BytesIO()
    picture.save(output, pillow_format, quality=QUALITY, optimize=True)
    return output.getvalue()


def flatten(picture):
    """Return the picture in RGB, transparent parts on white (JPEG has no transparency)."""
    if picture.mode in {"RGBA", "LA"} or "transparency" in picture.info:
        rgba = picture.convert("RGBA")
        background = PillowImage.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return picture.convert("RGB")
