//! A JSON body extractor whose errors are problem+json with the path of the bad field.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use serde::de::DeserializeOwned;

use super::problem::ApiError;
use crate::startup::AppState;

/// Like `axum::Json`, but a malformed body is answered with `invalid-request` naming
/// the offending field (`selection.colour`, `quantity`), found by
/// `serde_path_to_error`.
pub struct ApiJson<T>(pub T);

/// Request bodies larger than this are refused before parsing.
const MAX_BODY_BYTES: usize = 64 * 1024;

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, ApiError> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(ApiError::Invalid {
                field: String::new(),
                detail: "send the body as JSON with `Content-Type: application/json`".into(),
            });
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|e| ApiError::Invalid {
                field: String::new(),
                detail: format!("cannot read the body: {e}"),
            })?;
        if bytes.len() > MAX_BODY_BYTES {
            return Err(ApiError::Invalid {
                field: String::new(),
                detail: format!("the body is larger than {MAX_BODY_BYTES} bytes"),
            });
        }
        // The plain parser first: tracking the path costs as much as the rest of a
        // cached quote, and only an error needs it. On error, parse again for the path.
        if let Ok(value) = serde_json::from_slice(&bytes) {
            return Ok(ApiJson(value));
        }
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(&mut deserializer)
            .map(ApiJson)
            .map_err(|e| {
                let path = e.path().to_string();
                ApiError::Invalid {
                    field: if path == "." { String::new() } else { path },
                    detail: e.into_inner().to_string(),
                }
            })
    }
}
