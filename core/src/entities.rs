//! Data tables, Terra's model (SPEC §5.2): entity types, entities, attribute values, sets, and
//! the TSV files that carry them — `entity:`, `update:` and `membership:` headers, `__DELETE__`
//! cells, typed values, references. Pure: the server reads lines and stores rows.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// The longest type, attribute or entity name.
pub const MAX_NAME_CHARS: usize = 255;
/// The longest TSV line accepted (a longer one is refused without being read whole).
pub const MAX_LINE_BYTES: usize = 1024 * 1024;
/// The cell that removes an attribute.
pub const DELETE_CELL: &str = "__DELETE__";
/// Problems listed before an import stops looking for more.
pub const MAX_PROBLEMS: usize = 100;

/// A reference to another entity of the same workspace.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntityRef {
    #[serde(rename = "entityType")]
    pub entity_type: String,
    #[serde(rename = "entityName")]
    pub entity_name: String,
}

/// An attribute's value. (An attribute without a value is absent.)
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Value {
    String(String),
    Number(f64),
    Boolean(bool),
    Reference(EntityRef),
    /// Values of one kind.
    List(Vec<Value>),
}

impl Value {
    fn kind(&self) -> &'static str {
        match self {
            Value::String(_) => "string",
            Value::Number(_) => "number",
            Value::Boolean(_) => "boolean",
            Value::Reference(_) => "reference",
            Value::List(_) => "list",
        }
    }

    /// Every reference this value holds.
    pub fn references(&self) -> Vec<&EntityRef> {
        match self {
            Value::Reference(r) => vec![r],
            Value::List(items) => items.iter().flat_map(Value::references).collect(),
            _ => Vec::new(),
        }
    }

    /// The rules a stored value keeps: text without tabs or line breaks (a TSV cell holds it
    /// as is), finite numbers, lists of one kind without nested lists.
    pub fn check(&self) -> Result<(), String> {
        match self {
            Value::String(text) if text.chars().any(|c| c.is_control()) => {
                Err("Text cannot hold tabs, line breaks or other control characters.".into())
            }
            Value::Number(n) if !n.is_finite() => Err("Numbers must be finite.".into()),
            Value::Reference(r) => {
                parse_type_name(&r.entity_type)?;
                parse_entity_name(&r.entity_name).map(|_| ())
            }
            Value::List(items) => {
                if let Some(first) = items.first() {
                    if items.iter().any(|item| item.kind() != first.kind()) {
                        return Err("A list holds values of one kind.".into());
                    }
                    if matches!(first, Value::List(_)) {
                        return Err("A list cannot hold lists.".into());
                    }
                }
                items.iter().try_for_each(Value::check)
            }
            _ => Ok(()),
        }
    }
}

/// One row of a data table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Entity {
    pub entity_type: String,
    pub name: String,
    pub attributes: BTreeMap<String, Value>,
}

fn check_name(raw: &str, what: &str, extra: &[char]) -> Result<String, String> {
    let count = raw.chars().count();
    if count == 0 || count > MAX_NAME_CHARS {
        return Err(format!("{what} has 1 to {MAX_NAME_CHARS} characters."));
    }
    if let Some(bad) = raw
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-' || extra.contains(c)))
    {
        let allowed = if extra.is_empty() {
            "letters, digits, _ and -"
        } else {
            "letters, digits, _, - and ."
        };
        return Err(format!(
            "{what} may hold only {allowed}; {bad:?} is not allowed."
        ));
    }
    Ok(raw.to_owned())
}

/// Table names the API's own addresses use (`entities/import`, `entities/copy`).
pub const RESERVED_TYPE_NAMES: [&str; 2] = ["import", "copy"];
/// Entity names the API's own addresses use (`entities/{type}/export`).
pub const RESERVED_ENTITY_NAMES: [&str; 1] = ["export"];

/// `[A-Za-z0-9_-]{1,255}`: entity types and attribute names.
pub fn parse_type_name(raw: &str) -> Result<String, String> {
    check_name(raw, "A type or column name", &[])
}

/// A table's name: a type name other than the reserved ones.
pub fn parse_table_name(raw: &str) -> Result<String, String> {
    let name = parse_type_name(raw)?;
    if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
        return Err(format!(
            "{name} is a reserved word; name the table otherwise."
        ));
    }
    Ok(name)
}

/// `[A-Za-z0-9_.-]{1,255}`: entity names, other than the reserved ones.
pub fn parse_entity_name(raw: &str) -> Result<String, String> {
    let name = check_name(raw, "An entity name", &['.'])?;
    if RESERVED_ENTITY_NAMES.contains(&name.as_str()) {
        return Err(format!(
            "{name} is a reserved word; name the entity otherwise."
        ));
    }
    Ok(name)
}

