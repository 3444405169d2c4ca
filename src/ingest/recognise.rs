//! Recognise stage: which form a sheet holds. Titles come first because the
//! 财决 numbering shifts between years (the same table was 财决05-1 one year
//! and 财决08-1 another); the sheet name (often cut at 31 characters) next,
//! and the form code last.

use crate::ingest::grid::{Cell, Grid};
use crate::ingest::read::Sheet;
use crate::spec::{Catalogue, Form};
use crate::text::{label_key, normalise};

/// How a sheet was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecognisedBy {
    Title,
    SheetName,
    Code,
}

impl RecognisedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            RecognisedBy::Title => "title",
            RecognisedBy::SheetName => "sheet name",
            RecognisedBy::Code => "form code",
        }
    }
}

pub enum SheetKind<'c> {
    Form { form: &'c Form, by: RecognisedBy },
    Cover,
    Empty,
    Unknown,
}

/// Rows scanned for a title: titles sit above the header, which starts
/// within the first dozen rows in every export seen.
const TITLE_ROWS: u32 = 12;
/// Five CJK characters in UTF-8: no form title is shorter.
const MIN_TITLE_BYTES: usize = 15;
/// Cover field labels sit in the leftmost columns of the first rows.
const COVER_ROWS: u32 = 40;
const COVER_COLS: u32 = 3;

pub fn recognise<'c>(sheet: &Sheet, catalogue: &'c Catalogue) -> SheetKind<'c> {
    recognise_with(sheet, catalogue, &mut TitleMemo::default())
}

/// The form title found in each text seen, by the text as written: a
/// table's title comes back in every workbook, and the unit line above it
/// in every sheet of a workbook. Good for one catalogue.
#[derive(Default)]
pub struct TitleMemo {
    /// The longest title alias the text's label key contains: its length
    /// and its form's index in the catalogue.
    found: foldhash::HashMap<Box<str>, Option<(usize, usize)>>,
}

/// Texts remembered before starting afresh.
const TITLES_KEPT: usize = 1 << 14;

impl TitleMemo {
    /// The longest title alias in `text`'s label key (as [`longest`] finds
    /// it) and its form's index in the catalogue.
    fn title_in(&mut self, catalogue: &Catalogue, text: &str) -> Option<(usize, usize)> {
        if let Some(&found) = self.found.get(text) {
            return found;
        }
        let key = label_key(text);
        let found = longest(catalogue, std::iter::once(key.as_str()), |f| &f.title_keys);
        if self.found.len() >= TITLES_KEPT {
            self.found.clear();
        }
        self.found.insert(text.into(), found);
        found
    }
}

/// [`recognise`], with the titles of earlier sheets remembered.
pub fn recognise_with<'c>(
    sheet: &Sheet,
    catalogue: &'c Catalogue,
    memo: &mut TitleMemo,
) -> SheetKind<'c> {
    let Some(grid) = &sheet.grid else {
        return SheetKind::Empty;
    };
    let name = normalise(sheet.name);
    if catalogue.cover.sheet_names.contains(&name) {
        return SheetKind::Cover;
    }
    // Titles sit above the first figure; the shortest title is 5 characters.
    let mut top_texts = Vec::new();
    'rows: for row in grid.first_row..=grid.last_row.min(grid.first_row + TITLE_ROWS) {
        for col in grid.cols() {
            match grid.cell(row, col) {
                Cell::Text(t) if t.len() >= MIN_TITLE_BYTES => top_texts.push(t),
                Cell::Number(_) => break 'rows,
                _ => {}
            }
        }
    }
    // The longest title in any text; between titles of a length, the one
    // in the earliest text.
    let mut best: Option<(usize, usize)> = None;
    for text in &top_texts {
        if let Some((len, form)) = memo.title_in(catalogue, text)
            && best.is_none_or(|(l, _)| len > l)
        {
            best = Some((len, form));
        }
    }
    if let Some((_, form)) = best {
        return SheetKind::Form {
            form: &catalogue.forms[form],
            by: RecognisedBy::Title,
        };
    }
    if let Some((_, form)) = memo.title_in(catalogue, sheet.name) {
        return SheetKind::Form {
            form: &catalogue.forms[form],
            by: RecognisedBy::SheetName,
        };
    }
    if has_cover_fields(grid, catalogue) {
        return SheetKind::Cover;
    }
    let top_keys: Vec<String> = top_texts.iter().map(|t| label_key(t)).collect();
    let texts = std::iter::once(name.as_str()).chain(top_keys.iter().map(String::as_str));
    if let Some(form) = longest_code(catalogue, texts) {
        return SheetKind::Form {
            form,
            by: RecognisedBy::Code,
        };
    }
    SheetKind::Unknown
}

