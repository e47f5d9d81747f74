pub mod auth;
pub mod create;
pub mod not_found;
pub mod workspace;
pub mod workspaces;
