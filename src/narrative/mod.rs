//! The narrative (情况说明): documents beside the workbooks, read and
//! checked figure by figure. The stages follow the ingest's:
//! [`document`] (file → lines) → [`identity`] (unit, year, kind) →
//! [`claims`] (lines → stated figures, by the vocabulary of [`spec`]) →
//! [`check`] (the figures against each other).

pub mod against;
pub mod check;
pub mod claims;
pub mod document;
pub mod identity;
pub mod spec;
pub mod tables;

use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::analyse::measures::Measures;
use crate::ingest::batch::Workbook;
use crate::ingest::identity::{Identity, Origin};
use crate::text::{intern, unit_name_key};
use crate::validate::{Finding, SourceCell};
use check::{NarrativeFinding, Verdict};
use claims::Claim;
use document::Line;
use identity::DocumentIdentity;
use spec::ClaimsSpec;

/// One document read and checked.
pub struct Narrative {
    pub file: Arc<str>,
    pub format: &'static str,
    pub identity: DocumentIdentity,
    pub lines: Vec<Line>,
    pub claims: Vec<Claim>,
    /// Per claim: the checks' verdict and its reason.
    pub verdicts: Vec<(Verdict, String)>,
    pub findings: Vec<NarrativeFinding>,
    /// The workbook its figures were compared with ([`against::compare`]).
    pub paired_workbook: Option<Arc<str>>,
    /// Per claim compared with its workbook: the table figure it restates.
    pub compared: Vec<Option<against::Compared>>,
}

impl Narrative {
    /// The text of claim `i`'s sentence.
    pub fn sentence(&self, claim: &Claim) -> String {
        let (from, to) = claim.sentence;
        self.lines[claim.line]
            .text
            .chars()
            .skip(from)
            .take(to - from)
            .collect::<String>()
            .trim()
            .to_string()
    }
}

/// The documents of a batch: read ones, and the rejected with the reason.
#[derive(Default)]
pub struct Narratives {
    pub read: Vec<Narrative>,
    pub rejected: Vec<(Arc<str>, String)>,
    /// Where their 功能分类 figures are found in the tables.
    pub rows: spec::TableRows,
    /// Those rows of each workbook of the batch, in the batch's order
    /// (collected while the workbooks are read: [`against::WorkbookRows`]).
    pub workbook_rows: Vec<against::WorkbookRows>,
}

impl Narratives {
    pub fn claim_count(&self) -> usize {
        self.read.iter().map(|n| n.claims.len()).sum()
    }

    /// Claims whose checks came to `verdict`.
    pub fn count(&self, verdict: Verdict) -> usize {
        self.read
            .iter()
            .flat_map(|n| &n.verdicts)
            .filter(|(v, _)| *v == verdict)
            .count()
    }

    /// Findings of the narratives of `severity`.
    pub fn finding_count(&self, severity: crate::rules::FindingSeverity) -> usize {
        self.read
            .iter()
            .flat_map(|n| &n.findings)
            .filter(|f| f.severity == severity)
            .count()
    }

    /// The documents' findings as the checks' findings, each document
    /// standing as the workbook they are about and its lines as the cells.
    pub fn findings(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        for n in &self.read {
            let workbook = Arc::new(document_workbook(n));
            for f in &n.findings {
                out.push(Finding {
                    rule_id: Arc::from(f.rule_id),
                    severity: f.severity,
                    description: Arc::from(f.description.as_str()),
                    workbook: workbook.clone(),
                    forms: vec![intern("情况说明")],
                    left: f.left.clone(),
                    right: f.right.clone(),
                    left_amount: f.left_amount,
                    right_amount: f.right_amount,
                    tolerance: f.tolerance,
                    cells: f
                        .lines
                        .iter()
                        .map(|&l| line_cell(n, l))
                        .chain(f.cells.iter().cloned())
                        .collect(),
                });
            }
        }
        out
    }
}

