//! What changed between two runs' output folders (`juesuan diff`, and the
//! 变动 sheet when `run` finds a previous run in `--out`): input files
//! added, removed or changed (by the manifests' SHA-256), the facts of the
//! changed files (cell, before, after), findings new, resolved, changed or
//! reopened and flags raised or cleared (by their stable ids), and ranks
//! that moved. One tidy table, a row per change.

use anyhow::{Context, Result};
use polars::prelude::{DataFrame, DataType, Expr, JoinArgs, JoinType, LazyFrame, col, lit};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::manifest::{Manifest, mixed_runs};
use crate::write::Layout;

/// A run's outputs: its folder and its manifest (the run being written
/// passes the manifest it holds; a folder from before manifests has none).
pub struct Snapshot {
    pub dir: PathBuf,
    pub manifest: Option<Manifest>,
}

impl Snapshot {
    pub fn read(dir: &Path) -> Result<Snapshot> {
        Ok(Snapshot {
            dir: dir.to_path_buf(),
            manifest: Manifest::read(dir)?,
        })
    }

    fn run_id(&self) -> String {
        self.manifest
            .as_ref()
            .map_or_else(|| "?".into(), |m| m.run_id.clone())
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// `file`, `fact`, `finding`, `flag` or `rank`.
    pub what: &'static str,
    /// `added`/`removed`/`changed` (files, facts), `new`/`resolved`/
    /// `changed`/`reopened` (findings), `raised`/`cleared` (flags),
    /// `moved` (ranks).
    pub change: &'static str,
    /// The file, the cell (`file 'sheet'!C7`), the id, or entity·year·metric.
    pub key: String,
    pub about: String,
    pub before: String,
    pub after: String,
}

/// Every change from `old` to `new`, and warnings on folders mixing runs.
#[derive(Debug, Default)]
pub struct Diff {
    pub old_run: String,
    pub new_run: String,
    pub warnings: Vec<String>,
    pub changes: Vec<Change>,
}

impl Diff {
    /// How many changes of each (what, change).
    pub fn counts(&self) -> BTreeMap<(&'static str, &'static str), usize> {
        let mut counts = BTreeMap::new();
        for c in &self.changes {
            *counts.entry((c.what, c.change)).or_default() += 1;
        }
        counts
    }
}

/// What changed from the run in `old` to the run in `new`, with a warning
/// for each file of either folder that is not of its run.
pub fn compare_folders(old: &Path, new: &Path) -> Result<Diff> {
    let mut diff = compare(&Snapshot::read(old)?, &Snapshot::read(new)?)?;
    for dir in [old, new] {
        for problem in mixed_runs(dir)? {
            diff.warnings.push(format!("{}: {problem}", dir.display()));
        }
    }
    Ok(diff)
}

/// What changed from the run in `old` to the run in `new`.
pub fn compare(old: &Snapshot, new: &Snapshot) -> Result<Diff> {
    let mut diff = Diff {
        old_run: old.run_id(),
        new_run: new.run_id(),
        ..Default::default()
    };
    let files = file_changes(old, new);
    // The changed files' facts are compared (held as text, every fact of a
    // province would be gigabytes): files are known changed only through
    // both manifests. Another program or other specs may read unchanged
    // files differently too: said.
    let compared: BTreeSet<String> = match (&old.manifest, &new.manifest) {
        (Some(a), Some(b)) => {
            if a.build != b.build || a.specs != b.specs {
                diff.warnings.push(
                    "the two runs differ in program or specs: only the facts of changed files are compared, and unchanged files may read differently".into(),
                );
            }
            files.iter().map(|c| c.key.clone()).collect()
        }
        _ => {
            diff.warnings.push(
                "a run without manifest.json (made before juesuan kept one): its input files and facts are not compared".into(),
            );
            BTreeSet::new()
        }
    };
    diff.changes.extend(files);
    diff.changes.extend(fact_changes(old, new, &compared)?);
    diff.changes.extend(finding_changes(old, new)?);
    diff.changes.extend(flag_changes(old, new)?);
    diff.changes.extend(rank_changes(old, new)?);
    Ok(diff)
}

/// The previous run's tables in an output folder, kept under a hidden
/// folder (hard links, or copies where links cannot be made) while a run
/// replaces them, so that the run can say what changed; removed after.
pub struct Previous {
    pub snapshot: Snapshot,
}

/// The tables a diff reads.
const TABLES: [&str; 4] = ["facts", "findings", "flags", "metrics"];

/// The name of the folder a run keeps the previous run's tables in.
pub const PREVIOUS_PREFIX: &str = ".previous-";

impl Previous {
    /// The run whose outputs are in `out`, if its manifest says there is one.
    pub fn keep(out: &Path) -> Result<Option<Previous>> {
        let Ok(Some(manifest)) = Manifest::read(out) else {
            return Ok(None);
        };
        let dir = out.join(format!("{PREVIOUS_PREFIX}{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for table in TABLES {
            for layout in [Layout::Single, Layout::ByYear] {
                let path = layout.path(out, table);
                for entry in walkdir::WalkDir::new(&path).into_iter().flatten() {
                    if !entry.file_type().is_file() {
                        continue;
                    }
                    let to = dir.join(entry.path().strip_prefix(out).unwrap_or(entry.path()));
                    link_or_copy(entry.path(), &to).with_context(|| {
                        format!("keeping {} for the diff", entry.path().display())
                    })?;
                }
            }
        }
        Ok(Some(Previous {
            snapshot: Snapshot {
                dir,
                manifest: Some(manifest),
            },
        }))
    }
}

impl Drop for Previous {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.snapshot.dir);
    }
}

