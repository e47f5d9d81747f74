-- Accounts, sessions, billing projects and workspaces with their ACLs.
-- Booleans are INTEGER 0/1 and times are Unix milliseconds, identical in the PostgreSQL schema.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,   -- stored lower-cased: unique case-insensitively
    display_name  TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    is_site_admin INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);

CREATE TABLE user_tiers (
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    tier       TEXT    NOT NULL CHECK (tier IN ('registered', 'controlled')),
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, tier)
);

-- The session cookie holds a random token; only its SHA-256 is stored.
CREATE TABLE sessions (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE billing_projects (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE,
    credits_cents INTEGER NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE billing_members (
    project_id INTEGER NOT NULL REFERENCES billing_projects(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role       TEXT    NOT NULL CHECK (role IN ('owner', 'user')),
    PRIMARY KEY (project_id, user_id)
);
CREATE INDEX billing_members_by_user ON billing_members(user_id, role);

CREATE TABLE workspaces (
    id              INTEGER PRIMARY KEY,
    project_id      INTEGER NOT NULL REFERENCES billing_projects(id),
    name            TEXT    NOT NULL,
    display_name    TEXT    NOT NULL,
    description     TEXT    NOT NULL DEFAULT '',
    tier            TEXT    NOT NULL CHECK (tier IN ('registered', 'controlled')),
    creator_id      INTEGER NOT NULL REFERENCES users(id),
    locked          INTEGER NOT NULL DEFAULT 0,
    acl_version     INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    modified_at     INTEGER NOT NULL,
    UNIQUE (project_id, name)
);

-- One row per principal: a user, a group or a pending invitation by email.
CREATE TABLE workspace_grants (
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    principal_key TEXT    NOT NULL,          -- 'u:<id>', 'g:<id>' or 'i:<email>'
    user_id       INTEGER REFERENCES users(id) ON DELETE CASCADE,
    role          TEXT    NOT NULL CHECK (role IN ('reader', 'writer', 'owner')),
    can_share     INTEGER NOT NULL,
    can_compute   INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, principal_key)
);
CREATE INDEX workspace_grants_by_user ON workspace_grants(user_id, workspace_id);
CREATE INDEX workspace_grants_by_principal ON workspace_grants(principal_key);

CREATE TABLE audit_events (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER,
    actor_id     INTEGER,
    action       TEXT    NOT NULL,
    detail       TEXT    NOT NULL,            -- JSON: before/after for sharing changes
    at           INTEGER NOT NULL
);
CREATE INDEX audit_events_by_workspace ON audit_events(workspace_id, id);
