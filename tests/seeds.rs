//! The hand-built workbooks of the seed units yield the published figures
//! (../shared/seeds, sample_data/seeds/README.md).
use juesuan::ingest::batch::{Batch, ingest};
use juesuan::spec::Catalogue;
use rust_decimal::Decimal;
use std::path::Path;

fn seeds() -> Batch {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/seeds");
    ingest(&[root], &Catalogue::builtin().expect("specs"), false)
}

/// The figure of (unit, year, form, item, column[, subject code]) in 元.
fn figure(
    batch: &Batch,
    unit: &str,
    year: i32,
    form: &str,
    item: &str,
    column: &str,
    subject: Option<&str>,
) -> Decimal {
    let w = batch
        .workbooks
        .iter()
        .find(|w| w.identity.unit_name == unit && w.identity.year == year)
        .unwrap_or_else(|| panic!("no workbook for {unit} {year}"));
    let matches: Vec<Decimal> = w
        .facts
        .iter()
        .filter(|f| {
            f.form == form && f.item == item && f.column == column && f.subject_code == subject
        })
        .map(|f| f.amount)
        .collect();
    assert_eq!(
        matches.len(),
        1,
        "{unit} {year} {form}.{item}.{column} {subject:?}: {matches:?}"
    );
    matches[0]
}

fn d(s: &str) -> Decimal {
    s.parse().expect("literal")
}

/// Rounds 元 to the 万元 with two decimals a published table prints.
fn wan(yuan: Decimal) -> Decimal {
    (yuan / Decimal::from(10_000)).round_dp(2)
}

const PZH: &str = "攀枝花市城市管理行政执法局";

#[test]
fn panzhihua_2023_sangong_is_exact() {
    let b = seeds();
    let actual = |item| figure(&b, PZH, 2023, "sangong", item, "actual", None);
    assert_eq!(actual("sangong_total"), d("616200.00"));
    assert_eq!(actual("abroad"), d("0"));
    assert_eq!(actual("vehicle_total"), d("598700.00"));
    assert_eq!(actual("reception"), d("17500.00"));
    assert_eq!(
        actual("abroad") + actual("vehicle_total") + actual("reception"),
        d("616200.00")
    );
    // 2022 from the stated change: +32.22万元, +109.59%; 接待 +0.92, +110.84%.
    let prev = figure(&b, PZH, 2022, "sangong", "sangong_total", "actual", None);
    assert_eq!(prev, d("294000.00"));
    assert_eq!(
        ((actual("sangong_total") - prev) / prev * Decimal::from(100)).round_dp(2),
        d("109.59")
    );
    let prev_reception = figure(&b, PZH, 2022, "sangong", "reception", "actual", None);
    assert_eq!(
        ((actual("reception") - prev_reception) / prev_reception * Decimal::from(100)).round_dp(2),
        d("110.84")
    );
}

#[test]
fn panzhihua_2023_totals_match_the_report_in_wan_yuan() {
    let b = seeds();
    let f = |form, item, column| wan(figure(&b, PZH, 2023, form, item, column, None));
    assert_eq!(
        f("income_expenditure_total", "income_total", "actual"),
        d("8929.95")
    );
    assert_eq!(
        f("income_expenditure_total", "gpb_approp_income", "actual"),
        d("8589.95")
    );
    assert_eq!(
        f(
            "income_expenditure_total",
            "gov_fund_approp_income",
            "actual"
        ),
        d("340.00")
    );
    assert_eq!(f("expenditure", "total", "basic"), d("7803.25"));
    assert_eq!(f("expenditure", "total", "project"), d("1126.69"));
    assert_eq!(
        f("gpb_basic_detail", "personnel_total", "actual"),
        d("7411.87")
    );
    assert_eq!(f("gpb_basic_detail", "public_total", "actual"), d("391.38"));
    assert_eq!(
        f("operations", "admin_operating_cost", "value"),
        d("116.71")
    );
    let class = |code| {
        wan(figure(
            &b,
            PZH,
            2023,
            "gpb_expenditure",
            "subject",
            "actual_total",
            Some(code),
        ))
    };
    assert_eq!(class("208"), d("2705.84"));
    assert_eq!(class("212"), d("5331.03"));
    assert_eq!(class("221"), d("419.55"));
    assert_eq!(
        figure(&b, PZH, 2023, "operations", "vehicles", "value", None),
        d("30")
    );
    assert_eq!(
        figure(&b, PZH, 2023, "operations", "staff_actual", "value", None),
        d("282")
    );
}

#[test]
fn digital_centre_2020_and_anning_2023_match_their_reports() {
    let b = seeds();
    let unit = "攀枝花市数字化城市联动指挥中心";
    let f = |form, item, column| wan(figure(&b, unit, 2020, form, item, column, None));
    assert_eq!(
        f("income_expenditure_total", "income_total", "actual"),
        d("659.38")
    );
    assert_eq!(
        f("income_expenditure_total", "income_grand_total", "actual"),
        d("831.37")
    );
    assert_eq!(f("expenditure", "total", "basic"), d("150.26"));
    assert_eq!(f("expenditure", "total", "project"), d("681.11"));
    assert_eq!(f("sangong", "sangong_total", "actual"), d("1.12"));
    let anning = "安宁市城市管理综合服务中心";
    let g = |form, item, column| wan(figure(&b, anning, 2023, form, item, column, None));
    assert_eq!(
        g("income_expenditure_total", "income_grand_total", "actual"),
        d("1320.73")
    );
    assert_eq!(g("expenditure", "total", "basic"), d("1317.84"));
    assert_eq!(
        g("gpb_basic_detail", "personnel_total", "actual"),
        d("1253.37")
    );
    assert_eq!(g("gpb_basic_detail", "public_total", "actual"), d("64.47"));
    assert_eq!(
        figure(
            &b,
            anning,
            2023,
            "operations",
            "staff_authorized",
            "value",
            None
        ),
        d("59")
    );
}
