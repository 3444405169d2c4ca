//! Indicators, year-over-year changes, ranks and peer statistics, computed
//! as one Polars lazy plan over the measures of every unit and department.
//!
//! The plan: a wide frame (one row per entity-year, one column per measure)
//! → previous-year columns → indicator columns (from the formulas) → long
//! frame (one row per entity-year-metric) → changes on the previous year
//! present, compound rate over the span, ranks overall and within peer
//! groups, robust z-scores → collected once.

use anyhow::Result;
use foldhash::HashMap;
use polars::prelude::*;
use rayon::slice::ParallelSliceMut;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

use super::formula::prev_column;
use super::measures::{EntityYear, Level};
use super::spec::{AnalysisSpec, Direction, Format};
use crate::spec::Catalogue;
use crate::write::{cents, decimal_series};

/// What a metric is, for output and ranking.
#[derive(Debug, Clone)]
pub struct MetricInfo {
    pub key: String,
    pub label: String,
    /// `measure`, `class` (功能分类 class amount) or `indicator`.
    pub kind: &'static str,
    /// `元`, a count unit, or `ratio`.
    pub unit: String,
    pub direction: Direction,
    pub format: Format,
    pub theme: String,
}

/// The metrics of a batch.
pub struct Metrics {
    pub info: Vec<MetricInfo>,
    /// One row per entity-year-metric, in the order of metrics.parquet: what
    /// the plan computed, with the integer keys `entity_row` and
    /// `metric_key` in place of the entity's and the metric's text columns,
    /// which [`Metrics::table`] gathers a batch at a time: repeated on every
    /// row they would be half of a province's frame.
    computed: DataFrame,
    /// [`ID_COLUMNS`] but `year`, one row per entity-year.
    entity_columns: DataFrame,
    /// The metric's columns ([`info_frame`]), one row per metric.
    info_columns: DataFrame,
    /// The row of `computed` of each entity (its place in the entities) and
    /// metric (its place in `info`), at `entity * info.len() + metric`;
    /// [`NO_ROW`] when there is none.
    rows: Vec<u32>,
    places: HashMap<String, u32>,
    columns: RowColumns,
}

impl Metrics {
    /// The row of `metric` for the entity-year at `entity` (its place in the
    /// entities the metrics were computed from).
    pub fn row(&self, entity: usize, metric: &str) -> Option<MetricRow> {
        let place = *self.places.get(metric)? as usize;
        let row = *self.rows.get(entity * self.info.len() + place)?;
        (row != NO_ROW).then(|| self.columns.row(row as usize))
    }

    /// Rows of metrics.parquet.
    pub fn height(&self) -> usize {
        self.computed.height()
    }

    /// The years present, in order.
    pub fn years(&self) -> Result<Vec<i32>> {
        let years = self.computed.column("year")?.i32()?;
        let present: BTreeSet<i32> = years.iter().flatten().collect();
        Ok(present.into_iter().collect())
    }

    /// The rows of metrics.parquet of `year` (all with `None`), to be
    /// gathered a batch at a time with [`MetricsTable::batch`].
    pub fn table(&self, year: Option<i32>) -> Result<MetricsTable<'_>> {
        let rows = match year {
            None => self.computed.clone(),
            Some(year) => self
                .computed
                .clone()
                .lazy()
                .filter(col("year").eq(lit(year)))
                .collect()?,
        };
        Ok(MetricsTable {
            metrics: self,
            rows,
        })
    }

    /// The value of `metric` per (level, entity_id, year).
    pub fn values_of(&self, metric: &str) -> Result<BTreeMap<(String, String, i32), f64>> {
        let mut out = BTreeMap::new();
        let Some(&place) = self.places.get(metric) else {
            return Ok(out);
        };
        let frame = self
            .computed
            .clone()
            .lazy()
            .filter(
                col("metric_key")
                    .eq(lit(place))
                    .and(col("value").is_not_null()),
            )
            .select([col("entity_row"), col("year"), col("value")])
            .collect()?;
        let entity_rows = frame.column("entity_row")?.u32()?;
        let level = self.entity_columns.column("level")?.str()?;
        let id = self.entity_columns.column("entity_id")?.str()?;
        let year = frame.column("year")?.i32()?;
        let value = frame.column("value")?.f64()?;
        for i in 0..frame.height() {
            let entity = entity_rows.get(i).map(|e| e as usize);
            if let (Some(l), Some(e), Some(y), Some(v)) = (
                entity.and_then(|e| level.get(e)),
                entity.and_then(|e| id.get(e)),
                year.get(i),
                value.get(i),
            ) {
                out.insert((l.to_string(), e.to_string(), y), v);
            }
        }
        Ok(out)
    }
}

