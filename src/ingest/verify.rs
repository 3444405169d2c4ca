//! Reading checked, right after a workbook is read.
//!
//! One key, one figure: two cells of a workbook read under the same (form,
//! item, subject code, column) are a conflict — both reported, and neither
//! used unless they agree, or unless the tables' own arithmetic (the rules
//! of `rules.toml`) holds with one and breaks with every other.
//!
//! Reading doubts: a rule that breaks on figures the reader had to infer
//! (a heading carried over, a label matched without its note, a unit of
//! money assumed) is reported as `read.uncertain`, naming the cells and
//! what was inferred, so that a misread is not taken for the unit's error.

use foldhash::HashMap;
use std::sync::Arc;

use crate::ingest::batch::{Fact, FactKey, Severity, Workbook, WorkbookFacts};
use crate::ingest::extract::Inferred;
use crate::ingest::file::FileReport;
use crate::rules::FindingSeverity;
use crate::spec::Catalogue;
use crate::text::a1;
use crate::validate::check_workbook;

/// The rule id of a reading doubt in the report.
pub const READ_UNCERTAIN: &str = "read.uncertain";

/// `form:item[code]@column`, as rules and findings write a figure.
fn key_text(key: FactKey) -> String {
    let (form, item, code, column) = key;
    match code {
        Some(code) => format!("{form}:{item}[{code}]@{column}"),
        None => format!("{form}:{item}@{column}"),
    }
}

fn cell_of(fact: &Fact) -> String {
    format!("'{}'!{}", fact.sheet, a1(fact.position.0, fact.position.1))
}

/// The workbook with every key held by one figure ([module docs](self)).
pub(crate) fn one_key_one_figure(
    wb: WorkbookFacts,
    catalogue: &Catalogue,
    report: &mut FileReport,
) -> WorkbookFacts {
    let groups = same_key_groups(&wb.facts);
    if groups.is_empty() {
        return wb;
    }
    let mut drop = vec![false; wb.facts.len()];
    for group in &groups {
        let keep = settle(&wb, group, &groups, catalogue, report);
        for &i in group {
            drop[i] = Some(i) != keep;
        }
    }
    let facts: Vec<Fact> = wb
        .facts
        .iter()
        .zip(&drop)
        .filter(|(_, dropped)| !**dropped)
        .map(|(f, _)| *f)
        .collect();
    let w = &wb.workbook;
    let workbook = Workbook::new(
        w.file.clone(),
        w.identity.clone(),
        w.cover_fields.clone(),
        &facts,
    );
    WorkbookFacts {
        workbook: Arc::new(workbook),
        facts,
    }
}

/// The indices of the facts that share a key, group by group, in workbook
/// order; empty when every key has one figure (the usual case, found with
/// one look-up per fact). A workbook's texts are interned — its facts' keys
/// hold the catalogue's texts, its codes the reading thread's — so equal
/// keys are the same texts, and the look-up hashes their addresses.
fn same_key_groups(facts: &[Fact]) -> Vec<Vec<usize>> {
    let address = |f: &Fact| {
        [
            f.form.as_ptr() as u64,
            f.item.as_ptr() as u64,
            f.subject_code.map_or(0, |c| c.as_ptr() as u64),
            f.column.as_ptr() as u64,
        ]
    };
    // An open-addressed table of fact indices (plus one; 0 is empty), at
    // most half full, probed linearly from each key's hash.
    let slots = (facts.len() * 2).next_power_of_two().max(16);
    let mut table = vec![0u32; slots];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, f) in facts.iter().enumerate() {
        let key = address(f);
        let hash = key
            .iter()
            .fold(0u64, |h, &k| (h ^ k).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut slot = (hash >> 32) as usize & (slots - 1);
        loop {
            match table[slot] {
                0 => {
                    table[slot] = i as u32 + 1;
                    break;
                }
                held if address(&facts[held as usize - 1]) == key => {
                    let first = held as usize - 1;
                    match groups.iter_mut().find(|g| g[0] == first) {
                        Some(group) => group.push(i),
                        None => groups.push(vec![first, i]),
                    }
                    break;
                }
                _ => slot = (slot + 1) & (slots - 1),
            }
        }
    }
    groups.sort();
    groups
}

/// Which figure of a group to keep, reported either way (a row at each of
/// its cells): the first when all agree; the one the arithmetic confirms;
/// else none.
fn settle(
    wb: &WorkbookFacts,
    group: &[usize],
    groups: &[Vec<usize>],
    catalogue: &Catalogue,
    report: &mut FileReport,
) -> Option<usize> {
    let facts = &wb.facts;
    let first = &facts[group[0]];
    let key = key_text(first.key());
    let cells: Vec<String> = group
        .iter()
        .map(|&i| format!("{} = {}", cell_of(&facts[i]), facts[i].amount))
        .collect();
    let read_from = format!("{key} is read from {} cells", group.len());
    let (kept, severity, message) = if group.iter().all(|&i| facts[i].amount == first.amount) {
        let message = format!(
            "{read_from} with the same figure ({}); the first is kept",
            cells.join(", ")
        );
        (Some(group[0]), Severity::Warning, message)
    } else {
        match confirmed(wb, group, groups, catalogue) {
            Some((k, rules)) => {
                let message = format!(
                    "{read_from} with different figures ({}); {} is kept because the tables' \
                     arithmetic holds with it and breaks with the others ({})",
                    cells.join(", "),
                    cell_of(&facts[group[k]]),
                    rules.join(", ")
                );
                (Some(group[k]), Severity::Warning, message)
            }
            None => {
                let message = format!(
                    "{read_from} with different figures ({}); neither is used: check which \
                     cell holds this year's figure of this line",
                    cells.join(", ")
                );
                (None, Severity::Error, message)
            }
        }
    };
    for &i in group {
        let f = &facts[i];
        let cell = a1(f.position.0, f.position.1);
        report.add(f.sheet, cell, severity, "conflict", f.form, message.clone());
    }
    kept
}

