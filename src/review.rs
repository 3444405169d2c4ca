//! The analyst's review file (`--review FILE`): which findings were looked
//! at, with what status, reason, reviewer and date, and the amounts they had
//! then. Matched to the findings by their stable ids ([`crate::ids`]): a
//! finding with a row is reviewed, unless its amounts have changed since —
//! then it reopens; a row that matches no finding is stale. Statuses and
//! column names live in `review.toml`.

use anyhow::{Context, Result, bail};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::str::FromStr;

use crate::rules::FindingSeverity;
use crate::sidefile::{header_places, read_rows};
use crate::spec::SpecFiles;
use crate::validate::Finding;

/// `review.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewSpec {
    pub statuses: Vec<String>,
    pub open: String,
    pub reopened: String,
    /// Field → the headings it may have.
    pub columns: BTreeMap<String, Vec<String>>,
}

/// The fields a review row has, in the order of `review_open.csv`.
pub const FIELDS: [&str; 7] = [
    "id",
    "status",
    "reason",
    "reviewer",
    "date",
    "left_amount",
    "right_amount",
];

impl ReviewSpec {
    pub fn load(dir: Option<&Path>) -> Result<ReviewSpec> {
        let spec: ReviewSpec = SpecFiles::load(dir)?.parse("review.toml")?;
        for field in FIELDS {
            if spec.columns.get(field).is_none_or(Vec::is_empty) {
                bail!("review.toml: [columns] needs `{field}`, the headings of that column");
            }
        }
        if let Some(field) = spec.columns.keys().find(|k| !FIELDS.contains(&k.as_str())) {
            bail!("review.toml: [columns] has `{field}`, not a field of a review row");
        }
        Ok(spec)
    }
}

/// One row of the review file.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    /// Line in the file (1 = the headings).
    pub line: usize,
    pub id: String,
    pub status: String,
    pub reason: String,
    pub reviewer: String,
    pub date: String,
    /// The amounts when reviewed; both or neither.
    pub amounts: Option<(Decimal, Decimal)>,
}

/// A row of the file that reviews nothing, and why.
#[derive(Debug, Clone)]
pub struct Unmatched {
    pub entry: Entry,
    pub problem: String,
}

/// The review file as read: its rows that review a finding, and the rows
/// that cannot (unknown status, bad amount, a second row for an id).
#[derive(Debug, Clone, Default)]
pub struct ReviewFile {
    pub path: String,
    pub entries: Vec<Entry>,
    pub bad: Vec<Unmatched>,
}

impl ReviewFile {
    /// Reads `path` (CSV or a workbook's first sheet).
    pub fn load(path: &Path, spec: &ReviewSpec) -> Result<ReviewFile> {
        let rows =
            read_rows(path).with_context(|| format!("reading review file {}", path.display()))?;
        let name = path.display().to_string();
        let Some((headings, body)) = rows.split_first() else {
            bail!("review file {name} is empty (it needs a row of headings)");
        };
        let place = header_places(headings, &spec.columns, &["id", "status"])
            .with_context(|| format!("review file {name}, line 1"))?;
        let mut file = ReviewFile {
            path: name,
            ..Default::default()
        };
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, row) in body.iter().enumerate() {
            let cell = |field: &str| -> String {
                place
                    .get(field)
                    .and_then(|&c| row.get(c))
                    .map(|s| s.trim().to_string())
                    .unwrap_or_default()
            };
            let mut entry = Entry {
                line: i + 2,
                id: cell("id"),
                status: cell("status"),
                reason: cell("reason"),
                reviewer: cell("reviewer"),
                date: cell("date"),
                amounts: None,
            };
            // A row not (yet) reviewed, or an empty line.
            if entry.status.is_empty() {
                continue;
            }
            let problem = entry_problem(&mut entry, &cell, spec, &seen);
            match problem {
                Some(problem) => file.bad.push(Unmatched { entry, problem }),
                None => {
                    seen.insert(entry.id.clone(), entry.line);
                    file.entries.push(entry);
                }
            }
        }
        Ok(file)
    }
}

/// Why a row with a status cannot review a finding, if it cannot; reads its
/// amounts into `entry`.
fn entry_problem(
    entry: &mut Entry,
    cell: &dyn Fn(&str) -> String,
    spec: &ReviewSpec,
    seen: &HashMap<String, usize>,
) -> Option<String> {
    if entry.id.is_empty() {
        return Some("no id".into());
    }
    if !spec.statuses.contains(&entry.status) {
        return Some(format!(
            "status {:?} is none of {} (review.toml)",
            entry.status,
            spec.statuses.join("、")
        ));
    }
    if let Some(first) = seen.get(&entry.id) {
        return Some(format!("a second row for the id of line {first}"));
    }
    let (left, right) = (cell("left_amount"), cell("right_amount"));
    if left.is_empty() && right.is_empty() {
        return None;
    }
    match (amount(&left), amount(&right)) {
        (Some(l), Some(r)) => {
            entry.amounts = Some((l, r));
            None
        }
        _ => Some(format!(
            "amounts {left:?} and {right:?} are not both numbers (元)"
        )),
    }
}

