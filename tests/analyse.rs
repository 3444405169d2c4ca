//! The analyse stage on the committed sample: every planted anomaly is
//! flagged with the right flag; flags on clean units stay under a stated
//! bound; the seed department's 三公 growth and indicators match figures
//! computed by hand; `juesuan run` writes a workbook whose ranks follow the
//! values and whose highlighted rows are the flagged ones.
use juesuan::analyse::measures::{Level, Measurer};
use juesuan::analyse::spec::AnalysisSpec;
use juesuan::analyse::{Analysis, analyse};
use juesuan::ingest::batch::ingest;
use juesuan::spec::Catalogue;
use juesuan::validate::check;
use polars::prelude::{
    ChunkedArray, DataFrame, Float64Type, Int32Type, Int64Type, PolarsPhysicalType, StringType,
};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn sample_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data")
}

fn analysed() -> &'static Analysis {
    static ANALYSIS: OnceLock<Analysis> = OnceLock::new();
    ANALYSIS.get_or_init(|| {
        let catalogue = Catalogue::builtin().expect("specs");
        let spec = AnalysisSpec::load(None, &catalogue).expect("analysis specs");
        let batch = ingest(&[sample_root()], &catalogue, false);
        let checked = check(&batch.workbooks, &catalogue);
        let measurer = Measurer::new(&spec, &catalogue);
        let measured = batch
            .workbooks
            .iter()
            .map(|w| measurer.measure(w))
            .collect();
        analyse(
            &batch.workbooks,
            measured,
            Vec::new(),
            &checked.findings,
            &spec,
            &catalogue,
        )
        .expect("analyse")
    })
}

/// The sample analysed with the workbook of `file` replaced by `changed`
/// (and no findings).
fn analysed_with(
    batch: &juesuan::ingest::batch::Batch,
    file: &str,
    changed: juesuan::ingest::batch::WorkbookFacts,
    spec: &AnalysisSpec,
    catalogue: &Catalogue,
) -> Analysis {
    let changed = std::sync::Arc::new(changed);
    let workbooks: Vec<_> = batch
        .workbooks
        .iter()
        .map(|w| {
            if &*w.file == file {
                changed.clone()
            } else {
                w.clone()
            }
        })
        .collect();
    let measurer = Measurer::new(spec, catalogue);
    let measured = workbooks.iter().map(|w| measurer.measure(w)).collect();
    analyse(&workbooks, measured, Vec::new(), &[], spec, catalogue).expect("analyse")
}

/// metrics.parquet's rows, all at once.
fn metrics_table(analysis: &Analysis) -> DataFrame {
    let table = analysis.metrics.table(None).expect("metrics table");
    table.whole().expect("every row")
}

/// Column `name` of `frame` as its Polars type.
fn column<T: PolarsPhysicalType>(frame: &DataFrame, name: &str) -> ChunkedArray<T> {
    let series = frame.column(name).expect(name).as_materialized_series();
    series.unpack::<T>().expect(name).clone()
}

/// (kind, code, year, unit_code) rows of truth.csv.
fn truth() -> Vec<(String, String, i32, String)> {
    let text = std::fs::read_to_string(sample_root().join("truth.csv")).expect("truth.csv");
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    reader
        .records()
        .map(|r| {
            let r = r.expect("row");
            (
                r[0].to_string(),
                r[1].to_string(),
                r[2].parse().expect("year"),
                r[3].to_string(),
            )
        })
        .collect()
}

#[test]
fn every_planted_anomaly_is_flagged_and_clean_units_stay_quiet() {
    let analysis = analysed();
    let truth = truth();
    let unit_flags: BTreeSet<(&str, i32, &str)> = analysis
        .flags
        .iter()
        .filter(|f| f.level == Level::Unit)
        .map(|f| (f.flag.as_str(), f.year, f.entity_id.as_str()))
        .collect();
    let anomalies: Vec<_> = truth.iter().filter(|t| t.0 == "anomaly").collect();
    assert_eq!(anomalies.len(), 7);
    for (_, code, year, unit) in &anomalies {
        assert!(
            unit_flags.contains(&(code.as_str(), *year, unit.as_str())),
            "planted {code} {year} {unit} is not flagged"
        );
    }
    // Units planted clean: neither an anomaly nor a consistency error planted.
    let planted: BTreeSet<(i32, &str)> = truth.iter().map(|t| (t.2, t.3.as_str())).collect();
    let on_clean: Vec<String> = analysis
        .flags
        .iter()
        .filter(|f| f.level == Level::Unit && !planted.contains(&(f.year, f.entity_id.as_str())))
        .map(|f| format!("{} {} {}: {}", f.flag, f.year, f.entity_name, f.reason))
        .collect();
    eprintln!(
        "{} flags on units planted clean:\n{}",
        on_clean.len(),
        on_clean.join("\n")
    );
    // 158 unit-years; peer outliers (|z| > 3.5 on per-capita costs) and small
    // year-on-year rises in 三公 are real properties of the generated data.
    assert!(
        on_clean.len() <= 40,
        "{} flags on clean units",
        on_clean.len()
    );
}

