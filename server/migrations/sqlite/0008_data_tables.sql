-- Data tables (Terra's model). An entity keeps its attributes as one JSON object. A column
-- someone has sorted by gets a sort key per row in `entity_sort` (an empty cell too), built once
-- in key order and kept up to date after, so a page sorted by it is a range of one index;
-- `entity_refs` lists who references whom, so deleting a referenced entity can be refused
-- until confirmed.

CREATE TABLE entity_types (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    entity_count INTEGER NOT NULL DEFAULT 0,
    UNIQUE (workspace_id, name)
);

CREATE TABLE entity_columns (
    id       INTEGER PRIMARY KEY,
    type_id  INTEGER NOT NULL REFERENCES entity_types(id) ON DELETE CASCADE,
    name     TEXT    NOT NULL,
    position INTEGER NOT NULL,
    sorted   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (type_id, name)
);

CREATE TABLE entities (
    id          INTEGER PRIMARY KEY,
    type_id     INTEGER NOT NULL REFERENCES entity_types(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    attributes  TEXT    NOT NULL,
    search_text TEXT    NOT NULL,
    UNIQUE (type_id, name)
);
-- A table read in id order (building sort keys, rewriting a column) without sorting it whole.
CREATE INDEX entities_by_type ON entities(type_id, id);

CREATE TABLE entity_sort (
    column_id INTEGER NOT NULL REFERENCES entity_columns(id) ON DELETE CASCADE,
    sort_key  TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    PRIMARY KEY (column_id, sort_key, entity_id)
) WITHOUT ROWID;

CREATE TABLE entity_refs (
    from_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    to_id   INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    PRIMARY KEY (from_id, to_id)
) WITHOUT ROWID;
CREATE INDEX entity_refs_to ON entity_refs(to_id);

-- References an import or copy still has to resolve, by name; written and emptied inside the
-- same transaction, so never seen outside it.
CREATE TABLE entity_ref_staging (
    batch       TEXT    NOT NULL,
    from_id     INTEGER NOT NULL,
    to_type     TEXT    NOT NULL,
    to_name     TEXT    NOT NULL,
    line        INTEGER NOT NULL,
    column_name TEXT    NOT NULL
);
CREATE INDEX entity_ref_staging_by_batch ON entity_ref_staging(batch, line);

CREATE TABLE workspace_attributes (
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    value        TEXT    NOT NULL,
    PRIMARY KEY (workspace_id, name)
);
