//! The ingest stage: files on disk → facts, one module per step.
//!
//! [`discover`] finds the workbooks; [`read`] opens each (calamine for
//! `.xlsx`/`.xls`, with their merged regions) into sheets of [`grid`]
//! cells; [`recognise`] finds the tables of each sheet and tells which form
//! each is; [`extract`] reads their headings and rows into canonical keys,
//! with [`amount`]s exact; [`identity`] says whose and which year's
//! workbook it is; [`verify`] checks the reading (one key, one figure; the
//! tables' own arithmetic). `file` does all of it to one file, and
//! [`batch`] runs it over every file in parallel and accounts for each.

pub mod amount;
pub mod batch;
pub mod cache;
pub mod codec;
pub mod discover;
pub mod extract;
pub(crate) mod file;
pub mod grid;
pub mod identity;
pub mod read;
pub mod recognise;
pub mod verify;
