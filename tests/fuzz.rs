//! Property tests over the path from bytes to facts (run in CI): text and
//! number parsing, and whole workbooks mutated from the sample corpus —
//! random bytes flipped, files truncated, bytes inserted, cells shuffled,
//! text in number cells. Nothing may panic, every file is accounted for, and
//! amounts written as text read back exactly.
//!
//! Cases per property: `PROPTEST_CASES` (default 64 here; raise it to fuzz longer).
//! Seed: fixed unless `JUESUAN_FUZZ_SEED` is a number or `random`.
use juesuan::ingest::amount::{CellAmount, decimal_from_f64, parse_text_amount};
use juesuan::ingest::batch::ingest;
use juesuan::sample::layout::{Out, SheetOut};
use juesuan::sample::xlsx_bytes;
use juesuan::spec::Catalogue;
use juesuan::text::{find_year, label_key, normalise, unit_name_key};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// 64 cases per property with a fixed seed in CI (the same inputs every run);
/// `PROPTEST_CASES=20000 JUESUAN_FUZZ_SEED=random cargo test --release --test fuzz`
/// fuzzes longer with fresh inputs.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(64);
    let rng_seed = match std::env::var("JUESUAN_FUZZ_SEED").ok().as_deref() {
        Some("random") => RngSeed::Random,
        Some(seed) => RngSeed::Fixed(seed.parse().unwrap_or(20_261_122)),
        None => RngSeed::Fixed(20_261_122),
    };
    ProptestConfig {
        cases,
        rng_seed,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| Catalogue::builtin().expect("specs"))
}

fn sample(path: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("sample_data")
            .join(path),
    )
    .expect("sample file")
}

/// One .xlsx and one .xls workbook of the committed sample.
fn bases() -> &'static [Vec<u8>; 2] {
    static BASES: OnceLock<[Vec<u8>; 2]> = OnceLock::new();
    BASES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data");
        let find = |ext: &str| -> PathBuf {
            let mut stack = vec![root.join("corpus")];
            let mut found = Vec::new();
            while let Some(dir) = stack.pop() {
                for e in std::fs::read_dir(&dir).expect("dir").flatten() {
                    let p = e.path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if p.extension().is_some_and(|x| x == ext) {
                        found.push(p);
                    }
                }
            }
            found.sort();
            found.into_iter().next().expect("a sample file")
        };
        [
            sample("seeds/2023_攀枝花市城市管理行政执法局_汇总表.xlsx"),
            std::fs::read(find("xls")).expect("xls"),
        ]
    })
}

/// Ingests the given files (name, bytes); asserts nothing is lost.
fn ingest_files(files: &[(&str, Vec<u8>)]) {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).expect("write");
    }
    let batch = ingest(&[dir.path().to_path_buf()], catalogue(), false);
    assert_eq!(batch.files_seen, files.len());
    if let Err(e) = batch.check_accounting() {
        panic!("every file is read or rejected: {e}");
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, byte: u8 },
    Truncate { at: usize },
    Insert { at: usize, bytes: Vec<u8> },
}

fn mutate(bytes: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for m in mutations {
        if out.is_empty() {
            break;
        }
        match m {
            Mutation::Flip { at, byte } => {
                let i = at % out.len();
                out[i] ^= byte | 1;
            }
            Mutation::Truncate { at } => out.truncate(at % out.len()),
            Mutation::Insert { at, bytes } => {
                let i = at % out.len();
                out.splice(i..i, bytes.iter().copied());
            }
        }
    }
    out
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip { at, byte }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        (
            any::<usize>(),
            proptest::collection::vec(any::<u8>(), 1..64)
        )
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
    ]
}

/// Words of real tables, to build grids the recogniser and extractor take seriously.
const WORDS: &[&str] = &[
    "收入支出决算总表",
    "支出决算表",
    "财政拨款“三公”经费支出决算表",
    "一般公共预算财政拨款基本支出决算明细表",
    "单位：万元",
    "金额单位：元",
    "编制单位：江城市民政局",
    "2023年度",
    "项目",
    "科目编码",
    "科目名称",
    "合计",
    "本年支出合计",
    "基本支出",
    "项目支出",
    "预算数",
    "决算数",
    "因公出国（境）费",
    "公务接待费",
    "行次",
    "栏次",
    "208",
    "20805",
    "2080505",
    "一、",
    "（25）",
    "1,234.50",
    "１２３",
    "—",
    "/",
    "见附表",
    "注：本表无数据",
];