#[test]
fn the_seed_department_is_flagged_for_sangong_growth_with_its_indicators_by_hand() {
    let analysis = analysed();
    let (seed_at, seed) = analysis
        .entities
        .iter()
        .enumerate()
        .find(|(_, e)| {
            e.level == Level::Department && e.year == 2023 && e.name == "攀枝花市城市管理行政执法局"
        })
        .expect("攀枝花 2023 department");
    let flags: Vec<_> = analysis
        .flags
        .iter()
        .filter(|f| f.level == Level::Department && f.entity_id == seed.id && f.year == 2023)
        .collect();
    let growth = flags
        .iter()
        .find(|f| f.flag == "sangong_increase")
        .expect("三公 growth flagged");
    assert!(
        growth.reason.contains("61.62 万元") && growth.reason.contains("29.40 万元"),
        "{}",
        growth.reason
    );
    assert!(growth.reason.contains("+109.59%"), "{}", growth.reason);
    assert!(!growth.cells.is_empty());
    let reception = flags
        .iter()
        .find(|f| f.flag == "sangong_item_increase" && f.metric == "reception_actual")
        .expect("公务接待费 growth flagged");
    assert!(
        reception.reason.contains("+110.84%"),
        "{}",
        reception.reason
    );

    // Indicators, by hand from the published figures (元).
    let value = |metric: &str| {
        analysis
            .metrics
            .row(seed_at, metric)
            .and_then(|r| r.value)
            .unwrap_or_else(|| panic!("{metric} has no value"))
    };
    let close = |metric: &str, expected: f64| {
        let v = value(metric);
        assert!((v - expected).abs() < 1e-9, "{metric}: {v} vs {expected}");
    };
    close("sangong_change", (616_200.0 - 294_000.0) / 294_000.0);
    close("sangong_control", 616_200.0 / 616_200.0);
    close("staff_control", 282.0 / 282.0);
    close("basic_share", 78_032_520.0 / 89_299_460.0);
    close("project_share", 11_266_940.0 / 89_299_460.0);
    close("personnel_share", 74_118_720.0 / 78_032_520.0);
    close("public_share", 3_913_800.0 / 78_032_520.0);
    close("admin_cost_per_capita", 1_167_100.0 / 282.0);
    close("sangong_per_capita", 616_200.0 / 282.0);
    close("carryover_rate", 0.0);
    close("budget_execution", 1.0);
    // Amounts against counts (机构运行信息表: 30 vehicles, 9 receptions of 53).
    close("vehicle_operation_per_vehicle", 598_700.0 / 30.0);
    close("reception_per_batch", 17_500.0 / 9.0);
    close("reception_per_person", 17_500.0 / 53.0);
    // No groups abroad: no cost per group, with the reason.
    let abroad = analysis
        .metrics
        .row(seed_at, "abroad_per_group")
        .expect("abroad_per_group row");
    assert_eq!(abroad.value, None);
    // No procurement at all: the share has no value, with the reason.
    let sme = analysis
        .metrics
        .row(seed_at, "sme_share")
        .expect("sme_share row");
    assert_eq!(sme.value, None);
    assert!(
        sme.note
            .as_deref()
            .is_some_and(|n| n.starts_with("分母为零")),
        "{:?}",
        sme.note
    );
}

#[test]
fn indicators_computed_by_polars_equal_the_formulas_evaluated_directly() {
    let analysis = analysed();
    let catalogue = Catalogue::builtin().expect("specs");
    let spec = AnalysisSpec::load(None, &catalogue).expect("specs");
    let mut compared = 0;
    for (i, e) in analysis.entities.iter().enumerate() {
        let prev = juesuan::analyse::previous(&analysis.entities, i);
        for ind in &spec.indicators {
            let expected = ind.formula.eval(&|m, is_prev| {
                let source = if is_prev { prev? } else { e };
                source
                    .measures
                    .get(m)
                    .map(juesuan::analyse::metrics::to_f64)
            });
            let key = (
                e.level.as_str().to_string(),
                e.id.clone(),
                e.year,
                ind.key.clone(),
            );
            let row = analysis.metrics.row(i, &ind.key);
            let got = row.as_ref().and_then(|r| r.value);
            // A note says why there is no value, and only then.
            let noted = row.as_ref().is_some_and(|r| r.note.is_some());
            assert_eq!(noted, got.is_none(), "{key:?}: value {got:?}");
            match (expected, got) {
                (Some(a), Some(b)) => assert!(
                    (a - b).abs() <= 1e-12 * a.abs().max(1.0),
                    "{key:?}: {a} vs {b}"
                ),
                (None, None) => {}
                _ => panic!("{key:?}: expected {expected:?}, polars {got:?}"),
            }
            compared += 1;
        }
    }
    assert!(compared > 3000, "{compared}");
}

