//! The API's JSON, read into `app`'s model types and written from them, through the
//! browser's own `JSON`.
//!
//! The browser parses and prints JSON already; doing it in the wasm cost 101 KB of the
//! 498 KB module (serde_json with serde's derived visitors) and 20 KB more for chrono's
//! date parsers (ARCHITECTURE.md, "The widget's size"). Field
//! names are the model's, as its serde derives write them (no renames; the two enums in
//! snake case), so this reads what the server's serde writes.

use std::collections::BTreeMap;

use app::model::{
    ConfiguratorView, ConstraintView, DeliveryView, EstimateView, FirstBatchView, FrozenChoiceView,
    FulfilmentView, GroupKindView, GroupView, MaterialSourcingView, MinutesView, OptionQuoteView,
    OptionsGroupView, ProductView, QuoteView, SelectionView, SourceView, ValueStatusView, ValueView,
};
use chrono::{DateTime, NaiveDate, Utc};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// A value read from JSON, or what was wrong with it (with the field's path).
pub type Read<T> = Result<T, String>;

/// A model type read from a parsed JSON value.
pub trait FromJs: Sized {
    /// Reads `value`; the error names what was expected.
    fn from_js(value: &JsValue) -> Read<Self>;
}

/// Parses `text` as JSON and reads a `T` from it.
pub fn parse<T: FromJs>(text: &str) -> Read<T> {
    let value = js_sys::JSON::parse(text).map_err(|_| "not JSON".to_owned())?;
    T::from_js(&value)
}

/// `value` as JSON text.
pub fn stringify(value: &JsValue) -> String {
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// The member `key` of `object` (undefined when missing).
pub fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn field<T: FromJs>(object: &JsValue, key: &str) -> Read<T> {
    T::from_js(&get(object, key)).map_err(|e| format!("{key}: {e}"))
}

fn object(value: &JsValue) -> Read<()> {
    if value.is_object() && !Array::is_array(value) {
        Ok(())
    } else {
        Err("expected an object".into())
    }
}

impl FromJs for String {
    fn from_js(value: &JsValue) -> Read<String> {
        value.as_string().ok_or_else(|| "expected a string".into())
    }
}

impl FromJs for bool {
    fn from_js(value: &JsValue) -> Read<bool> {
        value.as_bool().ok_or_else(|| "expected true or false".into())
    }
}

/// A whole number within `min..=max`.
fn whole(value: &JsValue, min: f64, max: f64) -> Read<f64> {
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (min..=max).contains(&n) => Ok(n),
        _ => Err("expected a whole number in range".into()),
    }
}

impl FromJs for u32 {
    fn from_js(value: &JsValue) -> Read<u32> {
        whole(value, 0.0, f64::from(u32::MAX)).map(|n| n as u32)
    }
}

impl FromJs for i64 {
    fn from_js(value: &JsValue) -> Read<i64> {
        // JSON numbers are doubles in the browser: whole numbers are exact up to 2^53.
        const EXACT: f64 = 9_007_199_254_740_992.0;
        whole(value, -EXACT, EXACT).map(|n| n as i64)
    }
}

/// `YYYY-MM-DD`, as chrono writes a `NaiveDate`.
impl FromJs for NaiveDate {
    fn from_js(value: &JsValue) -> Read<NaiveDate> {
        let text = String::from_js(value)?;
        let mut parts = text.splitn(3, '-').map(str::parse::<u32>);
        let date = match (parts.next(), parts.next(), parts.next()) {
            (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) if text.len() == 10 => {
                NaiveDate::from_ymd_opt(y as i32, m, d)
            }
            _ => None,
        };
        date.ok_or_else(|| "expected a date (YYYY-MM-DD)".into())
    }
}

/// An RFC 3339 instant, read by the browser's `Date` (to the millisecond).
impl FromJs for DateTime<Utc> {
    fn from_js(value: &JsValue) -> Read<DateTime<Utc>> {
        let millis = js_sys::Date::parse(&String::from_js(value)?);
        (!millis.is_nan())
            .then(|| DateTime::from_timestamp_millis(millis as i64))
            .flatten()
            .ok_or_else(|| "expected an RFC 3339 date and time".into())
    }
}

/// Missing or `null` is `None`, as serde reads an absent `Option` field.
impl<T: FromJs> FromJs for Option<T> {
    fn from_js(value: &JsValue) -> Read<Option<T>> {
        if value.is_undefined() || value.is_null() {
            Ok(None)
        } else {
            T::from_js(value).map(Some)
        }
    }
}

impl<T: FromJs> FromJs for Vec<T> {
    fn from_js(value: &JsValue) -> Read<Vec<T>> {
        let array = value
            .dyn_ref::<Array>()
            .ok_or_else(|| "expected an array".to_owned())?;
        array
            .iter()
            .enumerate()
            .map(|(i, item)| T::from_js(&item).map_err(|e| format!("[{i}]: {e}")))
            .collect()
    }
}

