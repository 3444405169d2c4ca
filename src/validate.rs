//! Checks the facts against the consistency rules (勾稽关系) of
//! [`crate::rules`], telling rounding from error.
//!
//! Each workbook is checked on its own (in parallel); the consolidation rule
//! then compares each department's 汇总表 with its units' 单户表. Every
//! finding carries both sides, the gap, the tolerance it was judged against
//! and the source cell of every figure involved.

use rayon::prelude::*;
use rust_decimal::Decimal;
// foldhash rather than SipHash: these maps are built per workbook over
// every fact, and SipHash was 5 % of a run.
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::ingest::batch::{Fact, FactIndex, FactKey, Workbook, WorkbookFacts};
use crate::ingest::codec::{Packed, Unpacked};
use crate::ingest::identity::DeptKeys;
use crate::pool;
use crate::review::{Review, ReviewFile, ReviewSpec};
use crate::rules::{Check, CodeRef, ColumnRef, FindingSeverity, FormSet, ItemRef, Rule, Term};
use crate::spec::Catalogue;
use crate::text::{DOCUMENT_LINE, Text, a1, cell_ref, intern, push_a1};

/// Where a figure of a finding came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceCell {
    pub file: Arc<str>,
    pub sheet: Text,
    /// 0-based (row, column).
    pub position: (u32, u32),
}

impl SourceCell {
    pub fn of(file: &Arc<str>, fact: &Fact) -> Self {
        SourceCell {
            file: file.clone(),
            sheet: fact.sheet,
            position: fact.position,
        }
    }

    /// A line of a narrative document: `sheet` is its page (or empty) and
    /// the row its line.
    pub fn of_line(file: &Arc<str>, page: Text, line: u32) -> Self {
        SourceCell {
            file: file.clone(),
            sheet: page,
            position: (line.saturating_sub(1), DOCUMENT_LINE),
        }
    }

    pub fn is_line(&self) -> bool {
        self.position.1 == DOCUMENT_LINE
    }

    pub fn cell(&self) -> String {
        if self.is_line() {
            return format!(
                "{}{}",
                self.sheet,
                cell_ref(self.position.0, self.position.1)
            );
        }
        a1(self.position.0, self.position.1)
    }
}

/// One broken (or rounding-broken) identity.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule_id: Arc<str>,
    pub severity: FindingSeverity,
    pub description: Arc<str>,
    /// The workbook (for consolidation: the department's 汇总表) it is about.
    pub workbook: Arc<Workbook>,
    /// Forms involved, in rule order.
    pub forms: Vec<Text>,
    /// The identity with its terms resolved (`income:total@fiscal_approp`).
    pub left: String,
    pub right: String,
    pub left_amount: Decimal,
    pub right_amount: Decimal,
    pub tolerance: Decimal,
    /// Every figure present on either side, left first.
    pub cells: Vec<SourceCell>,
}

impl Finding {
    pub fn difference(&self) -> Decimal {
        self.left_amount - self.right_amount
    }

    pub fn cells_text(&self) -> String {
        cells_text(&self.cells)
    }
}

/// Source cells in Excel's reference style: `'sheet'!E9`, with `[file]` in
/// front of cells of another workbook than the first.
pub fn cells_text(cells: &[SourceCell]) -> String {
    let mut text = String::new();
    let home = cells.first().map(|c| &c.file);
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            text.push_str("; ");
        }
        if Some(&c.file) != home {
            text.push('[');
            text.push_str(&c.file);
            text.push(']');
        }
        if c.is_line() {
            text.push_str(&c.cell());
            continue;
        }
        text.push('\'');
        text.push_str(c.sheet);
        text.push_str("'!");
        push_a1(&mut text, c.position.0, c.position.1);
    }
    text
}

/// The findings of a batch, and how many identities each rule evaluated.
#[derive(Debug, Default)]
pub struct CheckRun {
    pub findings: Vec<Finding>,
    /// Rule id → identities evaluated (in rule order).
    pub evaluated: Vec<(Arc<str>, usize)>,
    /// Findings let go of by [`CheckRun::release`], counted by rule (in
    /// `evaluated`'s order) and severity.
    released: Vec<[usize; 3]>,
    /// Each finding's stable id ([`crate::ids`]), parallel to `findings`.
    pub ids: Vec<String>,
    /// The review file's marks on the findings, once applied.
    pub review: Option<Review>,
}

impl CheckRun {
    /// Findings of a severity, those let go of included.
    pub fn count(&self, severity: FindingSeverity) -> usize {
        let kept = self
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .count();
        kept + self
            .released
            .iter()
            .map(|counts| counts[severity as usize])
            .sum::<usize>()
    }

    /// Findings per rule id and severity, in rule order, those let go of
    /// included.
    pub fn by_rule(&self) -> Vec<(Arc<str>, usize, [usize; 3])> {
        self.evaluated
            .iter()
            .enumerate()
            .map(|(i, (id, n))| {
                let mut counts = self.released.get(i).copied().unwrap_or_default();
                for f in self.findings.iter().filter(|f| f.rule_id == *id) {
                    counts[f.severity as usize] += 1;
                }
                (id.clone(), *n, counts)
            })
            .collect()
    }

