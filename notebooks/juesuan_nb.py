"""Shared set-up for the notebooks: where the outputs of `juesuan run` are,
a CJK font for Chinese labels, and saving figures (refusing empty ones)."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402
import polars as pl  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
# The output folder of a run: `cargo run -- run sample_data --out out`.
OUT = Path(os.environ.get("JUESUAN_OUT", REPO / "out"))
# Where figures are saved as PNG (docs/ in the repository; CI uses a temp folder).
FIGURES = Path(os.environ.get("JUESUAN_FIGURES", REPO / "docs"))

CJK_FONTS = ["Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei", "PingFang SC"]


def setup() -> None:
    """Checks the outputs exist and picks a CJK font, or says how to get both."""
    if not (OUT / "metrics.parquet").exists():
        raise SystemExit(
            f"no juesuan outputs in {OUT}: run `cargo run -- run sample_data --out out` "
            "in the repository, or set JUESUAN_OUT to a run's output folder"
        )
    installed = {f.name for f in font_manager.fontManager.ttflist}
    font = next((f for f in CJK_FONTS if f in installed), None)
    if font is None:
        raise SystemExit(
            "no CJK font found for Chinese labels: install one, e.g. "
            "`apt-get install fonts-noto-cjk` (Debian/Ubuntu)"
        )
    plt.rcParams["font.family"] = font
    plt.rcParams["axes.unicode_minus"] = False
    plt.rcParams["figure.dpi"] = 100


def read(table: str) -> pl.DataFrame:
    """One Parquet output of the run (`metrics`, `flags`, `findings`, `facts` …)."""
    return pl.read_parquet(OUT / f"{table}.parquet")


def save(fig, name: str) -> Path:
    """Saves `fig` as FIGURES/name.png after checking every axes shows data."""
    for ax in fig.axes:
        if ax.get_label() == "<colorbar>":
            continue
        drawn = len(ax.patches) + len(ax.lines) + len(ax.collections) + len(ax.images)
        assert drawn > 0, f"figure {name}: an axes is empty"
    FIGURES.mkdir(parents=True, exist_ok=True)
    path = FIGURES / f"{name}.png"
    fig.savefig(path, bbox_inches="tight")
    return path
