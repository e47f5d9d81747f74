//! Carrel's web app. Every rule it shows comes from `carrel-core`, evaluated in the browser.

pub mod api;
pub mod app;
pub mod components;
pub mod pages;
