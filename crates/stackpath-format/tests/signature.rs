//! Signed pathway files: verified, signed by an unknown key, unsigned and
//! tampered, with a key pair made from a fixed test seed (never a real key).

use stackpath_format::{
    parse_pathway_with, public_key_of, sign_pathway, LoadOptions, SignatureStatus, TrustedKey,
};

/// A test seed, for tests only.
const SEED: [u8; 32] = [42; 32];
const OTHER_SEED: [u8; 32] = [7; 32];

const DOC: &str = r#"{
  "format": "stackpath.pathway/1",
  "publisher": { "id": "ccc", "name": "Cascade Community College" },
  "title": "Signed catalog",
  "credentials": [
    { "id": "cs-101", "title": "Intro to CS", "kind": "course", "effort_hours": 40.50, "x-extra": "kept" }
  ]
}
"#;

fn trusting(seed: &[u8; 32]) -> LoadOptions {
    LoadOptions {
        trusted_keys: vec![TrustedKey::parse(&format!("ccc={}", public_key_of(seed))).expect("key")],
        ..LoadOptions::default()
    }
}

fn signed() -> String {
    sign_pathway(DOC.as_bytes(), &SEED).expect("signs")
}

#[test]
fn a_signature_by_a_trusted_key_is_verified() {
    let p = parse_pathway_with("a.pathway.json", signed().as_bytes(), &trusting(&SEED));
    assert_eq!(p.signature, SignatureStatus::Verified);
    assert!(p.document.is_some());
    assert!(
        p.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        p.diagnostics
    );
}

#[test]
fn a_valid_signature_by_another_key_is_unknown() {
    let p = parse_pathway_with(
        "a.pathway.json",
        signed().as_bytes(),
        &trusting(&OTHER_SEED),
    );
    assert_eq!(p.signature, SignatureStatus::UnknownKey);
    let p = parse_pathway_with(
        "a.pathway.json",
        signed().as_bytes(),
        &LoadOptions::default(),
    );
    assert_eq!(p.signature, SignatureStatus::UnknownKey);
    assert!(p.document.is_some());
}

#[test]
fn a_key_trusted_for_another_publisher_does_not_verify() {
    let options = LoadOptions {
        trusted_keys: vec![
            TrustedKey::parse(&format!("uni={}", public_key_of(&SEED))).expect("key")
        ],
        ..LoadOptions::default()
    };
    let p = parse_pathway_with("a.pathway.json", signed().as_bytes(), &options);
    assert_eq!(p.signature, SignatureStatus::UnknownKey);
}

#[test]
fn an_unsigned_file_is_unsigned() {
    let p = parse_pathway_with("a.pathway.json", DOC.as_bytes(), &trusting(&SEED));
    assert_eq!(p.signature, SignatureStatus::Unsigned);
    assert!(p.document.is_some());
}

#[test]
fn reformatting_and_reordering_keep_the_signature_valid() {
    // The signature is over the canonical form: layout, member order and
    // number spelling do not matter.
    let text = signed()
        .replace("40.50", "4.05e1")
        .replace("\n", "\n\n")
        .replace("  ", "\t");
    let p = parse_pathway_with("a.pathway.json", text.as_bytes(), &trusting(&SEED));
    assert_eq!(
        p.signature,
        SignatureStatus::Verified,
        "{:?}",
        p.diagnostics
    );
}

#[test]
fn any_change_to_the_content_is_tampering_and_refused() {
    for (from, to) in [
        ("Signed catalog", "Signed catalog (edited)"),
        ("40.5", "41"),
        ("\"kept\"", "\"changed\""),
        ("\"course\"", "\"module\""),
    ] {
        let text = signed().replacen(from, to, 1);
        assert_ne!(text, signed(), "{from} not found");
        let p = parse_pathway_with("a.pathway.json", text.as_bytes(), &trusting(&SEED));
        assert_eq!(p.signature, SignatureStatus::Tampered, "{from}");
        assert!(p.document.is_none(), "a tampered file is refused");
        assert!(p
            .diagnostics
            .iter()
            .any(|d| d.code == "tampered" && d.is_error()));
    }
}

#[test]
fn tampered_files_load_with_a_warning_when_allowed() {
    let text = signed().replacen("Signed catalog", "Edited", 1);
    let options = LoadOptions {
        allow_tampered: true,
        ..trusting(&SEED)
    };
    let p = parse_pathway_with("a.pathway.json", text.as_bytes(), &options);
    assert_eq!(p.signature, SignatureStatus::Tampered);
    assert!(p.document.is_some());
    let d = p
        .diagnostics
        .iter()
        .find(|d| d.code == "tampered")
        .expect("said so");
    assert!(!d.is_error());
}

#[test]
fn a_damaged_signature_is_tampered() {
    for damage in ["\"alg\": \"ed25519\"", "\"value\": \""] {
        let replacement = if damage.starts_with("\"alg\"") {
            "\"alg\": \"rsa\"".to_string()
        } else {
            format!("{damage}AAAA")
        };
        let text = signed().replacen(damage, &replacement, 1);
        let p = parse_pathway_with("a.pathway.json", text.as_bytes(), &trusting(&SEED));
        assert_eq!(p.signature, SignatureStatus::Tampered, "{damage}");
    }
}

/// The committed `tests/broken/tampered-signature.pathway.json` is a signed
/// file whose title was edited afterwards; `UPDATE_EXPECT=1` remakes it.
#[test]
fn the_tampered_fixture_is_a_signed_file_edited_afterwards() {
    let path = "tests/broken/tampered-signature.pathway.json";
    let text = signed().replacen("Signed catalog", "Signed catalog (edited)", 1);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(path, &text).expect("write fixture");
    }
    let on_disk = std::fs::read_to_string(path).expect("fixture exists");
    assert_eq!(on_disk, text);
    let original = on_disk.replacen("Signed catalog (edited)", "Signed catalog", 1);
    let p = parse_pathway_with(path, original.as_bytes(), &trusting(&SEED));
    assert_eq!(p.signature, SignatureStatus::Verified);
}
