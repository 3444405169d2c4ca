//! The accounts of one unit-year as the sample generator models them, in 分,
//! and the figures each form shows of them. Every form is derived from the
//! same few numbers, so a generated workbook holds together exactly the way
//! real final accounts do (勾稽关系), until an error is planted on purpose.

use serde::Deserialize;
use std::collections::BTreeMap;

/// Spending on one 功能分类 项 (7-digit code), in 分, by kind and fund.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SpendLine {
    pub code: String,
    #[serde(default)]
    pub basic_gpb: i64,
    #[serde(default)]
    pub project_gpb: i64,
    /// 政府性基金预算财政拨款 spending (always project spending here).
    #[serde(default)]
    pub project_gov_fund: i64,
    /// Spending from non-fiscal money (事业收入 etc.).
    #[serde(default)]
    pub basic_other: i64,
    #[serde(default)]
    pub project_other: i64,
    /// 经营支出 (事业单位 with business activity).
    #[serde(default)]
    pub operating: i64,
}

impl SpendLine {
    pub fn basic(&self) -> i64 {
        self.basic_gpb + self.basic_other
    }
    pub fn project(&self) -> i64 {
        self.project_gpb + self.project_gov_fund + self.project_other
    }
    pub fn total(&self) -> i64 {
        self.basic() + self.project() + self.operating
    }
    pub fn gpb(&self) -> i64 {
        self.basic_gpb + self.project_gpb
    }
    pub fn fiscal(&self) -> i64 {
        self.gpb() + self.project_gov_fund
    }
    pub fn other(&self) -> i64 {
        self.basic_other + self.project_other + self.operating
    }
}

/// 三公 amounts, budget or actual, in 分.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq)]
pub struct Sangong {
    pub abroad: i64,
    pub vehicle_purchase: i64,
    pub vehicle_operation: i64,
    pub reception: i64,
}

impl Sangong {
    pub fn vehicle_total(&self) -> i64 {
        self.vehicle_purchase + self.vehicle_operation
    }
    pub fn total(&self) -> i64 {
        self.abroad + self.vehicle_total() + self.reception
    }
}

/// 机构运行信息 (财决附03): counts and a few amounts in 分.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Operations {
    pub staff_authorized: i64,
    pub staff_actual: i64,
    #[serde(default)]
    pub retirees: i64,
    #[serde(default)]
    pub admin_operating_cost: i64,
    #[serde(default)]
    pub procurement_goods: i64,
    #[serde(default)]
    pub procurement_works: i64,
    #[serde(default)]
    pub procurement_services: i64,
    #[serde(default)]
    pub sme_contracts: i64,
    #[serde(default)]
    pub vehicles: i64,
    #[serde(default)]
    pub abroad_groups: i64,
    #[serde(default)]
    pub abroad_people: i64,
    #[serde(default)]
    pub reception_batches: i64,
    #[serde(default)]
    pub reception_people: i64,
    #[serde(default)]
    pub vehicles_purchased: i64,
}

/// Fiscal funds' carry-over (财政拨款结转和结余), in 分.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub struct Carryover {
    #[serde(default)]
    pub gpb: i64,
    #[serde(default)]
    pub gov_fund: i64,
    /// Non-fiscal money's 结转和结余.
    #[serde(default)]
    pub other: i64,
}

impl Carryover {
    pub fn fiscal(&self) -> i64 {
        self.gpb + self.gov_fund
    }
    pub fn total(&self) -> i64 {
        self.fiscal() + self.other
    }
}

