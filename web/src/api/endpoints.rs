//! Every endpoint of the API, typed. Grouped as the server groups them.

use gloo_net::http::Method;

use carrel_core::api::{
    AclPatchRequest, AclPatchResponse, AclView, AddCreditsRequest, AuditLog, BillingMemberRequest,
    BillingProjectView, ChangePasswordRequest, CreateBillingProjectRequest, CreateGroupRequest,
    CreateWorkspaceRequest, DecideRequest, Directory, DirectoryEntry, DirectorySearch,
    DuplicateWorkspaceRequest, EditWorkspaceRequest, FileEntry, FileListing, FilePreview,
    GroupMemberRequest, GroupRequestView, GroupSettingsRequest, GroupView, LoginRequest, Me,
    MoveFileRequest, MyTiers, NewTierRequest, NewTierRequirement, PasswordResetLink,
    PermissionsView, ResetPasswordRequest, SessionsEnded, SignupRequest, SpendReport, TierDecision,
    TierGrant, TierHistoryEntry, TierRequestView, TierRequirement, UserMatch, UserTiers,
    WorkspaceDetail, WorkspaceList,
};
use carrel_core::api::{
    ColumnChange, ColumnChanged, CopiedEntities, CopyEntitiesRequest, DeleteEntitiesRequest,
    DeletedEntities, EntityEdit, EntityPage, EntityRow, EntityTypeList, ImportSummary, NewEntity,
    WorkspaceAttributes, WorkspaceAttributesEdit,
};
use carrel_core::workspace::DatasetVersion;
use carrel_core::AccessTier;

use super::transport::{get, segment, send};
use super::ApiError;

/// Which workspace: its billing project and URL name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct WorkspaceAddress {
    pub namespace: String,
    pub name: String,
}

impl WorkspaceAddress {
    pub fn new(namespace: &str, name: &str) -> Self {
        WorkspaceAddress {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        }
    }

    pub fn of(detail: &WorkspaceDetail) -> Self {
        Self::new(&detail.namespace, &detail.name)
    }

    /// The workspace's page in the web app.
    pub fn page(&self) -> String {
        format!(
            "/workspaces/{}/{}",
            segment(&self.namespace),
            segment(&self.name)
        )
    }

    fn api(&self, suffix: &str) -> String {
        format!("{}{suffix}", self.page())
    }
}

// Signing in and out, and the account.

pub async fn me() -> Result<Me, ApiError> {
    get("/me").await
}

pub async fn sign_in(request: &LoginRequest) -> Result<Me, ApiError> {
    send(Method::POST, "/auth/login", request).await
}

pub async fn sign_up(request: &SignupRequest) -> Result<Me, ApiError> {
    send(Method::POST, "/auth/signup", request).await
}

pub async fn sign_out() -> Result<(), ApiError> {
    send(Method::POST, "/auth/logout", &()).await
}

pub async fn sign_out_everywhere() -> Result<SessionsEnded, ApiError> {
    send(Method::POST, "/auth/logout-everywhere", &()).await
}

pub async fn change_password(request: &ChangePasswordRequest) -> Result<(), ApiError> {
    send(Method::POST, "/me/password", request).await
}

pub async fn reset_password(request: &ResetPasswordRequest) -> Result<(), ApiError> {
    send(Method::POST, "/auth/reset-password", request).await
}

// People and the public directory.

pub async fn find_users(query: &str) -> Result<Vec<UserMatch>, ApiError> {
    get(&format!("/users?q={}", segment(query))).await
}

pub async fn directory(search: &DirectorySearch) -> Result<Directory, ApiError> {
    get(&format!("/directory?{}", search.query_string())).await
}

pub async fn directory_entry(id: i64) -> Result<DirectoryEntry, ApiError> {
    get(&format!("/directory/{id}")).await
}

pub async fn dataset_versions() -> Result<Vec<DatasetVersion>, ApiError> {
    get("/dataset-versions").await
}

// Workspaces.

pub async fn workspaces() -> Result<WorkspaceList, ApiError> {
    get("/workspaces").await
}

pub async fn create_workspace(
    request: &CreateWorkspaceRequest,
) -> Result<WorkspaceDetail, ApiError> {
    send(Method::POST, "/workspaces", request).await
}

pub async fn workspace(at: &WorkspaceAddress) -> Result<WorkspaceDetail, ApiError> {
    get(&at.api("")).await
}

