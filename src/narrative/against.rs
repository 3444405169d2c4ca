//! A narrative against its tables: every stated figure whose subject names
//! a measure (`claims.toml`) compared with that measure of the same
//! unit-year's workbook, when the batch holds one — equal at the precision
//! the narrative prints (a 万元 figure to 0.01万元), else a finding that
//! names the sentence's line and the table's cells. A 类 or 类/款/项 line
//! is compared with the row its names find (claims.toml `[rows]`).

use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::check::{NarrativeFinding, Verdict};
use super::claims::{Basis, Claim, Kind};
use super::spec::{TableRows, name_key};
use super::{Narrative, Narratives};
use crate::analyse::measures::{DEPARTMENT_REPORT, Measures, UNIT_REPORT};
use crate::ingest::batch::WorkbookFacts;
use crate::rules::FindingSeverity;
use crate::text::{Text, unit_name_key};
use crate::validate::SourceCell;

/// Compares each narrative with the workbook of its unit-year;
/// `measured[i]` are the measures of `workbooks[i]`.
pub fn compare(
    narratives: &mut Narratives,
    workbooks: &[Arc<WorkbookFacts>],
    measured: &[Measures],
) {
    let Narratives {
        read,
        rows,
        workbook_rows,
        ..
    } = narratives;
    let none = WorkbookRows::default();
    for n in read.iter_mut() {
        if let Some(i) = paired_workbook(n, workbooks) {
            let tables = Tables {
                file: &workbooks[i].file,
                measures: &measured[i],
                rows: workbook_rows.get(i).unwrap_or(&none),
                spec: rows,
            };
            compare_one(n, &tables);
        }
    }
}

/// The workbook a narrative restates: same year and unit (or department)
/// name; for a department's report its 汇总表 first, then its public
/// tables, then the 单户表 of a department of one unit; for a unit's report
/// its 单户表 first.
fn paired_workbook(n: &Narrative, workbooks: &[Arc<WorkbookFacts>]) -> Option<usize> {
    let key = unit_name_key(&n.identity.unit_name);
    let order: &[&str] = if n.identity.kind == super::identity::UNIT_REPORT {
        &[UNIT_REPORT, DEPARTMENT_REPORT]
    } else {
        &[DEPARTMENT_REPORT, "部门公开", UNIT_REPORT]
    };
    let candidates: Vec<usize> = workbooks
        .iter()
        .enumerate()
        .filter(|(_, w)| {
            let id = &w.identity;
            id.year == n.identity.year
                && (unit_name_key(&id.unit_name) == key || unit_name_key(&id.dept_name) == key)
        })
        .map(|(i, _)| i)
        .collect();
    let rank = |i: &usize| {
        let report = workbooks[*i].identity.report_type.as_str();
        order
            .iter()
            .position(|r| *r == report)
            .unwrap_or(order.len())
    };
    let best = candidates.iter().copied().min_by_key(|i| (rank(i), *i))?;
    // A department's report restates the department's figures: one unit's
    // own accounts stand for them only when it is the department's only unit.
    let one_of_several = n.identity.kind != super::identity::UNIT_REPORT
        && workbooks[best].identity.report_type == UNIT_REPORT
        && candidates.len() > 1;
    (!one_of_several).then_some(best)
}

/// The table figure a claim was compared with.
#[derive(Debug, Clone)]
pub struct Compared {
    /// The measure, or the row (`gpb_expenditure 2120101 行政运行`).
    pub name: String,
    pub value: Decimal,
    pub cells: Vec<SourceCell>,
    pub holds: bool,
}

/// What a narrative is compared with: its workbook's measures and rows.
struct Tables<'a> {
    file: &'a Arc<str>,
    measures: &'a Measures,
    rows: &'a WorkbookRows,
    spec: &'a TableRows,
}

/// The table figure a claim restates, or why it cannot be found.
enum Lookup {
    Found {
        value: Decimal,
        name: String,
        cells: Vec<SourceCell>,
    },
    Missing(String),
    NotStated,
}