    /// Lets go of the findings of `severity`, keeping only their counts:
    /// once the findings files are written, a province's hundreds of
    /// thousands of rounding gaps are needed by nothing else.
    pub fn release(&mut self, severity: FindingSeverity) {
        let CheckRun {
            findings,
            evaluated,
            released,
            ids,
            review,
        } = self;
        released.resize(evaluated.len(), [0; 3]);
        let place: HashMap<&str, usize> = evaluated
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (&**id, i))
            .collect();
        let keep: Vec<bool> = findings
            .iter()
            .map(|f| {
                if f.severity != severity {
                    return true;
                }
                match place.get(&*f.rule_id) {
                    Some(&i) => {
                        released[i][severity as usize] += 1;
                        false
                    }
                    // Never (every finding comes from a catalogue rule), but a
                    // finding that could not be counted is kept, not lost.
                    None => true,
                }
            })
            .collect();
        let kept = |i: &mut usize| {
            *i += 1;
            keep[*i - 1]
        };
        let (mut f, mut d) = (0, 0);
        findings.retain(|_| kept(&mut f));
        ids.retain(|_| kept(&mut d));
        findings.shrink_to_fit();
        ids.shrink_to_fit();
        if let Some(review) = review {
            review.retain(&keep);
        }
    }

    /// Marks the findings with the review file (or, with none, as all
    /// open).
    pub fn apply_review(&mut self, spec: ReviewSpec, file: Option<ReviewFile>) {
        self.review = Some(Review::apply(spec, file, &self.findings, &self.ids));
    }

    /// Whether the `i`-th finding is open: not reviewed, or reopened.
    pub fn is_open(&self, i: usize) -> bool {
        self.review.as_ref().is_none_or(|r| r.mark(i).is_open())
    }
}

/// Runs every rule of the catalogue over the workbooks.
pub fn check(workbooks: &[Arc<WorkbookFacts>], catalogue: &Catalogue) -> CheckRun {
    let mut checker = Checker::new(catalogue);
    checker.add(workbooks);
    checker.finish()
}

/// The checks of a batch, run while it is read: each chunk of workbooks is
/// checked as it arrives (in parallel across workbooks), and of its facts
/// only the compact [`Ledger`] lines that consolidation needs are kept, so
/// that the facts themselves can be let go. Consolidation — each
/// department's 汇总表 against its units' 单户表 — runs in [`Checker::finish`],
/// when every unit has been read.
pub struct Checker<'c> {
    catalogue: &'c Catalogue,
    findings: Vec<Finding>,
    /// Identities evaluated so far, per rule (in rule order).
    evaluated: Vec<usize>,
    /// Every workbook seen: the department keys are resolved over all of them.
    workbooks: Vec<Arc<Workbook>>,
    /// 报表类型 whose figures consolidation compares (both sides of every
    /// consolidation rule).
    booked_types: BTreeSet<&'c str>,
    ledger: Ledger,
}

impl<'c> Checker<'c> {
    pub fn new(catalogue: &'c Catalogue) -> Self {
        let mut booked_types = BTreeSet::new();
        for rule in &catalogue.rules {
            if let Check::Consolidation {
                consolidated,
                units,
            } = &rule.check
            {
                booked_types.insert(consolidated.as_str());
                booked_types.insert(units.as_str());
            }
        }
        Checker {
            catalogue,
            findings: Vec::new(),
            evaluated: vec![0; catalogue.rules.len()],
            workbooks: Vec::new(),
            booked_types,
            ledger: Ledger::default(),
        }
    }

    /// Checks each workbook of `chunk` against every rule but consolidation.
    pub fn add(&mut self, chunk: &[Arc<WorkbookFacts>]) {
        let catalogue = self.catalogue;
        let checks = pool::install(|| {
            chunk
                .par_iter()
                .map(|wb| check_workbook(wb, catalogue))
                .collect()
        });
        self.add_checked(chunk, checks);
    }

    /// [`Checker::add`] for a chunk whose workbooks are already checked
    /// (`checks[i]` by [`check_workbook`] on `chunk[i]`, in the workers that
    /// read them).
    pub fn add_checked(&mut self, chunk: &[Arc<WorkbookFacts>], checks: Vec<WorkbookCheck>) {
        for (wb, check) in chunk.iter().zip(checks) {
            self.findings.extend(check.findings);
            for (total, n) in self.evaluated.iter_mut().zip(check.evaluated) {
                *total += n;
            }
            self.workbooks.push(wb.workbook.clone());
            if self.booked_types.contains(wb.identity.report_type.as_str()) {
                self.ledger.book(wb, self.catalogue, &check.rounded);
            }
        }
    }

    /// Findings made elsewhere (a narrative's), sorted in with the rest.
    pub fn add_findings(&mut self, findings: Vec<Finding>) {
        self.findings.extend(findings);
    }

    /// Runs consolidation and returns every finding, sorted by year, unit,
    /// file and rule.
    pub fn finish(self) -> CheckRun {
        let Checker {
            catalogue,
            mut findings,
            mut evaluated,
            workbooks,
            ledger,
            ..
        } = self;
        let rules = &catalogue.rules;
        let keys = DeptKeys::new(workbooks.iter().map(|w| &w.identity));
        for (i, rule) in rules.iter().enumerate() {
            if let Check::Consolidation {
                consolidated,
                units,
            } = &rule.check
            {
                let (found, n) = ledger.consolidation(rule, consolidated, units, &keys);
                let in_years = |f: &Finding| rule.years.contains(f.workbook.identity.year);
                findings.extend(found.into_iter().filter(in_years));
                evaluated[i] += n;
            }
        }
        let order: HashMap<&str, usize> =
            rules.iter().enumerate().map(|(i, r)| (&*r.id, i)).collect();
        fn key<'f>(f: &'f Finding, order: &HashMap<&str, usize>) -> (i32, &'f str, &'f str, usize) {
            let w = &f.workbook;
            let rule = order.get(&*f.rule_id).copied().unwrap_or(usize::MAX);
            (w.identity.year, &w.identity.unit_id, &w.file, rule)
        }
        findings.sort_by(|a, b| key(a, &order).cmp(&key(b, &order)));
        CheckRun {
            ids: crate::ids::finding_ids(&findings),
            findings,
            evaluated: rules.iter().map(|r| r.id.clone()).zip(evaluated).collect(),
            released: Vec::new(),
            review: None,
        }
    }
}

