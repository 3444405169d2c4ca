//! Every rule of rules.toml fires on a figure that breaks it and stays quiet
//! on accounts that hold together; rounding is told from error (seed 003's
//! 213.05 over 224.05 is an error, 0.01万元 between two tables is rounding);
//! the seed units' workbooks have no error; `juesuan check` writes its
//! findings and its exit status follows `--fail-on`.
use juesuan::ingest::batch::{Fact, FactIndex, WorkbookFacts, ingest};
use juesuan::rules::FindingSeverity;
use juesuan::sample::layout::{Out, SheetOut};
use juesuan::sample::xlsx_bytes;
use juesuan::spec::Catalogue;
use juesuan::validate::{CheckRun, Finding, check};
use rust_decimal::Decimal;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn sample_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data")
}

/// Files of the committed sample with a planted consistency error.
fn planted_files() -> BTreeSet<String> {
    let text = std::fs::read_to_string(sample_root().join("truth.csv")).expect("truth.csv");
    text.lines()
        .filter(|l| l.starts_with("consistency_error,"))
        .map(|l| l.split(',').nth(6).expect("file column").to_string())
        .collect()
}

fn is_planted(file: &str, planted: &BTreeSet<String>) -> bool {
    planted.iter().any(|p| file.ends_with(p.as_str()))
}

fn d(text: &str) -> Decimal {
    text.parse().expect("decimal")
}

/// A 国有资本经营预算 table that holds together (the generator writes none):
/// 年初 100 + 收入 500 − 支出 450 = 年末 150 on the 合计 row and on 223 / 22301 / 2230105.
fn with_soe_table(wb: &WorkbookFacts) -> WorkbookFacts {
    let mut wb = wb.clone();
    let rows: [(&str, Option<&str>); 4] = [
        ("total", None),
        ("subject", Some("223")),
        ("subject", Some("22301")),
        ("subject", Some("2230105")),
    ];
    let columns = [
        ("carryover_begin", "100"),
        ("income", "500"),
        ("expenditure_total", "450"),
        ("basic", "0"),
        ("project", "450"),
        ("carryover_end", "150"),
    ];
    for (r, (item, code)) in rows.iter().enumerate() {
        for (c, (column, amount)) in columns.iter().enumerate() {
            wb.facts.push(Fact {
                form: "soe_capital",
                sheet: "国有资本经营预算财政拨款收入支出决算表",
                item,
                column,
                subject_code: *code,
                amount: d(amount),
                unit_of_measure: "元",
                position: (5 + r as u32, 2 + c as u32),
                label: "",
                header: "",
                scale: "元",
                inferred: Default::default(),
            });
        }
    }
    wb
}

struct Sample {
    catalogue: Catalogue,
    workbooks: Vec<Arc<WorkbookFacts>>,
    planted: BTreeSet<String>,
    /// (rule, year, department code) of each audit case planted as a breach.
    audit: BTreeSet<(String, String, String)>,
}

fn sample() -> Sample {
    let catalogue = Catalogue::builtin().expect("specs");
    let batch = ingest(&[sample_root()], &catalogue, false);
    let planted = planted_files();
    let mut workbooks = batch.workbooks.clone();
    // One clean workbook also gets a 国有资本经营预算 table.
    let host = workbooks
        .iter()
        .position(|w| !is_planted(&w.file, &planted) && w.identity.family == 'A')
        .expect("a clean A-family workbook");
    workbooks[host] = Arc::new(with_soe_table(&workbooks[host]));
    Sample {
        catalogue,
        workbooks,
        planted,
        audit: audit_cases(),
    }
}

/// A finding at a planted error's file, or of an audit case `juesuan
/// sample` plants (truth.csv kind `audit`, named by its rule) in its
/// department-year: the unit's workbook and its department's 汇总表.
fn touches_planted(f: &Finding, s: &Sample) -> bool {
    let id = &f.workbook.identity;
    let audit = (
        f.rule_id.to_string(),
        id.year.to_string(),
        id.dept_code.clone().unwrap_or_default(),
    );
    f.cells.iter().any(|c| is_planted(&c.file, &s.planted)) || s.audit.contains(&audit)
}

