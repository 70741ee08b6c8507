//! Cross-site request forgery: a browser on another site's page must not be able to
//! make a signed-in merchant's browser change anything. Every state-changing request
//! to the admin's endpoints (the server functions under `/_fn/`, the CSV uploads under
//! `/admin/`) must come from c2m's own pages: browsers say where a request comes from
//! in `Sec-Fetch-Site` (`same-origin`, or `none` for one the user typed), and failing
//! that in `Origin`, which must name the host the request was sent to. A request with
//! neither is not from a modern browser's page (a script or a server) and carries no
//! cookie a forger could borrow, so it goes through. The session cookie's
//! `SameSite=Lax` is the second line. The public API (`/api/v1`) is authorised by
//! keys, not cookies, and is left to CORS.

use axum::extract::Request;
use axum::http::{HeaderMap, Method, header};
use axum::response::{IntoResponse, Response};

use crate::api::problem::ApiError;

/// A cross-site write to the admin, refused with 403 problem+json; `None` lets the
/// request through. Called for every request by [`crate::edge::guard`].
pub fn refusal(request: &Request) -> Option<Response> {
    if !guarded(request.method(), request.uri().path()) || from_our_pages(request.headers()) {
        return None;
    }
    tracing::warn!(path = %request.uri().path(), "cross-site write refused");
    Some(
        ApiError::Forbidden(
            "this request comes from another site's page; the admin only takes changes from its own pages"
                .into(),
        )
        .into_response(),
    )
}

fn guarded(method: &Method, path: &str) -> bool {
    let reads = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    !reads && (path.starts_with("/_fn/") || path.starts_with("/admin"))
}

fn from_our_pages(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.to_str(), Ok("same-origin" | "none"));
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let authority = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .map(|(_, authority)| authority);
    matches!((authority, host), (Some(a), Some(h)) if a.eq_ignore_ascii_case(h))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn writes_to_the_admin_are_guarded_and_reads_and_the_api_are_not() {
        assert!(guarded(&Method::POST, "/_fn/login"));
        assert!(guarded(&Method::POST, "/admin/import/stock.csv"));
        assert!(!guarded(&Method::GET, "/admin/supply"));
        assert!(!guarded(&Method::POST, "/api/v1/orders"));
    }

    #[test]
    fn only_our_own_pages_or_no_browser_page_at_all_may_write() {
        let host = ("host", "shop.example:3000");
        assert!(from_our_pages(&headers(&[
            host,
            ("sec-fetch-site", "same-origin")
        ])));
        assert!(from_our_pages(&headers(&[host, ("sec-fetch-site", "none")])));
        assert!(!from_our_pages(&headers(&[
            host,
            ("sec-fetch-site", "cross-site")
        ])));
        assert!(!from_our_pages(&headers(&[
            host,
            ("sec-fetch-site", "same-site")
        ])));
        assert!(from_our_pages(&headers(&[
            host,
            ("origin", "http://shop.example:3000")
        ])));
        assert!(!from_our_pages(&headers(&[
            host,
            ("origin", "https://evil.example")
        ])));
        assert!(!from_our_pages(&headers(&[host, ("origin", "null")])));
        assert!(from_our_pages(&headers(&[host])), "a script without a page");
    }
}