/// The findings of the per-workbook rules on one workbook.
#[derive(Debug)]
pub struct WorkbookCheck {
    findings: Vec<Finding>,
    /// Identities evaluated, per rule (in rule order).
    evaluated: Vec<usize>,
    /// Its sheets of whole hundreds in 元 ([`rounded_sheets`]), for consolidation.
    rounded: Vec<Text>,
}

impl WorkbookCheck {
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// Appends this check of `wb` for the reading cache; false when it
    /// holds what the bytes cannot say: a finding of another workbook, or
    /// of a rule not in `rules`.
    pub fn keep<'a>(&'a self, rules: &[Rule], wb: &WorkbookFacts, out: &mut Packed<'a>) -> bool {
        out.uint(self.findings.len() as u64);
        for f in &self.findings {
            let Some(rule) = rules.iter().position(|r| {
                Arc::ptr_eq(&r.id, &f.rule_id) && Arc::ptr_eq(&r.description, &f.description)
            }) else {
                return false;
            };
            if !Arc::ptr_eq(&f.workbook, &wb.workbook) {
                return false;
            }
            out.uint(rule as u64);
            out.uint(f.severity as u64);
            out.uint(f.forms.len() as u64);
            for form in &f.forms {
                out.text(form);
            }
            out.text(&f.left);
            out.text(&f.right);
            for amount in [f.left_amount, f.right_amount, f.tolerance] {
                out.decimal(amount);
            }
            if !keep_cells(&f.cells, &wb.file, out) {
                return false;
            }
        }
        out.uint(self.evaluated.len() as u64);
        for &n in &self.evaluated {
            out.uint(n as u64);
        }
        out.uint(self.rounded.len() as u64);
        for sheet in &self.rounded {
            out.text(sheet);
        }
        true
    }

    /// A check [`WorkbookCheck::keep`] wrote for `wb`, read back.
    pub fn restore(c: &mut Unpacked<'_>, rules: &[Rule], wb: &WorkbookFacts) -> Option<Self> {
        let n = c.count()?;
        let mut findings = Vec::with_capacity(n);
        for _ in 0..n {
            let rule = rules.get(c.count()?)?;
            let severity = match c.uint()? {
                0 => FindingSeverity::Rounding,
                1 => FindingSeverity::Warning,
                2 => FindingSeverity::Error,
                _ => return None,
            };
            let forms = (0..c.count()?)
                .map(|_| c.text().map(intern))
                .collect::<Option<Vec<_>>>()?;
            findings.push(Finding {
                rule_id: rule.id.clone(),
                severity,
                description: rule.description.clone(),
                workbook: wb.workbook.clone(),
                forms,
                left: c.text()?.to_string(),
                right: c.text()?.to_string(),
                left_amount: c.decimal()?,
                right_amount: c.decimal()?,
                tolerance: c.decimal()?,
                cells: restore_cells(c, &wb.file)?,
            });
        }
        let evaluated = (0..c.count()?)
            .map(|_| c.count())
            .collect::<Option<Vec<_>>>()?;
        if evaluated.len() != rules.len() {
            return None;
        }
        let rounded = (0..c.count()?)
            .map(|_| c.text().map(intern))
            .collect::<Option<Vec<_>>>()?;
        Some(WorkbookCheck {
            findings,
            evaluated,
            rounded,
        })
    }
}

/// Keeps cells of the workbook `file`; false when one is of another file.
pub(crate) fn keep_cells<'a>(
    cells: &'a [SourceCell],
    file: &Arc<str>,
    out: &mut Packed<'a>,
) -> bool {
    out.uint(cells.len() as u64);
    for cell in cells {
        if cell.file != *file {
            return false;
        }
        out.text(cell.sheet);
        out.uint(u64::from(cell.position.0));
        out.uint(u64::from(cell.position.1));
    }
    true
}

/// Cells [`keep_cells`] wrote, read back as cells of `file`.
pub(crate) fn restore_cells(c: &mut Unpacked<'_>, file: &Arc<str>) -> Option<Vec<SourceCell>> {
    (0..c.count()?)
        .map(|_| {
            Some(SourceCell {
                file: file.clone(),
                sheet: intern(c.text()?),
                position: (c.u32()?, c.u32()?),
            })
        })
        .collect()
}

/// Every rule but consolidation, on one workbook.
pub fn check_workbook(wb: &WorkbookFacts, catalogue: &Catalogue) -> WorkbookCheck {
    check_indexed(wb, &wb.index(), catalogue)
}

