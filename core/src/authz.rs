//! The one entry point for "may this user do this in this workspace".

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::access::{effective_access, Actor, EffectiveAccess, WorkspaceFacts};
use crate::principal::Principal;
use crate::share::Role;
use crate::tier::AccessTier;

/// Everything a user can try to do in a workspace (SPEC §4).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// See the workspace, its About page, collaborators, data, files, notebooks, workflows,
    /// submissions, cohorts and datasets.
    Read,
    Duplicate,
    /// Copy data tables, notebooks or workflows out to another workspace.
    CopyOut,
    /// Download files (egress cost).
    Download,
    /// Edit the description, data tables, files, notebooks, workflows, cohorts, concept sets,
    /// datasets; export to a notebook; abort submissions.
    Write,
    /// Launch workflows or analyses (compute cost).
    Launch,
    EditAbout,
    Lock,
    Unlock,
    Delete,
    ReadAudit,
    Share,
    Leave,
    /// List the bucket's files and folders.
    ListFiles,
    /// Preview a file in the page (no egress: it is not downloaded).
    ReadFiles,
    UploadFiles,
    /// Move or rename files.
    MoveFiles,
    DeleteFiles,
    /// See what the workspace has cost.
    ReadSpend,
    /// See the data tables and workspace attributes, export them.
    ReadEntities,
    /// Import a TSV file into the data tables (also: be the destination of a copy).
    ImportEntities,
    /// Add entities, edit cells, rename or delete columns, save sets, edit workspace attributes.
    EditEntities,
    DeleteEntities,
    /// Copy entities out to another workspace.
    CopyEntities,
}

impl Action {
    pub const ALL: [Action; 24] = [
        Action::Read,
        Action::Duplicate,
        Action::CopyOut,
        Action::Download,
        Action::Write,
        Action::Launch,
        Action::EditAbout,
        Action::Lock,
        Action::Unlock,
        Action::Delete,
        Action::ReadAudit,
        Action::Share,
        Action::Leave,
        Action::ListFiles,
        Action::ReadFiles,
        Action::UploadFiles,
        Action::MoveFiles,
        Action::DeleteFiles,
        Action::ReadSpend,
        Action::ReadEntities,
        Action::ImportEntities,
        Action::EditEntities,
        Action::DeleteEntities,
        Action::CopyEntities,
    ];

    /// The role the action needs, before flags, tier and lock are considered.
    pub fn required_role(self) -> Role {
        match self {
            Action::Read
            | Action::Duplicate
            | Action::CopyOut
            | Action::Download
            | Action::Share
            | Action::Leave
            | Action::ListFiles
            | Action::ReadFiles
            | Action::ReadEntities
            | Action::CopyEntities => Role::Reader,
            Action::Write
            | Action::Launch
            | Action::UploadFiles
            | Action::MoveFiles
            | Action::DeleteFiles
            | Action::ImportEntities
            | Action::EditEntities
            | Action::DeleteEntities => Role::Writer,
            Action::EditAbout
            | Action::Lock
            | Action::Unlock
            | Action::Delete
            | Action::ReadAudit
            | Action::ReadSpend => Role::Owner,
        }
    }

    /// Whether a locked workspace refuses the action.
    pub fn refused_when_locked(self) -> bool {
        matches!(
            self,
            Action::Write
                | Action::Launch
                | Action::Delete
                | Action::EditAbout
                | Action::UploadFiles
                | Action::MoveFiles
                | Action::DeleteFiles
                | Action::ImportEntities
                | Action::EditEntities
                | Action::DeleteEntities
        )
    }

    pub fn describe(self) -> &'static str {
        match self {
            Action::Read => "open this workspace",
            Action::Duplicate => "duplicate this workspace",
            Action::CopyOut => "copy items out of this workspace",
            Action::Download => "download files from this workspace",
            Action::Write => "edit this workspace",
            Action::Launch => "launch analyses in this workspace",
            Action::EditAbout => "edit this workspace's About page",
            Action::Lock => "lock this workspace",
            Action::Unlock => "unlock this workspace",
            Action::Delete => "delete this workspace",
            Action::ReadAudit => "read this workspace's audit log",
            Action::Share => "share this workspace",
            Action::Leave => "leave this workspace",
            Action::ListFiles => "list this workspace's files",
            Action::ReadFiles => "preview this workspace's files",
            Action::UploadFiles => "upload files to this workspace",
            Action::MoveFiles => "move or rename this workspace's files",
            Action::DeleteFiles => "delete this workspace's files",
            Action::ReadSpend => "see what this workspace has cost",
            Action::ReadEntities => "see this workspace's data tables",
            Action::ImportEntities => "import data tables into this workspace",
            Action::EditEntities => "edit this workspace's data tables",
            Action::DeleteEntities => "delete entities from this workspace's data tables",
            Action::CopyEntities => "copy entities out of this workspace",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", content = "reason", rename_all = "snake_case")]
pub enum Decision {
    Allow,
    Deny(Reason),
}

impl Decision {
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allow)
    }

    pub fn into_result(self) -> Result<(), Reason> {
        match self {
            Decision::Allow => Ok(()),
            Decision::Deny(reason) => Err(reason),
        }
    }
}

