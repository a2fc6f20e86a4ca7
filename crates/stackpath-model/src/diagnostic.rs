//! Problems found in pathway and learner files, each tied to the place in the
//! file a publisher has to edit.

use std::fmt;
use std::sync::Arc;

/// A position in a source file: the file as the user named it, and a 1-based
/// line and column (columns count characters, not bytes).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Origin {
    pub file: Arc<str>,
    pub line: u32,
    pub column: u32,
}

impl Origin {
    pub fn new(file: Arc<str>, line: u32, column: u32) -> Self {
        Origin { file, line, column }
    }

    /// A position for things that do not come from a file (command-line
    /// flags, values built in tests).
    pub fn synthetic(what: &str) -> Self {
        Origin {
            file: Arc::from(what),
            line: 0,
            column: 0,
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem. `message` says what is wrong and how to fix it, in one line.
/// `code` is a stable, machine-readable kind (`unknown-field`, `hard-cycle`, ...)
/// for publishers' CI and for tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    pub at: Origin,
    pub message: String,
}

impl Diagnostic {
    pub fn error(code: &'static str, at: Origin, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            at,
            message: message.into(),
        }
    }

    pub fn warning(code: &'static str, at: Origin, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code,
            at,
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The `FILE:LINE:COL: error|warning: message` line of `stackpath check`;
/// a problem with a whole file (it cannot be read) has no line and reads
/// `FILE: error: message`.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.at.line == 0 {
            write!(f, "{}: ", self.at.file)?;
        } else {
            write!(f, "{}: ", self.at)?;
        }
        write!(f, "{}: {}", self.severity.as_str(), self.message)
    }
}