#[test]
fn run_writes_a_workbook_whose_ranks_follow_the_values_and_flags() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args([
            "run",
            sample_root().to_str().expect("path"),
            "--out",
            out.to_str().expect("path"),
            "-q",
        ])
        .status()
        .expect("run juesuan");
    assert_eq!(status.code(), Some(0));
    for file in [
        "facts.parquet",
        "findings.parquet",
        "metrics.parquet",
        "flags.parquet",
        "league_tables.xlsx",
    ] {
        assert!(out.join(file).exists(), "{file}");
    }
    let mut book: Xlsx<_> = open_workbook(out.join("league_tables.xlsx")).expect("open workbook");
    let number = |d: Option<&Data>| match d {
        Some(Data::Float(f)) => Some(*f),
        Some(Data::Int(i)) => Some(*i as f64),
        _ => None,
    };
    let names = book.sheet_names();
    assert_eq!(
        names,
        [
            "总览",
            "预算执行",
            "结转结余",
            "三公经费",
            "人员与经费",
            "单位成本",
            "同比",
            "异常标记",
            "勾稽校验",
            "说明核对",
            "绩效评分",
            "数字特征",
            // The shipped queries, in their `order`.
            "三公增长",
            "预算完成率",
            "结转结余率",
            "人均公用经费",
            "功能结构变化",
        ]
    );
    // A query sheet: title, then 排名 and the query's columns, rows in its order.
    let growth = book.worksheet_range("三公增长").expect("三公增长");
    assert!(
        growth
            .get((0, 0))
            .is_some_and(|d| d.to_string().starts_with("三公经费增长"))
    );
    assert_eq!(
        growth.get((1, 0)).map(|d| d.to_string()).as_deref(),
        Some("排名")
    );
    assert!(growth.height() > 20);
    for r in 2..growth.height() {
        assert_eq!(number(growth.get((r, 0))), Some((r - 1) as f64));
    }

    let sheet = book.worksheet_range("三公经费").expect("三公经费");
    let header: Vec<String> = (0..sheet.width())
        .map(|c| sheet.get((1, c)).map(|d| d.to_string()).unwrap_or_default())
        .collect();
    assert_eq!(
        &header[..5],
        [
            "年度",
            "部门",
            "单位性质",
            "主要功能分类",
            "本年支出合计（万元）"
        ]
    );
    let at = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name} in {header:?}"))
    };
    let (value_col, rank_col, flag_col) =
        (at("三公经费变动率"), at("三公经费变动率 排名"), at("标记"));
    // Lower is better: within a year, a better rank never has a higher value.
    let mut by_year: std::collections::BTreeMap<i64, Vec<(f64, f64)>> = Default::default();
    let mut flagged_rows: BTreeSet<(i64, String)> = BTreeSet::new();
    for r in 2..sheet.height() {
        let year = number(sheet.get((r, 0))).expect("year") as i64;
        let name = sheet.get((r, 1)).map(|d| d.to_string()).unwrap_or_default();
        if let (Some(v), Some(rank)) = (
            number(sheet.get((r, value_col))),
            number(sheet.get((r, rank_col))),
        ) {
            by_year.entry(year).or_default().push((rank, v));
        }
        if sheet
            .get((r, flag_col))
            .is_some_and(|d| !d.to_string().is_empty())
        {
            flagged_rows.insert((year, name));
        }
    }
    assert!(by_year.values().map(Vec::len).sum::<usize>() > 20);
    for (year, mut ranked) in by_year {
        ranked.sort_by(|a, b| a.0.total_cmp(&b.0));
        assert_eq!(ranked[0].0, 1.0, "{year}: ranks start at 1");
        for w in ranked.windows(2) {
            assert!(
                w[0].1 <= w[1].1,
                "{year}: rank {} has {} but rank {} has {}",
                w[0].0,
                w[0].1,
                w[1].0,
                w[1].1
            );
        }
    }

    // The highlighted (标记) rows are the department-years in flags.parquet.
    use polars::prelude::*;
    let flags = ParquetReader::new(std::fs::File::open(out.join("flags.parquet")).expect("flags"))
        .finish()
        .expect("read flags");
    let flags = flags
        .lazy()
        .filter(col("level").eq(lit("department")))
        .select([col("year"), col("entity_name")])
        .unique(None, UniqueKeepStrategy::First)
        .collect()
        .expect("collect");
    let years = column::<Int32Type>(&flags, "year");
    let names = column::<StringType>(&flags, "entity_name");
    let expected: BTreeSet<(i64, String)> = (0..flags.height())
        .map(|i| {
            (
                i64::from(years.get(i).expect("year")),
                names.get(i).expect("name").to_string(),
            )
        })
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(flagged_rows, expected);
}

#[test]
fn query_runs_a_sql_file_against_a_previous_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let bin = env!("CARGO_BIN_EXE_juesuan");
    let status = std::process::Command::new(bin)
        .args([
            "run",
            sample_root().join("seeds").to_str().expect("path"),
            "--out",
            out.to_str().expect("path"),
            "-q",
        ])
        .status()
        .expect("run");
    assert_eq!(status.code(), Some(0));
    let sql = dir.path().join("sangong.sql");
    std::fs::write(
        &sql,
        "-- title: 三公\nSELECT entity_name, year, value FROM metrics \
         WHERE level = 'department' AND metric = 'sangong_actual' ORDER BY year",
    )
    .expect("write sql");
    let output = std::process::Command::new(bin)
        .args([
            "query",
            sql.to_str().expect("path"),
            "--data",
            out.to_str().expect("path"),
        ])
        .output()
        .expect("query");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let csv = String::from_utf8(output.stdout).expect("utf-8");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "entity_name,year,value");
    assert!(
        lines.contains(&"攀枝花市城市管理行政执法局,2023,616200"),
        "{csv}"
    );
    assert!(
        lines.contains(&"攀枝花市城市管理行政执法局,2022,294000"),
        "{csv}"
    );
}

/// The workbook is built while the queries run and waits for their answers:
/// a query that fails must stop the run with its error, not leave the
/// workbook waiting, and no workbook is written without its query sheets.
#[test]
fn a_failing_query_stops_the_run_without_a_workbook() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (out, queries) = (dir.path().join("out"), dir.path().join("queries"));
    std::fs::create_dir(&queries).expect("queries folder");
    std::fs::write(
        queries.join("broken.sql"),
        "-- title: 坏查询\nSELECT no_such_column FROM metrics",
    )
    .expect("write sql");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args([
            "run",
            sample_root().join("seeds").to_str().expect("path"),
            "--out",
            out.to_str().expect("path"),
            "--queries",
            queries.to_str().expect("path"),
            "-q",
        ])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_ne!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("broken.sql"), "{stderr}");
    assert!(stderr.contains("no_such_column"), "{stderr}");
    assert!(out.join("metrics.parquet").exists());
    assert!(!out.join("league_tables.xlsx").exists());
}

