//! Fetching a product's configurator from the c2m API.

use std::fmt;

use app::model::ConfiguratorView;
use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestCredentials, RequestInit, RequestMode, Response};

/// What the loader passes to `mount`.
pub struct Options {
    /// The product's slug.
    pub product: String,
    /// The shop's publishable key (`pk_…`).
    pub key: String,
    /// The c2m server's root URL, without a trailing slash.
    pub api_base: String,
}

impl Options {
    /// Reads `{product, key, apiBase}` from a JavaScript object.
    pub fn from_js(options: &JsValue) -> Result<Options, LoadError> {
        let field = |name: &str| {
            js_sys::Reflect::get(options, &JsValue::from_str(name))
                .ok()
                .and_then(|value| value.as_string())
                .map(|value| value.trim().to_owned())
                .filter(|value| !value.is_empty())
        };
        let product = field("product").ok_or(LoadError::Options("no product was given"))?;
        let key = field("key").ok_or(LoadError::Options("no key was given"))?;
        let api_base = field("apiBase").ok_or(LoadError::Options("no apiBase was given"))?;
        Ok(Options {
            product,
            key,
            api_base: api_base.trim_end_matches('/').to_owned(),
        })
    }
}

/// Why a configurator could not be shown.
pub enum LoadError {
    /// `mount` was called without what it needs.
    Options(&'static str),
    /// The request could not be made or got no answer.
    Network(JsValue),
    /// The API answered with an error status; `detail` is the problem's explanation.
    Http { status: u16, detail: String },
    /// The answer was not a configurator.
    BadJson(String),
}

impl LoadError {
    /// The console line: more than the shopper sees, nothing secret.
    pub fn log_message(&self) -> String {
        match self {
            LoadError::Options(what) => format!("mount options are incomplete: {what}"),
            LoadError::Network(_) => "the configurator request failed".to_owned(),
            LoadError::Http { status, detail } => format!("the API answered {status}: {detail}"),
            LoadError::BadJson(error) => format!("the configurator JSON could not be read: {error}"),
        }
    }

    /// The JavaScript error behind the failure, if there is one.
    pub fn cause(&self) -> Option<&JsValue> {
        match self {
            LoadError::Network(cause) => Some(cause),
            _ => None,
        }
    }
}

/// The short explanation shown inside the widget.
impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Options(what) => f.write_str(what),
            LoadError::Network(_) => f.write_str("the server could not be reached"),
            LoadError::Http { detail, .. } => f.write_str(detail),
            LoadError::BadJson(_) => f.write_str("the server sent an unexpected answer"),
        }
    }
}

/// The fields of an `application/problem+json` body the widget uses.
#[derive(Deserialize)]
struct Problem {
    title: Option<String>,
    detail: Option<String>,
}

/// `GET {apiBase}/api/v1/products/{product}/configurator` with the publishable key.
pub async fn configurator(options: &Options) -> Result<ConfiguratorView, LoadError> {
    let url = format!(
        "{}/api/v1/products/{}/configurator",
        options.api_base,
        String::from(js_sys::encode_uri_component(&options.product))
    );
    let response = fetch(&url, &options.key).await.map_err(LoadError::Network)?;
    let body = match response.text() {
        Ok(text) => JsFuture::from(text)
            .await
            .map_err(LoadError::Network)?
            .as_string()
            .unwrap_or_default(),
        Err(error) => return Err(LoadError::Network(error)),
    };
    if !response.ok() {
        return Err(http_error(response.status(), &body));
    }
    serde_json::from_str(&body).map_err(|error| LoadError::BadJson(error.to_string()))
}

/// The request itself: no cookies, the key as a bearer token.
async fn fetch(url: &str, key: &str) -> Result<Response, JsValue> {
    let headers = Headers::new()?;
    headers.set("Accept", "application/json, application/problem+json")?;
    headers.set("Authorization", &format!("Bearer {key}"))?;
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_mode(RequestMode::Cors);
    init.set_credentials(RequestCredentials::Omit);
    init.set_headers(&headers);
    let request = Request::new_with_str_and_init(url, &init)?;
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    JsFuture::from(window.fetch_with_request(&request))
        .await?
        .dyn_into()
}

/// An error answer, explained by its problem document when it has one.
fn http_error(status: u16, body: &str) -> LoadError {
    let problem = serde_json::from_str::<Problem>(body).ok();
    let detail = problem
        .and_then(|p| {
            p.detail
                .filter(|d| !d.is_empty())
                .or(p.title.filter(|t| !t.is_empty()))
        })
        .unwrap_or_else(|| format!("the server answered with status {status}"));
    LoadError::Http { status, detail }
}
