-- The workspace bucket's index and the cost ledger. Each file's bytes are an object of its own
-- name (`ws-<id>/<object_name>`, never reused), so a replaced, moved or deleted file changes its
-- row in one transaction and the old object is removed only after the commit.

CREATE TABLE workspace_files (
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    file_key     TEXT    NOT NULL,
    object_name  TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    uploaded_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    modified_at  INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, file_key)
);

-- Bytes stored per workspace since the last storage charge.
CREATE TABLE storage_meters (
    workspace_id INTEGER PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
    bytes        INTEGER NOT NULL,
    since        INTEGER NOT NULL
);

-- Append-only: every metered action, charged to the billing project (kept after a workspace is
-- deleted, so its workspace is a plain number and a label).
CREATE TABLE cost_events (
    id               INTEGER PRIMARY KEY,
    project_id       INTEGER NOT NULL REFERENCES billing_projects(id),
    workspace_id     INTEGER,
    workspace_label  TEXT    NOT NULL,
    category         TEXT    NOT NULL CHECK (category IN ('storage', 'compute', 'egress')),
    quantity         REAL    NOT NULL,
    unit             TEXT    NOT NULL,
    unit_price_nanos INTEGER NOT NULL,
    amount_nanos     INTEGER NOT NULL CHECK (amount_nanos >= 0),
    cause            TEXT    NOT NULL,
    actor_id         INTEGER,
    at               INTEGER NOT NULL
);
CREATE INDEX cost_events_by_project ON cost_events(project_id, at);
CREATE INDEX cost_events_by_workspace ON cost_events(workspace_id, at);
CREATE TRIGGER cost_events_never_change BEFORE UPDATE ON cost_events
BEGIN SELECT RAISE(ABORT, 'the cost ledger is append-only'); END;
CREATE TRIGGER cost_events_never_go BEFORE DELETE ON cost_events
BEGIN SELECT RAISE(ABORT, 'the cost ledger is append-only'); END;

-- The ledger's running total per project, written with each event (the balance is read often).
ALTER TABLE billing_projects ADD COLUMN spent_nanos INTEGER NOT NULL DEFAULT 0;
