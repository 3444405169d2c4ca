"""Writes the notebooks of this folder (their code lives here, so the four
stay consistent): edit, then run `python notebooks/make_notebooks.py`."""
import os

import nbformat as nbf
from pathlib import Path

INTRO = """Reads the Parquet outputs of `juesuan run` in the repository's `out/`
folder (or the folder in the `JUESUAN_OUT` environment variable). Make them
with, in the repository:

```sh
cargo run -- run sample_data --out out
```

Figures are saved as PNG in `docs/` (or `JUESUAN_FIGURES`)."""

SETUP = """from juesuan_nb import OUT, pl, plt, read, save, setup

setup()
print("outputs:", OUT)"""

def notebook(name, title, cells):
    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbf.v4.new_markdown_cell(f"# {title}\n\n{INTRO}"), nbf.v4.new_code_cell(SETUP)]
    for kind, text in cells:
        nb.cells.append(nbf.v4.new_markdown_cell(text) if kind == "md" else nbf.v4.new_code_cell(text))
    nbf.write(nb, os.path.join(os.path.dirname(os.path.abspath(__file__)), name))

notebook("league_table.ipynb", "League table: where each department sits", [
("code", """# Any indicator key of indicators.toml, and a department to highlight
# (None: the one ranked last).
INDICATOR = "budget_execution"
FOCUS = None

metrics = read("metrics")
ranked = metrics.filter(
    pl.col("level") == "department",
    pl.col("metric") == INDICATOR,
    pl.col("rank").is_not_null(),
)
year = ranked["year"].max()
table = ranked.filter(pl.col("year") == year).sort("rank")
label, direction = table["label"][0], table["direction"][0]
focus = FOCUS or table["entity_name"][-1]
table.select("rank", "entity_name", "unit_kind", "value", "peer_rank", "rank_change")"""),
("code", """from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

kinds = table["unit_kind"].fill_null("未标明")
palette = dict(zip(sorted(kinds.unique().to_list()), plt.cm.tab10.colors))
names = table["entity_name"].to_list()[::-1]
values = table["value"].to_list()[::-1]
colours = [palette[k] for k in kinds.to_list()[::-1]]

fig, ax = plt.subplots(figsize=(9, 0.3 * len(names) + 1.5))
bars = ax.barh(names, values, color=colours)
for bar, name in zip(bars, names):
    if name == focus:
        bar.set_edgecolor("black")
        bar.set_linewidth(2.5)
ax.xaxis.set_major_formatter(PercentFormatter(1.0))
# The axis spans the values (not from 0) so that differences between departments show.
pad = (max(values) - min(values)) * 0.1 or 0.01
ax.set_xlim(min(values) - pad, max(values) + pad)
better = "越高越好" if direction == "higher" else "越低越好"
ax.set_title(f"{year}年 {label}（{better}）：部门排名，粗框为 {focus}")
ax.legend(handles=[Patch(color=c, label=k) for k, c in palette.items()], title="单位性质", loc="lower left", bbox_to_anchor=(1.01, 0))
save(fig, "nb_league_table")"""),
])

notebook("sangong.ipynb", "三公经费: growth and budget against actual", [
("code", """metrics = read("metrics")
flags = read("flags")
# Years on the same basis only (口径不同: e.g. a 汇总表 against one unit's 单户表).
growth = metrics.filter(
    pl.col("level") == "department",
    pl.col("metric") == "sangong_actual",
    pl.col("change_rel").is_not_null(),
    pl.col("change_note").is_null(),
)
flagged = flags.filter(pl.col("level") == "department", pl.col("flag") == "sangong_increase")
growth = growth.join(
    flagged.select("entity_id", "year", pl.lit(True).alias("flagged")),
    on=["entity_id", "year"],
    how="left",
).with_columns(pl.col("flagged").fill_null(False))
growth.select("year", "entity_name", "value", "prev_value", "change_rel", "flagged").sort("change_rel", descending=True).head(10)"""),
("code", """import numpy as np
from matplotlib.ticker import PercentFormatter

fig, ax = plt.subplots(figsize=(10, 4.5))
rng = np.random.default_rng(0)
years = sorted(growth["year"].unique().to_list())
for row in growth.iter_rows(named=True):
    y = years.index(row["year"]) + rng.uniform(-0.18, 0.18)
    colour = "#d62728" if row["flagged"] else "#7f7f7f"
    ax.scatter(row["change_rel"], y, color=colour, s=28, zorder=3)
    if row["flagged"]:
        ax.annotate(row["entity_name"], (row["change_rel"], y), xytext=(4, 3), textcoords="offset points", fontsize=8)
ax.axvline(0, color="black", linewidth=0.8)
ax.set_yticks(range(len(years)), [f"{y}年" for y in years])
ax.xaxis.set_major_formatter(PercentFormatter(1.0))
ax.set_xlabel("三公经费决算 比上年增减率")
ax.set_title("三公经费变动：红点为被标记增长的部门（政策要求只减不增）")
save(fig, "nb_sangong_growth")"""),
("code", """items = {"abroad": "因公出国（境）费", "vehicle_purchase": "公务用车购置费", "vehicle_operation": "公务用车运行费", "reception": "公务接待费"}
year = metrics["year"].max()
latest = metrics.filter(pl.col("level") == "department", pl.col("year") == year)
budget = [latest.filter(pl.col("metric") == f"{k}_budget")["value"].sum() / 1e4 for k in items]
actual = [latest.filter(pl.col("metric") == f"{k}_actual")["value"].sum() / 1e4 for k in items]

fig, ax = plt.subplots(figsize=(8, 4))
x = np.arange(len(items))
ax.bar(x - 0.2, budget, width=0.4, label="预算数", color="#9ecae1")
ax.bar(x + 0.2, actual, width=0.4, label="决算数", color="#3182bd")
ax.set_xticks(x, list(items.values()))
ax.set_ylabel("万元")
ax.set_title(f"{year}年 各部门三公经费合计：预算与决算")
ax.legend()
save(fig, "nb_sangong_budget")"""),
])