/// (rule, year, department code) of truth.csv's audit cases.
fn audit_cases() -> BTreeSet<(String, String, String)> {
    let text = std::fs::read_to_string(sample_root().join("truth.csv")).expect("truth.csv");
    text.lines()
        .filter(|l| l.starts_with("audit,"))
        .map(|l| {
            let r: Vec<&str> = l.split(',').collect();
            (r[1].to_string(), r[2].to_string(), r[5].to_string())
        })
        .collect()
}

#[test]
fn every_rule_is_evaluated_and_quiet_on_accounts_that_hold_together() {
    let s = sample();
    let run = check(&s.workbooks, &s.catalogue);
    for (id, evaluated, _) in run.by_rule() {
        assert!(evaluated > 0, "rule {id} was never evaluated on the sample");
        let loud: Vec<String> = run
            .findings
            .iter()
            .filter(|f| f.rule_id == id && f.severity > FindingSeverity::Rounding)
            .filter(|f| !touches_planted(f, &s))
            .map(|f| {
                format!(
                    "{} {} = {} vs {}",
                    f.cells_text(),
                    f.left,
                    f.left_amount,
                    f.right_amount
                )
            })
            .collect();
        assert!(
            loud.is_empty(),
            "rule {id} fires on clean accounts: {loud:#?}"
        );
    }
}

/// The figure to disturb to break each rule: (rule, form, item, code length, column).
/// `consolidation` disturbs a department's 汇总表; `amount.non_negative`
/// makes the figure negative.
const BREAKERS: &[(&str, &str, &str, Option<usize>, &str)] = &[
    (
        "total.balance",
        "income_expenditure_total",
        "income_grand_total",
        None,
        "actual",
    ),
    (
        "total.income_grand_total",
        "income_expenditure_total",
        "carryover_begin",
        None,
        "actual",
    ),
    (
        "total.expenditure_grand_total",
        "income_expenditure_total",
        "carryover_end",
        None,
        "actual",
    ),
    (
        "total.income_lines",
        "income_expenditure_total",
        "gpb_approp_income",
        None,
        "actual",
    ),
    (
        "total.expenditure_classes",
        "income_expenditure_total",
        "expenditure_total",
        None,
        "actual",
    ),
    (
        "fiscal.balance",
        "fiscal_total",
        "expenditure_grand_total",
        None,
        "actual_total",
    ),
    (
        "fiscal.income_grand_total",
        "fiscal_total",
        "carryover_begin",
        None,
        "actual",
    ),
    (
        "fiscal.expenditure_grand_total",
        "fiscal_total",
        "carryover_end",
        None,
        "actual_total",
    ),
    (
        "fiscal.income_lines",
        "fiscal_total",
        "gpb_approp",
        None,
        "actual",
    ),
    (
        "fiscal.carryover_begin_funds",
        "fiscal_total",
        "carryover_begin_gpb",
        None,
        "actual",
    ),
    (
        "fiscal.row_funds",
        "fiscal_total",
        "expenditure_total",
        None,
        "actual_gpb",
    ),
    (
        "fiscal.carryover_gpb",
        "fiscal_total",
        "carryover_end",
        None,
        "actual_gpb",
    ),
    (
        "fiscal.carryover_gov_fund",
        "fiscal_total",
        "carryover_end",
        None,
        "actual_gov_fund",
    ),
    (
        "fiscal.carryover_soe",
        "fiscal_total",
        "carryover_end",
        None,
        "actual_soe",
    ),
    (
        "table.subject_tree",
        "expenditure",
        "total",
        None,
        "expenditure_total",
    ),
    ("income.row_sources", "income", "total", None, "business"),
    (
        "expenditure.row_uses",
        "expenditure",
        "total",
        None,
        "basic",
    ),
    (
        "gpb_expenditure.row_split",
        "gpb_expenditure",
        "total",
        None,
        "basic",
    ),
    ("gov_fund.row_split", "gov_fund", "total", None, "project"),
    (
        "gov_fund.row_carryover",
        "gov_fund",
        "total",
        None,
        "carryover_end",
    ),
    (
        "soe_capital.row_split",
        "soe_capital",
        "subject",
        Some(5),
        "project",
    ),
    (
        "soe_capital.row_carryover",
        "soe_capital",
        "total",
        None,
        "carryover_end",
    ),
    (
        "basic_detail.personnel",
        "gpb_basic_detail",
        "personnel_total",
        None,
        "actual",
    ),
    (
        "basic_detail.public",
        "gpb_basic_detail",
        "public_total",
        None,
        "actual",
    ),
    (
        "sangong.vehicle_subtotal",
        "sangong",
        "vehicle_operation",
        None,
        "actual",
    ),
    ("sangong.total", "sangong", "sangong_total", None, "budget"),
    (
        "cross.income_total",
        "income",
        "total",
        None,
        "income_total",
    ),
    (
        "cross.expenditure_total",
        "expenditure",
        "total",
        None,
        "expenditure_total",
    ),
    (
        "cross.expenditure_classes",
        "expenditure",
        "subject",
        Some(3),
        "expenditure_total",
    ),
    (
        "cross.fiscal_income",
        "income",
        "total",
        None,
        "fiscal_approp",
    ),
    (
        "cross.gpb_expenditure",
        "gpb_expenditure",
        "total",
        None,
        "actual_total",
    ),
    (
        "cross.gpb_expenditure_classes",
        "gpb_expenditure",
        "subject",
        Some(3),
        "actual_total",
    ),
    (
        "cross.basic_split",
        "gpb_expenditure",
        "total",
        None,
        "basic",
    ),
    ("cross.sangong_abroad", "sangong", "abroad", None, "actual"),
    (
        "cross.sangong_reception",
        "sangong",
        "reception",
        None,
        "actual",
    ),
    (
        "cross.sangong_vehicle_operation",
        "sangong",
        "vehicle_operation",
        None,
        "actual",
    ),
    (
        "cross.sangong_vehicle_purchase",
        "sangong",
        "vehicle_purchase",
        None,
        "actual",
    ),
    (
        "amount.non_negative",
        "sangong",
        "reception",
        None,
        "actual",
    ),
    (
        "consolidation",
        "income_expenditure_total",
        "income_total",
        None,
        "actual",
    ),
];

