//! The reports of `stackpath check`: text lines for people and editors, and
//! one JSON document for publishers' CI.

use stackpath_model::Diagnostic;

use crate::jcs::write_string;
use crate::load::FileReport;

/// One `FILE:LINE:COL: error|warning: message` line per diagnostic. A
/// problem with the file as a whole (it cannot be read, it is too large)
/// has no line and column and is written `FILE: error: message`.
pub fn render_check_text(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        if d.at.line == 0 {
            out.push_str(&format!(
                "{}: {}: {}\n",
                d.at.file,
                d.severity.as_str(),
                d.message
            ));
        } else {
            out.push_str(&format!("{d}\n"));
        }
    }
    out
}

/// The one-line summary the command line prints on standard error.
pub fn summary_line(files: &[FileReport], diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    format!(
        "checked {}: {}, {}",
        plural(files.len(), "file"),
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// The JSON report of `stackpath check --json`:
///
/// ```json
/// { "valid": false,
///   "counts": { "files": 2, "errors": 1, "warnings": 0 },
///   "files": [ { "file": "a.pathway.json", "kind": "pathway", "publisher": "ccc",
///                "loaded": true, "credentials": 12, "equivalences": 1,
///                "signature": "unsigned", "errors": 1, "warnings": 0 } ],
///   "diagnostics": [ { "file": "a.pathway.json", "line": 3, "column": 5,
///                      "severity": "error", "code": "unknown-kind", "message": "..." } ] }
/// ```
///
/// `line` and `column` are `null` for problems with a whole file. The text
/// has no final line break. The text
/// has no final line break.
pub fn render_check_json(files: &[FileReport], diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let mut out = String::new();
    out.push_str(&format!(
        "{{\n  \"valid\": {},\n  \"counts\": {{ \"files\": {}, \"errors\": {errors}, \"warnings\": {warnings} }},\n  \"files\": [",
        errors == 0,
        files.len()
    ));
    for (i, f) in files.iter().enumerate() {
        out.push_str(if i == 0 { "\n    " } else { ",\n    " });
        out.push_str("{ \"file\": ");
        write_string(&f.file, &mut out);
        out.push_str(&format!(
            ", \"kind\": \"{}\", \"publisher\": ",
            f.kind.as_str()
        ));
        match &f.publisher {
            Some(p) => write_string(p.as_str(), &mut out),
            None => out.push_str("null"),
        }
        out.push_str(&format!(
            ", \"loaded\": {}, \"credentials\": {}, \"equivalences\": {}, \"signature\": \"{}\", \"errors\": {}, \"warnings\": {} }}",
            f.loaded,
            f.credentials,
            f.equivalences,
            f.signature.as_str(),
            f.errors,
            f.warnings
        ));
    }
    out.push_str(if files.is_empty() { "],\n" } else { "\n  ],\n" });
    out.push_str("  \"diagnostics\": [");
    for (i, d) in diagnostics.iter().enumerate() {
        out.push_str(if i == 0 { "\n    " } else { ",\n    " });
        out.push_str("{ \"file\": ");
        write_string(&d.at.file, &mut out);
        if d.at.line == 0 {
            out.push_str(", \"line\": null, \"column\": null");
        } else {
            out.push_str(&format!(
                ", \"line\": {}, \"column\": {}",
                d.at.line, d.at.column
            ));
        }
        out.push_str(&format!(
            ", \"severity\": \"{}\", \"code\": \"{}\", \"message\": ",
            d.severity.as_str(),
            d.code
        ));
        write_string(&d.message, &mut out);
        out.push_str(" }");
    }
    out.push_str(if diagnostics.is_empty() {
        "]\n}"
    } else {
        "\n  ]\n}"
    });
    out
}
