//! The ACL: read it with what the caller may grant; change it as one atomic, versioned batch.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;

use axum::Json;

use carrel_core::api::ErrorCode;
use carrel_core::api::{
    AclChangeRequest, AclEntryView, AclPatchRequest, AclPatchResponse, AclRefusalView, AclView,
    ActorView, ErrorDetail, PrincipalRef, PrincipalView,
};
use carrel_core::share::{self, AclChange, Refusal, ShareContext, ShareRefusal, ValidateError};
use carrel_core::{Acl, Action, Email, Principal, TierSet, UserId};
use sqlx::AnyConnection;

use super::WorkspaceContext;
use crate::http::error::ApiError;
use crate::http::extract::{ApiJson, CurrentUser, Session};
use crate::store::acl_writes::{self, AclWrite};
use crate::store::people::{self, People, Wanted};
use crate::store::workspaces;
use crate::{now_ms, AppState};

/// Most changes one batch may carry.
pub const MAX_CHANGES: usize = 200;

#[utoipa::path(get, path = "/workspaces/{namespace}/{name}/acl", tag = "sharing", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name")), responses((status = 200, body = carrel_core::api::AclView), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
pub async fn read(
    State(state): State<AppState>,
    session: Session,
    Path((namespace, name)): Path<(String, String)>,
) -> Result<Json<AclView>, ApiError> {
    let mut conn = state.store.pool().acquire().await?;
    let user = session.identify(&mut conn).await?;
    let loaded = WorkspaceContext::load(&mut conn, &user, &namespace, &name).await?;
    loaded.require(&user, Action::Read)?;
    Ok(Json(view(&mut conn, &loaded, &user).await?))
}

/// Everyone an ACL and a batch mention (people, groups, project owners), for labels, tier warnings
/// and resolving the batch: one query.
struct Mentioned {
    people: People,
    tiers: BTreeMap<UserId, TierSet>,
}

impl Mentioned {
    async fn load(
        conn: &mut AnyConnection,
        loaded: &WorkspaceContext,
        requested: &[AclChangeRequest],
    ) -> Result<Self, ApiError> {
        let user_ids: Vec<UserId> = loaded
            .grants
            .iter()
            .filter_map(|g| g.principal.as_user())
            .collect();
        let group_ids: Vec<carrel_core::GroupId> = loaded
            .grants
            .iter()
            .filter_map(|g| match g.principal {
                Principal::Group(id) => Some(id),
                _ => None,
            })
            .collect();
        let mut emails = Vec::new();
        let mut group_names = Vec::new();
        for change in requested {
            match request_principal(change) {
                PrincipalRef::User { email } => {
                    emails.extend(Email::parse(email).ok().map(String::from))
                }
                PrincipalRef::Group { name } => group_names.push(name.clone()),
            }
        }
        let people = people::find(
            conn,
            &Wanted {
                project: loaded.row.billing_project,
                user_ids: &user_ids,
                emails: &emails,
                group_ids: &group_ids,
                group_names: &group_names,
            },
        )
        .await?;
        Ok(Mentioned {
            tiers: people.tiers(),
            people,
        })
    }

    fn describe(&self, principal: &Principal) -> PrincipalView {
        let (reference, label) = match principal {
            Principal::User(id) => {
                let label = self.people.users.get(id).cloned().unwrap_or_default();
                (
                    PrincipalRef::User { email: label.email },
                    label.display_name,
                )
            }
            Principal::Group(id) => {
                let name = self.people.groups.get(id).cloned().unwrap_or_default();
                (PrincipalRef::Group { name: name.clone() }, name)
            }
            Principal::Invitation(email) => (
                PrincipalRef::User {
                    email: email.to_string(),
                },
                email.to_string(),
            ),
        };
        PrincipalView {
            principal: principal.clone(),
            reference,
            label,
        }
    }
}

