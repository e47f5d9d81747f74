-- Getting a tier: the checklist a site admin configures, each person's progress through it, their
-- requests and the admins' decisions, and the history of every grant and revocation.

-- A time-limited grant ends at its renewal date (NULL: no end).
ALTER TABLE user_tiers ADD COLUMN expires_at INTEGER;

CREATE TABLE tier_requirements (
    id         INTEGER PRIMARY KEY,
    tier       TEXT    NOT NULL CHECK (tier IN ('registered', 'controlled')),
    kind       TEXT    NOT NULL CHECK (kind IN ('training', 'data_use_agreement', 'identity')),
    title      TEXT    NOT NULL,
    details    TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE requirement_completions (
    requirement_id INTEGER NOT NULL REFERENCES tier_requirements(id) ON DELETE CASCADE,
    user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    completed_at   INTEGER NOT NULL,
    PRIMARY KEY (user_id, requirement_id)
);

CREATE TABLE tier_requests (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    tier         TEXT    NOT NULL CHECK (tier IN ('registered', 'controlled')),
    note         TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('pending', 'granted', 'denied')),
    requested_at INTEGER NOT NULL,
    decided_by   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    decided_at   INTEGER,
    reason       TEXT
);
-- One request per person and tier waits at a time.
CREATE UNIQUE INDEX tier_requests_one_pending ON tier_requests(user_id, tier) WHERE status = 'pending';
CREATE INDEX tier_requests_by_status ON tier_requests(status, id);

CREATE TABLE tier_history (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    tier       TEXT    NOT NULL CHECK (tier IN ('registered', 'controlled')),
    event      TEXT    NOT NULL CHECK (event IN ('granted', 'revoked', 'denied', 'expired')),
    actor_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    reason     TEXT    NOT NULL,
    expires_at INTEGER,
    at         INTEGER NOT NULL
);
CREATE INDEX tier_history_by_user ON tier_history(user_id, id);

-- A starting checklist; site admins change it.
INSERT INTO tier_requirements (tier, kind, title, details, created_at) VALUES
    ('registered', 'identity', 'Verify your identity', 'Confirm your name and institution with your institution''s sign-in or a government ID.', 0),
    ('registered', 'training', 'Responsible conduct of research training', 'Complete the online course on working with participant data (about 1 hour).', 0),
    ('registered', 'data_use_agreement', 'Sign the data user code of conduct', 'Agree to use the data only for the research purpose you describe and never to re-identify anyone.', 0),
    ('controlled', 'training', 'Controlled Tier training', 'Complete the course on genomic and other sensitive data (about 1 hour).', 0),
    ('controlled', 'data_use_agreement', 'Sign the Controlled Tier data use agreement', 'Agree to the additional terms for data that could identify a participant.', 0);
