"""Build a harder test set from the corpus photos: layout and pixel edits as positives, look-alikes as negatives.

Written into a folder the caller gives (a temp folder; never committed), with a TRUTH.csv of
path,group,tier,kind. Each positive group is one corpus photo plus one edit of it (kind =
the edit); negatives are files in no group (tier distinct) whose kind says what they are.
Deterministic: the same corpus gives the same set.
"""

from __future__ import annotations

import csv
import glob
import math
import os
import random
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageEnhance, ImageFont, ImageOps

PER_KIND = 8
LAYOUT_KINDS = ("square_crop", "border_crop", "caption", "app_frame", "straighten", "sticker", "letterbox")
PIXEL_KINDS = ("jpeg_q10", "thumbnail", "filter", "greyscale", "png", "page_copy")
NEGATIVE_KINDS = ("page_doc", "page_receipt", "page_slide", "screenshot", "flat", "burst", "ukbench")

_FONT_DIR = "/usr/share/fonts/truetype/dejavu"
_WORDS = [
    "the", "quick", "brown", "fox", "jumps", "over", "a", "lazy", "dog", "while", "seven", "wizards",
    "quietly", "judge", "boxing", "matches", "invoice", "total", "amount", "paid", "balance", "due",
    "meeting", "agenda", "quarterly", "results", "revenue", "growth", "team", "project", "timeline", "budget",
    "review", "summary", "notes", "action", "items", "owner", "status", "done", "pending", "next", "week",
    "coffee", "bread", "milk", "apples", "cheese", "water", "tax", "subtotal", "thank", "you", "visit",
    "again", "card", "cash", "change",
]


def font(size: int, mono: bool = False, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = "DejaVuSansMono.ttf" if mono else ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    path = os.path.join(_FONT_DIR, name)
    if os.path.exists(path):
        return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(n))


