//! Stackpath's two file formats, pathway files (`*.pathway.json`) and
//! learner files (`*.learner.json`): reading them strictly with every
//! problem tied to a file, line and column, writing them back, verifying
//! their signatures, and the reports of `stackpath check`.
//!
//! The contract is `spec/pathway-format.md`; `pathways/FORMAT.md` documents
//! every field and every decision taken where the contract is silent.
//!
//! **Architecture invariant:** this crate is the only place that knows the
//! files are JSON. It builds the domain types of `stackpath-model` and hands
//! them to [`Catalog::build`]; it never plans.

pub mod jcs;
pub mod json;
mod learner;
mod load;
mod pathway;
mod read;
mod report;
mod signature;
mod write;

pub use load::{
    check, find_pathway_files, load, load_learner, Checked, FileKind, FileReport, LoadOptions,
    Loaded,
};
pub use pathway::{LEARNER_FORMAT, PATHWAY_FORMAT};
pub use report::{render_check_json, render_check_text, summary_line};
pub use signature::{public_key_of, sign_pathway, SignatureStatus, TrustedKey};
pub use write::{write_learner, write_pathway};

use stackpath_model::{Diagnostic, Learner, PathwayDocument};

/// Limits that keep a hostile or broken file from exhausting memory or
/// time. Each is far above what a real catalog needs.
pub mod limits {
    /// Largest file read, in bytes.
    pub const FILE_BYTES: u64 = 64 * 1024 * 1024;
    /// Titles and names, in characters.
    pub const TITLE: usize = 500;
    /// Descriptions, in characters.
    pub const DESCRIPTION: usize = 20_000;
    /// Other short strings (versions, units, labels of levels, sources).
    pub const SHORT: usize = 500;
    pub const URL: usize = 2_048;
    /// Equivalence notes.
    pub const NOTE: usize = 2_000;
    /// Credentials or equivalences in one file; holdings in a learner file.
    pub const CREDENTIALS: usize = 200_000;
    /// Entries of one requirement list, credit pool or date list.
    pub const LIST: usize = 10_000;
    /// Tags or skills of one credential.
    pub const TAGS: usize = 1_000;
    /// Credit entries or start months of one credential.
    pub const SMALL_LIST: usize = 100;
    /// Nesting of requirement expressions (the spec's limit).
    pub const REQUIREMENT_DEPTH: usize = 32;
    /// Nesting of JSON lists and objects.
    pub const JSON_DEPTH: usize = crate::json::MAX_DEPTH;
}

/// One pathway file parsed on its own, with what its signature says.
#[derive(Debug, Clone)]
pub struct ParsedPathway {
    pub document: Option<PathwayDocument>,
    pub diagnostics: Vec<Diagnostic>,
    pub signature: SignatureStatus,
    /// Credentials the file defines but that were left out because of
    /// errors in them, with where they are defined.
    pub dropped: Vec<(stackpath_model::CredentialId, stackpath_model::Origin)>,
}

/// Parses one pathway file, untrusted keys and tampered files refused. See
/// [`parse_pathway_with`].
pub fn parse_pathway(file: &str, text: &[u8]) -> (Option<PathwayDocument>, Vec<Diagnostic>) {
    let p = parse_pathway_with(file, text, &LoadOptions::default());
    (p.document, p.diagnostics)
}

/// Parses one pathway file. `file` is how diagnostics name it. The document
/// is `None` when the file cannot be used at all; otherwise it holds every
/// credential and equivalence without errors (the others are reported and
/// left out). Catalog-wide checks (duplicates, references, cycles) are
/// [`Catalog::build`]'s.
pub fn parse_pathway_with(file: &str, text: &[u8], options: &LoadOptions) -> ParsedPathway {
    parse_pathway_in(file, text, options, &mut bumpalo::Bump::new())
}

/// [`parse_pathway_with`] with the JSON tree in `arena`, which is reset
/// first: a loader reuses one arena per thread for all its files, so their
/// memory is mapped once.
pub(crate) fn parse_pathway_in(
    file: &str,
    text: &[u8],
    options: &LoadOptions,
    arena: &mut bumpalo::Bump,
) -> ParsedPathway {
    arena.reset();
    let arena = &*arena;
    let mut ctx = read::Ctx::new(file);
    let mut status = SignatureStatus::Unsigned;
    let document = match read_json(&mut ctx, text, arena) {
        None => None,
        Some(doc) => {
            let mut parsed = pathway::document(&mut ctx, &doc.root);
            if let (Some(d), Some(member)) = (&parsed, doc.root.get("signature")) {
                let verdict = match &d.signature {
                    Some(sig) => {
                        signature::verify(&doc.root, sig, &d.publisher.id, &options.trusted_keys)
                    }
                    None => Err("the signature cannot be read".to_string()),
                };
                match verdict {
                    Ok(s) => status = s,
                    Err(why) => {
                        status = SignatureStatus::Tampered;
                        let publisher = d.publisher.id.clone();
                        if options.allow_tampered {
                            ctx.warning(
                                "tampered",
                                member.key_pos,
                                format!("{why}: the file was changed after \"{publisher}\" signed it, or the signature is damaged; it is loaded anyway because you allowed tampered files"),
                            );
                        } else {
                            ctx.error(
                                "tampered",
                                member.key_pos,
                                format!("{why}: the file was changed after \"{publisher}\" signed it, or the signature is damaged, so it is refused; get a fresh copy from the publisher, or allow tampered files to load it anyway"),
                            );
                            parsed = None;
                        }
                    }
                }
            }
            parsed
        }
    };
    ParsedPathway {
        document,
        diagnostics: ctx.diags,
        signature: status,
        dropped: ctx.dropped,
    }
}

/// Parses one learner file. Any error means no learner (see
/// `pathways/FORMAT.md`): a plan for half a learner would be wrong.
pub fn parse_learner(file: &str, text: &[u8]) -> (Option<Learner>, Vec<Diagnostic>) {
    let mut ctx = read::Ctx::new(file);
    let arena = bumpalo::Bump::new();
    let learner =
        read_json(&mut ctx, text, &arena).and_then(|doc| learner::learner(&mut ctx, &doc.root));
    (learner, ctx.diags)
}

/// The JSON document of `text`, or `None` with its syntax error reported;
/// a byte order mark is warned about.
fn read_json<'a>(
    ctx: &mut read::Ctx,
    text: &'a [u8],
    arena: &'a bumpalo::Bump,
) -> Option<json::Document<'a>> {
    let doc = match json::parse(text, arena) {
        Ok(doc) => doc,
        Err(e) => {
            ctx.error(e.code, e.pos, e.message);
            return None;
        }
    };
    if doc.bom {
        bom_warning(ctx);
    }
    Some(doc)
}

fn bom_warning(ctx: &mut read::Ctx) {
    ctx.warning(
        "byte-order-mark",
        json::Pos {
            line: 1,
            column: 1,
            offset: 0,
        },
        "the file starts with a UTF-8 byte order mark, which JSON does not use; it is ignored, but save the file as UTF-8 without BOM",
    );
}
