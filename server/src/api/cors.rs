//! CORS for the public endpoints, per shop.
//!
//! A preflight carries no key, so it is answered for any origin some shop allows; the
//! real request is then checked against its own shop's list by [`PublicCaller`]. Every
//! response to a known origin carries `Access-Control-Allow-Origin`, errors included, so
//! a widget can read why it was refused.
//!
//! [`PublicCaller`]: super::caller::PublicCaller

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::caller::cross_origin;
use super::problem::ApiError;
use crate::state::AppState;

const ALLOW_HEADERS: &str = "authorization, content-type, idempotency-key";
const EXPOSE_HEADERS: &str = "x-request-id";

/// The middleware; layer it over the public API routes.
pub async fn cors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(origin) = cross_origin(request.headers()).map(str::to_owned) else {
        return next.run(request).await;
    };
    let allowed = match state.auth.any_allows(&state.db, &origin).await {
        Ok(allowed) => allowed,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let is_preflight = request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut response = match (is_preflight, allowed) {
        (true, true) => {
            let mut r = StatusCode::NO_CONTENT.into_response();
            let h = r.headers_mut();
            h.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("GET, POST"),
            );
            h.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static(ALLOW_HEADERS),
            );
            h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
            r
        }
        (true, false) => return ApiError::OriginNotAllowed(origin).into_response(),
        (false, _) => next.run(request).await,
    };
    if allowed && let Ok(value) = HeaderValue::from_str(&origin) {
        let h = response.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
        h.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(EXPOSE_HEADERS),
        );
    }
    response
        .headers_mut()
        .append(header::VARY, HeaderValue::from_static("Origin"));
    response
}