fn link_or_copy(from: &Path, to: &Path) -> std::io::Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::hard_link(from, to).or_else(|_| std::fs::copy(from, to).map(|_| ()))
}

/// Input files added, removed and changed, by path and SHA-256.
fn file_changes(old: &Snapshot, new: &Snapshot) -> Vec<Change> {
    let inputs = |s: &Snapshot| -> BTreeMap<String, (String, String)> {
        (s.manifest.iter().flat_map(|m| &m.inputs))
            .filter(|i| i.kind == "workbook" || i.kind == "document")
            .map(|i| (i.path.clone(), (i.kind.clone(), i.sha256.clone())))
            .collect()
    };
    let (before, after) = (inputs(old), inputs(new));
    let change = |change, path: &String, (kind, _): &(String, String), b: &str, a: &str| Change {
        what: "file",
        change,
        key: path.clone(),
        about: kind.clone(),
        before: b.to_string(),
        after: a.to_string(),
    };
    let mut changes = Vec::new();
    for (path, was) in &before {
        match after.get(path) {
            None => changes.push(change("removed", path, was, &was.1, "")),
            Some(now) if now.1 != was.1 => {
                changes.push(change("changed", path, now, &was.1, &now.1))
            }
            Some(_) => {}
        }
    }
    for (path, now) in &after {
        if !before.contains_key(path) {
            changes.push(change("added", path, now, "", &now.1));
        }
    }
    changes
}

/// A table of a folder, its `columns` as text, rows kept by `filter`.
fn table(
    dir: &Path,
    name: &str,
    columns: &[&str],
    filter: Option<Expr>,
) -> Result<Vec<Vec<String>>> {
    let Some(scan) = crate::query::scan_table(dir, name)? else {
        return Ok(Vec::new());
    };
    let scan: LazyFrame = match filter {
        Some(filter) => scan.filter(filter),
        None => scan,
    };
    texts(scan, columns).with_context(|| format!("reading {name} of {}", dir.display()))
}

/// The rows of a plan, its `columns` as text.
fn texts(plan: LazyFrame, columns: &[&str]) -> Result<Vec<Vec<String>>> {
    let frame: DataFrame = plan
        .select(
            (columns.iter())
                .map(|c| col(*c).cast(DataType::String))
                .collect::<Vec<_>>(),
        )
        .collect()?;
    let texts = (frame.columns().iter())
        .map(|c| {
            Ok(c.str()?
                .iter()
                .map(|v| v.unwrap_or("").to_string())
                .collect())
        })
        .collect::<Result<Vec<Vec<String>>>>()?;
    Ok((0..frame.height())
        .map(|r| texts.iter().map(|c| c[r].clone()).collect())
        .collect())
}

/// `rows` keyed by their first `n` fields joined.
fn keyed(rows: Vec<Vec<String>>, n: usize) -> BTreeMap<String, Vec<String>> {
    rows.into_iter().map(|r| (r[..n].join(" "), r)).collect()
}

const FACT_COLUMNS: [&str; 8] = [
    "source_file",
    "source_sheet",
    "source_cell",
    "form",
    "item",
    "column",
    "subject_code",
    "amount",
];