/// One unit's (or, for a 汇总表, one department's) accounts for one year.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UnitYear {
    pub year: i32,
    #[serde(default)]
    pub unit_code: String,
    pub unit_name: String,
    #[serde(default)]
    pub dept_code: String,
    pub dept_name: String,
    /// 行政单位 / 参照公务员法管理事业单位 / 事业单位.
    pub unit_kind: String,
    /// 单户表 / 汇总表.
    pub report_type: String,
    /// Non-fiscal income, in 分.
    #[serde(default)]
    pub superior_subsidy_income: i64,
    #[serde(default)]
    pub business_income: i64,
    #[serde(default)]
    pub operating_income: i64,
    #[serde(default)]
    pub other_income: i64,
    pub carryover_begin: Carryover,
    pub carryover_end: Carryover,
    pub lines: Vec<SpendLine>,
    /// 年初预算数 and 全年预算数 of fiscal spending as a share of actual, in ‰
    /// (1000 = budget equals actual).
    pub budget_initial_permille: i64,
    pub budget_full_permille: i64,
    /// 经济分类 (5-digit) breakdown of 一般公共预算财政拨款基本支出, in 分.
    pub economic: BTreeMap<String, i64>,
    pub sangong_budget: Sangong,
    pub sangong_actual: Sangong,
    pub operations: Operations,
    /// The units a 汇总表 consolidates: its budget columns are their sums,
    /// line by line, as a real 汇总表's are.
    #[serde(skip)]
    pub parts: Vec<UnitYear>,
}

impl UnitYear {
    pub fn sum(&self, f: impl Fn(&SpendLine) -> i64) -> i64 {
        self.lines.iter().map(f).sum()
    }
    /// Fiscal appropriations received: spending + end − begin carry-over, per fund.
    pub fn gpb_income(&self) -> i64 {
        self.sum(SpendLine::gpb) + self.carryover_end.gpb - self.carryover_begin.gpb
    }
    pub fn gov_fund_income(&self) -> i64 {
        self.sum(|l| l.project_gov_fund) + self.carryover_end.gov_fund
            - self.carryover_begin.gov_fund
    }
    pub fn nonfiscal_income(&self) -> i64 {
        self.superior_subsidy_income
            + self.business_income
            + self.operating_income
            + self.other_income
    }
    pub fn income_total(&self) -> i64 {
        self.gpb_income() + self.gov_fund_income() + self.nonfiscal_income()
    }
    pub fn expenditure_total(&self) -> i64 {
        self.sum(SpendLine::total)
    }
    /// Non-fiscal surplus used so that the non-fiscal side balances (never negative).
    pub fn nonfiscal_surplus_used(&self) -> i64 {
        (self.sum(SpendLine::other) + self.carryover_end.other
            - self.carryover_begin.other
            - self.nonfiscal_income())
        .max(0)
    }
    /// 结余分配: what remains when non-fiscal income exceeds its uses.
    pub fn surplus_distribution(&self) -> i64 {
        (self.carryover_begin.other + self.nonfiscal_income()
            - self.sum(SpendLine::other)
            - self.carryover_end.other)
            .max(0)
    }
    pub fn grand_total(&self) -> i64 {
        self.income_total() + self.nonfiscal_surplus_used() + self.carryover_begin.total()
    }
    pub fn gpb_basic(&self) -> i64 {
        self.sum(|l| l.basic_gpb)
    }
    pub fn budget(&self, actual: i64, initial: bool) -> i64 {
        let permille = if initial {
            self.budget_initial_permille
        } else {
            self.budget_full_permille
        };
        actual * permille / 1000
    }
    /// The department total of several units' accounts (a 汇总表).
    pub fn consolidate(
        units: &[UnitYear],
        dept_code: &str,
        dept_name: &str,
        year: i32,
    ) -> UnitYear {
        let mut out = UnitYear {
            year,
            unit_code: dept_code.to_string(),
            unit_name: dept_name.to_string(),
            dept_code: dept_code.to_string(),
            dept_name: dept_name.to_string(),
            unit_kind: units
                .first()
                .map(|u| u.unit_kind.clone())
                .unwrap_or_default(),
            report_type: "汇总表".into(),
            budget_initial_permille: units.first().map_or(1000, |u| u.budget_initial_permille),
            budget_full_permille: units.first().map_or(1000, |u| u.budget_full_permille),
            ..Default::default()
        };
        let mut lines: BTreeMap<String, SpendLine> = BTreeMap::new();
        for u in units {
            out.superior_subsidy_income += u.superior_subsidy_income;
            out.business_income += u.business_income;
            out.operating_income += u.operating_income;
            out.other_income += u.other_income;
            for (dst, src) in [
                (&mut out.carryover_begin, &u.carryover_begin),
                (&mut out.carryover_end, &u.carryover_end),
            ] {
                dst.gpb += src.gpb;
                dst.gov_fund += src.gov_fund;
                dst.other += src.other;
            }
            for l in &u.lines {
                let e = lines.entry(l.code.clone()).or_insert_with(|| SpendLine {
                    code: l.code.clone(),
                    ..Default::default()
                });
                e.basic_gpb += l.basic_gpb;
                e.project_gpb += l.project_gpb;
                e.project_gov_fund += l.project_gov_fund;
                e.basic_other += l.basic_other;
                e.project_other += l.project_other;
                e.operating += l.operating;
            }
            for (k, v) in &u.economic {
                *out.economic.entry(k.clone()).or_default() += v;
            }
            for (dst, src) in [
                (&mut out.sangong_budget, &u.sangong_budget),
                (&mut out.sangong_actual, &u.sangong_actual),
            ] {
                dst.abroad += src.abroad;
                dst.vehicle_purchase += src.vehicle_purchase;
                dst.vehicle_operation += src.vehicle_operation;
                dst.reception += src.reception;
            }
            let (o, s) = (&mut out.operations, &u.operations);
            o.staff_authorized += s.staff_authorized;
            o.staff_actual += s.staff_actual;
            o.retirees += s.retirees;
            o.admin_operating_cost += s.admin_operating_cost;
            o.procurement_goods += s.procurement_goods;
            o.procurement_works += s.procurement_works;
            o.procurement_services += s.procurement_services;
            o.sme_contracts += s.sme_contracts;
            o.vehicles += s.vehicles;
            o.abroad_groups += s.abroad_groups;
            o.abroad_people += s.abroad_people;
            o.reception_batches += s.reception_batches;
            o.reception_people += s.reception_people;
            o.vehicles_purchased += s.vehicles_purchased;
        }
        out.lines = lines.into_values().collect();
        out.parts = units.to_vec();
        out
    }
}