#[test]
fn every_rule_fires_on_a_figure_that_breaks_it() {
    let s = sample();
    let ids: BTreeSet<&str> = s.catalogue.rules.iter().map(|r| &*r.id).collect();
    let covered: BTreeSet<&str> = BREAKERS.iter().map(|b| b.0).collect();
    assert_eq!(ids, covered, "every rule id needs a breaker in this test");

    for &(id, form, item, code_len, column) in BREAKERS {
        let rule = s
            .catalogue
            .rules
            .iter()
            .find(|r| &*r.id == id)
            .expect("rule");
        let matches = |f: &Fact| {
            f.form == form
                && f.item == item
                && f.column == column
                && f.subject_code.as_ref().map(|c| c.len()) == code_len
        };
        // Clean workbooks holding the figure; for consolidation, 汇总表 only.
        let candidates = s.workbooks.iter().enumerate().filter(|(_, w)| {
            !is_planted(&w.file, &s.planted)
                && (id != "consolidation" || w.identity.report_type == "汇总表")
                && w.facts.iter().any(&matches)
        });
        let mut fired = None;
        for (index, wb) in candidates {
            let mut broken = (**wb).clone();
            let fact = broken
                .facts
                .iter_mut()
                .find(|f| matches(f))
                .expect("figure");
            // A `>=` rule breaks only when its left side falls below the right.
            fact.amount = if id == "amount.non_negative" {
                d("-1000")
            } else if rule.relation == juesuan::rules::Relation::AtLeast {
                d("-100000")
            } else {
                fact.amount + d("10000")
            };
            let (sheet, position) = (fact.sheet, fact.position);
            // The workbook with its department's other workbooks of the year.
            let key = |w: &WorkbookFacts| (w.identity.year, w.identity.dept_code.clone());
            let mut books: Vec<Arc<WorkbookFacts>> = s
                .workbooks
                .iter()
                .enumerate()
                .filter(|(i, w)| *i != index && key(w) == key(wb))
                .map(|(_, w)| w.clone())
                .collect();
            books.push(Arc::new(broken));
            let run = check(&books, &s.catalogue);
            if let Some(f) = run.findings.iter().find(|f| {
                f.rule_id == rule.id
                    && f.cells
                        .iter()
                        .any(|c| c.file == wb.file && c.sheet == sheet && c.position == position)
            }) {
                fired = Some(f.clone());
                break;
            }
        }
        let f = fired.unwrap_or_else(|| {
            panic!("rule {id} did not fire when {form}:{item}@{column} was changed")
        });
        assert_eq!(f.severity, rule.severity, "rule {id}: {}", f.left);
    }
}

