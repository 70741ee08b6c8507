//! Server functions: the calls the pages make, run on the server, callable from wasm.
//!
//! Each one only reads the request, asks the [`Backend`](crate::backend::Backend) and
//! shapes the answer; the work happens behind the backend.

pub mod admin;

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

pub use crate::model::storefront::{MerchantView, ProductCard, StorefrontView};
use crate::model::{ConfiguratorView, QuoteRequest, QuoteView};

/// The name of the merchant session cookie.
pub const SESSION_COOKIE: &str = "c2m_session";

/// The storefront's shop and products.
#[server(prefix = "/_fn", endpoint = "storefront")]
pub async fn storefront() -> Result<StorefrontView, ServerFnError> {
    crate::backend::backend()?
        .storefront()
        .await
        .map_err(ServerFnError::new)
}

/// A product's configurator; `None` when the slug is unknown.
#[server(prefix = "/_fn", endpoint = "configurator")]
pub async fn configurator(slug: String) -> Result<Option<ConfiguratorView>, ServerFnError> {
    crate::backend::backend()?
        .configurator(&slug)
        .await
        .map_err(ServerFnError::new)
}

/// The answer for a configuration in the storefront's shop: what the storefront's
/// configurator asks after every change (JSON, since a selection is a map of lists).
#[server(prefix = "/_fn", endpoint = "quote", input = Json)]
pub async fn quote(request: QuoteRequest) -> Result<QuoteView, ServerFnError> {
    crate::backend::backend()?
        .quote(request)
        .await
        .map_err(ServerFnError::new)
}

/// Signs a merchant in: sets the session cookie and sends them to `/admin`, or back to
/// the form with `?error=credentials` (or `?error=locked` after too many failures). Works as a plain form post before the wasm loads.
#[server(prefix = "/_fn", endpoint = "login")]
pub async fn login(email: String, password: String) -> Result<(), ServerFnError> {
    let backend = crate::backend::backend()?;
    let previous = session::token().await;
    let token = backend
        .login(email.trim(), &password, previous.as_deref())
        .await
        .map_err(ServerFnError::new)?;
    match token {
        crate::backend::SignIn::Session(token) => {
            session::set_cookie(&token, session::MAX_AGE_SECONDS, backend.secure_cookies());
            leptos_axum::redirect("/admin");
        }
        crate::backend::SignIn::Refused => leptos_axum::redirect("/admin?error=credentials"),
        crate::backend::SignIn::Locked => leptos_axum::redirect("/admin?error=locked"),
    }
    Ok(())
}

/// Ends the merchant's session and clears the cookie.
#[server(prefix = "/_fn", endpoint = "logout")]
pub async fn logout() -> Result<(), ServerFnError> {
    let backend = crate::backend::backend()?;
    if let Some(token) = session::token().await {
        backend.logout(&token).await.map_err(ServerFnError::new)?;
    }
    session::set_cookie("", 0, backend.secure_cookies());
    leptos_axum::redirect("/admin");
    Ok(())
}

/// Ends every session of the signed-in merchant, this browser's and every other
/// device's, and clears the cookie.
#[server(prefix = "/_fn", endpoint = "logout_everywhere")]
pub async fn logout_everywhere() -> Result<(), ServerFnError> {
    let backend = crate::backend::backend()?;
    if let Some(token) = session::token().await {
        backend
            .logout_everywhere(&token)
            .await
            .map_err(ServerFnError::new)?;
    }
    session::set_cookie("", 0, backend.secure_cookies());
    leptos_axum::redirect("/admin");
    Ok(())
}

/// The merchant of the current session, if any.
#[server(prefix = "/_fn", endpoint = "current_merchant")]
pub async fn current_merchant() -> Result<Option<MerchantView>, ServerFnError> {
    let Some(token) = session::token().await else {
        return Ok(None);
    };
    crate::backend::backend()?
        .merchant(&token)
        .await
        .map_err(ServerFnError::new)
}

#[cfg(feature = "ssr")]
pub(crate) mod session {
    use http::header::{COOKIE, SET_COOKIE};
    use http::{HeaderMap, HeaderValue};

    use super::SESSION_COOKIE;

    /// Sessions last a week.
    pub const MAX_AGE_SECONDS: u64 = 7 * 24 * 3600;

    /// The session token from the request's cookies.
    pub async fn token() -> Option<String> {
        let headers: HeaderMap = leptos_axum::extract().await.ok()?;
        headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == SESSION_COOKIE)
            .map(|(_, value)| value.to_string())
            .filter(|v| !v.is_empty())
    }

    /// Sets (or, with `max_age` 0, clears) the session cookie. HttpOnly keeps it from
    /// scripts; SameSite=Lax keeps it off cross-site form posts; `secure` keeps it off
    /// plain HTTP.
    pub fn set_cookie(token: &str, max_age: u64, secure: bool) {
        let secure = if secure { "; Secure" } else { "" };
        let cookie =
            format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
        if let (Some(response), Ok(value)) = (
            leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
            HeaderValue::from_str(&cookie),
        ) {
            response.append_header(SET_COOKIE, value);
        }
    }
}
