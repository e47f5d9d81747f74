//! The rules of a workspace's data tables beyond the TSV files (SPEC §5.2): how a value sorts
//! and is found by the filter, the page cursor, which edits are acceptable, copying between
//! tiers, and every refusal with its sentence.

use std::collections::BTreeMap;

use crate::entities::{
    parse_entity_name, parse_table_name, parse_type_name, set_members, EntityRef, Value,
};
use crate::tier::AccessTier;

/// Rows a page holds unless asked otherwise, and at most.
pub const DEFAULT_PAGE_ROWS: u32 = 100;
pub const MAX_PAGE_ROWS: u32 = 1000;
/// Characters of a text value its sort key keeps (longer values tie on this prefix).
pub const SORT_TEXT_CHARS: usize = 64;
/// Entities one delete, set or copy names at most.
pub const MAX_NAMED_ENTITIES: usize = 10_000;
/// Entities a copy brings along at most (the chosen ones and everything they reference).
pub const MAX_COPIED_ENTITIES: usize = 100_000;

/// Why a data-table request is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TableRefusal {
    #[error("This workspace has no table of {entity_type} entities.")]
    NoSuchType { entity_type: String },
    #[error("There is no {entity_type} named {name}.")]
    NoSuchEntity { entity_type: String, name: String },
    #[error("The {entity_type} table has no column {column}.")]
    NoSuchColumn { entity_type: String, column: String },
    #[error("{0}")]
    BadName(String),
    #[error("{column}: {message}")]
    BadValue { column: String, message: String },
    #[error("A {entity_type} named {name} already exists.")]
    NameTaken { entity_type: String, name: String },
    #[error("The {entity_type} table already has a column {column}.")]
    ColumnTaken { entity_type: String, column: String },
    #[error("{column} is the name column of every table; it cannot be renamed or deleted.")]
    NameColumn { column: String },
    #[error("Someone changed {name} since you opened it; its current values are included. Apply your edit again to them.")]
    Stale { name: String },
    #[error("{} referenced by {count} other {}: confirm to delete and remove those references too.", if *names == 1 { "This entity is" } else { "These entities are" }, if *count == 1 { "entity" } else { "entities" })]
    Referenced { names: usize, count: usize },
    #[error("Cannot copy data from a {from} workspace into a {to} workspace.")]
    CrossTier { from: AccessTier, to: AccessTier },
    #[error("Copy into another workspace: this one already holds these entities.")]
    SameWorkspace,
    #[error("{count} of the entities to copy already exist in the destination; nothing was copied. Rename or delete them there first.")]
    CopyConflicts { count: usize },
    #[error("Name at most {MAX_NAMED_ENTITIES} entities at once; this request names {count}.")]
    TooManyNamed { count: usize },
    #[error("This copy would bring {count} entities with their references; copy at most {MAX_COPIED_ENTITIES} at once.")]
    TooManyCopied { count: usize },
    #[error("Choose at least one entity.")]
    NothingChosen,
    #[error("{count} problems were found in the file; nothing was imported.")]
    ImportProblems { count: usize },
    #[error("This page address is not one this table gave out; start again from the first page.")]
    BadCursor,
    #[error("A set is saved from entities of a table that is not itself a set.")]
    SetOfSets,
}

impl TableRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            TableRefusal::NoSuchType { .. } => "no_such_entity_type",
            TableRefusal::NoSuchEntity { .. } => "no_such_entity",
            TableRefusal::NoSuchColumn { .. } => "no_such_column",
            TableRefusal::BadName(_) => "bad_entity_name",
            TableRefusal::BadValue { .. } => "bad_value",
            TableRefusal::NameTaken { .. } => "entity_exists",
            TableRefusal::ColumnTaken { .. } => "column_exists",
            TableRefusal::NameColumn { .. } => "name_column",
            TableRefusal::Stale { .. } => "entity_changed",
            TableRefusal::Referenced { .. } => "entity_referenced",
            TableRefusal::CrossTier { .. } => "cross_tier_copy",
            TableRefusal::SameWorkspace => "same_workspace",
            TableRefusal::CopyConflicts { .. } => "copy_conflicts",
            TableRefusal::TooManyNamed { .. } => "too_many_entities",
            TableRefusal::TooManyCopied { .. } => "too_many_entities",
            TableRefusal::NothingChosen => "nothing_chosen",
            TableRefusal::ImportProblems { .. } => "import_problems",
            TableRefusal::BadCursor => "bad_cursor",
            TableRefusal::SetOfSets => "set_of_sets",
        }
    }
}

/// Copying carries data down or across tiers, never from Controlled to Registered.
pub fn check_copy_tiers(from: AccessTier, to: AccessTier) -> Result<(), TableRefusal> {
    if from > to {
        Err(TableRefusal::CrossTier { from, to })
    } else {
        Ok(())
    }
}