fn text(t: &str) -> Out {
    Out::Text(t.into())
}

/// A public 支出决算表 in 万元 whose 合计 row says `total` over seven 类 rows.
fn expenditure_table(total: f64, rows: &[(&str, &str, f64)]) -> SheetOut {
    let mut s = SheetOut {
        name: "支出决算表".into(),
        ..Default::default()
    };
    s.text(0, 0, "支出决算表");
    s.text(1, 0, "编制单位：杜集区城市管理局");
    s.text(1, 2, "2024年度");
    s.text(1, 3, "单位：万元");
    for (c, h) in ["科目编码", "科目名称", "本年支出合计"].iter().enumerate() {
        s.text(2, c as u32, *h);
    }
    s.put(3, 0, text(""));
    s.text(3, 1, "合计");
    s.put(3, 2, Out::Number(total));
    for (r, (code, name, amount)) in rows.iter().enumerate() {
        let r = r as u32 + 4;
        s.text(r, 0, *code);
        s.text(r, 1, *name);
        s.put(r, 2, Out::Number(*amount));
    }
    s
}

/// Seven rows summing to 224.05万元, like seed 003's project table.
const SEVEN_CLASSES: [(&str, &str, f64); 7] = [
    ("201", "一般公共服务支出", 12.30),
    ("208", "社会保障和就业支出", 31.75),
    ("210", "卫生健康支出", 9.80),
    ("211", "节能环保支出", 40.00),
    ("212", "城乡社区支出", 110.20),
    ("213", "农林水支出", 5.00),
    ("221", "住房保障支出", 15.00),
];

fn check_workbook(sheets: &[SheetOut], name: &str) -> CheckRun {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    std::fs::write(&path, xlsx_bytes(sheets).expect("xlsx")).expect("write");
    let catalogue = Catalogue::builtin().expect("specs");
    let batch = ingest(&[path], &catalogue, false);
    assert_eq!(batch.workbooks.len(), 1, "report: {:#?}", batch.report);
    check(&batch.workbooks, &catalogue)
}

#[test]
fn a_printed_total_of_213_05_over_rows_summing_to_224_05_is_an_error() {
    let sum: f64 = SEVEN_CLASSES.iter().map(|r| r.2).sum();
    assert!((sum - 224.05).abs() < 1e-9);
    let run = check_workbook(
        &[expenditure_table(213.05, &SEVEN_CLASSES)],
        "杜集区城市管理局2024年度部门决算.xlsx",
    );
    let f = run
        .findings
        .iter()
        .find(|f| {
            &*f.rule_id == "table.subject_tree" && f.left == "expenditure:total@expenditure_total"
        })
        .expect("the 合计 is checked against its rows");
    assert_eq!(f.severity, FindingSeverity::Error);
    assert_eq!(f.left_amount, d("2130500"));
    assert_eq!(f.right_amount, d("2240500"));
    assert_eq!(f.difference(), d("-110000"));
    // Eight figures in 万元, each off by at most 50 元.
    assert_eq!(f.tolerance, d("400"));
    assert_eq!(f.cells_text().split("; ").next(), Some("'支出决算表'!C4"));
    assert_eq!(f.cells.len(), 8);

    // The same table printed as 224.06: within what 万元 rounding allows.
    let run = check_workbook(
        &[expenditure_table(224.06, &SEVEN_CLASSES)],
        "杜集区城市管理局2024年度部门决算.xlsx",
    );
    let severities: Vec<_> = run.findings.iter().map(|f| f.severity).collect();
    assert_eq!(severities, vec![FindingSeverity::Rounding]);
}

