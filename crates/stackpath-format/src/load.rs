//! Loading a catalog from files and folders, and `stackpath check`.
//!
//! Folders are searched recursively for `*.pathway.json`, entries in sorted
//! order, so the catalog and its diagnostics never depend on the order the
//! file system lists them. A file named explicitly is read whatever its name.
//! One bad file never stops the others. Files are parsed in parallel, one
//! thread per core; the result does not depend on it.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bumpalo::Bump;

use stackpath_model::{
    BuildOptions, Catalog, CredentialId, Diagnostic, Learner, Origin, PathwayDocument, PublisherId,
};

use crate::signature::{SignatureStatus, TrustedKey};
use crate::{limits, parse_learner, parse_pathway_in, ParsedPathway};

/// How files are loaded.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Keys the user trusts, each for one publisher.
    pub trusted_keys: Vec<TrustedKey>,
    /// Load files whose signature does not match (with a warning) instead of
    /// refusing them.
    pub allow_tampered: bool,
    /// Files larger than this are refused.
    pub max_file_bytes: u64,
    /// Add "did you mean" hints to warnings about unknown credentials
    /// (see [`stackpath_model::BuildOptions::suggest`]).
    pub suggest: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            trusted_keys: Vec::new(),
            allow_tampered: false,
            max_file_bytes: limits::FILE_BYTES,
            suggest: true,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pathway,
    Learner,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Pathway => "pathway",
            FileKind::Learner => "learner",
        }
    }
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    /// The file as diagnostics name it.
    pub file: Arc<str>,
    pub kind: FileKind,
    pub publisher: Option<PublisherId>,
    /// Whether the file contributed to the catalog (or, for a learner file,
    /// whether it gave a learner).
    pub loaded: bool,
    /// Credentials and equivalences loaded from it.
    pub credentials: usize,
    pub equivalences: usize,
    pub signature: SignatureStatus,
    pub errors: usize,
    pub warnings: usize,
}

/// A loaded catalog with every problem found on the way.
#[derive(Debug)]
pub struct Loaded {
    pub catalog: Catalog,
    /// Sorted by file, line and column.
    pub diagnostics: Vec<Diagnostic>,
    pub files: Vec<FileReport>,
}

impl Loaded {
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }
}

/// The pathway files that `paths` name: files as given, folders searched
/// recursively for `*.pathway.json` in sorted order, each file once.
/// Missing paths and unreadable folders are diagnostics (`no-such-path`,
/// `io-error`) naming them.
pub fn find_pathway_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    let mut seen = HashSet::new();
    for path in paths {
        match fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => diags.push(Diagnostic::error(
                "no-such-path",
                file_origin(path),
                "no such file or folder; check the path",
            )),
            Err(e) => diags.push(io_error(path, &e)),
            Ok(m) if m.is_dir() => walk(path, 0, &mut files, &mut diags),
            Ok(_) => files.push(path.clone()),
        }
    }
    files.retain(|f| seen.insert(fs::canonicalize(f).unwrap_or_else(|_| f.clone())));
    (files, diags)
}

fn walk(dir: &Path, depth: usize, files: &mut Vec<PathBuf>, diags: &mut Vec<Diagnostic>) {
    if depth > 64 {
        diags.push(Diagnostic::error(
            "io-error",
            file_origin(dir),
            "folders nest more than 64 deep here (a link loop?); point at a folder further down",
        ));
        return;
    }
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            diags.push(io_error(dir, &e));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let is_dir = fs::metadata(&p).map(|m| m.is_dir()).unwrap_or(false);
        if is_dir {
            walk(&p, depth + 1, files, diags);
        } else if p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with(".pathway.json"))
        {
            files.push(p);
        }
    }
}

fn file_origin(path: &Path) -> Origin {
    Origin::new(Arc::from(path.display().to_string()), 0, 0)
}

fn io_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        "io-error",
        file_origin(path),
        format!("cannot read it: {e}; check that it exists and that you may read it"),
    )
}

/// Reads a file whole, refusing files over the size limit.
fn read(path: &Path, max: u64) -> Result<Vec<u8>, Diagnostic> {
    let mut buffer = Vec::new();
    read_into(path, max, &mut buffer)?;
    Ok(buffer)
}

