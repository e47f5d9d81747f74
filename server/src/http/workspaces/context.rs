//! Loading a workspace with everything `core` needs to decide about the caller.

use carrel_core::access::WorkspaceFacts;
use carrel_core::{authorize, Action, Actor, Decision, Grant, Reason};
use sqlx::AnyConnection;

use crate::http::error::ApiError;
use crate::http::extract::CurrentUser;
use crate::store::memberships;
use crate::store::workspaces::{self, WorkspaceRow};

pub use crate::store::memberships::Memberships;

impl Memberships {
    pub async fn load(conn: &mut AnyConnection, user: &CurrentUser) -> Result<Self, ApiError> {
        Ok(memberships::of_user(conn, user.id).await?)
    }

    pub fn actor<'a>(&'a self, user: &CurrentUser) -> Actor<'a> {
        Actor {
            user: user.id,
            tiers: user.tiers,
            groups: &self.groups,
            owned_billing_projects: &self.owned_projects,
        }
    }
}

/// One workspace, its ACL and the caller's memberships: two queries in one connection or
/// transaction.
pub struct WorkspaceContext {
    pub row: WorkspaceRow,
    pub grants: Vec<Grant>,
    pub memberships: Memberships,
}

impl WorkspaceContext {
    pub async fn load(
        conn: &mut AnyConnection,
        user: &CurrentUser,
        namespace: &str,
        name: &str,
    ) -> Result<WorkspaceContext, ApiError> {
        let (row, grants) = workspaces::find_with_acl(&mut *conn, namespace, name)
            .await?
            .ok_or_else(|| {
                ApiError::NotFound(format!("There is no workspace {namespace}/{name}."))
            })?;
        let memberships = Memberships::load(conn, user).await?;
        Ok(WorkspaceContext {
            row,
            grants,
            memberships,
        })
    }

    pub fn facts(&self) -> WorkspaceFacts<'_> {
        WorkspaceFacts {
            tier: self.row.tier,
            locked: self.row.locked,
            billing_project: self.row.billing_project,
            grants: &self.grants,
        }
    }

    pub fn actor<'a>(&'a self, user: &CurrentUser) -> Actor<'a> {
        self.memberships.actor(user)
    }

    /// `core`'s decision on `action` for the caller.
    pub fn decide(&self, user: &CurrentUser, action: Action) -> Result<(), Reason> {
        match authorize(&self.actor(user), &self.facts(), action) {
            Decision::Allow => Ok(()),
            Decision::Deny(reason) => Err(reason),
        }
    }

    /// `core` decides; a refusal becomes a 403 naming the rule.
    pub fn require(&self, user: &CurrentUser, action: Action) -> Result<(), ApiError> {
        Ok(self.decide(user, action)?)
    }
}
