"""Draw the fictional sample photos of the bundled profiles (landscapes of shapes and gradients).

Each is a 2000-3000 px JPEG carrying what a phone leaves in a photo: camera make and model,
capture time, GPS position (near the place in the profile) and, for one, an EXIF orientation
(stored sideways, shown upright). The site must publish none of it: see tests/photos/test_photos.py.
Deterministic: the same files come out on every run.

    .venv/bin/python scripts/make_sample_photos.py         # (re)writes the files in profiles/
"""

from __future__ import annotations

import random
import struct
from pathlib import Path

from PIL import Image, ImageCms, ImageDraw, ImageFilter

REPO = Path(__file__).resolve().parent.parent
Color = tuple[int, int, int]


def gradient(size: tuple[int, int], top: Color, bottom: Color) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def ridge(draw: ImageDraw.ImageDraw, size: tuple[int, int], base: float, height: float, color: Color,
          rng: random.Random) -> None:
    """A hill line: a smoothed random walk across the picture, filled down to the bottom."""
    w, h = size
    y, slope, points = base * h, 0.0, []
    for x in range(0, w + 40, 40):
        slope = max(-1.0, min(1.0, slope + rng.uniform(-0.35, 0.35)))
        y = min(max(y + slope * height * 40, (base - 0.25) * h), (base + 0.1) * h)
        points.append((x, y))
    draw.polygon(points + [(w, h), (0, h)], fill=color)