impl Tables<'_> {
    fn lookup(&self, claims: &[Claim], c: &Claim) -> Lookup {
        if let Some(measure) = c.measure.as_deref() {
            return match self.measures.get(measure) {
                Some(&value) => Lookup::Found {
                    value,
                    name: measure.to_string(),
                    cells: self.measures.sources(measure).to_vec(),
                },
                None => Lookup::NotStated,
            };
        }
        let subject = c.subject.as_deref().unwrap_or_default();
        if c.kind != Kind::Amount || c.basis != Basis::Actual {
            return Lookup::NotStated;
        }
        if let Some(path) = subject.strip_prefix("line:") {
            return self.rows.line(path, &self.spec.class_names);
        }
        if let Some(code) = subject.strip_prefix("func:") {
            let under =
                |k: Option<&str>| k.is_some_and(|k| self.spec.classes_under.iter().any(|u| u == k));
            let parent = c.parent.and_then(|p| claims[p].subject.as_deref());
            if under(parent) || under(c.lead_subject.as_deref()) {
                return self.rows.class(code);
            }
        }
        Lookup::NotStated
    }
}

/// The rows of a workbook's 功能分类 tables by code: for each code, the
/// first table of [`TableRows::tables`] holding it. Kept for each workbook
/// while it is read (its facts are not kept), when the batch has narratives.
#[derive(Default)]
pub struct WorkbookRows {
    by_code: BTreeMap<Text, Row>,
}

struct Row {
    form: Text,
    label: Text,
    amount: Decimal,
    cell: SourceCell,
}

impl WorkbookRows {
    pub fn of(workbook: &WorkbookFacts, spec: &TableRows) -> Self {
        let mut by_code = BTreeMap::new();
        for table in &spec.tables {
            for f in &workbook.facts {
                if let (true, Some(code)) = (
                    f.form == table.form && f.column == table.column,
                    f.subject_code,
                ) {
                    by_code.entry(code).or_insert_with(|| Row {
                        form: f.form,
                        label: f.label,
                        amount: f.amount,
                        cell: SourceCell::of(&workbook.file, f),
                    });
                }
            }
        }
        WorkbookRows { by_code }
    }

    /// A `类/款/项` path's row: the 项 of that name whose 款 and 类 rows
    /// (where the table has them) bear the names stated.
    fn line(&self, path: &str, class_names: &BTreeMap<String, Vec<String>>) -> Lookup {
        let names: Vec<String> = path.split('/').map(name_key).collect();
        let Some((item, above)) = names.split_last() else {
            return Lookup::NotStated;
        };
        let (class, section) = match above {
            [class, section] => (Some(class), Some(section)),
            [section] => (None, Some(section)),
            _ => (None, None),
        };
        let class_named = |code: &str, name: &str| {
            self.named(code, name)
                || class_names
                    .get(code)
                    .is_some_and(|names| names.iter().any(|n| n == name))
        };
        let found: Vec<(&str, &Row)> = self
            .by_code
            .iter()
            .filter(|(code, row)| {
                code.len() == 7
                    && name_key(row.label) == *item
                    && section.is_none_or(|s| self.named(&code[..5], s))
                    && class.is_none_or(|c| class_named(&code[..3], c))
            })
            .map(|(code, row)| (*code, row))
            .collect();
        match found.as_slice() {
            [(code, row)] => row.found(code),
            [] => Lookup::Missing(format!("表中没有名为“{path}”的项级科目")),
            _ => Lookup::Missing(format!("表中有 {} 行名为“{path}”的项级科目", found.len())),
        }
    }

    fn class(&self, code: &str) -> Lookup {
        match self.by_code.get(code) {
            Some(row) => row.found(code),
            None => Lookup::Missing(format!("表中没有 {code} 类")),
        }
    }

    /// Whether the row of `code` bears `name` (a row the table lacks does not say no).
    fn named(&self, code: &str, name: &str) -> bool {
        self.by_code
            .get(code)
            .is_none_or(|row| name_key(row.label) == name)
    }
}

impl Row {
    fn found(&self, code: &str) -> Lookup {
        Lookup::Found {
            value: self.amount,
            name: format!("{} {code} {}", self.form, self.label),
            cells: vec![self.cell.clone()],
        }
    }
}

