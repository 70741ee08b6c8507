//! Headers every answer carries, and those the pages add: browsers do not guess a
//! file's type, pages do not leak their URL to other sites, the admin is never framed
//! by another page nor kept in a shared cache, and a rendered page runs no script but
//! its own ([`page_policy`]).

use axum::http::{HeaderValue, header};
use axum::response::Response;
use leptos::prelude::use_context;

/// Adds the headers to the answer to a request for `path`; an answer that chose its
/// own (the widget's files, an export) keeps them, except that an admin page is never
/// cached. Called for every answer by [`crate::edge::guard`].
pub fn secure(path_is_admin: bool, response: &mut Response) {
    let headers = response.headers_mut();
    headers
        .entry(header::X_CONTENT_TYPE_OPTIONS)
        .or_insert(HeaderValue::from_static("nosniff"));
    headers
        .entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("strict-origin-when-cross-origin"));
    if path_is_admin {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers
            .entry(header::CONTENT_SECURITY_POLICY)
            .or_insert(HeaderValue::from_static("frame-ancestors 'none'"));
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
}

/// Whether `path` is the admin's (its pages and files), which no other page may frame
/// and no cache may keep.
pub fn is_admin(path: &str) -> bool {
    path.starts_with("/admin")
}

/// Sets the Content-Security-Policy of the page being rendered (called in the Leptos
/// context of each request). Scripts run only from this origin or inline with this
/// response's nonce, which Leptos puts on its hydration and streaming scripts (its
/// `nonce` feature makes one per response); wasm may be compiled (`wasm-unsafe-eval`);
/// requests go only to this origin; no plugins, no `<base>`, forms post only here.
/// Inline `style` attributes are allowed (components size bars and swatches with
/// them); they cannot run code. Admin pages are never framed; shop pages may be.
pub fn page_policy() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let admin = use_context::<http::request::Parts>().is_some_and(|p| p.uri.path().starts_with("/admin"));
    if let Ok(value) = HeaderValue::from_str(&policy(&nonce, admin)) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

fn policy(nonce: &str, admin: bool) -> String {
    let framing = if admin {
        "frame-ancestors 'none'"
    } else {
        "frame-ancestors *"
    };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; {framing}"
    )
}

#[cfg(test)]
mod tests {
    use super::policy;

    #[test]
    fn scripts_need_the_nonce_and_only_the_admin_refuses_frames() {
        let admin = policy("abc", true);
        assert!(
            admin.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval';"),
            "{admin}"
        );
        let scripts = admin
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap();
        assert!(
            !scripts.contains("unsafe-inline"),
            "no inline script without the nonce"
        );
        assert!(admin.ends_with("frame-ancestors 'none'"), "{admin}");
        assert!(policy("abc", false).ends_with("frame-ancestors *"));
    }
}