async fn view(
    conn: &mut AnyConnection,
    loaded: &WorkspaceContext,
    user: &CurrentUser,
) -> Result<AclView, ApiError> {
    let mentioned = Mentioned::load(conn, loaded, &[]).await?;
    Ok(render(loaded, user, &mentioned))
}

/// The ACL view from data already loaded: no queries.
fn render(loaded: &WorkspaceContext, user: &CurrentUser, mentioned: &Mentioned) -> AclView {
    let project_owners = &mentioned.people.project_owners;
    let owner_principals: Vec<Principal> = project_owners
        .iter()
        .map(|id| Principal::User(*id))
        .collect();
    let ctx = share_context(loaded, user, project_owners, &mentioned.tiers);
    let acl = Acl {
        version: loaded.row.acl_version,
        grants: loaded.grants.clone(),
    };
    let entries = loaded
        .grants
        .iter()
        .map(|grant| {
            let tiers = grant
                .principal
                .as_user()
                .and_then(|id| mentioned.tiers.get(&id).copied())
                .unwrap_or_default();
            let waiting = share::waiting_for_tier(&ctx, &grant.principal);
            AclEntryView {
                who: mentioned.describe(&grant.principal),
                role: grant.role,
                can_share: grant.can_share,
                can_compute: grant.can_compute,
                waiting_for_tier: waiting,
                tiers,
            }
        })
        .collect();
    AclView {
        version: loaded.row.acl_version,
        entries,
        tier: loaded.row.tier,
        locked: loaded.row.locked,
        billing_project: loaded.row.billing_project,
        project_owners: owner_principals
            .iter()
            .map(|p| mentioned.describe(p))
            .collect(),
        me: ActorView {
            user: user.id,
            tiers: user.tiers,
            groups: loaded.memberships.groups.clone(),
            owned_billing_projects: loaded.memberships.owned_projects.clone(),
        },
        plan: share::plan(&ctx, &acl),
    }
}

fn share_context<'a>(
    loaded: &'a WorkspaceContext,
    user: &CurrentUser,
    project_owners: &'a [UserId],
    tiers: &'a BTreeMap<UserId, TierSet>,
) -> ShareContext<'a> {
    ShareContext {
        actor: loaded.actor(user),
        tier: loaded.row.tier,
        locked: loaded.row.locked,
        billing_project: loaded.row.billing_project,
        project_owners,
        user_tiers: tiers,
    }
}

#[utoipa::path(patch, path = "/workspaces/{namespace}/{name}/acl", tag = "sharing", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name")), request_body = carrel_core::api::AclPatchRequest, responses((status = 200, body = carrel_core::api::AclPatchResponse), (status = 400, description = "Unknown principals, each listed in refusals", body = carrel_core::api::ErrorBody), (status = 403, description = "Refused: every refusal listed; nothing applied", body = carrel_core::api::ErrorBody), (status = 409, description = "Stale version: nothing applied; the current ACL is included", body = carrel_core::api::ErrorBody)))]
pub async fn patch(
    State(state): State<AppState>,
    // Identified before the body is read and before the write lock is taken: an unknown
    // session is refused without queueing behind real changes.
    user: CurrentUser,
    Path((namespace, name)): Path<(String, String)>,
    ApiJson(request): ApiJson<AclPatchRequest>,
) -> Result<Json<AclPatchResponse>, ApiError> {
    if request.changes.is_empty() || request.changes.len() > MAX_CHANGES {
        return Err(ApiError::field(
            "changes",
            "Send between 1 and 200 changes in one batch.",
        ));
    }
    // A transaction the database refused because a concurrent one won (PostgreSQL's
    // serialization failure or deadlock) is tried again, from a fresh read, before the client
    // is asked to retry.
    let mut attempt = 1;
    loop {
        match apply_batch(&state, &user, &namespace, &name, &request).await {
            Err(ApiError::LostRace) if attempt < 3 => attempt += 1,
            Err(ApiError::LostRace) => {
                return Err(ApiError::Busy {
                    retry_after_secs: 1,
                })
            }
            answer => return answer,
        }
    }
}

