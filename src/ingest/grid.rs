//! Uniform access to a sheet's cells by absolute position, whatever the
//! reader gave (numbers as ints or floats, text, dates, errors).

use calamine::{Data, DataRef, Range};
use std::rc::Rc;

/// What a cell holds, as the later stages care about it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    /// An error value (`#DIV/0!`) or a boolean: never a figure.
    Invalid,
}

impl Cell<'_> {
    /// A number, or text that reads as one (`1,234.00`, `（25）`): what
    /// tells a row of figures from a row of headings. `nothing` lists the
    /// markers meaning "no figure".
    pub fn is_figure(self, nothing: &[String]) -> bool {
        use crate::ingest::amount::{CellAmount, parse_text_amount};
        match self {
            Cell::Number(_) => true,
            // Only text that starts like a figure is worth parsing.
            Cell::Text(t) => {
                t.trim_start().chars().next().is_some_and(|c| {
                    matches!(
                        c,
                        '0'..='9' | '０'..='９' | '(' | '（' | '-' | '－' | '−' | '+' | '.'
                    )
                }) && matches!(parse_text_amount(t, nothing), CellAmount::Number(_))
            }
            _ => false,
        }
    }
}

fn cell_of(data: &Data) -> Cell<'_> {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => text_cell(s),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::DateTime(d) => Cell::Number(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.as_str()),
        Data::Bool(_) | Data::Error(_) => Cell::Invalid,
    }
}

/// [`cell_of`] for a value as read from `.xlsx`, where shared strings are
/// borrowed rather than copied.
fn cell_of_ref<'a>(data: &'a DataRef<'a>) -> Cell<'a> {
    match data {
        DataRef::Empty => Cell::Empty,
        DataRef::SharedString(s) => text_cell(s),
        DataRef::String(s) => text_cell(s),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::DateTime(d) => Cell::Number(d.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s.as_str()),
        DataRef::Bool(_) | DataRef::Error(_) => Cell::Invalid,
    }
}

fn text_cell(s: &str) -> Cell<'_> {
    if is_blank(s) {
        Cell::Empty
    } else {
        Cell::Text(s)
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

/// A sheet's cells addressed by absolute 0-based (row, col), or a window
/// onto them: one of several tables on a sheet ([`Grid::window`]).
#[derive(Clone)]
pub struct Grid<'a> {
    /// Every cell of the sheet's used range as [`Cell`], row by row, worked
    /// out once and shared by the sheet's windows.
    cells: Rc<[Cell<'a>]>,
    width: usize,
    /// The position of `cells[0]`.
    origin: (u32, u32),
    /// The rows and columns this grid shows (the used range, or a window).
    pub first_row: u32,
    pub last_row: u32,
    pub first_col: u32,
    pub last_col: u32,
}

impl<'a> Grid<'a> {
    /// The cells of a range; `None` when it is empty.
    pub fn new(range: &'a Range<Data>) -> Option<Self> {
        let (first_row, first_col) = range.start()?;
        let (last_row, last_col) = range.end()?;
        let cells = range
            .rows()
            .flat_map(|row| row.iter().map(cell_of))
            .collect();
        Some(Grid {
            cells,
            width: range.width(),
            origin: (first_row, first_col),
            first_row,
            last_row,
            first_col,
            last_col,
        })
    }

    /// The cells read one by one, in any order (a later value at the same
    /// position wins), spanning the bounding box of the non-empty values as
    /// calamine's ranges do; `None` when there are none.
    pub(crate) fn from_sparse(values: &'a [((u32, u32), DataRef<'a>)]) -> Option<Self> {
        let mut used = values.iter().filter(|(_, v)| !matches!(v, DataRef::Empty));
        let ((r, c), _) = used.next()?;
        let (mut first_row, mut last_row, mut first_col, mut last_col) = (*r, *r, *c, *c);
        for ((r, c), _) in used {
            first_row = first_row.min(*r);
            last_row = last_row.max(*r);
            first_col = first_col.min(*c);
            last_col = last_col.max(*c);
        }
        let width = (last_col - first_col + 1) as usize;
        let height = (last_row - first_row + 1) as usize;
        let mut cells = vec![Cell::Empty; width.saturating_mul(height)];
        for ((r, c), value) in values {
            if matches!(value, DataRef::Empty) {
                continue;
            }
            let index = ((r - first_row) as usize).saturating_mul(width) + (c - first_col) as usize;
            if let Some(cell) = cells.get_mut(index) {
                *cell = cell_of_ref(value);
            }
        }
        Some(Grid {
            cells: cells.into(),
            width,
            origin: (first_row, first_col),
            first_row,
            last_row,
            first_col,
            last_col,
        })
    }

    pub fn cell(&self, row: u32, col: u32) -> Cell<'a> {
        if row < self.first_row
            || row > self.last_row
            || col < self.first_col
            || col > self.last_col
        {
            return Cell::Empty;
        }
        let index = (row - self.origin.0) as usize * self.width + (col - self.origin.1) as usize;
        self.cells.get(index).copied().unwrap_or(Cell::Empty)
    }

    /// The part of this grid within `rows` and `cols` (clamped to it),
    /// sharing its cells; `None` when that part is empty.
    pub fn window(&self, (r0, r1): (u32, u32), (c0, c1): (u32, u32)) -> Option<Grid<'a>> {
        let (r0, r1) = (r0.max(self.first_row), r1.min(self.last_row));
        let (c0, c1) = (c0.max(self.first_col), c1.min(self.last_col));
        (r0 <= r1 && c0 <= c1).then(|| Grid {
            cells: Rc::clone(&self.cells),
            width: self.width,
            origin: self.origin,
            first_row: r0,
            last_row: r1,
            first_col: c0,
            last_col: c1,
        })
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

    /// The cells of a row within this grid's columns, left to right (none
    /// outside its rows): what scans of a whole row go through.
    pub fn row_cells(&self, row: u32) -> &[Cell<'a>] {
        if row < self.first_row || row > self.last_row {
            return &[];
        }
        let start =
            (row - self.origin.0) as usize * self.width + (self.first_col - self.origin.1) as usize;
        let len = (self.last_col - self.first_col + 1) as usize;
        self.cells.get(start..start + len).unwrap_or(&[])
    }

    /// Non-empty texts of a row, with their columns.
    pub fn row_texts(&self, row: u32) -> impl Iterator<Item = (u32, &'a str)> + '_ {
        let first = self.first_col;
        self.row_cells(row)
            .iter()
            .enumerate()
            .filter_map(move |(i, c)| match c {
                Cell::Text(t) => Some((first + i as u32, *t)),
                _ => None,
            })
    }
}
