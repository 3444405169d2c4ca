//! Limits on what one file may cost (README, "Reliability"): a sheet whose
//! values span too many cells or hold too many values is refused with a
//! message naming it, a zip bomb is refused from its declared sizes, an
//! `.xls` whose records span an impossible sheet is refused before calamine
//! allocates it, and a file out of time is given up — each without
//! stopping the rest of the workbook or the batch.
mod common;

use common::sheet;
use juesuan::ingest::batch::{Severity, ingest};
use juesuan::ingest::read::{Limits, ReadError, open_bytes};
use juesuan::sample::layout::{Out, SheetOut, Style};
use juesuan::sample::{seed_units, workbook_file, xls_bytes, xlsx_bytes};
use juesuan::spec::Catalogue;
use std::time::Duration;

/// A table-like sheet of `rows` × `cols` numbers.
fn table(name: &str, rows: u32, cols: u32) -> SheetOut {
    let mut s = sheet(name, &[]);
    for r in 0..rows {
        for c in 0..cols {
            s.put(r, c, Out::Number(f64::from(r * cols + c)));
        }
    }
    s
}

/// Each sheet's name with the reason it was not read, if it was not.
fn read_all(bytes: Vec<u8>, limits: &Limits) -> Result<Vec<(String, Option<String>)>, ReadError> {
    let mut book = open_bytes(bytes, limits)?;
    let mut sheets = Vec::new();
    book.read_sheets(|sheet| match sheet {
        Ok(s) => sheets.push((s.name.to_string(), None)),
        Err(e) => sheets.push((e.name, Some(e.message))),
    })?;
    Ok(sheets)
}

#[test]
fn values_far_apart_are_refused_and_the_other_sheets_read() {
    let stray = sheet(
        "stray",
        &[
            ((0, 0), Out::Text("note".into())),
            ((1_048_575, 16_383), Out::Number(1.0)),
        ],
    );
    let bytes = xlsx_bytes(&[stray, table("table", 20, 5)]).expect("xlsx");
    let sheets = read_all(bytes, &Limits::default()).expect("workbook opens");
    assert_eq!(sheets.len(), 2);
    let why = sheets[0].1.as_deref().expect("stray sheet refused");
    assert!(
        why.contains("A1:XFD1048576") && why.contains("17179869184 cells"),
        "{why}"
    );
    assert_eq!(
        sheets[1],
        ("table".to_string(), None),
        "the next sheet is read"
    );
}

#[test]
fn too_many_values_are_refused_while_reading() {
    let bytes = xlsx_bytes(&[table("big", 300, 10), table("small", 10, 10)]).expect("xlsx");
    let limits = Limits {
        sheet_values: 2_000,
        ..Limits::default()
    };
    let sheets = read_all(bytes.clone(), &limits).expect("workbook opens");
    let why = sheets[0].1.as_deref().expect("big sheet refused");
    assert!(why.contains("more than 2000 values"), "{why}");
    assert_eq!(sheets[1].1, None);
    // Within the limit, the same sheet is read.
    let sheets = read_all(bytes, &Limits::default()).expect("workbook opens");
    assert!(sheets.iter().all(|(_, why)| why.is_none()), "{sheets:?}");
}

/// A million-row sheet is read in bounded memory (its values are within
/// the limit): the whole run's peak stays far below what the grid of an
/// unbounded reader would need, and the batch's other file is read.
#[test]
fn a_million_row_sheet_is_read_in_bounded_memory() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("long.xlsx"),
        one_column_xlsx("long", 1_048_576),
    )
    .expect("w");
    let catalogue = Catalogue::builtin().expect("specs");
    let good = workbook_file(
        &seed_units().expect("seeds")[0],
        &Style::plain_a(),
        &catalogue,
        "g",
    )
    .expect("workbook");
    std::fs::write(dir.path().join("good.xlsx"), good.bytes).expect("write");
    let out = dir.path().join("out");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(["ingest", "-q", "--out"])
        .arg(&out)
        .arg(dir.path())
        .output()
        .expect("run juesuan");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("files: 2 seen = 1 read + 1 rejected"),
        "{stderr}"
    );
    let peak_mb: u64 = stderr
        .split("peak memory ")
        .nth(1)
        .and_then(|s| s.split(" MB").next())
        .and_then(|s| s.parse().ok())
        .expect("peak memory printed");
    // The sheet's values and grid take ≈ 60 MB; an unbounded reader of
    // the same sheet at full Excel width would need hundreds of GB.
    assert!(peak_mb < 512, "peak memory {peak_mb} MB:\n{stderr}");
    let report = std::fs::read_to_string(out.join("ingest_report.csv")).expect("report");
    assert!(
        report.contains("long.xlsx,long,,warning,skipped"),
        "the long sheet was read (and is no known form): {report}"
    );
}

