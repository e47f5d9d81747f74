//! Finding people to share with: by name or email, optionally only those holding a tier.

use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use carrel_core::api::UserMatch;
use carrel_core::AccessTier;

use super::error::ApiError;
use super::extract::CurrentUser;
use crate::store::users;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search))
}

#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    tier: Option<String>,
}

#[utoipa::path(get, path = "/users", tag = "users", params(("q" = String, Query, description = "Part of a name or email"), ("tier" = Option<String>, Query, description = "registered or controlled")), responses((status = 200, body = Vec<carrel_core::api::UserMatch>), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody)))]
async fn search(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(query): Query<SearchQuery>,
) -> Result<Json<Vec<UserMatch>>, ApiError> {
    let needle = query.q.trim();
    if needle.chars().count() < 2 || needle.chars().count() > 100 {
        return Err(ApiError::field(
            "q",
            "Search with 2 to 100 characters of a name or email.",
        ));
    }
    let tier = match query.tier.as_deref() {
        None | Some("") => None,
        Some(raw) => Some(AccessTier::parse(raw).ok_or_else(|| {
            ApiError::field("tier", "A tier is either registered or controlled.")
        })?),
    };
    let mut conn = state.store.pool().acquire().await?;
    let found = users::search(&mut conn, needle, tier, 20).await?;
    Ok(Json(
        found
            .into_iter()
            .map(|(email, display_name, tiers)| UserMatch {
                email,
                display_name,
                tiers,
            })
            .collect(),
    ))
}
