//! Who may and who may not call each endpoint, as one table run against one world. The last test
//! fails if the OpenAPI document (built from the real routes) lists an endpoint that lacks a row
//! that is allowed or a row that is refused.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{group, spawn_app, user, TestApp};

/// One request and its expected answer: a status and, for refusals, the rule's code.
struct Row {
    template: &'static str,
    method: Method,
    path: String,
    who: &'static str,
    body: Option<Value>,
    status: u16,
    code: Option<&'static str>,
}

fn row(
    method: Method,
    template: &'static str,
    path: &str,
    who: &'static str,
    body: Option<Value>,
    status: u16,
    code: Option<&'static str>,
) -> Row {
    Row {
        template,
        method,
        path: path.to_owned(),
        who,
        body,
        status,
        code,
    }
}

const WS: &str = "/workspaces/owner-personal/study";

#[rustfmt::skip]
fn rows() -> Vec<Row> {
    use Method as M;
    let purpose = crate::helpers::research_purpose();
    let new_ws = json!({ "billing_project": "owner-personal", "display_name": "Second", "tier": "registered", "research_purpose": purpose });
    let share_reader = json!({ "version": 3, "changes": [{ "op": "set", "principal": user("extra@x.org"), "role": "reader" }] });
    vec![
        row(M::POST, "/auth/signup", "/auth/signup", "anonymous", Some( json!({ "email": "new@x.org", "display_name": "New", "password": "a long enough password" })),
            201,
            None,
        ),
        row(M::POST, "/auth/signup", "/auth/signup", "anonymous", Some( json!({ "email": "owner@lab.org", "display_name": "Again", "password": "a long enough password" })),
            409,
            Some("email_taken"),
        ),
        row(M::POST, "/auth/login", "/auth/login", "anonymous", Some(json!({ "email": "owner@lab.org", "password": "a long enough password" })), 200, None),
        row(M::POST, "/auth/login", "/auth/login", "anonymous", Some(json!({ "email": "owner@lab.org", "password": "wrong password" })), 401, Some("invalid_credentials")),
        row(M::GET, "/me", "/me", "reader", None, 200, None),
        row(M::GET, "/me", "/me", "anonymous", None, 401, Some("unauthenticated")),
        row(M::GET, "/users", "/users?q=lab", "reader", None, 200, None),
        row(M::GET, "/users", "/users?q=lab", "anonymous", None, 401, Some("unauthenticated")),
        row(M::POST, "/admin/users/{email}/tiers", "/admin/users/reader@lab.org/tiers", "admin", Some(json!({ "tier": "controlled" })), 200, None),
        row(M::POST, "/admin/users/{email}/tiers", "/admin/users/reader@lab.org/tiers", "owner", Some(json!({ "tier": "controlled" })), 403, Some("site_admin_required")),
        row(M::DELETE, "/admin/users/{email}/tiers/{tier}", "/admin/users/reader@lab.org/tiers/controlled?reason=Project%20ended", "admin", None, 200, None),
        row(M::DELETE, "/admin/users/{email}/tiers/{tier}", "/admin/users/owner@lab.org/tiers/registered", "reader", None, 403, Some("site_admin_required")),
        // Getting a tier.
        row(M::GET, "/tiers", "/tiers", "untiered", None, 200, None),
        row(M::GET, "/tiers", "/tiers", "anonymous", None, 401, Some("unauthenticated")),
        row(M::POST, "/tiers/{tier}/requests", "/tiers/registered/requests", "untiered", Some(json!({})), 409, Some("tier_requirements_incomplete")),
        row(M::PUT, "/tiers/requirements/{id}/completion", "/tiers/requirements/1/completion", "untiered", Some(json!({})), 200, None),
        row(M::PUT, "/tiers/requirements/{id}/completion", "/tiers/requirements/2/completion", "untiered", Some(json!({})), 200, None),
        row(M::PUT, "/tiers/requirements/{id}/completion", "/tiers/requirements/3/completion", "untiered", Some(json!({})), 200, None),
        row(M::PUT, "/tiers/requirements/{id}/completion", "/tiers/requirements/1/completion", "anonymous", Some(json!({})), 401, Some("unauthenticated")),
        row(M::POST, "/tiers/{tier}/requests", "/tiers/registered/requests", "untiered", Some(json!({ "note": "New here" })), 201, None),
        row(M::POST, "/tiers/{tier}/requests", "/tiers/registered/requests", "untiered", Some(json!({})), 409, Some("tier_request_pending")),
        row(M::DELETE, "/tiers/requirements/{id}/completion", "/tiers/requirements/3/completion", "untiered", None, 200, None),
        row(M::DELETE, "/tiers/requirements/{id}/completion", "/tiers/requirements/3/completion", "anonymous", None, 401, Some("unauthenticated")),
        row(M::GET, "/admin/tier-requests", "/admin/tier-requests", "admin", None, 200, None),
        row(M::GET, "/admin/tier-requests", "/admin/tier-requests", "owner", None, 403, Some("site_admin_required")),
        row(M::POST, "/admin/tier-requests/{id}/decision", "/admin/tier-requests/1/decision", "owner", Some(json!({ "grant": true })), 403, Some("site_admin_required")),
        row(M::POST, "/admin/tier-requests/{id}/decision", "/admin/tier-requests/1/decision", "admin", Some(json!({ "grant": false, "reason": "Finish the identity check first." })), 200, None),
        row(M::POST, "/admin/tier-requests/{id}/decision", "/admin/tier-requests/1/decision", "admin", Some(json!({ "grant": true })), 409, Some("tier_request_decided")),
        row(M::GET, "/admin/tier-history", "/admin/tier-history", "admin", None, 200, None),
        row(M::GET, "/admin/tier-history", "/admin/tier-history", "reader", None, 403, Some("site_admin_required")),
        row(M::GET, "/admin/tier-requirements", "/admin/tier-requirements", "admin", None, 200, None),
        row(M::GET, "/admin/tier-requirements", "/admin/tier-requirements", "owner", None, 403, Some("site_admin_required")),
        row(M::POST, "/admin/tier-requirements", "/admin/tier-requirements", "admin", Some(json!({ "tier": "controlled", "kind": "training", "title": "Genomics primer" })), 201, None),
        row(M::POST, "/admin/tier-requirements", "/admin/tier-requirements", "owner", Some(json!({ "tier": "controlled", "kind": "training", "title": "Mine" })), 403, Some("site_admin_required")),
        row(M::DELETE, "/admin/tier-requirements/{id}", "/admin/tier-requirements/6", "owner", None, 403, Some("site_admin_required")),
        row(M::DELETE, "/admin/tier-requirements/{id}", "/admin/tier-requirements/6", "admin", None, 204, None),
        // Billing projects.
        row(M::GET, "/billing-projects", "/billing-projects", "owner", None, 200, None),
        row(M::GET, "/billing-projects", "/billing-projects", "anonymous", None, 401, Some("unauthenticated")),
        row(M::POST, "/billing-projects", "/billing-projects", "owner", Some(json!({ "name": "owner-lab" })), 201, None),
        row(M::POST, "/billing-projects", "/billing-projects", "untiered", Some(json!({ "name": "nope-lab" })), 403, Some("tier_registered_required")),
        row(M::GET, "/billing-projects/{name}", "/billing-projects/owner-personal", "owner", None, 200, None),
        row(M::GET, "/billing-projects/{name}", "/billing-projects/owner-personal", "stranger", None, 403, Some("billing_member_required")),
        row(M::PUT, "/billing-projects/{name}/members/{email}", "/billing-projects/owner-lab/members/writer@lab.org", "owner", Some(json!({ "role": "user" })), 200, None),
        row(M::PUT, "/billing-projects/{name}/members/{email}", "/billing-projects/owner-lab/members/writer@lab.org", "writer", Some(json!({ "role": "owner" })), 403, Some("billing_owner_required")),
        row(M::DELETE, "/billing-projects/{name}/members/{email}", "/billing-projects/owner-lab/members/owner@lab.org", "writer", None, 403, Some("billing_owner_required")),
        row(M::DELETE, "/billing-projects/{name}/members/{email}", "/billing-projects/owner-lab/members/writer@lab.org", "owner", None, 204, None),
        // Groups.
        row(M::GET, "/groups", "/groups", "owner", None, 200, None),
        row(M::GET, "/groups", "/groups", "anonymous", None, 401, Some("unauthenticated")),
        row(M::POST, "/groups", "/groups", "owner", Some(json!({ "name": "club" })), 201, None),
        row(M::POST, "/groups", "/groups", "owner", Some(json!({ "name": "club" })), 409, Some("name_taken")),
        row(M::GET, "/groups/{name}", "/groups/club", "stranger", None, 200, None),
        row(M::GET, "/groups/{name}", "/groups/club", "anonymous", None, 401, Some("unauthenticated")),
        row(M::PATCH, "/groups/{name}", "/groups/club", "owner", Some(json!({ "allows_requests": true })), 200, None),
        row(M::PATCH, "/groups/{name}", "/groups/club", "stranger", Some(json!({ "allows_requests": false })), 403, Some("group_admin_required")),
        row(M::PUT, "/groups/{name}/members/{principal}", "/groups/club/members/reader@lab.org", "owner", Some(json!({ "role": "member" })), 200, None),
        row(M::PUT, "/groups/{name}/members/{principal}", "/groups/club/members/stranger@lab.org", "stranger", Some(json!({ "role": "admin" })), 403, Some("group_admin_required")),
        row(M::DELETE, "/groups/{name}/members/{principal}", "/groups/club/members/owner@lab.org", "reader", None, 403, Some("group_admin_required")),
        row(M::DELETE, "/groups/{name}/members/{principal}", "/groups/club/members/reader@lab.org", "owner", None, 204, None),
        row(M::POST, "/groups/{name}/requests", "/groups/club/requests", "stranger", None, 202, None),
        row(M::POST, "/groups/{name}/requests", "/groups/club/requests", "owner", None, 409, Some("already_member")),
        row(M::GET, "/groups/{name}/requests", "/groups/club/requests", "owner", None, 200, None),
        row(M::GET, "/groups/{name}/requests", "/groups/club/requests", "stranger", None, 403, Some("group_admin_required")),
        row(M::POST, "/groups/{name}/requests/{id}", "/groups/club/requests/1", "stranger", Some(json!({ "approve": true })), 403, Some("group_admin_required")),
        row(M::POST, "/groups/{name}/requests/{id}", "/groups/club/requests/1", "owner", Some(json!({ "approve": false })), 204, None),
        row(M::DELETE, "/groups/{name}", "/groups/club", "stranger", None, 403, Some("group_admin_required")),
        row(M::DELETE, "/groups/{name}", "/groups/club", "owner", None, 204, None),
        // Workspaces.
        row(M::GET, "/workspaces", "/workspaces", "reader", None, 200, None),
        row(M::GET, "/workspaces", "/workspaces", "anonymous", None, 401, Some("unauthenticated")),
        row(M::POST, "/workspaces", "/workspaces", "owner", Some(new_ws.clone()), 201, None),
        row(M::POST, "/workspaces", "/workspaces", "stranger", Some(new_ws), 403, Some("billing_member_required")),
        row(M::GET, "/workspaces/{namespace}/{name}", WS, "group-reader", None, 200, None),
        row(M::GET, "/workspaces/{namespace}/{name}", WS, "project-owner", None, 200, None),
        row(M::GET, "/workspaces/{namespace}/{name}", WS, "stranger", None, 403, Some("no_access")),
        row(M::GET, "/workspaces/{namespace}/{name}", WS, "untiered", None, 403, Some("tier_registered_required")),
        row(M::PATCH, "/workspaces/{namespace}/{name}", WS, "writer", Some(json!({ "about_version": 0, "description": "Notes" })), 200, None),
        row(M::PATCH, "/workspaces/{namespace}/{name}", WS, "writer", Some(json!({ "about_version": 1, "display_name": "Mine" })), 403, Some("role_too_low")),
        row(M::PATCH, "/workspaces/{namespace}/{name}", WS, "project-owner", Some(json!({ "about_version": 1, "display_name": "Study" })), 200, None),
        row(M::GET, "/workspaces/{namespace}/{name}/acl", &format!("{WS}/acl"), "reader", None, 200, None),
        row(M::GET, "/workspaces/{namespace}/{name}/acl", &format!("{WS}/acl"), "stranger", None, 403, Some("no_access")),
        row(M::PATCH, "/workspaces/{namespace}/{name}/acl", &format!("{WS}/acl"), "reader", Some(share_reader.clone()), 403, Some("acl_change_refused")),
        row(M::PATCH, "/workspaces/{namespace}/{name}/acl", &format!("{WS}/acl"), "owner", Some(share_reader), 200, None),
        row(M::GET, "/workspaces/{namespace}/{name}/permissions", &format!("{WS}/permissions"), "group-reader", None, 200, None),
        row(M::GET, "/workspaces/{namespace}/{name}/permissions", &format!("{WS}/permissions"), "anonymous", None, 401, Some("unauthenticated")),
        row(M::GET, "/workspaces/{namespace}/{name}/audit", &format!("{WS}/audit"), "owner", None, 200, None),
        row(M::GET, "/workspaces/{namespace}/{name}/audit", &format!("{WS}/audit"), "writer", None, 403, Some("role_too_low")),
        row(M::POST, "/workspaces/{namespace}/{name}/lock", &format!("{WS}/lock"), "writer", None, 403, Some("role_too_low")),
        row(M::POST, "/workspaces/{namespace}/{name}/lock", &format!("{WS}/lock"), "owner", None, 200, None),
        row(M::PATCH, "/workspaces/{namespace}/{name}", WS, "writer", Some(json!({ "about_version": 2, "description": "Locked?" })), 403, Some("workspace_locked")),
        row(M::POST, "/workspaces/{namespace}/{name}/unlock", &format!("{WS}/unlock"), "reader", None, 403, Some("role_too_low")),
        row(M::POST, "/workspaces/{namespace}/{name}/unlock", &format!("{WS}/unlock"), "project-owner", None, 200, None),
        // Data tables.
        row(M::POST, "/workspaces/{namespace}/{name}/entities/import", &format!("{WS}/entities/import"), "writer", Some(json!("entity:sample_id\tdepth\ns1\t30\ns2\t45\n")), 200, None),
        row(M::POST, "/workspaces/{namespace}/{name}/entities/import", &format!("{WS}/entities/import"), "group-reader", Some(json!("entity:sample_id\tdepth\ns9\t1\n")), 403, Some("role_too_low")),
        row(M::POST, "/workspaces/{namespace}/{name}/entities/import", &format!("{WS}/entities/import"), "writer", Some(json!("entity:sample_id\tdepth\ns9\t1\t2\n")), 400, Some("import_problems")),
        row(M::GET, "/workspaces/{namespace}/{name}/entities", &format!("{WS}/entities"), "group-reader", None, 200, None),
        row(M::GET, "/workspaces/{namespace}/{name}/entities", &format!("{WS}/entities"), "stranger", None, 403, Some("no_access")),
        row(M::GET, "/workspaces/{namespace}/{name}/entities/{entity_type}", &format!("{WS}/entities/sample?sort=depth&desc=true"), "group-reader", None, 200, None),
        row(M::GET, "/workspaces/{namespace}/{name}/entities/{entity_type}", &format!("{WS}/entities/sample"), "untiered", None, 403, Some("tier_registered_required")),
        row(M::GET, "/workspaces/{namespace}/{name}/entities/{entity_type}", &format!("{WS}/entities/sample?sort=nope"), "writer", None, 404, Some("no_such_column")),
        row(M::POST, "/workspaces/{namespace}/{name}/entities/{entity_type}", &format!("{WS}/entities/sample"), "writer", Some(json!({ "name": "s3", "attributes": { "depth": { "type": "number", "value": 50 } } })), 201, None),
        row(M::POST, "/workspaces/{namespace}/{name}/entities/{entity_type}", &format!("{WS}/entities/sample"), "group-reader", Some(json!({ "name": "s4" })), 403, Some("role_too_low")),
        row(M::GET, "/workspaces/{namespace}/{name}/entities/{entity_type}/{entity_name}", &format!("{WS}/entities/sample/s1"), "group-reader", None, 200, None),
        row(M::GET, "/workspaces/{namespace}/{name}/entities/{entity_type}/{entity_name}", &format!("{WS}/entities/sample/s1"), "stranger", None, 403, Some("no_access")),
        row(M::PATCH, "/workspaces/{namespace}/{name}/entities/{entity_type}/{entity_name}", &format!("{WS}/entities/sample/s1"), "writer", Some(json!({ "version": 1, "set": { "depth": { "type": "number", "value": 31 } } })), 200, None),
        row(M::PATCH, "/workspaces/{namespace}/{name}/entities/{entity_type}/{entity_name}", &format!("{WS}/entities/sample/s1"), "writer", Some(json!({ "version": 1, "set": { "depth": { "type": "number", "value": 32 } } })), 409, Some("entity_changed")),
        row(M::PATCH, "/workspaces/{namespace}/{name}/entities/{entity_type}/{entity_name}", &format!("{WS}/entities/sample/s1"), "group-reader", Some(json!({ "version": 2, "remove": ["depth"] })), 403, Some("role_too_low")),
        row(M::PATCH, "/workspaces/{namespace}/{name}/entities/{entity_type}", &format!("{WS}/entities/sample"), "writer", Some(json!({ "column": "depth", "rename_to": "coverage" })), 200, None),
        row(M::PATCH, "/workspaces/{namespace}/{name}/entities/{entity_type}", &format!("{WS}/entities/sample"), "group-reader", Some(json!({ "column": "coverage" })), 403, Some("role_too_low")),
        row(M::GET, "/workspaces/{namespace}/{name}/entities/{entity_type}/export", &format!("{WS}/entities/sample/export"), "group-reader", None, 200, None),
        row(M::GET, "/workspaces/{namespace}/{name}/entities/{entity_type}/export", &format!("{WS}/entities/sample/export"), "stranger", None, 403, Some("no_access")),
        row(M::POST, "/workspaces/{namespace}/{name}/entities/copy", &format!("{WS}/entities/copy"), "owner", Some(json!({ "to_namespace": "owner-personal", "to_name": "second", "entity_type": "sample", "names": ["s1"] })), 200, None),
        row(M::POST, "/workspaces/{namespace}/{name}/entities/copy", &format!("{WS}/entities/copy"), "writer", Some(json!({ "to_namespace": "owner-personal", "to_name": "second", "entity_type": "sample", "names": ["s2"] })), 403, Some("no_access")),
        row(M::DELETE, "/workspaces/{namespace}/{name}/entities/{entity_type}", &format!("{WS}/entities/sample"), "group-reader", Some(json!({ "names": ["s3"] })), 403, Some("role_too_low")),
        row(M::DELETE, "/workspaces/{namespace}/{name}/entities/{entity_type}", &format!("{WS}/entities/sample"), "writer", Some(json!({ "names": ["s3"] })), 200, None),
        row(M::GET, "/workspaces/{namespace}/{name}/attributes", &format!("{WS}/attributes"), "group-reader", None, 200, None),
        row(M::GET, "/workspaces/{namespace}/{name}/attributes", &format!("{WS}/attributes"), "stranger", None, 403, Some("no_access")),
        row(M::PATCH, "/workspaces/{namespace}/{name}/attributes", &format!("{WS}/attributes"), "writer", Some(json!({ "set": { "genome": { "type": "string", "value": "hg38" } } })), 200, None),
        row(M::PATCH, "/workspaces/{namespace}/{name}/attributes", &format!("{WS}/attributes"), "group-reader", Some(json!({ "remove": ["genome"] })), 403, Some("role_too_low")),
        row(M::POST, "/workspaces/{namespace}/{name}/duplicate", &format!("{WS}/duplicate"), "reader", Some(json!({ "billing_project": "reader-personal", "display_name": "Copy" })), 201, None),
        row(M::POST, "/workspaces/{namespace}/{name}/duplicate", &format!("{WS}/duplicate"), "stranger", Some(json!({ "billing_project": "stranger-personal", "display_name": "Copy" })), 403, Some("no_access")),
        row(M::POST, "/workspaces/{namespace}/{name}/leave", &format!("{WS}/leave"), "group-reader", None, 403, Some("no_direct_grant")),
        row(M::POST, "/workspaces/{namespace}/{name}/leave", &format!("{WS}/leave"), "reader", None, 204, None),
        row(M::DELETE, "/workspaces/{namespace}/{name}", "/workspaces/owner-personal/second?confirm=second", "writer", None, 403, Some("no_access")),
        row(M::DELETE, "/workspaces/{namespace}/{name}", "/workspaces/owner-personal/second?confirm=second", "project-owner", None, 204, None),
        row(M::POST, "/admin/users/{email}/password-reset", "/admin/users/untiered@lab.org/password-reset", "admin", None, 201, None),
        row(M::POST, "/admin/users/{email}/password-reset", "/admin/users/untiered@lab.org/password-reset", "owner", None, 403, Some("site_admin_required")),
        row(M::POST, "/me/password", "/me/password", "anonymous", Some(json!({ "current_password": "a long enough password", "new_password": "another long password" })), 401, Some("unauthenticated")),
        row(M::POST, "/me/password", "/me/password", "leaving", Some(json!({ "current_password": "not the password", "new_password": "another long password" })), 400, Some("validation")),
        row(M::POST, "/me/password", "/me/password", "leaving", Some(json!({ "current_password": "a long enough password", "new_password": "another long password" })), 204, None),
        row(M::POST, "/auth/logout", "/auth/logout", "anonymous", None, 401, Some("unauthenticated")),
        row(M::POST, "/auth/logout", "/auth/logout", "leaving", None, 204, None),
        row(M::POST, "/auth/reset-password", "/auth/reset-password", "anonymous", Some(json!({ "token": "no such token", "new_password": "a brand new password" })), 400, Some("validation")),
        row(M::POST, "/auth/reset-password", "/auth/reset-password", "anonymous", Some(json!({ "token": MATRIX_RESET_TOKEN, "new_password": "a brand new password" })), 204, None),
        row(M::POST, "/auth/logout-everywhere", "/auth/logout-everywhere", "anonymous", None, 401, Some("unauthenticated")),
        row(M::GET, "/dataset-versions", "/dataset-versions", "writer", None, 200, None),
        row(M::GET, "/dataset-versions", "/dataset-versions", "anonymous", None, 401, Some("unauthenticated")),
        row(M::GET, "/directory", "/directory?q=study", "anonymous", None, 200, None),
        row(M::GET, "/directory", &format!("/directory?q={}", "x".repeat(201)), "anonymous", None, 400, Some("validation")),
        row(M::GET, "/directory", "/directory?purpose=astrology", "anonymous", None, 400, Some("validation")),
        row(M::GET, "/directory/{id}", "/directory/1", "anonymous", None, 200, None),
        row(M::GET, "/directory/{id}", "/directory/987654", "anonymous", None, 404, Some("not_found")),
        row(M::PUT, "/workspaces/{namespace}/{name}/files/{key}", &format!("{WS}/files/notes%2Fa.txt"), "writer", Some(json!("a note")), 201, None),
        row(M::PUT, "/workspaces/{namespace}/{name}/files/{key}", &format!("{WS}/files/notes%2Fb.txt"), "group-reader", Some(json!("a note")), 403, Some("role_too_low")),
        row(M::PUT, "/workspaces/{namespace}/{name}/files/{key}", &format!("{WS}/files/..%2Fescape"), "writer", Some(json!("x")), 400, Some("bad_file_key")),
        row(M::GET, "/workspaces/{namespace}/{name}/files", &format!("{WS}/files?prefix=notes/"), "group-reader", None, 200, None),
        row(M::GET, "/workspaces/{namespace}/{name}/files", &format!("{WS}/files"), "stranger", None, 403, Some("no_access")),
        row(M::GET, "/workspaces/{namespace}/{name}/files/{key}", &format!("{WS}/files/notes%2Fa.txt"), "group-reader", None, 200, None),
        row(M::GET, "/workspaces/{namespace}/{name}/files/{key}", &format!("{WS}/files/notes%2Fa.txt"), "untiered", None, 403, Some("tier_registered_required")),
        row(M::GET, "/workspaces/{namespace}/{name}/previews/{key}", &format!("{WS}/previews/notes%2Fa.txt"), "project-owner", None, 200, None),
        row(M::GET, "/workspaces/{namespace}/{name}/previews/{key}", &format!("{WS}/previews/notes%2Fa.txt"), "stranger", None, 403, Some("no_access")),
        row(M::PATCH, "/workspaces/{namespace}/{name}/files/{key}", &format!("{WS}/files/notes%2Fa.txt"), "group-reader", Some(json!({ "to": "notes/b.txt" })), 403, Some("role_too_low")),
        row(M::PATCH, "/workspaces/{namespace}/{name}/files/{key}", &format!("{WS}/files/notes%2Fa.txt"), "writer", Some(json!({ "to": "notes/b.txt" })), 200, None),
        row(M::DELETE, "/workspaces/{namespace}/{name}/files/{key}", &format!("{WS}/files/notes%2Fb.txt"), "group-reader", None, 403, Some("role_too_low")),
        row(M::DELETE, "/workspaces/{namespace}/{name}/files/{key}", &format!("{WS}/files/notes%2Fb.txt"), "writer", None, 204, None),
        row(M::GET, "/workspaces/{namespace}/{name}/spend", &format!("{WS}/spend"), "project-owner", None, 200, None),
        row(M::GET, "/workspaces/{namespace}/{name}/spend", &format!("{WS}/spend"), "writer", None, 403, Some("role_too_low")),
        row(M::GET, "/billing-projects/{name}/spend", "/billing-projects/owner-personal/spend", "project-owner", None, 200, None),
        row(M::GET, "/billing-projects/{name}/spend", "/billing-projects/owner-personal/spend", "stranger", None, 403, Some("billing_member_required")),
        row(M::POST, "/billing-projects/{name}/credits", "/billing-projects/owner-personal/credits", "owner", Some(json!({ "amount_cents": 500 })), 200, None),
        row(M::POST, "/billing-projects/{name}/credits", "/billing-projects/owner-personal/credits", "stranger", Some(json!({ "amount_cents": 500 })), 403, Some("billing_member_required")),
        // Last: it ends the group reader's sessions.
        row(M::POST, "/auth/logout-everywhere", "/auth/logout-everywhere", "group-reader", None, 200, None),
    ]
}

