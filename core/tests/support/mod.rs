//! Shared by the rule tests: random worlds, and their Cedar encoding. Each test crate uses part.
#![allow(dead_code)]

pub mod cedar;
pub mod world;