pub async fn edit_workspace(
    at: &WorkspaceAddress,
    request: &EditWorkspaceRequest,
) -> Result<WorkspaceDetail, ApiError> {
    send(Method::PATCH, &at.api(""), request).await
}

/// Delete, confirmed with the name the user typed.
pub async fn delete_workspace(at: &WorkspaceAddress, confirm: &str) -> Result<(), ApiError> {
    send(
        Method::DELETE,
        &at.api(&format!("?confirm={}", segment(confirm))),
        &(),
    )
    .await
}

pub async fn lock_workspace(at: &WorkspaceAddress) -> Result<WorkspaceDetail, ApiError> {
    send(Method::POST, &at.api("/lock"), &()).await
}

pub async fn unlock_workspace(at: &WorkspaceAddress) -> Result<WorkspaceDetail, ApiError> {
    send(Method::POST, &at.api("/unlock"), &()).await
}

pub async fn leave_workspace(at: &WorkspaceAddress) -> Result<(), ApiError> {
    send(Method::POST, &at.api("/leave"), &()).await
}

pub async fn duplicate_workspace(
    at: &WorkspaceAddress,
    request: &DuplicateWorkspaceRequest,
) -> Result<WorkspaceDetail, ApiError> {
    send(Method::POST, &at.api("/duplicate"), request).await
}

pub async fn acl(at: &WorkspaceAddress) -> Result<AclView, ApiError> {
    get(&at.api("/acl")).await
}

pub async fn patch_acl(
    at: &WorkspaceAddress,
    request: &AclPatchRequest,
) -> Result<AclPatchResponse, ApiError> {
    send(Method::PATCH, &at.api("/acl"), request).await
}

pub async fn permissions(at: &WorkspaceAddress) -> Result<PermissionsView, ApiError> {
    get(&at.api("/permissions")).await
}

pub async fn audit_log(at: &WorkspaceAddress) -> Result<AuditLog, ApiError> {
    get(&at.api("/audit")).await
}

// Billing projects.

fn project_path(name: &str) -> String {
    format!("/billing-projects/{}", segment(name))
}

pub async fn billing_projects() -> Result<Vec<BillingProjectView>, ApiError> {
    get("/billing-projects").await
}

pub async fn create_billing_project(
    request: &CreateBillingProjectRequest,
) -> Result<BillingProjectView, ApiError> {
    send(Method::POST, "/billing-projects", request).await
}

pub async fn billing_project(name: &str) -> Result<BillingProjectView, ApiError> {
    get(&project_path(name)).await
}

pub async fn set_billing_member(
    project: &str,
    email: &str,
    request: &BillingMemberRequest,
) -> Result<BillingProjectView, ApiError> {
    let path = format!("{}/members/{}", project_path(project), segment(email));
    send(Method::PUT, &path, request).await
}

pub async fn remove_billing_member(project: &str, email: &str) -> Result<(), ApiError> {
    let path = format!("{}/members/{}", project_path(project), segment(email));
    send(Method::DELETE, &path, &()).await
}

// Groups.

fn group_path(name: &str) -> String {
    format!("/groups/{}", segment(name))
}

pub async fn groups() -> Result<Vec<GroupView>, ApiError> {
    get("/groups").await
}

pub async fn find_groups(query: &str) -> Result<Vec<GroupView>, ApiError> {
    get(&format!("/groups?q={}", segment(query))).await
}

pub async fn create_group(request: &CreateGroupRequest) -> Result<GroupView, ApiError> {
    send(Method::POST, "/groups", request).await
}

pub async fn group(name: &str) -> Result<GroupView, ApiError> {
    get(&group_path(name)).await
}

pub async fn group_settings(
    name: &str,
    request: &GroupSettingsRequest,
) -> Result<GroupView, ApiError> {
    send(Method::PATCH, &group_path(name), request).await
}

pub async fn delete_group(name: &str) -> Result<(), ApiError> {
    send(Method::DELETE, &group_path(name), &()).await
}

/// Add or change a member: a person's email or a group's address.
pub async fn set_group_member(
    group: &str,
    member: &str,
    request: &GroupMemberRequest,
) -> Result<GroupView, ApiError> {
    let path = format!("{}/members/{}", group_path(group), segment(member));
    send(Method::PUT, &path, request).await
}

pub async fn remove_group_member(group: &str, member: &str) -> Result<(), ApiError> {
    let path = format!("{}/members/{}", group_path(group), segment(member));
    send(Method::DELETE, &path, &()).await
}

