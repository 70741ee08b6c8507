//! What the loader passes to `mount`, checked.

use app::i18n::Locale;
use wasm_bindgen::JsValue;

use crate::api::Endpoint;

/// The largest quantity a quote may ask for (the API's limit).
const MAX_QUANTITY: u32 = 1_000;

/// A mount's options.
pub struct Options {
    /// The product's slug.
    pub product: String,
    /// The API and the shop's publishable key.
    pub endpoint: Endpoint,
    /// The shopper's language.
    pub locale: Locale,
    /// Units.
    pub quantity: u32,
}

impl Options {
    /// Reads `{product, key, apiBase, locale?, quantity?}` from a JavaScript object; the
    /// error says which is missing or wrong.
    pub fn from_js(options: &JsValue) -> Result<Options, String> {
        let field = |name: &str| {
            js_sys::Reflect::get(options, &JsValue::from_str(name))
                .ok()
                .and_then(|value| value.as_string())
                .map(|value| value.trim().to_owned())
                .filter(|value| !value.is_empty())
        };
        let product = field("product").ok_or("no product was given")?;
        let key = field("key").ok_or("no key was given")?;
        let api_base = field("apiBase").ok_or("no apiBase was given")?;
        let locale = field("locale").map_or(Locale::En, |tag| Locale::from_tag(&tag));
        let quantity =
            js_sys::Reflect::get(options, &JsValue::from_str("quantity")).unwrap_or(JsValue::UNDEFINED);
        let quantity = if quantity.is_undefined() || quantity.is_null() {
            1
        } else {
            self::quantity(&quantity)?
        };
        Ok(Options {
            product,
            endpoint: Endpoint {
                api_base: api_base.trim_end_matches('/').to_owned(),
                key,
            },
            locale,
            quantity,
        })
    }
}

/// A quantity from a number or a numeric string: a whole number from 1 to 1000.
pub fn quantity(value: &JsValue) -> Result<u32, String> {
    let number = value
        .as_f64()
        .or_else(|| value.as_string().and_then(|s| decimal(&s)));
    match number {
        Some(n) if n.fract() == 0.0 && (1.0..=f64::from(MAX_QUANTITY)).contains(&n) => Ok(n as u32),
        _ => Err(format!(
            "quantity must be a whole number from 1 to {MAX_QUANTITY}, not {}",
            value.as_string().unwrap_or_else(|| format!("{value:?}"))
        )),
    }
}

/// A decimal number written as Rust's `f64` parser takes it (`2`, `2.0`, `1e2`), read by
/// the browser's `Number` (which would also take `0x10` and the empty string, so those
/// are refused first): Rust's own float parser brings its tables into the wasm.
fn decimal(text: &str) -> Option<f64> {
    let text = text.trim();
    let plain = !text.is_empty()
        && text.bytes().any(|b| b.is_ascii_digit())
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    let number = JsValue::from_str(text).unchecked_into_f64();
    (plain && !number.is_nan()).then_some(number)
}
