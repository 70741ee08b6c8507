//! Path and query extractors whose refusals are problem+json, like every other answer
//! of the API (axum's own answer `400 text/plain`).
//!
//! A path segment that does not parse (`/orders/abc`, an id past `i64`) names no
//! resource: `404`, as an unknown id would be. A query that does not parse names its
//! problem: `422` on the field `query`.

use axum::extract::FromRequestParts;
use axum::extract::rejection::{PathRejection, QueryRejection};

use super::problem::ApiError;

/// [`axum::extract::Path`], refused as `404` problem+json.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

/// [`axum::extract::Query`], refused as `422` problem+json.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

impl From<PathRejection> for ApiError {
    fn from(e: PathRejection) -> Self {
        ApiError::NotFound(format!("nothing is at this address: {}", e.body_text()))
    }
}

impl From<QueryRejection> for ApiError {
    fn from(e: QueryRejection) -> Self {
        ApiError::Invalid {
            field: "query".into(),
            detail: e.body_text(),
        }
    }
}