#[test]
fn ranks_within_each_configured_peer_group_follow_the_values() {
    use polars::prelude::*;
    let analysis = analysed();
    let catalogue = Catalogue::builtin().expect("specs");
    let spec = AnalysisSpec::load(None, &catalogue).expect("specs");
    assert_eq!(spec.peer_groups, ["unit_kind", "main_class"]);
    // budget_execution: higher is better, so within a group a better rank
    // never has a lower value; budget_adjustment: lower is better. The
    // first-group rank is also `peer_rank`.
    let higher_is_better = [("budget_execution", true), ("budget_adjustment", false)];
    let cases = spec
        .peer_groups
        .iter()
        .flat_map(|g| higher_is_better.map(|m| (g, m)));
    for (group, (metric, higher)) in cases {
        let frame = metrics_table(analysis)
            .lazy()
            .filter(
                col("metric")
                    .eq(lit(metric))
                    .and(col("value").is_not_null()),
            )
            .select([
                col("level"),
                col("year"),
                col(group.as_str()).alias("group"),
                col(format!("rank_in_{group}").as_str()).alias("rank"),
                col("peer_rank"),
                col("value"),
            ])
            .sort(
                ["level", "year", "group", "rank"],
                SortMultipleOptions::default(),
            )
            .collect()
            .expect("collect");
        assert!(frame.height() > 50);
        let text = |n: &str| column::<StringType>(&frame, n);
        let (level, groups) = (text("level"), text("group"));
        let year = column::<Int32Type>(&frame, "year");
        let rank = column::<Int64Type>(&frame, "rank");
        let peer = column::<Int64Type>(&frame, "peer_rank");
        let value = column::<Float64Type>(&frame, "value");
        for i in 1..frame.height() {
            let same = level.get(i) == level.get(i - 1)
                && year.get(i) == year.get(i - 1)
                && groups.get(i) == groups.get(i - 1);
            if same {
                let (this, before) = (value.get(i), value.get(i - 1));
                let in_order = if higher {
                    this <= before
                } else {
                    this >= before
                };
                assert!(in_order, "{metric} {group} row {i}");
                assert!(rank.get(i) >= rank.get(i - 1));
            } else {
                assert_eq!(
                    rank.get(i),
                    Some(1),
                    "{metric} {group} row {i} starts a group"
                );
            }
            if group == &spec.peer_groups[0] {
                assert_eq!(rank.get(i), peer.get(i));
            }
        }
    }
    // fiscal_income_variance has no better direction: values, no ranks.
    let unranked = metrics_table(analysis)
        .lazy()
        .filter(col("metric").eq(lit("fiscal_income_variance")))
        .select([
            col("value").count().alias("values"),
            col("rank").count().alias("ranks"),
            col("rank_of").count().alias("counts"),
            col("peer_rank").count().alias("peer_ranks"),
            col("rank_in_main_class").count().alias("class_ranks"),
        ])
        .collect()
        .expect("collect");
    let count = |n: &str| column::<IdxType>(&unranked, n).get(0);
    assert!(count("values") > Some(50));
    for n in ["ranks", "counts", "peer_ranks", "class_ranks"] {
        assert_eq!(count(n), Some(0), "{n}");
    }
}

/// metrics.parquet is gathered and written a batch of rows at a time: the
/// file reads back as the whole table, whatever the batch size, and a
/// year's file holds that year's rows without the year.
#[test]
fn metrics_written_in_batches_read_back_as_the_whole_table() {
    use juesuan::write::write_metrics;
    use polars::prelude::*;
    let metrics = &analysed().metrics;
    let dir = tempfile::tempdir().expect("tempdir");
    let read = |name: &str| {
        let file = std::fs::File::open(dir.path().join(name)).expect("parquet");
        ParquetReader::new(file).finish().expect("read parquet")
    };
    let all = metrics.table(None).expect("table");
    let whole = all.whole().expect("whole table");
    assert!(whole.height() > 10_000, "{} rows", whole.height());
    write_metrics(&dir.path().join("batched.parquet"), &all, false, 1000).expect("write");
    assert!(read("batched.parquet").equals_missing(&whole));

    let year = metrics.years().expect("years")[1];
    let of_year = metrics.table(Some(year)).expect("table of a year");
    write_metrics(&dir.path().join("year.parquet"), &of_year, true, 999).expect("write");
    let expected = whole
        .clone()
        .lazy()
        .filter(col("year").eq(lit(year)))
        .drop(cols(["year"]))
        .collect()
        .expect("rows of the year");
    assert!(expected.height() > 1000);
    assert!(read("year.parquet").equals_missing(&expected));
}

