//! Stable identities of findings and flags: what a finding or flag is about
//! — its rule or flag, the unit or department, the year, the report type
//! and the keys of its figures — hashed, never its file, row or amounts, so
//! that the same finding keeps its id when files are renamed, moved or read
//! in another order, or when an unrelated figure changes. The n-th of
//! several about the same (in output order) gets `-n`.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};

use crate::analyse::flags::FlagRow;
use crate::validate::Finding;

/// Ids are 12 hexadecimal digits (48 bits) of a fixed-seed hash.
fn short<T: Hash>(about: T) -> u64 {
    foldhash::quality::FixedState::with_seed(0x0069_6473_6a75_6573).hash_one(about) >> 16
}

/// Each base id as text, the repeats of one numbered in order.
fn numbered(bases: impl Iterator<Item = u64>) -> Vec<String> {
    let mut seen: HashMap<u64, u32> = HashMap::new();
    bases
        .map(|base| {
            let n = seen.entry(base).or_insert(0);
            *n += 1;
            if *n == 1 {
                format!("{base:012x}")
            } else {
                format!("{base:012x}-{n}")
            }
        })
        .collect()
}

/// The ids of `findings`, in their order.
pub fn finding_ids(findings: &[Finding]) -> Vec<String> {
    numbered(findings.iter().map(|f| {
        let id = &f.workbook.identity;
        short((
            "finding",
            &*f.rule_id,
            &id.unit_id,
            id.year,
            &id.report_type,
            &f.left,
            &f.right,
        ))
    }))
}

/// The ids of `flags`, in their order.
pub fn flag_ids(flags: &[FlagRow]) -> Vec<String> {
    numbered(flags.iter().map(|f| {
        short((
            "flag",
            &f.flag,
            f.level.as_str(),
            &f.entity_id,
            f.year,
            &f.metric,
        ))
    }))
}
