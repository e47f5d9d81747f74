use axum::routing::get;
use axum::{Json, Router};

use carrel_core::api::Me;

use super::extract::CurrentUser;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/me", get(me))
}

async fn me(user: CurrentUser) -> Json<Me> {
    Json(Me {
        email: user.email,
        display_name: user.display_name,
        tiers: user.tiers,
        is_site_admin: user.is_site_admin,
        csrf_token: user.csrf_token,
    })
}