/// A reset link for `leaving@lab.org`, put straight into the database by `world`.
const MATRIX_RESET_TOKEN: &str = "matrix-reset-token";

/// The world: a site admin; an owner with workspace `owner-personal/study` shared with a writer,
/// a reader and a group; a project owner of `owner-personal`; a stranger; a user with no tier.
async fn world() -> BTreeMap<&'static str, TestApp> {
    let mut admin = spawn_app().await;
    admin.signup_admin("admin@carrel.test", "Admin").await;
    let mut people = BTreeMap::new();
    for (who, email) in [
        ("owner", "owner@lab.org"),
        ("writer", "writer@lab.org"),
        ("reader", "reader@lab.org"),
        ("group-reader", "member@lab.org"),
        ("project-owner", "head@lab.org"),
        ("stranger", "stranger@lab.org"),
    ] {
        people.insert(who, admin.new_user(email, who).await);
        admin.grant_tier(email, "registered").await;
    }
    people.insert(
        "untiered",
        admin.new_user("untiered@lab.org", "untiered").await,
    );
    people.insert(
        "leaving",
        admin.new_user("leaving@lab.org", "leaving").await,
    );
    let owner = &people["owner"];
    assert_eq!(
        owner
            .create_workspace("owner-personal", "Study", "registered")
            .await
            .status(),
        StatusCode::CREATED
    );
    let member = people["group-reader"].another_handle();
    assert_eq!(
        member
            .post("/groups", &json!({ "name": "students" }))
            .await
            .status(),
        StatusCode::CREATED
    );
    let shared = owner
        .share(&WS[12..], json!([
            { "op": "set", "principal": user("writer@lab.org"), "role": "writer", "can_compute": false },
            { "op": "set", "principal": user("reader@lab.org"), "role": "reader" },
            { "op": "set", "principal": group("students"), "role": "reader" }
        ]))
        .await;
    assert_eq!(shared.status(), StatusCode::OK);
    let head = owner
        .put(
            "/billing-projects/owner-personal/members/head@lab.org",
            &json!({ "role": "owner" }),
        )
        .await;
    assert_eq!(head.status(), StatusCode::OK);
    sqlx::query(
        "INSERT INTO password_resets (token_hash, user_id, created_by, expires_at) \
         SELECT $1, id, id, $2 FROM users WHERE email = 'leaving@lab.org'",
    )
    .bind(carrel_server::session::token_hash(MATRIX_RESET_TOKEN))
    .bind(i64::MAX / 2)
    .execute(admin.store.pool())
    .await
    .unwrap();
    people.insert("anonymous", admin.another_client());
    people.insert("admin", admin);
    people
}