notebook("structure.ipynb", "Structure: 功能分类 shares and their shift", [
("code", """metrics = read("metrics")
shares = metrics.filter(pl.col("level") == "department", pl.col("kind") == "structure")
year = shares["year"].max()
latest = shares.filter(pl.col("year") == year)
wide = latest.pivot(on="label", index="entity_name", values="value", sort_columns=True).fill_null(0).sort("entity_name")
shift = latest.pivot(on="label", index="entity_name", values="change", sort_columns=True).sort("entity_name")
wide.head()"""),
("code", """import numpy as np

classes = wide.columns[1:]
matrix = wide.select(classes).to_numpy()
fig, ax = plt.subplots(figsize=(1.1 * len(classes) + 3, 0.32 * wide.height + 2))
image = ax.imshow(matrix, cmap="Blues", aspect="auto", vmin=0, vmax=1)
ax.set_xticks(range(len(classes)), [c.replace(" 占比", "") for c in classes], rotation=45, ha="right")
ax.set_yticks(range(wide.height), wide["entity_name"].to_list())
fig.colorbar(image, ax=ax, label="占本年支出合计", format=lambda v, _: f"{v:.0%}")
ax.set_title(f"{year}年 各部门功能分类支出结构")
save(fig, "nb_structure_shares")"""),
("code", """classes = shift.columns[1:]
matrix = shift.select(classes).to_numpy().astype(float)
limit = np.nanmax(np.abs(matrix)) or 1.0
fig, ax = plt.subplots(figsize=(1.1 * len(classes) + 3, 0.32 * shift.height + 2))
image = ax.imshow(np.nan_to_num(matrix), cmap="RdBu_r", aspect="auto", vmin=-limit, vmax=limit)
ax.set_xticks(range(len(classes)), [c.replace(" 占比", "") for c in classes], rotation=45, ha="right")
ax.set_yticks(range(shift.height), shift["entity_name"].to_list())
fig.colorbar(image, ax=ax, label="占比变化（百分点）", format=lambda v, _: f"{v * 100:+.1f}")
ax.set_title(f"{year}年 功能结构与上年相比的变化（红色上升，蓝色下降；空白为无上年数据）")
save(fig, "nb_structure_shift")"""),
])

notebook("data_quality.ipynb", "Data quality: consistency findings by rule and severity", [
("code", """findings = read("findings")
counts = (
    findings.group_by("rule_id", "severity").len()
    .pivot(on="severity", index="rule_id", values="len")
    .fill_null(0)
)
for severity in ["error", "warning", "rounding"]:
    if severity not in counts.columns:
        counts = counts.with_columns(pl.lit(0).alias(severity))
counts = counts.with_columns(total=pl.col("error") + pl.col("warning") + pl.col("rounding")).sort("total")
counts"""),
("code", """import numpy as np

fig, ax = plt.subplots(figsize=(9, 0.35 * counts.height + 1.8))
left = np.zeros(counts.height)
for severity, colour, name in [("error", "#d62728", "错误"), ("warning", "#ff7f0e", "提示"), ("rounding", "#bdbdbd", "尾差")]:
    values = counts[severity].to_numpy()
    ax.barh(counts["rule_id"].to_list(), values, left=left, color=colour, label=name)
    left += values
ax.set_xlabel("条数")
ax.set_title("勾稽校验结果：按规则与严重程度")
ax.legend(loc="lower right")
save(fig, "nb_data_quality")"""),
("md", """## Leading digits against Benford's law

`digits.parquet` holds, per department-year, how many of its leaf figures
(功能分类 项, 经济分类 款) start with each digit (`d1`–`d9`) and each pair of
digits (`d10`–`d99`), with the MAD tests of the 数字特征 sheet. Summed over the
whole batch, the first digits against Benford's proportions log10(1 + 1/d):"""),
("code", """import math

digits = read("digits")
observed = np.array([digits[f"d{d}"].sum() for d in range(1, 10)], dtype=float)
n = observed.sum()
expected = np.array([math.log10(1 + 1 / d) for d in range(1, 10)])
mad = np.abs(observed / n - expected).mean()
fig, ax = plt.subplots(figsize=(8, 4.5))
ax.bar(range(1, 10), observed / n, color="#4c72b0", label="本批数据")
ax.plot(range(1, 10), expected, "o-", color="#d62728", label="本福特定律")
ax.set_xticks(range(1, 10))
ax.set_xlabel("首位数字")
ax.set_ylabel("占比")
ax.set_title(f"末级数字首位分布（{int(n)} 个数字，MAD {mad:.4f}）")
ax.legend()
save(fig, "nb_benford")
digits.select("dept_name", "year", "n", "first_mad", "first_excess_mad", "verdict").sort("first_excess_mad", descending=True, nulls_last=True).head(10)"""),
])
