//! What made an output folder: `manifest.json` — the program's version, the
//! command line, the specs' hashes (and which were overridden), every input
//! with its size and SHA-256, counts, timings and the outputs' fingerprints
//! (XXH3) — and
//! the run id, a hash of all that decides the outputs (inputs, specs,
//! options, version; not the date or timings), stamped on every Parquet
//! file and the workbook so that a folder mixing two runs is detectable.

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::RwLock;

use crate::pool;
use crate::spec::SpecFiles;

pub const FILE: &str = "manifest.json";

/// One input file: a workbook, a narrative, the review file, a roster or a
/// query.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct InputFile {
    pub kind: String,
    pub path: String,
    pub size: u64,
    /// Empty when the file could not be read (the batch reports why).
    pub sha256: String,
    /// Its modification time (nanoseconds since 1970) when hashed: a file
    /// of the same path, size and time is not hashed again by the next run.
    #[serde(default)]
    pub modified_ns: u64,
}

/// One spec file as used.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct SpecHash {
    pub name: String,
    pub sha256: String,
    /// From `--specs` rather than built in.
    pub overridden: bool,
}

/// An output file as written.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub size: u64,
    /// XXH3-128 of its bytes, in hex.
    pub xxh3: String,
}

/// What the reading cache gave: workbooks taken from it, files read,
/// workbooks whose checks and measures were taken from it too (not made
/// again), and the row groups of facts.parquet copied from the previous
/// file of those written.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct CacheUse {
    pub workbooks_reused: usize,
    pub workbooks_read: usize,
    #[serde(default)]
    pub checks_reused: usize,
    #[serde(default)]
    pub fact_groups: usize,
    #[serde(default)]
    pub fact_groups_copied: usize,
}

/// The wall seconds of one stage.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Timing {
    pub stage: String,
    pub seconds: f64,
}

/// `manifest.json`.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Manifest {
    pub program: String,
    pub version: String,
    /// The build's fingerprint (its sources, specs and lock file): two
    /// builds of one version may read differently.
    pub build: String,
    pub run_id: String,
    /// The day of the run (UTC, or `SOURCE_DATE_EPOCH`'s).
    pub date: String,
    pub command_line: Vec<String>,
    /// The options that decide the outputs.
    pub options: BTreeMap<String, String>,
    pub specs: Vec<SpecHash>,
    pub inputs: Vec<InputFile>,
    pub counts: BTreeMap<String, u64>,
    /// Seconds of each stage, in order.
    pub timings: Vec<Timing>,
    pub cache: CacheUse,
    pub outputs: Vec<OutputFile>,
    /// The command's exit status, given again when a re-run finds these
    /// outputs up to date.
    pub exit_status: Option<i32>,
}

/// The build's fingerprint: a hash of the sources, specs and lock file it
/// was built from (`build.rs`).
fn build_hash() -> String {
    env!("JUESUAN_BUILD").to_string()
}

/// A file's size and hex XXH3-128, read a block at a time (a province's
/// findings.csv is hundreds of megabytes).
fn file_xxh3(path: &Path) -> Option<(u64, String)> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).ok()?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut block = vec![0; 1 << 20];
    let mut size = 0;
    loop {
        match file.read(&mut block).ok()? {
            0 => break,
            n => {
                hasher.update(&block[..n]);
                size += n as u64;
            }
        }
    }
    Some((size, format!("{:032x}", hasher.digest128())))
}

/// The hex XXH3-128 of `bytes`.
pub fn xxh3(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

/// The hex SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Size and SHA-256 of each of `paths`, in parallel; a file `known` (the
/// last run's inputs) holds with the same path, size and modification time
/// is taken from it instead of being read.
pub fn hash_files(kind: &str, paths: &[PathBuf], known: &[InputFile]) -> Vec<InputFile> {
    let known: HashMap<(&str, &str), &InputFile> = known
        .iter()
        .map(|i| ((i.kind.as_str(), i.path.as_str()), i))
        .collect();
    pool::install(|| {
        paths
            .par_iter()
            .map(|path| {
                let name = path.display().to_string();
                let stat = std::fs::metadata(path).ok();
                let size = stat.as_ref().map_or(0, std::fs::Metadata::len);
                let modified_ns = stat
                    .and_then(|m| m.modified().ok())
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos() as u64);
                if let Some(was) = known.get(&(kind, name.as_str()))
                    && was.size == size
                    && was.modified_ns == modified_ns
                    && modified_ns != 0
                    && !was.sha256.is_empty()
                {
                    return (*was).clone();
                }
                let (size, sha256) = match std::fs::read(path) {
                    Ok(bytes) => (bytes.len() as u64, sha256(&bytes)),
                    Err(_) => (0, String::new()),
                };
                InputFile {
                    kind: kind.to_string(),
                    path: name,
                    size,
                    sha256,
                    modified_ns,
                }
            })
            .collect()
    })
}