/// Reads a file whole into `buffer` (reused from file to file), refusing
/// files over the size limit.
fn read_into(path: &Path, max: u64, buffer: &mut Vec<u8>) -> Result<(), Diagnostic> {
    use std::io::Read;
    let f = fs::File::open(path).map_err(|e| io_error(path, &e))?;
    let len = f.metadata().map_err(|e| io_error(path, &e))?.len();
    let too_large = |len: u64| {
        Diagnostic::error(
            "file-too-large",
            file_origin(path),
            format!(
                "the file is {len} bytes, over the limit of {max}; split it into several files"
            ),
        )
    };
    if len > max {
        return Err(too_large(len));
    }
    buffer.clear();
    // `take` keeps a file that grows while it is read within the limit.
    f.take(max + 1)
        .read_to_end(buffer)
        .map_err(|e| io_error(path, &e))?;
    if buffer.len() as u64 > max {
        return Err(too_large(buffer.len() as u64));
    }
    Ok(())
}

/// What a loader thread keeps between files: the JSON arena and the buffer
/// the file is read into, so their memory is mapped once.
#[derive(Debug, Default)]
struct Scratch {
    arena: Bump,
    buffer: Vec<u8>,
}

fn parse_file(path: &Path, options: &LoadOptions, scratch: &mut Scratch) -> ParsedPathway {
    match read_into(path, options.max_file_bytes, &mut scratch.buffer) {
        Ok(()) => parse_pathway_in(
            &path.display().to_string(),
            &scratch.buffer,
            options,
            &mut scratch.arena,
        ),
        Err(d) => ParsedPathway {
            document: None,
            diagnostics: vec![d],
            signature: SignatureStatus::Unsigned,
            dropped: Vec::new(),
        },
    }
}

/// Parses `files` on up to one thread per core, results in order.
fn parse_all(files: &[PathBuf], options: &LoadOptions) -> Vec<ParsedPathway> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(files.len())
        .max(1);
    if threads == 1 {
        let mut scratch = Scratch::default();
        return files
            .iter()
            .map(|f| parse_file(f, options, &mut scratch))
            .collect();
    }
    let mut slots: Vec<Option<ParsedPathway>> = (0..files.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    let mut scratch = Scratch::default();
                    (t..files.len())
                        .step_by(threads)
                        .map(|i| (i, parse_file(&files[i], options, &mut scratch)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            // A panic in a parser thread would be a bug; the file is then
            // reported as unreadable rather than taking the program down.
            if let Ok(results) = h.join() {
                for (i, r) in results {
                    slots[i] = Some(r);
                }
            }
        }
    });
    slots
        .into_iter()
        .zip(files)
        .map(|(s, f)| {
            s.unwrap_or_else(|| ParsedPathway {
                document: None,
                diagnostics: vec![Diagnostic::error(
                    "internal-error",
                    file_origin(f),
                    "Stackpath failed while reading this file; please report it with the file attached",
                )],
                signature: SignatureStatus::Unsigned,
                dropped: Vec::new(),
            })
        })
        .collect()
}

/// Loads every pathway file that `paths` name into one catalog.
pub fn load(paths: &[PathBuf], options: &LoadOptions) -> Loaded {
    let (files, mut diagnostics) = find_pathway_files(paths);
    let parsed = parse_all(&files, options);
    let mut reports = Vec::with_capacity(files.len());
    let mut documents: Vec<PathwayDocument> = Vec::with_capacity(files.len());
    let mut dropped = Vec::new();
    for (path, p) in files.iter().zip(parsed) {
        reports.push(FileReport {
            file: Arc::from(path.display().to_string()),
            kind: FileKind::Pathway,
            publisher: p.document.as_ref().map(|d| d.publisher.id.clone()),
            loaded: p.document.is_some(),
            credentials: p.document.as_ref().map_or(0, |d| d.credentials.len()),
            equivalences: p.document.as_ref().map_or(0, |d| d.equivalences.len()),
            signature: p.signature,
            errors: 0,
            warnings: 0,
        });
        diagnostics.extend(p.diagnostics);
        documents.extend(p.document);
        dropped.extend(p.dropped);
    }
    let build = BuildOptions {
        suggest: options.suggest,
    };
    let (catalog, catalog_diags) = Catalog::build_with(documents, &build);
    let dropped: HashMap<_, _> = dropped.into_iter().collect();
    diagnostics.extend(
        catalog_diags
            .into_iter()
            .map(|d| explain_dropped_reference(d, &dropped)),
    );
    finish(&mut diagnostics, &mut reports);
    Loaded {
        catalog,
        diagnostics,
        files: reports,
    }
}

