//! Re-runs (issue 32, item 4), measured in the scale benchmark beside the
//! cold run: with no change, and after 1, 10 and 100 workbooks are edited
//! (their figures changed and saved again); the cold run without the cache,
//! to show what keeping it costs. In the first round every re-run's outputs
//! are compared byte for byte with a cold run's (`--no-cache`) over the same
//! files into a copy of the same folder.

use std::path::{Path, PathBuf};

use crate::{Measure, juesuan, measure_warm};
use juesuan::sample::layout::Out;

/// How many workbooks each measured re-run finds changed.
pub const CHANGED: [usize; 3] = [1, 10, 100];

#[derive(Clone)]
pub struct Reruns {
    /// The cold run with `--no-cache` (neither using nor keeping one).
    pub no_cache: Measure,
    /// The re-run with nothing changed.
    pub unchanged: Measure,
    /// The re-run after each of [`CHANGED`] workbooks were edited.
    pub changed: Vec<Measure>,
    /// Whether each re-run's outputs were byte-identical to a cold run's
    /// (checked in the first round only).
    pub identical: Vec<Option<bool>>,
}

impl Reruns {
    pub fn best_with(self, other: Reruns) -> Reruns {
        Reruns {
            no_cache: self.no_cache.best_with(other.no_cache),
            unchanged: self.unchanged.best_with(other.unchanged),
            changed: (self.changed.iter().zip(&other.changed))
                .map(|(a, b)| a.best_with(*b))
                .collect(),
            identical: (self.identical.iter().zip(&other.identical))
                .map(|(a, b)| a.or(*b))
                .collect(),
        }
    }
}

/// The re-runs into `out`, which holds the cold run's outputs and cache.
pub fn time_reruns(corpus: &Path, out: &Path, scratch: &Path, compare: bool) -> Reruns {
    let log = |what: &str| scratch.join(format!("rerun-{what}.log"));
    let unchanged = measure_warm(corpus, juesuan(&["run"], corpus, out), &log("unchanged"));
    let edited = editable(corpus, CHANGED[CHANGED.len() - 1]);
    let mut changed = Vec::new();
    let mut identical = Vec::new();
    for &n in &CHANGED {
        let originals = Restore(
            edited[..n]
                .iter()
                .map(|p| (p.clone(), std::fs::read(p).expect("workbook")))
                .collect(),
        );
        // In a process of its own: reading the workbooks here would grow
        // the benchmark, whose size its children's peak memory starts from.
        let status = std::process::Command::new(std::env::current_exe().expect("own path"))
            .arg("--edit")
            .args(originals.0.iter().map(|(p, _)| p))
            .status()
            .expect("edit");
        assert!(status.success(), "editing workbooks failed");
        // The cold run to compare with starts from the same folder.
        let cold = scratch.join("rerun-cold");
        if compare {
            copy_outputs(out, &cold);
        }
        changed.push(measure_warm(
            corpus,
            juesuan(&["run"], corpus, out),
            &log("changed"),
        ));
        identical.push(compare.then(|| {
            let no_cache = juesuan(&["run", "--no-cache"], corpus, &cold);
            measure_warm(corpus, no_cache, &log("cold"));
            let same = same_outputs(out, &cold);
            let _ = std::fs::remove_dir_all(&cold);
            same
        }));
        // The corpus as it was, and the folder and cache in step with it.
        drop(originals);
        measure_warm(corpus, juesuan(&["run"], corpus, out), &log("restore"));
    }
    let fresh = scratch.join("rerun-no-cache");
    let _ = std::fs::remove_dir_all(&fresh);
    let no_cache = juesuan(&["run", "--no-cache"], corpus, &fresh);
    let no_cache = measure_warm(corpus, no_cache, &log("no-cache"));
    let _ = std::fs::remove_dir_all(&fresh);
    Reruns {
        no_cache,
        unchanged,
        changed,
        identical,
    }
}

/// Edited workbooks' original bytes, written back when dropped — also when
/// a measured command fails — so that the kept corpus stays as generated.
struct Restore(Vec<(PathBuf, Vec<u8>)>);

impl Drop for Restore {
    fn drop(&mut self) {
        for (path, bytes) in &self.0 {
            let _ = std::fs::write(path, bytes);
        }
    }
}

/// `n` `.xlsx` workbooks of the corpus spread across it.
fn editable(corpus: &Path, n: usize) -> Vec<PathBuf> {
    let files: Vec<PathBuf> = juesuan::ingest::discover::discover(&[corpus.to_path_buf()])
        .files
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    let step = (files.len() / n.max(1)).max(1);
    files.into_iter().step_by(step).take(n).collect()
}

/// Saves the workbook again with 100 added to each figure above 10,000.
pub fn edit_figures(path: &Path) {
    let mut sheets = juesuan::sample::read_back(path).expect("reads back");
    for cell in sheets.iter_mut().flat_map(|s| s.cells.values_mut()) {
        if let Out::Number(n) = cell
            && *n > 10_000.0
        {
            *n += 100.0;
        }
    }
    let bytes = juesuan::sample::xlsx_bytes(&sheets).expect("writes");
    std::fs::write(path, bytes).expect("saves");
}

/// The output files under `dir`: the manifest (its timings and command
/// line), the cache and hidden files aside.
fn outputs(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.depth() != 1 || !e.file_name().to_string_lossy().starts_with('.'))
        .flatten()
        .filter(|e| e.file_type().is_file() && e.file_name() != "manifest.json")
        .map(|e| e.path().strip_prefix(dir).expect("under").to_path_buf())
        .collect();
    files.sort();
    files
}

fn copy_outputs(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    for file in outputs(from)
        .into_iter()
        .chain([PathBuf::from("manifest.json")])
    {
        let target = to.join(&file);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::copy(from.join(&file), target).expect("copy");
    }
}

/// Whether every output of `a` is byte for byte the same in `b`, read a
/// block at a time (the benchmark's own memory is where its children's
/// peak memory starts from).
fn same_outputs(a: &Path, b: &Path) -> bool {
    let files = outputs(a);
    files == outputs(b) && files.iter().all(|f| same_file(&a.join(f), &b.join(f)))
}

fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(fa), Ok(fb)) = (std::fs::File::open(a), std::fs::File::open(b)) else {
        return false;
    };
    let (mut ra, mut rb) = (std::io::BufReader::new(fa), std::io::BufReader::new(fb));
    let (mut xa, mut xb) = ([0u8; 65_536], [0u8; 65_536]);
    loop {
        let (Ok(na), Ok(nb)) = (read_full(&mut ra, &mut xa), read_full(&mut rb, &mut xb)) else {
            return false;
        };
        if na != nb || xa[..na] != xb[..nb] {
            return false;
        }
        if na == 0 {
            return true;
        }
    }
}

/// Fills `buf` as far as the file goes; the bytes read.
fn read_full(r: &mut impl std::io::Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}