/// One line of a form as the generator writes it.
#[derive(Debug, Clone)]
pub struct Line {
    /// Index of the spec panel (income 0 / expenditure 1 on the total forms).
    pub panel: usize,
    pub item: String,
    pub subject_code: Option<String>,
    /// Column key → value (分 for money; the count for counts).
    pub values: Vec<(String, i64)>,
}

/// The lines of one form.
#[derive(Debug, Clone)]
pub struct FormData {
    pub form: &'static str,
    pub lines: Vec<Line>,
}

fn line(panel: usize, item: &str, values: &[(&str, i64)]) -> Line {
    Line {
        panel,
        item: item.to_string(),
        subject_code: None,
        values: values.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
    }
}

fn subject_line(panel: usize, code: &str, values: Vec<(&str, i64)>) -> Line {
    Line {
        panel,
        item: "subject".into(),
        subject_code: Some(code.to_string()),
        values: values
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    }
}

/// Sums of `f` over the spend lines grouped at 类 (3), 款 (5) and 项 (7) level,
/// in code order (类 before its 款 before its 项), skipping all-zero groups.
fn by_subject<const N: usize>(
    u: &UnitYear,
    f: impl Fn(&SpendLine) -> [i64; N],
) -> Vec<(String, [i64; N])> {
    let mut groups: BTreeMap<String, [i64; N]> = BTreeMap::new();
    for l in &u.lines {
        let values = f(l);
        if values.iter().all(|v| *v == 0) {
            continue;
        }
        for len in [3, 5, 7] {
            let e = groups
                .entry(l.code[..len.min(l.code.len())].to_string())
                .or_insert([0; N]);
            for (a, b) in e.iter_mut().zip(values) {
                *a += b;
            }
        }
    }
    groups.into_iter().collect()
}

