//! `juesuan specs --out DIR`: writes the built-in specs, to edit and pass
//! back with `--specs DIR`.

use anyhow::{Context, Result};
use clap::Args;
use std::path::PathBuf;

use juesuan::spec::DEFAULT_FILES;

#[derive(Args, Debug)]
pub struct SpecsArgs {
    /// Folder to write the spec files into.
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(args: SpecsArgs) -> Result<i32> {
    for (name, text) in DEFAULT_FILES {
        let path = args.out.join(name);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    eprintln!(
        "wrote {} spec files to {}",
        DEFAULT_FILES.len(),
        args.out.display()
    );
    Ok(0)
}
