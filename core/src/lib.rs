//! Carrel's rules. Every permission decision in the product is made by a function in this crate:
//! the server calls it before every write, the web app calls it to show what is allowed.
//!
//! Nothing here performs I/O, reads a clock or draws randomness; time and ids are parameters.

pub mod access;
pub mod api;
pub mod audit;
pub mod authz;
pub mod billing;
pub mod costs;
pub mod entities;
pub mod files;
pub mod groups;
pub mod principal;
pub mod refusal;
pub mod share;
pub mod tables;
pub mod tier;
pub mod tier_requests;
pub mod validate;
pub mod workspace;

pub use access::{effective_access, explain_access, AccessSource, Actor, EffectiveAccess, Via};
pub use authz::{authorize, Action, Decision, Reason};
pub use principal::{BillingProjectId, Email, GroupId, Principal, UserId};
pub use refusal::{Refusal, RefusalKind};
pub use share::{Acl, AclChange, Grant, Role};
pub use tier::{AccessTier, TierSet};