/// The money measures keep their exact 元 in metrics.parquet: `amount` is
/// the entity's measure to the 分, and `change_amount` the exact difference
/// from the previous year's.
#[test]
fn metric_amounts_are_the_exact_measures_and_their_changes() {
    use polars::prelude::*;
    use rust_decimal::Decimal;
    let analysis = analysed();
    let frame = metrics_table(analysis)
        .lazy()
        .filter(
            col("unit")
                .eq(lit("元"))
                .and(col("kind").neq(lit("indicator"))),
        )
        .select([
            col("level"),
            col("entity_id"),
            col("year"),
            col("metric"),
            col("amount").cast(DataType::String),
            col("prev_amount").cast(DataType::String),
            col("change_amount").cast(DataType::String),
        ])
        .collect()
        .expect("money rows");
    let text = |name: &str| column::<StringType>(&frame, name);
    let (level, id, metric) = (text("level"), text("entity_id"), text("metric"));
    let (amount, prev, change) = (text("amount"), text("prev_amount"), text("change_amount"));
    let year = column::<Int32Type>(&frame, "year");
    let decimal = |s: Option<&str>| s.map(|s| s.parse::<Decimal>().expect("decimal"));
    let mut changes = 0;
    for i in 0..frame.height() {
        let entity = analysis
            .entities
            .iter()
            .find(|e| {
                Some(e.level.as_str()) == level.get(i)
                    && Some(e.id.as_str()) == id.get(i)
                    && Some(e.year) == year.get(i)
            })
            .expect("the row's entity");
        let measure = metric.get(i).expect("metric");
        let mut expected = *entity
            .measures
            .get(measure)
            .expect("a row only where a measure is");
        expected.rescale(2);
        assert_eq!(
            decimal(amount.get(i)),
            Some(expected),
            "{measure} of {:?}",
            id.get(i)
        );
        if let Some(before) = decimal(prev.get(i)) {
            assert_eq!(decimal(change.get(i)), Some(expected - before));
            changes += 1;
        }
    }
    assert!(
        frame.height() > 2000 && changes > 1000,
        "{} rows, {changes} changes",
        frame.height()
    );
}

/// What flags and the workbook look up row by row (`Metrics::row`) is
/// what metrics.parquet has on that entity's and metric's row, for every
/// row: the frame is held a chunk per metric and written in another order.
#[test]
fn metric_rows_looked_up_are_the_rows_written() {
    use std::collections::HashMap;
    let analysis = analysed();
    let whole = metrics_table(analysis);
    let place: HashMap<(&str, &str, i32), usize> = analysis
        .entities
        .iter()
        .enumerate()
        .map(|(i, e)| ((e.level.as_str(), e.id.as_str(), e.year), i))
        .collect();
    let text = |name: &str| column::<StringType>(&whole, name);
    let float = |name: &str| column::<Float64Type>(&whole, name);
    let int = |name: &str| column::<Int64Type>(&whole, name);
    let (level, id, metric) = (text("level"), text("entity_id"), text("metric"));
    let (change_note, note) = (text("change_note"), text("note"));
    let year = column::<Int32Type>(&whole, "year");
    let prev_year = column::<Int32Type>(&whole, "prev_year");
    let floats: Vec<_> = [
        "value",
        "prev_value",
        "change",
        "change_rel",
        "peer_median",
        "peer_mad",
        "z_score",
        "cagr",
    ]
    .map(float)
    .into();
    let ints: Vec<_> = [
        "rank",
        "rank_of",
        "peer_rank",
        "peer_count",
        "rank_change",
        "peer_n",
    ]
    .map(int)
    .into();
    let bits = |v: Option<f64>| v.map(f64::to_bits);
    for i in 0..whole.height() {
        let key = (
            level.get(i).unwrap(),
            id.get(i).unwrap(),
            year.get(i).unwrap(),
        );
        let row = analysis
            .metrics
            .row(place[&key], metric.get(i).unwrap())
            .expect("a row for every row written");
        let looked_up = [
            row.value,
            row.prev_value,
            row.change,
            row.change_rel,
            row.peer_median,
            row.peer_mad,
            row.z_score,
            row.cagr,
        ];
        for (column, value) in floats.iter().zip(looked_up) {
            assert_eq!(
                bits(column.get(i)),
                bits(value),
                "{} row {i}",
                column.name()
            );
        }
        let looked_up = [
            row.rank,
            row.rank_of,
            row.peer_rank,
            row.peer_count,
            row.rank_change,
            row.peer_n,
        ];
        for (column, value) in ints.iter().zip(looked_up) {
            assert_eq!(column.get(i), value, "{} row {i}", column.name());
        }
        assert_eq!(prev_year.get(i), row.prev_year);
        assert_eq!(change_note.get(i), row.change_note.as_deref());
        assert_eq!(note.get(i), row.note.as_deref());
    }
    assert!(whole.height() > 10_000);
}

/// The main 功能分类 class of every unit- and department-year is its largest
/// class measure (the lower code of two equal ones), as worked out here from
/// the measures themselves.
#[test]
fn the_main_class_is_the_largest_class_measure() {
    let analysis = analysed();
    let classes: Vec<_> = analysis
        .metrics
        .info
        .iter()
        .filter(|m| m.kind == "class")
        .collect();
    assert!(classes.len() > 5, "{} classes", classes.len());
    let mut named = 0;
    for (i, e) in analysis.entities.iter().enumerate() {
        let mut expected: Option<(rust_decimal::Decimal, &str, &str)> = None;
        for m in &classes {
            let Some(&value) = e.measures.get(&m.key) else {
                continue;
            };
            let better = match expected {
                None => true,
                Some((best, key, _)) => value > best || (value == best && m.key.as_str() < key),
            };
            if better {
                expected = Some((value, &m.key, &m.label));
            }
        }
        assert_eq!(
            analysis.metrics.main_class(i),
            expected.map(|(_, _, label)| label),
            "{} {}",
            e.id,
            e.year
        );
        named += usize::from(expected.is_some());
    }
    assert!(named * 10 > analysis.entities.len() * 9, "{named} named");
}

