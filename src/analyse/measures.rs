//! Measures per unit-year and department-year, read from the facts through
//! `measures.toml`, each with the source cells it came from.
//!
//! A unit is a workbook filed as 单户表. A department-year is its 汇总表 when
//! there is one, else the sum of its units' 单户表, else its public
//! disclosure (部门公开); `basis` says which.

use foldhash::HashMap;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::audit::WorkbookAudit;
use super::spec::AnalysisSpec;
use crate::ingest::batch::{Fact, FactIndex, WorkbookFacts};
use crate::ingest::codec::{Packed, Unpacked};
use crate::ingest::identity::{DeptKeys, Identity};
use crate::rules::{CodeRef, ColumnRef, ItemRef, Term};
use crate::spec::Catalogue;
use crate::validate::{SourceCell, keep_cells, restore_cells};

/// 报表类型 of one unit's own accounts and of a department's consolidated ones
/// (the canonical values of cover.toml).
pub const UNIT_REPORT: &str = "单户表";
pub const DEPARTMENT_REPORT: &str = "汇总表";
/// The basis of a department-year known only from its narrative.
pub const NARRATIVE_BASIS: &str = "情况说明";

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
    pub measures: Measures,
}

/// Every unit-year and department-year of the batch, sorted by level, id, year.
///
/// `measured[i]` are the measures of `workbooks[i]` ([`Measurer::measure`]).
///
/// A department-year no workbook holds but a narrative states figures of
/// (`stated`: the narrative's identity and figures) is an entity of its own,
/// on the basis 情况说明; the first narrative of a department-year counts.
pub fn entities(
    workbooks: &[Arc<WorkbookFacts>],
    measured: Vec<Measures>,
    stated: Vec<(Identity, Measures)>,
    keys: &DeptKeys,
) -> Vec<EntityYear> {
    let read: Vec<(&Arc<WorkbookFacts>, Measures)> = workbooks.iter().zip(measured).collect();
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
        let measures = Measures::sum(chosen.iter().map(|&i| &read[i].1));
        out.push(EntityYear {
            level: Level::Department,
            id: key,
            name: head.dept_name.clone(),
            dept_code: head.dept_code.clone(),
            dept_name: head.dept_name.clone(),
            unit_kind,
            year,
            basis,
            measures,
        });
    }
    add_stated(&mut out, stated, keys);
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
                measures: measured,
            });
        }
    }
    out.sort_by(|a, b| (a.level, &a.id, a.year).cmp(&(b.level, &b.id, b.year)));
    out
}

/// The department-years of `stated` that no workbook holds, on the basis
/// 情况说明.
fn add_stated(out: &mut Vec<EntityYear>, stated: Vec<(Identity, Measures)>, keys: &DeptKeys) {
    for (id, measures) in stated {
        let key = keys.key(&id);
        let known =
            |e: &EntityYear| e.level == Level::Department && e.id == key && e.year == id.year;
        if out.iter().any(known) {
            continue;
        }
        out.push(EntityYear {
            level: Level::Department,
            id: key,
            name: id.dept_name.clone(),
            dept_code: id.dept_code.clone(),
            dept_name: id.dept_name,
            unit_kind: id.unit_kind,
            year: id.year,
            basis: NARRATIVE_BASIS.to_string(),
            measures,
        });
    }
}

/// The measures of one workbook or entity-year, each with the cells it
/// came from, sorted by key.
///
/// Compact on purpose: a province's run holds those of every workbook
/// through the analysis, so keys are texts shared by every workbook and the
/// cells of all measures sit in one list.
#[derive(Debug, Clone, Default)]
pub struct Measures {
    /// (key, value, end of its cells in `cells`), sorted by key.
    entries: Vec<(Arc<str>, Decimal, u32)>,
    cells: Vec<SourceCell>,
    /// What the audit tests keep of a workbook (none for an entity's sum).
    pub audit: Option<Box<WorkbookAudit>>,
}

impl Measures {
    /// Measures from (key, value, cells), in any order; a key given twice
    /// keeps its last value.
    pub(crate) fn new<C>(mut found: Vec<(Arc<str>, Decimal, C)>) -> Measures
    where
        C: IntoIterator<Item = SourceCell>,
    {
        // Reversed, then a stable sort: the last of a key comes first.
        found.reverse();
        found.sort_by(|a, b| a.0.cmp(&b.0));
        found.dedup_by(|later, first| later.0 == first.0);
        let mut out = Measures {
            entries: Vec::with_capacity(found.len()),
            cells: Vec::with_capacity(found.len()),
            audit: None,
        };
        for (key, value, cells) in found {
            out.cells.extend(cells);
            let end = u32::try_from(out.cells.len()).unwrap_or(u32::MAX);
            out.entries.push((key, value, end));
        }
        out
    }