impl Manifest {
    /// A manifest for `command` with the options that decide its outputs
    /// and the spec files in use; inputs are added with [`Manifest::add_inputs`].
    pub fn start(
        command: &str,
        options: BTreeMap<String, String>,
        specs_dir: Option<&Path>,
    ) -> Result<Manifest> {
        let specs = SpecFiles::load(specs_dir)?
            .files()
            .map(|(name, origin, text)| SpecHash {
                name: name.to_string(),
                sha256: sha256(text.as_bytes()),
                overridden: !origin.starts_with("(built-in)"),
            })
            .collect();
        let mut options = options;
        options.insert("command".into(), command.into());
        Ok(Manifest {
            program: "juesuan".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            build: build_hash(),
            run_id: String::new(),
            date: run_date(),
            command_line: std::env::args().collect(),
            options,
            specs,
            inputs: Vec::new(),
            counts: BTreeMap::new(),
            timings: Vec::new(),
            cache: CacheUse::default(),
            outputs: Vec::new(),
            exit_status: None,
        })
    }

    pub fn add_inputs(&mut self, files: Vec<InputFile>) {
        self.inputs.extend(files);
    }

    /// The inputs of the last run in `out`, as its manifest lists them.
    pub fn last_inputs(out: &Path) -> Vec<InputFile> {
        Manifest::read(out)
            .ok()
            .flatten()
            .map(|m| m.inputs)
            .unwrap_or_default()
    }

    /// The run id: a hash of the version, options, specs and inputs (paths,
    /// sizes, contents) — what the outputs are made of — set as the stamp
    /// of every output written from now on.
    pub fn seal(&mut self) -> String {
        // What a file holds, not when it was touched, decides the outputs.
        let mut inputs: Vec<(&str, &str, u64, &str)> = (self.inputs.iter())
            .map(|i| (i.kind.as_str(), i.path.as_str(), i.size, i.sha256.as_str()))
            .collect();
        inputs.sort();
        let decides = serde_json::to_vec(&(
            &self.program,
            &self.version,
            &self.build,
            &self.options,
            &self.specs,
            inputs,
        ))
        .unwrap_or_default();
        self.run_id = sha256(&decides)[..16].to_string();
        set_stamp(Stamp {
            run_id: self.run_id.clone(),
            version: self.version.clone(),
            date: self.date.clone(),
        });
        self.run_id.clone()
    }

    pub fn count(&mut self, what: &str, n: usize) {
        self.counts.insert(what.into(), n as u64);
    }

    pub fn timing(&mut self, stage: &str, seconds: f64) {
        self.timings.push(Timing {
            stage: stage.into(),
            seconds: (seconds * 1000.0).round() / 1000.0,
        });
    }

    /// What reading a workbook depends on besides the file: the build, the
    /// specs and the time a file may take (the reading cache's salt).
    pub fn reading_salt(&self) -> String {
        let specs: Vec<&str> = self.specs.iter().map(|s| s.sha256.as_str()).collect();
        let limit = self
            .options
            .get("file_time_limit")
            .map_or("", String::as_str);
        format!("{} {} {limit}", self.build, specs.join(" "))
    }

    /// The exit status of the run whose outputs are in `out`, when they are
    /// what this run would write: the same run id (inputs, specs, options,
    /// build) and every output as that run wrote it (size and SHA-256).
    pub fn up_to_date(&self, out: &Path) -> Option<i32> {
        let previous = Manifest::read(out).ok()??;
        if previous.run_id != self.run_id || previous.outputs.is_empty() {
            return None;
        }
        let intact = pool::install(|| {
            previous.outputs.par_iter().all(|o| {
                let path = out.join(&o.path);
                std::fs::metadata(&path).is_ok_and(|m| m.len() == o.size)
                    && file_xxh3(&path).is_some_and(|(_, hash)| hash == o.xxh3)
            })
        });
        if intact { previous.exit_status } else { None }
    }

    /// Hashes the outputs in `out` and writes `manifest.json` there, last.
    pub fn write(mut self, out: &Path, exit_status: i32) -> Result<()> {
        self.exit_status = Some(exit_status);
        self.outputs = output_files(out)?;
        let text = serde_json::to_string_pretty(&self)?;
        crate::write::atomic_write(&out.join(FILE), |file| {
            use std::io::Write;
            file.write_all(text.as_bytes())?;
            file.write_all(b"\n")?;
            Ok(())
        })
    }