impl Narratives {
    /// What each department's report states of the measures, as the
    /// measures of its department-year (the first figure of each measure,
    /// with its line as the source), and of the year before where a change
    /// is stated (`较上年增加32.22万元`: this year's figure less the change),
    /// for the department-years no workbook holds
    /// ([`crate::analyse::measures::entities`]).
    pub fn stated_measures(&self) -> Vec<(Identity, Measures)> {
        let mut out = Vec::new();
        for n in self
            .read
            .iter()
            .filter(|n| n.identity.kind == identity::DEPARTMENT_REPORT)
        {
            let (this_year, year_before) = stated_figures(n);
            let identity = document_workbook(n).identity.clone();
            if !year_before.is_empty() {
                let mut before = identity.clone();
                before.year -= 1;
                out.push((before, Stated::measures(year_before)));
            }
            if !this_year.is_empty() {
                out.push((identity, Stated::measures(this_year)));
            }
        }
        out
    }
}

/// A figure a narrative states of a measure.
struct Stated {
    measure: Arc<str>,
    yuan: rust_decimal::Decimal,
    /// The unit it was written in, and what it was called.
    unit: String,
    label: String,
    /// The line it is on (first), and the line of the change it was derived with.
    cells: Vec<SourceCell>,
}

impl Stated {
    fn measures(figures: Vec<Stated>) -> Measures {
        Measures::new(
            figures
                .into_iter()
                .map(|f| (f.measure, f.yuan, f.cells))
                .collect(),
        )
    }
}

/// A narrative's figures of its year and of the year before, by measure:
/// the first amount stated of each, and that amount less the first change
/// stated of its subject.
fn stated_figures(n: &Narrative) -> (Vec<Stated>, Vec<Stated>) {
    let (mut this_year, mut year_before): (Vec<Stated>, Vec<Stated>) = (Vec::new(), Vec::new());
    for c in &n.claims {
        let (Some(measure), Some(yuan)) = (c.measure.as_deref(), c.measured()) else {
            continue;
        };
        if c.year != n.identity.year || this_year.iter().any(|f| &*f.measure == measure) {
            continue;
        }
        let stated = |yuan, cells| Stated {
            measure: Arc::from(measure),
            yuan,
            unit: c.unit.clone(),
            label: c.subject_label.clone(),
            cells,
        };
        this_year.push(stated(yuan, vec![line_cell(n, c.line)]));
        let change = n.claims.iter().find(|d| {
            d.kind == claims::Kind::Change
                && d.subject == c.subject
                && d.year == c.year
                && d.direction_stated
                && d.comparison_year.is_none_or(|y| y == c.year - 1)
        });
        if let Some(d) = change
            && let Some(delta) = d.yuan
        {
            year_before.push(stated(
                yuan - delta,
                vec![line_cell(n, c.line), line_cell(n, d.line)],
            ));
        }
    }
    (this_year, year_before)
}

impl Narratives {
    /// The facts of the department-years their narratives state and no
    /// workbook of `workbooks` holds: each figure stated of a measure as
    /// a fact of that measure's first source (form, item, column), its line
    /// as the cell; their report type says 情况说明.
    pub fn stated_facts(
        &self,
        workbooks: &[Arc<crate::ingest::batch::WorkbookFacts>],
        spec: &crate::analyse::spec::AnalysisSpec,
    ) -> Vec<Arc<crate::ingest::batch::WorkbookFacts>> {
        let held: std::collections::HashSet<(String, i32)> = workbooks
            .iter()
            .flat_map(|w| {
                let id = &w.identity;
                [
                    (unit_name_key(&id.unit_name), id.year),
                    (unit_name_key(&id.dept_name), id.year),
                ]
            })
            .collect();
        let mut out = Vec::new();
        for n in self
            .read
            .iter()
            .filter(|n| n.identity.kind == identity::DEPARTMENT_REPORT)
        {
            let key = unit_name_key(&n.identity.unit_name);
            let (this_year, year_before) = stated_figures(n);
            for (year, figures) in [
                (n.identity.year, this_year),
                (n.identity.year - 1, year_before),
            ] {
                if figures.is_empty() || held.contains(&(key.clone(), year)) {
                    continue;
                }
                let mut workbook = document_workbook(n);
                workbook.identity.year = year;
                let facts: Vec<crate::ingest::batch::Fact> = figures
                    .iter()
                    .filter_map(|f| stated_fact(f, spec))
                    .collect();
                workbook.fact_count = facts.len();
                out.push(Arc::new(crate::ingest::batch::WorkbookFacts {
                    workbook: Arc::new(workbook),
                    facts,
                }));
            }
        }
        out
    }
}

