//! Discover stage: the inputs named on the command line → the workbook files
//! to read, sorted so that every run sees them in the same order.

use std::path::{Path, PathBuf};
use walkdir::WalkDir;

pub use crate::narrative::document::is_document;

/// Extensions read as workbooks (compared case-insensitively).
pub const WORKBOOK_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls"];

/// An input that could not be searched.
#[derive(Debug, Clone)]
pub struct DiscoverProblem {
    pub path: PathBuf,
    pub message: String,
}

pub fn is_workbook(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    // Excel's lock files (`~$book.xlsx`) are not workbooks.
    if name.starts_with("~$") {
        return false;
    }
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .is_some_and(|e| WORKBOOK_EXTENSIONS.contains(&e.as_str()))
}

/// The workbooks and narrative documents found under the inputs, and the
/// inputs that could not be searched.
pub struct Discovered {
    /// Sorted and de-duplicated.
    pub files: Vec<PathBuf>,
    /// Narrative documents (情况说明: .txt, .docx, .pdf, .html …), sorted.
    pub documents: Vec<PathBuf>,
    pub problems: Vec<DiscoverProblem>,
}

/// Files and folders (searched recursively) → sorted, de-duplicated workbook paths.
pub fn discover(inputs: &[PathBuf]) -> Discovered {
    let mut files = Vec::new();
    let mut documents = Vec::new();
    let mut problems = Vec::new();
    for input in inputs {
        if input.is_file() {
            if is_document(input) {
                documents.push(input.clone());
            } else {
                files.push(input.clone());
            }
            continue;
        }
        if !input.exists() {
            problems.push(DiscoverProblem {
                path: input.clone(),
                message: "no such file or folder".into(),
            });
            continue;
        }
        for entry in WalkDir::new(input).follow_links(true) {
            match entry {
                Ok(e) if e.file_type().is_file() && is_workbook(e.path()) => {
                    files.push(e.into_path())
                }
                Ok(e) if e.file_type().is_file() && is_document(e.path()) => {
                    documents.push(e.into_path())
                }
                Ok(_) => {}
                Err(e) => problems.push(DiscoverProblem {
                    path: e
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| input.clone()),
                    message: e.to_string(),
                }),
            }
        }
    }
    files.sort();
    files.dedup();
    documents.sort();
    documents.dedup();
    Discovered {
        files,
        documents,
        problems,
    }
}
