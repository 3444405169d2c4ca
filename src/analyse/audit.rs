//! What the audit tests keep of each workbook while it is read (its facts
//! are not kept): its leaf figures — the rows no other row is the sum of
//! (`audit.toml` `[leaves]`) — as fingerprints with their cells, and their
//! leading digits.

use serde::Deserialize;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use super::digits::{DigitCounts, DigitSpec};
use crate::ingest::batch::{Fact, FactIndex};
use crate::ingest::codec::{Packed, Unpacked};
use crate::text::{Text, intern};

/// Time spent in the audit tests by every thread, in nanoseconds: what
/// `JUESUAN_TIMING` prints and the scale benchmark reports.
static SPENT_NANOS: AtomicU64 = AtomicU64::new(0);

/// Adds the time since `started` to the audit tests' time.
pub fn spent_since(started: Instant) {
    SPENT_NANOS.fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
}

/// The audit tests' time so far, in seconds of all threads.
pub fn seconds_spent() -> f64 {
    SPENT_NANOS.load(Ordering::Relaxed) as f64 / 1e9
}

/// `[leaves]` of `audit.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeafSpec {
    pub codes: Vec<LeafCode>,
}

/// Codes of leaf rows: this many digits, starting with one of `first`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeafCode {
    pub length: usize,
    pub first: Vec<String>,
}

impl LeafSpec {
    pub fn is_leaf(&self, code: &str) -> bool {
        self.codes.iter().any(|l| {
            code.len() == l.length
                && code.bytes().all(|b| b.is_ascii_digit())
                && l.first.iter().any(|f| code.starts_with(f.as_str()))
        })
    }
}

/// A non-zero leaf figure: a fingerprint of where it belongs and its amount
/// (form, code, column, 元 to the 分), and its cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leaf {
    pub fingerprint: u64,
    pub sheet: Text,
    /// 0-based (row, column).
    pub position: (u32, u32),
}

/// A workbook's leaf figures and their leading digits.
#[derive(Debug, Clone, Default)]
pub struct WorkbookAudit {
    /// Sorted by fingerprint.
    pub leaves: Vec<Leaf>,
    pub digits: Option<DigitCounts>,
}

impl WorkbookAudit {
    /// Keeps this audit for the reading cache.
    pub fn keep<'a>(&'a self, out: &mut Packed<'a>) {
        out.uint(self.leaves.len() as u64);
        for leaf in &self.leaves {
            out.fixed(leaf.fingerprint);
            out.text(leaf.sheet);
            out.uint(u64::from(leaf.position.0));
            out.uint(u64::from(leaf.position.1));
        }
        match &self.digits {
            None => out.uint(0),
            Some(d) => {
                out.uint(1);
                for &n in d.first.iter().chain(&d.first_two) {
                    out.uint(u64::from(n));
                }
            }
        }
    }

    /// An audit [`WorkbookAudit::keep`] wrote, read back.
    pub fn restore(c: &mut Unpacked<'_>) -> Option<Self> {
        let leaves = (0..c.count()?)
            .map(|_| {
                Some(Leaf {
                    fingerprint: c.fixed()?,
                    sheet: intern(c.text()?),
                    position: (c.u32()?, c.u32()?),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let digits = if c.flag()? {
            let mut d = DigitCounts::default();
            for n in d.first.iter_mut().chain(&mut d.first_two) {
                *n = c.u32()?;
            }
            Some(d)
        } else {
            None
        };
        Some(WorkbookAudit { leaves, digits })
    }

    /// Its leaf figures' digits, and their fingerprints when `fingerprinted`
    /// (the copy tests compare units' own workbooks only).
    pub fn of(
        index: &FactIndex<'_>,
        leaves: &LeafSpec,
        digits: &DigitSpec,
        fingerprinted: bool,
    ) -> Option<Self> {
        let started = Instant::now();
        let audit = Self::of_leaves(index, leaves, digits, fingerprinted);
        spent_since(started);
        audit
    }

    fn of_leaves(
        index: &FactIndex<'_>,
        leaves: &LeafSpec,
        digits: &DigitSpec,
        fingerprinted: bool,
    ) -> Option<Self> {
        let leaf_facts: Vec<&Fact> = index
            .firsts
            .iter()
            .copied()
            .filter(|f| f.subject_code.is_some_and(|c| leaves.is_leaf(c)))
            .collect();
        if leaf_facts.is_empty() {
            return None;
        }
        let mut fingerprints: Vec<Leaf> = leaf_facts
            .iter()
            .filter(|f| fingerprinted && !f.amount.is_zero())
            .map(|f| Leaf {
                fingerprint: fingerprint(f),
                sheet: f.sheet,
                position: f.position,
            })
            .collect();
        fingerprints.sort_by_key(|l| (l.fingerprint, l.position));
        Some(WorkbookAudit {
            leaves: fingerprints,
            digits: DigitCounts::of(leaf_facts.into_iter(), digits),
        })
    }
}

/// The same figure on the same line of the same table hashes alike in any
/// workbook and any run (a fixed seed).
fn fingerprint(f: &Fact) -> u64 {
    let mut amount = f.amount;
    amount.rescale(2);
    foldhash::quality::FixedState::with_seed(0x006a_7565_7375_616e).hash_one((
        f.form,
        f.subject_code,
        f.column,
        amount.mantissa(),
    ))
}
