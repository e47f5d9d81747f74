//! End-to-end: the real server serving the real release web build (`CARREL_DIST`), driven in
//! headless Chromium over WebDriver (chromedriver at `CHROMEDRIVER`). `cargo xtask test` builds
//! the web app and sets both.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod about;
mod account;
mod browser;
mod directory;
mod files;
mod invitations;
mod lab;
mod layout;
mod leaving;
mod patterns;
mod scale;
mod sign_in;
mod spend;
mod tables;
mod tiers;
mod workspaces;