/// Rows of metrics.parquet, whole or of one year.
pub struct MetricsTable<'m> {
    metrics: &'m Metrics,
    /// Of [`Metrics::computed`].
    rows: DataFrame,
}

impl MetricsTable<'_> {
    pub fn height(&self) -> usize {
        self.rows.height()
    }

    /// Rows `offset..offset + len` with every column of metrics.parquet, in
    /// order: the entity's, the metric's, then what the plan computed.
    pub fn batch(&self, offset: usize, len: usize) -> Result<DataFrame> {
        let rows = self.rows.slice(offset as i64, len);
        let entity_rows = rows.column("entity_row")?.u32()?.rechunk().into_owned();
        let metric_keys = rows.column("metric_key")?.u32()?.rechunk().into_owned();
        let Metrics {
            entity_columns,
            info_columns,
            ..
        } = self.metrics;
        let leading = ID_COLUMNS
            .iter()
            .chain(&[
                "metric",
                "value",
                "label",
                "kind",
                "unit",
                "direction",
                "theme",
            ])
            .copied();
        let computed = rows
            .get_column_names()
            .into_iter()
            .map(|c| c.as_str())
            .filter(|c| !["year", "value", "entity_row", "metric_key"].contains(c));
        let mut columns = Vec::new();
        for name in leading.chain(computed) {
            columns.push(match rows.column(name) {
                Ok(computed) => computed.clone(),
                Err(_) if entity_columns.schema().contains(name) => {
                    entity_columns.column(name)?.take(&entity_rows)?
                }
                Err(_) => info_columns.column(name)?.take(&metric_keys)?,
            });
        }
        let mut batch = DataFrame::new(rows.height(), columns)?;
        // Of one chunk per column, as a Parquet writer takes it.
        batch.rechunk_mut();
        Ok(batch)
    }

    /// Every row at once: for a sample's analysis and tests, not a province's.
    pub fn whole(&self) -> Result<DataFrame> {
        self.batch(0, self.height())
    }
}

/// No row for an entity and metric in [`Metrics::rows`].
const NO_ROW: u32 = u32::MAX;

/// The columns of the long frame a [`MetricRow`] is read from.
struct RowColumns {
    floats: Vec<Float64Chunked>,
    ints: Vec<Int64Chunked>,
    prev_year: Int32Chunked,
    change_note: StringChunked,
    note: StringChunked,
}

const ROW_FLOATS: [&str; 8] = [
    "value",
    "prev_value",
    "change",
    "change_rel",
    "peer_median",
    "peer_mad",
    "z_score",
    "cagr",
];
const ROW_INTS: [&str; 6] = [
    "rank",
    "rank_of",
    "peer_rank",
    "peer_count",
    "rank_change",
    "peer_n",
];

impl RowColumns {
    fn new(long: &DataFrame) -> Result<Self> {
        let text = |name: &str| -> Result<StringChunked> {
            Ok(long.column(name)?.str()?.rechunk().into_owned())
        };
        Ok(RowColumns {
            floats: ROW_FLOATS
                .iter()
                .map(|n| Ok(long.column(n)?.f64()?.rechunk().into_owned()))
                .collect::<Result<_>>()?,
            ints: ROW_INTS
                .iter()
                .map(|n| Ok(long.column(n)?.i64()?.rechunk().into_owned()))
                .collect::<Result<_>>()?,
            prev_year: long.column("prev_year")?.i32()?.rechunk().into_owned(),
            change_note: text("change_note")?,
            note: text("note")?,
        })
    }