/// The 类 = Σ 款 check finds a class's 款 rows wherever the table prints
/// them: a table listed out of code order gives the findings of the same
/// table in order.
#[test]
fn the_subject_tree_is_checked_whatever_order_the_rows_are_printed_in() {
    // 201's two 款 rows sum to 12.00万元 where 201 says 12.30.
    let mut in_order = vec![
        SEVEN_CLASSES[0],
        ("20101", "人大事务", 10.00),
        ("20102", "政协事务", 2.00),
    ];
    in_order.extend_from_slice(&SEVEN_CLASSES[1..]);
    let mut shuffled = in_order.clone();
    shuffled.reverse();
    shuffled.swap(0, 3);
    let tree_findings = |rows: &[(&str, &str, f64)]| {
        let mut found: Vec<_> = check_workbook(
            &[expenditure_table(224.05, rows)],
            "杜集区城市管理局2024年度部门决算.xlsx",
        )
        .findings
        .into_iter()
        .filter(|f| &*f.rule_id == "table.subject_tree")
        .map(|f| (f.left, f.right, f.left_amount, f.right_amount, f.severity))
        .collect();
        found.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        found
    };
    let expected = tree_findings(&in_order);
    let class = expected
        .iter()
        .find(|f| f.0 == "expenditure:subject[201]@expenditure_total")
        .expect("201 is checked against its 款 rows");
    assert_eq!((class.2, class.3), (d("123000"), d("120000")));
    assert_eq!(class.4, FindingSeverity::Error);
    assert_eq!(tree_findings(&shuffled), expected);
}

#[test]
fn the_same_class_off_by_0_01_wan_between_two_tables_is_rounding() {
    // A public (B-family, 万元) workbook of 攀枝花市城市管理行政执法局 2023 whose
    // 收入支出决算总表 shows 社会保障和就业支出 0.01万元 below 支出决算表.
    let catalogue = Catalogue::builtin().expect("specs");
    let unit = juesuan::sample::seed_units()
        .expect("seeds")
        .into_iter()
        .find(|u| u.year == 2023 && u.unit_name.contains("攀枝花市城市管理"))
        .expect("seed 2023");
    let mut style = juesuan::sample::layout::Style::plain_a();
    style.family_a = false;
    style.wan = true;
    style.numbered = false;
    let file =
        juesuan::sample::workbook_file(&unit, &style, &catalogue, "公开.xlsx").expect("workbook");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir
        .path()
        .join("攀枝花市城市管理行政执法局2023年度部门决算公开表.xlsx");
    std::fs::write(&path, &file.bytes).expect("write");
    let batch = ingest(&[path], &catalogue, false);
    let clean = check(&batch.workbooks, &catalogue);
    assert_eq!(
        clean.count(FindingSeverity::Error),
        0,
        "{:#?}",
        clean.findings
    );

    let mut wb = (*batch.workbooks[0]).clone();
    let class = wb
        .facts
        .iter_mut()
        .find(|f| {
            f.form == "income_expenditure_total"
                && f.subject_code == Some("208")
                && f.column == "actual"
        })
        .expect("class 208 in 收入支出决算总表");
    assert_eq!(class.scale, "万元");
    class.amount -= d("100");
    let run = check(&[Arc::new(wb)], &catalogue);
    let f = run
        .findings
        .iter()
        .find(|f| &*f.rule_id == "cross.expenditure_classes")
        .expect("the two tables are compared class by class");
    assert_eq!(f.severity, FindingSeverity::Rounding);
    assert_eq!(f.difference(), d("-100"));
    assert_eq!(f.tolerance, d("100"));
    assert_eq!(run.count(FindingSeverity::Error), 0, "{:#?}", run.findings);
}