    /// The manifest in `out`, if there is one.
    pub fn read(out: &Path) -> Result<Option<Manifest>> {
        let path = out.join(FILE);
        if !path.exists() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let manifest = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a juesuan manifest", path.display()))?;
        Ok(Some(manifest))
    }
}

/// The run id a Parquet file was stamped with, if any.
pub fn parquet_run_id(path: &Path) -> Option<String> {
    let mut file = std::fs::File::open(path).ok()?;
    let metadata = polars_parquet::read::read_metadata(&mut file).ok()?;
    let pairs = metadata.key_value_metadata().as_ref()?;
    let pair = pairs.iter().find(|kv| kv.key == PARQUET_KEY)?;
    pair.value.clone()
}

/// Why the outputs in `out` are not all of the run its manifest records:
/// a Parquet file stamped with another run, an output the manifest does not
/// list, or one listed but missing or of another size. Empty when they are
/// (or when there is no manifest: a folder from before manifests).
pub fn mixed_runs(out: &Path) -> Result<Vec<String>> {
    let Some(manifest) = Manifest::read(out)? else {
        return Ok(Vec::new());
    };
    let mut problems = Vec::new();
    let listed: BTreeMap<&str, u64> = (manifest.outputs.iter())
        .map(|o| (o.path.as_str(), o.size))
        .collect();
    let present = present_outputs(out)?;
    for path in &present {
        let name = relative(out, path);
        match listed.get(name.as_str()) {
            None => problems.push(format!(
                "{name} is not an output of run {}",
                manifest.run_id
            )),
            Some(&size) if std::fs::metadata(path).map_or(0, |m| m.len()) != size => {
                problems.push(format!(
                    "{name} is not the file run {} wrote (another size)",
                    manifest.run_id
                ))
            }
            Some(_) => {}
        }
        if name.ends_with(".parquet")
            && let Some(id) = parquet_run_id(path)
            && id != manifest.run_id
        {
            problems.push(format!(
                "{name} was written by run {id}, the manifest is of run {}",
                manifest.run_id
            ));
        }
    }
    for name in listed.keys() {
        if !out.join(name).is_file() {
            problems.push(format!(
                "{name}, written by run {}, is missing",
                manifest.run_id
            ));
        }
    }
    Ok(problems)
}

fn relative(out: &Path, path: &Path) -> String {
    path.strip_prefix(out)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The output files in `out`, sorted: everything but the manifest, the
/// lock and temporaries (hidden names).
fn present_outputs(out: &Path) -> Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    let outputs = walkdir::WalkDir::new(out)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() != 1 || !(name.starts_with('.') || name == FILE)
        });
    for entry in outputs {
        let entry = entry.with_context(|| format!("listing {}", out.display()))?;
        if entry.file_type().is_file() {
            paths.push(entry.path().to_path_buf());
        }
    }
    Ok(paths)
}

/// Every output file in `out` (the manifest, the lock and temporaries
/// aside), sorted, with its size and SHA-256.
fn output_files(out: &Path) -> Result<Vec<OutputFile>> {
    let paths = present_outputs(out)?;
    Ok(pool::install(|| {
        paths
            .par_iter()
            .map(|path| {
                let (size, xxh3) = file_xxh3(path).unwrap_or_default();
                OutputFile {
                    path: relative(out, path),
                    size,
                    xxh3,
                }
            })
            .collect()
    }))
}

/// What every output of the run is stamped with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub run_id: String,
    pub version: String,
    pub date: String,
}

/// The stamp of the run this process is making (one command a process).
static STAMP: RwLock<Option<Stamp>> = RwLock::new(None);

fn set_stamp(stamp: Stamp) {
    if let Ok(mut slot) = STAMP.write() {
        *slot = Some(stamp);
    }
}

/// The stamp of the outputs being written, once the run is sealed.
pub fn stamp() -> Option<Stamp> {
    STAMP.read().ok().and_then(|s| s.clone())
}

/// The key of the run id in a Parquet file's metadata.
pub const PARQUET_KEY: &str = "juesuan.run_id";

/// The day of the run, `YYYY-MM-DD` in UTC: `SOURCE_DATE_EPOCH` (seconds)
/// when set, so that a rebuilt folder can be made byte-identical, else now.
pub fn run_date() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    let (y, m, d) = civil_from_days(seconds.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// The proleptic Gregorian date of a day counted from 1970-01-01 (H.
/// Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_429), (2025, 12, 7));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn sha256_of_abc() {
        assert_eq!(
            sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
