//! Errors as `application/problem+json` (RFC 9457).
//!
//! The policy: every handler returns `Result<_, ApiError>`. Client mistakes carry a
//! stable `type`, a human `detail` and, for bad input, the JSON path of the offending
//! field. Server faults are logged with their detail and answered with a generic 500,
//! so internals never reach a client.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::quoting::QuoteError;
use crate::store::StoreError;

/// The `type` URIs are stable identifiers, documented in the OpenAPI document.
const TYPE_BASE: &str = "https://c2m.dev/problems/";

/// Everything an API handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No or unknown key.
    #[error("{0}")]
    Unauthenticated(&'static str),
    /// A signed request (a platform webhook) whose signature is missing, stale, wrong
    /// or already used.
    #[error("{0}")]
    BadSignature(String),
    /// A valid key that may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The calling page's origin is not on the shop's allowlist.
    #[error("origin `{0}` is not allowed for this shop")]
    OriginNotAllowed(String),
    /// The resource does not exist (for this shop).
    #[error("{0}")]
    NotFound(String),
    /// The request is well-formed but a field is wrong.
    #[error("{detail}")]
    Invalid {
        /// JSON path of the offending field.
        field: String,
        /// What is wrong with it.
        detail: String,
    },
    /// Several fields are wrong (each bad event of a batch).
    #[error("{detail}")]
    InvalidMany {
        /// What is wrong, in one sentence.
        detail: String,
        /// Each offending field.
        errors: Vec<FieldError>,
    },
    /// The request was based on a state that changed since; nothing was done.
    #[error("{0}")]
    Conflict(String),
    /// The request cannot be booked as it stands; the answer carries the quote it would
    /// get now (`type` ends in `slug`: `unavailable`, `promise-changed`).
    #[error("{detail}")]
    QuoteConflict {
        /// The problem type's last segment.
        slug: &'static str,
        /// What happened.
        detail: String,
        /// The quote now, as `POST /quotes` answers it.
        quote: Box<serde_json::Value>,
    },
    /// The body is larger than the endpoint accepts.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The body's content type is not one the endpoint reads.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The database is unreachable or busy, or the request ran out of time; nothing
    /// was committed, and the same request may succeed after `retry_after` seconds.
    #[error("{detail}")]
    Unavailable {
        /// What is unavailable.
        detail: String,
        /// Seconds to wait before trying again (`Retry-After`).
        retry_after: u64,
    },
    /// The caller is over a rate limit (`limits`); nothing was done.
    #[error("{detail}")]
    TooManyRequests {
        /// Which budget, and how long to wait.
        detail: String,
        /// Seconds until the next request is accepted (`Retry-After`).
        retry_after: u64,
    },
    /// A fault on our side; the detail is logged, never sent.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Seconds a client is asked to wait when the database is unavailable: long enough
/// for a failover or a restart to be noticed, short enough not to lose a shopper.
pub const RETRY_AFTER_SECONDS: u64 = 2;

impl From<QuoteError> for ApiError {
    fn from(e: QuoteError) -> Self {
        match e {
            QuoteError::UnknownProduct(_) => ApiError::NotFound(e.to_string()),
            QuoteError::Invalid { field, detail } => ApiError::Invalid { field, detail },
            QuoteError::ShopGone => ApiError::Unauthenticated("the key's shop no longer exists"),
            QuoteError::Store(e) => e.into(),
        }
    }
}

impl ApiError {
    /// The 503 for a database that is down, saturated or busy.
    pub fn database_unavailable() -> Self {
        ApiError::Unavailable {
            detail: "The database is unavailable or busy right now; nothing was changed. \
                     Try again in a moment."
                .into(),
            retry_after: RETRY_AFTER_SECONDS,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        if e.is_unavailable() {
            tracing::warn!(error = %e, "database unavailable");
            return ApiError::database_unavailable();
        }
        ApiError::Internal(e.into())
    }
}

/// The body of every error response.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Stable identifier of the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary of the kind.
    pub title: &'static str,
    /// HTTP status.
    pub status: u16,
    /// What happened in this case.
    pub detail: String,
    /// For invalid input: each offending field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For a request that cannot be booked as it stands: the quote it would get now.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub quote: Option<serde_json::Value>,
}

/// One invalid field.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// JSON path into the request (`selection.colour[0]`).
    pub field: String,
    /// What is wrong with it.
    pub detail: String,
}

impl ApiError {
    fn parts(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            ApiError::Unauthenticated(_) => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "Authentication required",
            ),
            ApiError::BadSignature(_) => (StatusCode::UNAUTHORIZED, "bad-signature", "Signature refused"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden", "Not allowed with this key"),
            ApiError::OriginNotAllowed(_) => {
                (StatusCode::FORBIDDEN, "origin-not-allowed", "Origin not allowed")
            }
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not-found", "Not found"),
            ApiError::Invalid { .. } | ApiError::InvalidMany { .. } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-request",
                "Invalid request",
            ),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict", "Conflict"),
            ApiError::QuoteConflict { slug, .. } => (
                StatusCode::CONFLICT,
                slug,
                "The promise cannot be booked as asked",
            ),
            ApiError::PayloadTooLarge(_) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload-too-large",
                "Payload too large",
            ),
            ApiError::UnsupportedMediaType(_) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported media type",
            ),
            ApiError::TooManyRequests { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "too-many-requests",
                "Too many requests",
            ),
            ApiError::Unavailable { .. } => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Service unavailable",
            ),
            ApiError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Internal server error",
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, slug, title) = self.parts();
        let detail = match &self {
            ApiError::Internal(e) => {
                tracing::error!(error = ?e, "request failed");
                "Something went wrong on our side; it has been logged.".to_string()
            }
            other => other.to_string(),
        };
        let retry_after = match &self {
            ApiError::Unavailable { retry_after, .. } | ApiError::TooManyRequests { retry_after, .. } => {
                Some(*retry_after)
            }
            _ => None,
        };
        let (errors, quote) = match self {
            ApiError::Invalid { field, detail } => (vec![FieldError { field, detail }], None),
            ApiError::InvalidMany { errors, .. } => (errors, None),
            ApiError::QuoteConflict { quote, .. } => (Vec::new(), Some(*quote)),
            _ => (Vec::new(), None),
        };
        let problem = Problem {
            kind: format!("{TYPE_BASE}{slug}"),
            title,
            status: status.as_u16(),
            detail,
            errors,
            quote,
        };
        let mut response = (status, Json(problem)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
