"""Small, consistent figures (stored notebooks stay small; PNGs are not compared by nbval)."""
from __future__ import annotations

from typing import Sequence

FIGSIZE = (6.0, 3.4)


def apply_style() -> None:
    """Course-wide matplotlib defaults: small figures, readable fonts, light grid."""
    import matplotlib as mpl

    mpl.rcParams.update({
        "figure.figsize": FIGSIZE,
        "figure.dpi": 80,
        "savefig.dpi": 80,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "font.size": 10,
        "legend.frameon": False,
    })


def figure(ncols: int = 1, width: float | None = None, height: float | None = None):
    """A figure with ``ncols`` side-by-side axes (returns fig, axes-or-axis)."""
    import matplotlib.pyplot as plt

    w = width or FIGSIZE[0] * (1 if ncols == 1 else 0.85 * ncols)
    return plt.subplots(1, ncols, figsize=(w, height or FIGSIZE[1]))


def history(hist, metrics: Sequence[str] = ("loss", "accuracy"), title: str = ""):
    """Training curves from a Keras History (train and validation side by side)."""
    import matplotlib.pyplot as plt

    logs = hist.history if hasattr(hist, "history") else dict(hist)
    shown = [m for m in metrics if m in logs]
    fig, axes = figure(len(shown))
    axes = [axes] if len(shown) == 1 else list(axes)
    for ax, name in zip(axes, shown):
        epochs = range(1, len(logs[name]) + 1)
        ax.plot(epochs, logs[name], "o-", label="train")
        if f"val_{name}" in logs:
            ax.plot(epochs, logs[f"val_{name}"], "s--", label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    plt.show()