/// An `.xlsx` of one sheet with `rows` numbers in column A, its parts
/// stored rather than deflated: as an export tool writes it, and quick to
/// make at a million rows.
fn one_column_xlsx(sheet: &str, rows: u32) -> Vec<u8> {
    use std::fmt::Write as _;
    use std::io::Write as _;
    let mut data = String::with_capacity(rows as usize * 48);
    for r in 1..=rows {
        let _ = write!(data, r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>"#);
    }
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ),
        (
            "xl/workbook.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>{data}</sheetData></worksheet>"#),
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in parts {
        zip.start_file(name, stored).expect("zip part");
        zip.write_all(text.as_bytes()).expect("zip write");
    }
    zip.finish().expect("zip").into_inner()
}

#[test]
fn a_zip_bomb_is_refused_from_its_declared_sizes() {
    let mut bytes = xlsx_bytes(&[table("table", 5, 5)]).expect("xlsx");
    // Declare that the sheet unpacks to 4 GB, in the central directory.
    let name = b"xl/worksheets/sheet1.xml";
    let header = (0..bytes.len() - 46)
        .find(|&i| bytes[i..i + 4] == *b"PK\x01\x02" && bytes[i + 46..].starts_with(name))
        .expect("central directory entry of the sheet");
    bytes[header + 24..header + 28].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    let error = read_all(bytes, &Limits::default()).expect_err("refused");
    let message = error.to_string();
    assert!(matches!(error, ReadError::TooLarge(_)), "{message}");
    assert!(
        message.contains("sheet1.xml with 4294967280 bytes"),
        "{message}"
    );
}

#[test]
fn an_xls_whose_cells_span_too_many_cells_is_refused_before_it_is_read() {
    let spread = sheet(
        "spread",
        &[
            ((0, 0), Out::Text("a".into())),
            ((65_535, 255), Out::Number(1.0)),
        ],
    );
    let bytes = xls_bytes(&[table("table", 5, 5), spread]).expect("xls");
    let error = read_all(bytes.clone(), &Limits::default()).expect_err("refused");
    let message = error.to_string();
    assert!(
        message.contains("sheet 2") && message.contains("A1:IV65536"),
        "{message}"
    );
    // In a batch, the file is rejected with that reason and the batch goes on.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("spread.xls"), bytes).expect("write");
    std::fs::write(
        dir.path().join("ok.xls"),
        xls_bytes(&[table("table", 5, 5)]).expect("xls"),
    )
    .expect("write");
    let batch = ingest(
        &[dir.path().to_path_buf()],
        &Catalogue::builtin().expect("specs"),
        false,
    );
    let rejected: Vec<_> = batch
        .report
        .iter()
        .filter(|r| r.kind == "rejected")
        .collect();
    assert_eq!(rejected.len(), 2, "{:#?}", batch.report);
    assert!(rejected.iter().any(|r| r.file.ends_with("spread.xls")
        && r.severity == Severity::Error
        && r.message.contains("A1:IV65536")));
    assert!(
        batch
            .report
            .iter()
            .any(|r| r.file.ends_with("ok.xls") && r.kind == "skipped"),
        "the other file was read: {:#?}",
        batch.report
    );
}

#[test]
fn a_file_out_of_time_is_given_up() {
    let bytes = xlsx_bytes(&[table("a", 5, 5), table("b", 5, 5)]).expect("xlsx");
    let limits = Limits {
        file_time: Duration::ZERO,
        ..Limits::default()
    };
    match read_all(bytes, &limits) {
        Err(ReadError::TimeLimit { sheet, .. }) => assert_eq!(sheet, "a"),
        other => panic!("expected the time limit, got {other:?}"),
    }
}
