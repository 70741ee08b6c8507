//! `POST /api/v1/quotes`.

use app::model::QuoteView;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::caller::PublicCaller;
use super::json::ApiJson;
use super::problem::{ApiError, Problem};
use crate::quoting::QuoteRequest;
use crate::state::AppState;

/// When a configuration would arrive and why, with the same answer for every option
/// value swapped in (add-ons toggled). Frozen chosen values are not an error: the
/// answer says `available: false` and names each with its reason and alternative.
#[utoipa::path(
    post,
    path = "/api/v1/quotes",
    tag = "public",
    request_body = QuoteRequest,
    security(("publishable_key" = [])),
    responses(
        (status = 200, description = "The answer", body = QuoteView),
        (status = 401, description = "No or unknown key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Origin not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such product", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 64 KB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not `application/json`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid selection or quantity; `errors[].field` names it", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn post_quote(
    caller: PublicCaller,
    State(state): State<AppState>,
    ApiJson(request): ApiJson<QuoteRequest>,
) -> Result<Response, ApiError> {
    let answer = state.quoting.quote(caller.shop(), &request).await?;
    // Cached answers are stored serialised: a cache hit sends bytes, it does not
    // serialise the matrix again.
    Ok(([(header::CONTENT_TYPE, "application/json")], answer.json.clone()).into_response())
}