/// [`check_workbook`] with the workbook's facts already indexed.
pub fn check_indexed(
    wb: &WorkbookFacts,
    index: &FactIndex<'_>,
    catalogue: &Catalogue,
) -> WorkbookCheck {
    let mut ctx = Context::new(wb, index, catalogue);
    let year = wb.identity.year;
    let evaluated = catalogue
        .rules
        .iter()
        .map(|rule| {
            if rule.years.contains(year) {
                ctx.run(rule)
            } else {
                0
            }
        })
        .collect();
    WorkbookCheck {
        findings: ctx.findings,
        evaluated,
        rounded: ctx.rounded,
    }
}

/// One workbook's facts indexed by (form, item, code, column).
struct Context<'a> {
    workbook: &'a WorkbookFacts,
    catalogue: &'a Catalogue,
    facts: &'a HashMap<FactKey<'a>, &'a Fact>,
    /// The figures of each form, so a rule scans only the tables it names.
    by_form: HashMap<&'a str, FormFigures<'a>>,
    findings: Vec<Finding>,
    /// The figures of the identity being judged (see [`Context::judge_filled`]).
    figures: Vec<Figure<'a>>,
    /// Sheets of whole hundreds in 元 ([`rounded_sheets`]).
    rounded: Vec<Text>,
}

/// One form's figures in a workbook.
#[derive(Default)]
struct FormFigures<'a> {
    /// The first figure of each key, in workbook order.
    firsts: Vec<&'a Fact>,
    /// The columns with at least one figure.
    columns: Vec<&'a str>,
}

/// A table of subject rows: its (form, column) and its (code, figure)s.
type SubjectTable<'a> = ((&'a str, &'a str), Vec<(&'a str, &'a Fact)>);

/// A term's figure: the term resolved, and its fact if the workbook has one.
type Figure<'a> = (Resolved<'a>, Option<&'a Fact>);

/// A term with every placeholder filled in.
struct Resolved<'a> {
    negate: bool,
    form: &'a str,
    item: &'a str,
    code: Option<&'a str>,
    column: &'a str,
}

impl Resolved<'_> {
    fn text(&self) -> String {
        let code = self.code.map(|c| format!("[{c}]")).unwrap_or_default();
        format!("{}:{}{code}@{}", self.form, self.item, self.column)
    }
}

/// What a term's placeholders stand for in one evaluation.
#[derive(Clone, Copy, Default)]
struct Binding<'a> {
    column: Option<&'a str>,
    row: Option<(&'a str, Option<&'a str>)>,
    code: Option<&'a str>,
}

impl<'a> Context<'a> {
    fn new(
        workbook: &'a WorkbookFacts,
        index: &'a FactIndex<'a>,
        catalogue: &'a Catalogue,
    ) -> Self {
        let mut by_form: HashMap<&str, FormFigures> = HashMap::new();
        // A form's figures follow one another (a sheet at a time).
        for run in index.firsts.chunk_by(|a, b| a.form == b.form) {
            let figures = by_form.entry(run[0].form).or_default();
            for fact in run {
                if !figures.columns.contains(&fact.column) {
                    figures.columns.push(fact.column);
                }
            }
            figures.firsts.extend_from_slice(run);
        }
        let rounded = rounded_sheets(catalogue, &index.firsts);
        Context {
            workbook,
            catalogue,
            facts: &index.by_key,
            by_form,
            findings: whole_hundreds_findings(workbook, &index.firsts, &rounded, catalogue),
            figures: Vec::new(),
            rounded,
        }
    }

    /// Evaluates one rule on this workbook; returns how many identities it checked.
    fn run(&mut self, rule: &'a Rule) -> usize {
        match &rule.check {
            Check::Sum {
                left,
                right,
                columns,
                digits,
            } => self.sum(rule, left, right, columns, *digits),
            Check::Tree { forms, total } => self.tree(rule, forms, total.as_deref()),
            Check::NonNegative { forms, except } => self.non_negative(rule, forms, except),
            Check::Consolidation { .. } => 0,
        }
    }

    fn sum(
        &mut self,
        rule: &Rule,
        left: &'a Term,
        right: &'a [Term],
        columns: &'a [Arc<str>],
        digits: usize,
    ) -> usize {
        let terms = || std::iter::once(left).chain(right);
        let by_column = terms().any(|t| t.column == ColumnRef::Current);
        let by_row = left.item == ItemRef::Current;
        let by_code = terms().any(|t| t.code == CodeRef::Current);
        let form: &str = &left.form;
        let column_list: Vec<Option<&str>> = if !by_column {
            vec![None]
        } else if !columns.is_empty() {
            columns.iter().map(|c| Some(&**c)).collect()
        } else {
            let mut present: Vec<&str> = Vec::new();
            for &&Fact {
                item,
                subject_code: code,
                column,
                ..
            } in self.keys_of(form)
            {
                let item_matches = match &left.item {
                    ItemRef::Named(i) => **i == *item,
                    ItemRef::Current => true,
                };
                let code_matches = match &left.code {
                    CodeRef::Fixed(c) => Some(&**c) == code,
                    CodeRef::None => by_row || code.is_none(),
                    CodeRef::Current => true,
                };
                if item_matches && code_matches {
                    present.push(column);
                }
            }
            sorted_distinct(present).into_iter().map(Some).collect()
        };
        let mut evaluated = 0;
        for column in column_list {
            let base = Binding {
                column,
                ..Binding::default()
            };
            let rows: Vec<Option<(&str, Option<&str>)>> = if by_row {
                let left_column = self.column_of(left, &base);
                let rows = self
                    .keys_of(form)
                    .filter(|f| Some(f.column) == left_column)
                    .map(|f| Some((f.item, f.subject_code)))
                    .collect();
                sorted_distinct(rows)
            } else {
                vec![None]
            };
            for row in rows {
                let codes: Vec<Option<&str>> = if by_code {
                    let mut codes = Vec::new();
                    for t in terms().filter(|t| t.code == CodeRef::Current) {
                        let ItemRef::Named(item) = &t.item else {
                            continue;
                        };
                        let t_column = self.column_of(t, &base);
                        for f in self.keys_of(&t.form) {
                            if f.item == &**item
                                && Some(f.column) == t_column
                                && f.subject_code.is_some_and(|c| c.len() == digits)
                            {
                                codes.push(f.subject_code);
                            }
                        }
                    }
                    sorted_distinct(codes)
                } else {
                    vec![None]
                };
                for code in codes {
                    let binding = Binding { row, code, ..base };
                    evaluated += usize::from(self.identity(rule, left, right, &binding));
                }
            }
        }
        evaluated
    }

