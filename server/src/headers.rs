//! Headers every answer carries, and those the admin's pages add: browsers do not guess
//! a file's type, pages do not leak their URL to other sites, and the admin is never
//! framed by another page nor kept in a shared cache.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// Adds the headers; an answer that chose its own (the widget's files, an export) keeps
/// them, except that an admin page is never cached.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let admin = request.uri().path().starts_with("/admin");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers
        .entry(header::X_CONTENT_TYPE_OPTIONS)
        .or_insert(HeaderValue::from_static("nosniff"));
    headers
        .entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("strict-origin-when-cross-origin"));
    if admin {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers
            .entry(header::CONTENT_SECURITY_POLICY)
            .or_insert(HeaderValue::from_static("frame-ancestors 'none'"));
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    response
}