/// The facts of `files` whose amount or meaning changed, added or removed,
/// by cell.
fn fact_changes(old: &Snapshot, new: &Snapshot, files: &BTreeSet<String>) -> Result<Vec<Change>> {
    let filter = files
        .iter()
        .map(|f| col("source_file").eq(lit(f.as_str())))
        .reduce(Expr::or);
    let Some(filter) = filter else {
        return Ok(Vec::new());
    };
    let facts = |s: &Snapshot| -> Result<BTreeMap<String, Vec<String>>> {
        let rows = table(&s.dir, "facts", &FACT_COLUMNS, Some(filter.clone()))?;
        Ok(rows
            .into_iter()
            .map(|r| (format!("{} '{}'!{}", r[0], r[1], r[2]), r))
            .collect())
    };
    let (before, after) = (facts(old)?, facts(new)?);
    let removed_or_changed = (before.iter()).filter_map(|(cell, was)| {
        fact_change(
            cell,
            Some(was.as_slice()),
            after.get(cell).map(Vec::as_slice),
        )
    });
    let added = (after.iter())
        .filter(|(cell, _)| !before.contains_key(*cell))
        .filter_map(|(cell, now)| fact_change(cell, None, Some(now.as_slice())));
    Ok(removed_or_changed.chain(added).collect())
}

/// A fact's meaning (`form:item[code]@column`) from its [`FACT_COLUMNS`].
fn fact_meaning(r: &[String]) -> String {
    let code = if r[6].is_empty() {
        String::new()
    } else {
        format!("[{}]", r[6])
    };
    format!("{}:{}{code}@{}", r[3], r[4], r[5])
}

/// What became of the fact in one cell: removed, added, or changed in
/// amount or meaning. A cell read with another meaning (a re-labelled row,
/// a corrected subject code) says both, `before → after`, even when its
/// amount stayed.
fn fact_change(cell: &str, was: Option<&[String]>, now: Option<&[String]>) -> Option<Change> {
    let (change, about) = match (was, now) {
        (Some(was), Some(now)) if was[3..] == now[3..] => return None,
        (Some(was), Some(now)) => {
            let (before, after) = (fact_meaning(was), fact_meaning(now));
            let about = if before == after {
                before
            } else {
                format!("{before} → {after}")
            };
            ("changed", about)
        }
        (Some(was), None) => ("removed", fact_meaning(was)),
        (None, Some(now)) => ("added", fact_meaning(now)),
        (None, None) => return None,
    };
    let amount = |r: Option<&[String]>| r.map(|r| r[7].clone()).unwrap_or_default();
    Some(Change {
        what: "fact",
        change,
        key: cell.to_string(),
        about,
        before: amount(was),
        after: amount(now),
    })
}

/// Errors and warnings new, resolved, with changed amounts, or reopened.
fn finding_changes(old: &Snapshot, new: &Snapshot) -> Result<Vec<Change>> {
    let columns = [
        "id",
        "severity",
        "rule_id",
        "year",
        "unit_name",
        "left",
        "left_amount",
        "right_amount",
        "review_status",
    ];
    let not_rounding = Some(col("severity").neq(lit("rounding")));
    let findings = |s: &Snapshot| -> Result<BTreeMap<String, Vec<String>>> {
        Ok(keyed(
            table(&s.dir, "findings", &columns, not_rounding.clone())?,
            1,
        ))
    };
    let (before, after) = (findings(old)?, findings(new)?);
    let reopened = crate::review::ReviewSpec::load(None)?.reopened;
    let about = |r: &[String]| format!("{} {} {} {}: {}", r[1], r[2], r[3], r[4], r[5]);
    let amounts = |r: &[String]| format!("{} / {}", r[6], r[7]);
    let mut changes = Vec::new();
    let mut push = |change, r: &[String], before: String, after: String| {
        changes.push(Change {
            what: "finding",
            change,
            key: r[0].clone(),
            about: about(r),
            before,
            after,
        })
    };
    for (id, was) in &before {
        match after.get(id) {
            None => push("resolved", was, amounts(was), String::new()),
            Some(now) if now[8] == reopened && was[8] != reopened => {
                push("reopened", now, was[8].clone(), amounts(now))
            }
            Some(now) if now[6..8] != was[6..8] => push("changed", now, amounts(was), amounts(now)),
            Some(_) => {}
        }
    }
    for (_, now) in after.iter().filter(|(id, _)| !before.contains_key(*id)) {
        push("new", now, String::new(), amounts(now));
    }
    Ok(changes)
}