#[test]
fn the_seed_units_workbooks_have_no_error() {
    let catalogue = Catalogue::builtin().expect("specs");
    let batch = ingest(&[sample_root().join("seeds")], &catalogue, false);
    assert_eq!(batch.workbooks.len(), 4);
    let run = check(&batch.workbooks, &catalogue);
    let errors: Vec<_> = run
        .findings
        .iter()
        .filter(|f| f.severity == FindingSeverity::Error)
        .map(|f| {
            format!(
                "{} {}: {} vs {}",
                f.rule_id, f.left, f.left_amount, f.right_amount
            )
        })
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let identities: usize = run.evaluated.iter().map(|(_, n)| n).sum();
    assert!(identities > 400, "only {identities} identities checked");
}

fn cli(args: &[&str]) -> i32 {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(args)
        .output()
        .expect("run juesuan");
    out.status.code().unwrap_or(-1)
}

#[test]
fn check_writes_findings_and_fails_on_the_chosen_severity() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("mkdir");
    std::fs::write(
        data.join("杜集区城市管理局2024年度部门决算.xlsx"),
        xlsx_bytes(&[expenditure_table(224.06, &SEVEN_CLASSES)]).expect("xlsx"),
    )
    .expect("write");
    let out = dir.path().join("out");
    let data_arg = data.to_str().expect("utf-8 path");
    let out_arg = out.to_str().expect("utf-8 path");
    let check =
        |extra: &[&str]| cli(&[&["check", data_arg, "--out", out_arg, "-q"], extra].concat());
    // Only a rounding finding: passes at the default (error) and at warning,
    // fails at rounding.
    assert_eq!(check(&[]), 0);
    assert_eq!(check(&["--fail-on", "warning"]), 0);
    assert_eq!(check(&["--fail-on", "rounding"]), 1);
    let csv = std::fs::read_to_string(out.join("findings.csv")).expect("findings.csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(
        lines[0]
            .trim_start_matches('\u{feff}')
            .starts_with("id,rule_id,severity,description,year")
    );
    assert!(
        lines[1].split_once(',').is_some_and(
            |(id, rest)| id.len() == 12 && rest.starts_with("table.subject_tree,rounding,")
        ),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].contains(",2240600.00,2240500.00,100.00,400.00,"),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains("'支出决算表'!C4"), "{}", lines[1]);
    let parquet = std::fs::File::open(out.join("findings.parquet")).expect("findings.parquet");
    use polars::prelude::SerReader;
    let frame = polars::prelude::ParquetReader::new(parquet)
        .finish()
        .expect("read findings.parquet");
    assert_eq!(frame.height(), 1);
    assert!(out.join("facts.parquet").exists());

    // Make it an error: exit 1 at the default threshold.
    std::fs::write(
        data.join("杜集区城市管理局2024年度部门决算.xlsx"),
        xlsx_bytes(&[expenditure_table(213.05, &SEVEN_CLASSES)]).expect("xlsx"),
    )
    .expect("write");
    assert_eq!(check(&[]), 1);
}

#[test]
fn a_rule_naming_an_unknown_item_is_refused_when_the_rules_load() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("rules.toml"),
        r#"
[[rules]]
id = "my.sangong"
description = "三公合计"
severity = "error"
form = "sangong"
left = "sangong_totl"
right = ["abroad", "vehicle_total", "reception"]
"#,
    )
    .expect("write");
    let error = Catalogue::load(Some(dir.path())).expect_err("a misspelt item is refused");
    let message = format!("{error:#}");
    assert!(message.contains("my.sangong"), "{message}");
    assert!(message.contains("sangong_totl"), "{message}");

    // Spelt right, the user's rules replace the built-in ones.
    let text = std::fs::read_to_string(dir.path().join("rules.toml")).expect("read");
    std::fs::write(
        dir.path().join("rules.toml"),
        text.replace("sangong_totl", "sangong_total"),
    )
    .expect("write");
    let catalogue = Catalogue::load(Some(dir.path())).expect("loads");
    let ids: Vec<&str> = catalogue.rules.iter().map(|r| &*r.id).collect();
    assert_eq!(ids, ["my.sangong"]);
}

