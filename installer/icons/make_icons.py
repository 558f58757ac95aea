"""Draw Hall Counter's icon: hall-counter.svg, hall-counter.png (256 px), hall-counter.ico.

    .venv/bin/python installer/icons/make_icons.py

A social security card (white, with a gold chip and two text lines) on a blue rounded square,
with a green tick: "card checked at the counter". The SVG and the bitmaps come from the same
shapes below; the outputs are committed, so builds do not run this.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
SIZE = 256

BLUE = "#1e5aa8"
WHITE = "#ffffff"
GOLD = "#e3b23c"
GREY = "#9aa9bf"
GREEN = "#2e9e5b"

# Shapes on a 256 x 256 canvas: (kind, box or points, fill, corner radius / width)
BACKGROUND = (8, 8, 248, 248, 48)
CARD = (36, 64, 220, 184, 14)
CHIP = (56, 92, 96, 124, 6)
LINES = ((112, 96, 196, 106), (112, 116, 176, 126), (56, 146, 196, 156))
TICK_CIRCLE = (150, 140, 230, 220)
TICK = ((170, 181), (185, 196), (212, 165))


def svg() -> str:
    """The icon as SVG text."""

    def rect(box, fill, radius):
        x0, y0, x1, y1 = box
        return (
            f'<rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" '
            f'rx="{radius}" fill="{fill}"/>'
        )

    x0, y0, x1, y1 = TICK_CIRCLE
    points = " ".join(f"{x},{y}" for x, y in TICK)
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">',
        "<title>Hall Counter</title>",
        rect(BACKGROUND[:4], BLUE, BACKGROUND[4]),
        rect(CARD[:4], WHITE, CARD[4]),
        rect(CHIP[:4], GOLD, CHIP[4]),
        *(rect(line, GREY, 4) for line in LINES),
        f'<circle cx="{(x0 + x1) / 2:g}" cy="{(y0 + y1) / 2:g}" r="{(x1 - x0) / 2:g}" '
        f'fill="{GREEN}" stroke="{WHITE}" stroke-width="6"/>',
        f'<polyline points="{points}" fill="none" stroke="{WHITE}" stroke-width="12" '
        'stroke-linecap="round" stroke-linejoin="round"/>',
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


def bitmap(size: int = SIZE) -> Image.Image:
    """The icon drawn with Pillow at 4x and scaled down to ``size`` (smooth edges)."""
    scale = 4 * size / SIZE
    canvas = Image.new("RGBA", (int(SIZE * scale), int(SIZE * scale)), (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)

    def box(values):
        return [v * scale for v in values]

    draw.rounded_rectangle(box(BACKGROUND[:4]), BACKGROUND[4] * scale, fill=BLUE)
    draw.rounded_rectangle(box(CARD[:4]), CARD[4] * scale, fill=WHITE)
    draw.rounded_rectangle(box(CHIP[:4]), CHIP[4] * scale, fill=GOLD)
    for line in LINES:
        draw.rounded_rectangle(box(line), 4 * scale, fill=GREY)
    draw.ellipse(box(TICK_CIRCLE), fill=GREEN, outline=WHITE, width=int(6 * scale))
    draw.line(
        [(x * scale, y * scale) for x, y in TICK], fill=WHITE, width=int(12 * scale), joint="curve"
    )
    return canvas.resize((size, size), Image.LANCZOS)


def main() -> None:
    """Write the three files beside this script."""
    (HERE / "hall-counter.svg").write_text(svg(), encoding="utf-8")
    image = bitmap(SIZE)
    image.save(HERE / "hall-counter.png", optimize=True)
    image.save(
        HERE / "hall-counter.ico",
        sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)],
    )


if __name__ == "__main__":
    main()
