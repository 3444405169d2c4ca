//! One run per output folder: a run holds `.juesuan.lock` in its output
//! folder (its process id, when it started and its command line) from
//! start to end. A second run into the folder is told who holds it and
//! stops — or, asked to `--wait`, waits its turn. A lock whose process is
//! gone (a killed run) is taken over.

use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The lock's file name inside the output folder.
pub const LOCK_FILE: &str = ".juesuan.lock";

/// The output folder held; let go when dropped.
#[derive(Debug)]
pub struct OutputLock {
    path: PathBuf,
}

impl OutputLock {
    /// Holds `out` (created if need be) for this process, waiting for
    /// another run to end when `wait`, else failing with who holds it.
    pub fn acquire(out: &Path, wait: bool) -> Result<OutputLock> {
        std::fs::create_dir_all(out)
            .with_context(|| format!("creating output folder {}", out.display()))?;
        let path = out.join(LOCK_FILE);
        let mut told = false;
        loop {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    let started = SystemTime::now()
                        .duration_since(UNIX_EPOCH)
                        .map_or(0, |d| d.as_secs());
                    let command: Vec<String> = std::env::args().collect();
                    writeln!(file, "pid {}", std::process::id())?;
                    writeln!(file, "started {started} (seconds since 1970)")?;
                    writeln!(file, "command {}", command.join(" "))?;
                    return Ok(OutputLock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let held = std::fs::read_to_string(&path).unwrap_or_default();
                    match holder(&held) {
                        Some(pid) if alive(pid) => {
                            if !wait {
                                bail!(
                                    "output folder {} is in use by another juesuan run ({}): \
                                     wait for it to end, choose another --out, or pass --wait",
                                    out.display(),
                                    held.lines().collect::<Vec<_>>().join(", ")
                                );
                            }
                            if !told {
                                eprintln!(
                                    "waiting for the juesuan run (pid {pid}) that holds {}",
                                    out.display()
                                );
                                told = true;
                            }
                            std::thread::sleep(Duration::from_millis(200));
                        }
                        // A killed run's lock (or one unreadable): taken over.
                        _ => {
                            eprintln!(
                                "taking over {} left by a run that is gone ({})",
                                path.display(),
                                held.lines().next().unwrap_or("unreadable")
                            );
                            let _ = std::fs::remove_file(&path);
                        }
                    }
                }
                Err(e) => {
                    return Err(e).with_context(|| format!("creating {}", path.display()));
                }
            }
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The process id a lock file names.
fn holder(text: &str) -> Option<u32> {
    text.lines()
        .find_map(|l| l.strip_prefix("pid "))
        .and_then(|pid| pid.trim().parse().ok())
}

/// Whether process `pid` runs on this machine; without /proc to look in,
/// every holder counts as running (a lock is never taken from a live run).
fn alive(pid: u32) -> bool {
    if pid == std::process::id() || !Path::new("/proc").is_dir() {
        return true;
    }
    Path::new(&format!("/proc/{pid}")).exists()
}
