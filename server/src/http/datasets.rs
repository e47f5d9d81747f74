//! The dataset versions a new workspace can use, per tier.

use axum::extract::State;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use carrel_core::workspace::DatasetVersion;

use super::error::ApiError;
use super::extract::CurrentUser;
use crate::store::datasets;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

#[utoipa::path(get, path = "/dataset-versions", tag = "workspaces", responses((status = 200, body = Vec<DatasetVersion>), (status = 401, body = carrel_core::api::ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> Result<Json<Vec<DatasetVersion>>, ApiError> {
    let mut conn = state.store.pool().acquire().await?;
    Ok(Json(datasets::versions(&mut conn).await?))
}
