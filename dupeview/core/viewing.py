"""A picture of any file dupeview compares, at display size and upright: for thumbnails and the compare view."""

from __future__ import annotations

import warnings

from PIL import Image, ImageOps

from dupeview.core import decode, formats, raw


def open_image(path: str, limit: int) -> Image.Image:
    """The picture in `path`, no larger than limit x limit, EXIF orientation applied, loaded.

    JPEGs (and RAW previews) decode straight to the nearest larger 1/2, 1/4, 1/8 scale;
    a RAW without a big enough preview is rendered at half size. Raises on a bad file.
    """
    if formats.is_raw(path):
        with open(path, "rb") as fh:
            data = fh.read(decode.MAX_FILE_BYTES + 1)
        if len(data) > decode.MAX_FILE_BYTES:
            raise raw.RawError("file too large (over 2 GiB)")
        pic = raw.open_raw(data, "RGB", (limit, limit), decode._read_exif, decode.MAX_PIXELS)
        out = _oriented(pic.image, pic.orientation)
    else:
        with open(path, "rb") as fh:
            head = fh.read(formats.SNIFF_BYTES)
        if formats.is_jxl(head):
            formats.register_jxl()
        with Image.open(path) as im, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            im.draft("RGB", (limit, limit))
            im.seek(0)
            out = ImageOps.exif_transpose(im)
            out.load()
    if out.width > limit or out.height > limit:
        out.thumbnail((limit, limit), Image.Resampling.BILINEAR, reducing_gap=2.0)
    return out


_TRANSPOSE = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
              5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
              8: Image.Transpose.ROTATE_90}


def _oriented(img: Image.Image, orientation: int) -> Image.Image:
    method = _TRANSPOSE.get(orientation)
    return img.transpose(method) if method is not None else img