def grain(image: Image.Image, rng: random.Random, amount: float = 0.1) -> Image.Image:
    """Film-like grain from seeded bytes, so the file is stable and not trivially compressible."""
    w, h = image.size
    noise = Image.frombytes("L", (w // 2, h // 2), rng.randbytes(w * h // 4)).resize((w, h))
    return Image.blend(image, Image.merge("RGB", (noise,) * 3), amount)


def shade(color: Color, rng: random.Random, spread: int = 18) -> Color:
    return tuple(max(0, min(255, c + rng.randint(-spread, spread))) for c in color)  # type: ignore[return-value]


def landscape(size, rng, sky: tuple[Color, Color], hills: list[tuple[float, float, Color]]) -> Image.Image:
    image = gradient(size, *sky)
    draw = ImageDraw.Draw(image)
    for base, height, color in hills:
        ridge(draw, size, base, height, color, rng)
    return image


def forest(size, rng) -> Image.Image:
    image = landscape(size, rng, ((120, 150, 120), (40, 70, 40)), [(0.75, 0.3, (52, 78, 38))])
    draw = ImageDraw.Draw(image)
    w, h = size
    for _ in range(60):
        x, width = rng.randrange(w), rng.randint(18, 70)
        draw.rectangle((x, 0, x + width, h), fill=shade((70, 52, 36), rng))
    canopy = Image.new("RGB", size)
    cd = ImageDraw.Draw(canopy)
    for _ in range(160):
        x, y, r = rng.randrange(w), rng.randrange(h // 3), rng.randint(80, 220)
        cd.ellipse((x - r, y - r, x + r, y + r), fill=shade((40, 95, 45), rng, 25))
    image = Image.composite(canopy, image, canopy.convert("L").point(lambda v: 255 if v else 0)
                            .filter(ImageFilter.GaussianBlur(6)))
    draw = ImageDraw.Draw(image)
    for _ in range(220):  # ginseng plants with their red berries
        x, y = rng.randrange(w), rng.randint(int(h * 0.72), h)
        draw.ellipse((x - 26, y - 12, x + 26, y + 12), fill=shade((60, 130, 50), rng))
        if rng.random() < 0.3:
            draw.ellipse((x - 6, y - 22, x + 6, y - 10), fill=(200, 30, 30))
    return image


def mountains(size, rng) -> Image.Image:
    image = landscape(size, rng, ((170, 200, 230), (235, 235, 225)),
                      [(0.45, 0.4, (120, 140, 160)), (0.55, 0.5, (80, 115, 95)), (0.68, 0.5, (50, 95, 60)),
                       (0.82, 0.6, (35, 75, 40))])
    mist = Image.new("L", size, 0)
    ImageDraw.Draw(mist).rectangle((0, int(size[1] * 0.52), size[0], int(size[1] * 0.62)), fill=140)
    return Image.composite(Image.new("RGB", size, (240, 240, 240)), image, mist.filter(ImageFilter.GaussianBlur(60)))


def chickens(size, rng) -> Image.Image:
    image = landscape(size, rng, ((160, 200, 235), (225, 235, 240)), [(0.45, 0.3, (90, 140, 80)),
                                                                      (0.55, 0.1, (120, 170, 80))])
    draw = ImageDraw.Draw(image)
    w, h = size
    for x in range(0, w, 140):  # the fence
        draw.rectangle((x, int(h * 0.5), x + 14, int(h * 0.66)), fill=(120, 90, 60))
    draw.rectangle((0, int(h * 0.53), w, int(h * 0.545)), fill=(120, 90, 60))
    for _ in range(40):
        x, y = rng.randrange(w), rng.randint(int(h * 0.65), h - 60)
        body = shade(rng.choice([(150, 90, 40), (230, 225, 210), (110, 60, 30)]), rng)
        draw.ellipse((x - 60, y - 36, x + 60, y + 36), fill=body)
        draw.ellipse((x + 40, y - 70, x + 84, y - 26), fill=body)
        draw.polygon([(x + 52, y - 76), (x + 62, y - 90), (x + 72, y - 76)], fill=(210, 30, 30))
    return image


def beach(size, rng) -> Image.Image:
    w, h = size
    image = gradient(size, (120, 170, 220), (230, 220, 200))
    draw = ImageDraw.Draw(image)
    draw.ellipse((w * 0.7, h * 0.1, w * 0.7 + 160, h * 0.1 + 160), fill=(255, 240, 200))
    for band in range(12):
        y = int(h * (0.42 + band * 0.02))
        draw.rectangle((0, y, w, y + int(h * 0.02)), fill=shade((30, 100 + band * 6, 160 + band * 4), rng, 6))
    ridge(draw, size, 0.7, 0.05, (225, 205, 160), rng)
    for _ in range(30):  # people cleaning the beach
        x, y = rng.randrange(w), rng.randint(int(h * 0.72), h - 80)
        draw.rectangle((x, y, x + 22, y + 70), fill=shade((30, 90, 200), rng, 30))
        draw.ellipse((x - 2, y - 26, x + 24, y), fill=(120, 80, 60))
    return image


def boats(size, rng) -> Image.Image:
    image = beach(size, rng)
    draw = ImageDraw.Draw(image)
    w, h = size
    for _ in range(14):  # round basket boats and fishing boats
        x, y = rng.randrange(w), rng.randint(int(h * 0.45), int(h * 0.66))
        if rng.random() < 0.5:
            draw.ellipse((x - 70, y - 25, x + 70, y + 25), fill=(90, 60, 35))
        else:
            draw.polygon([(x - 160, y), (x + 160, y), (x + 120, y + 50), (x - 120, y + 50)], fill=(30, 80, 170))
            draw.rectangle((x - 40, y - 60, x + 40, y), fill=(200, 40, 40))
    return image


def stilt_house(size, rng) -> Image.Image:
    image = mountains(size, rng)
    draw = ImageDraw.Draw(image)
    w, h = size
    x0, x1, floor = int(w * 0.3), int(w * 0.7), int(h * 0.6)
    for x in range(x0, x1 + 1, (x1 - x0) // 6):
        draw.rectangle((x, floor, x + 24, int(h * 0.85)), fill=(90, 60, 40))
    draw.rectangle((x0, int(h * 0.42), x1 + 24, floor), fill=(150, 110, 70))
    draw.polygon([(x0 - 80, int(h * 0.44)), ((x0 + x1) // 2, int(h * 0.16)), (x1 + 104, int(h * 0.44))],
                 fill=(120, 95, 60))
    draw.rectangle((x0 + 100, int(h * 0.47), x0 + 220, floor - 10), fill=(60, 40, 25))
    return image


def cinnamon_hills(size, rng) -> Image.Image:
    image = landscape(size, rng, ((180, 205, 230), (230, 235, 235)),
                      [(0.4, 0.3, (110, 140, 110)), (0.55, 0.4, (80, 120, 70))])
    draw = ImageDraw.Draw(image)
    w, h = size
    for row in range(14):
        y = int(h * (0.55 + row * 0.032))
        for x in range(-40, w, 70 + row * 6):
            t = 30 + row * 5
            draw.polygon([(x, y), (x + t, y - 3 * t), (x + 2 * t, y)], fill=shade((40, 90, 45), rng))
    return image


def brocade(size, rng) -> Image.Image:
    w, h = size
    image = Image.new("RGB", size, (25, 20, 20))
    draw = ImageDraw.Draw(image)
    palette = [(190, 30, 35), (235, 230, 215), (230, 180, 40), (30, 30, 30), (40, 90, 160)]
    y = 0
    while y < h:
        band, color = rng.randint(40, 160), rng.choice(palette)
        draw.rectangle((0, y, w, y + band), fill=color)
        if band > 90:  # a row of diamonds
            accent = rng.choice([c for c in palette if c != color])
            for x in range(0, w, band):
                draw.polygon([(x + band // 2, y + 8), (x + band - 8, y + band // 2), (x + band // 2, y + band - 8),
                              (x + 8, y + band // 2)], fill=accent)
        y += band
    return image


def loom(size, rng) -> Image.Image:
    w, h = size
    image = gradient(size, (90, 70, 55), (50, 40, 30))
    cloth = brocade((int(w * 0.5), int(h * 0.7)), rng)
    image.paste(cloth, (int(w * 0.25), int(h * 0.15)))
    draw = ImageDraw.Draw(image)
    draw.rectangle((int(w * 0.2), int(h * 0.1), int(w * 0.8), int(h * 0.14)), fill=(110, 75, 45))
    draw.rectangle((int(w * 0.2), int(h * 0.86), int(w * 0.8), int(h * 0.9)), fill=(110, 75, 45))
    return image


def pottery(size, rng) -> Image.Image:
    w, h = size
    image = gradient(size, (200, 185, 160), (150, 120, 90))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((int(w * 0.05), int(h * 0.2), int(w * 0.4), int(h * 0.8)), 80, fill=(150, 70, 45))
    draw.ellipse((int(w * 0.15), int(h * 0.45), int(w * 0.3), int(h * 0.7)), fill=(40, 20, 15))
    for _ in range(26):
        x, y = rng.randint(int(w * 0.45), w - 120), rng.randint(int(h * 0.35), int(h * 0.9))
        r = rng.randint(50, 120)
        color = shade((175, 95, 55), rng, 25)
        draw.ellipse((x - r, y - int(r * 1.3), x + r, y + int(r * 1.3)), fill=color)
        draw.rectangle((x - r // 3, y - int(r * 1.6), x + r // 3, y - int(r * 1.1)), fill=color)
    return image


def rice_field(size, rng) -> Image.Image:
    image = landscape(size, rng, ((150, 190, 230), (225, 230, 235)), [(0.42, 0.15, (60, 100, 60))])
    draw = ImageDraw.Draw(image)
    w, h = size
    y, step = int(h * 0.45), 6
    while y < h:
        draw.rectangle((0, y, w, y + step), fill=shade((90, 160, 60), rng, 22))
        y, step = y + step, step + 2
    return image


def drying_rice(size, rng) -> Image.Image:
    w, h = size
    image = Image.new("RGB", size, (170, 170, 165))
    draw = ImageDraw.Draw(image)
    for _ in range(9):
        x, y = rng.randrange(w), rng.randrange(h)
        draw.ellipse((x - 500, y - 260, x + 500, y + 260), fill=shade((215, 180, 80), rng))
    for x in range(0, w, 60):
        draw.line((x, 0, x + 300, h), fill=(195, 160, 70), width=8)
    return image


# (bundle, file, scene, size, orientation, GPS (lat, lon), ICC?)
PHOTOS = [
    ("2024/ho-ho-van-muoi-sam-ngoc-linh", "vuon-sam.jpg", forest, (1600, 2400), 6, (15.06, 108.02), True),
    ("2024/ho-ho-van-muoi-sam-ngoc-linh", "rung-dau-nguon.jpg", mountains, (2800, 1800), 1, (15.07, 108.03), False),
    ("2024/tran-thi-lanh-ga-tha-vuon-tam-vinh", "vuon-ga.jpg", chickens, (2400, 1600), 1, (15.49, 108.46), False),
    ("2024/clb-thanh-nien-bien-dao-tam-hai", "nhat-rac-bo-bien.jpg", beach, (3000, 2000), 1, (15.48, 108.69), True),
    ("2024/clb-thanh-nien-bien-dao-tam-hai", "thuyen-thung.jpg", boats, (2400, 1600), 1, (15.47, 108.70), False),
    ("2026/ho-briu-van-gio-homestay-avuong", "nha-san.jpg", stilt_house, (2400, 1800), 1, (15.82, 107.61), False),
    ("2026/vo-thi-thu-ha-tinh-dau-que-tra-my", "doi-que.jpg", cinnamon_hills, (2600, 1700), 1, (15.34, 108.23), False),
    ("2023/to-det-tho-cam-co-tu-ta-lu", "khung-det.jpg", loom, (2400, 1600), 1, (15.91, 107.61), False),
    ("2023/to-det-tho-cam-co-tu-ta-lu", "hoa-van.jpg", brocade, (2000, 1500), 1, (15.91, 107.62), False),
    ("2023/huynh-van-on-gom-thanh-ha", "lo-gom.jpg", pottery, (2400, 1600), 1, (15.88, 108.30), True),
    ("2022/htx-dong-xanh-tam-dan", "canh-dong-lon.jpg", rice_field, (3000, 1700), 1, (15.58, 108.52), False),
    ("2022/htx-dong-xanh-tam-dan", "phoi-lua.jpg", drying_rice, (2200, 1500), 1, (15.58, 108.53), False),
]


def dms(value: float) -> tuple[float, float, float]:
    minutes = (value % 1) * 60
    return (float(int(value)), float(int(minutes)), round((minutes % 1) * 60, 2))


def phone_exif(orientation: int, gps: tuple[float, float], seed: int) -> Image.Exif:
    """What a phone writes: make, model, time, lens, and where the photo was taken."""
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0131] = "samsung", "Galaxy A54 5G", "A546EXXS7CXH1"
    exif[0x0132] = f"2024:03:{10 + seed:02d} 08:41:27"
    exif[0x0112] = orientation
    exif[0x8769] = {0x9003: f"2024:03:{10 + seed:02d} 08:41:27", 0x920A: 5.4, 0xA433: "samsung",
                    0xA434: "Galaxy A54 5G back camera 5.4mm f/1.8"}
    exif[0x8825] = {1: "N", 2: dms(gps[0]), 3: "E", 4: dms(gps[1]), 6: 12.0}
    return exif


def main() -> None:
    srgb = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    srgb[24:36] = struct.pack(">6H", 2024, 1, 1, 0, 0, 0)  # the ICC header's creation time: fixed
    for seed, (bundle, name, scene, size, orientation, gps, icc) in enumerate(PHOTOS):
        rng = random.Random(f"{bundle}/{name}")
        image = grain(scene(size, rng), rng, 0.05).filter(ImageFilter.SMOOTH)
        if orientation == 6:  # stored sideways, as a phone held upright does
            image = image.transpose(Image.Transpose.ROTATE_90)
        target = REPO / "profiles" / bundle / name
        image.save(target, "JPEG", quality=74, exif=phone_exif(orientation, gps, seed),
                   icc_profile=bytes(srgb) if icc else None, comment=b"Galaxy A54 5G")
        print(f"{target.relative_to(REPO)}: {image.size[0]}x{image.size[1]}, {target.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