    /// The first figure of each key of `form`.
    fn keys_of(&self, form: &str) -> impl Iterator<Item = &&'a Fact> {
        self.by_form
            .get(form)
            .into_iter()
            .flat_map(|figures| &figures.firsts)
    }

    /// Whether the workbook has a figure in `column` of `form`.
    fn has_column(&self, form: &str, column: &str) -> bool {
        self.by_form
            .get(form)
            .is_some_and(|figures| figures.columns.contains(&column))
    }

    fn column_of(&self, term: &'a Term, binding: &Binding<'a>) -> Option<&'a str> {
        match &term.column {
            ColumnRef::Named(c) => Some(c),
            ColumnRef::Current => binding.column,
        }
    }

    fn resolve(&self, term: &'a Term, binding: &Binding<'a>) -> Option<Resolved<'a>> {
        let (item, row_code) = match &term.item {
            ItemRef::Named(i) => (&**i, None),
            ItemRef::Current => {
                let (item, code) = binding.row?;
                (item, code)
            }
        };
        let code = match &term.code {
            CodeRef::None => row_code,
            CodeRef::Fixed(c) => Some(&**c),
            CodeRef::Current => Some(binding.code?),
        };
        Some(Resolved {
            negate: term.negate,
            form: &term.form,
            item,
            code,
            column: self.column_of(term, binding)?,
        })
    }

    fn lookup(&self, r: &Resolved<'a>) -> Option<&'a Fact> {
        self.facts.get(&(r.form, r.item, r.code, r.column)).copied()
    }

    /// Checks `left = Σ right` under one binding. Returns whether it was
    /// evaluated: the left figure and at least one right-hand figure present,
    /// and every right-hand table and column present.
    fn identity(
        &mut self,
        rule: &Rule,
        left: &'a Term,
        right: &'a [Term],
        binding: &Binding<'a>,
    ) -> bool {
        self.judge_filled(rule, |ctx, figures| {
            let Some(left_term) = ctx.resolve(left, binding) else {
                return false;
            };
            let Some(left_fact) = ctx.lookup(&left_term) else {
                return false;
            };
            figures.push((left_term, Some(left_fact)));
            for t in right {
                let Some(r) = ctx.resolve(t, binding) else {
                    return false;
                };
                if !ctx.has_column(r.form, r.column) {
                    return false;
                }
                let fact = ctx.lookup(&r);
                figures.push((r, fact));
            }
            // A total with none of its parts shown is a table that does not
            // break that line down, not a broken identity.
            figures[1..].iter().any(|(_, f)| f.is_some())
        })
    }

    /// [`Context::judge`] on the figures `fill` puts in a buffer reused
    /// from identity to identity, unless `fill` says there is nothing to
    /// judge; returns whether the figures were judged.
    fn judge_filled(
        &mut self,
        rule: &Rule,
        fill: impl FnOnce(&Self, &mut Vec<Figure<'a>>) -> bool,
    ) -> bool {
        let mut figures = std::mem::take(&mut self.figures);
        figures.clear();
        let judged = fill(self, &mut figures);
        if judged {
            self.judge(rule, &figures);
        }
        self.figures = figures;
        judged
    }

    /// Compares the first figure with the signed sum of the others and
    /// records a finding when they differ.
    fn judge(&mut self, rule: &Rule, figures: &[Figure<'a>]) {
        let signed = |(r, f): &Figure| {
            let v = f.map_or(Decimal::ZERO, |f| f.amount);
            if r.negate { -v } else { v }
        };
        let left_amount = signed(&figures[0]);
        let right_amount: Decimal = figures[1..].iter().map(signed).sum();
        if rule.relation.holds(left_amount - right_amount) {
            return;
        }
        let present = figures.iter().filter_map(|(_, f)| *f);
        let tolerance = present
            .clone()
            .map(|f| half_unit(self.catalogue, f, &self.rounded))
            .sum();
        let right_text = figures[1..]
            .iter()
            .enumerate()
            .map(|(i, (r, _))| {
                let sign = match (i, r.negate) {
                    (0, false) => "",
                    (0, true) => "-",
                    (_, false) => " + ",
                    (_, true) => " - ",
                };
                format!("{sign}{}", r.text())
            })
            .collect::<String>();
        let mut forms: Vec<Text> = Vec::new();
        for (_, f) in figures {
            if let Some(f) = f
                && !forms.contains(&f.form)
            {
                forms.push(f.form);
            }
        }
        self.findings.push(Finding {
            rule_id: rule.id.clone(),
            severity: grade(rule, left_amount - right_amount, tolerance),
            description: rule.description.clone(),
            workbook: self.workbook.workbook.clone(),
            forms,
            left: figures[0].0.text(),
            right: right_text,
            left_amount,
            right_amount,
            tolerance,
            cells: present
                .map(|f| SourceCell::of(&self.workbook.file, f))
                .collect(),
        });
    }

    /// 合计 = Σ top-level codes; each code = Σ its children at the next level present.
    fn tree(&mut self, rule: &Rule, forms: &FormSet, total: Option<&'a str>) -> usize {
        // A table per (form, column), in that order, its codes in order,
        // each code's descendants right after it. A form's figures come row
        // by row, so each table's codes are put together column by column
        // and are mostly in order already.
        let mut tables: Vec<SubjectTable> = Vec::new();
        for (&form, figures) in &self.by_form {
            if !forms.contains(form) {
                continue;
            }
            let first_table = tables.len();
            for &fact in &figures.firsts {
                let Some(code) = fact.subject_code.filter(|_| fact.item == "subject") else {
                    continue;
                };
                let at = match tables[first_table..]
                    .iter()
                    .position(|((_, column), _)| *column == fact.column)
                {
                    Some(at) => first_table + at,
                    None => {
                        tables.push(((form, fact.column), Vec::new()));
                        tables.len() - 1
                    }
                };
                tables[at].1.push((code, fact));
            }
        }
        tables.sort_unstable_by_key(|(table, _)| *table);
        let mut evaluated = 0;
        for ((form, column), mut codes) in tables {
            codes.sort_unstable_by_key(|&(code, _)| code);
            let subject = |code: &'a str| Resolved {
                negate: false,
                form,
                item: "subject",
                code: Some(code),
                column,
            };
            for (i, &(parent, parent_fact)) in codes.iter().enumerate() {
                let judged = self.judge_filled(rule, |_, figures| {
                    let Some(children) = children(&codes[i + 1..], parent) else {
                        return false;
                    };
                    figures.push((subject(parent), Some(parent_fact)));
                    figures.extend(children.map(|(c, f)| (subject(c), Some(f))));
                    true
                });
                evaluated += usize::from(judged);
            }
            let Some(total) = total else { continue };
            let Some(&total_fact) = self.facts.get(&(form, total, None, column)) else {
                continue;
            };
            let Some(top) = codes.iter().map(|(c, _)| c.len()).min() else {
                continue;
            };
            let total_term = Resolved {
                negate: false,
                form,
                item: total,
                code: None,
                column,
            };
            self.judge_filled(rule, |_, figures| {
                figures.push((total_term, Some(total_fact)));
                figures.extend(
                    codes
                        .iter()
                        .filter(|(c, _)| c.len() == top)
                        .map(|&(c, f)| (subject(c), Some(f))),
                );
                true
            });
            evaluated += 1;
        }
        evaluated
    }

    fn non_negative(&mut self, rule: &Rule, forms: &FormSet, except: &[(String, String)]) -> usize {
        let workbook = self.workbook;
        let mut evaluated = 0;
        for fact in &workbook.facts {
            if !forms.contains(fact.form)
                || fact.unit_of_measure != "元"
                || except
                    .iter()
                    .any(|(f, i)| *f == *fact.form && *i == *fact.item)
            {
                continue;
            }
            evaluated += 1;
            if fact.amount >= Decimal::ZERO {
                continue;
            }
            let term = Resolved {
                negate: false,
                form: fact.form,
                item: fact.item,
                code: fact.subject_code,
                column: fact.column,
            };
            self.findings.push(Finding {
                rule_id: rule.id.clone(),
                severity: rule.severity,
                description: rule.description.clone(),
                workbook: workbook.workbook.clone(),
                forms: vec![fact.form],
                left: term.text(),
                right: "0".to_string(),
                left_amount: fact.amount,
                right_amount: Decimal::ZERO,
                tolerance: Decimal::ZERO,
                cells: vec![SourceCell::of(&workbook.file, fact)],
            });
        }
        evaluated
    }
}

/// `values` in order, each once: what a `BTreeSet` gives, from one sort of
/// a vector instead of a tree built for a few dozen keys.
fn sorted_distinct<T: Ord>(mut values: Vec<T>) -> Vec<T> {
    values.sort_unstable();
    values.dedup();
    values
}

/// The children of `parent` at the next code length present under it
/// (款 under a 类, or 项 directly when the table skips 款), from the codes
/// that follow it in order.
fn children<'a, 'f>(
    after: &[(&'a str, &'f Fact)],
    parent: &'a str,
) -> Option<impl Iterator<Item = (&'a str, &'f Fact)>> {
    let below = after
        .iter()
        .take_while(move |(c, _)| c.starts_with(parent))
        .copied();
    let next = below.clone().map(|(c, _)| c.len()).min()?;
    Some(below.filter(move |(c, _)| c.len() == next))
}

/// Half of 0.01 of the unit the figure was written in: the most rounding to
/// two decimals can have moved it (50 元 for 万元, 0.005 元 for 元) — and
/// half a step for a figure of a sheet of whole hundreds ([`rounded_sheets`]).
fn half_unit(catalogue: &Catalogue, fact: &Fact, rounded: &[Text]) -> Decimal {
    if fact.unit_of_measure != "元" {
        return Decimal::ZERO;
    }
    if rounded.contains(&fact.sheet) {
        return Decimal::from(catalogue.common.whole_hundreds.step) / Decimal::TWO;
    }
    catalogue.scale_of(fact.scale).unwrap_or(Decimal::ONE) * Decimal::new(5, 3)
}

/// The sheets of a workbook written in 元 whose money figures (at least
/// `[whole_hundreds] min_figures` of them, zeros aside) are all whole
/// hundreds: typed in 万元 to two decimals, then multiplied out.
fn rounded_sheets(catalogue: &Catalogue, facts: &[&Fact]) -> Vec<Text> {
    let spec = &catalogue.common.whole_hundreds;
    let step = Decimal::from(spec.step);
    // sheet → (figures, all whole); each unit of money's name looked up once.
    let mut sheets: Vec<(Text, usize, bool)> = Vec::new();
    let mut in_yuan: Vec<(Text, bool)> = Vec::new();
    for f in facts {
        if f.unit_of_measure != "元" || f.amount.is_zero() {
            continue;
        }
        let yuan = match in_yuan.iter().find(|(scale, _)| *scale == f.scale) {
            Some(&(_, yuan)) => yuan,
            None => {
                let yuan = catalogue.scale_of(f.scale) == Some(Decimal::ONE);
                in_yuan.push((f.scale, yuan));
                yuan
            }
        };
        if !yuan {
            continue;
        }
        let whole = (f.amount % step).is_zero();
        match sheets.iter_mut().find(|s| s.0 == f.sheet) {
            Some(s) => {
                s.1 += 1;
                s.2 &= whole;
            }
            None => sheets.push((f.sheet, 1, whole)),
        }
    }
    sheets
        .into_iter()
        .filter(|&(_, n, whole)| whole && n >= spec.min_figures)
        .map(|(sheet, ..)| sheet)
        .collect()
}

/// The finding on each sheet of whole hundreds: a probable 元/万元 slip,
/// with its figures' count and first cells as the evidence.
fn whole_hundreds_findings(
    wb: &WorkbookFacts,
    firsts: &[&Fact],
    rounded: &[Text],
    catalogue: &Catalogue,
) -> Vec<Finding> {
    let step = Decimal::from(catalogue.common.whole_hundreds.step);
    rounded
        .iter()
        .map(|sheet| {
            let on_sheet: Vec<&Fact> = firsts
                .iter()
                .copied()
                .filter(|f| f.sheet == *sheet && f.unit_of_measure == "元" && !f.amount.is_zero())
                .collect();
            let mut forms: Vec<Text> = Vec::new();
            for f in &on_sheet {
                if !forms.contains(&f.form) {
                    forms.push(f.form);
                }
            }
            Finding {
                rule_id: Arc::from(WHOLE_HUNDREDS),
                severity: FindingSeverity::Warning,
                description: Arc::from(format!(
                    "表 {sheet} 以元为单位，{} 个数字全是 {step} 元的整数倍：疑为以万元（两位小数）录入后换算，按每数 {} 元的尾差核对",
                    on_sheet.len(),
                    step / Decimal::TWO
                )),
                workbook: wb.workbook.clone(),
                forms,
                left: format!("figures of {sheet} in 元"),
                right: format!("multiples of {step} 元"),
                left_amount: Decimal::from(on_sheet.len()),
                right_amount: Decimal::from(on_sheet.len()),
                tolerance: Decimal::ZERO,
                cells: on_sheet
                    .iter()
                    .take(10)
                    .map(|f| SourceCell::of(&wb.file, f))
                    .collect(),
            }
        })
        .collect()
}

/// The rule id of a sheet of whole hundreds in 元.
pub const WHOLE_HUNDREDS: &str = "unit.whole_hundreds";

fn grade(rule: &Rule, gap: Decimal, tolerance: Decimal) -> FindingSeverity {
    if gap.abs() <= tolerance {
        FindingSeverity::Rounding
    } else {
        rule.severity
    }
}

/// The figures consolidation compares, kept compactly (32 bytes a figure
/// instead of a [`Fact`]'s 170) for the workbooks of the report types it
/// names, while their facts are let go.
#[derive(Default)]
struct Ledger {
    /// Each term's number in `terms`.
    numbers: HashMap<LineTerm, u32>,
    terms: Vec<LineTerm>,
    books: Vec<Booked>,
}

/// The (form, item, code, column) a line stands for.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct LineTerm {
    form: Text,
    item: Text,
    code: Option<Text>,
    column: Text,
}

