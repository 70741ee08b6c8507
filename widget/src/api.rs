//! Requests to the c2m API: the configurator, quotes and heat events.

use std::fmt;

use app::configuration::QuoteFailure;
use app::model::{ConfiguratorView, QuoteRequest, QuoteView};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestCredentials, RequestInit, RequestMode, Response};

use crate::wire::{self, FromJs, Json};

/// Where the API is and who is asking.
#[derive(Clone, Debug)]
pub struct Endpoint {
    /// The c2m server's root URL, without a trailing slash.
    pub api_base: String,
    /// The shop's publishable key (`pk_…`).
    pub key: String,
}

/// Why a request failed.
pub enum ApiError {
    /// The request could not be made or got no answer.
    Network(JsValue),
    /// The API answered with an error status; `detail` is the problem's explanation.
    Http { status: u16, detail: String },
    /// The answer was not what was asked for.
    BadJson(String),
}

impl ApiError {
    /// The console line: more than the shopper sees, nothing secret.
    pub fn log_message(&self) -> String {
        match self {
            ApiError::Network(_) => "the request to the c2m API failed".to_owned(),
            ApiError::Http { status, detail } => format!("the API answered {status}: {detail}"),
            ApiError::BadJson(error) => format!("the API's JSON could not be read: {error}"),
        }
    }

    /// The JavaScript error behind the failure, if there is one.
    pub fn cause(&self) -> Option<&JsValue> {
        match self {
            ApiError::Network(cause) => Some(cause),
            _ => None,
        }
    }
}

/// The short explanation shown inside the widget.
impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Network(_) => f.write_str("the server could not be reached"),
            ApiError::Http { detail, .. } => f.write_str(detail),
            ApiError::BadJson(_) => f.write_str("the server sent an unexpected answer"),
        }
    }
}

impl From<ApiError> for QuoteFailure {
    fn from(error: ApiError) -> QuoteFailure {
        crate::log_api_error(&error);
        match error {
            ApiError::Network(_) if !online() => QuoteFailure::Offline,
            other => QuoteFailure::Server(other.to_string()),
        }
    }
}

/// Whether the browser believes it has a network.
pub fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

impl Endpoint {
    /// `GET /api/v1/products/{product}/configurator`.
    pub async fn configurator(&self, product: &str) -> Result<ConfiguratorView, ApiError> {
        let path = format!(
            "/api/v1/products/{}/configurator",
            String::from(js_sys::encode_uri_component(product))
        );
        self.call("GET", &path, None).await
    }

    /// `POST /api/v1/quotes`.
    pub async fn quote(&self, request: &QuoteRequest) -> Result<QuoteView, ApiError> {
        let body = Json::new()
            .set("product", request.product.as_str())
            .set("selection", wire::selection(&request.selection))
            .set("quantity", request.quantity)
            .set_some("channel", request.channel.as_deref())
            .done();
        self.call("POST", "/api/v1/quotes", Some(&wire::stringify(&body)))
            .await
    }

    /// `POST /api/v1/events` with `body`, kept alive past the page's end.
    pub async fn post_events(&self, body: &str) -> Result<(), ApiError> {
        let response = self.send("POST", "/api/v1/events", Some(body), true).await?;
        read_body(&response).await.map(|_| ())
    }

    async fn call<T: FromJs>(&self, method: &str, path: &str, body: Option<&str>) -> Result<T, ApiError> {
        let response = self.send(method, path, body, false).await?;
        let text = read_body(&response).await?;
        wire::parse(&text).map_err(ApiError::BadJson)
    }

    /// The request itself: no cookies, the key as a bearer token.
    async fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        keepalive: bool,
    ) -> Result<Response, ApiError> {
        let request = (|| {
            let headers = Headers::new()?;
            headers.set("Accept", "application/json, application/problem+json")?;
            headers.set("Authorization", &format!("Bearer {}", self.key))?;
            let init = RequestInit::new();
            init.set_method(method);
            init.set_mode(RequestMode::Cors);
            init.set_credentials(RequestCredentials::Omit);
            if keepalive {
                // Not in web-sys's RequestInit yet; the dictionary takes it all the same.
                js_sys::Reflect::set(&init, &JsValue::from_str("keepalive"), &JsValue::TRUE)?;
            }
            if let Some(body) = body {
                headers.set("Content-Type", "application/json")?;
                init.set_body(&JsValue::from_str(body));
            }
            init.set_headers(&headers);
            Request::new_with_str_and_init(&format!("{}{path}", self.api_base), &init)
        })()
        .map_err(ApiError::Network)?;
        let window = web_sys::window().ok_or_else(|| ApiError::Network(JsValue::from_str("no window")))?;
        JsFuture::from(window.fetch_with_request(&request))
            .await
            .and_then(|r| r.dyn_into())
            .map_err(ApiError::Network)
    }
}

/// The body of a successful answer, or the error it explains.
async fn read_body(response: &Response) -> Result<String, ApiError> {
    let promise = response.text().map_err(ApiError::Network)?;
    let text = JsFuture::from(promise)
        .await
        .map_err(ApiError::Network)?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        Ok(text)
    } else {
        Err(http_error(response.status(), &text))
    }
}

/// An error answer, explained by its problem document when it has one.
fn http_error(status: u16, body: &str) -> ApiError {
    let problem = js_sys::JSON::parse(body).ok().filter(JsValue::is_object);
    let member = |key| {
        problem
            .as_ref()
            .and_then(|p| wire::get(p, key).as_string())
            .filter(|s| !s.is_empty())
    };
    let detail = member("detail")
        .or_else(|| member("title"))
        .unwrap_or_else(|| format!("the server answered with status {status}"));
    ApiError::Http { status, detail }
}
