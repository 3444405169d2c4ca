//! The `juesuan` command line: wires each subcommand to its module in `cmd/`.

mod cmd;

use clap::{Parser, Subcommand};

/// See [`juesuan::allocator`].
#[global_allocator]
static ALLOCATOR: juesuan::allocator::MiMalloc = juesuan::allocator::MiMalloc;

#[derive(Parser)]
#[command(
    name = "juesuan",
    version,
    about = "Batch engine for government departments' final accounts (部门决算)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The main job: ingest, check, analyse; writes league_tables.xlsx and Parquet.
    Run(cmd::run::RunArgs),
    /// Read every workbook into one exact, traceable fact table.
    Ingest(cmd::ingest::IngestArgs),
    /// Ingest, then check every consistency rule (勾稽关系): findings.parquet/csv.
    Check(cmd::check::CheckArgs),
    /// What changed between two runs' output folders: files, facts,
    /// findings, flags and ranks.
    Diff(cmd::diff::DiffArgs),
    /// Run one SQL file against the Parquet outputs of a previous run.
    Query(cmd::query::QueryArgs),
    /// Generate a realistic sample corpus with known contents (truth.csv).
    Sample(cmd::sample::SampleArgs),
    /// Write the built-in form specs to a folder, to edit and pass with --specs.
    Specs(cmd::specs::SpecsArgs),
}

fn main() {
    // A reader library may panic on a damaged file; the batch catches it and
    // reports the file, so one line is enough here (no backtrace dump).
    std::panic::set_hook(Box::new(|info| {
        eprintln!("juesuan: internal error: {info}")
    }));
    juesuan::allocator::without_huge_pages();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => cmd::run::run(args),
        Command::Ingest(args) => cmd::ingest::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Diff(args) => cmd::diff::run(args),
        Command::Query(args) => cmd::query::run(args),
        Command::Sample(args) => cmd::sample::run(args),
        Command::Specs(args) => cmd::specs::run(args),
    };
    match result {
        Ok(code) => std::process::exit(code),
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::exit(2);
        }
    }
}
