//! The ingest stage: files on disk → facts, one module per step.
//!
//! [`discover`] finds the workbooks; [`read`] opens each (calamine for
//! `.xlsx`/`.xls`, with their merged regions) into sheets of [`grid`]
//! cells; [`recognise`] tells which form each table is; [`extract`] reads
//! its headings and rows into canonical keys, with [`amount`]s exact;
//! [`identity`] says whose and which year's workbook it is; [`batch`] runs
//! all of it over every file in parallel and accounts for every file.

pub mod amount;
pub mod batch;
pub mod discover;
pub mod extract;
pub mod grid;
pub mod identity;
pub mod read;
pub mod recognise;
