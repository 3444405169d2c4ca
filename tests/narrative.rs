//! The narrative (情况说明): the five published reports of `tests/narratives/`
//! (copies of `../shared/seeds/`) read and checked, their real defects
//! found and their correct statements left alone.

use std::path::PathBuf;

use juesuan::narrative::check::Verdict;
use juesuan::narrative::claims::Kind;
use juesuan::narrative::spec::ClaimsSpec;
use juesuan::narrative::{Narrative, Narratives, read_all};
use juesuan::rules::FindingSeverity;
use juesuan::spec::Catalogue;

fn seed(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/narratives");
    std::fs::read_dir(&dir)
        .expect("tests/narratives")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(name))
        })
        .unwrap_or_else(|| panic!("no seed {name}"))
}

fn read(paths: &[PathBuf]) -> Narratives {
    let spec = ClaimsSpec::builtin().expect("claims spec");
    let catalogue = Catalogue::builtin().expect("specs");
    read_all(paths, &spec, &catalogue.common.identity.document_words)
}

fn one(name: &str) -> Narrative {
    let mut n = read(&[seed(name)]);
    assert!(n.rejected.is_empty(), "{:?}", n.rejected);
    n.read.remove(0)
}

/// The line (1-based) of each finding of `rule`.
fn lines_of(n: &Narrative, rule: &str, severity: FindingSeverity) -> Vec<u32> {
    n.findings
        .iter()
        .filter(|f| f.rule_id == rule && f.severity == severity)
        .map(|f| n.lines[f.lines[0]].number)
        .collect()
}

/// The verdict on the claim of `kind` with `value` in the line containing `text`.
fn verdict(n: &Narrative, text: &str, kind: Kind, value: &str) -> Verdict {
    let found: Vec<Verdict> = n
        .claims
        .iter()
        .zip(&n.verdicts)
        .filter(|(c, _)| {
            c.kind == kind
                && c.value.normalize().to_string() == value
                && n.lines[c.line].text.contains(text)
        })
        .map(|(_, v)| v.0)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one {kind:?} {value} in a line with {text:?}: {found:?}"
    );
    found[0]
}