/// A reference to a credential that a file defines but that was left out
/// because of errors is explained as such, not as an unknown id with a
/// did-you-mean that would point the publisher elsewhere.
fn explain_dropped_reference(d: Diagnostic, dropped: &HashMap<CredentialId, Origin>) -> Diagnostic {
    if d.code != "unknown-credential" || dropped.is_empty() {
        return d;
    }
    let id = d
        .message
        .strip_prefix("no loaded file defines \"")
        .and_then(|rest| rest.split('"').next())
        .and_then(|s| CredentialId::parse(s).ok());
    match id.as_ref().and_then(|id| dropped.get(id).map(|at| (id, at))) {
        Some((id, at)) => Diagnostic::warning(
            "unknown-credential",
            d.at,
            format!("\"{id}\" is not loaded because of the errors in its definition at {at}; fix those and this reference will resolve"),
        ),
        None => d,
    }
}

/// Sorts diagnostics by file, line and column (stable: problems at one place
/// keep the order they were found in) and counts them per file.
fn finish(diagnostics: &mut [Diagnostic], reports: &mut [FileReport]) {
    diagnostics.sort_by(|a, b| a.at.cmp(&b.at));
    let mut by_file: HashMap<&str, (usize, usize)> = HashMap::new();
    for d in diagnostics.iter() {
        let e = by_file.entry(&d.at.file).or_default();
        if d.is_error() {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }
    for r in reports.iter_mut() {
        if let Some(&(errors, warnings)) = by_file.get(&*r.file) {
            r.errors = errors;
            r.warnings = warnings;
        }
    }
}

/// Reads a learner file.
pub fn load_learner(path: &Path) -> (Option<Learner>, Vec<Diagnostic>) {
    match read(path, limits::FILE_BYTES) {
        Ok(bytes) => parse_learner(&path.display().to_string(), &bytes),
        Err(d) => (None, vec![d]),
    }
}

/// The outcome of `stackpath check`.
#[derive(Debug)]
pub struct Checked {
    pub loaded: Loaded,
    /// Learner files named explicitly, checked on their own.
    pub learners: Vec<(PathBuf, Option<Learner>)>,
    /// 0 valid (warnings allowed), 1 errors found, 2 unusable arguments (a
    /// path that does not exist, or nothing to check).
    pub exit_code: i32,
}

/// `stackpath check PATH...`: loads every pathway file the paths name into
/// one catalog (so references between files are checked), and checks any
/// learner file (`*.learner.json`) named explicitly.
pub fn check(paths: &[PathBuf], options: &LoadOptions) -> Checked {
    let is_learner = |p: &PathBuf| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with(".learner.json"))
            && !p.is_dir()
    };
    let (learner_paths, pathway_paths): (Vec<PathBuf>, Vec<PathBuf>) =
        paths.iter().cloned().partition(is_learner);
    let mut loaded = load(&pathway_paths, options);
    let mut learners = Vec::new();
    for path in learner_paths {
        let (learner, diags) = if path.exists() {
            load_learner(&path)
        } else {
            (
                None,
                vec![Diagnostic::error(
                    "no-such-path",
                    file_origin(&path),
                    "no such file or folder; check the path",
                )],
            )
        };
        loaded.files.push(FileReport {
            file: Arc::from(path.display().to_string()),
            kind: FileKind::Learner,
            publisher: None,
            loaded: learner.is_some(),
            credentials: 0,
            equivalences: 0,
            signature: SignatureStatus::Unsigned,
            errors: 0,
            warnings: 0,
        });
        loaded.diagnostics.extend(diags);
        learners.push((path, learner));
    }
    let missing = loaded.diagnostics.iter().any(|d| d.code == "no-such-path");
    if loaded.files.is_empty() && !missing {
        let named = paths
            .first()
            .map(|p| file_origin(p))
            .unwrap_or_else(|| Origin::new(Arc::from("."), 0, 0));
        loaded.diagnostics.push(Diagnostic::error(
            "nothing-to-check",
            named,
            "no *.pathway.json file here; name a pathway or learner file, or a folder that contains pathway files",
        ));
    }
    finish(&mut loaded.diagnostics, &mut loaded.files);
    let unusable = missing || loaded.files.is_empty();
    let exit_code = if unusable {
        2
    } else if loaded.error_count() > 0 {
        1
    } else {
        0
    };
    Checked {
        loaded,
        learners,
        exit_code,
    }
}