/// A figure read twice under one (form, item, code, column), as when a
/// table is filed twice in one workbook: the first one counts, for the
/// checks and the analysis's measures alike, which look figures up in one
/// index of the workbook's facts.
#[test]
fn the_first_figure_of_a_key_counts_for_the_checks_and_the_measures() {
    use juesuan::analyse::measures::Measurer;
    use juesuan::analyse::spec::AnalysisSpec;
    let s = sample();
    let spec = AnalysisSpec::load(None, &s.catalogue).expect("analysis spec");
    let measurer = Measurer::new(&spec, &s.catalogue);
    let wb = s
        .workbooks
        .iter()
        .find(|w| !is_planted(&w.file, &s.planted) && w.identity.family == 'A')
        .expect("a clean A-family workbook");
    // Every figure again after the originals, each 1 元 more.
    let mut doubled = (**wb).clone();
    doubled.facts.extend(wb.facts.iter().map(|f| Fact {
        amount: f.amount + Decimal::ONE,
        ..*f
    }));
    let (index, twice) = (wb.index(), doubled.index());
    assert!(index.firsts.len() > 100, "{} keys", index.firsts.len());
    let keys = |index: &FactIndex| index.firsts.iter().map(|f| f.key()).collect::<Vec<_>>();
    assert_eq!(keys(&twice), keys(&index));
    for (first, original) in twice.firsts.iter().zip(&index.firsts) {
        assert_eq!(first.amount, original.amount, "{:?}", first.key());
        assert_eq!(twice.by_key[&first.key()].amount, first.amount);
    }
    let findings = |w: WorkbookFacts| -> Vec<String> {
        check(&[Arc::new(w)], &s.catalogue)
            .findings
            .iter()
            .map(|f| {
                format!(
                    "{} {} {} {}",
                    f.rule_id, f.left, f.left_amount, f.right_amount
                )
            })
            .collect()
    };
    assert_eq!(findings(doubled.clone()), findings((**wb).clone()));
    assert_eq!(
        format!("{:?}", measurer.measure(&doubled)),
        format!("{:?}", measurer.measure(wb))
    );
    assert!(!format!("{:?}", measurer.measure(wb)).is_empty());
}

/// 三公 items include project spending: the basic-expenditure 经济分类 line
/// (30217 for 公务接待费) may be smaller, never larger. Below: quiet; above
/// by less than rounding allows: rounding; above by more: an error.
#[test]
fn a_basic_expenditure_line_above_its_sangong_item_is_an_error_and_below_it_quiet() {
    let s = sample();
    let is = |f: &Fact, form: &str, item: &str, code: Option<&str>| {
        f.form == form && f.item == item && f.column == "actual" && f.subject_code == code
    };
    let wb = s
        .workbooks
        .iter()
        .find(|w| {
            !is_planted(&w.file, &s.planted)
                && w.facts
                    .iter()
                    .any(|f| is(f, "sangong", "reception", None) && f.amount > d("1000"))
                && w.facts
                    .iter()
                    .any(|f| is(f, "gpb_basic_detail", "subject", Some("30217")))
        })
        .expect("a workbook with both figures");
    let reception = wb
        .facts
        .iter()
        .find(|f| is(f, "sangong", "reception", None))
        .expect("reception")
        .amount;
    let with_30217 = |amount: Decimal| {
        let mut changed = (**wb).clone();
        for f in changed
            .facts
            .iter_mut()
            .filter(|f| is(f, "gpb_basic_detail", "subject", Some("30217")))
        {
            f.amount = amount;
        }
        let run = check(&[Arc::new(changed)], &s.catalogue);
        run.findings
            .iter()
            .filter(|f| &*f.rule_id == "cross.sangong_reception")
            .map(|f| f.severity)
            .collect::<Vec<_>>()
    };
    assert_eq!(with_30217(reception - d("100")), []);
    assert_eq!(with_30217(reception), []);
    assert_eq!(
        with_30217(reception + d("0.01")),
        [FindingSeverity::Rounding]
    );
    assert_eq!(with_30217(reception + d("1000")), [FindingSeverity::Error]);

    // A rule for other years than the workbook's is not applied.
    let mut catalogue = Catalogue::builtin().expect("specs");
    let other_years = format!("{}-", wb.identity.year + 1);
    for rule in catalogue
        .rules
        .iter_mut()
        .filter(|r| &*r.id == "cross.sangong_reception")
    {
        rule.years = juesuan::spec::Years::try_from(other_years.clone()).expect("years");
    }
    let mut changed = (**wb).clone();
    for f in changed
        .facts
        .iter_mut()
        .filter(|f| is(f, "gpb_basic_detail", "subject", Some("30217")))
    {
        f.amount = reception + d("1000");
    }
    let run = check(&[Arc::new(changed)], &catalogue);
    assert!(
        !run.findings
            .iter()
            .any(|f| &*f.rule_id == "cross.sangong_reception")
    );
}

