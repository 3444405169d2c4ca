//! Small tables an analyst keeps beside the inputs — the review file, the
//! roster — as CSV (UTF-8, or GB18030 as Excel saves it on a Chinese
//! Windows) or a workbook's first sheet, headed by names from a spec.

use anyhow::{Result, bail};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Field → column of the headings row: `columns` gives each field's
/// possible headings (case and spaces ignored); the `required` fields must
/// be there.
pub fn header_places(
    headings: &[String],
    columns: &BTreeMap<String, Vec<String>>,
    required: &[&str],
) -> Result<HashMap<String, usize>> {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
            .flat_map(char::to_lowercase)
            .collect()
    };
    let mut place = HashMap::new();
    for (field, names) in columns {
        let names: Vec<String> = names.iter().map(|n| norm(n)).collect();
        if let Some(c) = headings.iter().position(|h| names.contains(&norm(h))) {
            place.insert(field.clone(), c);
        }
    }
    for field in required {
        if !place.contains_key(*field) {
            let names = columns
                .get(*field)
                .map_or(String::new(), |n| n.join(" or "));
            bail!("no `{field}` column (headed {names})");
        }
    }
    Ok(place)
}

/// The file's rows as text: a CSV in UTF-8 (with or without BOM) or, when it
/// is not UTF-8, GB18030 (what Excel writes on a Chinese Windows); an
/// `.xlsx`/`.xls` workbook's first sheet.
pub fn read_rows(path: &Path) -> Result<Vec<Vec<String>>> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if matches!(extension.as_str(), "xlsx" | "xlsm" | "xls") {
        return sheet_rows(path);
    }
    let bytes = std::fs::read(path)?;
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text.trim_start_matches('\u{feff}').to_string(),
        Err(_) => encoding_rs::GB18030.decode(&bytes).0.into_owned(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| Ok(r?.iter().map(str::to_string).collect()))
        .collect()
}

fn sheet_rows(path: &Path) -> Result<Vec<Vec<String>>> {
    use calamine::{Data, Reader};
    let mut book = calamine::open_workbook_auto(path)?;
    let Some(first) = book.sheet_names().first().cloned() else {
        return Ok(Vec::new());
    };
    let range = book.worksheet_range(&first)?;
    Ok(range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect())
}