/// The workspaces rows may be copied into from a workspace of `from` tier: those where the
/// caller writes, unlocked, open to them, and not of a lower tier. The server decides again.
pub fn copy_destinations<'a>(
    from: AccessTier,
    from_address: (&str, &str),
    workspaces: &'a [crate::api::WorkspaceSummary],
) -> Vec<&'a crate::api::WorkspaceSummary> {
    workspaces
        .iter()
        .filter(|w| {
            w.role >= crate::Role::Writer
                && !w.locked
                && w.inaccessible_reason.is_none()
                && check_copy_tiers(from, w.tier).is_ok()
                && (w.namespace.as_str(), w.name.as_str()) != from_address
        })
        .collect()
}

/// How a cell sorts, as one text whose byte order is the table's order: numbers (by value),
/// then booleans, then text (strings, references by name, lists; lower-cased, the first
/// [`SORT_TEXT_CHARS`] characters), then empty cells. Exact (a number is its bits, not a
/// decimal), so a key computed again from the same value finds the same row.
pub fn sort_key(value: Option<&Value>) -> String {
    match value {
        Some(Value::Number(n)) => {
            let bits = n.to_bits();
            let ordered = if bits >> 63 == 1 {
                !bits
            } else {
                bits | (1 << 63)
            };
            format!("0{ordered:016X}")
        }
        Some(Value::Boolean(b)) => format!("1{}", u8::from(*b)),
        Some(other) => {
            let text: String = display_text(other)
                .to_lowercase()
                .chars()
                .take(SORT_TEXT_CHARS)
                .collect();
            format!("2{text}")
        }
        None => EMPTY_SORT_KEY.to_owned(),
    }
}

/// The sort key of an empty cell: after every value.
pub const EMPTY_SORT_KEY: &str = "3";

/// A value as the table shows it: text as is, a reference by its entity's name, a list as its
/// items separated by commas.
pub fn display_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Number(n) => n.to_string(),
        Value::Boolean(b) => b.to_string(),
        Value::Reference(r) => r.entity_name.clone(),
        Value::List(items) => items
            .iter()
            .map(display_text)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// What the filter searches in a row: its name and every cell as shown, lower-cased.
pub fn search_text(name: &str, attributes: &BTreeMap<String, Value>) -> String {
    let mut text = name.to_lowercase();
    for value in attributes.values() {
        text.push('\t');
        text.push_str(&display_text(value).to_lowercase());
    }
    text
}

/// Where the next page starts: after this sort key (or name) and entity id. On the wire it
/// is one opaque string the page gave out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageCursor {
    pub key: String,
    pub id: i64,
}

impl PageCursor {
    pub fn encode(&self) -> String {
        format!("{}~{}", self.id, self.key)
    }

    pub fn decode(raw: &str) -> Result<PageCursor, TableRefusal> {
        let (id, key) = raw.split_once('~').ok_or(TableRefusal::BadCursor)?;
        let id = id.parse().map_err(|_| TableRefusal::BadCursor)?;
        if key.chars().any(char::is_control) || key.chars().count() > MAX_NAME_CHARS_IN_CURSOR {
            return Err(TableRefusal::BadCursor);
        }
        Ok(PageCursor {
            key: key.to_owned(),
            id,
        })
    }
}

/// The longest key a cursor carries: a name (255) or a sort key.
const MAX_NAME_CHARS_IN_CURSOR: usize = 256;

/// A table's name column, as Terra calls it: `sample_id`.
pub fn name_column(entity_type: &str) -> String {
    format!("{entity_type}_id")
}

/// An entity name given in a request.
pub fn check_entity_name(raw: &str) -> Result<String, TableRefusal> {
    parse_entity_name(raw).map_err(TableRefusal::BadName)
}

/// A column name given in a request.
pub fn check_type_name(raw: &str) -> Result<String, TableRefusal> {
    parse_type_name(raw).map_err(TableRefusal::BadName)
}

/// A table (entity type) name given in a request.
pub fn check_table_name(raw: &str) -> Result<String, TableRefusal> {
    parse_table_name(raw).map_err(TableRefusal::BadName)
}

/// A column a request sets or removes: a valid name that is not the table's name column.
pub fn check_column(entity_type: &str, column: &str) -> Result<String, TableRefusal> {
    let column = check_type_name(column)?;
    if column == name_column(entity_type) {
        return Err(TableRefusal::NameColumn { column });
    }
    Ok(column)
}

/// The values an edit sets: each column acceptable, each value one a table can hold.
pub fn check_values(
    entity_type: &str,
    values: &BTreeMap<String, Value>,
) -> Result<(), TableRefusal> {
    for (column, value) in values {
        check_column(entity_type, column)?;
        value.check().map_err(|message| TableRefusal::BadValue {
            column: column.clone(),
            message,
        })?;
    }
    Ok(())
}