/// A flag or scoring rule that names its years applies in those years only.
#[test]
fn flags_and_scores_apply_only_in_the_years_they_name() {
    let catalogue = Catalogue::builtin().expect("specs");
    let mut spec = AnalysisSpec::load(None, &catalogue).expect("analysis specs");
    let batch = ingest(&[sample_root()], &catalogue, false);
    let checked = check(&batch.workbooks, &catalogue);
    let measured = |spec: &AnalysisSpec| -> Vec<_> {
        let measurer = Measurer::new(spec, &catalogue);
        batch
            .workbooks
            .iter()
            .map(|w| measurer.measure(w))
            .collect()
    };
    let only_2024 = juesuan::spec::Years::try_from("2024-".to_string()).expect("years");
    let everywhere = analysed();
    let flagged_before: BTreeSet<i32> = everywhere
        .flags
        .iter()
        .filter(|f| f.flag == "sangong_increase")
        .map(|f| f.year)
        .collect();
    assert!(
        flagged_before.iter().any(|&y| y < 2024),
        "{flagged_before:?}"
    );
    for flag in spec
        .flags
        .iter_mut()
        .filter(|f| f.key == "sangong_increase")
    {
        flag.years = only_2024;
    }
    for rule in &mut spec.scoring.rules {
        rule.years = only_2024;
    }
    let analysis = analyse(
        &batch.workbooks,
        measured(&spec),
        Vec::new(),
        &checked.findings,
        &spec,
        &catalogue,
    )
    .expect("analyse");
    let flagged: BTreeSet<i32> = analysis
        .flags
        .iter()
        .filter(|f| f.flag == "sangong_increase")
        .map(|f| f.year)
        .collect();
    assert!(flagged.iter().all(|&y| y >= 2024), "{flagged:?}");
    assert!(analysis.scores.iter().all(|s| s.year >= 2024));
    assert!(!analysis.scores.is_empty());
}

/// A unit whose 三公 is 10,000× the year before's is flagged as a 元/万元
/// slip; at 9,000× it is not (that is a change, not a slip).
#[test]
fn a_figure_ten_thousand_times_last_years_is_a_unit_slip_and_nine_thousand_is_not() {
    let catalogue = Catalogue::builtin().expect("specs");
    let spec = AnalysisSpec::load(None, &catalogue).expect("analysis specs");
    let batch = ingest(&[sample_root()], &catalogue, false);
    let measurer = Measurer::new(&spec, &catalogue);
    let unit_of =
        |w: &juesuan::ingest::batch::WorkbookFacts| (w.identity.unit_id.clone(), w.identity.year);
    let target = batch
        .workbooks
        .iter()
        .filter(|w| w.identity.report_type == "单户表" && w.identity.year == 2023)
        .find(|w| {
            let prev = batch
                .workbooks
                .iter()
                .find(|p| unit_of(p) == (w.identity.unit_id.clone(), 2022));
            let sangong = |w: &juesuan::ingest::batch::WorkbookFacts| {
                measurer.measure(w).get("sangong_actual").copied()
            };
            prev.is_some_and(|p| sangong(p).is_some_and(|v| v > rust_decimal::Decimal::ZERO))
                && sangong(w).is_some_and(|v| v > rust_decimal::Decimal::ZERO)
        })
        .expect("a unit with 三公 in 2022 and 2023");
    let slipped = |factor: i64| -> Vec<String> {
        let prev = batch
            .workbooks
            .iter()
            .find(|p| unit_of(p) == (target.identity.unit_id.clone(), 2022))
            .expect("2022");
        let before = measurer
            .measure(prev)
            .get("sangong_actual")
            .copied()
            .expect("2022 三公");
        let mut changed = (**target).clone();
        for f in changed.facts.iter_mut().filter(|f| f.form == "sangong") {
            // Every 三公 figure of 2023 at `factor` × the 2022 total's share.
            let now = measurer
                .measure(target)
                .get("sangong_actual")
                .copied()
                .expect("2023 三公");
            f.amount = f.amount / now * before * rust_decimal::Decimal::from(factor);
        }
        let analysis = analysed_with(&batch, &target.file, changed.clone(), &spec, &catalogue);
        analysis
            .flags
            .iter()
            .filter(|f| {
                f.flag == "unit_slip" && f.entity_id == target.identity.unit_id && f.year == 2023
            })
            .map(|f| f.metric.clone())
            .collect()
    };
    assert!(
        slipped(10_000).contains(&"sangong_actual".to_string()),
        "{:?}",
        slipped(10_000)
    );
    assert!(!slipped(9_000).contains(&"sangong_actual".to_string()));
    assert!(!slipped(1).contains(&"sangong_actual".to_string()));
}