/// One workbook's lines.
struct Booked {
    workbook: Arc<Workbook>,
    /// Sheets and the rounding allowance of their figures ([`half_unit`]).
    origins: Vec<(Text, Decimal)>,
    lines: Vec<Line>,
}

impl Booked {
    /// The sheet of `line` and the rounding allowance of its figure.
    fn origin(&self, line: &Line) -> &(Text, Decimal) {
        &self.origins[line.origin as usize]
    }
}

/// One figure: the first fact of its (form, item, code, column).
struct Line {
    term: u32,
    origin: u32,
    position: (u32, u32),
    amount: Decimal,
}

impl Ledger {
    fn book(&mut self, wb: &WorkbookFacts, catalogue: &Catalogue, rounded: &[Text]) {
        let mut booked = Booked {
            workbook: wb.workbook.clone(),
            origins: Vec::new(),
            lines: Vec::with_capacity(wb.facts.len()),
        };
        let mut seen = HashSet::with_capacity(wb.facts.len());
        for f in &wb.facts {
            let key = LineTerm {
                form: f.form,
                item: f.item,
                code: f.subject_code,
                column: f.column,
            };
            let term = *self.numbers.entry(key).or_insert_with(|| {
                self.terms.push(key);
                (self.terms.len() - 1) as u32
            });
            // The first figure of a key counts, as everywhere else.
            if !seen.insert(term) {
                continue;
            }
            let half = half_unit(catalogue, f, rounded);
            let origin = match booked
                .origins
                .iter()
                .position(|(sheet, h)| *sheet == f.sheet && *h == half)
            {
                Some(i) => i,
                None => {
                    booked.origins.push((f.sheet, half));
                    booked.origins.len() - 1
                }
            } as u32;
            booked.lines.push(Line {
                term,
                origin,
                position: f.position,
                amount: f.amount,
            });
        }
        self.books.push(booked);
    }