    fn row(&self, i: usize) -> MetricRow {
        let f = |k: usize| self.floats[k].get(i);
        let n = |k: usize| self.ints[k].get(i);
        MetricRow {
            value: f(0),
            prev_year: self.prev_year.get(i),
            prev_value: f(1),
            change: f(2),
            change_rel: f(3),
            change_note: self.change_note.get(i).map(str::to_string),
            note: self.note.get(i).map(str::to_string),
            rank: n(0),
            rank_of: n(1),
            peer_rank: n(2),
            peer_count: n(3),
            rank_change: n(4),
            peer_median: f(4),
            peer_mad: f(5),
            peer_n: n(5),
            z_score: f(6),
            cagr: f(7),
        }
    }
}

/// Prefix of a class's share of spending (`share_208`).
pub const SHARE_PREFIX: &str = "share_";

pub const ID_COLUMNS: [&str; 9] = [
    "level",
    "entity_id",
    "entity_name",
    "dept_code",
    "dept_name",
    "unit_kind",
    "main_class",
    "basis",
    "year",
];

/// Every metric the specs define, with class measures for the codes present.
pub fn metric_info(
    spec: &AnalysisSpec,
    catalogue: &Catalogue,
    entities: &[EntityYear],
) -> Vec<MetricInfo> {
    let mut info: Vec<MetricInfo> = spec
        .measures
        .iter()
        .map(|m| MetricInfo {
            key: m.key.clone(),
            label: m.label.clone(),
            kind: "measure",
            unit: m.unit.clone(),
            direction: Direction::None,
            format: if m.unit == "元" {
                Format::Wan
            } else {
                Format::Number
            },
            theme: String::new(),
        })
        .collect();
    let classes: BTreeSet<&str> = entities
        .iter()
        .flat_map(|e| e.measures.keys())
        .filter_map(|k| k.strip_prefix(spec.class_prefix.as_str()))
        .collect();
    let mut shares = Vec::new();
    for code in classes {
        let name = catalogue
            .classification
            .functional_classes
            .get(code)
            .and_then(|n| n.first())
            .cloned()
            .unwrap_or_default();
        info.push(MetricInfo {
            key: format!("{}{code}", spec.class_prefix),
            label: format!("{code} {name}"),
            kind: "class",
            unit: "元".into(),
            direction: Direction::None,
            format: Format::Wan,
            theme: "功能结构".into(),
        });
        shares.push(MetricInfo {
            key: format!("{SHARE_PREFIX}{code}"),
            label: format!("{code} {name} 占比"),
            kind: "structure",
            unit: "ratio".into(),
            direction: Direction::None,
            format: Format::Percent,
            theme: "功能结构".into(),
        });
    }
    info.extend(shares);
    info.extend(spec.indicators.iter().map(|i| MetricInfo {
        key: i.key.clone(),
        label: i.label.clone(),
        kind: "indicator",
        unit: "ratio".into(),
        direction: i.direction,
        format: i.format,
        theme: i.theme.clone(),
    }));
    info
}

/// The main 功能分类 class of an entity-year: the largest, as `208 社会保障和就业支出`.
pub fn main_class(e: &EntityYear, info: &[MetricInfo]) -> Option<String> {
    info.iter()
        .filter(|m| m.kind == "class")
        .filter_map(|m| e.measures.get(&m.key).map(|v| (v, m)))
        .max_by(|a, b| a.0.cmp(b.0).then(b.1.key.cmp(&a.1.key)))
        .map(|(_, m)| m.label.clone())
}