fn print_findings(n: &Narrative) -> String {
    n.findings
        .iter()
        .map(|f| {
            format!(
                "{} {:?} line {}: {}",
                f.rule_id, f.severity, n.lines[f.lines[0]].number, f.description
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_seed_is_read_with_its_identity() {
    let expected = [
        ("000", "攀枝花市城市管理行政执法局", 2023, "部门决算"),
        ("001", "安宁市城市管理综合服务中心", 2023, "绩效自评"),
        ("002", "攀枝花市数字化城市联动指挥中心", 2020, "部门决算"),
        ("003", "杜集区城市管理局", 2024, "绩效自评"),
        ("004", "湛江市城市管理和综合执法局", 2022, "绩效自评"),
    ];
    for (name, unit, year, kind) in expected {
        let n = one(name);
        let id = &n.identity;
        assert_eq!(
            (id.unit_name.as_str(), id.year, id.kind.as_str()),
            (unit, year, kind),
            "seed {name}"
        );
        assert!(
            n.claims.len() > 10,
            "seed {name}: {} claims",
            n.claims.len()
        );
    }
}

#[test]
fn seed_000_correct_shares_and_changes_hold() {
    let n = one("000");
    // 社会保障和就业支出 2705.84万元 占31.5% of 8589.95.
    assert_eq!(
        verdict(
            &n,
            "主要用于以下方面:一般公共服务支出2.68万元",
            Kind::Share,
            "31.5"
        ),
        Verdict::Holds
    );
    // 住房保障 419.55 / 8589.95 = 4.884%, printed 4.89% so that the list adds up to 100%.
    assert_eq!(
        verdict(
            &n,
            "主要用于以下方面:一般公共服务支出2.68万元",
            Kind::Share,
            "4.89"
        ),
        Verdict::Rounding
    );
    // 三公 61.62, +32.22, +109.59% on 29.40.
    assert_eq!(
        verdict(
            &n,
            "“三公”经费财政拨款支出决算为61.62",
            Kind::ChangePercent,
            "109.59"
        ),
        Verdict::Holds
    );
    // 收支总计 +87.93 (+0.99%) on 8842.02; 一般公共预算 −252.07 (−2.85%).
    assert_eq!(
        verdict(
            &n,
            "与2022年度相比，收、支总计各增加87.93万元",
            Kind::ChangePercent,
            "0.99"
        ),
        Verdict::Holds
    );
    assert_eq!(
        verdict(&n, "减少252.07万元", Kind::ChangePercent, "-2.85"),
        Verdict::Holds
    );
    // 接待 +0.92 (+110.84%) on 0.83.
    assert_eq!(
        verdict(
            &n,
            "增加0.92万元，增长110.84%",
            Kind::ChangePercent,
            "110.84"
        ),
        Verdict::Holds
    );
}

#[test]
fn seed_000_correct_sums_hold() {
    let n = one("000");
    // 三公 61.62 = 0 + 59.87 + 1.75; shares of 三公 97.16% and 2.84%.
    let sangong: Vec<_> = n
        .findings
        .iter()
        .filter(|f| f.rule_id == "narrative.parts" && f.description.contains("三公"))
        .collect();
    assert!(sangong.is_empty(), "{sangong:?}");
    // Its 19 项 lines add up to 8589.97 against 8589.95: rounding, as are
    // its classes against their lines.
    assert!(lines_of(&n, "narrative.function_lines", FindingSeverity::Error).is_empty());
    assert_eq!(
        lines_of(&n, "narrative.function_lines", FindingSeverity::Rounding),
        vec![48, 53, 53]
    );
    assert_eq!(
        verdict(
            &n,
            "“三公”经费财政拨款支出决算为61.62",
            Kind::Amount,
            "61.62"
        ),
        Verdict::Holds
    );
    assert_eq!(
        verdict(&n, "国内公务接待9批次", Kind::Count, "9"),
        Verdict::NotCheckable
    );
    assert_eq!(
        verdict(
            &n,
            "公务用车购置及运行维护费支出决算59.87万元，占97.16%",
            Kind::Share,
            "97.16"
        ),
        Verdict::Holds
    );
}

#[test]
fn seed_000_real_defects_are_found() {
    let n = one("000");
    let report = print_findings(&n);
    // 公务用车 restates the 三公 total's change: +32.22 on 59.87 is +116.53%, not 109.59%.
    assert_eq!(
        lines_of(&n, "narrative.change", FindingSeverity::Error),
        vec![112],
        "{report}"
    );
    // 完成预算100% beside 决算数小于预算数.
    assert_eq!(
        lines_of(&n, "narrative.completion_wording", FindingSeverity::Error),
        vec![103],
        "{report}"
    );
    // 涉及预算总金额239.11元 beside 887.58万元: 元 for 万元.
    assert_eq!(
        lines_of(&n, "narrative.unit_slip", FindingSeverity::Warning),
        vec![238],
        "{report}"
    );
    // 国内公务接待 共计支出1.23万元, its receptions listed add up to 1.76万元.
    assert_eq!(
        lines_of(&n, "narrative.parts", FindingSeverity::Error),
        vec![117],
        "{report}"
    );
    // Nothing else is called an error.
    let errors = n
        .findings
        .iter()
        .filter(|f| f.severity == FindingSeverity::Error)
        .count();
    assert_eq!(errors, 3, "{report}");
}

#[test]
fn seed_002_real_defects_are_found() {
    let n = one("002");
    let report = print_findings(&n);
    // The template's 增加/减少 and 增长/下降 left in (lines 79 and 83 of the text).
    let template = lines_of(&n, "narrative.template", FindingSeverity::Error);
    assert!(template.len() >= 2, "{report}");
    // A 2020 report comparing with 2018.
    assert!(
        !lines_of(&n, "narrative.comparison_year", FindingSeverity::Error).is_empty(),
        "{report}"
    );
    // 城乡社区支出 338.78 of 362.21 is 93.53%, printed 84%.
    assert_eq!(
        verdict(&n, "区支出338.78万元，占84%", Kind::Share, "84"),
        Verdict::Error
    );
    // 0.94 / 1.12 = 83.9% printed as 84% holds.
    assert_eq!(
        verdict(&n, "支出决算0.94万元，占84%", Kind::Share, "84"),
        Verdict::Holds
    );
    // −0.33 on 0.94 is −25.98%, printed −26.3%: inside what 0.01万元 rounding allows.
    assert_eq!(
        verdict(&n, "减少0.33万元，下降26.3%", Kind::ChangePercent, "-26.3"),
        Verdict::Rounding
    );
    // The four 项 lines add up to 362.12, not the 362.21 they make up; the two
    // of 城乡社区 to 338.69, not the class's 338.78.
    assert_eq!(
        lines_of(&n, "narrative.function_lines", FindingSeverity::Error),
        vec![42, 44],
        "{report}"
    );
    // 支出831.37元 where 831.37万元 is meant.
    assert_eq!(
        lines_of(&n, "narrative.unit_slip", FindingSeverity::Error),
        vec![501],
        "{report}"
    );
}

#[test]
fn seed_003_execution_rate_that_follows_from_neither_figure() {
    let n = one("003");
    // 224.05 / 282.19 = 79.40%, printed 75.5% (which is 213.05 / 282.19).
    assert_eq!(
        verdict(&n, "全年实际执行额为 224.05万元", Kind::Rate, "75.5"),
        Verdict::Error
    );
    // The project table's printed 合计 row against its seven rows: 年初预算 and
    // 全年预算 282.19 where the rows add up to 302.19 (lines 71, 72), 全年执行
    // 213.05 where they add up to 224.05 (line 73).
    assert_eq!(
        lines_of(&n, "narrative.table_total", FindingSeverity::Error),
        vec![71, 72, 73]
    );
    let total = n
        .findings
        .iter()
        .filter(|f| f.rule_id == "narrative.table_total")
        .nth(2)
        .expect("found");
    assert_eq!(
        (
            total.left_amount.to_string(),
            total.right_amount.to_string()
        ),
        ("213.05".into(), "224.05".into())
    );
    // 文明创建项目投入金额12.41元, 12.41万元 in the table.
    assert_eq!(
        lines_of(&n, "narrative.unit_slip", FindingSeverity::Error),
        vec![121]
    );
}

#[test]
fn seeds_001_and_004_have_no_narrative_errors() {
    for name in ["001", "004"] {
        let n = one(name);
        let errors: Vec<_> = n
            .findings
            .iter()
            .filter(|f| f.severity == FindingSeverity::Error)
            .collect();
        assert!(errors.is_empty(), "seed {name}: {}", print_findings(&n));
    }
}

#[test]
fn seed_001_year_over_year_changes_are_checked_and_hold() {
    // Seed 001 (a 绩效自评) states its totals as 收入决算数/支出决算数 after a
    // 预算支出完成率: the amounts after that rate are actuals, and each
    // change it states follows from its figures (项目支出 +1.09 on 1.80 is
    // 60.56%, printed 60.67%: inside what 0.01万元 rounding allows).
    let n = one("001");
    let line = "2023年收入决算数1,320.73万元";
    let yoy = [
        (Kind::ChangePercent, "-6.51", Verdict::Holds),
        (Kind::ChangePercent, "-6.52", Verdict::Holds),
        (Kind::ChangePercent, "-6.61", Verdict::Holds),
        (Kind::ChangePercent, "-7.1", Verdict::Holds),
        (Kind::ChangePercent, "4.1", Verdict::Holds),
        (Kind::ChangePercent, "60.67", Verdict::Rounding),
    ];
    for (kind, value, expected) in yoy {
        assert_eq!(verdict(&n, line, kind, value), expected, "{value}");
    }
    let basic = n
        .claims
        .iter()
        .find(|c| c.subject.as_deref() == Some("basic_expenditure") && c.kind == Kind::Amount)
        .expect("基本支出 stated");
    assert_eq!(basic.basis, juesuan::narrative::claims::Basis::Actual);
}

/// A narrative written for the test, as each format carries it.
const REPORT: &str = "某某市城市管理局2023年度部门决算\n2023年度“三公”经费财政拨款支出决算为61.62万元，完成预算100%，较上年度增加32.22万元，增长109.59%。\n2023年度“三公”经费财政拨款支出决算中，因公出国（境）费支出决算0万元，占0%；公务用车购置及运行维护费支出决算59.87万元，占97.16%；公务接待费支出决算1.75万元，占2.84%。\n";

fn check_report(n: &Narrative) {
    assert_eq!(
        (n.identity.unit_name.as_str(), n.identity.year),
        ("某某市城市管理局", 2023)
    );
    assert_eq!(
        verdict(n, "较上年度增加32.22万元", Kind::ChangePercent, "109.59"),
        Verdict::Holds
    );
    assert_eq!(verdict(n, "占97.16%", Kind::Share, "97.16"), Verdict::Holds);
    assert!(
        n.findings
            .iter()
            .all(|f| f.severity != FindingSeverity::Error),
        "{}",
        print_findings(n)
    );
}

#[test]
fn gbk_text_docx_and_html_are_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let gbk = dir.path().join("report_gbk.txt");
    std::fs::write(&gbk, encoding_rs::GBK.encode(REPORT).0).expect("write");
    let docx = dir.path().join("report.docx");
    std::fs::write(&docx, docx_of(REPORT)).expect("write");
    let html = dir.path().join("report.html");
    let body: String = REPORT.lines().map(|l| format!("<p>{l}</p>")).collect();
    std::fs::write(
        &html,
        format!(
            "<html><head><meta charset=\"utf-8\"><title>x</title></head><body>{body}</body></html>"
        ),
    )
    .expect("write");
    let narratives = read(&[gbk, docx, html]);
    assert!(narratives.rejected.is_empty(), "{:?}", narratives.rejected);
    assert_eq!(narratives.read.len(), 3);
    for n in &narratives.read {
        check_report(n);
    }
}

#[test]
fn pdf_made_by_libreoffice_is_read_through_its_text_layer() {
    // tests/narratives/report.pdf: REPORT as a .docx, turned into a PDF by
    // LibreOffice (`soffice --convert-to pdf`), CJK fonts embedded.
    let n = one("report.pdf");
    assert_eq!(n.format, "pdf");
    check_report(&n);
}

#[test]
fn unreadable_documents_are_reported_with_the_reason() {
    let dir = tempfile::tempdir().expect("temp dir");
    let doc = dir.path().join("old.doc");
    std::fs::write(&doc, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]).expect("write");
    let scanned = dir.path().join("scanned.pdf");
    std::fs::copy(seed("no_text_layer.pdf"), &scanned).expect("copy");
    let no_unit = dir.path().join("notes.txt");
    std::fs::write(&no_unit, "会议纪要\n今天开会。\n").expect("write");
    let n = read(&[doc, scanned, no_unit]);
    assert!(n.read.is_empty());
    let reasons: Vec<&str> = n.rejected.iter().map(|(_, r)| r.as_str()).collect();
    assert!(reasons[0].contains(".doc"), "{reasons:?}");
    assert!(reasons[1].contains("no text layer"), "{reasons:?}");
    assert!(reasons[2].contains("missing"), "{reasons:?}");
}

/// A minimal .docx holding `text`, a paragraph per line.
fn docx_of(text: &str) -> Vec<u8> {
    use std::io::Write;
    let paragraphs: String = text
        .lines()
        .map(|l| format!("<w:p><w:r><w:t>{l}</w:t></w:r></w:p>"))
        .collect();
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{paragraphs}</w:body></w:document>"
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("word/document.xml", options).expect("zip");
    zip.write_all(document.as_bytes()).expect("zip");
    zip.finish().expect("zip").into_inner()
}

#[test]
fn no_rounding_gap_is_called_an_error() {
    for name in ["000", "001", "002", "003", "004"] {
        let n = one(name);
        for f in n.findings.iter().filter(|f| {
            f.severity == FindingSeverity::Error && f.tolerance > rust_decimal::Decimal::ZERO
        }) {
            let gap = (f.left_amount - f.right_amount).abs();
            assert!(
                gap > f.tolerance,
                "seed {name}: {} within its tolerance called an error: {}",
                f.rule_id,
                f.description
            );
        }
    }
}

/// `cargo test --release --test narrative dump -- --ignored --nocapture`:
/// every finding and claim of the seeds, for reviewing them by eye.
#[test]
#[ignore]
fn dump() {
    for name in ["000", "001", "002", "003", "004"] {
        let n = one(name);
        println!("=== seed {name}: {:?}\n{}", n.identity, print_findings(&n));
        if std::env::var_os("DUMP_CLAIMS").is_some() {
            for (c, v) in n.claims.iter().zip(&n.verdicts) {
                println!(
                    "  L{} {:?} {} {}{} [{}] {:?} {:?}",
                    n.lines[c.line].number,
                    c.kind,
                    c.subject_label,
                    c.value,
                    c.unit,
                    c.year,
                    c.basis,
                    v.0
                );
            }
        }
    }
}

#[test]
fn seed_000_and_its_workbook_agree_on_every_figure_both_state() {
    // The 2023 report of 攀枝花市城市管理行政执法局 and its hand-built 汇总表 in
    // sample_data/seeds/: every narrative figure that names a table measure
    // is compared, and none differs.
    let (_dir, out) = run_juesuan(|input| {
        let workbook = "2023_攀枝花市城市管理行政执法局_汇总表.xlsx";
        let seeds = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample_data/seeds");
        std::fs::copy(seeds.join(workbook), input.join(workbook)).expect("copy");
        std::fs::copy(seed("000"), input.join("report.txt")).expect("copy");
    });
    let claims = parquet(&out.join("claims.parquet"));
    let column = |name: &str| -> Vec<String> {
        (0..claims.height())
            .map(|i| text(&claims, name, i))
            .collect()
    };
    let (measures, table, reasons) = (column("measure"), column("table_verdict"), column("reason"));
    let compared: Vec<usize> = (0..measures.len())
        .filter(|&i| !table[i].is_empty())
        .collect();
    // The measures' figures and the 功能分类 lines and classes.
    assert!(
        compared.len() >= 45,
        "{} figures compared with the tables",
        compared.len()
    );
    for i in &compared {
        assert_eq!(table[*i], "holds", "{}: {}", measures[*i], reasons[*i]);
    }
    // Counts too: 30 vehicles, 9 receptions of 53 people, as 机构运行信息表 says.
    for count in ["vehicles", "reception_batches", "reception_people"] {
        assert!(
            compared.iter().any(|&i| measures[i] == count),
            "{count} compared"
        );
    }
    let findings = std::fs::read_to_string(out.join("findings.csv")).expect("findings");
    assert!(!findings.contains("narrative.table"), "{findings}");
}

#[test]
fn function_lines_and_classes_are_compared_with_the_rows_their_names_find() {
    // Seed 000 beside its workbook, with one 项 line and one 类 miswritten:
    // each is an error naming the row's cell, and every other line and
    // class it states is compared with its row and agrees.
    let report = std::fs::read_to_string(seed("000"))
        .expect("seed")
        .replace(
            "行政运行（项）:支出决算为755.6万元",
            "行政运行（项）:支出决算为765.6万元",
        )
        .replace("城乡社区支出5331.03万元", "城乡社区支出5341.03万元");
    let (_dir, out) = run_juesuan(|input| {
        let workbook = "2023_攀枝花市城市管理行政执法局_汇总表.xlsx";
        let seeds = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample_data/seeds");
        std::fs::copy(seeds.join(workbook), input.join(workbook)).expect("copy");
        std::fs::write(input.join("report.txt"), &report).expect("write");
    });
    let findings = std::fs::read_to_string(out.join("findings.csv")).expect("findings");
    let table: Vec<&str> = findings
        .lines()
        .filter(|l| l.contains("narrative.table"))
        .collect();
    assert_eq!(table.len(), 2, "{}", table.join("\n"));
    assert!(
        table
            .iter()
            .any(|l| l.contains("第53行") && l.contains("212 城乡社区支出")),
        "{}",
        table.join("\n")
    );
    assert!(
        table
            .iter()
            .any(|l| l.contains("第80行") && l.contains("2120101 行政运行")),
        "{}",
        table.join("\n")
    );
    let claims = parquet(&out.join("claims.parquet"));
    let rows: Vec<(String, String, String)> = (0..claims.height())
        .filter(|&i| text(&claims, "table_figure", i).starts_with("gpb_expenditure"))
        .map(|i| {
            let t = |c: &str| text(&claims, c, i);
            (t("table_figure"), t("table_cells"), t("table_verdict"))
        })
        .collect();
    // 18 of the 19 lines (食品安全监督 is not the table's 食品安全监管) and
    // the 6 classes, each compared once, two of them differing.
    assert_eq!(rows.len(), 24, "{rows:#?}");
    let errors: Vec<_> = rows.iter().filter(|r| r.2 == "error").collect();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(rows.iter().all(|r| !r.1.is_empty()), "{rows:#?}");
}

/// The planted narrative defects of truth.csv: (file, rule, the planted line's text).
fn planted_narrative_defects(root: &std::path::Path) -> Vec<(String, String, String)> {
    let mut reader = csv::Reader::from_path(root.join("truth.csv")).expect("truth.csv");
    let headers = reader.headers().expect("headers").clone();
    let at = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
            .expect(name)
    };
    let (kind, code, file, detail) = (at("kind"), at("code"), at("file"), at("detail"));
    reader
        .records()
        .map(|r| r.expect("row"))
        .filter(|r| &r[kind] == "narrative_error")
        .map(|r| {
            let line = r[detail]
                .split_once(": ")
                .map_or("", |(_, l)| l)
                .to_string();
            (r[file].to_string(), r[code].to_string(), line)
        })
        .collect()
}

#[test]
fn sample_narratives_every_planted_defect_is_an_error_on_its_line_and_nothing_else_is() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample_data");
    let documents = juesuan::ingest::discover::discover(std::slice::from_ref(&root)).documents;
    assert_eq!(documents.len(), 90, "a narrative per department-year");
    let formats: std::collections::BTreeSet<_> = documents
        .iter()
        .filter_map(|d| d.extension())
        .map(|e| e.to_string_lossy().to_string())
        .collect();
    assert_eq!(
        formats.into_iter().collect::<Vec<_>>(),
        ["docx", "pdf", "txt"]
    );
    let narratives = read(&documents);
    assert!(narratives.rejected.is_empty(), "{:?}", narratives.rejected);
    let planted = planted_narrative_defects(&root);
    assert!(planted.len() >= 9, "{} planted", planted.len());
    let kinds: std::collections::BTreeSet<&str> = planted.iter().map(|p| p.1.as_str()).collect();
    assert_eq!(kinds.len(), 9, "every kind planted: {kinds:?}");
    // Every error is on a planted line, and every planted line has an error of its rule.
    let mut found = std::collections::BTreeSet::new();
    for n in &narratives.read {
        let rel = n
            .file
            .strip_prefix(&format!("{}/", root.display()))
            .unwrap_or(&n.file)
            .to_string();
        for f in n
            .findings
            .iter()
            .filter(|f| f.severity == FindingSeverity::Error)
        {
            let line = n.lines[f.lines[0]].text.trim().to_string();
            let ours = planted
                .iter()
                .any(|(file, _, text)| *file == rel && *text == line);
            assert!(
                ours,
                "an error no defect was planted for: {rel}: {} — {line}",
                f.description
            );
            found.insert((rel.clone(), f.rule_id.to_string(), line));
        }
    }
    for p in &planted {
        assert!(
            found.contains(p),
            "planted {} not found in {}: {}",
            p.1,
            p.0,
            p.2
        );
    }
}

