//! Round trips: load → write → load gives an equal model, for every bundled
//! file and for generated documents, and writing is stable.

mod support;

use std::sync::Arc;

use proptest::prelude::*;
use stackpath_format::{parse_learner, parse_pathway, write_learner, write_pathway};
use stackpath_model::{
    Constraints, Credential, CredentialId, Credits, Date, Equivalence, Holding, Kind, Learner,
    Level, Money, Origin, PathwayDocument, Publisher, PublisherId, Requirement, RequirementKind,
    Starts, Tag,
};

fn reparse(doc: &PathwayDocument) -> PathwayDocument {
    let text = write_pathway(doc);
    let (again, diags) = parse_pathway("again.pathway.json", text.as_bytes());
    assert!(
        diags.iter().all(|d| !d.is_error()),
        "written text does not read back: {diags:?}\n{text}"
    );
    again.expect("document")
}

#[test]
fn every_bundled_pathway_file_round_trips() {
    let files = support::bundled(".pathway.json");
    for p in &files {
        let text = std::fs::read(p).expect("readable");
        let (doc, _) = parse_pathway(&p.display().to_string(), &text);
        let doc = doc.expect("bundled files read");
        let again = reparse(&doc);
        assert_eq!(
            support::strip(doc.clone()),
            support::strip(again.clone()),
            "{}",
            p.display()
        );
        assert_eq!(
            write_pathway(&doc),
            write_pathway(&again),
            "writing is stable"
        );
    }
}

#[test]
fn every_bundled_learner_file_round_trips() {
    for p in support::bundled(".learner.json") {
        let text = std::fs::read(&p).expect("readable");
        let (learner, diags) = parse_learner(&p.display().to_string(), &text);
        let learner = learner.unwrap_or_else(|| panic!("{}: {diags:?}", p.display()));
        let written = write_learner(&learner);
        let (again, diags) = parse_learner("again.learner.json", written.as_bytes());
        assert_eq!(
            Some(&learner),
            again.as_ref(),
            "{}: {diags:?}\n{written}",
            p.display()
        );
    }
}