    /// Each department's 汇总表 against the sum of its units' 单户表, for every
    /// (form, item, code, column) of the forms both sides have.
    fn consolidation(
        &self,
        rule: &Rule,
        consolidated: &str,
        units: &str,
        keys: &DeptKeys,
    ) -> (Vec<Finding>, usize) {
        let dept_key = |w: &Workbook| (w.identity.year, w.identity.family, keys.key(&w.identity));
        let mut members: BTreeMap<_, Vec<&Booked>> = BTreeMap::new();
        for b in self
            .books
            .iter()
            .filter(|b| b.workbook.identity.report_type == units)
        {
            members.entry(dept_key(&b.workbook)).or_default().push(b);
        }
        let heads: Vec<&Booked> = self
            .books
            .iter()
            .filter(|b| b.workbook.identity.report_type == consolidated)
            .collect();
        let results: Vec<(Vec<Finding>, usize)> = pool::install(|| {
            heads
                .par_iter()
                .map(|head| {
                    let Some(parts) = members.get(&dept_key(&head.workbook)) else {
                        return (Vec::new(), 0);
                    };
                    let parts: Vec<&Booked> = parts
                        .iter()
                        .copied()
                        .filter(|p| p.workbook.identity.unit_id != head.workbook.identity.unit_id)
                        .collect();
                    self.consolidate_one(rule, head, &parts)
                })
                .collect()
        });
        let n = results.iter().map(|r| r.1).sum();
        (results.into_iter().flat_map(|r| r.0).collect(), n)
    }