/// For a set type `X_set`: its members' type `X` and the attribute listing them, `Xs`.
pub fn set_members(set_type: &str) -> Option<(String, String)> {
    let member = set_type.strip_suffix("_set").filter(|m| !m.is_empty())?;
    Some((member.to_owned(), format!("{member}s")))
}

/// What a TSV file does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TsvKind {
    /// `entity:<type>_id`: insert, or update what the row names.
    Upsert,
    /// `update:<type>_id`: update existing entities only.
    Update,
    /// `membership:<set type>_id` and a member column: one member per row.
    Membership { member_type: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TsvHeader {
    pub kind: TsvKind,
    pub entity_type: String,
    /// The attribute columns (for a membership file: none).
    pub columns: Vec<String>,
}

/// One problem of a TSV file: its line (from 1, the header), its column if one, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TsvProblem {
    pub line: usize,
    pub column: Option<String>,
    pub message: String,
}

impl TsvProblem {
    pub fn new(line: usize, column: Option<&str>, message: impl Into<String>) -> TsvProblem {
        TsvProblem {
            line,
            column: column.map(str::to_owned),
            message: message.into(),
        }
    }
}

/// An attribute change a row asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    Set(Value),
    Delete,
}

/// One parsed row.
#[derive(Clone, Debug, PartialEq)]
pub enum TsvRow {
    Entity {
        line: usize,
        name: String,
        changes: Vec<(String, Change)>,
    },
    Member {
        line: usize,
        set: String,
        member: String,
    },
}

/// The first line of a file.
pub fn parse_header(line: &str) -> Result<TsvHeader, TsvProblem> {
    let cells: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
    let first = cells[0].trim_start_matches('\u{feff}');
    let bad = |message: &str| TsvProblem::new(1, Some(first), message);
    let (prefix, id_column) = first.split_once(':').ok_or_else(|| {
        bad("The first column must be entity:TYPE_id, update:TYPE_id or membership:TYPE_set_id.")
    })?;
    let entity_type = id_column
        .strip_suffix("_id")
        .ok_or_else(|| bad("The first column's name ends in _id (entity:sample_id)."))?;
    let entity_type = parse_table_name(entity_type).map_err(|m| bad(&m))?;
    let mut columns = Vec::new();
    let mut seen = BTreeSet::new();
    for column in &cells[1..] {
        let name = parse_type_name(column).map_err(|m| TsvProblem::new(1, Some(column), m))?;
        if name == id_column {
            return Err(TsvProblem::new(
                1,
                Some(column),
                format!("{name} is the name column; it comes once, first."),
            ));
        }
        if !seen.insert(name.clone()) {
            return Err(TsvProblem::new(
                1,
                Some(column),
                "This column appears twice.",
            ));
        }
        columns.push(name);
    }
    let kind = match prefix {
        "entity" => TsvKind::Upsert,
        "update" => TsvKind::Update,
        "membership" => {
            let (member_type, _) = set_members(&entity_type).ok_or_else(|| {
                bad("A membership file's first column names a set type: membership:sample_set_id.")
            })?;
            if columns.len() != 1 {
                return Err(TsvProblem::new(
                    1,
                    None,
                    format!("A membership file has two columns: {first} and {member_type}."),
                ));
            }
            if columns[0] != member_type {
                return Err(TsvProblem::new(
                    1,
                    Some(&columns[0]),
                    format!("The members of {entity_type} are {member_type} entities: name the column {member_type}."),
                ));
            }
            columns.clear();
            TsvKind::Membership { member_type }
        }
        other => {
            return Err(bad(&format!(
                "{other}: is not a kind of file; use entity:, update: or membership:."
            )))
        }
    };
    Ok(TsvHeader {
        kind,
        entity_type,
        columns,
    })
}

/// One data line (`line` counts from 1, the header). A column named after an entity type in
/// `types` holds references to that type, as Terra's files do (`participant` in a sample file).
pub fn parse_row(
    header: &TsvHeader,
    line: usize,
    text: &str,
    types: &BTreeSet<String>,
) -> Result<TsvRow, Vec<TsvProblem>> {
    let cells: Vec<&str> = text.trim_end_matches('\r').split('\t').collect();
    let expected = match header.kind {
        TsvKind::Membership { .. } => 2,
        _ => header.columns.len() + 1,
    };
    if cells.len() != expected {
        return Err(vec![TsvProblem::new(
            line,
            None,
            format!(
                "This row has {} {}; the header has {expected}.",
                cells.len(),
                if cells.len() == 1 { "cell" } else { "cells" }
            ),
        )]);
    }
    let name = parse_entity_name(cells[0].trim())
        .map_err(|m| vec![TsvProblem::new(line, Some("name"), m)])?;
    if let TsvKind::Membership { member_type } = &header.kind {
        let member = parse_entity_name(cells[1].trim())
            .map_err(|m| vec![TsvProblem::new(line, Some(member_type.as_str()), m)])?;
        return Ok(TsvRow::Member {
            line,
            set: name,
            member,
        });
    }
    let mut problems = Vec::new();
    let mut changes = Vec::new();
    for (column, cell) in header.columns.iter().zip(&cells[1..]) {
        let reference_type = types.contains(column).then_some(column.as_str());
        match parse_cell(cell, reference_type) {
            Ok(Some(change)) => changes.push((column.clone(), change)),
            Ok(None) => {}
            Err(message) => problems.push(TsvProblem::new(line, Some(column), message)),
        }
    }
    if problems.is_empty() {
        Ok(TsvRow::Entity {
            line,
            name,
            changes,
        })
    } else {
        Err(problems)
    }
}

