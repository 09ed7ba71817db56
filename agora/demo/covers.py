"""Cover pictures for the demo's blog stories, drawn with Pillow at seed time: a sky, a sun and the
layers of a landscape (or shelves of books, or a blossoming branch), the same for the same scene and seed."""

from __future__ import annotations

import functools
import io
import math
import random
from dataclasses import dataclass

from PIL import Image, ImageColor, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1200, 630  # the proportions of a link preview card


@dataclass(frozen=True)
class Scene:
    sky: tuple[str, str]  # colours of the top and of the horizon
    sun: str
    layers: tuple[str, ...]  # far to near
    shape: str  # peaks, hills, waves, shelves, branch


SCENES: dict[str, Scene] = {
    "mountains": Scene(("#3a5ca0", "#f6c496"), "#ffecc8", ("#7878a0", "#505680", "#2c3454"), "peaks"),
    "andes": Scene(("#2878be", "#bee1f0"), "#fffae1", ("#968278", "#6e7850", "#3c5a32"), "peaks"),
    "savanna": Scene(("#f09646", "#fcdc8c"), "#fff5c8", ("#c88c50", "#a06e3c", "#5a4628"), "hills"),
    "desert": Scene(("#e6785a", "#fad2a0"), "#fff0d2", ("#d6a06e", "#be8250", "#965f3c"), "hills"),
    "dunes": Scene(("#faaa3c", "#ffe1aa"), "#fffae6", ("#e6b46e", "#d79650", "#b46e3c"), "hills"),
    "snow": Scene(("#7896c8", "#e1ebf5"), "#fafaff", ("#c8d2e6", "#aab9d2", "#f0f4fa"), "hills"),
    "sea": Scene(("#1e5096", "#aad2eb"), "#fffadc", ("#286eaa", "#1e5a96", "#144678"), "waves"),
    "library": Scene(("#6e4632", "#c89664"), "#ffdc96", ("#963c32", "#285a78", "#c8a03c", "#3c6e46"), "shelves"),
    "blossom": Scene(("#96bee6", "#f0e6f0"), "#fffaf0", ("#f4aac8", "#e682aa", "#5a3c3c"), "branch"),
}  # fmt: skip


def _gradient(top_colour: str, bottom_colour: str) -> Image.Image:
    """A vertical gradient, drawn on a one-pixel-wide strip and stretched (fast at any width)."""
    top, bottom = ImageColor.getrgb(top_colour), ImageColor.getrgb(bottom_colour)
    strip = Image.new("RGB", (1, HEIGHT))
    for y in range(HEIGHT):
        t = y / (HEIGHT - 1)
        strip.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    return strip.resize((WIDTH, HEIGHT))


def _ridge(rng: random.Random, base: float, height: float, *, jagged: bool) -> list[tuple[float, float]]:
    """The outline of one layer of land, closed along the bottom of the picture."""
    points = []
    steps = 24 if jagged else 60
    phase, waves = rng.uniform(0, math.tau), rng.uniform(1.2, 2.6)
    for i in range(steps + 1):
        x = WIDTH * i / steps
        if jagged:
            y = base - height * (0.35 + 0.65 * rng.random())
        else:
            y = base - height * (0.5 + 0.5 * math.sin(phase + waves * math.tau * i / steps))
        points.append((x, y))
    return [(0, HEIGHT), *points, (WIDTH, HEIGHT)]


def _land(draw: ImageDraw.ImageDraw, scene: Scene, rng: random.Random) -> None:
    for n, colour in enumerate(scene.layers):
        base = HEIGHT * (0.55 + 0.14 * n)
        if scene.shape == "waves":
            for row in range(6):
                y0 = base + row * 18
                outline = [(0, HEIGHT)] + [
                    (x, y0 + 6 * math.sin(x / (40 + 10 * n) + row + n)) for x in range(0, WIDTH + 20, 20)
                ]
                draw.polygon([*outline, (WIDTH, HEIGHT)], fill=colour)
        else:
            height = HEIGHT * (0.32 - 0.07 * n) if scene.shape == "peaks" else HEIGHT * (0.12 - 0.02 * n)
            draw.polygon(_ridge(rng, base, height, jagged=scene.shape == "peaks"), fill=colour)


def _shelves(draw: ImageDraw.ImageDraw, scene: Scene, rng: random.Random) -> None:
    wood = "#5c3a24"
    for shelf in range(4):
        top = 60 + shelf * 140
        x = 40
        while x < WIDTH - 60:
            width = rng.randint(18, 42)
            height = rng.randint(80, 120)
            colour = rng.choice(scene.layers)
            draw.rectangle((x, top + 120 - height, x + width, top + 120), fill=colour)
            draw.line((x + 4, top + 130 - height, x + width - 4, top + 130 - height), fill="#f0dcaa", width=2)
            x += width + rng.randint(2, 6)
        draw.rectangle((20, top + 120, WIDTH - 20, top + 134), fill=wood)


def _branch(draw: ImageDraw.ImageDraw, scene: Scene, rng: random.Random) -> None:
    bark = scene.layers[-1]
    start = (WIDTH, HEIGHT * 0.25)
    points = [start]
    for i in range(1, 8):
        points.append((WIDTH - i * 140, HEIGHT * 0.25 + 40 * math.sin(i) + i * 12))
    draw.line(points, fill=bark, width=16, joint="curve")
    for x, y in points[1:]:
        for _ in range(14):
            cx, cy = x + rng.uniform(-70, 70), y + rng.uniform(-60, 60)
            r = rng.uniform(8, 18)
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=rng.choice(scene.layers[:-1]))


@functools.lru_cache(maxsize=32)  # the same bytes every time: a second seed in one process draws nothing
def draw_cover(scene_name: str, seed: str) -> bytes:
    """A JPEG cover for `scene_name` (one of SCENES); `seed` varies the shapes, the same seed gives the same bytes."""
    scene = SCENES[scene_name]
    rng = random.Random(f"{scene_name}:{seed}")  # noqa: S311 - shapes, not secrets
    image = _gradient(*scene.sky)
    glow = Image.new("RGB", image.size, scene.sun)
    mask = Image.new("L", image.size, 0)
    sx, sy, r = rng.uniform(0.15, 0.85) * WIDTH, rng.uniform(0.18, 0.38) * HEIGHT, rng.uniform(45, 70)
    ImageDraw.Draw(mask).ellipse((sx - r * 2.2, sy - r * 2.2, sx + r * 2.2, sy + r * 2.2), fill=90)
    image = Image.composite(glow, image, mask.filter(ImageFilter.GaussianBlur(40)))
    draw = ImageDraw.Draw(image)
    if scene.shape != "shelves":
        draw.ellipse((sx - r, sy - r, sx + r, sy + r), fill=scene.sun)
    {"shelves": _shelves, "branch": _branch}.get(scene.shape, _land)(draw, scene, rng)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()