#[test]
fn ids_are_written_relative_to_the_publisher() {
    let p = PublisherId::parse("ccc").expect("valid");
    let o = Origin::synthetic("t");
    let mut c = Credential::new(
        CredentialId::parse("ccc:cs-101").expect("id"),
        "A",
        Kind::Course,
        o.clone(),
    );
    c.requires = Some(Requirement::new(
        RequirementKind::Any(vec![
            Requirement::credential(CredentialId::parse("ccc:cs-100").expect("id"), o.clone()),
            Requirement::credential(CredentialId::parse("uni:cs-1").expect("id"), o.clone()),
        ]),
        o.clone(),
    ));
    c.tags = vec![
        Tag::parse_in("core", &p).expect("tag"),
        Tag::parse_in("uni:x", &p).expect("tag"),
    ];
    let doc = PathwayDocument {
        file: Arc::from("t"),
        publisher: Publisher {
            id: p,
            name: "C".into(),
            url: None,
        },
        title: "T".into(),
        description: None,
        version: None,
        published: None,
        credentials: vec![c],
        equivalences: vec![],
        signature: None,
    };
    let text = write_pathway(&doc);
    assert!(text.contains(r#""id": "cs-101""#), "{text}");
    assert!(
        text.contains(r#""requires": { "any": ["cs-100", "uni:cs-1"] }"#),
        "{text}"
    );
    assert!(text.contains(r#""tags": ["core", "uni:x"]"#), "{text}");
}

// ---- generated documents -------------------------------------------------

fn local() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9._-]{0,12}"
}

fn text() -> impl Strategy<Value = String> {
    // Printable text with quotes, backslashes, controls and non-ASCII, so
    // escaping is exercised; never blank.
    r#"[A-Za-zé€😀][A-Za-z0-9 "\\\t\n/é€😀]{0,30}"#
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        (0u32..10_000).prop_map(f64::from),
        (0.0f64..1e6),
        Just(0.1),
        Just(1e-7),
        Just(123456789.125),
    ]
}

fn id_in(publishers: Vec<String>) -> impl Strategy<Value = CredentialId> {
    (prop::sample::select(publishers), local())
        .prop_map(|(p, l)| CredentialId::parse(&format!("{p}:{l}")).expect("valid"))
}

fn requirement(publishers: Vec<String>) -> impl Strategy<Value = Requirement> {
    let o = Origin::synthetic("g");
    let leaf_o = o.clone();
    let leaf = prop_oneof![
        id_in(publishers.clone()).prop_map(move |id| Requirement::credential(id, leaf_o.clone())),
        (
            1u32..100,
            prop::sample::select(vec!["ECTS", "US-SCH", "CEU"]),
            prop::collection::vec(id_in(publishers.clone()), 0..3),
            prop::collection::vec(
                (prop::sample::select(publishers.clone()), local()).prop_map(|(p, l)| {
                    Tag::parse_in(&format!("{p}:{l}"), &PublisherId::parse("x").expect("p"))
                        .expect("tag")
                }),
                0..3
            ),
            any::<bool>(),
        )
            .prop_filter("a pool draws on something", |(_, _, f, t, _)| !f.is_empty()
                || !t.is_empty())
            .prop_map({
                let o = o.clone();
                move |(n, unit, from, from_tags, shared)| Requirement {
                    kind: RequirementKind::Credits {
                        credits: f64::from(n) / 2.0,
                        unit: unit.into(),
                        from,
                        from_tags,
                    },
                    label: None,
                    shared,
                    origin: o.clone(),
                }
            }),
    ];
    leaf.prop_recursive(4, 24, 4, move |inner| {
        let o = o.clone();
        (
            0u8..3,
            prop::collection::vec(inner, 1..4),
            prop::option::of(text()),
            any::<bool>(),
            any::<prop::sample::Index>(),
        )
            .prop_map(move |(form, children, label, shared, k)| {
                let kind = match form {
                    0 => RequirementKind::All(children),
                    1 => RequirementKind::Any(children),
                    _ => RequirementKind::AtLeast {
                        k: 1 + k.index(children.len()) as u32,
                        of: children,
                    },
                };
                Requirement {
                    kind,
                    label,
                    shared,
                    origin: o.clone(),
                }
            })
    })
}

fn credential(publisher: String, others: Vec<String>) -> impl Strategy<Value = Credential> {
    let mut all = others;
    all.push(publisher.clone());
    let p = PublisherId::parse(&publisher).expect("valid");
    (
        (local(), text(), prop::sample::select(Kind::ALL.to_vec())),
        (prop::option::of(text()), prop::option::of(text())),
        prop::collection::btree_set(local(), 0..3),
        prop::option::of((
            text(),
            prop_oneof![(1u32..9).prop_map(|n| n.to_string()), text()],
        )),
        prop::collection::vec(
            (
                number(),
                prop::sample::select(vec!["ECTS", "US-SCH", "my unit"]),
            ),
            0..3,
        ),
        prop::option::of((number(), "[A-Z]{3}")),
        (
            number(),
            prop::option::of(number()),
            prop::option::of(1u32..240),
        ),
        prop_oneof![
            Just(Starts::Anytime),
            prop::collection::btree_set(1u32..=12, 1..4)
                .prop_map(|m| Starts::Months(m.into_iter().collect())),
            prop::collection::btree_set(0u64..4000, 1..4).prop_map(|d| Starts::Dates(
                d.into_iter()
                    .filter_map(|x| Date::from_ymd_opt(2026, 1, 1)
                        .and_then(|b| b.checked_add_days(chrono::Days::new(x))))
                    .collect()
            )),
        ],
        prop::collection::vec(text(), 0..3),
        (
            prop::option::of(requirement(all.clone())),
            prop::option::of(requirement(all)),
            any::<bool>(),
        ),
    )
        .prop_map(
            move |(
                head,
                (description, url),
                tags,
                level,
                credits,
                cost,
                (effort, duration, valid),
                starts,
                skills,
                (requires, recommended, earnable),
            )| {
                let (l, title, kind) = head;
                let mut c = Credential::new(
                    CredentialId::parse_in(&l, &p).expect("id"),
                    title,
                    kind,
                    Origin::synthetic("g"),
                );
                c.description = description;
                c.url = url;
                c.tags = tags
                    .iter()
                    .map(|t| Tag::parse_in(t, &p).expect("tag"))
                    .collect();
                c.level = level.map(|(framework, value)| Level { framework, value });
                c.credits = credits
                    .into_iter()
                    .map(|(value, unit)| Credits {
                        value,
                        unit: unit.into(),
                    })
                    .collect();
                c.cost = cost.map(|(amount, currency)| Money { amount, currency });
                c.effort_hours = effort;
                c.duration_weeks = duration;
                c.valid_for_months = valid;
                c.starts = starts;
                c.skills = skills;
                c.requires = requires;
                c.recommended = recommended;
                c.earnable = earnable;
                c
            },
        )
}

fn document() -> impl Strategy<Value = PathwayDocument> {
    (
        "[a-z][a-z0-9-]{0,8}",
        prop::collection::vec("[a-z][a-z0-9-]{0,8}", 1..3),
    )
        .prop_flat_map(|(publisher, others)| {
            let p = PublisherId::parse(&publisher).expect("valid");
            let mut all = others.clone();
            all.push(publisher.clone());
            (
                prop::collection::vec(credential(publisher.clone(), others.clone()), 0..5),
                prop::collection::vec((local(), requirement(all), prop::option::of(text())), 0..3),
                (
                    text(),
                    text(),
                    prop::option::of(text()),
                    prop::option::of(text()),
                    prop::option::of(0u64..5000),
                ),
            )
                .prop_map(
                    move |(credentials, eqs, (name, title, description, version, published))| {
                        PathwayDocument {
                            file: Arc::from("g"),
                            publisher: Publisher {
                                id: p.clone(),
                                name,
                                url: None,
                            },
                            title,
                            description,
                            version,
                            published: published.and_then(|d| {
                                Date::from_ymd_opt(2020, 1, 1)
                                    .and_then(|b| b.checked_add_days(chrono::Days::new(d)))
                            }),
                            credentials,
                            equivalences: eqs
                                .into_iter()
                                .map(|(l, when, note)| Equivalence {
                                    grants: CredentialId::parse_in(&l, &p).expect("id"),
                                    when,
                                    note,
                                    origin: Origin::synthetic("g"),
                                })
                                .collect(),
                            signature: None,
                        }
                    },
                )
        })
}

fn learner() -> impl Strategy<Value = Learner> {
    fn id() -> impl Strategy<Value = CredentialId> {
        ("[a-z][a-z0-9-]{0,8}", local())
            .prop_map(|(p, l)| CredentialId::parse(&format!("{p}:{l}")).expect("id"))
    }
    (
        prop_oneof![Just(String::new()), text()],
        prop::collection::vec((id(), 0u64..10_000, prop::option::of(text())), 0..4),
        prop::option::of(id()),
        prop::option::of(0u64..10_000),
        prop::option::of(1u32..168),
        prop::option::of((number(), "[A-Z]{3}")),
        prop::collection::vec(id(), 0..3),
    )
        .prop_map(|(name, holdings, target, start, hours, budget, avoid)| {
            let day = |d: u64| {
                Date::from_ymd_opt(2000, 1, 1)
                    .and_then(|b| b.checked_add_days(chrono::Days::new(d)))
                    .expect("date")
            };
            Learner {
                name,
                holdings: holdings
                    .into_iter()
                    .map(|(id, d, source)| Holding {
                        id,
                        earned: day(d),
                        source,
                    })
                    .collect(),
                target,
                constraints: Constraints {
                    start: start.map(day),
                    hours_per_week: hours.map(f64::from),
                    budget: budget.map(|(amount, currency)| Money { amount, currency }),
                    avoid,
                },
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn generated_documents_round_trip(doc in document()) {
        let mut expected = doc.clone();
        // The reader keeps tags sorted and unique.
        for c in &mut expected.credentials {
            c.tags.sort();
            c.tags.dedup();
        }
        let again = reparse(&doc);
        prop_assert_eq!(support::strip(expected), support::strip(again));
    }

    #[test]
    fn generated_learners_round_trip(l in learner()) {
        let text = write_learner(&l);
        let (again, diags) = parse_learner("g.learner.json", text.as_bytes());
        prop_assert_eq!(Some(l), again, "{:?}\n{}", diags, text);
    }
}
