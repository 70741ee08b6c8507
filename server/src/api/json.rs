//! JSON body extractors whose errors are problem+json with the path of the bad field.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use super::problem::ApiError;
use crate::service::idempotency::Idempotency;
use crate::state::AppState;

/// Like `axum::Json`, but a malformed body is answered with `invalid-request` naming
/// the offending field (`selection.colour`, `quantity`), found by
/// `serde_path_to_error`; another content type with 415, a body over 64 KB with 413.
pub struct ApiJson<T>(pub T);

/// Request bodies larger than this are refused before parsing.
const MAX_BODY_BYTES: usize = 64 * 1024;

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, ApiError> {
        let bytes = json_body(request, state).await?;
        parse(&bytes).map(ApiJson)
    }
}

/// The bytes of a JSON body, with [`ApiJson`]'s refusals (415, 413).
pub(super) async fn json_body(request: Request, state: &AppState) -> Result<Bytes, ApiError> {
    {
        if media_type(&request).as_deref() != Some("application/json") {
            return Err(ApiError::UnsupportedMediaType(
                "send the body as JSON with `Content-Type: application/json`".into(),
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|e| ApiError::Invalid {
                field: String::new(),
                detail: format!("cannot read the body: {e}"),
            })?;
        if bytes.len() > MAX_BODY_BYTES {
            return Err(ApiError::PayloadTooLarge(format!(
                "the body is larger than {MAX_BODY_BYTES} bytes"
            )));
        }
        Ok(bytes)
    }
}

/// A JSON body from `navigator.sendBeacon`, which cannot set headers and posts strings
/// as `text/plain;charset=UTF-8` (a CORS-safelisted type, so no preflight): JSON is
/// read from `application/json` and `text/plain` bodies alike. Another type is refused
/// with 415, a body over [`BEACON_MAX_BODY_BYTES`] with 413; field errors as
/// [`ApiJson`]'s. Route it under `DefaultBodyLimit::max(BEACON_MAX_BODY_BYTES)` so a
/// big body is not read to the end before it is refused.
pub struct BeaconJson<T>(pub T);

/// The largest body a [`BeaconJson`] reads.
pub const BEACON_MAX_BODY_BYTES: usize = 512 * 1024;

impl<T: DeserializeOwned> FromRequest<AppState> for BeaconJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, ApiError> {
        if !matches!(
            media_type(&request).as_deref(),
            Some("application/json" | "text/plain")
        ) {
            return Err(ApiError::UnsupportedMediaType(
                "send the body as JSON, with `Content-Type: application/json` or `text/plain`".into(),
            ));
        }
        let too_large =
            || ApiError::PayloadTooLarge(format!("the body is larger than {BEACON_MAX_BODY_BYTES} bytes"));
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|e| match e.status() {
                StatusCode::PAYLOAD_TOO_LARGE => too_large(),
                _ => ApiError::Invalid {
                    field: String::new(),
                    detail: format!("cannot read the body: {e}"),
                },
            })?;
        if bytes.len() > BEACON_MAX_BODY_BYTES {
            return Err(too_large());
        }
        parse(&bytes).map(BeaconJson)
    }
}

/// The request's media type, lowercased, without parameters (`text/plain`).
fn media_type(request: &Request) -> Option<String> {
    let value = request.headers().get(header::CONTENT_TYPE)?.to_str().ok()?;
    let essence = value.split(';').next().unwrap_or_default().trim();
    Some(essence.to_ascii_lowercase())
}

/// Parses `bytes`; a malformed body names the path of the first bad field.
pub(super) fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // The plain parser first: tracking the path costs as much as the rest of a
    // cached quote, and only an error needs it. On error, parse again for the path.
    if let Ok(value) = serde_json::from_slice(bytes) {
        return Ok(value);
    }
    // JSON has one number type: `5.0` is the integer 5 to JSON Schema (and so to the
    // OpenAPI document), though serde refuses it for an integer field. A body with
    // such a number is read again with it written as an integer, and its error (if
    // any) is the one of that reading, not a complaint about the fraction.
    if let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(bytes)
        && whole_numbers(&mut value)
    {
        return serde_path_to_error::deserialize(value).map_err(invalid);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut deserializer).map_err(invalid)
}

