//! What every request passes before the router, in one middleware: its rate limit
//! ([`crate::limits`]), then the admin's same-origin check for writes ([`crate::csrf`]);
//! and what every answer leaves with, refusals included: the security headers
//! ([`crate::headers`]). One middleware rather than one per concern: each layer boxes
//! its future and clones the service beneath it for every request, which a cached
//! quote pays for in full. The concerns stay in their modules as plain functions; the
//! order they run in is here.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::limits::Limits;

/// The middleware; layer it over the whole router, inside the request id and tracing
/// layers (so a refusal is logged with its request id).
pub async fn guard(State(limits): State<Arc<Limits>>, request: Request, next: Next) -> Response {
    let admin = crate::headers::is_admin(request.uri().path());
    let refused = limits
        .refusal(&request)
        .or_else(|| crate::csrf::refusal(&request));
    let mut response = match refused {
        Some(refusal) => refusal,
        None => next.run(request).await,
    };
    crate::headers::secure(admin, &mut response);
    response
}