/// A cell as its value: empty leaves the attribute as it is; `__DELETE__` removes it; numbers,
/// `true`/`false`, JSON lists and references parse to their types; anything else is text.
pub fn parse_cell(cell: &str, reference_type: Option<&str>) -> Result<Option<Change>, String> {
    if cell.is_empty() {
        return Ok(None);
    }
    if cell == DELETE_CELL {
        return Ok(Some(Change::Delete));
    }
    let value = match reference_type {
        Some(entity_type) if !cell.starts_with('{') && !cell.starts_with('[') => {
            Value::Reference(EntityRef {
                entity_type: entity_type.to_owned(),
                entity_name: parse_entity_name(cell)?,
            })
        }
        _ => parse_scalar_or_json(cell)?,
    };
    value.check()?;
    Ok(Some(Change::Set(value)))
}

fn parse_scalar_or_json(cell: &str) -> Result<Value, String> {
    match cell {
        "true" => return Ok(Value::Boolean(true)),
        "false" => return Ok(Value::Boolean(false)),
        _ => {}
    }
    if looks_numeric(cell) {
        if let Ok(number) = cell.parse::<f64>() {
            if number.is_finite() {
                return Ok(Value::Number(number));
            }
        }
    }
    if cell.starts_with('[') || cell.starts_with('{') {
        let json: serde_json::Value = serde_json::from_str(cell)
            .map_err(|_| "This cell starts like JSON but is not valid JSON.".to_owned())?;
        return from_json(&json);
    }
    Ok(Value::String(cell.to_owned()))
}

fn looks_numeric(cell: &str) -> bool {
    let body = cell.strip_prefix('-').unwrap_or(cell);
    body.chars().next().is_some_and(|c| c.is_ascii_digit())
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
}

pub fn from_json(json: &serde_json::Value) -> Result<Value, String> {
    match json {
        serde_json::Value::String(text) => Ok(Value::String(text.clone())),
        serde_json::Value::Number(n) => n
            .as_f64()
            .map(Value::Number)
            .ok_or_else(|| "This number is out of range.".to_owned()),
        serde_json::Value::Bool(b) => Ok(Value::Boolean(*b)),
        serde_json::Value::Array(items) => items
            .iter()
            .map(from_json)
            .collect::<Result<Vec<_>, _>>()
            .map(Value::List),
        serde_json::Value::Object(_) => serde_json::from_value::<EntityRef>(json.clone())
            .map(Value::Reference)
            .map_err(|_| {
                "An object in a cell is a reference: {\"entityType\": …, \"entityName\": …}."
                    .to_owned()
            }),
        serde_json::Value::Null => Err("null is not a value; leave the cell empty.".into()),
    }
}

/// A value in Terra's plain JSON form (a reference is `{"entityType", "entityName"}`), which
/// [`from_json`] reads back as the same value.
pub fn to_json(value: &Value) -> serde_json::Value {
    match value {
        Value::String(text) => serde_json::Value::String(text.clone()),
        Value::Number(n) => serde_json::Number::from_f64(*n)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::Boolean(b) => serde_json::Value::Bool(*b),
        Value::Reference(r) => {
            serde_json::json!({ "entityType": r.entity_type, "entityName": r.entity_name })
        }
        Value::List(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
    }
}

/// Attributes as stored: one JSON object of plain values.
pub fn attributes_to_json(attributes: &BTreeMap<String, Value>) -> String {
    let object: serde_json::Map<String, serde_json::Value> = attributes
        .iter()
        .map(|(name, value)| (name.clone(), to_json(value)))
        .collect();
    serde_json::Value::Object(object).to_string()
}

/// Stored attributes read back; anything else is an error (never a default).
pub fn attributes_from_json(text: &str) -> Result<BTreeMap<String, Value>, String> {
    let json: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let serde_json::Value::Object(object) = json else {
        return Err("stored attributes are not an object".into());
    };
    object
        .iter()
        .map(|(name, value)| Ok((name.clone(), from_json(value)?)))
        .collect()
}

/// A value as a TSV cell, read back by [`parse_cell`] as the same value — a reference in a
/// column named after its type as the bare name, as Terra writes it.
pub fn format_cell(column: &str, value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Number(n) => n.to_string(),
        Value::Boolean(b) => b.to_string(),
        Value::Reference(r) if r.entity_type == column => r.entity_name.clone(),
        Value::Reference(_) | Value::List(_) => to_json(value).to_string(),
    }
}