pub async fn group_requests(name: &str) -> Result<Vec<GroupRequestView>, ApiError> {
    get(&format!("{}/requests", group_path(name))).await
}

pub async fn request_group_access(name: &str) -> Result<(), ApiError> {
    send(Method::POST, &format!("{}/requests", group_path(name)), &()).await
}

pub async fn decide_group_request(
    name: &str,
    id: i64,
    request: &DecideRequest,
) -> Result<(), ApiError> {
    let path = format!("{}/requests/{id}", group_path(name));
    send(Method::POST, &path, request).await
}

// Getting a tier.

pub async fn my_tiers() -> Result<MyTiers, ApiError> {
    get("/tiers").await
}

pub async fn mark_requirement(id: i64, done: bool) -> Result<MyTiers, ApiError> {
    let method = if done { Method::PUT } else { Method::DELETE };
    send(method, &format!("/tiers/requirements/{id}/completion"), &()).await
}

pub async fn request_tier(tier: AccessTier, note: &str) -> Result<MyTiers, ApiError> {
    let path = format!("/tiers/{}/requests", tier.as_str());
    let body = NewTierRequest {
        note: note.to_owned(),
    };
    send(Method::POST, &path, &body).await
}

// Site administration.

fn admin_user_path(email: &str) -> String {
    format!("/admin/users/{}", segment(email))
}

pub async fn grant_tier(email: &str, grant: &TierGrant) -> Result<UserTiers, ApiError> {
    let path = format!("{}/tiers", admin_user_path(email));
    send(Method::POST, &path, grant).await
}

pub async fn revoke_tier(
    email: &str,
    tier: AccessTier,
    reason: &str,
) -> Result<UserTiers, ApiError> {
    let path = format!(
        "{}/tiers/{}?reason={}",
        admin_user_path(email),
        tier.as_str(),
        segment(reason)
    );
    send(Method::DELETE, &path, &()).await
}

pub async fn tier_queue() -> Result<Vec<TierRequestView>, ApiError> {
    get("/admin/tier-requests").await
}

pub async fn decide_tier_request(
    id: i64,
    decision: &TierDecision,
) -> Result<TierRequestView, ApiError> {
    send(
        Method::POST,
        &format!("/admin/tier-requests/{id}/decision"),
        decision,
    )
    .await
}

pub async fn tier_history() -> Result<Vec<TierHistoryEntry>, ApiError> {
    get("/admin/tier-history").await
}

pub async fn tier_requirements() -> Result<Vec<TierRequirement>, ApiError> {
    get("/admin/tier-requirements").await
}

pub async fn add_tier_requirement(
    requirement: &NewTierRequirement,
) -> Result<TierRequirement, ApiError> {
    send(Method::POST, "/admin/tier-requirements", requirement).await
}

pub async fn remove_tier_requirement(id: i64) -> Result<(), ApiError> {
    send(
        Method::DELETE,
        &format!("/admin/tier-requirements/{id}"),
        &(),
    )
    .await
}

pub async fn password_reset_link(email: &str) -> Result<PasswordResetLink, ApiError> {
    let path = format!("{}/password-reset", admin_user_path(email));
    send(Method::POST, &path, &()).await
}

// The workspace bucket.

fn file_path(at: &WorkspaceAddress, key: &str) -> String {
    at.api(&format!("/files/{}", segment(key)))
}

pub async fn files(at: &WorkspaceAddress, prefix: &str) -> Result<FileListing, ApiError> {
    get(&at.api(&format!("/files?prefix={}", segment(prefix)))).await
}

/// Where the browser downloads a file (or shows an image or PDF, `inline`).
pub fn download_url(at: &WorkspaceAddress, key: &str, inline: bool) -> String {
    let inline = if inline { "?inline=true" } else { "" };
    format!("/api/v1{}{inline}", file_path(at, key))
}

/// Upload one file, reporting `(sent, total)` bytes as it goes.
pub async fn upload(
    at: &WorkspaceAddress,
    key: &str,
    file: &web_sys::File,
    progress: impl Fn(f64, f64) + 'static,
) -> Result<FileEntry, ApiError> {
    super::upload_file(&file_path(at, key), file, progress).await
}

pub async fn preview_file(at: &WorkspaceAddress, key: &str) -> Result<FilePreview, ApiError> {
    get(&at.api(&format!("/previews/{}", segment(key)))).await
}

