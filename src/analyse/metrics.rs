//! Indicators, year-over-year changes, ranks and peer statistics, computed
//! by Polars lazy plans over the measures of every unit and department.
//!
//! The plans: a wide frame (one row per entity-year, one column per
//! measure) → previous-year columns → indicator columns (from the
//! formulas), collected once; then per metric, its rows of the long frame
//! (one row per entity-year-metric) → changes on the previous year present,
//! compound rate over the span, ranks overall and within peer groups,
//! robust z-scores, collected metric by metric (every window is within a
//! metric) and stacked. What follows from a row alone (notes on peers,
//! percentiles, amounts' changes) is made as metrics.parquet is written.

use anyhow::Result;
use foldhash::HashMap;
use polars::prelude::*;
use polars_arrow::array::Array;
use rayon::iter::{IndexedParallelIterator, IntoParallelRefIterator, ParallelIterator};
use rayon::slice::ParallelSliceMut;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

use super::formula::prev_column;
use super::measures::{EntityYear, Level};
use super::spec::{AnalysisSpec, Direction, Format};
use crate::pool;
use crate::spec::Catalogue;
use crate::write::cents;

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
    /// One row per entity-year-metric, a chunk per metric: what the plan
    /// computed, with the integer keys `entity_row` and `metric_key` in
    /// place of the entity's and the metric's text columns, which
    /// [`Metrics::table`] gathers a batch at a time: repeated on every row
    /// they would be half of a province's frame.
    computed: DataFrame,
    /// The rows of `computed` in the order of metrics.parquet.
    order: Vec<IdxSize>,
    /// The columns of metrics.parquet ([`written_columns`]).
    written: Vec<Expr>,
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

    /// The main 功能分类 class of the entity-year at `entity`.
    pub fn main_class(&self, entity: usize) -> Option<&str> {
        self.entity_columns
            .column("main_class")
            .ok()?
            .str()
            .ok()?
            .get(entity)
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
        let order = match year {
            None => self.order.clone(),
            Some(year) => {
                let years: Vec<i32> = self
                    .computed
                    .column("year")?
                    .i32()?
                    .into_no_null_iter()
                    .collect();
                self.order
                    .iter()
                    .copied()
                    .filter(|&row| years[row as usize] == year)
                    .collect()
            }
        };
        Ok(MetricsTable {
            metrics: self,
            order,
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
    /// Rows of [`Metrics::computed`], in order.
    order: Vec<IdxSize>,
}

impl MetricsTable<'_> {
    pub fn height(&self) -> usize {
        self.order.len()
    }

    /// Rows `offset..offset + len` with every column of metrics.parquet, in
    /// order ([`written_columns`]).
    pub fn batch(&self, offset: usize, len: usize) -> Result<DataFrame> {
        let start = offset.min(self.order.len());
        let end = offset.saturating_add(len).min(self.order.len());
        let taken = IdxCa::from_slice("row".into(), &self.order[start..end]);
        let rows = self.metrics.computed.take(&taken)?;
        let entity_rows = rows.column("entity_row")?.u32()?;
        let metric_keys = rows.column("metric_key")?.u32()?;
        let Metrics {
            entity_columns,
            info_columns,
            written,
            ..
        } = self.metrics;
        let mut columns = Vec::new();
        for held in rows.columns() {
            columns.push(if CENTS_COLUMNS.contains(&held.name().as_str()) {
                let cents = held.cast(&DataType::Int128)?;
                cents.i128()?.clone().into_decimal(18, 2)?.into_column()
            } else {
                held.clone()
            });
        }
        for entity_column in entity_columns.columns() {
            columns.push(entity_column.take(entity_rows)?);
        }
        for info_column in info_columns.columns() {
            columns.push(info_column.take(metric_keys)?);
        }
        let mut batch = DataFrame::new(rows.height(), columns)?
            .lazy()
            .select(written.clone())
            .collect()?;
        // Of one chunk per column, as a Parquet writer takes it.
        batch.rechunk_mut();
        Ok(batch)
    }

    /// Every row at once: for a sample's analysis and tests, not a province's.
    pub fn whole(&self) -> Result<DataFrame> {
        self.batch(0, self.height())
    }
}

/// The plan's columns of amounts, held as cents ([`held_cents`]) and
/// written as `DECIMAL(18, 2)`.
const CENTS_COLUMNS: [&str; 2] = ["amount", "prev_amount"];

/// No row for an entity and metric in [`Metrics::rows`].
const NO_ROW: u32 = u32::MAX;

/// The columns of the long frame a [`MetricRow`] is read from, chunk by
/// chunk (a chunk per metric): Polars' own row access walks the chunks.
struct RowColumns {
    /// The first row of each chunk, the same in every column.
    starts: Vec<usize>,
    floats: Vec<Float64Chunked>,
    ints: Vec<Int32Chunked>,
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
        let lengths: Vec<usize> = long.column("value")?.f64()?.chunk_lengths().collect();
        let starts = lengths
            .iter()
            .scan(0, |start, len| {
                let this = *start;
                *start += len;
                Some(this)
            })
            .collect();
        let text = |name: &str| -> Result<StringChunked> {
            Ok(aligned(long.column(name)?.str()?, &lengths))
        };
        Ok(RowColumns {
            starts,
            floats: ROW_FLOATS
                .iter()
                .map(|n| Ok(aligned(long.column(n)?.f64()?, &lengths)))
                .collect::<Result<_>>()?,
            ints: ROW_INTS
                .iter()
                .map(|n| Ok(aligned(long.column(n)?.i32()?, &lengths)))
                .collect::<Result<_>>()?,
            prev_year: aligned(long.column("prev_year")?.i32()?, &lengths),
            change_note: text("change_note")?,
            note: text("note")?,
        })
    }

    fn row(&self, i: usize) -> MetricRow {
        let chunk = self.starts.partition_point(|&s| s <= i).saturating_sub(1);
        let at = (chunk, i - self.starts.get(chunk).copied().unwrap_or(0));
        let f = |k: usize| value(&self.floats[k], at);
        let n = |k: usize| value(&self.ints[k], at).map(i64::from);
        let text = |column: &StringChunked| {
            let (chunk, i) = at;
            let values = column.downcast_get(chunk)?;
            (i < values.len())
                .then(|| values.get(i))
                .flatten()
                .map(str::to_string)
        };
        MetricRow {
            value: f(0),
            prev_year: value(&self.prev_year, at),
            prev_value: f(1),
            change: f(2),
            change_rel: f(3),
            change_note: text(&self.change_note),
            note: text(&self.note),
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

/// `column` in chunks of `lengths`: shares its chunks when they are those
/// already, as the plan's columns are.
fn aligned<T: PolarsDataType>(column: &ChunkedArray<T>, lengths: &[usize]) -> ChunkedArray<T> {
    if column.chunk_lengths().eq(lengths.iter().copied()) {
        column.clone()
    } else {
        column.rechunk().match_chunks(lengths.iter().copied())
    }
}

/// The value at row `i` of chunk `chunk`.
fn value<T: PolarsNumericType>(
    column: &ChunkedArray<T>,
    (chunk, i): (usize, usize),
) -> Option<T::Native> {
    let values = column.downcast_get(chunk)?;
    (i < values.len() && values.is_valid(i)).then(|| values.value(i))
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

/// The measures' columns of the wide frame, with each measure found among
/// an entity's measures by one walk over them (a look-up per measure
/// present, not a search per entity and metric): the values of every
/// measure and class, the exact amounts of those in 元, and each entity's
/// main 功能分类 class (the largest, as `208 社会保障和就业支出`).
struct MeasureColumns {
    values: Vec<Column>,
    amounts: Vec<Column>,
    main_class: Vec<Option<String>>,
}

/// No measure: a place in [`measure_columns`]' table of where each measure is.
const ABSENT: u16 = u16::MAX;

fn measure_columns(entities: &[EntityYear], info: &[MetricInfo]) -> Result<MeasureColumns> {
    let measured: Vec<&MetricInfo> = info
        .iter()
        .filter(|m| m.kind == "measure" || m.kind == "class")
        .collect();
    let slots: HashMap<&str, usize> = measured
        .iter()
        .enumerate()
        .map(|(slot, m)| (m.key.as_str(), slot))
        .collect();
    // Where each measure is among each entity's, two bytes a cell: the
    // columns are then made one at a time, so that only one is held
    // besides the frame's own (a province has ≈ 70,000 entity-years).
    let n = entities.len();
    let mut places = vec![ABSENT; measured.len() * n];
    let mut main_class = Vec::with_capacity(n);
    for (row, e) in entities.iter().enumerate() {
        let mut largest: Option<(Decimal, &MetricInfo)> = None;
        // In key order: of equal classes the first (lowest code) stays.
        for (place, (key, value)) in e.measures.entries().enumerate() {
            let Some(&slot) = slots.get(key) else {
                continue;
            };
            places[slot * n + row] = u16::try_from(place)
                .ok()
                .filter(|&p| p != ABSENT)
                .ok_or_else(|| anyhow::anyhow!("{} has more than 65,534 measures", e.id))?;
            let m = measured[slot];
            if m.kind == "class" && largest.is_none_or(|(v, _)| value > v) {
                largest = Some((value, m));
            }
        }
        main_class.push(largest.map(|(_, m)| m.label.clone()));
    }
    let mut values = Vec::with_capacity(measured.len());
    let mut amounts = Vec::new();
    for (slot, m) in measured.iter().enumerate() {
        let places = &places[slot * n..(slot + 1) * n];
        let found = || {
            entities
                .iter()
                .zip(places)
                .map(|(e, &place)| (place != ABSENT).then(|| e.measures.value_at(place.into())))
        };
        let floats: Vec<Option<f64>> = found().map(|v| v.map(|v| to_f64(&v))).collect();
        values.push(Column::new(m.key.as_str().into(), floats));
        if m.unit == "元" {
            let cents = found()
                .map(|v| v.map(held_cents).transpose())
                .collect::<Result<Vec<Option<i64>>>>()?;
            amounts.push(Column::new(amount_column(&m.key).into(), cents));
        }
    }
    Ok(MeasureColumns {
        values,
        amounts,
        main_class,
    })
}

fn wide_frame(
    entities: &[EntityYear],
    measured: MeasureColumns,
) -> Result<(DataFrame, Vec<Column>)> {
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
        Column::new("main_class".into(), measured.main_class),
        text("basis", &|e| Some(e.basis.clone())),
        Column::new(
            "year".into(),
            entities.iter().map(|e| e.year).collect::<Vec<i32>>(),
        ),
    ];
    columns.extend(measured.values);
    Ok((DataFrame::new(entities.len(), columns)?, measured.amounts))
}

pub fn to_f64(d: &Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    d.to_f64().unwrap_or(f64::NAN)
}

/// An amount in cents as the plan holds it: 64 bits hold every amount of
/// metrics.parquet's `DECIMAL(18, 2)` in half the memory of Polars'
/// 128-bit decimals.
fn held_cents(amount: Decimal) -> Result<i64> {
    i64::try_from(cents(amount)).map_err(|_| anyhow::anyhow!("amount {amount} is beyond 18 digits"))
}

/// Name of the wide frame's column of a money measure's exact amounts.
fn amount_column(metric: &str) -> String {
    format!("amount {metric}")
}

/// Name of the wide frame's column of why an indicator has no value.
fn note_column(metric: &str) -> String {
    format!("note {metric}")
}

/// Why each indicator has no value (`notes[indicator][entity]`, indicators
/// in the spec's order), a column per indicator, for the wide frame.
fn note_columns(spec: &AnalysisSpec, notes: Vec<Vec<Option<String>>>) -> Vec<Column> {
    spec.indicators
        .iter()
        .zip(notes)
        .map(|(indicator, notes)| Column::new(note_column(&indicator.key).into(), notes))
        .collect()
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

/// Builds and runs the plan.
pub fn compute(
    entities: &[EntityYear],
    info: &[MetricInfo],
    spec: &AnalysisSpec,
) -> Result<Metrics> {
    let (mut wide, amounts) = wide_frame(entities, measure_columns(entities, info)?)?;
    wide.hstack_mut(&amounts)?;
    let prev_inputs: BTreeSet<String> = spec
        .indicators
        .iter()
        .flat_map(|i| i.formula.inputs())
        .filter(|(_, prev)| *prev)
        .map(|(m, _)| m)
        .collect();

    // Each metric's rows are computed by a plan of their own (below), so
    // every window is within one metric: the groups are the entity's rows
    // (`entity_key`) and the cohorts and peer groups of a level and a year,
    // each keyed by one integer column of the wide frame (`group_key`):
    // windows over several columns, texts among them, encode every row's
    // keys before grouping them.
    let by_entity = [col("entity_key")];
    let cohort = [col(COHORT_KEY)];
    let peers = [col(peer_key_column(&spec.peer_groups[0]).as_str())];
    // The row before, when it is the same entity (wide frame, sorted by
    // entity and year; a metric's rows keep that order): a shift with a
    // mask, not a window.
    let same_entity = col("entity_key").eq(col("entity_key").shift(lit(1)));
    let before = |same: &Expr, value: Expr| {
        when(same.clone())
            .then(value.shift(lit(1)))
            .otherwise(lit(NULL))
    };
    let previous = |name: &str| before(&same_entity, col(name));
    // The smallest group an outlier flag judges (none configured: no minimum).
    let min_peers = spec
        .flags
        .iter()
        .filter_map(|f| f.min_peers)
        .min()
        .unwrap_or(0) as i64;
    // Ranks follow the metric's direction, known when its plan is made; a
    // metric without one, and a row without a value, has none.
    let rank_in = |group: &[Expr], direction: Direction| -> PolarsResult<Expr> {
        let descending = match direction {
            Direction::Higher => true,
            Direction::Lower => false,
            Direction::None => return Ok(lit(NULL).cast(DataType::Int32)),
        };
        let options = RankOptions {
            method: RankMethod::Min,
            descending,
        };
        Ok(when(col("value").is_not_null())
            .then(col("value").rank(options, None).over(group)?)
            .otherwise(lit(NULL))
            .cast(DataType::Int32))
    };
    let count_in = |group: &[Expr], direction: Direction| -> PolarsResult<Expr> {
        if direction == Direction::None {
            return Ok(lit(NULL).cast(DataType::Int32));
        }
        Ok(when(col("value").is_not_null())
            .then(col("value").count().over(group)?)
            .otherwise(lit(NULL))
            .cast(DataType::Int32))
    };
    let median = col("value").median().over(peers.clone())?;
    let mad = (col("value") - median.clone())
        .abs()
        .median()
        .over(peers.clone())?;
    let first_value = col("value").first().over(by_entity.clone())?;
    let first_year = col("year").first().over(by_entity.clone())?;
    let last_value = col("value").last().over(by_entity.clone())?;
    let last_year = col("year").last().over(by_entity.clone())?;
    let span = (last_year.clone() - first_year.clone()).cast(DataType::Float64);

    // The wide frame is in entity and year order already (`wide_frame`).
    let mut wide = wide
        .lazy()
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
    // Why an indicator has no value, worked out only where it has none.
    let computed = spec
        .indicators
        .iter()
        .map(|i| Ok(wide.column(&i.key)?.f64()?.clone()))
        .collect::<PolarsResult<Vec<_>>>()?;
    let notes = super::indicator_notes(entities, spec, |indicator, entity| {
        computed[indicator].get(entity).is_some()
    });
    wide.hstack_mut(&note_columns(spec, notes))?;
    wide.hstack_mut(&group_keys(&wide, &spec.peer_groups)?)?;
    // Wide to long: one frame per metric, stacked. The long frame carries
    // only the entity columns its windows and notes need; names and labels
    // are gathered a batch at a time as metrics.parquet is written.
    let mut carried = vec!["basis", "year", "entity_key", COHORT_KEY];
    let peer_keys: Vec<String> = spec
        .peer_groups
        .iter()
        .map(|g| peer_key_column(g))
        .collect();
    carried.extend(peer_keys.iter().map(String::as_str));
    // Each metric's place among the keys sorted, for the output's order.
    let mut by_key: Vec<usize> = (0..info.len()).collect();
    by_key.sort_by_key(|&i| &info[i].key);
    let mut metric_order = vec![0u32; info.len()];
    for (order, &i) in (0u32..).zip(&by_key) {
        metric_order[i] = order;
    }
    // Every window is within one metric, so each metric's rows are
    // computed by a plan of their own: one
    // metric's intermediate columns are held at a time, not those of every
    // row of a province (≈ 0.5 GiB at 60,000 workbooks). Each metric's
    // frame is made one chunk and the frames stacked, so that every column
    // has a chunk per metric and a row is at the same place in each.
    let windows = |rows: LazyFrame, direction: Direction| -> PolarsResult<LazyFrame> {
        Ok(rows
            .with_columns([
                previous("year").alias("prev_year"),
                previous("value").alias("prev_value"),
                previous("amount").alias("prev_amount"),
                rank_in(&cohort, direction)?.alias("rank"),
                count_in(&cohort, direction)?.alias("rank_of"),
                rank_in(&peers, direction)?.alias("peer_rank"),
                count_in(&peers, direction)?.alias("peer_count"),
                median.clone().alias("peer_median"),
                mad.clone().alias("peer_mad"),
                col("value")
                    .count()
                    .over(peers.clone())?
                    .cast(DataType::Int32)
                    .alias("peer_n"),
                when(mad.clone().gt(lit(0.0)))
                    .then(lit(0.6745) * (col("value") - median.clone()) / mad.clone())
                    .otherwise(lit(NULL))
                    .alias("z_score"),
                when(
                    col("value")
                        .count()
                        .over(by_entity.clone())?
                        .gt_eq(lit(3))
                        .and(first_value.clone().gt(lit(0.0)))
                        .and(last_value.clone().gt(lit(0.0)))
                        .and(span.clone().gt(lit(0.0))),
                )
                .then(
                    (last_value.clone() / first_value.clone()).pow(lit(1.0) / span.clone())
                        - lit(1.0),
                )
                .otherwise(lit(NULL))
                .alias("cagr"),
            ])
            .with_columns(
                spec.peer_groups
                    .iter()
                    .zip(&peer_keys)
                    .map(|(g, key)| {
                        let group = [col(key.as_str())];
                        Ok([
                            rank_in(&group, direction)?.alias(rank_in_column(g)),
                            count_in(&group, direction)?.alias(count_in_column(g)),
                        ])
                    })
                    .collect::<PolarsResult<Vec<_>>>()?
                    .concat(),
            )
            .with_columns([
                (col("value") - col("prev_value")).alias("change"),
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
            ])
            .drop(cols(
                carried
                    .iter()
                    .copied()
                    .filter(|c| *c != "year")
                    .collect::<Vec<_>>(),
            )))
    };
    // One frame per metric, stacked: rows of a metric follow the wide
    // frame's order (entity, year), so the rows of an entity's metric are
    // together and in year order, as `previous` and the windows over
    // `by_entity` need. Measures an entity does not have are no row at all;
    // indicators without a value keep their row (and get a note). Metrics
    // without amounts have them null. The metrics' plans are collected in
    // parallel: each is small (a metric's rows), so Polars alone keeps one
    // core busy; the frames come back in the metrics' order.
    let no_amount = lit(NULL).cast(DataType::Int64);
    let per_metric: Vec<DataFrame> = pool::install(|| {
        info.par_iter()
            .enumerate()
            .map(|(i, m)| {
                let mut columns: Vec<Expr> = carried.iter().map(|c| col(*c)).collect();
                columns.push(col("entity_row"));
                columns.push(lit(i as u32).cast(DataType::UInt32).alias("metric_key"));
                columns.push(col(m.key.as_str()).cast(DataType::Float64).alias("value"));
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
                let rows = if m.kind == "indicator" {
                    rows
                } else {
                    rows.filter(col("value").is_not_null())
                };
                let mut computed = windows(rows, m.direction)?.collect()?;
                computed.rechunk_mut();
                Ok(computed)
            })
            .collect::<PolarsResult<_>>()
    })?;
    let info_columns = info_frame(info)?;
    let written = written_columns(spec, min_peers);
    let mut parts = per_metric.into_iter();
    let mut long = parts
        .next()
        .ok_or_else(|| anyhow::anyhow!("the specs define no metric"))?;
    for part in parts {
        long.vstack_mut(&part)?;
    }
    let entity_rows = long.column("entity_row")?.u32()?;
    let metric_keys = long.column("metric_key")?.u32()?;
    let years = long.column("year")?.i32()?;
    // The output's order, level, year, metric, entity_id, by integers:
    // departments first ("department" < "unit"), the metric's place among
    // the keys sorted, and the entity's row, which follows the ids within a
    // level and a year. The frame stays as computed (a chunk per metric):
    // rows are taken in this order a batch at a time as they are written,
    // never the whole frame at once.
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
    pool::install(|| order.par_sort_unstable());
    let order = order.into_iter().map(|o| o.4).collect();
    // The integer keys become the index: the row of each (entity, metric).
    let mut rows = vec![NO_ROW; entities.len() * info.len()];
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
        order,
        written,
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

/// The columns of metrics.parquet, in order, from what the plan computed
/// with the entity's and the metric's columns gathered beside it, amounts
/// as decimals. What follows from a row alone is made here, a batch at a
/// time, rather than held for every row of a province.
fn written_columns(spec: &AnalysisSpec, min_peers: i64) -> Vec<Expr> {
    // Held in 32 bits, written in 64 as metrics.parquet has them.
    let count = |name: &str| col(name).cast(DataType::Int64);
    let mut written: Vec<Expr> = ID_COLUMNS
        .iter()
        .chain(&[
            "metric",
            "value",
            "label",
            "kind",
            "unit",
            "direction",
            "theme",
            "amount",
            "note",
            "prev_year",
            "prev_value",
            "prev_amount",
        ])
        .map(|c| col(*c))
        .collect();
    written.extend(["rank", "rank_of", "peer_rank", "peer_count"].map(count));
    written.extend(["peer_median", "peer_mad"].map(col));
    written.push(count("peer_n"));
    written.extend(["z_score", "cagr"].map(col));
    for g in &spec.peer_groups {
        written.push(count(&rank_in_column(g)));
        written.push(count(&count_in_column(g)));
    }
    written.extend([
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
        col("change"),
        (col("amount") - col("prev_amount")).alias("change_amount"),
        col("change_rel"),
        col("change_note"),
        count("rank_change"),
        when(col("rank_of").gt(lit(1)))
            .then(
                lit(1.0)
                    - (col("rank") - lit(1)).cast(DataType::Float64)
                        / (col("rank_of") - lit(1)).cast(DataType::Float64),
            )
            .otherwise(lit(NULL))
            .alias("percentile"),
    ]);
    written
}

/// The column keying the cohorts of the wide frame: a level and a year.
const COHORT_KEY: &str = "cohort_key";

/// The column keying the peer groups of `attribute` in the wide frame.
fn peer_key_column(attribute: &str) -> String {
    format!("peer_key_{attribute}")
}

/// A group of entity-years: level, year and (for peers) the attribute.
type GroupOf<'a> = (Option<&'a str>, Option<i32>, Option<&'a str>);

/// The cohort and peer group keys of each entity-year of `wide`: numbers
/// of the distinct (level, year) and (level, year, attribute) it has, a
/// missing attribute making a group of its own as it does in a window
/// over the texts.
fn group_keys(wide: &DataFrame, peer_groups: &[String]) -> Result<Vec<Column>> {
    let levels = wide.column("level")?.str()?;
    let years = wide.column("year")?.i32()?;
    let dense = |attribute: Option<&StringChunked>| -> Vec<u32> {
        let mut keys: HashMap<GroupOf, u32> = HashMap::default();
        (0..wide.height())
            .map(|i| {
                let key = (
                    levels.get(i),
                    years.get(i),
                    attribute.and_then(|a| a.get(i)),
                );
                let next = keys.len() as u32;
                *keys.entry(key).or_insert(next)
            })
            .collect()
    };
    let mut columns = vec![Column::new(COHORT_KEY.into(), dense(None))];
    for g in peer_groups {
        let attribute = wide.column(g)?.str()?;
        columns.push(Column::new(
            peer_key_column(g).into(),
            dense(Some(attribute)),
        ));
    }
    Ok(columns)
}

/// The column of ranks within the peer group of `attribute`.
fn rank_in_column(attribute: &str) -> String {
    format!("rank_in_{attribute}")
}

/// The column of the size of the peer group of `attribute`.
fn count_in_column(attribute: &str) -> String {
    format!("count_in_{attribute}")
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
