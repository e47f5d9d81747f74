//! Data tables' TSV files: real Terra-style files parsed to the values they hold (golden
//! inputs), exported back to golden files, the refusals of malformed files, and — as a property —
//! export then import gives back the same table.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use carrel_core::entities::{
    apply_rows, columns_of, export_header, export_row, membership_tsv, parse_tsv,
    reads_back_as_text, Entity, EntityRef, TsvKind, Value,
};

fn golden(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/golden/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap_or_else(|e| panic!("golden file {name}: {e}"))
}

fn types(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

fn import(text: &str, known: &BTreeSet<String>, table: &mut BTreeMap<String, Entity>) {
    let (header, rows) = parse_tsv(text, known).unwrap_or_else(|p| panic!("{p:#?}"));
    apply_rows(&header, rows, table).unwrap_or_else(|p| panic!("{p:#?}"));
}

fn export(table: &BTreeMap<String, Entity>, entity_type: &str) -> String {
    let columns = columns_of(table.values());
    let mut text = export_header(entity_type, &columns);
    text.push('\n');
    for entity in table.values() {
        text.push_str(&export_row(entity, &columns));
        text.push('\n');
    }
    text
}

fn text(s: &str) -> Value {
    Value::String(s.to_owned())
}

#[test]
fn a_participant_file_reads_as_typed_values_and_writes_back_unchanged() {
    let file = golden("participant.tsv");
    let mut participants = BTreeMap::new();
    import(&file, &types(&["participant"]), &mut participants);
    let p1 = &participants["P001"].attributes;
    assert_eq!(p1["age"], Value::Number(34.0));
    assert_eq!(p1["consented"], Value::Boolean(true));
    assert_eq!(
        p1["diagnoses"],
        Value::List(vec![text("asthma"), text("eczema")])
    );
    assert_eq!(p1["site"], text("Boston"));
    assert_eq!(p1["weight_kg"], Value::Number(71.5));
    assert!(
        !participants["P002"].attributes.contains_key("weight_kg"),
        "an empty cell sets nothing"
    );
    assert_eq!(
        participants["P002"].attributes["diagnoses"],
        Value::List(vec![])
    );
    assert_eq!(export(&participants, "participant"), file);

    // update: changes existing rows only; __DELETE__ removes an attribute.
    import(
        &golden("participant_update.tsv"),
        &types(&["participant"]),
        &mut participants,
    );
    let p2 = &participants["P002"].attributes;
    assert!(!p2.contains_key("site"));
    assert_eq!(p2["weight_kg"], Value::Number(64.0));
}

#[test]
fn a_sample_file_references_its_participants_and_exports_in_column_order() {
    let mut samples = BTreeMap::new();
    import(
        &golden("sample.tsv"),
        &types(&["participant", "sample"]),
        &mut samples,
    );
    assert_eq!(
        samples["S003"].attributes["participant"],
        Value::Reference(EntityRef {
            entity_type: "participant".into(),
            entity_name: "P003".into()
        })
    );
    assert_eq!(
        samples["S003"].attributes["read_count"],
        Value::Number(1_500_000.0)
    );
    assert_eq!(
        samples["S001"].attributes["bam"],
        text("gs://bucket/S001.bam")
    );
    assert_eq!(export(&samples, "sample"), golden("sample.export.tsv"));
}

#[test]
fn a_membership_file_builds_sets_and_writes_back_one_member_per_line() {
    let mut sets = BTreeMap::new();
    let file = golden("sample_set_membership.tsv");
    let (header, rows) = parse_tsv(&file, &types(&["sample"])).unwrap();
    assert_eq!(
        header.kind,
        TsvKind::Membership {
            member_type: "sample".into()
        }
    );
    apply_rows(&header, rows, &mut sets).unwrap();
    let members = &sets["blood_samples"].attributes["samples"];
    assert_eq!(
        members,
        &Value::List(
            ["S001", "S003"]
                .map(|name| Value::Reference(EntityRef {
                    entity_type: "sample".into(),
                    entity_name: name.into()
                }))
                .to_vec()
        )
    );
    let all: Vec<Entity> = sets.values().cloned().collect();
    assert_eq!(
        membership_tsv("sample_set", &all),
        golden("sample_set_membership.export.tsv")
    );
}

#[test]
fn malformed_files_are_refused_with_their_line_column_and_reason() {
    let none = BTreeSet::new();
    let refused = |text: &str| parse_tsv(text, &none).unwrap_err();

    let header = refused("participant_id\tage\nP1\t3\n");
    assert_eq!(
        (header[0].line, header[0].column.as_deref()),
        (1, Some("participant_id"))
    );
    assert!(refused("entity:participant\tage\n")[0]
        .message
        .contains("_id"));
    assert!(refused("entity:participant_id\tage\tage\n")[0]
        .message
        .contains("twice"));
    assert!(
        refused("entity:participant_id\tbad column\n")[0]
            .column
            .as_deref()
            == Some("bad column")
    );
    assert!(refused("membership:sample_id\tsample\n")[0]
        .message
        .contains("set"));
    assert!(refused("membership:sample_set_id\tparticipant\n")[0]
        .message
        .contains("sample"));

    let ragged = refused("entity:participant_id\tage\tsite\nP1\t3\nP2\t4\tx\tz\n");
    assert_eq!(ragged.len(), 2);
    assert_eq!((ragged[0].line, ragged[1].line), (2, 3));
    assert!(ragged[0].message.contains("1 cells") || ragged[0].message.contains("2 cells"));

    let cells = refused(
        "entity:participant_id\tdiagnoses\tsite\nP 1\t[broken\tx\nP2\t[1,\"a\"]\t{\"x\":1}\n",
    );
    let found: Vec<(usize, Option<&str>)> = cells
        .iter()
        .map(|p| (p.line, p.column.as_deref()))
        .collect();
    assert_eq!(
        found,
        [(2, Some("name")), (3, Some("diagnoses")), (3, Some("site"))],
        "{cells:#?}"
    );

    let (header, rows) = parse_tsv("update:participant_id\tage\nP9\t3\n", &none).unwrap();
    let problems = apply_rows(&header, rows, &mut BTreeMap::new()).unwrap_err();
    assert!(problems[0].message.contains("no participant named P9"));
}

fn safe_text() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9 ./:_-]{0,20}".prop_filter("reads back as text", |t| reads_back_as_text(t))
}