# -- positives: edits of one photo -------------------------------------------------------
def square_crop(im: Image.Image, rng: random.Random) -> Image.Image:
    w, h = im.size
    s = min(w, h)
    return im.crop(((w - s) // 2, (h - s) // 2, (w - s) // 2 + s, (h - s) // 2 + s))


def border_crop(im: Image.Image, rng: random.Random) -> Image.Image:
    w, h = im.size
    dx, dy = round(w * 0.05), round(h * 0.05)
    return im.crop((dx, dy, w - dx, h - dy))


def caption(im: Image.Image, rng: random.Random) -> Image.Image:
    w, h = im.size
    bar = round(h * rng.uniform(0.18, 0.3))
    dark = rng.random() < 0.3
    out = Image.new("RGB", (w, h + bar), (20, 20, 20) if dark else (255, 255, 255))
    out.paste(im, (0, 0))
    d = ImageDraw.Draw(out)
    f = font(max(10, bar // 4))
    for k in range(2):
        d.text((w // 20, h + bar // 8 + k * (bar // 3)), _sentence(rng, 5), fill=(235, 235, 235) if dark else (0, 0, 0), font=f)
    return out


def app_frame(im: Image.Image, rng: random.Random) -> Image.Image:
    """A phone screenshot of the photo in a social app: status bar, header, photo, actions, nav bar."""
    width, height = 540, 1170
    dark = rng.random() < 0.5
    bg, fg = ((0, 0, 0), (240, 240, 240)) if dark else ((255, 255, 255), (20, 20, 20))
    out = Image.new("RGB", (width, height), bg)
    d = ImageDraw.Draw(out)
    d.text((20, 12), f"{rng.randint(7, 22)}:{rng.randint(10, 59)}", fill=fg, font=font(20, bold=True))
    d.rectangle((470, 16, 510, 32), outline=fg, width=2)
    d.ellipse((20, 70, 70, 120), fill=(rng.randint(0, 255), 120, 200))
    d.text((85, 82), rng.choice(("anna.k", "tom_travels", "photo.daily", "mike")), fill=fg, font=font(20, bold=True))
    scaled = im.resize((width, round(im.height * width / im.width)), Image.Resampling.LANCZOS)
    top = 140
    out.paste(scaled, (0, top))
    y = top + scaled.height + 16
    for x in (20, 80, 140):
        d.ellipse((x, y, x + 36, y + 36), outline=fg, width=3)
    d.text((20, y + 56), f"{rng.randint(10, 9999)} likes", fill=fg, font=font(18, bold=True))
    d.text((20, y + 86), _sentence(rng, 6), fill=fg, font=font(17))
    d.rectangle((0, height - 90, width, height), fill=(25, 25, 25) if dark else (245, 245, 245))
    for k in range(5):
        d.rectangle((40 + k * 100, height - 62, 70 + k * 100, height - 32), outline=fg, width=3)
    return out


def straighten(im: Image.Image, rng: random.Random) -> Image.Image:
    """Rotated by 1-5 degrees, then cropped to the largest same-aspect rectangle without corners."""
    angle = rng.uniform(1.0, 5.0) * rng.choice((-1, 1))
    w, h = im.size
    a = math.radians(abs(angle))
    # Largest centred w:h rectangle inside the rotated image (scale k of the original).
    k = min(w / (w * math.cos(a) + h * math.sin(a)), h / (w * math.sin(a) + h * math.cos(a)))
    rot = im.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False)
    cw, ch = w * k, h * k
    return rot.crop((round((w - cw) / 2), round((h - ch) / 2), round((w + cw) / 2), round((h + ch) / 2)))


def _dark_or_panorama(im: Image.Image, k: int) -> Image.Image:
    if k % 2 == 0:
        return ImageEnhance.Brightness(im).enhance(0.35)
    w, h = im.size
    strip = round(w / 3)
    return im.crop((0, (h - strip) // 2, w, (h - strip) // 2 + strip))


def sticker(im: Image.Image, rng: random.Random) -> Image.Image:
    out = im.copy()
    w, h = out.size
    s = round(min(w, h) * rng.uniform(0.16, 0.24))
    corner = rng.randrange(4)
    x = 6 if corner in (0, 2) else w - s - 6
    y = 6 if corner in (0, 1) else h - s - 6
    d = ImageDraw.Draw(out)
    d.ellipse((x, y, x + s, y + s), fill=(255, 210, 40), outline=(255, 255, 255), width=3)
    d.ellipse((x + s * 0.28, y + s * 0.3, x + s * 0.4, y + s * 0.45), fill=(0, 0, 0))
    d.ellipse((x + s * 0.6, y + s * 0.3, x + s * 0.72, y + s * 0.45), fill=(0, 0, 0))
    d.arc((x + s * 0.25, y + s * 0.4, x + s * 0.75, y + s * 0.8), 20, 160, fill=(0, 0, 0), width=3)
    return out


def letterbox(im: Image.Image, rng: random.Random) -> Image.Image:
    w, h = im.size
    if rng.random() < 0.5:  # 16:9-style bars above and below
        tall = round(w * rng.uniform(0.9, 1.2)) if w >= h else round(h * 1.3)
        out = Image.new("RGB", (w, max(tall, h + 40)), (0, 0, 0))
        out.paste(im, (0, (out.height - h) // 2))
    else:  # pillarbox
        wide = round(w * rng.uniform(1.25, 1.6))
        out = Image.new("RGB", (wide, h), (0, 0, 0))
        out.paste(im, ((wide - w) // 2, 0))
    return out


def filtered(im: Image.Image, rng: random.Random) -> Image.Image:
    out = ImageEnhance.Color(im).enhance(rng.uniform(1.4, 1.8))
    out = ImageEnhance.Contrast(out).enhance(rng.uniform(1.1, 1.3))
    r, g, b = out.split()
    return Image.merge("RGB", (r.point(lambda v: min(255, int(v * 1.1 + 10))), g, b.point(lambda v: int(v * 0.85))))


EDITS: dict[str, Callable[[Image.Image, random.Random], Image.Image]] = {
    "square_crop": square_crop, "border_crop": border_crop, "caption": caption, "app_frame": app_frame,
    "straighten": straighten, "sticker": sticker, "letterbox": letterbox,
    "thumbnail": lambda im, rng: ImageOps.contain(im, (96, 96), Image.Resampling.LANCZOS),
    "filter": filtered, "greyscale": lambda im, rng: im.convert("L"),
}


# -- negatives: look-alikes ---------------------------------------------------------------
def page_doc(rng: random.Random, template: int) -> Image.Image:
    t = random.Random(template)
    im = Image.new("RGB", (850, 1100), (255, 255, 255))
    d = ImageDraw.Draw(im)
    d.rectangle((60, 50, 790, 54), fill=(t.randint(0, 120), 40, 120))
    d.text((60, 70), _sentence(rng, 4).title(), fill=(0, 0, 0), font=font(34, bold=True))
    y = 150
    for _ in range(t.randint(3, 5)):
        for _ in range(t.randint(4, 7)):
            d.text((60, y), _sentence(rng, 11), fill=(30, 30, 30), font=font(18))
            y += 28
        y += 26
    d.text((60, 1040), f"Page {t.randint(1, 9)}", fill=(90, 90, 90), font=font(14))
    return im


def page_receipt(rng: random.Random, template: int) -> Image.Image:
    t = random.Random(template)
    im = Image.new("RGB", (380, 900), (250, 250, 246))
    d = ImageDraw.Draw(im)
    d.text((70, 30), t.choice(("CORNER MARKET", "CAFE LUNA", "FRESH FOODS")), fill=(0, 0, 0), font=font(26, mono=True, bold=False))
    stamp = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2024  {rng.randint(7, 21)}:{rng.randint(10, 59)}"
    d.text((40, 80), stamp, fill=(0, 0, 0), font=font(16, mono=True))
    y = 130
    total = 0.0
    for _ in range(t.randint(10, 16)):
        price = rng.uniform(0.5, 20)
        total += price
        d.text((30, y), f"{rng.choice(_WORDS)[:12]:<14}{price:>8.2f}", fill=(0, 0, 0), font=font(18, mono=True))
        y += 30
    d.text((30, y + 20), f"{'TOTAL':<14}{total:>8.2f}", fill=(0, 0, 0), font=font(20, mono=True))
    d.text((80, 840), "THANK YOU", fill=(0, 0, 0), font=font(20, mono=True))
    return im


def page_slide(rng: random.Random, template: int) -> Image.Image:
    t = random.Random(template)
    im = Image.new("RGB", (1280, 720), (255, 255, 255))
    d = ImageDraw.Draw(im)
    colour = (t.randint(0, 80), t.randint(60, 160), t.randint(120, 220))
    d.rectangle((0, 0, 1280, 120), fill=colour)
    d.text((60, 35), _sentence(rng, 4).title(), fill=(255, 255, 255), font=font(48, bold=True))
    for k in range(t.randint(3, 5)):
        d.ellipse((80, 200 + k * 90, 96, 216 + k * 90), fill=colour)
        d.text((120, 192 + k * 90), _sentence(rng, 6), fill=(40, 40, 40), font=font(34))
    d.rectangle((0, 690, 1280, 720), fill=colour)
    return im


def screenshot(rng: random.Random, template: int) -> Image.Image:
    """A phone settings/chat list: same layout, different words."""
    t = random.Random(template)
    dark = template % 2 == 1
    bg, fg = ((18, 18, 18), (235, 235, 235)) if dark else ((242, 242, 247), (10, 10, 10))
    im = Image.new("RGB", (540, 1170), bg)
    d = ImageDraw.Draw(im)
    d.text((20, 12), f"{rng.randint(7, 22)}:{rng.randint(10, 59)}", fill=fg, font=font(20, bold=True))
    d.text((20, 70), t.choice(("Settings", "Messages", "Chats")), fill=fg, font=font(40, bold=True))
    y = 150
    for _ in range(t.randint(8, 11)):
        d.rectangle((16, y, 524, y + 78), fill=(34, 34, 36) if dark else (255, 255, 255))
        d.ellipse((30, y + 14, 80, y + 64), fill=(rng.randint(40, 230), rng.randint(40, 230), 200))
        d.text((96, y + 12), _sentence(rng, 2).title(), fill=fg, font=font(22, bold=True))
        d.text((96, y + 44), _sentence(rng, 5), fill=(130, 130, 130), font=font(16))
        y += 88
    return im


def flat(rng: random.Random, template: int) -> Image.Image:
    """Sky, wall or sea: a smooth gradient with sensor noise, different colours per file."""
    w, h = 800, 600
    top = [rng.randint(60, 230) for _ in range(3)]
    bottom = [min(255, max(0, c + rng.randint(-40, 40))) for c in top]
    grad = Image.linear_gradient("L").resize((w, h))
    im = Image.composite(Image.new("RGB", (w, h), tuple(bottom)), Image.new("RGB", (w, h), tuple(top)), grad)
    noise = Image.effect_noise((w, h), rng.uniform(4, 10)).convert("RGB")
    return Image.blend(im, noise, 0.06)


# -- the set ------------------------------------------------------------------------------
def build(corpus: str, out: str, seed: int = 11) -> str:
    """Write the set under `out` and return the path of its TRUTH.csv. Another seed: other photos, words and templates."""
    photos = sorted(glob.glob(os.path.join(corpus, "bsds500-test", "*.jpg")))
    if len(photos) < 150:
        raise SystemExit(f"need the corpus's bsds500-test photos under {corpus}")
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    rows: list[tuple[str, str, str, str]] = []
    pool = list(photos)
    rng.shuffle(pool)

    def save(im: Image.Image, name: str, fmt: str = "JPEG", quality: int = 92) -> str:
        path = os.path.join(out, name)
        if fmt == "JPEG":
            im.convert("RGB" if im.mode != "L" else "L").save(path, "JPEG", quality=quality)
        else:
            im.save(path, fmt)
        return os.path.relpath(path, out)

    for kind in LAYOUT_KINDS + PIXEL_KINDS:
        for k in range(PER_KIND):
            group = f"{kind}-{k}"
            if kind == "page_copy":  # a page and its re-encode: the strict test must still find it
                page = (page_doc, page_receipt, page_slide, screenshot)[k % 4](random.Random(seed * 1000 + k), seed * 100 + k)
                rows.append((save(page, f"{group}-a.png", "PNG"), group, "reference", kind))
                small = page.resize((page.width * 3 // 4, page.height * 3 // 4), Image.Resampling.LANCZOS)
                rows.append((save(small, f"{group}-b.jpg", quality=70), group, "edited", kind))
                continue
            src = Image.open(pool.pop()).convert("RGB")
            if kind == "sticker":
                src = _dark_or_panorama(src, k)
            rows.append((save(src, f"{group}-a.jpg"), group, "reference", kind))
            if kind == "jpeg_q10":
                copy = save(src, f"{group}-b.jpg", quality=10)
            elif kind == "png":
                copy = save(src, f"{group}-b.png", "PNG")
            else:
                copy = save(EDITS[kind](src, rng), f"{group}-b.jpg")
            rows.append((copy, group, "edited", kind))

    for kind in ("page_doc", "page_receipt", "page_slide", "screenshot"):
        make = {"page_doc": page_doc, "page_receipt": page_receipt, "page_slide": page_slide, "screenshot": screenshot}[kind]
        for template in range(4):
            for k in range(3):  # three pages of one template, different words
                rows.append((save(make(rng, seed * 10 + template), f"{kind}-{template}-{k}.png", "PNG"), "", "distinct", kind))
    for k in range(12):
        rows.append((save(flat(rng, k), f"flat-{k}.jpg"), "", "distinct", "flat"))
    for k in range(PER_KIND):  # two framings of one scene: the camera moved by a quarter of the frame
        src = Image.open(pool.pop()).convert("RGB")
        w, h = src.size
        cw, ch = round(w * 0.72), round(h * 0.8)
        dx = rng.randint(0, h - ch)
        rows.append((save(src.crop((0, 0, cw, ch)), f"burst-{k}-a.jpg"), "", "distinct", "burst"))
        rows.append((save(src.crop((w - cw, dx, w, dx + ch)), f"burst-{k}-b.jpg"), "", "distinct", "burst"))
    ukbench = sorted(glob.glob(os.path.join(corpus, "ukbench-first56", "ukbench*.jpg")))
    for k, path in enumerate(ukbench[:32]):  # consecutive viewpoints of one object: related, not copies
        rows.append((save(Image.open(path).convert("RGB"), f"ukbench-{k // 4}-{k % 4}.jpg"), "", "distinct", "ukbench"))
    for k, path in enumerate(pool[:40]):  # unrelated photos: chance matches
        rows.append((save(Image.open(path).convert("RGB"), f"other-{k}.jpg"), "", "distinct", "other"))

    truth = os.path.join(out, "TRUTH.csv")
    with open(truth, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(("path", "group", "tier", "kind"))
        w.writerows(rows)
    return truth


if __name__ == "__main__":  # pragma: no cover - a quick look at the set
    import sys
    print(build(sys.argv[1], sys.argv[2]))
