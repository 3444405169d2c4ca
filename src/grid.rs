//! Uniform access to a sheet's cells by absolute position, whatever the
//! reader gave (numbers as ints or floats, text, dates, errors).

use calamine::{Data, Range};

/// What a cell holds, as the later stages care about it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    /// An error value (`#DIV/0!`) or a boolean: never a figure.
    Invalid,
}

fn cell_of(data: &Data) -> Cell<'_> {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) if is_blank(s) => Cell::Empty,
        Data::String(s) => Cell::Text(s.as_str()),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::DateTime(d) => Cell::Number(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.as_str()),
        Data::Bool(_) | Data::Error(_) => Cell::Invalid,
    }
}

/// `s.trim().is_empty()`, deciding on the first character when it can.
fn is_blank(s: &str) -> bool {
    match s.chars().next() {
        None => true,
        Some(c) if !c.is_whitespace() => false,
        Some(_) => s.trim().is_empty(),
    }
}

/// A sheet's cells addressed by absolute 0-based (row, col).
pub struct Grid<'a> {
    /// The used range's rows, so that a cell is two plain indexings away.
    rows: Vec<&'a [Data]>,
    pub first_row: u32,
    pub last_row: u32,
    pub first_col: u32,
    pub last_col: u32,
}

impl<'a> Grid<'a> {
    pub fn new(range: &'a Range<Data>) -> Option<Self> {
        let (first_row, first_col) = range.start()?;
        let (last_row, last_col) = range.end()?;
        Some(Grid {
            rows: range.rows().collect(),
            first_row,
            last_row,
            first_col,
            last_col,
        })
    }

    pub fn cell(&self, row: u32, col: u32) -> Cell<'a> {
        let data = row
            .checked_sub(self.first_row)
            .zip(col.checked_sub(self.first_col))
            .and_then(|(r, c)| self.rows.get(r as usize)?.get(c as usize));
        data.map_or(Cell::Empty, cell_of)
    }

    pub fn text(&self, row: u32, col: u32) -> Option<&'a str> {
        match self.cell(row, col) {
            Cell::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The cell as display text (numbers as written, integers without `.0`).
    pub fn display(&self, row: u32, col: u32) -> Option<String> {
        match self.cell(row, col) {
            Cell::Text(s) => Some(s.to_string()),
            Cell::Number(f) => Some(format!("{f}")),
            _ => None,
        }
    }

    pub fn rows(&self) -> std::ops::RangeInclusive<u32> {
        self.first_row..=self.last_row
    }

    pub fn cols(&self) -> std::ops::RangeInclusive<u32> {
        self.first_col..=self.last_col
    }

    /// Non-empty texts of a row, with their columns.
    pub fn row_texts(&self, row: u32) -> impl Iterator<Item = (u32, &'a str)> + '_ {
        self.cols()
            .filter_map(move |c| self.text(row, c).map(|t| (c, t)))
    }
}
