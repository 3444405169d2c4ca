//! Who has not filed (`--roster FILE`, the 应收清单): the units expected
//! each year against the workbooks read — filed, missing, filed but
//! rejected (with the reason), filed but not on the roster — and, for each
//! department 汇总表, the units on the roster it lacks. Column names and
//! labels live in `roster.toml`.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use crate::ingest::batch::{Batch, Workbook};
use crate::rules::FindingSeverity;
use crate::sidefile::{header_places, read_rows};
use crate::spec::SpecFiles;
use crate::text::label_key;
use crate::validate::Finding;

/// `roster.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterSpec {
    /// Field (`year`, `code`, `name`, `department`) → its headings.
    pub columns: BTreeMap<String, Vec<String>>,
    /// The report types a unit files (a roster is about them; public
    /// disclosures are not filed).
    pub filed_report_types: Vec<String>,
    /// The report type of a department's consolidated workbook.
    pub consolidated_report_type: String,
    pub labels: Labels,
}

/// What each filing status is called in the outputs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    pub filed: String,
    pub missing: String,
    pub rejected: String,
    pub not_on_roster: String,
}

impl RosterSpec {
    pub fn load(dir: Option<&Path>) -> Result<RosterSpec> {
        let spec: RosterSpec = SpecFiles::load(dir)?.parse("roster.toml")?;
        for field in ["code", "name"] {
            if !spec.columns.contains_key(field) {
                bail!("roster.toml: [columns] needs `{field}`");
            }
        }
        Ok(spec)
    }
}

/// One unit expected: in one year, or (no year column) in every year read.
#[derive(Debug, Clone)]
pub struct Expected {
    pub line: usize,
    pub year: Option<i32>,
    pub code: String,
    pub name: String,
    /// Its department's code or name, as the roster gives it.
    pub department: String,
}

#[derive(Debug, Clone)]
pub struct Roster {
    pub path: String,
    pub spec: RosterSpec,
    pub expected: Vec<Expected>,
}

impl Roster {
    /// Reads `path` (CSV or a workbook's first sheet); a row without code
    /// and name, or with a year that is not one, stops the run naming its
    /// line.
    pub fn load(path: &Path, spec: RosterSpec) -> Result<Roster> {
        let name = path.display().to_string();
        let rows = read_rows(path).with_context(|| format!("reading roster {name}"))?;
        let Some((headings, body)) = rows.split_first() else {
            bail!("roster {name} is empty (it needs a row of headings)");
        };
        let place = header_places(headings, &spec.columns, &["code", "name"])
            .with_context(|| format!("roster {name}, line 1"))?;
        let mut expected = Vec::new();
        for (i, row) in body.iter().enumerate() {
            let line = i + 2;
            let cell = |field: &str| -> String {
                (place.get(field).and_then(|&c| row.get(c)))
                    .map_or(String::new(), |s| s.trim().to_string())
            };
            let (code, unit) = (cell("code"), cell("name"));
            if code.is_empty() && unit.is_empty() {
                continue;
            }
            let year = match cell("year") {
                y if y.is_empty() => None,
                y => Some(year_of(&y).with_context(|| {
                    format!("roster {name}, line {line}: year {y:?} is not a year")
                })?),
            };
            expected.push(Expected {
                line,
                year,
                code,
                name: unit,
                department: cell("department"),
            });
        }
        Ok(Roster {
            path: name,
            spec,
            expected,
        })
    }
}

/// `2023`, `2023年`, `2023.0` (a number in a workbook).
fn year_of(text: &str) -> Option<i32> {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|y| (1990..2200).contains(y))
}

/// A unit-year's filing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filing {
    pub year: i32,
    pub code: String,
    pub name: String,
    pub department: String,
    /// One of the spec's labels.
    pub status: String,
    /// The workbooks read (or the file rejected) for it.
    pub files: Vec<String>,
    pub reason: String,
}

/// What was filed against the roster, and the findings of 汇总表 lacking
/// units on it.
pub struct Reconciled {
    pub filings: Vec<Filing>,
    pub findings: Vec<Finding>,
}

/// A unit's name as compared: its label key (no spaces, numbering or
/// width differences).
fn same_name(a: &str, b: &str) -> bool {
    !a.is_empty() && label_key(a) == label_key(b)
}