/// Income by subject for 收入决算表: each line's spending by source, with the
/// difference between income and spending (carry-over movements) booked on
/// the largest line, so that 合计 equals the income actually received.
fn income_by_line(u: &UnitYear) -> Vec<(String, [i64; 6])> {
    let mut rows: Vec<(String, [i64; 6])> = u
        .lines
        .iter()
        .map(|l| (l.code.clone(), [l.fiscal(), 0, 0, 0, 0, 0]))
        .collect();
    if rows.is_empty() {
        return rows;
    }
    let largest = rows
        .iter()
        .enumerate()
        .max_by_key(|(i, r)| (r.1[0], usize::MAX - i))
        .map(|(i, _)| i)
        .unwrap_or(0);
    let fiscal_gap =
        u.gpb_income() + u.gov_fund_income() - rows.iter().map(|r| r.1[0]).sum::<i64>();
    rows[largest].1[0] += fiscal_gap;
    rows[largest].1[1] += u.superior_subsidy_income;
    rows[largest].1[2] += u.business_income;
    rows[largest].1[3] += u.operating_income;
    rows[largest].1[5] += u.other_income;
    rows
}

/// Every form's lines for a unit-year (A family; the B family shows the same
/// lines without budget columns).
pub fn forms(
    u: &UnitYear,
    family_a: bool,
    classes: &BTreeMap<String, Vec<String>>,
) -> Vec<FormData> {
    let mut out = Vec::new();
    // Budgets are set per line (a share of its actual) and totals are the
    // sums of their lines' budgets, as in a real report.
    let b_initial = |actual: i64| u.budget(actual, true);
    let b_full = |actual: i64| u.budget(actual, false);
    let with_budget = |[actual, initial, full]: [i64; 3]| -> Vec<(&'static str, i64)> {
        let mut v = Vec::new();
        if family_a {
            v.push(("budget_initial", initial));
            v.push(("budget_full", full));
        }
        v.push(("actual", actual));
        v
    };

    // 收入支出决算总表
    let mut t = Vec::new();
    let income_lines = [
        ("gpb_approp_income", u.gpb_income()),
        ("gov_fund_approp_income", u.gov_fund_income()),
        ("soe_approp_income", 0),
        ("superior_subsidy_income", u.superior_subsidy_income),
        ("business_income", u.business_income),
        ("operating_income", u.operating_income),
        ("affiliated_remit_income", 0),
        ("other_income", u.other_income),
        ("income_total", u.income_total()),
        ("nonfiscal_surplus_used", u.nonfiscal_surplus_used()),
        ("carryover_begin", u.carryover_begin.total()),
        ("income_grand_total", u.grand_total()),
    ];
    let mut income_budget = [0, 0];
    for (item, v) in income_lines {
        let values: Vec<(&str, i64)> = match item {
            "income_total" => with_budget([v, income_budget[0], income_budget[1]]),
            "nonfiscal_surplus_used" | "carryover_begin" | "income_grand_total" => {
                vec![("actual", v)]
            }
            _ => {
                income_budget[0] += b_initial(v);
                income_budget[1] += b_full(v);
                with_budget([v, b_initial(v), b_full(v)])
            }
        };
        t.push(line(0, item, &values));
    }
    let class_budget = |l: &SpendLine| [l.total(), b_initial(l.total()), b_full(l.total())];
    for (class, sums) in by_subject(u, class_budget)
        .into_iter()
        .filter(|(c, _)| c.len() == 3)
    {
        if classes.contains_key(&class) {
            let mut l = subject_line(1, &class, with_budget(sums));
            l.item = "subject".into();
            t.push(l);
        }
    }
    let mut total_budget = [0; 3];
    for l in &u.lines {
        for (a, b) in total_budget.iter_mut().zip(class_budget(l)) {
            *a += b;
        }
    }
    t.push(line(1, "expenditure_total", &with_budget(total_budget)));
    t.push(line(
        1,
        "surplus_distribution",
        &[("actual", u.surplus_distribution())],
    ));
    t.push(line(
        1,
        "carryover_end",
        &[("actual", u.carryover_end.total())],
    ));
    t.push(line(
        1,
        "expenditure_grand_total",
        &[(
            "actual",
            u.expenditure_total() + u.surplus_distribution() + u.carryover_end.total(),
        )],
    ));
    out.push(FormData {
        form: "income_expenditure_total",
        lines: t,
    });

    // 财政拨款收入支出决算总表
    let mut t = Vec::new();
    let fiscal_income = u.gpb_income() + u.gov_fund_income();
    let one = |actual: i64, budget: i64| -> Vec<(&'static str, i64)> {
        if family_a {
            vec![("budget_full", budget), ("actual", actual)]
        } else {
            vec![("actual", actual)]
        }
    };
    let (gpb, gov_fund) = (u.gpb_income(), u.gov_fund_income());
    t.push(line(0, "gpb_approp", &one(gpb, b_full(gpb))));
    t.push(line(0, "gov_fund_approp", &one(gov_fund, b_full(gov_fund))));
    t.push(line(0, "soe_approp", &one(0, 0)));
    t.push(line(
        0,
        "income_total",
        &one(fiscal_income, b_full(gpb) + b_full(gov_fund)),
    ));
    t.push(line(
        0,
        "carryover_begin",
        &[("actual", u.carryover_begin.fiscal())],
    ));
    t.push(line(
        0,
        "carryover_begin_gpb",
        &[("actual", u.carryover_begin.gpb)],
    ));
    t.push(line(
        0,
        "carryover_begin_gov_fund",
        &[("actual", u.carryover_begin.gov_fund)],
    ));
    t.push(line(0, "carryover_begin_soe", &[("actual", 0)]));
    t.push(line(
        0,
        "income_grand_total",
        &[("actual", fiscal_income + u.carryover_begin.fiscal())],
    ));
    let exp = |total: i64, gpb: i64, gov: i64, budget: i64| -> Vec<(&'static str, i64)> {
        let mut v = Vec::new();
        if family_a {
            v.push(("budget_full", budget));
        }
        v.extend([
            ("actual_total", total),
            ("actual_gpb", gpb),
            ("actual_gov_fund", gov),
            ("actual_soe", 0),
        ]);
        v
    };
    for (class, s) in by_subject(u, |l| {
        [l.fiscal(), l.gpb(), l.project_gov_fund, b_full(l.fiscal())]
    })
    .into_iter()
    .filter(|(c, _)| c.len() == 3)
    {
        t.push(subject_line(1, &class, exp(s[0], s[1], s[2], s[3])));
    }
    let fiscal_spend = u.sum(SpendLine::fiscal);
    t.push(line(
        1,
        "expenditure_total",
        &exp(
            fiscal_spend,
            u.sum(SpendLine::gpb),
            u.sum(|l| l.project_gov_fund),
            u.sum(|l| b_full(l.fiscal())),
        ),
    ));
    t.push(line(
        1,
        "carryover_end",
        &[
            ("actual_total", u.carryover_end.fiscal()),
            ("actual_gpb", u.carryover_end.gpb),
            ("actual_gov_fund", u.carryover_end.gov_fund),
            ("actual_soe", 0),
        ],
    ));
    t.push(line(
        1,
        "carryover_end_gpb",
        &[
            ("actual_total", u.carryover_end.gpb),
            ("actual_gpb", u.carryover_end.gpb),
        ],
    ));
    t.push(line(
        1,
        "carryover_end_gov_fund",
        &[
            ("actual_total", u.carryover_end.gov_fund),
            ("actual_gov_fund", u.carryover_end.gov_fund),
        ],
    ));
    t.push(line(1, "carryover_end_soe", &[("actual_total", 0)]));
    t.push(line(
        1,
        "expenditure_grand_total",
        &[("actual_total", fiscal_spend + u.carryover_end.fiscal())],
    ));
    out.push(FormData {
        form: "fiscal_total",
        lines: t,
    });

    // 收入决算表
    let income_rows = income_by_line(u);
    let mut groups: BTreeMap<String, [i64; 6]> = BTreeMap::new();
    for (code, v) in &income_rows {
        if v.iter().all(|x| *x == 0) {
            continue;
        }
        for len in [3, 5, 7] {
            let e = groups.entry(code[..len].to_string()).or_insert([0; 6]);
            for (a, b) in e.iter_mut().zip(v) {
                *a += b;
            }
        }
    }
    let income_cols = |v: [i64; 6]| -> Vec<(&'static str, i64)> {
        vec![
            ("income_total", v.iter().sum()),
            ("fiscal_approp", v[0]),
            ("superior_subsidy", v[1]),
            ("business", v[2]),
            ("operating", v[3]),
            ("affiliated_remit", v[4]),
            ("other", v[5]),
        ]
    };
    let income_total = [
        u.gpb_income() + u.gov_fund_income(),
        u.superior_subsidy_income,
        u.business_income,
        u.operating_income,
        0,
        u.other_income,
    ];
    let mut t = vec![line(0, "total", &income_cols(income_total))];
    for (code, v) in groups {
        t.push(subject_line(0, &code, income_cols(v)));
    }
    out.push(FormData {
        form: "income",
        lines: t,
    });

    // 支出决算表
    let exp_cols = |v: [i64; 3]| -> Vec<(&'static str, i64)> {
        vec![
            ("expenditure_total", v.iter().sum()),
            ("basic", v[0]),
            ("project", v[1]),
            ("upper_remit", 0),
            ("operating", v[2]),
            ("affiliated_subsidy", 0),
        ]
    };
    let mut t = vec![line(
        0,
        "total",
        &exp_cols([
            u.sum(SpendLine::basic),
            u.sum(SpendLine::project),
            u.sum(|l| l.operating),
        ]),
    )];
    for (code, v) in by_subject(u, |l| [l.basic(), l.project(), l.operating]) {
        t.push(subject_line(0, &code, exp_cols(v)));
    }
    out.push(FormData {
        form: "expenditure",
        lines: t,
    });

    // 一般公共预算财政拨款支出决算表
    let gpb_cols = |v: [i64; 3]| -> Vec<(&'static str, i64)> {
        let mut c = Vec::new();
        if family_a {
            c.push(("budget_full", v[2]));
        }
        c.extend([
            ("actual_total", v[0] + v[1]),
            ("basic", v[0]),
            ("project", v[1]),
        ]);
        c
    };
    let mut t = vec![line(
        0,
        "total",
        &gpb_cols([
            u.gpb_basic(),
            u.sum(|l| l.project_gpb),
            u.sum(|l| b_full(l.gpb())),
        ]),
    )];
    for (code, v) in by_subject(u, |l| [l.basic_gpb, l.project_gpb, b_full(l.gpb())]) {
        t.push(subject_line(0, &code, gpb_cols(v)));
    }
    out.push(FormData {
        form: "gpb_expenditure",
        lines: t,
    });

    // 一般公共预算财政拨款基本支出决算明细表
    let mut t = Vec::new();
    let mut classes_eco: BTreeMap<String, i64> = BTreeMap::new();
    for (code, v) in &u.economic {
        *classes_eco.entry(code[..3].to_string()).or_default() += v;
    }
    for (class, total) in &classes_eco {
        t.push(subject_line(0, class, vec![("actual", *total)]));
        for (code, v) in u
            .economic
            .range(class.clone()..)
            .take_while(|(c, _)| c.starts_with(class.as_str()))
        {
            t.push(subject_line(0, code, vec![("actual", *v)]));
        }
    }
    let personnel =
        classes_eco.get("301").copied().unwrap_or(0) + classes_eco.get("303").copied().unwrap_or(0);
    let public =
        classes_eco.get("302").copied().unwrap_or(0) + classes_eco.get("310").copied().unwrap_or(0);
    t.push(line(0, "personnel_total", &[("actual", personnel)]));
    t.push(line(0, "public_total", &[("actual", public)]));
    out.push(FormData {
        form: "gpb_basic_detail",
        lines: t,
    });

    // 三公
    let mut t = Vec::new();
    for (item, f) in [
        ("sangong_total", Sangong::total as fn(&Sangong) -> i64),
        ("abroad", |s: &Sangong| s.abroad),
        ("vehicle_total", Sangong::vehicle_total),
        ("vehicle_purchase", |s: &Sangong| s.vehicle_purchase),
        ("vehicle_operation", |s: &Sangong| s.vehicle_operation),
        ("reception", |s: &Sangong| s.reception),
    ] {
        t.push(line(
            0,
            item,
            &[
                ("budget", f(&u.sangong_budget)),
                ("actual", f(&u.sangong_actual)),
            ],
        ));
    }
    out.push(FormData {
        form: "sangong",
        lines: t,
    });

    // 政府性基金预算财政拨款收入支出决算表 (only when there is fund money)
    let mut t = Vec::new();
    if u.gov_fund_income() != 0 || u.carryover_begin.gov_fund != 0 {
        let fund_cols =
            |begin: i64, income: i64, project: i64, end: i64| -> Vec<(&'static str, i64)> {
                vec![
                    ("carryover_begin", begin),
                    ("income", income),
                    ("expenditure_total", project),
                    ("basic", 0),
                    ("project", project),
                    ("carryover_end", end),
                ]
            };
        t.push(line(
            0,
            "total",
            &fund_cols(
                u.carryover_begin.gov_fund,
                u.gov_fund_income(),
                u.sum(|l| l.project_gov_fund),
                u.carryover_end.gov_fund,
            ),
        ));
        let rows = by_subject(u, |l| [l.project_gov_fund]);
        let n = rows.len();
        for (i, (code, v)) in rows.into_iter().enumerate() {
            // Carry-over and income differences sit on the first 类 line and its children.
            let first_branch = i < 3.min(n) && code.len() <= 7;
            let (begin, end) = if first_branch {
                (u.carryover_begin.gov_fund, u.carryover_end.gov_fund)
            } else {
                (0, 0)
            };
            t.push(subject_line(
                0,
                &code,
                fund_cols(begin, v[0] + end - begin, v[0], end),
            ));
        }
    }
    out.push(FormData {
        form: "gov_fund",
        lines: t,
    });
    out.push(FormData {
        form: "soe_capital",
        lines: Vec::new(),
    });

    if family_a {
        let o = &u.operations;
        let procurement = o.procurement_goods + o.procurement_works + o.procurement_services;
        let t = [
            ("staff_authorized", o.staff_authorized),
            ("staff_actual", o.staff_actual),
            ("retirees", o.retirees),
            ("admin_operating_cost", o.admin_operating_cost),
            ("procurement_total", procurement),
            ("procurement_goods", o.procurement_goods),
            ("procurement_works", o.procurement_works),
            ("procurement_services", o.procurement_services),
            ("sme_contracts", o.sme_contracts),
            ("vehicles", o.vehicles),
            ("abroad_groups", o.abroad_groups),
            ("abroad_people", o.abroad_people),
            ("reception_batches", o.reception_batches),
            ("reception_people", o.reception_people),
            ("vehicles_purchased", o.vehicles_purchased),
        ]
        .iter()
        .map(|(item, v)| line(0, item, &[("value", *v)]))
        .collect();
        out.push(FormData {
            form: "operations",
            lines: t,
        });
    }
    if family_a && !u.parts.is_empty() {
        sum_budgets_of_parts(&mut out, &u.parts, classes);
    }
    out
}

/// A 汇总表's budget columns: each line the sum of its units' same line.
fn sum_budgets_of_parts(
    out: &mut [FormData],
    parts: &[UnitYear],
    classes: &BTreeMap<String, Vec<String>>,
) {
    let is_budget = |column: &str| column.starts_with("budget_");
    let mut sums: BTreeMap<(&str, String, Option<String>, String), i64> = BTreeMap::new();
    for part in parts {
        for form in forms(part, true, classes) {
            for l in form.lines {
                for (column, v) in l.values.into_iter().filter(|(c, _)| is_budget(c)) {
                    *sums
                        .entry((form.form, l.item.clone(), l.subject_code.clone(), column))
                        .or_default() += v;
                }
            }
        }
    }
    for form in out.iter_mut() {
        for l in &mut form.lines {
            for (column, v) in l.values.iter_mut().filter(|(c, _)| is_budget(c)) {
                let key = (
                    form.form,
                    l.item.clone(),
                    l.subject_code.clone(),
                    column.clone(),
                );
                *v = sums.get(&key).copied().unwrap_or(0);
            }
        }
    }
}