#[tokio::test]
async fn every_endpoint_allows_who_may_and_refuses_who_may_not() {
    let people = world().await;
    let mut failures = Vec::new();
    for mut row in rows() {
        // Every anonymous request comes from a fresh browser with no cookies.
        let fresh;
        let client = if row.who == "anonymous" {
            fresh = people["admin"].another_client();
            &fresh
        } else {
            &people[row.who]
        };
        // ACL batches carry the version current at the time of the row.
        if row.method == Method::PATCH && row.path.ends_with("/acl") {
            let version = people["owner"]
                .acl_version(&row.path[12..row.path.len() - 4])
                .await;
            if let Some(body) = row.body.as_mut() {
                body["version"] = json!(version);
            }
        }
        // A body given as a string is sent as it is (a file, a TSV), not as JSON.
        let response = match &row.body {
            Some(Value::String(raw)) => {
                client
                    .send_raw(row.method.clone(), &row.path, raw.clone())
                    .await
            }
            body => {
                client
                    .send(row.method.clone(), &row.path, body.as_ref())
                    .await
            }
        };
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        let code = body["error"]["code"].as_str();
        if status != row.status || (row.code.is_some() && code != row.code) {
            failures.push(format!(
                "{} {} as {}: expected {} {:?}, got {status} {body}",
                row.method, row.path, row.who, row.status, row.code
            ));
        }
        if status >= 400 {
            let message = body["error"]["message"].as_str().unwrap_or_default();
            assert!(
                !message.is_empty(),
                "{} {}: every refusal explains itself",
                row.method,
                row.path
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn every_documented_endpoint_has_rows_that_allow_and_rows_that_refuse() {
    let app = spawn_app().await;
    let document: Value = app.get("/openapi.json").await.json().await.unwrap();
    let mut documented = BTreeSet::new();
    for (path, operations) in document["paths"].as_object().expect("paths") {
        for method in operations.as_object().unwrap().keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    assert!(
        documented.len() >= 30,
        "the document lists the API: {documented:?}"
    );
    let rows = rows();
    let covered = |method: &str, path: &str, allowed: bool| {
        rows.iter().any(|r| {
            r.method.as_str() == method && r.template == path && (r.status < 400) == allowed
        })
    };
    let missing: Vec<String> = documented
        .iter()
        .flat_map(|(method, path)| {
            [(true, "an allowed row"), (false, "a refused row")]
                .into_iter()
                .filter(|(allowed, _)| !covered(method, path, *allowed))
                .map(move |(_, what)| format!("{method} {path} lacks {what}"))
        })
        .collect();
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    for row in &rows {
        assert!(
            documented.contains(&(row.method.to_string(), row.template.to_owned())),
            "{} {} is not documented",
            row.method,
            row.template
        );
    }
}