#[test]
fn a_department_known_only_from_its_narrative_is_in_the_sangong_league_table() {
    let (_dir, out) = run_juesuan(|input| {
        let public = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample_data/corpus/2023/公开");
        for entry in std::fs::read_dir(public).expect("corpus") {
            let path = entry.expect("entry").path();
            std::fs::copy(&path, input.join(path.file_name().expect("name"))).expect("copy");
        }
        std::fs::write(input.join("report.txt"), REPORT).expect("write");
    });
    let metrics = parquet(&out.join("metrics.parquet"));
    let metric = |name: &str, i: usize| text(&metrics, name, i);
    let mut rows = Vec::new();
    for i in 0..metrics.height() {
        if metric("entity_name", i).contains("某某市城市管理局")
            && metric("metric", i).starts_with("sangong")
        {
            rows.push((
                metric("year", i),
                metric("basis", i),
                metric("metric", i),
                metric("amount", i),
                metric("rank", i),
            ));
        }
    }
    let find =
        |year: &str, metric: &str| rows.iter().find(|r| r.0 == year && r.2 == metric).cloned();
    let actual =
        find("2023", "sangong_actual").unwrap_or_else(|| panic!("2023 三公 stated: {rows:?}"));
    assert_eq!(
        (actual.1.as_str(), actual.3.as_str()),
        ("情况说明", "616200.00"),
        "{rows:?}"
    );
    // 2022 from the stated change: 61.62 − 32.22 = 29.40万元.
    assert_eq!(
        find("2022", "sangong_actual").map(|r| r.3),
        Some("294000.00".to_string()),
        "{rows:?}"
    );
    let change = find("2023", "sangong_change").expect("三公 change");
    assert!(change.4.parse::<i64>().is_ok(), "ranked: {rows:?}");
    // A fact of facts.parquet, its source the narrative's line.
    let facts = parquet(&out.join("facts.parquet"));
    let stated: Vec<(String, String, String, String)> = (0..facts.height())
        .filter(|&i| text(&facts, "unit_name", i) == "某某市城市管理局")
        .map(|i| {
            let t = |c: &str| text(&facts, c, i);
            (t("year"), t("item"), t("amount"), t("source_cell"))
        })
        .collect();
    assert!(
        stated.contains(&(
            "2023".into(),
            "sangong_total".into(),
            "616200.00".into(),
            "第2行".into()
        )),
        "{stated:?}"
    );
    // And on the 三公经费 league sheet.
    use calamine::{DataType, Reader};
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(out.join("league_tables.xlsx")).expect("workbook");
    let sheet = book.worksheet_range("三公经费").expect("三公经费 sheet");
    assert!(
        sheet
            .rows()
            .any(|r| r.iter().any(|c| c.get_string() == Some("某某市城市管理局"))),
        "the department is listed"
    );
    // The 总览 counts the narratives, every count on a row of its own.
    let overview = book.worksheet_range("总览").expect("总览 sheet");
    let labels: Vec<String> = overview
        .rows()
        .filter_map(|r| r.first().and_then(|c| c.get_string()).map(str::to_string))
        .collect();
    for label in [
        "情况说明文件",
        "说明所述数字",
        "说明核对一致",
        "说明核对错误",
        "异常标记",
    ] {
        assert!(labels.iter().any(|l| l == label), "{label} in {labels:?}");
    }
}