impl FromJs for SelectionView {
    fn from_js(value: &JsValue) -> Read<SelectionView> {
        object(value)?;
        let mut selection = BTreeMap::new();
        for key in Object::keys(value.unchecked_ref::<Object>()).iter() {
            let key = String::from_js(&key)?;
            let values = field(value, &key)?;
            selection.insert(key, values);
        }
        Ok(selection)
    }
}

impl FromJs for GroupKindView {
    fn from_js(value: &JsValue) -> Read<GroupKindView> {
        match String::from_js(value)?.as_str() {
            "single" => Ok(GroupKindView::Single),
            "multi" => Ok(GroupKindView::Multi),
            _ => Err("expected single or multi".into()),
        }
    }
}

impl FromJs for ValueStatusView {
    fn from_js(value: &JsValue) -> Read<ValueStatusView> {
        match String::from_js(value)?.as_str() {
            "active" => Ok(ValueStatusView::Active),
            "frozen" => Ok(ValueStatusView::Frozen),
            _ => Err("expected active or frozen".into()),
        }
    }
}

/// `FromJs` for a model struct whose JSON members are its fields, by name.
macro_rules! read_struct {
    ($($name:ident { $($field:ident),* $(,)? })*) => {$(
        impl FromJs for $name {
            fn from_js(value: &JsValue) -> Read<$name> {
                object(value)?;
                Ok($name { $($field: field(value, stringify!($field))?,)* })
            }
        }
    )*};
}

read_struct! {
    ConfiguratorView { product, groups, default_selection, quote }
    GroupView { code, name, kind, required, values }
    ValueView { code, label, price_delta_minor, status, frozen_reason, alternative, estimate }
    QuoteView {
        product, quantity, currency, state_version, quoted_on, selection, price_minor, available,
        estimate, unavailable_reason, frozen, constraint, fulfilment, options, quote_token,
        quote_token_expires_at, split, first_batch,
    }
    DeliveryView { quantity, estimate }
    FirstBatchView { left, until }
    EstimateView { p50, p90, promised, lead_days_p50, lead_days_p90, label }
    FrozenChoiceView { field, group, value, reason, alternative }
    ConstraintView { kind, sentence, material, work_center, until, source }
    FulfilmentView { producing_node, materials, operations, sourcing_cost_minor }
    MaterialSourcingView { sku, name, quantity, sources }
    SourceView { kind, node, reference, quantity, arrives }
    MinutesView { work_center, day, minutes }
    OptionsGroupView { group, values }
    OptionQuoteView { code, selected, fastest, status, reason, alternative, price_minor, estimate }
}

impl FromJs for ProductView {
    fn from_js(value: &JsValue) -> Read<ProductView> {
        object(value)?;
        Ok(ProductView {
            slug: field(value, "slug")?,
            name: field(value, "name")?,
            description: field(value, "description")?,
            base_price_minor: field(value, "base_price_minor")?,
            currency: field(value, "currency")?,
            // `#[serde(default)]`: absent is false.
            preorder: field::<Option<bool>>(value, "preorder")?.unwrap_or(false),
        })
    }
}

/// A JavaScript object being filled, member by member.
pub struct Json(Object);

impl Json {
    /// An empty object.
    pub fn new() -> Json {
        Json(Object::new())
    }

    /// Sets `key` to `value`.
    pub fn set(self, key: &str, value: impl Into<JsValue>) -> Json {
        let _ = Reflect::set(&self.0, &JsValue::from_str(key), &value.into());
        self
    }

    /// Sets `key` to `value` when there is one (a member left out, as serde's
    /// `skip_serializing_if = "Option::is_none"` does).
    pub fn set_some(self, key: &str, value: Option<impl Into<JsValue>>) -> Json {
        match value {
            Some(value) => self.set(key, value),
            None => self,
        }
    }

    /// Sets `key` to `value`, or `null` when there is none (as serde writes `None`).
    pub fn set_or_null(self, key: &str, value: Option<impl Into<JsValue>>) -> Json {
        match value {
            Some(value) => self.set(key, value),
            None => self.set(key, JsValue::NULL),
        }
    }

    /// The object.
    pub fn done(self) -> JsValue {
        self.0.into()
    }
}

/// A selection as JSON: `{"colour": ["navy"]}`.
pub fn selection(selection: &SelectionView) -> JsValue {
    selection
        .iter()
        .fold(Json::new(), |json, (group, values)| {
            json.set(group, strings(values))
        })
        .done()
}

fn strings(values: &[String]) -> Array {
    values.iter().map(|v| JsValue::from_str(v)).collect()
}

/// A date as chrono's serde writes it (`2027-01-05`).
pub fn date(day: NaiveDate) -> JsValue {
    JsValue::from_str(&day.to_string())
}
