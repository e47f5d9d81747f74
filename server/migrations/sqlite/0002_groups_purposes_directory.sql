-- Managed groups with nesting, dataset versions, workspace About fields and the public directory.

CREATE TABLE groups (
    id                  INTEGER PRIMARY KEY,
    name                TEXT    NOT NULL UNIQUE,
    allows_requests     INTEGER NOT NULL DEFAULT 0,
    access_instructions TEXT    NOT NULL DEFAULT '',
    created_at          INTEGER NOT NULL
);

-- Users directly in a group. Admins are members with role 'admin'.
CREATE TABLE group_members (
    group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role     TEXT    NOT NULL CHECK (role IN ('admin', 'member')),
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_by_user ON group_members(user_id, group_id);

-- Groups inside groups: every member of child is a member of parent. No cycles (checked in core).
CREATE TABLE group_subgroups (
    parent_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    child_id  INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    PRIMARY KEY (parent_id, child_id)
);
CREATE INDEX group_subgroups_by_child ON group_subgroups(child_id, parent_id);

CREATE TABLE group_requests (
    id         INTEGER PRIMARY KEY,
    group_id   INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    UNIQUE (group_id, user_id)
);

CREATE TABLE dataset_versions (
    id         TEXT    PRIMARY KEY,
    tier       TEXT    NOT NULL CHECK (tier IN ('registered', 'controlled')),
    label      TEXT    NOT NULL,
    status     TEXT    NOT NULL CHECK (status IN ('live', 'archived')),
    is_default INTEGER NOT NULL,
    position   INTEGER NOT NULL
);
INSERT INTO dataset_versions (id, tier, label, status, is_default, position) VALUES
    ('r2026q3', 'registered', 'Registered Tier v8 (2026 Q3)', 'live', 1, 1),
    ('r2025q4', 'registered', 'Registered Tier v7 (2025 Q4)', 'live', 0, 2),
    ('r2024q2', 'registered', 'Registered Tier v6 (2024 Q2)', 'archived', 0, 3),
    ('c2026q3', 'controlled', 'Controlled Tier v8 (2026 Q3)', 'live', 1, 1),
    ('c2025q4', 'controlled', 'Controlled Tier v7 (2025 Q4)', 'live', 0, 2),
    ('c2024q2', 'controlled', 'Controlled Tier v6 (2024 Q2)', 'archived', 0, 3);

ALTER TABLE workspaces ADD COLUMN dataset_version TEXT NOT NULL DEFAULT '';
ALTER TABLE workspaces ADD COLUMN research_purpose TEXT NOT NULL DEFAULT '{}';   -- JSON
ALTER TABLE workspaces ADD COLUMN replication_statement TEXT NOT NULL DEFAULT '';
ALTER TABLE workspaces ADD COLUMN about_version INTEGER NOT NULL DEFAULT 0;

-- The public research directory: one row per workspace ever created; kept, inactive, after
-- the workspace is deleted. Holds only what is published (never the review request).
CREATE TABLE directory_entries (
    workspace_key    TEXT    PRIMARY KEY,       -- 'namespace/name#id'
    namespace        TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    display_name     TEXT    NOT NULL,
    tier             TEXT    NOT NULL,
    research_purpose TEXT    NOT NULL,          -- JSON, published fields only
    creator_name     TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    active           INTEGER NOT NULL
);
CREATE INDEX directory_entries_by_time ON directory_entries(created_at);

CREATE INDEX workspaces_by_project ON workspaces(project_id);
CREATE INDEX billing_members_by_project ON billing_members(project_id, role);