/// An amount as findings.csv or Excel writes it (`1234.50`, `1,234.5`, `1.2345E+3`).
fn amount(text: &str) -> Option<Decimal> {
    let plain: String = text.chars().filter(|c| *c != ',').collect();
    Decimal::from_str(&plain)
        .or_else(|_| Decimal::from_scientific(&plain))
        .ok()
}

/// What the review says of one finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// No row reviews it.
    Open,
    /// Reviewed by the entry at this place, its amounts as then.
    Reviewed(usize),
    /// Reviewed by that entry, but its amounts have changed since.
    Reopened(usize),
}

impl Mark {
    pub fn is_open(self) -> bool {
        !matches!(self, Mark::Reviewed(_))
    }
}

/// The review file applied to a batch's findings.
#[derive(Debug, Clone)]
pub struct Review {
    pub spec: ReviewSpec,
    /// The file given with `--review`, if any.
    pub file: Option<ReviewFile>,
    /// A mark per finding (parallel to the findings).
    pub marks: Vec<Mark>,
    /// Rows that review no finding: stale ids and bad rows.
    pub unmatched: Vec<Unmatched>,
}

impl Review {
    /// Marks each finding (`ids` are theirs, in order).
    pub fn apply(
        spec: ReviewSpec,
        file: Option<ReviewFile>,
        findings: &[Finding],
        ids: &[String],
    ) -> Review {
        let entries = file.as_ref().map_or(&[][..], |f| &f.entries);
        let by_id: HashMap<&str, usize> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str(), i))
            .collect();
        let mut used = vec![false; entries.len()];
        let marks = findings
            .iter()
            .zip(ids)
            .map(|(f, id)| match by_id.get(id.as_str()) {
                None => Mark::Open,
                Some(&i) => {
                    used[i] = true;
                    match entries[i].amounts {
                        Some(then) if then != (f.left_amount, f.right_amount) => Mark::Reopened(i),
                        _ => Mark::Reviewed(i),
                    }
                }
            })
            .collect();
        let mut unmatched: Vec<Unmatched> = entries
            .iter()
            .zip(&used)
            .filter(|(_, used)| !**used)
            .map(|(entry, _)| Unmatched {
                entry: entry.clone(),
                problem: "stale: no finding of this run has this id (corrected, or its rule or figures are gone)".into(),
            })
            .collect();
        unmatched.extend(file.iter().flat_map(|f| f.bad.iter().cloned()));
        unmatched.sort_by_key(|u| u.entry.line);
        Review {
            spec,
            file,
            marks,
            unmatched,
        }
    }

    /// The entry behind a mark.
    pub fn entry(&self, mark: Mark) -> Option<&Entry> {
        let entries = &self.file.as_ref()?.entries;
        match mark {
            Mark::Open => None,
            Mark::Reviewed(i) | Mark::Reopened(i) => entries.get(i),
        }
    }

    /// The mark of the `i`-th finding.
    pub fn mark(&self, i: usize) -> Mark {
        self.marks.get(i).copied().unwrap_or(Mark::Open)
    }

    /// The `i`-th finding's review columns: status, reason, reviewer, date.
    pub fn columns(&self, i: usize) -> [String; 4] {
        let mark = self.mark(i);
        let Some(entry) = self.entry(mark) else {
            return [
                self.spec.open.clone(),
                String::new(),
                String::new(),
                String::new(),
            ];
        };
        let status = match mark {
            Mark::Reopened(_) => self.spec.reopened.clone(),
            _ => entry.status.clone(),
        };
        let reason = match (mark, entry.amounts) {
            (Mark::Reopened(_), Some((left, right))) => format!(
                "{}时金额 {left} / {right} 元，现已变动；原说明：{}",
                entry.status, entry.reason
            ),
            _ => entry.reason.clone(),
        };
        [status, reason, entry.reviewer.clone(), entry.date.clone()]
    }

    /// The errors and warnings among `findings` (those the marks are of)
    /// reviewed, reopened and open (reopened included); rounding gaps are
    /// within tolerance and not counted.
    pub fn counts(&self, findings: &[Finding]) -> ReviewCounts {
        let mut counts = ReviewCounts::default();
        let marks = (self.marks.iter().zip(findings))
            .filter(|(_, f)| f.severity > FindingSeverity::Rounding)
            .map(|(mark, _)| mark);
        for mark in marks {
            match mark {
                Mark::Open => counts.open += 1,
                Mark::Reviewed(_) => {
                    let status = self.entry(*mark).map_or("", |e| e.status.as_str());
                    *counts.by_status.entry(status.to_string()).or_default() += 1;
                    counts.reviewed += 1;
                }
                Mark::Reopened(_) => {
                    counts.open += 1;
                    counts.reopened += 1;
                }
            }
        }
        counts.unmatched = self.unmatched.len();
        counts
    }

    /// Lets go of the marks of findings not kept (`keep[i]` for the i-th).
    pub fn retain(&mut self, keep: &[bool]) {
        let mut i = 0;
        self.marks.retain(|_| {
            i += 1;
            keep.get(i - 1).copied().unwrap_or(true)
        });
    }
}

/// How many findings the review left open and reviewed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewCounts {
    /// Not reviewed, or reopened.
    pub open: usize,
    pub reviewed: usize,
    pub reopened: usize,
    /// Rows of the file reviewing nothing (stale or bad).
    pub unmatched: usize,
    pub by_status: BTreeMap<String, usize>,
}