fn value() -> impl Strategy<Value = Value> {
    let scalar = prop_oneof![
        safe_text().prop_map(Value::String),
        (-1.0e12f64..1.0e12).prop_map(Value::Number),
        any::<i32>().prop_map(|n| Value::Number(f64::from(n))),
        any::<bool>().prop_map(Value::Boolean),
        "[A-Za-z0-9_.-]{1,12}".prop_map(|name| Value::Reference(EntityRef {
            entity_type: "participant".into(),
            entity_name: name
        })),
    ];
    prop_oneof![
        4 => scalar,
        1 => prop::collection::vec(safe_text().prop_map(Value::String), 0..4).prop_map(Value::List),
        1 => prop::collection::vec(any::<i16>().prop_map(|n| Value::Number(f64::from(n))), 0..4).prop_map(Value::List),
    ]
}

fn table() -> impl Strategy<Value = BTreeMap<String, Entity>> {
    prop::collection::btree_map(
        "[A-Za-z0-9_.-]{1,12}",
        prop::collection::btree_map(
            "[a-z][a-z0-9_]{0,8}".prop_filter("not a type's name", |n| n != "sample"),
            value(),
            1..6,
        ),
        1..20,
    )
    .prop_map(|rows| {
        rows.into_iter()
            .map(|(name, attributes)| {
                (
                    name.clone(),
                    Entity {
                        entity_type: "sample".into(),
                        name,
                        attributes,
                    },
                )
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn export_then_import_gives_back_the_same_table(original in table()) {
        let text = export(&original, "sample");
        let mut imported = BTreeMap::new();
        let (header, rows) = parse_tsv(&text, &types(&["participant", "sample"]))
            .map_err(|p| TestCaseError::fail(format!("{p:#?}\n{text}")))?;
        apply_rows(&header, rows, &mut imported)
            .map_err(|p| TestCaseError::fail(format!("{p:#?}")))?;
        prop_assert_eq!(imported, original, "{}", text);
    }
}