/// How many entities a request names, within the limit, with none twice.
pub fn check_named(names: &[String]) -> Result<Vec<String>, TableRefusal> {
    if names.is_empty() {
        return Err(TableRefusal::NothingChosen);
    }
    if names.len() > MAX_NAMED_ENTITIES {
        return Err(TableRefusal::TooManyNamed { count: names.len() });
    }
    let mut checked = names
        .iter()
        .map(|name| check_entity_name(name))
        .collect::<Result<Vec<_>, _>>()?;
    checked.sort();
    checked.dedup();
    Ok(checked)
}

/// A set saved from chosen entities of `member_type`: its type `member_type_set` and the
/// attribute listing them.
pub fn set_of(
    member_type: &str,
    members: &[String],
) -> Result<(String, String, Value), TableRefusal> {
    if set_members(member_type).is_some() {
        return Err(TableRefusal::SetOfSets);
    }
    let set_type = format!("{member_type}_set");
    check_table_name(&set_type)?;
    let (_, attribute) = set_members(&set_type).ok_or(TableRefusal::SetOfSets)?;
    let list = Value::List(
        members
            .iter()
            .map(|name| {
                Value::Reference(EntityRef {
                    entity_type: member_type.to_owned(),
                    entity_name: name.clone(),
                })
            })
            .collect(),
    );
    Ok((set_type, attribute, list))
}

/// A value with every reference to one of `gone` removed: a list loses those items, a
/// reference becomes nothing (`None`: the attribute goes).
pub fn without_references(value: &Value, gone: &dyn Fn(&EntityRef) -> bool) -> Option<Value> {
    match value {
        Value::Reference(r) if gone(r) => None,
        Value::List(items) => Some(Value::List(
            items
                .iter()
                .filter(|item| !matches!(item, Value::Reference(r) if gone(r)))
                .cloned()
                .collect(),
        )),
        other => Some(other.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_sort_numbers_then_booleans_then_text_then_empty() {
        let values = [
            Some(Value::Number(-1e300)),
            Some(Value::Number(-2.5)),
            Some(Value::Number(-0.0)),
            Some(Value::Number(0.0)),
            Some(Value::Number(10.0)),
            Some(Value::Number(1e300)),
            Some(Value::Boolean(false)),
            Some(Value::Boolean(true)),
            Some(Value::String("Apple".into())),
            Some(Value::String("banana".into())),
            None,
        ];
        let keys: Vec<String> = values.iter().map(|v| sort_key(v.as_ref())).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
    }

    #[test]
    fn a_cursor_reads_back_and_a_forged_one_is_refused() {
        let cursor = PageCursor {
            key: "2a~b".into(),
            id: 42,
        };
        assert_eq!(PageCursor::decode(&cursor.encode()), Ok(cursor));
        for bad in ["", "x~2a", "12", "1~\u{1}"] {
            assert_eq!(
                PageCursor::decode(bad),
                Err(TableRefusal::BadCursor),
                "{bad}"
            );
        }
    }

    #[test]
    fn copies_never_go_from_controlled_to_registered() {
        use AccessTier::{Controlled, Registered};
        assert!(check_copy_tiers(Registered, Controlled).is_ok());
        assert!(check_copy_tiers(Controlled, Controlled).is_ok());
        assert_eq!(
            check_copy_tiers(Controlled, Registered).unwrap_err().code(),
            "cross_tier_copy"
        );
    }

    #[test]
    fn the_name_column_is_not_an_attribute() {
        assert_eq!(
            check_column("sample", "sample_id"),
            Err(TableRefusal::NameColumn {
                column: "sample_id".into()
            })
        );
        assert!(check_column("sample", "bam").is_ok());
        assert!(check_column("sample", "b am").is_err());
    }

    #[test]
    fn a_saved_set_lists_its_members() {
        let (set_type, attribute, value) = set_of("sample", &["s1".into(), "s2".into()]).unwrap();
        assert_eq!(
            (set_type.as_str(), attribute.as_str()),
            ("sample_set", "samples")
        );
        assert_eq!(value.references().len(), 2);
        assert_eq!(set_of("sample_set", &[]), Err(TableRefusal::SetOfSets));
    }

    #[test]
    fn removing_references_keeps_the_rest_of_a_list() {
        let r = |n: &str| {
            Value::Reference(EntityRef {
                entity_type: "sample".into(),
                entity_name: n.into(),
            })
        };
        let gone = |x: &EntityRef| x.entity_name == "s1";
        assert_eq!(without_references(&r("s1"), &gone), None);
        assert_eq!(
            without_references(&Value::List(vec![r("s1"), r("s2")]), &gone),
            Some(Value::List(vec![r("s2")]))
        );
    }
}