fn wide_frame(entities: &[EntityYear], info: &[MetricInfo]) -> Result<DataFrame> {
    let text = |name: &str, f: &dyn Fn(&EntityYear) -> Option<String>| {
        Column::new(name.into(), entities.iter().map(f).collect::<Vec<_>>())
    };
    // Entities come sorted by level, id and year: the key counts entities.
    let mut entity_key = 0u32;
    let keys: Vec<u32> = entities
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let same = i > 0 && {
                let p = &entities[i - 1];
                p.level == e.level && p.id == e.id
            };
            entity_key += u32::from(i > 0 && !same);
            entity_key
        })
        .collect();
    let mut columns = vec![
        Column::new("entity_key".into(), keys),
        Column::new(
            "entity_row".into(),
            (0..entities.len() as u32).collect::<Vec<u32>>(),
        ),
        text("level", &|e| Some(e.level.as_str().to_string())),
        text("entity_id", &|e| Some(e.id.clone())),
        text("entity_name", &|e| Some(e.name.clone())),
        text("dept_code", &|e| e.dept_code.clone()),
        text("dept_name", &|e| Some(e.dept_name.clone())),
        text("unit_kind", &|e| e.unit_kind.clone()),
        text("main_class", &|e| main_class(e, info)),
        text("basis", &|e| Some(e.basis.clone())),
        Column::new(
            "year".into(),
            entities.iter().map(|e| e.year).collect::<Vec<i32>>(),
        ),
    ];
    for m in info
        .iter()
        .filter(|m| m.kind == "measure" || m.kind == "class")
    {
        let values: Vec<Option<f64>> = entities
            .iter()
            .map(|e| e.measures.get(&m.key).map(to_f64))
            .collect();
        columns.push(Column::new(m.key.as_str().into(), values));
    }
    Ok(DataFrame::new(entities.len(), columns)?)
}

pub fn to_f64(d: &Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    d.to_f64().unwrap_or(f64::NAN)
}

/// Name of the wide frame's column of a money measure's exact amounts.
fn amount_column(metric: &str) -> String {
    format!("amount {metric}")
}

/// Name of the wide frame's column of why an indicator has no value.
fn note_column(metric: &str) -> String {
    format!("note {metric}")
}

/// Exact amounts of the money measures, a column per measure, and why each
/// indicator has no value (`notes[indicator][entity]`, indicators in the
/// spec's order), a column per indicator: one row per entity, for the wide
/// frame.
fn amount_and_note_columns(
    entities: &[EntityYear],
    info: &[MetricInfo],
    spec: &AnalysisSpec,
    notes: Vec<Vec<Option<String>>>,
) -> Result<Vec<Column>> {
    let mut columns = Vec::new();
    for m in info
        .iter()
        .filter(|m| (m.kind == "measure" || m.kind == "class") && m.unit == "元")
    {
        let amounts = entities
            .iter()
            .map(|e| e.measures.get(&m.key).map(|v| cents(*v)));
        columns.push(decimal_series(&amount_column(&m.key), amounts)?.into_column());
    }
    for (indicator, notes) in spec.indicators.iter().zip(notes) {
        columns.push(Column::new(note_column(&indicator.key).into(), notes));
    }
    Ok(columns)
}

fn info_frame(info: &[MetricInfo]) -> Result<DataFrame> {
    let col_of = |name: &str, f: &dyn Fn(&MetricInfo) -> String| {
        Column::new(name.into(), info.iter().map(f).collect::<Vec<_>>())
    };
    Ok(DataFrame::new(
        info.len(),
        vec![
            col_of("metric", &|m| m.key.clone()),
            col_of("label", &|m| m.label.clone()),
            col_of("kind", &|m| m.kind.to_string()),
            col_of("unit", &|m| m.unit.clone()),
            col_of("direction", &|m| m.direction.as_str().to_string()),
            col_of("theme", &|m| m.theme.clone()),
        ],
    )?)
}

