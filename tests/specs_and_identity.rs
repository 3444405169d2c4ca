//! Adding a form is an edit to a spec file, not code; identity conflicts are
//! reported; `--strict` makes warnings fatal.
use juesuan::ingest::batch::{Severity, ingest};
use juesuan::sample::layout::{Out, SheetOut};
use juesuan::sample::xlsx_bytes;
use juesuan::spec::Catalogue;
use rust_decimal::Decimal;

fn text(t: &str) -> Out {
    Out::Text(t.into())
}

/// A project execution table like seed 003's (杜集区城市管理局 2024).
fn project_table() -> SheetOut {
    let mut s = SheetOut {
        name: "项目执行".into(),
        ..Default::default()
    };
    s.text(0, 0, "2024年度项目支出执行情况表");
    s.text(1, 0, "编制单位：杜集区城市管理局");
    s.text(1, 2, "单位：万元");
    for (c, h) in ["项目名称", "预算数", "执行数"].iter().enumerate() {
        s.text(2, c as u32, *h);
    }
    for (r, (label, budget, spent)) in [
        ("环卫保洁", 120.0, 118.5),
        ("园林养护", 60.0, 52.0),
        ("合计", 180.0, 170.5),
    ]
    .iter()
    .enumerate()
    {
        let r = r as u32 + 3;
        s.text(r, 0, *label);
        s.put(r, 1, Out::Number(*budget));
        s.put(r, 2, Out::Number(*spent));
    }
    s
}

const PROJECT_SPEC: &str = r#"
key = "project_execution"
name = "项目支出执行情况表"
code = "自定义01"
families = ["B"]
titles = ["项目支出执行情况表"]
codes = []

[[panels]]
name = "projects"
columns = [
  { key = "budget", headers = ["预算数"] },
  { key = "spent", headers = ["执行数", "决算数"] },
]
items = [
  { key = "sanitation", labels = ["环卫保洁"] },
  { key = "greening", labels = ["园林养护"] },
  { key = "total", labels = ["合计"] },
]
"#;

#[test]
fn a_new_form_is_a_spec_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("mkdir");
    std::fs::write(
        data.join("杜集区城市管理局.xlsx"),
        xlsx_bytes(&[project_table()]).expect("xlsx"),
    )
    .expect("write");

    // Built-in specs: the sheet is unknown and nothing is read.
    let builtin = ingest(
        std::slice::from_ref(&data),
        &Catalogue::builtin().expect("specs"),
        false,
    );
    assert!(
        builtin
            .report
            .iter()
            .any(|r| r.message.contains("unknown sheet"))
    );

    // With the spec file added, the same sheet gives six facts in exact 元.
    let specs = dir.path().join("specs");
    std::fs::create_dir_all(specs.join("forms")).expect("mkdir");
    std::fs::write(specs.join("forms/project_execution.toml"), PROJECT_SPEC).expect("write spec");
    let catalogue = Catalogue::load(Some(&specs)).expect("specs with the new form");
    let batch = ingest(std::slice::from_ref(&data), &catalogue, false);
    let w = &batch.workbooks[0];
    assert_eq!(
        (w.identity.year, w.identity.unit_name.as_str()),
        (2024, "杜集区城市管理局")
    );
    assert_eq!(w.facts.len(), 6);
    let total = w
        .facts
        .iter()
        .find(|f| f.item == "total" && f.column == "spent")
        .expect("total");
    assert_eq!(total.amount, Decimal::from(1_705_000));
    assert_eq!(total.cell(), "C6");
}

#[test]
fn year_conflict_between_cover_and_titles_is_reported() {
    let mut cover = SheetOut {
        name: "封面".into(),
        ..Default::default()
    };
    for (r, (label, value)) in [
        ("单位名称", "测试单位"),
        ("单位代码", "900001"),
        ("报表类型", "单户表"),
        ("年度", "2023"),
    ]
    .iter()
    .enumerate()
    {
        cover.text(r as u32, 0, *label);
        cover.text(r as u32, 1, *value);
    }
    let mut table = SheetOut {
        name: "三公".into(),
        ..Default::default()
    };
    table.text(0, 0, "财政拨款“三公”经费支出决算表");
    table.text(1, 0, "2022年度");
    table.text(1, 2, "单位：元");
    table.put(2, 0, text("项目"));
    table.put(2, 1, text("决算数"));
    table.put(3, 0, text("合计"));
    table.put(3, 1, Out::Number(100.0));
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("book.xlsx"),
        xlsx_bytes(&[cover, table]).expect("xlsx"),
    )
    .expect("write");
    let batch = ingest(
        &[dir.path().to_path_buf()],
        &Catalogue::builtin().expect("specs"),
        false,
    );
    let w = &batch.workbooks[0];
    assert_eq!(w.identity.year, 2023, "the cover wins");
    assert_eq!(w.identity.unit_id, "900001");
    let conflict = batch
        .report
        .iter()
        .find(|r| r.kind == "identity")
        .expect("a conflict line");
    assert_eq!(conflict.severity, Severity::Warning);
    assert!(
        conflict.message.contains("year conflict") && conflict.message.contains("2022"),
        "{}",
        conflict.message
    );

    // --strict turns that warning into a failing exit status.
    let out = dir.path().join("out");
    let run = |strict: bool| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_juesuan"));
        cmd.args(["ingest", "-q", "--out"])
            .arg(&out)
            .arg(dir.path().join("book.xlsx"));
        if strict {
            cmd.arg("--strict");
        }
        cmd.status().expect("run").code()
    };
    assert_eq!(run(false), Some(0));
    assert_eq!(run(true), Some(1));
}

#[test]
fn every_canonical_key_is_in_the_glossary() {
    let glossary = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/GLOSSARY.md"))
        .expect("GLOSSARY.md");
    let catalogue = Catalogue::builtin().expect("specs");
    let mut missing = Vec::new();
    for form in &catalogue.forms {
        let keys =
            std::iter::once(form.spec.key.as_str()).chain(form.panels.iter().flat_map(|p| {
                p.items
                    .iter()
                    .map(|i| i.key)
                    .chain(p.columns.iter().map(|c| c.key))
            }));
        for key in keys {
            if !glossary.contains(&format!("| `{key}` |")) {
                missing.push(key.to_string());
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "not in GLOSSARY.md: {missing:?}");
}
