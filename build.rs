//! The build's fingerprint, `JUESUAN_BUILD`: a hash of the sources, specs
//! and lock file this program was built from. A run's manifest and run id
//! carry it, and the reading cache is keyed by it, so that two builds of
//! one version that read differently never share a run id or a cache entry
//! — without hashing the 100-odd MB program file at every start.

use std::hash::Hasher;
use std::path::Path;

fn add_files(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            add_files(&path, files);
        } else {
            files.push(path);
        }
    }
}

fn main() {
    let mut files = Vec::new();
    add_files(Path::new("src"), &mut files);
    files.push("Cargo.lock".into());
    files.push("Cargo.toml".into());
    files.sort();
    // FNV-1a over names and contents: stable across Rust versions.
    let mut hash = Fnv(0xcbf2_9ce4_8422_2325);
    for file in &files {
        hash.write(file.to_string_lossy().as_bytes());
        hash.write(&std::fs::read(file).unwrap_or_default());
    }
    println!("cargo:rustc-env=JUESUAN_BUILD={:016x}", hash.finish());
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.lock");
    println!("cargo:rerun-if-changed=Cargo.toml");
}

struct Fnv(u64);

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
