//! Who has not filed (issue 32, item 3): a roster with a missing unit, a
//! rejected file and a unit not on it gives each its status in
//! roster.parquet and on 报送情况, and each 汇总表 lacking units says so.

mod common;

use common::{csv_rows, juesuan_into, planted_files, query, sheet_rows};
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// A unit's code and its department's from a sample file name
/// (`125002_江城市第2交通运输事务中心.xls`); `None` for a 汇总表.
fn codes(path: &Path) -> Option<(String, String, String)> {
    let name = path.file_stem()?.to_string_lossy().to_string();
    if name.contains("汇总") {
        return None;
    }
    let (code, unit) = name.split_once('_')?;
    Some((
        code.to_string(),
        unit.to_string(),
        format!("{}000", &code[..3]),
    ))
}

#[test]
fn a_roster_tells_filed_missing_rejected_and_not_on_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    let mut units: Vec<(PathBuf, (String, String, String))> = Vec::new();
    for file in planted_files(3) {
        let copy = input.join(file.file_name().expect("name"));
        std::fs::copy(&file, &copy).expect("copy");
        if let Some(c) = codes(&copy) {
            units.push((copy, c));
        }
    }
    units.sort();
    assert!(units.len() >= 5, "{units:?}");
    // The roster lists every unit but the last, in GBK as Excel saves it.
    let mut roster = String::from("年度,单位代码,单位名称,主管部门\r\n");
    for (_, (code, name, dept)) in &units[..units.len() - 1] {
        roster.push_str(&format!("2023,{code},{name},{dept}\r\n"));
    }
    let roster_path = dir.path().join("应收清单.csv");
    std::fs::write(&roster_path, encoding_rs::GB18030.encode(&roster).0).expect("roster");
    // The first unit has not filed; the second's file cannot be read.
    let (missing, rejected, extra) = (&units[0], &units[1], &units[units.len() - 1]);
    std::fs::remove_file(&missing.0).expect("remove");
    std::fs::write(&rejected.0, b"PK\x03\x04 truncated").expect("damage");

    let out = dir.path().join("out");
    let roster_args = [OsStr::new("--roster"), roster_path.as_os_str()];
    let (status, stderr) = juesuan_into("run", &input, &out, &roster_args);
    assert_eq!(status, Some(1), "a rejected file: {stderr}");
    assert!(stderr.contains("roster ("), "{stderr}");

    let rows: BTreeMap<String, BTreeMap<String, String>> =
        query(&out, "SELECT code, status, files, reason FROM roster")
            .into_iter()
            .map(|r| (r["code"].clone(), r))
            .collect();
    assert_eq!(rows.len(), units.len(), "{rows:#?}");
    let status_of = |code: &str| rows[code]["status"].as_str();
    assert_eq!(status_of(&missing.1.0), "未报送");
    assert_eq!(status_of(&rejected.1.0), "报送被拒");
    assert!(
        rows[&rejected.1.0]["reason"].contains("file not used"),
        "{rows:#?}"
    );
    assert_eq!(status_of(&extra.1.0), "名单外");
    for (_, (code, _, _)) in &units[2..units.len() - 1] {
        assert_eq!(status_of(code), "已报送", "{code}");
        assert!(rows[code]["files"].contains(code.as_str()));
    }

    // The 汇总表 of the departments that lack units say which.
    let lacking: Vec<BTreeMap<String, String>> = csv_rows(&out.join("findings.csv"))
        .into_iter()
        .filter(|f| f["rule_id"] == "roster.lacking_units")
        .collect();
    for (_, (code, _, dept)) in [missing, rejected] {
        let finding = lacking
            .iter()
            .find(|f| f["unit_id"] == *dept)
            .unwrap_or_else(|| panic!("no finding on {dept}'s 汇总表: {lacking:#?}"));
        assert!(
            finding["description"].contains(code.as_str()),
            "{finding:?}"
        );
        assert_eq!(finding["severity"], "warning");
    }

    // 报送情况: what needs chasing first.
    let statuses: Vec<String> = sheet_rows(&out, "报送情况")
        .into_iter()
        .skip_while(|r| r.first().is_none_or(|c| c != "年度"))
        .skip(1)
        .map(|r| r[4].clone())
        .collect();
    assert_eq!(statuses.len(), units.len());
    assert_eq!(&statuses[..2], ["未报送", "报送被拒"]);
}
