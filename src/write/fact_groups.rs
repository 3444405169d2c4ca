//! The row groups of `facts.parquet`, and the ones a re-run copies from the
//! previous file instead of encoding again.
//!
//! A row group ends after a workbook whose file path hashes to a multiple
//! of [`GroupBounds::every`] (or when it holds [`GroupBounds::most`]
//! workbooks), so the groups depend on the files alone — a cold run and a
//! re-run cut the same groups, and a file added, removed or edited moves
//! only the bounds of its own group. With the reading cache, each group is
//! known by a hash of its workbooks' cache keys (program build, specs,
//! path, content), recorded in `fact-groups.index` in the cache folder
//! (`fact-groups-YEAR.index` for each year's file of `--partition`) beside
//! the hash of the file written. A re-run finds that file still in
//! the output folder, checks it against the hash, and copies the
//! compressed pages of every group whose key it holds; the others are
//! encoded as a cold run would. The pages copied are those a cold run
//! writes, so the file is byte-identical (tested).

use anyhow::Result;
use polars::prelude::PolarsResult;
use polars_buffer::Buffer;
use polars_parquet::parquet::metadata::FileMetadata;
use polars_parquet::parquet::read::{get_page_iterator, read_metadata};
use polars_parquet::write::CompressedPage;
use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use xxhash_rust::xxh3::{Xxh3, xxh3_64, xxh3_128};

use crate::ingest::batch::WorkbookFacts;

/// First line of the index, with its format's version.
const INDEX_HEADER: &str = "juesuan-fact-groups 1";

/// Where row groups end.
#[derive(Debug, Clone, Copy)]
pub struct GroupBounds {
    /// A group ends after a workbook whose path hashes to a multiple of
    /// this: 128 workbooks a group on average (≈ 34,000 facts).
    pub every: u64,
    /// A group ends, whatever the paths, when it holds this many workbooks.
    pub most: usize,
}

impl Default for GroupBounds {
    fn default() -> Self {
        GroupBounds {
            every: 128,
            most: 1024,
        }
    }
}

impl GroupBounds {
    fn ends_group(&self, file: &str, held: usize) -> bool {
        held >= self.most || xxh3_64(file.as_bytes()).is_multiple_of(self.every.max(1))
    }

    /// `chunks` of workbooks, in order, cut again into row groups; an empty
    /// chunk ends the group before it (so that what follows it is a group
    /// of its own).
    pub fn regroup<I>(self, chunks: I) -> impl Iterator<Item = Vec<Arc<WorkbookFacts>>>
    where
        I: Iterator<Item = Vec<Arc<WorkbookFacts>>>,
    {
        // `None`: a group ends here.
        let mut workbooks = chunks.flat_map(|chunk| match chunk.is_empty() {
            true => vec![None],
            false => chunk.into_iter().map(Some).collect(),
        });
        let mut done = false;
        std::iter::from_fn(move || {
            let mut group = Vec::new();
            while !done {
                match workbooks.next() {
                    Some(Some(workbook)) => {
                        let ends = self.ends_group(&workbook.file, group.len() + 1);
                        group.push(workbook);
                        if ends {
                            break;
                        }
                    }
                    Some(None) if !group.is_empty() => break,
                    Some(None) => {}
                    None => done = true,
                }
            }
            (!group.is_empty()).then_some(group)
        })
    }
}

/// What a run knows of its inputs' readings: each file's cache key, and
/// the cache folder the group index is kept in.
#[derive(Debug, Clone)]
pub struct FactGroups {
    pub dir: PathBuf,
    /// File (as a workbook names it) → its reading's cache key.
    pub keys: HashMap<String, String>,
    pub bounds: GroupBounds,
}

/// How many row groups a file has, and how many of them were copied.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GroupsWritten {
    pub groups: usize,
    pub copied: usize,
}

impl FactGroups {
    /// A group's key: the hash of its workbooks' cache keys, none when a
    /// workbook has none (a figure stated by a narrative, a file the cache
    /// could not key).
    pub fn key(&self, group: &[Arc<WorkbookFacts>]) -> Option<u128> {
        let mut hasher = Xxh3::new();
        for workbook in group {
            hasher.update(self.keys.get(&*workbook.file)?.as_bytes());
            hasher.update(&[0]);
        }
        Some(hasher.digest128())
    }

    /// The file `path` as the last run wrote it, if the cache folder's
    /// `index` describes it.
    pub fn previous(&self, path: &Path, index: &str) -> Option<PreviousFacts> {
        let index = std::fs::read_to_string(self.dir.join(index)).ok()?;
        let mut lines = index.lines();
        if lines.next()? != INDEX_HEADER {
            return None;
        }
        let file_hash = lines.next()?;
        let bytes = std::fs::read(path).ok()?;
        if file_hash != format!("{:032x}", xxh3_128(&bytes)) {
            return None;
        }
        let metadata = read_metadata(&mut Cursor::new(&bytes)).ok()?;
        let mut groups = HashMap::new();
        let mut count = 0;
        for (i, line) in lines.enumerate() {
            count += 1;
            let (key, rows) = line.split_once(' ')?;
            let rows: usize = rows.parse().ok()?;
            if metadata.row_groups.get(i)?.num_rows() != rows {
                return None;
            }
            if let Ok(key) = u128::from_str_radix(key, 16) {
                groups.entry(key).or_insert(i);
            }
        }
        (count == metadata.row_groups.len()).then(|| PreviousFacts {
            bytes: Buffer::from(bytes),
            metadata,
            groups,
        })
    }

    /// Records the groups of the file just written at `path` (`keys` and
    /// rows of each, in order) as `index`, for the next run.
    pub fn record(&self, path: &Path, index: &str, groups: &[(Option<u128>, usize)]) -> Result<()> {
        let bytes = std::fs::read(path)?;
        let mut text = format!("{INDEX_HEADER}\n{:032x}\n", xxh3_128(&bytes));
        for (key, rows) in groups {
            match key {
                Some(key) => text.push_str(&format!("{key:032x} {rows}\n")),
                None => text.push_str(&format!("- {rows}\n")),
            }
        }
        crate::write::atomic_write(&self.dir.join(index), |file| {
            use std::io::Write;
            Ok(file.write_all(text.as_bytes())?)
        })
    }
}

/// A data page read back, with the rows it holds, which a writer needs and
/// a reader does not say: as many as its values, for no column of the fact
/// table is nested.
fn with_rows(mut page: CompressedPage) -> CompressedPage {
    if let CompressedPage::Data(data) = &mut page {
        data.num_rows = Some(data.num_values());
    }
    page
}

/// The previous `facts.parquet`, checked against the index.
pub struct PreviousFacts {
    bytes: Buffer<u8>,
    metadata: FileMetadata,
    /// Group key → its row group in the file.
    groups: HashMap<u128, usize>,
}

impl PreviousFacts {
    /// The compressed pages of each column of the previous file's row
    /// group of `key`, with its row count, if it has one.
    pub fn pages(&self, key: u128) -> Option<PolarsResult<(usize, Vec<Vec<CompressedPage>>)>> {
        let group = &self.metadata.row_groups[*self.groups.get(&key)?];
        let pages = group
            .parquet_columns()
            .iter()
            .map(|column| {
                let reader = Cursor::new(self.bytes.clone());
                let pages = get_page_iterator(column, reader, Vec::new(), usize::MAX)?;
                Ok(pages
                    .map(|page| page.map(with_rows))
                    .collect::<Result<_, _>>()?)
            })
            .collect::<PolarsResult<Vec<_>>>();
        Some(pages.map(|pages| (group.num_rows(), pages)))
    }
}
