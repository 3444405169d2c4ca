//! `juesuan sample --out DIR --departments N --years 2021-2024 --seed S`

use anyhow::{Result, bail};
use clap::Args;
use std::path::PathBuf;

use juesuan::sample::{SampleConfig, write_corpus};

#[derive(Args, Debug)]
pub struct SampleArgs {
    /// Output folder for the generated workbooks and truth.csv.
    #[arg(long)]
    pub out: PathBuf,
    /// Number of departments.
    #[arg(long, default_value_t = 30)]
    pub departments: usize,
    /// Year span, e.g. 2021-2024.
    #[arg(long, default_value = "2022-2024")]
    pub years: String,
    /// Random seed: the same seed gives byte-identical files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Also write the hand-built workbooks of the seed units (real published figures).
    #[arg(long)]
    pub with_seed_units: bool,
    /// Write no 情况说明 (narrative documents), only workbooks.
    #[arg(long)]
    pub no_narratives: bool,
}

pub fn run(args: SampleArgs) -> Result<i32> {
    let Some((first, last)) = args.years.split_once('-') else {
        bail!("--years takes a span such as 2021-2024");
    };
    let (first, last): (i32, i32) = (first.trim().parse()?, last.trim().parse()?);
    if first > last {
        bail!("--years: {first} is after {last}");
    }
    let config = SampleConfig {
        departments: args.departments,
        first_year: first,
        last_year: last,
        seed: args.seed,
        with_seed_units: args.with_seed_units,
        narratives: !args.no_narratives,
    };
    let summary = write_corpus(&args.out, &config)?;
    eprintln!("{summary}");
    Ok(0)
}