/// A unit's 公务接待费 beside its 接待批次 (机构运行信息表): with no batch it is
/// flagged, with one it is not; batches with no cost are flagged too.
#[test]
fn a_cost_with_nothing_counted_is_flagged_and_one_counted_is_not() {
    use rust_decimal::Decimal;
    let catalogue = Catalogue::builtin().expect("specs");
    let spec = AnalysisSpec::load(None, &catalogue).expect("analysis specs");
    let batch = ingest(&[sample_root()], &catalogue, false);
    let measurer = Measurer::new(&spec, &catalogue);
    let positive = |w: &juesuan::ingest::batch::WorkbookFacts, m: &str| {
        measurer
            .measure(w)
            .get(m)
            .is_some_and(|v| *v > Decimal::ZERO)
    };
    let target = batch
        .workbooks
        .iter()
        .find(|w| {
            w.identity.report_type == "单户表"
                && positive(w, "reception_actual")
                && positive(w, "reception_batches")
        })
        .expect("a unit with receptions");
    let flagged = |batches: i64, cost_factor: i64| -> Vec<String> {
        let mut changed = (**target).clone();
        for f in &mut changed.facts {
            if f.form == "operations" && f.item == "reception_batches" {
                f.amount = Decimal::from(batches);
            }
            if f.form == "sangong" && f.item == "reception" {
                f.amount *= Decimal::from(cost_factor);
            }
        }
        let analysis = analysed_with(&batch, &target.file, changed.clone(), &spec, &catalogue);
        analysis
            .flags
            .iter()
            .filter(|f| {
                f.flag == "unit_cost_unpaired"
                    && f.level == Level::Unit
                    && f.entity_id == target.identity.unit_id
                    && f.year == target.identity.year
                    && f.reason.contains("批次")
            })
            .map(|f| f.reason.clone())
            .collect()
    };
    let none = flagged(0, 1);
    assert_eq!(none.len(), 1, "{none:?}");
    assert!(none[0].starts_with("公务接待费"), "{none:?}");
    assert!(flagged(1, 1).is_empty());
    let no_cost = flagged(3, 0);
    assert_eq!(no_cost.len(), 1, "{no_cost:?}");
    assert!(no_cost[0].starts_with("国内公务接待批次"), "{no_cost:?}");
}

/// 数字特征 on sample_data: every department-year's digit counts are its
/// leaf figures', a verdict where there are enough of them and 数字过少
/// where there are not.
#[test]
fn each_department_year_gets_its_digit_tests_or_too_few_figures() {
    let analysis = analysed();
    let catalogue = Catalogue::builtin().expect("specs");
    let spec = AnalysisSpec::load(None, &catalogue).expect("analysis specs");
    let departments: BTreeSet<(&str, i32)> = analysis
        .entities
        .iter()
        .filter(|e| e.level == Level::Department && e.basis != "情况说明")
        .map(|e| (e.id.as_str(), e.year))
        .collect();
    let tested: BTreeSet<(&str, i32)> = analysis
        .digits
        .iter()
        .map(|t| (t.dept_id.as_str(), t.year))
        .collect();
    assert_eq!(tested, departments);
    let (mut judged, mut too_few) = (0, 0);
    for t in &analysis.digits {
        let n = t.counts.n();
        assert_eq!(n, t.counts.first_two.iter().sum::<u32>());
        if n < spec.digits.min_figures {
            assert_eq!(t.verdict(), "数字过少", "{} {}", t.dept_name, t.year);
            assert!(t.first_digit.is_none() && t.first_two.is_none());
            too_few += 1;
        } else {
            let s = t.first_digit.as_ref().expect("judged");
            assert!((s.excess_mad - (s.mad - s.expected_mad)).abs() < 1e-12);
            assert_eq!(t.verdict(), s.excess_band);
            judged += 1;
        }
    }
    assert!(
        judged >= 20 && too_few >= 10,
        "{judged} judged, {too_few} too few"
    );
}

/// A unit's workbook made of another unit's leaf figures is flagged with
/// both files; one figure short of the threshold share it is not; a
/// workbook that repeats its own previous year is flagged too.
#[test]
fn a_copied_workbook_is_flagged_and_one_figure_short_of_the_threshold_is_not() {
    use juesuan::ingest::batch::WorkbookFacts;
    use std::sync::Arc;
    let catalogue = Catalogue::builtin().expect("specs");
    let spec = AnalysisSpec::load(None, &catalogue).expect("analysis specs");
    let batch = ingest(&[sample_root()], &catalogue, false);
    let units: Vec<&Arc<WorkbookFacts>> = batch
        .workbooks
        .iter()
        .filter(|w| w.identity.report_type == "单户表" && w.identity.year == 2023)
        .collect();
    let (copier, source) = (units[0], units[1]);
    let threshold = spec
        .flags
        .iter()
        .find(|f| f.key == "copied_other_unit")
        .and_then(|f| f.threshold)
        .expect("threshold");
    let is_leaf = |f: &juesuan::ingest::batch::Fact| {
        f.subject_code.is_some_and(|c| spec.leaves.is_leaf(c)) && !f.amount.is_zero()
    };
    let n = source.facts.iter().filter(|f| is_leaf(f)).count();
    assert!(n >= 20, "{n} leaf figures");
    // The copier's workbook holding the source's figures, `changed` of its
    // leaf figures altered by 1 元.
    let flagged = |facts_of: &WorkbookFacts, changed: usize, key: &str| -> Vec<String> {
        let mut copy = WorkbookFacts {
            workbook: copier.workbook.clone(),
            facts: facts_of.facts.clone(),
        };
        for f in copy.facts.iter_mut().filter(|f| is_leaf(f)).take(changed) {
            f.amount += rust_decimal::Decimal::ONE;
        }
        let analysis = analysed_with(&batch, &copier.file, copy.clone(), &spec, &catalogue);
        analysis
            .flags
            .iter()
            .filter(|f| f.flag == key && f.entity_id == copier.identity.unit_id && f.year == 2023)
            .map(|f| {
                assert!(!f.cells.is_empty());
                f.reason.clone()
            })
            .collect()
    };
    let whole = flagged(source, 0, "copied_other_unit");
    assert_eq!(whole.len(), 1, "{whole:?}");
    assert!(
        whole[0].contains(&*source.file) && whole[0].contains(&*copier.file),
        "{whole:?}"
    );
    // Matching exactly the threshold share is not more than it.
    let at_threshold = n - (threshold * n as f64).floor() as usize;
    assert!(flagged(source, at_threshold, "copied_other_unit").is_empty());
    assert_eq!(
        flagged(source, at_threshold - 1, "copied_other_unit").len(),
        1
    );
    // Its own 2022 figures as its 2023 workbook.
    let last_year = batch
        .workbooks
        .iter()
        .find(|w| {
            w.identity.unit_id == copier.identity.unit_id
                && w.identity.year == 2022
                && w.identity.report_type == "单户表"
        })
        .expect("the copier's 2022 workbook");
    let repeated = flagged(last_year, 0, "copied_previous_year");
    assert_eq!(repeated.len(), 1, "{repeated:?}");
    assert!(repeated[0].contains("本单位 2022 年"), "{repeated:?}");
    assert!(flagged(copier, 0, "copied_previous_year").is_empty());
}