/// The figure of a group (its index in the group) the tables' arithmetic
/// confirms — every rule holds with it, and some rule breaks with each
/// other figure — and those rules; each figure judged on its own among the
/// figures no conflict touches.
fn confirmed(
    wb: &WorkbookFacts,
    group: &[usize],
    groups: &[Vec<usize>],
    catalogue: &Catalogue,
) -> Option<(usize, Vec<String>)> {
    let broken: Vec<Vec<String>> = group
        .iter()
        .map(|&candidate| {
            let alone = without_conflicts(wb, groups, candidate);
            let fact = &wb.facts[candidate];
            check_workbook(&alone, catalogue)
                .findings()
                .iter()
                .filter(|f| {
                    f.severity == FindingSeverity::Error
                        && f.cells
                            .iter()
                            .any(|c| c.sheet == fact.sheet && c.position == fact.position)
                })
                .map(|f| f.rule_id.to_string())
                .collect()
        })
        .collect();
    let holding: Vec<usize> = (0..group.len()).filter(|&k| broken[k].is_empty()).collect();
    match holding[..] {
        [k] if broken
            .iter()
            .enumerate()
            .all(|(j, b)| j == k || !b.is_empty()) =>
        {
            Some((k, broken.into_iter().flatten().collect()))
        }
        _ => None,
    }
}

/// The workbook with the figures of every conflict left out but `keep`.
fn without_conflicts(wb: &WorkbookFacts, groups: &[Vec<usize>], keep: usize) -> WorkbookFacts {
    let mut drop = vec![false; wb.facts.len()];
    for &i in groups.iter().flatten() {
        drop[i] = i != keep;
    }
    WorkbookFacts {
        workbook: wb.workbook.clone(),
        facts: wb
            .facts
            .iter()
            .zip(&drop)
            .filter(|(_, d)| !**d)
            .map(|(f, _)| *f)
            .collect(),
    }
}

/// Whether the rules can tell a misread here: some heading or label was
/// inferred, or a unit of money assumed for some tables but not all (one
/// assumed for every table scales every identity alike).
fn arithmetic_can_tell(facts: &[Fact]) -> bool {
    let (mut assumed, mut stated) = (false, false);
    for f in facts {
        if f.inferred.has(Inferred::HEADING) || f.inferred.has(Inferred::LABEL) {
            return true;
        }
        if f.unit_of_measure != "元" {
            continue;
        }
        if f.inferred.has(Inferred::UNIT) {
            assumed = true;
        } else {
            stated = true;
        }
    }
    assumed && stated
}

/// Reports every rule that breaks on a figure the reader inferred
/// ([module docs](self)). Nothing to do, and no rule run, when the reader
/// inferred nothing.
pub(crate) fn reading_doubts(wb: &WorkbookFacts, catalogue: &Catalogue, report: &mut FileReport) {
    if !arithmetic_can_tell(&wb.facts) {
        return;
    }
    let inferred: HashMap<(&str, (u32, u32)), &Fact> = wb
        .facts
        .iter()
        .filter(|f| !f.inferred.is_empty())
        .map(|f| ((f.sheet, f.position), f))
        .collect();
    let check = check_workbook(wb, catalogue);
    for finding in check.findings() {
        if finding.severity != FindingSeverity::Error {
            continue;
        }
        let doubtful: Vec<&Fact> = finding
            .cells
            .iter()
            .filter_map(|c| inferred.get(&(c.sheet, c.position)).copied())
            .collect();
        let Some(first) = doubtful.first() else {
            continue;
        };
        let what: Vec<String> = doubtful
            .iter()
            .map(|f| format!("{} ({} inferred)", cell_of(f), f.inferred.as_str()))
            .collect();
        report.add(
            first.sheet,
            a1(first.position.0, first.position.1),
            Severity::Warning,
            "doubt",
            first.form,
            format!(
                "{READ_UNCERTAIN}: rule {} ({}) breaks — {} = {} against {} = {} — on figures \
                 the reader inferred: {}; check how these cells were read before taking it for \
                 the unit's error",
                finding.rule_id,
                finding.description,
                finding.left,
                finding.left_amount,
                finding.right,
                finding.right_amount,
                what.join(", ")
            ),
        );
    }
}
