//! Measures per unit-year and department-year, read from the facts through
//! `measures.toml`, each with the source cells it came from.
//!
//! A unit is a workbook filed as 单户表. A department-year is its 汇总表 when
//! there is one, else the sum of its units' 单户表, else its public
//! disclosure (部门公开); `basis` says which.

use foldhash::{HashMap, HashMapExt};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::spec::AnalysisSpec;
use crate::batch::{Fact, WorkbookFacts};
use crate::identity::DeptKeys;
use crate::rules::{CodeRef, ColumnRef, ItemRef, Term};
use crate::spec::Catalogue;
use crate::validate::SourceCell;

/// 报表类型 of one unit's own accounts and of a department's consolidated ones
/// (the canonical values of cover.toml).
pub const UNIT_REPORT: &str = "单户表";
pub const DEPARTMENT_REPORT: &str = "汇总表";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Unit,
    Department,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Unit => "unit",
            Level::Department => "department",
        }
    }
}

/// One unit or department in one year, with its measures.
#[derive(Debug, Clone)]
pub struct EntityYear {
    pub level: Level,
    pub id: String,
    pub name: String,
    pub dept_code: Option<String>,
    pub dept_name: String,
    pub unit_kind: Option<String>,
    pub year: i32,
    /// Where the figures come from: 单户表, 汇总表, 单户表合计（n 户）, 部门公开 …
    pub basis: String,
    pub values: BTreeMap<String, Decimal>,
    pub sources: BTreeMap<String, Vec<SourceCell>>,
}

/// Every unit-year and department-year of the batch, sorted by level, id, year.
///
/// `measured[i]` are the measures of `workbooks[i]` ([`measure`]).
pub fn entities(
    workbooks: &[Arc<WorkbookFacts>],
    measured: Vec<Measured>,
    keys: &DeptKeys,
) -> Vec<EntityYear> {
    let read: Vec<(&Arc<WorkbookFacts>, Measured)> = workbooks.iter().zip(measured).collect();
    let mut out = Vec::new();
    let mut departments: BTreeMap<(i32, String), Vec<usize>> = BTreeMap::new();
    for (i, (w, _)) in read.iter().enumerate() {
        let id = &w.identity;
        departments
            .entry((id.year, keys.key(id)))
            .or_default()
            .push(i);
    }
    for ((year, key), members) in departments {
        let pick = |report: &str| -> Vec<usize> {
            members
                .iter()
                .copied()
                .filter(|&i| read[i].0.identity.report_type == report)
                .collect()
        };
        let consolidated = pick(DEPARTMENT_REPORT);
        let units = pick(UNIT_REPORT);
        let (chosen, basis) = if let Some(&i) = consolidated.first() {
            (vec![i], DEPARTMENT_REPORT.to_string())
        } else if !units.is_empty() {
            let basis = format!("{UNIT_REPORT}合计（{} 户）", units.len());
            (units, basis)
        } else {
            let i = members[0];
            (vec![i], read[i].0.identity.report_type.clone())
        };
        // Named after a workbook that carries the department's code, if any.
        let head = chosen
            .iter()
            .chain(&members)
            .map(|&i| &read[i].0.identity)
            .find(|id| id.dept_code.is_some())
            .unwrap_or(&read[chosen[0]].0.identity);
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for &i in &chosen {
            if let Some(k) = &read[i].0.identity.unit_kind {
                *kinds.entry(k.as_str()).or_default() += 1;
            }
        }
        let unit_kind = head.unit_kind.clone().or_else(|| {
            kinds
                .iter()
                .max_by_key(|(k, n)| (**n, std::cmp::Reverse(**k)))
                .map(|(k, _)| k.to_string())
        });
        let mut values: BTreeMap<String, Decimal> = BTreeMap::new();
        let mut sources: BTreeMap<String, Vec<SourceCell>> = BTreeMap::new();
        for &i in &chosen {
            for (k, v) in &read[i].1.values {
                *values.entry(k.clone()).or_default() += *v;
            }
            for (k, cells) in &read[i].1.sources {
                sources
                    .entry(k.clone())
                    .or_default()
                    .extend(cells.iter().cloned());
            }
        }
        out.push(EntityYear {
            level: Level::Department,
            id: key,
            name: head.dept_name.clone(),
            dept_code: head.dept_code.clone(),
            dept_name: head.dept_name.clone(),
            unit_kind,
            year,
            basis,
            values,
            sources,
        });
    }
    // Units last: their measures move into them rather than being copied.
    for (w, measured) in read {
        let id = &w.identity;
        if id.report_type == UNIT_REPORT {
            out.push(EntityYear {
                level: Level::Unit,
                id: id.unit_id.clone(),
                name: id.unit_name.clone(),
                dept_code: id.dept_code.clone(),
                dept_name: id.dept_name.clone(),
                unit_kind: id.unit_kind.clone(),
                year: id.year,
                basis: UNIT_REPORT.to_string(),
                values: measured.values,
                sources: measured.sources,
            });
        }
    }
    out.sort_by(|a, b| (a.level, &a.id, a.year).cmp(&(b.level, &b.id, b.year)));
    out
}

/// The measures of one workbook, with the cell each came from.
#[derive(Debug, Default)]
pub struct Measured {
    values: BTreeMap<String, Decimal>,
    sources: BTreeMap<String, Vec<SourceCell>>,
}

/// The measures of one workbook: all the analysis needs of its facts,
/// taken while they are in memory.
pub fn measure(w: &WorkbookFacts, spec: &AnalysisSpec, catalogue: &Catalogue) -> Measured {
    let mut index: HashMap<(&str, &str, Option<&str>, &str), &Fact> = HashMap::new();
    for f in &w.facts {
        index
            .entry((&f.form, &f.item, f.subject_code.as_deref(), &f.column))
            .or_insert(f);
    }
    let mut out = Measured::default();
    let mut record = |key: String, fact: &Fact| {
        out.values.insert(key.clone(), fact.amount);
        out.sources.insert(key, vec![SourceCell::of(&w.file, fact)]);
    };
    for m in &spec.measures {
        let found = m.sources.iter().find_map(|t| {
            let (ItemRef::Named(item), ColumnRef::Named(column)) = (&t.item, &t.column) else {
                return None;
            };
            let code = match &t.code {
                CodeRef::Fixed(c) => Some(&**c),
                _ => None,
            };
            index.get(&(&*t.form, &**item, code, &**column)).copied()
        });
        if let Some(fact) = found {
            record(m.key.clone(), fact);
        }
    }
    for t in &spec.class_sources {
        let classes: Vec<&Fact> = class_facts(w, t);
        if classes.is_empty() {
            continue;
        }
        for fact in classes {
            if let Some(code) = &fact.subject_code
                && catalogue
                    .classification
                    .functional_classes
                    .contains_key(&**code)
            {
                record(format!("{}{code}", spec.class_prefix), fact);
            }
        }
        break;
    }
    out
}

/// The 类 (3-digit) rows of the source a class term names.
fn class_facts<'a>(w: &'a WorkbookFacts, t: &Term) -> Vec<&'a Fact> {
    let (ItemRef::Named(item), ColumnRef::Named(column)) = (&t.item, &t.column) else {
        return Vec::new();
    };
    w.facts
        .iter()
        .filter(|f| {
            f.form == t.form
                && f.item == *item
                && f.column == *column
                && f.subject_code.as_ref().is_some_and(|c| c.len() == 3)
        })
        .collect()
}