/// A 支出决算表 in 元 over `rows` (amounts in 元).
fn expenditure_table_in_yuan(total: f64, rows: &[(&str, &str, f64)]) -> SheetOut {
    let mut s = expenditure_table(total, rows);
    s.text(1, 3, "单位：元");
    s
}

/// Ten 类 rows in 元, all whole hundreds (typed in 万元 to two decimals).
const TEN_CLASSES_YUAN: [(&str, &str, f64); 10] = [
    ("201", "一般公共服务支出", 123_000.0),
    ("205", "教育支出", 56_700.0),
    ("206", "科学技术支出", 8_900.0),
    ("207", "文化旅游体育与传媒支出", 43_200.0),
    ("208", "社会保障和就业支出", 317_500.0),
    ("210", "卫生健康支出", 98_000.0),
    ("211", "节能环保支出", 400_000.0),
    ("212", "城乡社区支出", 1_102_000.0),
    ("213", "农林水支出", 50_000.0),
    ("221", "住房保障支出", 150_000.0),
];

/// A 元 table whose figures are all whole hundreds is reported as a probable
/// 元/万元 slip and judged with 0.01万元's rounding (50 元 a figure): a 合计
/// 300 元 off its eleven figures is rounding. With one figure not a whole
/// hundred, the table is a 元 table: no report, and the 300 元 an error.
#[test]
fn a_yuan_table_of_whole_hundreds_is_judged_at_fifty_yuan_a_figure() {
    let sum: f64 = TEN_CLASSES_YUAN.iter().map(|r| r.2).sum();
    let name = "杜集区城市管理局2024年度部门决算.xlsx";
    let run = check_workbook(
        &[expenditure_table_in_yuan(sum + 300.0, &TEN_CLASSES_YUAN)],
        name,
    );
    let slip: Vec<_> = run
        .findings
        .iter()
        .filter(|f| &*f.rule_id == "unit.whole_hundreds")
        .collect();
    assert_eq!(slip.len(), 1, "{:#?}", run.findings);
    assert_eq!(slip[0].severity, FindingSeverity::Warning);
    assert!(
        slip[0].description.contains("11 个数字"),
        "{}",
        slip[0].description
    );
    let total = run
        .findings
        .iter()
        .find(|f| &*f.rule_id == "table.subject_tree")
        .expect("the 合计 is judged");
    assert_eq!(total.severity, FindingSeverity::Rounding);
    assert_eq!(total.tolerance, d("550"));

    let mut rows = TEN_CLASSES_YUAN;
    rows[0].2 += 1.0;
    let run = check_workbook(&[expenditure_table_in_yuan(sum + 301.0, &rows)], name);
    assert!(
        run.findings
            .iter()
            .all(|f| &*f.rule_id != "unit.whole_hundreds"),
        "{:#?}",
        run.findings
    );
    let total = run
        .findings
        .iter()
        .find(|f| &*f.rule_id == "table.subject_tree")
        .expect("the 合计 is judged");
    assert_eq!(total.severity, FindingSeverity::Error);
}