/// In its first year a unit has no year before: its 三公 10,000× its peer
/// group's median is a unit slip, 9,000× is not.
#[test]
fn a_first_year_figure_ten_thousand_times_its_peers_median_is_a_unit_slip() {
    use rust_decimal::Decimal;
    let catalogue = Catalogue::builtin().expect("specs");
    let spec = AnalysisSpec::load(None, &catalogue).expect("analysis specs");
    let batch = ingest(&[sample_root()], &catalogue, false);
    let measurer = Measurer::new(&spec, &catalogue);
    let (target, median) = analysed()
        .entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.level == Level::Unit && e.year == 2022)
        .filter(|(i, _)| juesuan::analyse::previous(&analysed().entities, *i).is_none())
        .find_map(|(i, e)| {
            let row = analysed().metrics.row(i, "sangong_actual")?;
            (row.peer_n? >= 5 && row.value? > 0.0).then_some((row.peer_median?, e))
        })
        .map(|(median, e)| {
            let w = batch
                .workbooks
                .iter()
                .find(|w| w.identity.unit_id == e.id && w.identity.year == 2022)
                .expect("its workbook");
            (w, median)
        })
        .expect("a unit in its first year with peers");
    let slipped = |factor: f64| -> bool {
        let now = juesuan::analyse::metrics::to_f64(
            measurer
                .measure(target)
                .get("sangong_actual")
                .expect("三公"),
        );
        let scale = Decimal::try_from(median * factor / now).expect("scale");
        let mut changed = (**target).clone();
        for f in changed.facts.iter_mut().filter(|f| f.form == "sangong") {
            f.amount = (f.amount * scale).round_dp(2);
        }
        let analysis = analysed_with(&batch, &target.file, changed.clone(), &spec, &catalogue);
        analysis.flags.iter().any(|f| {
            f.flag == "unit_slip"
                && f.metric == "sangong_actual"
                && f.entity_id == target.identity.unit_id
                && f.year == 2022
                && f.reason.contains("同类")
        })
    };
    assert!(slipped(10_000.0));
    assert!(!slipped(9_000.0));
    assert!(!slipped(1.0));
}

/// The audit cases `juesuan sample` plants (truth.csv kind `audit`), each
/// found by its own test on its unit-year — a flag of that key, or a
/// finding of that rule on the unit's workbook — and each test's hits on
/// units planted clean within a stated bound.
#[test]
fn every_planted_audit_case_is_found_by_its_test_and_clean_units_stay_quiet() {
    let analysis = analysed();
    let catalogue = Catalogue::builtin().expect("specs");
    let batch = ingest(&[sample_root()], &catalogue, false);
    let checked = check(&batch.workbooks, &catalogue);
    let truth = truth();
    let cases: Vec<_> = truth.iter().filter(|t| t.0 == "audit").collect();
    let codes: BTreeSet<&str> = cases.iter().map(|t| t.1.as_str()).collect();
    assert_eq!(
        codes,
        BTreeSet::from([
            "copied_other_unit",
            "copied_previous_year",
            "cross.sangong_reception",
            "unit_cost_unpaired",
            "unit_slip",
        ])
    );
    let unit_of = |f: &juesuan::validate::Finding| {
        (
            f.workbook.identity.year,
            f.workbook.identity.unit_id.clone(),
        )
    };
    // (test, year, unit) of every hit: flags on units, findings of rules.
    let mut hits: BTreeSet<(String, i32, String)> = analysis
        .flags
        .iter()
        .filter(|f| f.level == Level::Unit)
        .map(|f| (f.flag.clone(), f.year, f.entity_id.clone()))
        .collect();
    // Findings on units' own workbooks (a 汇总表 sums its units' figures).
    hits.extend(
        checked
            .findings
            .iter()
            .filter(|f| f.workbook.identity.report_type == "单户表")
            .map(|f| {
                let (year, unit) = unit_of(f);
                (f.rule_id.to_string(), year, unit)
            }),
    );
    for (_, code, year, unit) in &cases {
        assert!(
            hits.contains(&(code.clone(), *year, unit.clone())),
            "planted {code} {year} {unit} is not found by its test"
        );
    }
    // Units planted clean: nothing of any kind planted on them that year.
    let planted: BTreeSet<(i32, &str)> = truth.iter().map(|t| (t.2, t.3.as_str())).collect();
    for (test, bound) in [
        ("copied_other_unit", 0),
        ("copied_previous_year", 0),
        ("cross.sangong_reception", 0),
        ("unit_cost_unpaired", 0),
        ("unit_slip", 0),
        ("unit_cost_outlier", 25),
    ] {
        let on_clean: Vec<_> = hits
            .iter()
            .filter(|(t, year, unit)| t == test && !planted.contains(&(*year, unit.as_str())))
            .collect();
        assert!(
            on_clean.len() <= bound,
            "{test}: {} hits on clean units: {on_clean:?}",
            on_clean.len()
        );
    }
}