    /// The sum of several workbooks' measures, key by key, with the cells of
    /// each in the order of the parts.
    pub fn sum<'m>(parts: impl Iterator<Item = &'m Measures>) -> Measures {
        let mut summed: BTreeMap<&Arc<str>, (Decimal, Vec<&SourceCell>)> = BTreeMap::new();
        for part in parts {
            for (key, value, cells) in part.iter() {
                let (total, all) = summed.entry(key).or_default();
                *total += value;
                all.extend(cells);
            }
        }
        Measures::new(
            summed
                .into_iter()
                .map(|(key, (value, cells))| (key.clone(), value, cells.into_iter().cloned()))
                .collect(),
        )
    }

    fn place(&self, key: &str) -> Option<usize> {
        self.entries.binary_search_by(|e| (*e.0).cmp(key)).ok()
    }

    pub fn get(&self, key: &str) -> Option<&Decimal> {
        self.place(key).map(|i| &self.entries[i].1)
    }

    /// The cells `key` was read from (none when it is absent).
    pub fn sources(&self, key: &str) -> &[SourceCell] {
        self.place(key).map_or(&[], |i| self.cells_at(i))
    }

    /// (key, value) of each measure present, in key order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, Decimal)> {
        self.entries.iter().map(|e| (&*e.0, e.1))
    }

    /// The value of the `index`-th measure present in key order (as
    /// [`Measures::entries`] counts them).
    pub fn value_at(&self, index: usize) -> Decimal {
        self.entries[index].1
    }

    /// The keys present, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| &*e.0)
    }

    /// (key, value, cells) in key order.
    fn iter(&self) -> impl Iterator<Item = (&Arc<str>, Decimal, &[SourceCell])> {
        (0..self.entries.len()).map(|i| (&self.entries[i].0, self.entries[i].1, self.cells_at(i)))
    }

    fn cells_at(&self, i: usize) -> &[SourceCell] {
        let start = i.checked_sub(1).map_or(0, |j| self.entries[j].2 as usize);
        &self.cells[start..self.entries[i].2 as usize]
    }
}

/// Takes from each workbook what the analysis needs of its facts, while
/// they are in memory; the keys are made once and shared.
pub struct Measurer<'s> {
    spec: &'s AnalysisSpec,
    /// The key of each of `spec.measures`.
    keys: Vec<Arc<str>>,
    /// 功能分类 class code → its measure's key (`class_208`).
    class_keys: HashMap<&'s str, Arc<str>>,
    /// Both, sorted: a key kept in the reading cache is its place here.
    all_keys: Vec<Arc<str>>,
}

impl<'s> Measurer<'s> {
    pub fn new(spec: &'s AnalysisSpec, catalogue: &'s Catalogue) -> Self {
        let keys: Vec<Arc<str>> = spec
            .measures
            .iter()
            .map(|m| Arc::from(m.key.as_str()))
            .collect();
        let class_keys: HashMap<&'s str, Arc<str>> = catalogue
            .classification
            .functional_classes
            .keys()
            .map(|code| {
                let key = format!("{}{code}", spec.class_prefix);
                (code.as_str(), Arc::from(key))
            })
            .collect();
        let mut all_keys: Vec<Arc<str>> = keys.iter().chain(class_keys.values()).cloned().collect();
        all_keys.sort();
        all_keys.dedup();
        Measurer {
            spec,
            all_keys,
            keys,
            class_keys,
        }
    }