/// A narrative of `lines` under the title of 某某市城市管理局's 2023 report.
fn narrative_of(lines: &[&str]) -> Narrative {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("report.txt");
    let text = std::iter::once("某某市城市管理局2023年度部门决算")
        .chain(lines.iter().copied())
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&path, text).expect("write");
    let mut n = read(&[path]);
    assert!(n.rejected.is_empty(), "{:?}", n.rejected);
    n.read.remove(0)
}

#[test]
fn the_previous_year_a_change_implies_agrees_with_the_one_stated() {
    let now = "2023年度“三公”经费财政拨款支出决算为61.62万元，较上年度增加32.22万元。";
    let agrees = narrative_of(&[now, "2022年度“三公”经费财政拨款支出决算为29.40万元。"]);
    assert!(lines_of(&agrees, "narrative.previous_year", FindingSeverity::Error).is_empty());
    let differs = narrative_of(&[now, "2022年度“三公”经费财政拨款支出决算为30.40万元。"]);
    assert_eq!(
        lines_of(&differs, "narrative.previous_year", FindingSeverity::Error),
        vec![2]
    );
    // Two changes of one quantity that imply two previous years.
    let twice = narrative_of(&[
        now,
        "“三公”经费财政拨款支出61.62万元，比上年增加30.22万元。",
    ]);
    assert_eq!(
        lines_of(&twice, "narrative.previous_year", FindingSeverity::Error),
        vec![3]
    );
}