fn compare_one(n: &mut Narrative, tables: &Tables) {
    n.paired_workbook = Some(tables.file.clone());
    n.compared = vec![None; n.claims.len()];
    let mut found = Vec::new();
    for (i, c) in n.claims.iter().enumerate() {
        let Some(stated) = c.measured() else {
            continue;
        };
        if c.year != n.identity.year {
            continue;
        }
        let (table, name, cells) = match tables.lookup(&n.claims, c) {
            Lookup::Found { value, name, cells } => (value, name, cells),
            Lookup::Missing(reason) => {
                if n.verdicts[i].0 == Verdict::NotCheckable {
                    n.verdicts[i].1 = reason;
                }
                continue;
            }
            Lookup::NotStated => continue,
        };
        // The table's 元 to 分 and the narrative's rounding of it.
        let tolerance = c.half_yuan() + Decimal::new(5, 3);
        let holds = (stated - table).abs() <= tolerance;
        let verdict = if holds {
            Verdict::Holds
        } else {
            Verdict::Error
        };
        let in_table = match c.yuan {
            Some(_) => format!(
                "{}万元",
                (table / Decimal::from(10_000)).round_dp(2).normalize()
            ),
            None => format!("{}{}", table.normalize(), c.unit),
        };
        let description = format!(
            "说明 {} {}{}，表中 {name} 为 {in_table}",
            c.subject_label,
            c.value.normalize(),
            c.unit,
        );
        if verdict >= n.verdicts[i].0 || n.verdicts[i].0 == Verdict::NotCheckable {
            n.verdicts[i] = (verdict, description.clone());
        }
        n.compared[i] = Some(Compared {
            name: name.clone(),
            value: table,
            cells: cells.clone(),
            holds,
        });
        if !holds {
            found.push(NarrativeFinding {
                rule_id: "narrative.table",
                severity: FindingSeverity::Error,
                description,
                lines: vec![c.line],
                cells,
                left: format!("stated {}", c.subject_label),
                right: format!("{name} in {}", tables.file),
                left_amount: stated,
                right_amount: table,
                tolerance,
            });
        }
    }
    n.findings.extend(found);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::narrative::spec::ClaimsSpec;

    fn rows(lines: &[(&'static str, &'static str)]) -> WorkbookRows {
        let file: Arc<str> = Arc::from("t.xlsx");
        let by_code = lines
            .iter()
            .enumerate()
            .map(|(i, (code, label))| {
                let row = Row {
                    form: "gpb_expenditure",
                    label,
                    amount: Decimal::from(i as i64 + 1),
                    cell: SourceCell {
                        file: file.clone(),
                        sheet: "Z07",
                        position: (i as u32, 3),
                    },
                };
                (*code, row)
            })
            .collect();
        WorkbookRows { by_code }
    }

    fn found(rows: &WorkbookRows, path: &str) -> Option<String> {
        let spec = ClaimsSpec::builtin().expect("claims spec");
        match rows.line(path, &spec.rows.class_names) {
            Lookup::Found { name, .. } => Some(name),
            _ => None,
        }
    }

    #[test]
    fn a_line_is_the_row_its_names_find_and_never_a_guess() {
        let table = rows(&[
            ("201", "一般公共服务支出"),
            ("20101", "人大事务"),
            ("2010101", "行政运行"),
            ("212", "城乡社区支出"),
            ("21201", "城乡社区管理事务"),
            ("2120101", "行政运行"),
            ("2120199", "其他城乡社区管理事务支出"),
        ]);
        let name = |p: &str| found(&table, p);
        assert_eq!(
            name("城乡社区/城乡社区管理事务/行政运行").as_deref(),
            Some("gpb_expenditure 2120101 行政运行")
        );
        // The 类 by its short name (classification.toml), the 款 alone, a
        // trailing 支出 left out.
        assert_eq!(
            name("一般公共服务/人大事务/行政运行").as_deref(),
            Some("gpb_expenditure 2010101 行政运行")
        );
        assert_eq!(
            name("城乡社区管理事务/其他城乡社区管理事务").as_deref(),
            Some("gpb_expenditure 2120199 其他城乡社区管理事务支出")
        );
        // Two rows so named: not one of them.
        assert_eq!(name("行政运行"), None);
        // A 款 the 项 is not under, a near name: not the nearest row.
        assert_eq!(name("城乡社区/城乡社区环境卫生/行政运行"), None);
        assert_eq!(name("城乡社区/城乡社区管理事务/行政运行事务"), None);
        assert!(matches!(table.class("212"), Lookup::Found { .. }));
        assert!(matches!(table.class("213"), Lookup::Missing(_)));
    }
}
