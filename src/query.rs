//! The analyst's SQL: every `.sql` file in `queries/` (and any folder given
//! with `--queries`) runs through Polars SQL over the Parquet outputs of a
//! run, registered as tables `facts`, `units`, `measures`, `metrics`,
//! `flags`, `findings` and `scores`. A header comment names the sheet the
//! result becomes in `league_tables.xlsx`:
//!
//! ```sql
//! -- title: 三公经费增长最快的部门
//! -- sheet: 三公增长
//! -- order: 10
//! SELECT …
//! ```
//!
//! Queries are kept to standard SQL so that DuckDB runs them too.

use anyhow::{Context, Result, bail};
use polars::prelude::{
    DataFrame, DataType, Field, HiveOptions, LazyFrame, PlRefPath, ScanArgsParquet, Schema, col,
    lit,
};
use polars::sql::SQLContext;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::write::Layout;

/// The queries shipped with juesuan (`queries/` of the repository).
pub const BUILT_IN: &[(&str, &str)] = &[
    (
        "sangong_growth.sql",
        include_str!("../queries/sangong_growth.sql"),
    ),
    (
        "budget_execution.sql",
        include_str!("../queries/budget_execution.sql"),
    ),
    ("carryover.sql", include_str!("../queries/carryover.sql")),
    (
        "public_cost_per_capita.sql",
        include_str!("../queries/public_cost_per_capita.sql"),
    ),
    (
        "functional_shift.sql",
        include_str!("../queries/functional_shift.sql"),
    ),
];

/// The tables a query can use, each a Parquet file of a run's output folder.
pub const TABLES: [&str; 8] = [
    "facts", "units", "measures", "metrics", "flags", "findings", "scores", "roster",
];

#[derive(Debug, Clone)]
pub struct Query {
    /// Where it came from (a path, or `(built-in) name`).
    pub origin: String,
    pub title: String,
    pub sheet: String,
    pub order: i64,
    pub sql: String,
}

impl Query {
    /// Reads the `-- key: value` header lines of a query.
    pub fn parse(origin: &str, text: &str) -> Result<Query> {
        let stem = Path::new(origin)
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_else(|| origin.to_string());
        let mut query = Query {
            origin: origin.to_string(),
            title: stem.clone(),
            sheet: stem,
            order: 100,
            sql: text.to_string(),
        };
        for line in text.lines().map(str::trim) {
            let Some(comment) = line.strip_prefix("--") else {
                if line.is_empty() {
                    continue;
                }
                break;
            };
            let Some((key, value)) = comment.split_once(':') else {
                continue;
            };
            let value = value.trim().to_string();
            match key.trim() {
                "title" => query.title = value,
                "sheet" => query.sheet = value,
                "order" => {
                    query.order = value
                        .parse()
                        .with_context(|| format!("{origin}: order {value:?} is not a number"))?
                }
                _ => {}
            }
        }
        if query.sheet.chars().count() > 31 {
            bail!(
                "{origin}: sheet name {:?} is longer than Excel's 31 characters",
                query.sheet
            );
        }
        Ok(query)
    }
}

/// The built-in queries, then every `.sql` file in `dirs` (a file named like
/// a built-in one replaces it), by `order` then sheet name.
pub fn load(dirs: &[PathBuf]) -> Result<Vec<Query>> {
    let mut queries = BUILT_IN
        .iter()
        .map(|(name, text)| Query::parse(&format!("(built-in) {name}"), text))
        .collect::<Result<Vec<_>>>()?;
    for dir in dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .with_context(|| format!("reading query folder {}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "sql"))
            .collect();
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            // A file named like a built-in query replaces it.
            let name = path.file_name().map(|n| n.to_string_lossy().to_string());
            if let Some(name) = name {
                queries.retain(|q| q.origin != format!("(built-in) {name}"));
            }
            queries.push(Query::parse(&path.display().to_string(), &text)?);
        }
    }
    queries.sort_by(|a, b| (a.order, &a.sheet).cmp(&(b.order, &b.sheet)));
    Ok(queries)
}

/// A SQL context with every table of a run's output folder registered.
pub fn context(data: &Path) -> Result<SQLContext> {
    let ctx = SQLContext::new();
    for table in TABLES {
        if table == "measures" {
            continue;
        }
        let Some(scan) = scan_table(data, table)? else {
            continue;
        };
        if table == "metrics" {
            ctx.register(
                "measures",
                scan.clone().filter(
                    col("kind")
                        .eq(lit("measure"))
                        .or(col("kind").eq(lit("class"))),
                ),
            );
        }
        ctx.register(table, scan);
    }
    Ok(ctx)
}

/// A table of a run's output folder, in either layout: `facts.parquet`, or
/// Hive-style folders by year (`facts/year=2023/…`) with the year taken
/// from the folder names. `None` when the run did not write it.
pub fn scan_table(data: &Path, table: &str) -> Result<Option<LazyFrame>> {
    let file = Layout::Single.path(data, table);
    let folder = Layout::ByYear.path(data, table);
    let (source, args) = if file.is_file() {
        (file, ScanArgsParquet::default())
    } else if folder.is_dir() {
        let hive = HiveOptions {
            schema: Some(Arc::new(Schema::from_iter([Field::new(
                "year".into(),
                DataType::Int32,
            )]))),
            ..HiveOptions::new_enabled()
        };
        let args = ScanArgsParquet {
            hive_options: hive,
            ..ScanArgsParquet::default()
        };
        (folder.join("*/*.parquet"), args)
    } else {
        return Ok(None);
    };
    let scan = LazyFrame::scan_parquet(PlRefPath::new(source.to_string_lossy().as_ref()), args)
        .with_context(|| format!("reading {}", source.display()))?;
    Ok(Some(scan))
}

/// Runs one query over the tables of `ctx`.
pub fn run(ctx: &mut SQLContext, query: &Query) -> Result<DataFrame> {
    ctx.execute(&query.sql)
        .and_then(|lf| lf.collect())
        .with_context(|| format!("running {} ({})", query.title, query.origin))
}