/// `juesuan run` on a folder `fill` puts files in: the temp dir (kept alive
/// by the caller) and the output folder.
fn run_juesuan(fill: impl FnOnce(&std::path::Path)) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("in");
    std::fs::create_dir(&input).expect("mkdir");
    fill(&input);
    let out = dir.path().join("out");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(["run", "-q", "--out"])
        .arg(&out)
        .arg(&input)
        .status()
        .expect("juesuan runs");
    // 1: a file of the input was rejected (the sample's public tables hold one).
    assert!(status.code().is_some_and(|c| c <= 1), "{status:?}");
    (dir, out)
}

fn parquet(path: &std::path::Path) -> polars::prelude::DataFrame {
    use polars::prelude::SerReader;
    polars::prelude::ParquetReader::new(std::fs::File::open(path).expect("parquet"))
        .finish()
        .expect("read parquet")
}

/// A cell as text (a string without its quotes).
fn text(frame: &polars::prelude::DataFrame, column: &str, row: usize) -> String {
    frame
        .column(column)
        .expect(column)
        .as_materialized_series()
        .get(row)
        .map(|v| v.get_str().map_or_else(|| v.to_string(), str::to_string))
        .unwrap_or_default()
}

#[test]
fn a_minus_after_a_direction_word_is_an_error() {
    let n =
        narrative_of(&["2023年度“三公”经费财政拨款支出决算为61.62万元，较上年度增加-3.50万元。"]);
    assert_eq!(
        lines_of(&n, "narrative.direction", FindingSeverity::Error),
        vec![2]
    );
}
