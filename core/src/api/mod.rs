//! Wire types of the HTTP API, shared by the server and the web app: one module per resource,
//! every type re-exported here.

mod admin;
mod auth;
mod billing;
mod costs;
mod directory;
mod entities;
mod errors;
mod files;
mod groups;
mod sharing;
mod tiers;
mod workspaces;

pub use admin::*;
pub use auth::*;
pub use billing::*;
pub use costs::*;
pub use directory::*;
pub use entities::*;
pub use errors::*;
pub use files::*;
pub use groups::*;
pub use sharing::*;
pub use tiers::*;
pub use workspaces::*;