/// The form whose code alias is the longest one contained in any text.
fn longest_code<'c, 't>(
    catalogue: &'c Catalogue,
    texts: impl Iterator<Item = &'t str>,
) -> Option<&'c Form> {
    longest(catalogue, texts, |f| &f.code_keys).map(|(_, form)| &catalogue.forms[form])
}

/// The longest of the forms' `keys` contained in any text: its length and
/// its form's index in the catalogue.
fn longest<'t>(
    catalogue: &Catalogue,
    texts: impl Iterator<Item = &'t str>,
    keys: impl Fn(&Form) -> &Vec<String>,
) -> Option<(usize, usize)> {
    // The texts in one haystack, a line each: keys and texts are normalised,
    // so hold no line break, and a key found in the haystack lies within one
    // text, the first that contains it.
    let mut haystack = String::new();
    let mut starts = Vec::new();
    for text in texts {
        starts.push(haystack.len());
        haystack.push_str(text);
        haystack.push('\n');
    }
    if starts.is_empty() {
        return None;
    }
    // The characters present (by their code's last byte), to pass over
    // most keys without a search.
    let slot = |c: char| (c as usize >> 6 & 3, c as u32 & 63);
    let mut present = [0u64; 4];
    for c in haystack.chars() {
        let (word, bit) = slot(c);
        present[word] |= 1 << bit;
    }
    let may_contain = |key: &str| {
        key.chars().all(|c| {
            let (word, bit) = slot(c);
            present[word] & (1 << bit) != 0
        })
    };
    // The longest key wins; between keys of a length, the one in the
    // earliest text, then the first form in the catalogue.
    let mut best: Option<(usize, usize, usize)> = None;
    for (index, form) in catalogue.forms.iter().enumerate() {
        for key in keys(form) {
            // Byte length orders CJK aliases as well as character counts do.
            let len = key.len();
            if best.is_some_and(|(l, _, _)| len < l) || !may_contain(key) {
                continue;
            }
            let Some(at) = haystack.find(key.as_str()) else {
                continue;
            };
            let text = starts.partition_point(|&s| s <= at) - 1;
            if best.is_none_or(|(l, t, _)| len > l || (len == l && text < t)) {
                best = Some((len, text, index));
            }
        }
    }
    best.map(|(len, _, index)| (len, index))
}

/// A cover by content: several identity field labels (`单位名称`, `单位代码` …).
fn has_cover_fields(grid: &Grid, catalogue: &Catalogue) -> bool {
    let labels: Vec<&String> = catalogue.cover.fields.values().flatten().collect();
    let mut found = std::collections::BTreeSet::new();
    for row in grid.first_row..=grid.last_row.min(grid.first_row + COVER_ROWS) {
        for col in grid.first_col..=grid.last_col.min(grid.first_col + COVER_COLS - 1) {
            let Some(text) = grid.text(row, col) else {
                continue;
            };
            let t = normalise(text);
            let head = t.split(':').next().unwrap_or("");
            if let Some(l) = labels.iter().find(|l| head == l.as_str()) {
                found.insert(*l);
            }
        }
    }
    found.len() >= catalogue.cover.min_fields
}
