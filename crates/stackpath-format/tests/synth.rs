//! The synthetic catalogs of `stackpath-synth`, read back through this
//! crate: deterministic, valid, using every construct, and large enough to
//! take the catalog's parallel path.

use stackpath_format::parse_pathway;
use stackpath_model::{Catalog, RequirementKind, Starts};
use stackpath_synth::{generate, generate_catalog, SynthConfig};

fn config() -> SynthConfig {
    SynthConfig {
        soft_cycles: Some(3),
        ..SynthConfig::new(12_000, 7)
    }
}

#[test]
fn the_same_config_gives_the_same_files_and_another_seed_others() {
    let a = generate(&SynthConfig::new(2_000, 1));
    assert_eq!(a, generate(&SynthConfig::new(2_000, 1)));
    assert_ne!(a, generate(&SynthConfig::new(2_000, 2)));
}

#[test]
fn a_synthetic_catalog_reads_back_clean_with_only_its_soft_cycles() {
    let files = generate(&config());
    assert!(files.len() >= 4);
    let mut docs = Vec::new();
    for (name, text) in &files {
        let (doc, diags) = parse_pathway(name, text.as_bytes());
        assert!(diags.is_empty(), "{name}: {diags:?}");
        docs.push(doc.expect("document"));
    }
    let (catalog, diags) = Catalog::build(docs);
    assert_eq!(catalog.credentials().len(), 12_000);
    let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["soft-cycle"; 3], "{diags:#?}");

    // Every construct of the format is used.
    let creds = catalog.credentials();
    let mut seen = std::collections::BTreeSet::new();
    for c in creds {
        for r in c.requires.iter().chain(c.recommended.iter()) {
            r.visit(&mut |n| {
                seen.insert(match &n.kind {
                    RequirementKind::Credential(_) => "id",
                    RequirementKind::All(_) => "all",
                    RequirementKind::Any(_) => "any",
                    RequirementKind::AtLeast { .. } => "at_least",
                    RequirementKind::Credits {
                        from, from_tags, ..
                    } => {
                        if from.is_empty() {
                            "from_tags"
                        } else {
                            assert!(from_tags.is_empty() || !from.is_empty());
                            "from"
                        }
                    }
                });
                if n.shared {
                    seen.insert("shared");
                }
            });
        }
        if matches!(c.starts, Starts::Months(_)) {
            seen.insert("months");
        }
        if matches!(c.starts, Starts::Dates(_)) {
            seen.insert("dates");
        }
        if c.duration_weeks.is_some() {
            seen.insert("fixed pace");
        } else {
            seen.insert("self-paced");
        }
        if c.valid_for_months.is_some() {
            seen.insert("expiry");
        }
        if c.cost.is_some() {
            seen.insert("cost");
        }
        if !c.earnable {
            seen.insert("not earnable");
        }
        if c.recommended.is_some() {
            seen.insert("recommended");
        }
    }
    if !catalog.equivalences().is_empty() {
        seen.insert("equivalences");
    }
    for construct in [
        "id",
        "all",
        "any",
        "at_least",
        "from",
        "from_tags",
        "shared",
        "months",
        "dates",
        "fixed pace",
        "self-paced",
        "expiry",
        "cost",
        "not earnable",
        "recommended",
        "equivalences",
    ] {
        assert!(
            seen.contains(construct),
            "no {construct} in the synthetic catalog"
        );
    }
    // Fixed-pace items never need more than 8 hours a week.
    for c in creds {
        if let Some(w) = c.duration_weeks.filter(|w| *w > 0.0) {
            assert!(c.effort_hours / w <= 8.0, "{}", c.id);
        }
    }
}

#[test]
fn the_targets_are_defined_program_awards() {
    let synthetic = generate_catalog(&config());
    assert!(!synthetic.targets.is_empty());
    let (catalog, _) = Catalog::build(synthetic.documents.clone());
    for t in &synthetic.targets {
        let c = catalog
            .get(t)
            .unwrap_or_else(|| panic!("{t} is not defined"));
        assert!(c.kind.is_award(), "{t} is a {:?}", c.kind);
        assert!(c.requires.is_some(), "{t} requires nothing");
    }
}
