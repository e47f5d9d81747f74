//! Loading a workspace with everything `core` needs to decide about the caller.

use carrel_core::access::WorkspaceFacts;
use carrel_core::{authorize, Action, Actor, BillingProjectId, Decision, Grant, GroupId};
use sqlx::AnyConnection;

use crate::http::error::ApiError;
use crate::http::extract::CurrentUser;
use crate::store::workspaces::{self, WorkspaceRow};
use crate::store::{billing, groups};

/// The caller's memberships: the groups they are in (transitively) and the projects they own.
pub struct Memberships {
    pub groups: Vec<GroupId>,
    pub owned: Vec<BillingProjectId>,
}

impl Memberships {
    pub async fn load(conn: &mut AnyConnection, user: &CurrentUser) -> Result<Self, ApiError> {
        Ok(Memberships {
            groups: groups::closure_of_user(&mut *conn, user.id).await?,
            owned: billing::owned_by(&mut *conn, user.id).await?,
        })
    }

    pub fn actor<'a>(&'a self, user: &CurrentUser) -> Actor<'a> {
        Actor {
            user: user.id,
            tiers: user.tiers,
            groups: &self.groups,
            owned_billing_projects: &self.owned,
        }
    }
}

/// One workspace, its ACL and the caller's memberships, read in one connection or transaction.
pub struct Loaded {
    pub row: WorkspaceRow,
    pub grants: Vec<Grant>,
    pub memberships: Memberships,
}

impl Loaded {
    pub async fn load(
        conn: &mut AnyConnection,
        user: &CurrentUser,
        namespace: &str,
        name: &str,
    ) -> Result<Loaded, ApiError> {
        let row = workspaces::find(&mut *conn, namespace, name)
            .await?
            .ok_or_else(|| {
                ApiError::NotFound(format!("There is no workspace {namespace}/{name}."))
            })?;
        let grants = workspaces::grants_of(&mut *conn, row.id).await?;
        let memberships = Memberships::load(conn, user).await?;
        Ok(Loaded {
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

    /// `core` decides; a refusal becomes a 403 naming the rule.
    pub fn require(&self, user: &CurrentUser, action: Action) -> Result<(), ApiError> {
        match authorize(&self.actor(user), &self.facts(), action) {
            Decision::Allow => Ok(()),
            Decision::Deny(reason) => Err(reason.into()),
        }
    }
}