async fn apply_batch(
    state: &AppState,
    user: &CurrentUser,
    namespace: &str,
    name: &str,
    request: &AclPatchRequest,
) -> Result<Json<AclPatchResponse>, ApiError> {
    let mut tx = state.store.begin_write().await?;
    let loaded = WorkspaceContext::load(&mut tx, user, namespace, name).await?;
    // Authorization comes before any answer that carries data: a caller who may not share
    // (which includes everyone who may not read the workspace) learns nothing of its ACL, not
    // even through a stale version, nor which of the principals named exist.
    if let Err(reason) = loaded.decide(user, Action::Share) {
        let refusal = ShareRefusal::CannotShare { reason };
        let views = request
            .changes
            .iter()
            .map(|change| AclRefusalView {
                principal: request_principal(change).clone(),
                code: refusal.code().to_owned(),
                message: refusal.to_string(),
            })
            .collect();
        return Err(refused(
            StatusCode::FORBIDDEN,
            ErrorCode::AclChangeRefused.as_str(),
            views,
        ));
    }
    let mentioned = Mentioned::load(&mut tx, &loaded, &request.changes).await?;
    let (changes, unresolved) = resolve(&mentioned.people, &request.changes);
    if !unresolved.is_empty() {
        return Err(refused(
            StatusCode::BAD_REQUEST,
            ErrorCode::UnknownPrincipal.as_str(),
            unresolved,
        ));
    }
    let ctx = share_context(
        &loaded,
        user,
        &mentioned.people.project_owners,
        &mentioned.tiers,
    );
    let acl = Acl {
        version: loaded.row.acl_version,
        grants: loaded.grants.clone(),
    };
    let done = match share::validate(&ctx, &acl, request.version, &changes) {
        Ok(done) => done,
        Err(ValidateError::Stale { .. }) => {
            return Err(stale(&mut tx, &loaded, user).await?);
        }
        Err(ValidateError::Refused(_))
            if workspaces::acl_version_of(&mut tx, loaded.row.id).await? != acl.version =>
        {
            // Refused against an ACL that has since moved (on PostgreSQL an invitation can be
            // activated between reading the ACL and resolving the batch): stale, not refused.
            return Err(stale(&mut tx, &loaded, user).await?);
        }
        Err(ValidateError::Refused(refusals)) => {
            let views = refusals
                .iter()
                .map(|r| refusal_view(&mentioned, &request.changes, &changes, r))
                .collect();
            return Err(refused(
                StatusCode::FORBIDDEN,
                ErrorCode::AclChangeRefused.as_str(),
                views,
            ));
        }
    };
    if !done.diffs.is_empty() {
        let event: Vec<serde_json::Value> = done
            .diffs
            .iter()
            .map(|diff| {
                let who = mentioned.describe(&diff.principal);
                serde_json::json!({
                    "principal": who.reference,
                    "name": who.label,
                    "before": diff.before,
                    "after": diff.after,
                })
            })
            .collect();
        let write = AclWrite {
            workspace: loaded.row.id,
            diffs: &done.diffs,
            expected_version: acl.version,
            actor: user.id,
            audit_detail: &serde_json::json!(event),
            now: now_ms(),
        };
        if !acl_writes::apply(&mut tx, state.store.backend(), &write).await? {
            // Someone moved the version first: undo this batch, then show theirs.
            tx.rollback().await?;
            let mut conn = state.store.pool().acquire().await?;
            return Err(stale(&mut conn, &loaded, user).await?);
        }
    }
    tx.commit().await?;
    // Answer with the ACL `core` validated and the labels already loaded: nothing to read back.
    let mut updated = loaded;
    updated.row.acl_version = done.acl.version;
    updated.grants = done.acl.grants.clone();
    let acl_view = render(&updated, user, &mentioned);
    let warnings = done.warnings.iter().map(|w| w.message()).collect();
    Ok(Json(AclPatchResponse {
        acl: acl_view,
        warnings,
    }))
}

