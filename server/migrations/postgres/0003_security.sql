-- Security: the first site admin by one-time setup token, shared throttling state, password
-- resets, and an index to prune expired sessions.

-- Hashes of one-time tokens that make the account signing up with one the site admin. Any
-- number may be outstanding (each server start without an admin adds one); the first used
-- removes them all.
CREATE TABLE setup_tokens (
    token_hash TEXT    PRIMARY KEY,
    created_at BIGINT  NOT NULL
);

-- Fixed-window counters shared by every replica: failed sign-ins per address, per account and
-- per (account, address), and sign-ups per address. Rows whose window has passed are pruned.
CREATE TABLE throttle (
    key          TEXT    PRIMARY KEY,
    window_start BIGINT  NOT NULL,
    hits         BIGINT  NOT NULL
);
CREATE INDEX throttle_by_window ON throttle(window_start);

-- One-time password reset links, made by a site admin for a user; only the hash is stored.
CREATE TABLE password_resets (
    token_hash TEXT    PRIMARY KEY,
    user_id    BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_by BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at BIGINT  NOT NULL
);
CREATE INDEX password_resets_by_user ON password_resets(user_id);

CREATE INDEX sessions_by_expiry ON sessions(expires_at);
