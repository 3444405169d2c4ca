//! Copies (DOMAIN §11): a unit's workbook whose leaf figures equal another
//! unit's of the same year, or its own of the year before, in more than a
//! flag's `threshold` share of its non-zero leaf figures. Found through an
//! index of fingerprints, never by comparing every pair of workbooks: a
//! figure shared by more than `common_in` workbooks (a round sum many units
//! spend) is a common value, not evidence of a copy, and is not followed.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::audit::{Leaf, WorkbookAudit};
use super::flags::FlagRow;
use super::measures::{EntityYear, Level, UNIT_REPORT};
use super::spec::{CopyOf, Flag, FlagKind};
use crate::ingest::batch::WorkbookFacts;
use crate::validate::SourceCell;

/// The matching cells listed with a flag (the reason gives the count).
const CELLS_LISTED: usize = 10;

/// A unit's workbook and what the audit kept of it.
struct Candidate<'a> {
    workbook: &'a WorkbookFacts,
    audit: &'a WorkbookAudit,
}

/// The copy flags of every `copy` flag of the spec.
pub fn copy_flags(
    workbooks: &[Arc<WorkbookFacts>],
    audits: &[Option<Box<WorkbookAudit>>],
    entities: &[EntityYear],
    flags: &[Flag],
) -> Vec<FlagRow> {
    let candidates: Vec<Candidate> = workbooks
        .iter()
        .zip(audits)
        .filter(|(w, _)| w.identity.report_type == UNIT_REPORT)
        .filter_map(|(w, audit)| {
            Some(Candidate {
                workbook: w,
                audit: audit.as_deref()?,
            })
        })
        .collect();
    let mut out = Vec::new();
    for flag in flags.iter().filter(|f| f.kind == FlagKind::Copy) {
        // Required for this kind when flags.toml is loaded.
        let (Some(of), Some(threshold), Some(min_figures)) =
            (flag.of, flag.threshold, flag.min_figures)
        else {
            continue;
        };
        let pairs = match of {
            CopyOf::PreviousYear => previous_year_pairs(&candidates),
            // Without `common_in`, every shared figure is followed.
            CopyOf::OtherUnit => same_year_pairs(&candidates, flag.common_in.unwrap_or(usize::MAX)),
        };
        let bar = (threshold, min_figures as usize);
        for (a, b) in pairs {
            if let Some(row) = judge(flag, bar, &candidates[a], &candidates[b], entities) {
                out.push(row);
            }
        }
    }
    out
}

/// (workbook, another unit's of the same year) pairs sharing at least one
/// figure that no more than `common_in` workbooks hold.
fn same_year_pairs(candidates: &[Candidate], common_in: usize) -> Vec<(usize, usize)> {
    let mut by_year: BTreeMap<i32, HashMap<u64, Vec<usize>>> = BTreeMap::new();
    for (i, c) in candidates.iter().enumerate() {
        let index = by_year.entry(c.workbook.identity.year).or_default();
        for leaf in &c.audit.leaves {
            let holders = index.entry(leaf.fingerprint).or_default();
            if holders.last() != Some(&i) {
                holders.push(i);
            }
        }
    }
    let mut pairs = Vec::new();
    for (a, c) in candidates.iter().enumerate() {
        let index = &by_year[&c.workbook.identity.year];
        let mut others: Vec<usize> = c
            .audit
            .leaves
            .iter()
            .filter_map(|l| index.get(&l.fingerprint))
            .filter(|holders| holders.len() <= common_in)
            .flatten()
            .copied()
            .filter(|&b| b != a)
            .collect();
        others.sort_unstable();
        others.dedup();
        pairs.extend(others.into_iter().map(|b| (a, b)));
    }
    pairs
}

/// (workbook, the same unit's of the latest year before) pairs.
fn previous_year_pairs(candidates: &[Candidate]) -> Vec<(usize, usize)> {
    let mut by_unit: BTreeMap<&str, Vec<(i32, usize)>> = BTreeMap::new();
    for (i, c) in candidates.iter().enumerate() {
        let id = &c.workbook.identity;
        by_unit.entry(&id.unit_id).or_default().push((id.year, i));
    }
    let mut pairs = Vec::new();
    for years in by_unit.values_mut() {
        years.sort_unstable();
        pairs.extend(years.windows(2).map(|w| (w[1].1, w[0].1)));
    }
    pairs.sort_unstable();
    pairs
}

/// The flag on `a` when more than `threshold` of its leaf figures (of at
/// least `min_figures`) are `b`'s (each of `b`'s figures matching once).
fn judge(
    flag: &Flag,
    (threshold, min_figures): (f64, usize),
    a: &Candidate,
    b: &Candidate,
    entities: &[EntityYear],
) -> Option<FlagRow> {
    let n = a.audit.leaves.len();
    if n < min_figures {
        return None;
    }
    let matched = matching(&a.audit.leaves, &b.audit.leaves);
    let share = matched.len() as f64 / n as f64;
    if share <= threshold {
        return None;
    }
    let (ia, ib) = (&a.workbook.identity, &b.workbook.identity);
    let e = entities
        .iter()
        .find(|e| e.level == Level::Unit && e.id == ia.unit_id && e.year == ia.year)?;
    let whose = if ia.unit_id == ib.unit_id {
        format!("本单位 {} 年", ib.year)
    } else {
        format!("{}（{}）", ib.unit_name, ib.unit_id)
    };
    let reason = format!(
        "{} 个末级数字中 {} 个（{:.1}%）与 {whose} 报表相同：{} 与 {}",
        n,
        matched.len(),
        share * 100.0,
        a.workbook.file,
        b.workbook.file
    );
    let cell = |w: &WorkbookFacts, l: &Leaf| SourceCell {
        file: w.file.clone(),
        sheet: l.sheet,
        position: l.position,
    };
    let cells = matched
        .iter()
        .take(CELLS_LISTED)
        .flat_map(|(x, y)| [cell(a.workbook, x), cell(b.workbook, y)])
        .collect();
    Some(FlagRow::new(
        flag,
        e,
        "leaf_figures",
        (Some(share), Some(threshold)),
        reason,
        cells,
    ))
}

/// The leaves of `a` that `b` has too, each of `b`'s used once; both
/// lists sorted by fingerprint.
fn matching<'a>(a: &'a [Leaf], b: &'a [Leaf]) -> Vec<(&'a Leaf, &'a Leaf)> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        match a[i].fingerprint.cmp(&b[j].fingerprint) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push((&a[i], &b[j]));
                i += 1;
                j += 1;
            }
        }
    }
    out
}