    fn consolidate_one(
        &self,
        rule: &Rule,
        head: &Booked,
        parts: &[&Booked],
    ) -> (Vec<Finding>, usize) {
        if parts.is_empty() {
            return (Vec::new(), 0);
        }
        let form = |line: &Line| &*self.terms[line.term as usize].form;
        let part_forms: BTreeSet<&str> = parts
            .iter()
            .flat_map(|p| p.lines.iter().map(form))
            .collect();
        let head_forms: BTreeSet<&str> = head.lines.iter().map(form).collect();
        type Side<'b> = (Option<&'b Line>, Vec<(&'b Booked, &'b Line)>);
        let mut sides: HashMap<u32, Side> = HashMap::new();
        for line in head.lines.iter().filter(|l| part_forms.contains(form(l))) {
            sides.entry(line.term).or_default().0 = Some(line);
        }
        for p in parts {
            for line in p.lines.iter().filter(|l| head_forms.contains(form(l))) {
                sides.entry(line.term).or_default().1.push((p, line));
            }
        }
        let evaluated = sides.len();
        let cell = |book: &Booked, line: &Line| SourceCell {
            file: book.workbook.file.clone(),
            sheet: book.origin(line).0,
            position: line.position,
        };
        let allowance = |book: &Booked, line: &Line| book.origin(line).1;
        let mut found: Vec<(&LineTerm, Finding)> = Vec::new();
        for (term, (total, members)) in sides {
            let left_amount = total.map_or(Decimal::ZERO, |l| l.amount);
            let right_amount: Decimal = members.iter().map(|(_, l)| l.amount).sum();
            if left_amount == right_amount {
                continue;
            }
            let tolerance = total.map_or(Decimal::ZERO, |l| allowance(head, l))
                + members
                    .iter()
                    .map(|(b, l)| allowance(b, l))
                    .sum::<Decimal>();
            let term = &self.terms[term as usize];
            let resolved = Resolved {
                negate: false,
                form: term.form,
                item: term.item,
                code: term.code,
                column: term.column,
            };
            let mut cells: Vec<SourceCell> = total.map(|l| cell(head, l)).into_iter().collect();
            cells.extend(members.iter().map(|(b, l)| cell(b, l)));
            found.push((
                term,
                Finding {
                    rule_id: rule.id.clone(),
                    severity: grade(rule, left_amount - right_amount, tolerance),
                    description: rule.description.clone(),
                    workbook: head.workbook.clone(),
                    forms: vec![term.form],
                    left: resolved.text(),
                    right: format!("Σ {} 单户表", parts.len()),
                    left_amount,
                    right_amount,
                    tolerance,
                    cells,
                },
            ));
        }
        // In the order of the (form, item, code, column) texts.
        found.sort_by(|(a, _), (b, _)| {
            (&a.form, &a.item, &a.code, &a.column).cmp(&(&b.form, &b.item, &b.code, &b.column))
        });
        (found.into_iter().map(|(_, f)| f).collect(), evaluated)
    }
}
