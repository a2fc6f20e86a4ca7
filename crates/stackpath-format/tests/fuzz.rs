//! Property tests: no input makes the readers panic, and every input gives
//! either a usable document or at least one error, with every diagnostic
//! positioned inside the file.

mod support;

use proptest::prelude::*;
use stackpath_format::{parse_learner, parse_pathway};

fn check_pathway(text: &[u8]) {
    let (doc, diags) = parse_pathway("fuzz.pathway.json", text);
    support::assert_positions_inside(text, &diags);
    if doc.is_none() {
        assert!(
            diags.iter().any(|d| d.is_error()),
            "no document and no error"
        );
    }
}

fn check_learner(text: &[u8]) {
    let (learner, diags) = parse_learner("fuzz.learner.json", text);
    support::assert_positions_inside(text, &diags);
    assert_eq!(learner.is_none(), diags.iter().any(|d| d.is_error()));
}

fn corpus() -> Vec<Vec<u8>> {
    let mut files = support::bundled(".pathway.json");
    files.extend(support::bundled(".learner.json"));
    let mut out: Vec<Vec<u8>> = files.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    // A small file of our own, so the test means something before the
    // bundled catalog exists.
    out.push(
        br#"{ "format": "stackpath.pathway/1", "publisher": { "id": "ccc", "name": "C" }, "title": "T",
  "credentials": [ { "id": "a", "title": "A", "kind": "course", "starts": { "months": [1] } },
    { "id": "b", "title": "B", "kind": "diploma", "requires": { "all": ["a", { "credits": 3, "unit": "ECTS", "from_tags": ["x"] }] } } ],
  "equivalences": [ { "grants": "a", "when": { "at_least": 1, "of": ["u:z"] } } ] }"#
            .to_vec(),
    );
    out
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, bit: u8 },
    Delete { at: usize, len: usize },
    Insert { at: usize, bytes: Vec<u8> },
    Truncate { at: usize },
    Duplicate { at: usize, len: usize, to: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Mutation::Flip { at, bit }),
        (any::<usize>(), 1usize..40).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (
            any::<usize>(),
            prop::collection::vec(
                prop_oneof![
                    Just(b'"'),
                    Just(b'{'),
                    Just(b'}'),
                    Just(b'['),
                    Just(b']'),
                    Just(b','),
                    Just(b':'),
                    Just(b'\\'),
                    Just(b'\n'),
                    any::<u8>()
                ],
                1..8
            )
        )
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        (any::<usize>(), 1usize..200, any::<usize>())
            .prop_map(|(at, len, to)| Mutation::Duplicate { at, len, to }),
    ]
}

fn apply(mut text: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let n = text.len().max(1);
        match m {
            Mutation::Flip { at, bit } => {
                if !text.is_empty() {
                    text[at % n] ^= 1 << bit;
                }
            }
            Mutation::Delete { at, len } => {
                let start = at % n;
                let end = (start + len).min(text.len());
                if start < end {
                    text.drain(start..end);
                }
            }
            Mutation::Insert { at, bytes } => {
                let at = at % (text.len() + 1);
                text.splice(at..at, bytes.iter().copied());
            }
            Mutation::Truncate { at } => text.truncate(at % n),
            Mutation::Duplicate { at, len, to } => {
                let start = at % n;
                let end = (start + len).min(text.len());
                if start < end {
                    let span = text[start..end].to_vec();
                    let to = to % (text.len() + 1);
                    text.splice(to..to, span);
                }
            }
        }
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check_pathway(&bytes);
        check_learner(&bytes);
    }

    #[test]
    fn random_json_like_text_never_panics(text in r#"[\{\}\[\]",:0-9a-z\\ \n.eE+-]{0,300}"#) {
        check_pathway(text.as_bytes());
        check_learner(text.as_bytes());
    }

    #[test]
    fn mutated_bundled_files_give_a_document_or_positioned_errors(
        pick in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let corpus = corpus();
        let original = pick.get(&corpus).clone();
        let text = apply(original, &mutations);
        check_pathway(&text);
        check_learner(&text);
    }
}

#[test]
fn every_bundled_file_reads_cleanly() {
    for p in support::bundled(".pathway.json") {
        let text = std::fs::read(&p).expect("readable");
        let (doc, diags) = parse_pathway(&p.display().to_string(), &text);
        assert!(doc.is_some(), "{}: {diags:?}", p.display());
        assert!(
            diags.iter().all(|d| !d.is_error()),
            "{}: {diags:?}",
            p.display()
        );
    }
    for p in support::bundled(".learner.json") {
        let text = std::fs::read(&p).expect("readable");
        let (learner, diags) = parse_learner(&p.display().to_string(), &text);
        assert!(learner.is_some(), "{}: {diags:?}", p.display());
    }
}