/// The refusal of a body that does not deserialize, naming the path of the field.
fn invalid(e: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let path = e.path().to_string();
    ApiError::Invalid {
        field: if path == "." { String::new() } else { path },
        detail: e.into_inner().to_string(),
    }
}

/// Writes every whole number written with a fraction (`5.0`) as an integer; whether
/// there was one.
fn whole_numbers(value: &mut serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::Number(n) => match n.as_f64() {
            // Within ±2^53 every whole f64 is exact as an integer.
            Some(f)
                if !n.is_i64() && !n.is_u64() && f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 =>
            {
                *value = Value::from(f as i64);
                true
            }
            _ => false,
        },
        // Every item is visited (no short circuit): each may need writing.
        Value::Array(items) => items.iter_mut().map(whole_numbers).filter(|&w| w).count() > 0,
        Value::Object(fields) => fields.values_mut().map(whole_numbers).filter(|&w| w).count() > 0,
        _ => false,
    }
}

/// The header that makes a creating POST safe to repeat.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// A JSON body and the request's `Idempotency-Key`, with a hash of the body's bytes:
/// the same key is answered again only for the same bytes.
pub struct IdempotentJson<T> {
    /// The body.
    pub body: T,
    /// The key, with the request's hash.
    pub key: Option<Idempotency>,
}

impl<T: serde::de::DeserializeOwned> FromRequest<AppState> for IdempotentJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, ApiError> {
        let key = idempotency_key(request.headers())?;
        let route = format!("{} {}", request.method(), request.uri().path());
        let bytes = json_body(request, state).await?;
        let body = parse(&bytes)?;
        let key = key.map(|key| {
            let mut hash = Sha256::new();
            hash.update(route.as_bytes());
            hash.update(b"\n");
            hash.update(&bytes);
            Idempotency {
                key,
                request_hash: hex::encode(hash.finalize()),
            }
        });
        Ok(IdempotentJson { body, key })
    }
}

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY) else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or_default().trim();
    let printable = key.bytes().all(|b| b.is_ascii_graphic());
    if key.is_empty() || key.len() > 255 || !printable {
        return Err(ApiError::Invalid {
            field: "Idempotency-Key".into(),
            detail: "must be 1 to 255 printable ASCII characters (a UUID, say)".into(),
        });
    }
    Ok(Some(key.to_string()))
}

/// The answer of a creating request made with `IdempotentJson`: `201 Created` with
/// `body`, or, when an earlier request with the same key created it, `200 OK` with the
/// stored body and `Idempotent-Replayed: true`.
pub fn created(replayed: bool, body: impl serde::Serialize) -> axum::response::Response {
    use axum::response::IntoResponse;
    let status = if replayed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    let mut response = (status, axum::Json(body)).into_response();
    if replayed {
        response.headers_mut().insert(
            "idempotent-replayed",
            axum::http::HeaderValue::from_static("true"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Count {
        on_hand: i64,
        share: Option<f64>,
    }

    #[test]
    fn a_whole_number_written_with_a_fraction_is_an_integer_and_a_fraction_is_not() {
        let parsed: Count = parse(br#"{"on_hand": 5.0, "share": 0.5}"#).unwrap();
        assert_eq!(
            parsed,
            Count {
                on_hand: 5,
                share: Some(0.5)
            }
        );
        let Err(ApiError::Invalid { field, .. }) = parse::<Count>(br#"{"on_hand": 5.5}"#) else {
            panic!("5.5 units is refused");
        };
        assert_eq!(field, "on_hand");
    }
}