pub async fn move_file(at: &WorkspaceAddress, key: &str, to: &str) -> Result<FileEntry, ApiError> {
    send(
        Method::PATCH,
        &file_path(at, key),
        &MoveFileRequest { to: to.to_owned() },
    )
    .await
}

pub async fn delete_file(at: &WorkspaceAddress, key: &str) -> Result<(), ApiError> {
    send(Method::DELETE, &file_path(at, key), &()).await
}

// Costs and credits.

pub async fn workspace_spend(at: &WorkspaceAddress) -> Result<SpendReport, ApiError> {
    get(&at.api("/spend")).await
}

pub async fn project_spend(name: &str) -> Result<SpendReport, ApiError> {
    get(&format!("{}/spend", project_path(name))).await
}

pub async fn add_credits(name: &str, amount_cents: i64) -> Result<BillingProjectView, ApiError> {
    send(
        Method::POST,
        &format!("{}/credits", project_path(name)),
        &AddCreditsRequest { amount_cents },
    )
    .await
}

// Data tables.

fn table_path(at: &WorkspaceAddress, entity_type: &str) -> String {
    at.api(&format!("/entities/{}", segment(entity_type)))
}

pub async fn entity_types(at: &WorkspaceAddress) -> Result<EntityTypeList, ApiError> {
    get(&at.api("/entities")).await
}

/// What a page of a table asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableQuery {
    pub sort: Option<String>,
    pub descending: bool,
    pub filter: String,
    pub after: Option<String>,
}

pub async fn entity_page(
    at: &WorkspaceAddress,
    entity_type: &str,
    query: &TableQuery,
) -> Result<EntityPage, ApiError> {
    let mut path = format!("{}?limit=100", table_path(at, entity_type));
    if let Some(sort) = &query.sort {
        path.push_str(&format!("&sort={}", segment(sort)));
    }
    if query.descending {
        path.push_str("&desc=true");
    }
    if !query.filter.trim().is_empty() {
        path.push_str(&format!("&filter={}", segment(query.filter.trim())));
    }
    if let Some(after) = &query.after {
        path.push_str(&format!("&after={}", segment(after)));
    }
    get(&path).await
}

pub async fn add_entity(
    at: &WorkspaceAddress,
    entity_type: &str,
    entity: &NewEntity,
) -> Result<EntityRow, ApiError> {
    send(Method::POST, &table_path(at, entity_type), entity).await
}

pub async fn edit_entity(
    at: &WorkspaceAddress,
    entity_type: &str,
    name: &str,
    edit: &EntityEdit,
) -> Result<EntityRow, ApiError> {
    let path = format!("{}/{}", table_path(at, entity_type), segment(name));
    send(Method::PATCH, &path, edit).await
}

pub async fn delete_entities(
    at: &WorkspaceAddress,
    entity_type: &str,
    request: &DeleteEntitiesRequest,
) -> Result<DeletedEntities, ApiError> {
    send(Method::DELETE, &table_path(at, entity_type), request).await
}

pub async fn change_column(
    at: &WorkspaceAddress,
    entity_type: &str,
    change: &ColumnChange,
) -> Result<ColumnChanged, ApiError> {
    send(Method::PATCH, &table_path(at, entity_type), change).await
}

pub async fn copy_entities(
    at: &WorkspaceAddress,
    request: &CopyEntitiesRequest,
) -> Result<CopiedEntities, ApiError> {
    send(Method::POST, &at.api("/entities/copy"), request).await
}

/// Where the browser downloads a table as TSV (a set table as a zip).
pub fn export_url(at: &WorkspaceAddress, entity_type: &str) -> String {
    format!("/api/v1{}/export", table_path(at, entity_type))
}

/// Import a TSV file, reporting `(sent, total)` bytes as it goes.
pub async fn import_entities(
    at: &WorkspaceAddress,
    file: &web_sys::File,
    progress: impl Fn(f64, f64) + 'static,
) -> Result<ImportSummary, ApiError> {
    super::send_file(
        "POST",
        &at.api("/entities/import"),
        file,
        "text/tab-separated-values",
        progress,
    )
    .await
}

pub async fn workspace_attributes(at: &WorkspaceAddress) -> Result<WorkspaceAttributes, ApiError> {
    get(&at.api("/attributes")).await
}

pub async fn edit_workspace_attributes(
    at: &WorkspaceAddress,
    edit: &WorkspaceAttributesEdit,
) -> Result<WorkspaceAttributes, ApiError> {
    send(Method::PATCH, &at.api("/attributes"), edit).await
}