/// Whether a text value would read back as text (not as a number, boolean, list, reference or
/// `__DELETE__`): what an export can carry unchanged.
pub fn reads_back_as_text(text: &str) -> bool {
    matches!(parse_scalar_or_json(text), Ok(Value::String(ref t)) if t == text)
        && text != DELETE_CELL
        && !text.is_empty()
}

/// The header of an export of `entity_type` with `columns`.
pub fn export_header(entity_type: &str, columns: &[String]) -> String {
    let mut line = format!("entity:{entity_type}_id");
    for column in columns {
        line.push('\t');
        line.push_str(column);
    }
    line
}

/// One entity as an export line.
pub fn export_row(entity: &Entity, columns: &[String]) -> String {
    let mut line = entity.name.clone();
    for column in columns {
        line.push('\t');
        if let Some(value) = entity.attributes.get(column) {
            line.push_str(&format_cell(column, value));
        }
    }
    line
}

/// Every attribute name of `entities`, sorted: an export's columns.
pub fn columns_of<'a>(entities: impl IntoIterator<Item = &'a Entity>) -> Vec<String> {
    let names: BTreeSet<&String> = entities
        .into_iter()
        .flat_map(|e| e.attributes.keys())
        .collect();
    names.into_iter().cloned().collect()
}

/// A set type's membership file: one member per line.
pub fn membership_tsv(set_type: &str, sets: &[Entity]) -> String {
    let Some((member_type, members)) = set_members(set_type) else {
        return String::new();
    };
    let mut text = format!("membership:{set_type}_id\t{member_type}\n");
    for set in sets {
        if let Some(Value::List(items)) = set.attributes.get(&members) {
            for item in items {
                if let Value::Reference(r) = item {
                    text.push_str(&format!("{}\t{}\n", set.name, r.entity_name));
                }
            }
        }
    }
    text
}

/// Apply parsed rows to `entities` (by name) the way an import does, without a database: what
/// the tests compare against, and the rules the server's import follows.
pub fn apply_rows(
    header: &TsvHeader,
    rows: Vec<TsvRow>,
    entities: &mut BTreeMap<String, Entity>,
) -> Result<(), Vec<TsvProblem>> {
    let mut problems = Vec::new();
    for row in rows {
        match row {
            TsvRow::Entity {
                line,
                name,
                changes,
            } => {
                if header.kind == TsvKind::Update && !entities.contains_key(&name) {
                    problems.push(TsvProblem::new(
                        line,
                        Some("name"),
                        format!("There is no {} named {name} to update.", header.entity_type),
                    ));
                    continue;
                }
                let entity = entities.entry(name.clone()).or_insert_with(|| Entity {
                    entity_type: header.entity_type.clone(),
                    name,
                    attributes: BTreeMap::new(),
                });
                for (column, change) in changes {
                    match change {
                        Change::Set(value) => {
                            entity.attributes.insert(column, value);
                        }
                        Change::Delete => {
                            entity.attributes.remove(&column);
                        }
                    }
                }
            }
            TsvRow::Member { set, member, .. } => {
                let Some((member_type, members)) = set_members(&header.entity_type) else {
                    continue;
                };
                let entity = entities.entry(set.clone()).or_insert_with(|| Entity {
                    entity_type: header.entity_type.clone(),
                    name: set,
                    attributes: BTreeMap::new(),
                });
                let list = entity
                    .attributes
                    .entry(members)
                    .or_insert_with(|| Value::List(Vec::new()));
                if let Value::List(items) = list {
                    let reference = Value::Reference(EntityRef {
                        entity_type: member_type,
                        entity_name: member,
                    });
                    if !items.contains(&reference) {
                        items.push(reference);
                    }
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Parse a whole file held in memory (tests, small files): its header and rows, or every
/// problem found (at most [`MAX_PROBLEMS`]).
pub fn parse_tsv(
    text: &str,
    types: &BTreeSet<String>,
) -> Result<(TsvHeader, Vec<TsvRow>), Vec<TsvProblem>> {
    let mut lines = text.lines();
    let header = parse_header(lines.next().unwrap_or_default()).map_err(|p| vec![p])?;
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (index, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match parse_row(&header, index + 2, line, types) {
            Ok(row) => rows.push(row),
            Err(found) => problems.extend(found),
        }
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
    }
    if problems.is_empty() {
        Ok((header, rows))
    } else {
        problems.truncate(MAX_PROBLEMS);
        Err(problems)
    }
}