/// A stated figure as a fact of its measure's first source.
fn stated_fact(
    f: &Stated,
    spec: &crate::analyse::spec::AnalysisSpec,
) -> Option<crate::ingest::batch::Fact> {
    use crate::rules::{CodeRef, ColumnRef, ItemRef};
    let term = spec
        .measures
        .iter()
        .find(|m| *m.key == *f.measure)?
        .sources
        .first()?;
    let (ItemRef::Named(item), ColumnRef::Named(column)) = (&term.item, &term.column) else {
        return None;
    };
    let code = match &term.code {
        CodeRef::Fixed(code) => Some(intern(code)),
        _ => None,
    };
    let cell = f.cells.first()?;
    let mut amount = f.yuan;
    amount.rescale(2);
    // Money is held in 元, written in its unit; a count in what it counts.
    let money = matches!(f.unit.as_str(), "万元" | "元" | "亿元");
    Some(crate::ingest::batch::Fact {
        form: intern(&term.form),
        sheet: cell.sheet,
        item: intern(item),
        column: intern(column),
        subject_code: code,
        amount,
        unit_of_measure: intern(if money { "元" } else { &f.unit }),
        position: cell.position,
        label: intern(&f.label),
        header: "",
        scale: if money { intern(&f.unit) } else { "" },
        inferred: Default::default(),
    })
}

/// A document's line as a finding's source: no sheet, the line as the row.
fn line_cell(n: &Narrative, line: usize) -> SourceCell {
    let l = &n.lines[line];
    let page = l.page.map_or("", |p| intern(&format!("第{p}页")));
    SourceCell::of_line(&n.file, page, l.number)
}

fn document_workbook(n: &Narrative) -> Workbook {
    let id = &n.identity;
    let identity = Identity {
        year: id.year,
        unit_id: format!("name:{}", unit_name_key(&id.unit_name)),
        unit_code: None,
        unit_name: id.unit_name.clone(),
        dept_code: None,
        dept_name: id.unit_name.clone(),
        unit_kind: None,
        report_type: format!("情况说明（{}）", id.kind),
        family: 'B',
        origin: if id.origin == "path" {
            Origin::Path
        } else {
            Origin::Sheet
        },
    };
    Workbook::new(n.file.clone(), identity, BTreeMap::new(), &[])
}

/// Reads, identifies and checks each document, in parallel; the order of
/// `paths` is kept.
pub fn read_all(paths: &[PathBuf], spec: &ClaimsSpec, document_words: &[String]) -> Narratives {
    let results: Vec<Result<Narrative, (Arc<str>, String)>> = crate::pool::install(|| {
        paths
            .par_iter()
            .map(|p| read_one(p, spec, document_words))
            .collect()
    });
    let mut narratives = Narratives {
        rows: spec.rows.clone(),
        ..Narratives::default()
    };
    for r in results {
        match r {
            Ok(n) => narratives.read.push(n),
            Err(rejected) => narratives.rejected.push(rejected),
        }
    }
    narratives
}

fn read_one(
    path: &std::path::Path,
    spec: &ClaimsSpec,
    document_words: &[String],
) -> Result<Narrative, (Arc<str>, String)> {
    let file: Arc<str> = Arc::from(path.display().to_string());
    let text = document::read_document(path).map_err(|e| (file.clone(), e))?;
    let identity = identity::identify(path, &text.lines, document_words, &spec.identity)
        .map_err(|e| (file.clone(), e))?;
    let claims = claims::claims_of(&text.lines, identity.year, spec);
    let checked = check::check(&text.lines, &claims, spec);
    Ok(Narrative {
        file,
        format: text.format,
        identity,
        lines: text.lines,
        claims,
        verdicts: checked.verdicts,
        findings: checked.findings,
        paired_workbook: None,
        compared: Vec::new(),
    })
}