    /// Keeps the measures `m` of the workbook `w` for the reading cache;
    /// false when they hold a key this measurer does not make or a cell of
    /// another file.
    pub fn keep<'a>(&self, m: &'a Measures, w: &WorkbookFacts, out: &mut Packed<'a>) -> bool {
        out.uint(m.entries.len() as u64);
        for (key, value, end) in &m.entries {
            let Ok(i) = self.all_keys.binary_search(key) else {
                return false;
            };
            out.uint(i as u64);
            out.decimal(*value);
            out.uint(u64::from(*end));
        }
        if !keep_cells(&m.cells, &w.file, out) {
            return false;
        }
        match &m.audit {
            None => out.uint(0),
            Some(audit) => {
                out.uint(1);
                audit.keep(out);
            }
        }
        true
    }

    /// Measures [`Measurer::keep`] wrote for `w`, read back, their keys
    /// shared with those this measurer makes.
    pub fn restore(&self, c: &mut Unpacked<'_>, w: &WorkbookFacts) -> Option<Measures> {
        let entries = (0..c.count()?)
            .map(|_| {
                Some((
                    self.all_keys.get(c.count()?)?.clone(),
                    c.decimal()?,
                    c.u32()?,
                ))
            })
            .collect::<Option<Vec<_>>>()?;
        let cells = restore_cells(c, &w.file)?;
        // Each key's cells end where the next key's begin, the last at the end.
        let ends_in_order = entries.windows(2).all(|pair| pair[0].2 <= pair[1].2);
        if !ends_in_order || entries.last().map_or(0, |e| e.2 as usize) != cells.len() {
            return None;
        }
        let audit = if c.flag()? {
            Some(Box::new(WorkbookAudit::restore(c)?))
        } else {
            None
        };
        Some(Measures {
            entries,
            cells,
            audit,
        })
    }

    /// The measures of one workbook.
    pub fn measure(&self, w: &WorkbookFacts) -> Measures {
        self.measure_indexed(w, &w.index())
    }

    /// [`Measurer::measure`] with the workbook's facts already indexed.
    pub fn measure_indexed(&self, w: &WorkbookFacts, index: &FactIndex<'_>) -> Measures {
        let mut found: Vec<(Arc<str>, &Fact)> = Vec::new();
        let mut blank: Vec<Arc<str>> = Vec::new();
        for (m, key) in self.spec.measures.iter().zip(&self.keys) {
            let fact = m.sources.iter().find_map(|t| {
                let (ItemRef::Named(item), ColumnRef::Named(column)) = (&t.item, &t.column) else {
                    return None;
                };
                let code = match &t.code {
                    CodeRef::Fixed(c) => Some(&**c),
                    _ => None,
                };
                index
                    .by_key
                    .get(&(&*t.form, &**item, code, &**column))
                    .copied()
            });
            if let Some(fact) = fact {
                found.push((key.clone(), fact));
            } else if m.zero_when_blank
                && let Some(t) = m.sources.first()
                && index.firsts.iter().any(|f| *f.form == *t.form)
            {
                blank.push(key.clone());
            }
        }
        // Classes from the first source that has class rows.
        if let Some(classes) = self
            .spec
            .class_sources
            .iter()
            .map(|t| class_facts(index, t))
            .find(|classes| !classes.is_empty())
        {
            for fact in classes {
                if let Some(key) = fact.subject_code.and_then(|c| self.class_keys.get(c)) {
                    found.push((key.clone(), fact));
                }
            }
        }
        let mut measures = Measures::new(
            found
                .into_iter()
                .map(|(key, fact)| (key, fact.amount, Some(SourceCell::of(&w.file, fact))))
                .chain(blank.into_iter().map(|key| (key, Decimal::ZERO, None)))
                .collect(),
        );
        // Copies are looked for among units' own workbooks only.
        let fingerprinted = w.identity.report_type == UNIT_REPORT;
        measures.audit =
            WorkbookAudit::of(index, &self.spec.leaves, &self.spec.digits, fingerprinted)
                .map(Box::new);
        measures
    }
}

/// The 类 (3-digit) rows of the source a class term names, the first
/// figure of each.
fn class_facts<'a>(index: &FactIndex<'a>, t: &Term) -> Vec<&'a Fact> {
    let (ItemRef::Named(item), ColumnRef::Named(column)) = (&t.item, &t.column) else {
        return Vec::new();
    };
    index
        .firsts
        .iter()
        .copied()
        .filter(|f| {
            f.form == &*t.form
                && f.item == &**item
                && f.column == &**column
                && f.subject_code.is_some_and(|c| c.len() == 3)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(row: u32) -> SourceCell {
        SourceCell {
            file: Arc::from("a.xlsx"),
            sheet: "表1",
            position: (row, 2),
        }
    }

    #[test]
    fn measures_sum_key_by_key_with_every_cell_in_order() {
        let (c1, c2, c3, c4) = (cell(1), cell(2), cell(3), cell(4));
        let key = |k: &str| -> Arc<str> { Arc::from(k) };
        // A key found twice keeps the last figure, as it was read.
        let first = Measures::new(vec![
            (
                key("sangong_actual"),
                Decimal::new(61620000, 2),
                vec![c1.clone()],
            ),
            (
                key("expenditure_total"),
                Decimal::new(100, 0),
                vec![c2.clone()],
            ),
            (key("sangong_actual"), Decimal::new(5, 0), vec![c3.clone()]),
        ]);
        assert_eq!(first.get("sangong_actual"), Some(&Decimal::new(5, 0)));
        assert_eq!(first.sources("sangong_actual"), std::slice::from_ref(&c3));
        assert_eq!(
            first.keys().collect::<Vec<_>>(),
            ["expenditure_total", "sangong_actual"]
        );
        let second = Measures::new(vec![
            (key("class_208"), Decimal::new(7, 0), vec![c4.clone()]),
            (key("sangong_actual"), Decimal::new(10, 0), vec![c1.clone()]),
        ]);
        let total = Measures::sum([&first, &second].into_iter());
        assert_eq!(total.get("sangong_actual"), Some(&Decimal::new(15, 0)));
        assert_eq!(total.get("class_208"), Some(&Decimal::new(7, 0)));
        assert_eq!(total.get("staff"), None);
        assert_eq!(total.sources("sangong_actual"), [c3, c1]);
        assert_eq!(total.sources("expenditure_total"), [c2]);
        assert!(total.sources("staff").is_empty());
    }
}