impl Roster {
    /// The roster against the workbooks of `batch` and its rejected files.
    pub fn reconcile(&self, batch: &Batch) -> Reconciled {
        let spec = &self.spec;
        let filed: Vec<&Arc<Workbook>> = (batch.workbooks.iter())
            .map(|w| &w.workbook)
            .filter(|w| spec.filed_report_types.contains(&w.identity.report_type))
            .collect();
        let years: BTreeSet<i32> = filed.iter().map(|w| w.identity.year).collect();
        let rejected: Vec<(&str, &str)> = (batch.report.iter())
            .filter(|r| r.kind == "rejected")
            .map(|r| (r.file.as_str(), r.message.as_str()))
            .collect();
        let mut matched = vec![false; filed.len()];
        let mut filings = Vec::new();
        for e in &self.expected {
            let in_years: Vec<i32> = match e.year {
                Some(y) => vec![y],
                None => years.iter().copied().collect(),
            };
            for year in in_years {
                let mut files = Vec::new();
                for (i, w) in filed.iter().enumerate() {
                    let id = &w.identity;
                    let is_unit = id.unit_code.as_deref() == Some(&*e.code)
                        || id.unit_id == e.code
                        || (e.code.is_empty() && same_name(&e.name, &id.unit_name));
                    if id.year == year && is_unit {
                        matched[i] = true;
                        files.push(w.file.to_string());
                    }
                }
                filings.push(self.filing(e, year, files, &rejected));
            }
        }
        for (w, _) in filed.iter().zip(&matched).filter(|(_, m)| !**m) {
            let id = &w.identity;
            // A department's own 汇总表 is its units' sum, not a filing.
            if id.report_type == spec.consolidated_report_type {
                continue;
            }
            filings.push(Filing {
                year: id.year,
                code: id.unit_code.clone().unwrap_or_default(),
                name: id.unit_name.clone(),
                department: id.dept_code.clone().unwrap_or_else(|| id.dept_name.clone()),
                status: spec.labels.not_on_roster.clone(),
                files: vec![w.file.to_string()],
                reason: String::new(),
            });
        }
        filings.sort_by(|a, b| {
            (a.year, &a.department, &a.code, &a.name).cmp(&(
                b.year,
                &b.department,
                &b.code,
                &b.name,
            ))
        });
        let findings = self.lacking_units(&filings, &filed);
        Reconciled { filings, findings }
    }

    /// Filed, rejected (a rejected file named with its code or name), or
    /// missing.
    fn filing(
        &self,
        e: &Expected,
        year: i32,
        files: Vec<String>,
        rejected: &[(&str, &str)],
    ) -> Filing {
        let labels = &self.spec.labels;
        let (status, files, reason) = if !files.is_empty() {
            (labels.filed.clone(), files, String::new())
        } else {
            let named = |file: &str| {
                let base = Path::new(file)
                    .file_name()
                    .map_or(String::new(), |n| n.to_string_lossy().to_string());
                (!e.code.is_empty() && base.contains(&e.code))
                    || (!e.name.is_empty() && base.contains(&e.name))
            };
            let in_year = |file: &str| file.contains(&year.to_string());
            let found = (rejected.iter().find(|(f, _)| named(f) && in_year(f)))
                .or_else(|| rejected.iter().find(|(f, _)| named(f)));
            match found {
                Some((file, why)) => (
                    labels.rejected.clone(),
                    vec![file.to_string()],
                    why.to_string(),
                ),
                None => (labels.missing.clone(), Vec::new(), String::new()),
            }
        };
        Filing {
            year,
            code: e.code.clone(),
            name: e.name.clone(),
            department: e.department.clone(),
            status,
            files,
            reason,
        }
    }

    /// A warning on each department 汇总表 whose year has units of its
    /// department on the roster that are missing or rejected: its
    /// consolidation cannot hold them.
    fn lacking_units(&self, filings: &[Filing], filed: &[&Arc<Workbook>]) -> Vec<Finding> {
        let labels = &self.spec.labels;
        let mut findings = Vec::new();
        for w in filed
            .iter()
            .filter(|w| w.identity.report_type == self.spec.consolidated_report_type)
        {
            let id = &w.identity;
            let of_dept = |f: &&Filing| {
                f.year == id.year
                    && (id.dept_code.as_deref() == Some(&*f.department)
                        || same_name(&f.department, &id.dept_name))
            };
            let expected: Vec<&Filing> = filings
                .iter()
                .filter(of_dept)
                .filter(|f| f.status != labels.not_on_roster)
                .collect();
            let lacking: Vec<&&Filing> = expected
                .iter()
                .filter(|f| f.status == labels.missing || f.status == labels.rejected)
                .collect();
            if lacking.is_empty() {
                continue;
            }
            let names: Vec<String> = lacking
                .iter()
                .map(|f| format!("{} {}（{}）", f.code, f.name, f.status))
                .collect();
            findings.push(Finding {
                rule_id: Arc::from("roster.lacking_units"),
                severity: FindingSeverity::Warning,
                description: Arc::from(format!(
                    "汇总表所属部门在报送名单上有 {} 个单位未报送或被拒，汇总数与单位合计的差异可能由此而来：{}",
                    lacking.len(),
                    names.join("、")
                )),
                workbook: Arc::clone(w),
                forms: Vec::new(),
                left: "units on the roster".into(),
                right: "units filed".into(),
                left_amount: rust_decimal::Decimal::from(expected.len() as u64),
                right_amount: rust_decimal::Decimal::from((expected.len() - lacking.len()) as u64),
                tolerance: rust_decimal::Decimal::ZERO,
                cells: Vec::new(),
            });
        }
        findings
    }
}