/// Why something was refused. Each variant names one rule; `Display` renders it for people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Reason {
    #[error("You need the Registered Tier before you can use workspaces; a site admin grants it once you complete its requirements.")]
    NotRegistered,
    #[error("You do not have access to this workspace.")]
    NoAccess,
    #[error("Complete the requirements for the {tier} to open this workspace.")]
    MissingTier { tier: AccessTier },
    #[error("Only {} can {}; you are {}.", needed.plural(), action.describe(), held.with_article())]
    RoleTooLow {
        action: Action,
        needed: Role,
        held: Role,
    },
    #[error("Launching analyses needs the can-compute permission, which you do not have here.")]
    MissingCanCompute,
    #[error("Sharing needs the can-share permission, which you do not have here.")]
    MissingCanShare,
    #[error("This workspace is locked: unlock it before you {}.", action.describe())]
    Locked { action: Action },
    #[error("This workspace is already locked.")]
    AlreadyLocked,
    #[error("This workspace is not locked.")]
    NotLocked,
    #[error("You have no direct grant on this workspace to leave; your access comes from a group or the billing project.")]
    NoDirectGrant,
    #[error("You are the last direct owner: make someone else an owner before you leave.")]
    LastDirectOwner,
    #[error("Only site admins can grant or revoke data-access tiers.")]
    NotSiteAdmin,
}

impl Reason {
    /// A stable machine-readable name of the rule, used as the API error code.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::NotRegistered => "tier_registered_required",
            Reason::NoAccess => "no_access",
            Reason::MissingTier { .. } => "tier_required",
            Reason::RoleTooLow { .. } => "role_too_low",
            Reason::MissingCanCompute => "can_compute_required",
            Reason::MissingCanShare => "can_share_required",
            Reason::Locked { .. } => "workspace_locked",
            Reason::AlreadyLocked => "already_locked",
            Reason::NotLocked => "not_locked",
            Reason::NoDirectGrant => "no_direct_grant",
            Reason::LastDirectOwner => "last_direct_owner",
            Reason::NotSiteAdmin => "site_admin_required",
        }
    }
}

/// Creating billing projects, groups or workspaces needs the Registered Tier.
pub fn require_registered(tiers: crate::TierSet) -> Result<(), Reason> {
    if tiers.contains(AccessTier::Registered) {
        Ok(())
    } else {
        Err(Reason::NotRegistered)
    }
}

/// Granting and revoking tiers is for site admins.
pub fn require_site_admin(is_site_admin: bool) -> Result<(), Reason> {
    if is_site_admin {
        Ok(())
    } else {
        Err(Reason::NotSiteAdmin)
    }
}

/// "Why do I have this access" answers anyone who holds a role in the workspace (even one still
/// waiting for its tier, so they can see what they wait for), and nobody else: to a stranger it
/// would confirm which people and groups hold access.
pub fn may_explain_access(access: &EffectiveAccess) -> Result<(), Reason> {
    access.role.map(|_| ()).ok_or(Reason::NoAccess)
}

/// May `actor` do `action` in `workspace`?
pub fn authorize(actor: &Actor<'_>, workspace: &WorkspaceFacts<'_>, action: Action) -> Decision {
    let access = effective_access(actor, workspace);
    match decide(actor, workspace, &access, action) {
        Ok(()) => Decision::Allow,
        Err(reason) => Decision::Deny(reason),
    }
}

/// As [`authorize`], for a caller that already computed the effective access.
pub fn authorize_with(
    actor: &Actor<'_>,
    workspace: &WorkspaceFacts<'_>,
    access: &EffectiveAccess,
    action: Action,
) -> Decision {
    match decide(actor, workspace, access, action) {
        Ok(()) => Decision::Allow,
        Err(reason) => Decision::Deny(reason),
    }
}

fn decide(
    actor: &Actor<'_>,
    workspace: &WorkspaceFacts<'_>,
    access: &EffectiveAccess,
    action: Action,
) -> Result<(), Reason> {
    if action == Action::Leave {
        return may_leave(actor, workspace);
    }
    if !actor.tiers.contains(AccessTier::Registered) {
        return Err(Reason::NotRegistered);
    }
    let held = access.role.ok_or(Reason::NoAccess)?;
    let owner_deleting = action == Action::Delete && held == Role::Owner;
    if !access.has_tier && !owner_deleting {
        return Err(Reason::MissingTier {
            tier: workspace.tier,
        });
    }
    let needed = action.required_role();
    if held < needed {
        return Err(Reason::RoleTooLow {
            action,
            needed,
            held,
        });
    }
    match action {
        Action::Launch if !access.can_compute => return Err(Reason::MissingCanCompute),
        Action::Share if !access.can_share => return Err(Reason::MissingCanShare),
        Action::Lock if workspace.locked => return Err(Reason::AlreadyLocked),
        Action::Unlock if !workspace.locked => return Err(Reason::NotLocked),
        _ => {}
    }
    if workspace.locked && action.refused_when_locked() {
        return Err(Reason::Locked { action });
    }
    Ok(())
}

/// Anyone may remove their own direct grant, unless it is the last direct user owner.
fn may_leave(actor: &Actor<'_>, workspace: &WorkspaceFacts<'_>) -> Result<(), Reason> {
    let me = Principal::User(actor.user);
    let mine = workspace
        .grants
        .iter()
        .find(|grant| grant.principal == me)
        .ok_or(Reason::NoDirectGrant)?;
    if mine.role == Role::Owner && crate::share::direct_user_owner_count(workspace.grants) <= 1 {
        return Err(Reason::LastDirectOwner);
    }
    Ok(())
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}
