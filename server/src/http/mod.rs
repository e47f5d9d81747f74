//! The HTTP layer: routes under `/api/v1`, the built web app everywhere else.

pub mod admin;
pub mod auth;
pub mod billing;
pub mod datasets;
pub mod error;
pub mod extract;
pub mod groups;
pub mod headers;
pub mod me;
pub mod openapi;
pub mod throttle;
pub mod tiers;
pub mod users;
pub mod workspaces;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use carrel_core::api::ErrorCode;
use tower::ServiceExt;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::timeout::RequestBodyTimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;
use error::ApiError;
use extract::is_safe;

/// Largest request body any endpoint accepts.
pub const BODY_LIMIT_BYTES: usize = 256 * 1024;

/// The OpenAPI document's frame; every path comes from the routers below.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Carrel API",
        description = "Research workspaces with precise, visible sharing. Errors have the shape {\"error\": {\"code\", \"message\"}}; every mutation of a signed-in session carries its X-CSRF-Token header."
    ),
    servers((url = "/api/v1"))
)]
struct ApiDoc;

pub fn app(state: AppState) -> Router {
    let (api, document) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(auth::router())
        .merge(me::router())
        .merge(admin::router())
        .merge(tiers::router())
        .merge(users::router())
        .merge(billing::router())
        .merge(datasets::router())
        .merge(groups::router())
        .merge(workspaces::router())
        .split_for_parts();
    let document = std::sync::Arc::new(openapi::with_common_answers(document));
    let api = api
        .route(
            "/openapi.json",
            axum::routing::get(move || {
                let document = document.clone();
                async move { axum::Json(document.as_ref().clone()) }
            }),
        )
        .fallback(|| async { ApiError::NoSuchEndpoint })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(middleware::map_response(openapi::errors_as_json));
    Router::new()
        .nest("/api/v1", api)
        .fallback(web_app)
        .layer(middleware::from_fn(refuse_cross_site_mutations))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            headers::security_headers,
        ))
        .layer(RequestBodyTimeoutLayer::new(
            state.config.limits.body_idle_timeout,
        ))
        .layer(CompressionLayer::new().compress_when(worth_compressing()))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Bodies under 1 KB (a permission check, an error) gain a few bytes from gzip but pay for a
/// compressor each; images and streams are left alone as tower-http's default does.
/// JSON and the web app's text; never a file's bytes (downloads stream as they are, at disk
/// speed, with their length known).
fn worth_compressing() -> impl Predicate {
    SizeAbove::new(1024)
        .and(NotForContentType::GRPC)
        .and(NotForContentType::IMAGES)
        .and(NotForContentType::SSE)
        .and(NotForContentType::const_new("application/octet-stream"))
        .and(NotForContentType::const_new("application/pdf"))
}

/// Serve the web app's files; any other path that is not the API gets `index.html`, so the
/// browser-side router can show it.
async fn web_app(State(state): State<AppState>, request: Request) -> Response {
    if request.uri().path().starts_with("/api/") {
        return ApiError::NoSuchEndpoint.into_response();
    }
    let Some(dir) = state.config.static_dir.clone() else {
        return ApiError::NotFound("This server has no web app to serve.".to_owned())
            .into_response();
    };
    let index = ServeFile::new(dir.join("index.html"));
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    match files.fallback(index).oneshot(request).await {
        Ok(response) => response.into_response(),
        Err(error) => {
            ApiError::Internal(anyhow::anyhow!("serving a file: {error}")).into_response()
        }
    }
}

/// Browsers label requests from other sites; a mutation from another site is never ours.
async fn refuse_cross_site_mutations(request: Request, next: Next) -> Response {
    let cross_site = request
        .headers()
        .get("sec-fetch-site")
        .is_some_and(|value| value.as_bytes() == b"cross-site");
    if cross_site && !is_safe(request.method()) {
        return ApiError::Forbidden {
            code: ErrorCode::CrossSite.as_str(),
            message: "Changes can only be made from Carrel's own pages.".to_owned(),
        }
        .into_response();
    }
    next.run(request).await
}
