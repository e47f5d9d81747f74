use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use carrel_core::api::Me;

use super::extract::CurrentUser;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(me))
}

#[utoipa::path(get, path = "/me", tag = "auth", responses((status = 200, body = carrel_core::api::Me), (status = 401, body = carrel_core::api::ErrorBody)))]
async fn me(user: CurrentUser) -> Json<Me> {
    Json(Me {
        email: user.email,
        display_name: user.display_name,
        tiers: user.tiers,
        is_site_admin: user.is_site_admin,
        csrf_token: user.csrf_token,
    })
}
