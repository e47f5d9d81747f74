//! Server API tests over HTTP. Each test gets its own server and database: SQLite by default,
//! PostgreSQL when `CARREL_TEST_POSTGRES_URL` names a cluster (as `cargo xtask test` does).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod auth;
mod bad_input;
mod billing;
mod compression;
mod concurrency;
mod decisions;
mod directory;
mod errors;
mod files;
mod groups;
mod helpers;
mod lab;
mod matrix;
mod races;
mod scale;
mod security;
mod sharing;
mod tables;
mod tier_requests;
mod tiers;
mod workspaces;
