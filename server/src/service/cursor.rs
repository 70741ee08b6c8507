//! Opaque page cursors: `base64url("<kind>:<id>")`, the id of the last row of a page, so
//! the next page is the rows below it. One format for every list endpoint.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::service::{WriteError, invalid};

/// The cursor after row `id` of a list of `kind` (`order`, `delivery`).
pub(crate) fn encode(kind: &str, id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:{id}"))
}

/// The row id in `cursor`, refused (field `cursor`) unless this list gave it out.
pub(crate) fn decode(kind: &str, cursor: &str) -> Result<i64, WriteError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix(kind)?.strip_prefix(':')?.parse().ok())
        .ok_or_else(|| invalid("cursor", "is not a cursor this endpoint gave out"))
}