fn cell() -> impl Strategy<Value = Out> {
    prop_oneof![
        proptest::sample::select(WORDS).prop_map(|w| Out::Text(w.to_string())),
        any::<String>().prop_map(Out::Text),
        (-1e12f64..1e12).prop_map(Out::Number),
        any::<f64>().prop_map(Out::Number),
        proptest::sample::select(WORDS).prop_map(|w| Out::Formula("1+1".into(), w.len() as f64)),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn text_and_number_parsing_never_panics(text in any::<String>(), value in any::<f64>()) {
        let nothing = catalogue().nothing.clone();
        let _ = parse_text_amount(&text, &nothing);
        let _ = normalise(&text);
        let _ = label_key(&text);
        let _ = unit_name_key(&text);
        let _ = find_year(&text);
        if let Some(d) = decimal_from_f64(value) {
            prop_assert!(value.is_finite());
            let _ = d;
        }
    }

    #[test]
    fn amounts_written_as_text_read_back_exactly(
        cents in -1_000_000_000_000i64..1_000_000_000_000,
        separators in any::<bool>(),
        full_width in any::<bool>(),
        brackets in any::<bool>(),
    ) {
        let value = Decimal::new(cents, 2);
        let digits = format!("{:.2}", value.abs());
        let (int, frac) = digits.split_once('.').expect("two decimals");
        let mut grouped = String::new();
        for (i, c) in int.chars().enumerate() {
            if separators && i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let mut text = format!("{grouped}.{frac}");
        if full_width {
            text = text
                .chars()
                .map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 - '0' as u32 + '０' as u32).expect("digit") } else { c })
                .collect();
        }
        if value.is_sign_negative() && !value.is_zero() {
            text = if brackets { format!("（{text}）") } else { format!("-{text}") };
        }
        prop_assert_eq!(parse_text_amount(&text, &catalogue().nothing), CellAmount::Number(value));
    }

    #[test]
    fn mutated_workbooks_never_panic_and_are_accounted_for(
        which in 0usize..2,
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let base = &bases()[which];
        let name = if which == 0 { "mutant.xlsx" } else { "mutant.xls" };
        ingest_files(&[(name, mutate(base, &mutations)), ("random.xlsx", mutations.iter().map(|m| match m { Mutation::Flip { byte, .. } => *byte, _ => 0x50 }).collect())]);
    }

    #[test]
    fn shuffled_grids_with_text_in_number_cells_never_panic(
        cells in proptest::collection::vec(((0u32..40, 0u32..12), cell()), 0..200),
        names in proptest::collection::vec(proptest::sample::select(WORDS), 1..3),
    ) {
        let sheets: Vec<SheetOut> = names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let mut s = SheetOut {
                    name: format!("{}{i}", name.chars().filter(|c| !"[]:*?/\\'".contains(*c)).take(28).collect::<String>()),
                    ..Default::default()
                };
                for ((r, c), out) in &cells {
                    if let Out::Number(x) = out && !x.is_finite() {
                        continue;
                    }
                    s.put(*r, *c, out.clone());
                }
                s
            })
            .collect();
        if let Ok(bytes) = xlsx_bytes(&sheets) {
            ingest_files(&[("江城市民政局2023年度部门决算.xlsx", bytes)]);
        }
    }
}

/// Found by `mutated_workbooks_never_panic_and_are_accounted_for`: one flipped
/// byte in a BIFF8 record makes calamine panic (an assertion in its .xls
/// reader). The file is reported as damaged and the batch goes on.
#[test]
fn a_file_that_makes_the_reader_panic_is_rejected_and_the_batch_goes_on() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reader_panic.xls");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(&fixture, dir.path().join("damaged.xls")).expect("copy");
    std::fs::write(dir.path().join("good.xlsx"), &bases()[0]).expect("write");
    let batch = ingest(&[dir.path().to_path_buf()], catalogue(), false);
    assert_eq!(batch.files_seen, 2);
    assert_eq!(batch.workbooks.len(), 1, "the good file is still read");
    let damaged: Vec<_> = batch
        .report
        .iter()
        .filter(|r| {
            r.file.ends_with("damaged.xls") && r.severity == juesuan::ingest::batch::Severity::Error
        })
        .collect();
    assert_eq!(damaged.len(), 1, "{:#?}", batch.report);
    assert!(
        damaged[0].message.contains("damaged"),
        "{}",
        damaged[0].message
    );
}

/// Found by the fuzzer at 20,000 cases: one flipped byte in an .xls
/// DIMENSIONS record made calamine allocate 3.5 PB and abort the process.
/// The file is now refused as damaged before calamine reads it.
#[test]
fn an_xls_declaring_an_impossible_sheet_size_is_refused_not_allocated() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dimension_bomb.xls");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(&fixture, dir.path().join("bomb.xls")).expect("copy");
    let batch = ingest(&[dir.path().to_path_buf()], catalogue(), false);
    assert_eq!((batch.files_seen, batch.workbooks.len()), (1, 0));
    let error = batch
        .report
        .iter()
        .find(|r| r.severity == juesuan::ingest::batch::Severity::Error)
        .expect("an error row");
    assert!(error.message.contains("65,536"), "{}", error.message);
}
