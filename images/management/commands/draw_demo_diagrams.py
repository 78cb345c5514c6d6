"""
Draw the demo diagrams into demo/images/ with matplotlib (a development dependency).

The PNGs are committed, so loading the demo needs no matplotlib. The diagrams are schematic:
they show only what the seed text and the verified reference fields say, and no numbers.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

OUT = Path(settings.BASE_DIR) / "demo" / "images"
INK, MUTED, ACCENT, WARM, CALM = "#1d2b3a", "#5b6b7b", "#2a7ab0", "#d9733b", "#3f9b6e"


class Command(BaseCommand):
    help = (
        "Draw the demo diagrams (NMDA receptor block, glutamate to synapses, default mode network)."
    )

    def handle(self, *args, **options):
        import matplotlib

        matplotlib.use("Agg")
        OUT.mkdir(parents=True, exist_ok=True)
        for name, draw in [
            ("nmda-receptor-block.png", draw_nmda_block),
            ("glutamate-bdnf-synapses.png", draw_glutamate_cascade),
            ("default-mode-network.png", draw_default_mode_network),
        ]:
            figure = draw()
            # No software version or date in the file: drawing again gives the same bytes.
            figure.savefig(OUT / name, dpi=100, metadata={"Software": None})
            self.stdout.write(f"Drew {OUT / name}")


def canvas(title):
    from matplotlib import pyplot

    figure = pyplot.figure(figsize=(16, 9), facecolor="white")
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, 16)
    axes.set_ylim(0, 9)
    axes.axis("off")
    axes.text(8, 8.4, title, ha="center", va="center", fontsize=30, color=INK, weight="bold")
    return figure, axes


def receptor(axes, x, *, blocked):
    """One NMDA receptor across the membrane at x; its pore open, or plugged by ketamine."""
    from matplotlib.patches import Circle, FancyArrow, FancyBboxPatch

    for side in (-1, 1):
        axes.add_patch(
            FancyBboxPatch(
                (x + side * 0.55 - 0.45, 2.4), 0.9, 3.4,
                boxstyle="round,pad=0.05,rounding_size=0.35", color=ACCENT, alpha=0.9,
            )
        )  # fmt: skip
    # Glutamate, bound on the outside.
    axes.add_patch(Circle((x - 1.35, 5.95), 0.28, color=CALM))
    axes.text(x - 1.35, 6.55, "glutamate", ha="center", fontsize=17, color=CALM)
    if blocked:
        axes.add_patch(Circle((x, 4.1), 0.42, color=WARM))
        axes.text(
            x + 1.25, 4.1, "ketamine\nplugs the\nchannel", fontsize=17, color=WARM, va="center"
        )
        for offset in (-0.5, 0.0, 0.5):
            axes.add_patch(Circle((x + offset, 6.9), 0.16, color=MUTED))
        axes.text(x, 7.45, "charged particles kept out", ha="center", fontsize=17, color=MUTED)
    else:
        axes.add_patch(FancyArrow(x, 7.1, 0, -5.4, width=0.12, head_width=0.45, color=MUTED))
        axes.text(x + 0.4, 1.55, "charged particles flow in", fontsize=17, color=MUTED)


def draw_nmda_block():
    from matplotlib.patches import Rectangle

    figure, axes = canvas("How ketamine blocks the NMDA receptor")
    axes.add_patch(Rectangle((0.4, 2.9), 15.2, 2.4, color="#f0e6d2"))
    axes.text(0.6, 5.55, "outside the nerve cell", fontsize=16, color=MUTED)
    axes.text(0.6, 2.45, "inside the nerve cell", fontsize=16, color=MUTED)
    axes.text(0.6, 4.1, "cell\nmembrane", fontsize=15, color=MUTED, va="center")
    receptor(axes, 5.0, blocked=False)
    receptor(axes, 11.6, blocked=True)
    axes.text(5.0, 0.7, "Without ketamine: the channel opens", ha="center", fontsize=20, color=INK)
    axes.text(
        11.6, 0.7, "With ketamine: the channel is blocked", ha="center", fontsize=20, color=INK
    )
    return figure


def draw_glutamate_cascade():
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    figure, axes = canvas("From NMDA block to new synapses: the proposed chain")
    steps = [
        ("Ketamine blocks\nNMDA receptors", WARM),
        ("Glutamate\nsurge", CALM),
        ("More BDNF,\na growth signal", ACCENT),
        ("mTOR switches on:\nsynapse proteins\nare built", ACCENT),
        ("New and stronger\nsynapses", INK),
    ]
    width, gap, top = 2.6, 0.45, 5.2
    for index, (label, colour) in enumerate(steps):
        left = 0.5 + index * (width + gap)
        axes.add_patch(
            FancyBboxPatch(
                (left, top - 1.2), width, 2.4,
                boxstyle="round,pad=0.05,rounding_size=0.3", color=colour, alpha=0.92,
            )
        )  # fmt: skip
        axes.text(
            left + width / 2, top, label, ha="center", va="center", fontsize=19, color="white"
        )
        if index:
            axes.add_patch(
                FancyArrowPatch(
                    (left - gap + 0.02, top), (left - 0.02, top),
                    arrowstyle="-|>", mutation_scale=30, color=MUTED, lw=3,
                )
            )  # fmt: skip
    axes.text(
        8, 2.2,
        "The later steps were shown in laboratory animals; in people they are a working theory.",
        ha="center", fontsize=19, color=MUTED, style="italic",
    )  # fmt: skip
    return figure


def draw_default_mode_network():
    from matplotlib.patches import Circle, Ellipse

    figure, axes = canvas("The default mode network, seen from the middle of the brain")
    axes.add_patch(Ellipse((7.2, 4.2), 10.5, 6.2, fill=False, lw=4, color=MUTED))
    axes.text(2.1, 4.2, "front", fontsize=18, color=MUTED, ha="center", rotation=90, va="center")
    axes.text(12.3, 4.2, "back", fontsize=18, color=MUTED, ha="center", rotation=-90, va="center")
    hub = (9.9, 4.4)
    regions = {
        "dorsomedial\nprefrontal cortex": (4.6, 5.9),
        "medial prefrontal\ncortex": (3.9, 3.6),
    }
    for label, (x, y) in regions.items():
        axes.plot([x, hub[0]], [y, hub[1]], lw=4, color=ACCENT, linestyle=(0, (6, 4)), zorder=0)
        axes.add_patch(Circle((x, y), 0.42, color=ACCENT))
        axes.text(x + 0.6, y + 0.55, label, fontsize=17, color=INK)
    axes.add_patch(Circle(hub, 0.6, color=WARM))
    axes.text(
        hub[0],
        hub[1] - 1.2,
        "posterior cingulate\ncortex: the hub",
        ha="center",
        fontsize=17,
        color=INK,
    )
    axes.text(
        13.0, 6.6,
        "Active when the mind\nwanders and in\nself-focused thought",
        fontsize=17, color=INK, va="top",
    )  # fmt: skip
    axes.text(
        8, 0.45,
        "Dashed: links that were weaker a day after ketamine, in a study of healthy volunteers.",
        ha="center", fontsize=18, color=MUTED, style="italic",
    )  # fmt: skip
    return figure