/// Builds and runs the plan. `notes[indicator][entity]` says why an
/// indicator of the spec has no value for an entity.
pub fn compute(
    entities: &[EntityYear],
    info: &[MetricInfo],
    spec: &AnalysisSpec,
    notes: Vec<Vec<Option<String>>>,
) -> Result<Metrics> {
    let mut wide = wide_frame(entities, info)?;
    wide.hstack_mut(&amount_and_note_columns(entities, info, spec, notes)?)?;
    let prev_inputs: BTreeSet<String> = spec
        .indicators
        .iter()
        .flat_map(|i| i.formula.inputs())
        .filter(|(_, prev)| *prev)
        .map(|(m, _)| m)
        .collect();

    // Groups are keyed by integers (`entity_key` from the wide frame,
    // `metric_key` the metric's place in `info`) rather than by their
    // texts: windows over hundreds of thousands of rows hash them.
    let by_metric = [col("entity_key"), col("metric_key")];
    let cohort = [col("level"), col("year"), col("metric_key")];
    let group =
        |attribute: &str| vec![col("level"), col("year"), col("metric_key"), col(attribute)];
    let peers = group(&spec.peer_groups[0]);
    // The row before, when it is the same entity (wide frame, sorted by
    // entity and year) or the same entity's metric (long frame: each
    // metric's rows in the wide frame's order): a shift with a mask, not a
    // window.
    let same_entity = col("entity_key").eq(col("entity_key").shift(lit(1)));
    let same_series = same_entity
        .clone()
        .and(col("metric_key").eq(col("metric_key").shift(lit(1))));
    let before = |same: &Expr, value: Expr| {
        when(same.clone())
            .then(value.shift(lit(1)))
            .otherwise(lit(NULL))
    };
    let previous = |name: &str| before(&same_series, col(name));
    // The smallest group an outlier flag judges (none configured: no minimum).
    let min_peers = spec
        .flags
        .iter()
        .filter_map(|f| f.min_peers)
        .min()
        .unwrap_or(0) as i64;
    let ranked = col("direction")
        .neq(lit("none"))
        .and(col("value").is_not_null());
    let rank_in = |group: &[Expr]| -> PolarsResult<Expr> {
        let options = |descending| RankOptions {
            method: RankMethod::Min,
            descending,
        };
        Ok(when(ranked.clone().and(col("direction").eq(lit("higher"))))
            .then(col("value").rank(options(true), None).over(group)?)
            .when(ranked.clone())
            .then(col("value").rank(options(false), None).over(group)?)
            .otherwise(lit(NULL))
            .cast(DataType::Int64))
    };
    let count_in = |group: &[Expr]| -> PolarsResult<Expr> {
        Ok(when(ranked.clone())
            .then(col("value").count().over(group)?)
            .otherwise(lit(NULL))
            .cast(DataType::Int64))
    };
    let median = col("value").median().over(peers.clone())?;
    let mad = (col("value") - median.clone())
        .abs()
        .median()
        .over(peers.clone())?;
    let first_value = col("value").first().over(by_metric.clone())?;
    let first_year = col("year").first().over(by_metric.clone())?;
    let last_value = col("value").last().over(by_metric.clone())?;
    let last_year = col("year").last().over(by_metric.clone())?;
    let span = (last_year.clone() - first_year.clone()).cast(DataType::Float64);

    let wide = wide
        .lazy()
        .sort(["entity_key", "year"], SortMultipleOptions::default())
        .with_columns(
            prev_inputs
                .iter()
                .map(|m| before(&same_entity, col(m.as_str())).alias(prev_column(m).as_str()))
                .collect::<Vec<_>>(),
        )
        .with_columns(
            spec.indicators
                .iter()
                .map(|i| i.formula.expr().alias(i.key.as_str()))
                .chain(info.iter().filter(|m| m.kind == "structure").map(|m| {
                    let class = m.key.replacen(SHARE_PREFIX, &spec.class_prefix, 1);
                    let total = col(spec.class_share_of.as_str());
                    when(total.clone().eq(lit(0.0)))
                        .then(lit(NULL))
                        .otherwise(col(class.as_str()) / total)
                        .alias(m.key.as_str())
                }))
                .collect::<Vec<_>>(),
        )
        .collect()?;
    // Wide to long: one frame per metric, stacked. The long frame carries
    // only the entity columns the plan needs; names and labels are gathered
    // onto the result at the end, so that sorts and joins move fewer columns.
    let mut carried = vec!["level", "entity_id", "basis", "year"];
    for g in &spec.peer_groups {
        if !carried.contains(&g.as_str()) {
            carried.push(g);
        }
    }
    // Each metric's place among the keys sorted, for the output's order.
    let mut by_key: Vec<usize> = (0..info.len()).collect();
    by_key.sort_by_key(|&i| &info[i].key);
    let mut metric_order = vec![0u32; info.len()];
    for (order, &i) in (0u32..).zip(&by_key) {
        metric_order[i] = order;
    }
    // One frame per metric, stacked: rows of a metric follow the wide
    // frame's order (entity, year), so the rows of an entity's metric are
    // together and in year order, as `previous` and the windows over
    // `by_metric` need. Measures an entity does not have are no row at all;
    // indicators without a value keep their row (and get a note). Metrics
    // without amounts have them null, of the type `decimal_series` gives.
    let no_amount = lit(NULL).cast(DataType::Decimal(18, 2));
    let per_metric: Vec<LazyFrame> = info
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let mut columns: Vec<Expr> = carried.iter().map(|c| col(*c)).collect();
            columns.push(col("entity_key"));
            columns.push(col("entity_row"));
            columns.push(lit(i as u32).cast(DataType::UInt32).alias("metric_key"));
            columns.push(col(m.key.as_str()).cast(DataType::Float64).alias("value"));
            columns.push(lit(m.direction.as_str()).alias("direction"));
            let amount = amount_column(&m.key);
            columns.push(if wide.schema().contains(&amount) {
                col(amount.as_str()).alias("amount")
            } else {
                no_amount.clone().alias("amount")
            });
            let note = note_column(&m.key);
            columns.push(if wide.schema().contains(&note) {
                col(note.as_str()).alias("note")
            } else {
                lit(NULL).cast(DataType::String).alias("note")
            });
            let rows = wide.clone().lazy().select(columns);
            if m.kind == "indicator" {
                rows
            } else {
                rows.filter(col("value").is_not_null())
            }
        })
        .collect();
    let info_columns = info_frame(info)?;
    let long = concat(per_metric, UnionArgs::default())?
        .with_columns([
            previous("year").alias("prev_year"),
            previous("value").alias("prev_value"),
            previous("amount").alias("prev_amount"),
            rank_in(&cohort)?.alias("rank"),
            count_in(&cohort)?.alias("rank_of"),
            rank_in(&peers)?.alias("peer_rank"),
            count_in(&peers)?.alias("peer_count"),
            median.clone().alias("peer_median"),
            mad.clone().alias("peer_mad"),
            col("value")
                .count()
                .over(peers.clone())?
                .cast(DataType::Int64)
                .alias("peer_n"),
            when(mad.clone().gt(lit(0.0)))
                .then(lit(0.6745) * (col("value") - median) / mad)
                .otherwise(lit(NULL))
                .alias("z_score"),
            when(
                col("value")
                    .count()
                    .over(by_metric.clone())?
                    .gt_eq(lit(3))
                    .and(first_value.clone().gt(lit(0.0)))
                    .and(last_value.clone().gt(lit(0.0)))
                    .and(span.clone().gt(lit(0.0))),
            )
            .then((last_value / first_value).pow(lit(1.0) / span) - lit(1.0))
            .otherwise(lit(NULL))
            .alias("cagr"),
        ])
        .with_columns(
            spec.peer_groups
                .iter()
                .map(|g| {
                    Ok([
                        rank_in(&group(g))?.alias(format!("rank_in_{g}")),
                        count_in(&group(g))?.alias(format!("count_in_{g}")),
                    ])
                })
                .collect::<PolarsResult<Vec<_>>>()?
                .concat(),
        )
        .with_columns([
            when(col("value").is_null())
                .then(lit(NULL))
                .when(col("peer_n").lt(lit(min_peers)))
                .then(
                    lit("同类仅 ")
                        + col("peer_n").cast(DataType::String)
                        + lit(format!(" 个（少于 {min_peers} 个），不作离群判断")),
                )
                .when(col("peer_mad").eq(lit(0.0)))
                .then(lit("同类离散度为零（MAD = 0），不作离群判断"))
                .otherwise(lit(NULL))
                .alias("peer_note"),
            (col("value") - col("prev_value")).alias("change"),
            (col("amount") - col("prev_amount")).alias("change_amount"),
            when(
                col("prev_value")
                    .is_null()
                    .or(col("prev_value").eq(lit(0.0))),
            )
            .then(lit(NULL))
            .otherwise((col("value") - col("prev_value")) / col("prev_value").abs())
            .alias("change_rel"),
            when(col("prev_year").is_null())
                .then(lit("无上年数据"))
                .when(previous("basis").neq(col("basis")))
                .then(lit("口径不同：") + previous("basis") + lit(" → ") + col("basis"))
                .when(col("prev_value").is_null())
                .then(lit("上年无值"))
                .when(col("prev_value").eq(lit(0.0)))
                .then(lit("上年为零"))
                .otherwise(lit(NULL))
                .alias("change_note"),
            (previous("rank") - col("rank")).alias("rank_change"),
            when(col("rank_of").gt(lit(1)))
                .then(
                    lit(1.0)
                        - (col("rank") - lit(1)).cast(DataType::Float64)
                            / (col("rank_of") - lit(1)).cast(DataType::Float64),
                )
                .otherwise(lit(NULL))
                .alias("percentile"),
        ])
        .drop(cols(
            carried
                .iter()
                .copied()
                .filter(|c| *c != "year")
                .chain(["entity_key", "direction"])
                .collect::<Vec<_>>(),
        ))
        .collect()?;
    let entity_rows = long.column("entity_row")?.u32()?.rechunk().into_owned();
    let metric_keys = long.column("metric_key")?.u32()?.rechunk().into_owned();
    let years = long.column("year")?.i32()?.rechunk().into_owned();
    // The output's order, level, year, metric, entity_id, by integers:
    // departments first ("department" < "unit"), the metric's place among
    // the keys sorted, and the entity's row, which follows the ids within a
    // level and a year.
    let mut order: Vec<(bool, i32, u32, u32, IdxSize)> = entity_rows
        .into_no_null_iter()
        .zip(metric_keys.into_no_null_iter())
        .zip(years.into_no_null_iter())
        .zip(0 as IdxSize..)
        .map(|(((entity, metric), year), row)| {
            let unit = entities[entity as usize].level == Level::Unit;
            (unit, year, metric_order[metric as usize], entity, row)
        })
        .collect();
    order.par_sort_unstable();
    let order = IdxCa::from_vec("order".into(), order.into_iter().map(|o| o.4).collect());
    // Column by column, so that only one is ever held twice.
    let height = long.height();
    let mut columns = long.into_columns();
    for column in &mut columns {
        *column = column.take(&order)?;
    }
    let long = DataFrame::new(height, columns)?;
    // The integer keys become the index: the row of each (entity, metric).
    let mut rows = vec![NO_ROW; entities.len() * info.len()];
    let entity_rows = long.column("entity_row")?.u32()?;
    let metric_keys = long.column("metric_key")?.u32()?;
    for (row, (entity, metric)) in (0u32..).zip(
        entity_rows
            .into_no_null_iter()
            .zip(metric_keys.into_no_null_iter()),
    ) {
        rows[entity as usize * info.len() + metric as usize] = row;
    }
    let entity_columns = wide.select(ID_COLUMNS.iter().copied().filter(|c| *c != "year"))?;
    Ok(Metrics {
        info: info.to_vec(),
        columns: RowColumns::new(&long)?,
        computed: long,
        entity_columns,
        info_columns,
        rows,
        places: info
            .iter()
            .zip(0u32..)
            .map(|(m, i)| (m.key.clone(), i))
            .collect(),
    })
}

/// One row of the long frame, for lookups while writing and flagging.
#[derive(Debug, Clone, Default)]
pub struct MetricRow {
    pub value: Option<f64>,
    pub prev_year: Option<i32>,
    pub prev_value: Option<f64>,
    pub change: Option<f64>,
    pub change_rel: Option<f64>,
    pub change_note: Option<String>,
    pub note: Option<String>,
    pub rank: Option<i64>,
    pub rank_of: Option<i64>,
    pub peer_rank: Option<i64>,
    pub peer_count: Option<i64>,
    pub rank_change: Option<i64>,
    pub peer_median: Option<f64>,
    pub peer_mad: Option<f64>,
    pub peer_n: Option<i64>,
    pub z_score: Option<f64>,
    pub cagr: Option<f64>,
}