/// Flags raised and cleared.
fn flag_changes(old: &Snapshot, new: &Snapshot) -> Result<Vec<Change>> {
    let columns = ["id", "label", "entity_name", "year", "metric", "value"];
    let flags = |s: &Snapshot| -> Result<BTreeMap<String, Vec<String>>> {
        Ok(keyed(table(&s.dir, "flags", &columns, None)?, 1))
    };
    let (before, after) = (flags(old)?, flags(new)?);
    let change = |change, r: &[String], before: &str, after: &str| Change {
        what: "flag",
        change,
        key: r[0].clone(),
        about: format!("{} {} {} {}", r[1], r[2], r[3], r[4]),
        before: before.to_string(),
        after: after.to_string(),
    };
    let mut changes: Vec<Change> = (before.iter())
        .filter(|(id, _)| !after.contains_key(*id))
        .map(|(_, r)| change("cleared", r, &r[5], ""))
        .collect();
    changes.extend(
        (after.iter())
            .filter(|(id, _)| !before.contains_key(*id))
            .map(|(_, r)| change("raised", r, "", &r[5])),
    );
    Ok(changes)
}

/// Ranks that moved, on every ranked indicator, by entity, year and metric:
/// the two runs' ranked rows joined in Polars and only those that moved
/// taken out as text (a province's metrics hold hundreds of thousands of
/// ranks).
fn rank_changes(old: &Snapshot, new: &Snapshot) -> Result<Vec<Change>> {
    let scan = |s: &Snapshot| crate::query::scan_table(&s.dir, "metrics");
    let (Some(before), Some(after)) = (scan(old)?, scan(new)?) else {
        return Ok(Vec::new());
    };
    let keys = [col("level"), col("entity_id"), col("year"), col("metric")];
    let ranked = |lf: LazyFrame, when: &str, about: &[&str]| {
        let mut columns = keys.to_vec();
        columns.extend(about.iter().map(|c| col(*c)));
        columns.push(col("rank").alias(format!("rank_{when}")));
        columns.push(col("rank_of").alias(format!("of_{when}")));
        lf.filter(col("rank").is_not_null()).select(columns)
    };
    let moved = ranked(before, "before", &["entity_name", "label"])
        .join(
            ranked(after, "after", &[]),
            keys.clone(),
            keys,
            JoinArgs::new(JoinType::Inner),
        )
        .filter(col("rank_before").neq(col("rank_after")));
    let names = [
        "level",
        "entity_id",
        "year",
        "metric",
        "entity_name",
        "label",
        "rank_before",
        "of_before",
        "rank_after",
        "of_after",
    ];
    let rows = texts(moved, &names).context("comparing the two runs' ranks")?;
    let mut changes: Vec<Change> = rows
        .into_iter()
        .map(|r| Change {
            what: "rank",
            change: "moved",
            key: format!("{} {} {} {}", r[0], r[1], r[2], r[3]),
            about: format!("{} {} {}", r[4], r[2], r[5]),
            before: format!("{}/{}", r[6], r[7]),
            after: format!("{}/{}", r[8], r[9]),
        })
        .collect();
    // The order of the maps of text it replaced: by key.
    changes.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(code: &str, amount: &str) -> Vec<String> {
        let cell = [
            "a.xlsx",
            "表6",
            "C10",
            "gpb_basic_detail",
            "subject",
            "actual",
        ];
        let mut r: Vec<String> = cell.iter().map(|s| s.to_string()).collect();
        r.extend([code.to_string(), amount.to_string()]);
        r
    }

    #[test]
    fn a_cell_read_with_another_meaning_says_both() {
        let (was, now) = (fact("30110", "1252900.00"), fact("30210", "1252900.00"));
        let change = fact_change("a.xlsx '表6'!C10", Some(&was), Some(&now)).expect("a change");
        assert_eq!(change.change, "changed");
        assert_eq!(
            change.about,
            "gpb_basic_detail:subject[30110]@actual → gpb_basic_detail:subject[30210]@actual"
        );
        assert_eq!(
            (change.before.as_str(), change.after.as_str()),
            ("1252900.00", "1252900.00")
        );
    }

    #[test]
    fn a_changed_amount_keeps_one_meaning_and_an_unchanged_cell_is_no_change() {
        let (was, now) = (fact("30110", "1252900.00"), fact("30110", "1250000.00"));
        let change = fact_change("c", Some(&was), Some(&now)).expect("a change");
        assert_eq!(change.about, "gpb_basic_detail:subject[30110]@actual");
        assert_eq!(change.after, "1250000.00");
        assert!(fact_change("c", Some(&was), Some(&was)).is_none());
        let removed = fact_change("c", Some(&was), None).expect("removed");
        assert_eq!((removed.change, removed.after.as_str()), ("removed", ""));
        let added = fact_change("c", None, Some(&now)).expect("added");
        assert_eq!((added.change, added.before.as_str()), ("added", ""));
    }
}