/// Someone else changed the ACL first: nothing applied; here is the current one to review.
async fn stale(
    tx: &mut AnyConnection,
    loaded: &WorkspaceContext,
    user: &CurrentUser,
) -> Result<ApiError, ApiError> {
    let fresh =
        WorkspaceContext::load(&mut *tx, user, &loaded.row.namespace, &loaded.row.name).await?;
    let current = view(tx, &fresh, user).await?;
    let stale = ValidateError::Stale {
        current: current.version,
    };
    Ok(ApiError::AclChange {
        status: StatusCode::CONFLICT,
        detail: Box::new(ErrorDetail {
            current: Some(Box::new(current)),
            ..ErrorDetail::new(ErrorCode::Stale.as_str(), &stale.to_string())
        }),
    })
}

fn refused(status: StatusCode, code: &str, refusals: Vec<AclRefusalView>) -> ApiError {
    let count = refusals.len();
    let changes = if count == 1 {
        "change was"
    } else {
        "changes were"
    };
    let message = format!("{count} {changes} refused; nothing was applied.");
    ApiError::AclChange {
        status,
        detail: Box::new(ErrorDetail {
            refusals,
            ..ErrorDetail::new(code, &message)
        }),
    }
}

fn refusal_view(
    mentioned: &Mentioned,
    requested: &[AclChangeRequest],
    resolved: &[AclChange],
    refusal: &Refusal,
) -> AclRefusalView {
    let reference = resolved
        .iter()
        .position(|c| c.principal() == &refusal.principal)
        .and_then(|i| requested.get(i))
        .map(request_principal)
        .cloned()
        .unwrap_or_else(|| mentioned.describe(&refusal.principal).reference);
    AclRefusalView {
        principal: reference,
        code: refusal.refusal.code().to_owned(),
        message: refusal.refusal.to_string(),
    }
}

fn request_principal(change: &AclChangeRequest) -> &PrincipalRef {
    match change {
        AclChangeRequest::Set { principal, .. } | AclChangeRequest::Remove { principal } => {
            principal
        }
    }
}

/// Turn emails and group names into `core` principals: a registered user, a group, or an
/// invitation for an email nobody has signed up with. Unknown groups and malformed addresses
/// come back as refusals.
fn resolve(
    people: &People,
    requested: &[AclChangeRequest],
) -> (Vec<AclChange>, Vec<AclRefusalView>) {
    let mut changes = Vec::with_capacity(requested.len());
    let mut unresolved = Vec::new();
    for change in requested {
        let reference = request_principal(change);
        let principal = match reference {
            PrincipalRef::User { email } => match Email::parse(email) {
                Ok(email) => match people.user_by_email(email.as_str()) {
                    Some(id) => Some(Principal::User(id)),
                    None => Some(Principal::Invitation(email)),
                },
                Err(error) => {
                    unresolved.push(AclRefusalView {
                        principal: reference.clone(),
                        code: ErrorCode::InvalidEmail.as_str().to_owned(),
                        message: error.message,
                    });
                    None
                }
            },
            PrincipalRef::Group { name } => match people.group_by_name(name) {
                Some(id) => Some(Principal::Group(id)),
                None => {
                    unresolved.push(AclRefusalView {
                        principal: reference.clone(),
                        code: ErrorCode::UnknownGroup.as_str().to_owned(),
                        message: format!("There is no group named {name}."),
                    });
                    None
                }
            },
        };
        if let Some(principal) = principal {
            changes.push(match change {
                AclChangeRequest::Set {
                    role,
                    can_share,
                    can_compute,
                    ..
                } => AclChange::Set {
                    principal,
                    role: *role,
                    can_share: *can_share,
                    can_compute: *can_compute,
                },
                AclChangeRequest::Remove { .. } => AclChange::Remove { principal },
            });
        }
    }
    (changes, unresolved)
}
