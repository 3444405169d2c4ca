//! One run per output folder (issue 32, item 7).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data")
}

fn juesuan(args: &[&str], out: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_juesuan"));
    c.args(args).arg("--out").arg(out).arg("-q");
    c.stdout(Stdio::null()).stderr(Stdio::piped());
    c
}

fn lock_of(out: &Path) -> PathBuf {
    out.join(juesuan::lock::LOCK_FILE)
}

#[test]
fn a_second_run_into_a_folder_in_use_is_told_and_stops() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let mut first = juesuan(&["run"], &out)
        .arg(sample())
        .spawn()
        .expect("first run");
    let started = Instant::now();
    while !lock_of(&out).exists() {
        assert!(started.elapsed() < Duration::from_secs(60), "no lock taken");
        std::thread::sleep(Duration::from_millis(2));
    }
    let second = juesuan(&["run"], &out)
        .arg(sample())
        .output()
        .expect("second run");
    assert_eq!(second.status.code(), Some(2));
    let said = String::from_utf8_lossy(&second.stderr);
    assert!(said.contains("in use by another juesuan run"), "{said}");
    assert!(said.contains(&format!("pid {}", first.id())), "{said}");
    let status = first.wait().expect("first run ends");
    assert!(status.code().is_some_and(|c| c <= 1), "{status:?}");
    assert!(!lock_of(&out).exists(), "the lock is let go");
}

#[test]
fn a_run_asked_to_wait_runs_once_the_folder_is_free() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).expect("mkdir");
    // This test process holds the folder, as a run would.
    std::fs::write(lock_of(&out), format!("pid {}\n", std::process::id())).expect("lock");
    let seeds = sample().join("seeds");
    let mut waiting = juesuan(&["check", "--wait"], &out)
        .arg(&seeds)
        .spawn()
        .expect("run");
    std::thread::sleep(Duration::from_millis(600));
    assert!(waiting.try_wait().expect("poll").is_none(), "it waits");
    std::fs::remove_file(lock_of(&out)).expect("let go");
    let status = waiting.wait().expect("it ends");
    assert_eq!(status.code(), Some(0));
    assert!(out.join("findings.csv").exists());
}

#[test]
fn the_lock_of_a_killed_run_is_taken_over() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).expect("mkdir");
    let mut gone = Command::new("true").spawn().expect("a process");
    let pid = gone.id();
    gone.wait().expect("it ends");
    std::fs::write(lock_of(&out), format!("pid {pid}\nstarted 0\n")).expect("lock");
    let run = juesuan(&["check"], &out)
        .arg(sample().join("seeds"))
        .output()
        .expect("run");
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stderr).contains("taking over"));
    assert!(!lock_of(&out).exists());
}
