//! `GET /api/v1/products/{slug}/configurator`.

use app::model::ConfiguratorView;
use axum::Json;
use axum::extract::State;

use super::extract::Path;

use super::caller::PublicCaller;
use super::problem::{ApiError, Problem};
use crate::state::AppState;

/// A product's option groups and values in display order, with the default selection,
/// each value's status (frozen by the merchant, or by the engine when its supply is
/// gone) and estimate, and the quote of the default selection.
#[utoipa::path(
    get,
    path = "/api/v1/products/{slug}/configurator",
    tag = "public",
    params(("slug" = String, Path, description = "The product's slug")),
    security(("publishable_key" = [])),
    responses(
        (status = 200, description = "The configurator", body = ConfiguratorView),
        (status = 401, description = "No or unknown key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Origin not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such product", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_configurator(
    caller: PublicCaller,
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<ConfiguratorView>, ApiError> {
    state
        .quoting
        .configurator(caller.shop(), &slug)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no product `{slug}` in this shop")))
}
