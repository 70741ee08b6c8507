//! The rules of a heat event batch: each event parsed and checked against the wire
//! format and the shop's catalog, and turned into a row to store. Every event is
//! checked, so a refusal names each bad event (its first bad field, in the order of the
//! wire format), not only the first.

use std::collections::HashMap;
use std::ops::RangeInclusive;

use chrono::{DateTime, Duration, Utc};
use engine::Selection;

use super::HeatEvent;
use crate::api::problem::{ApiError, FieldError};
use crate::quoting::StoredProduct;
use crate::store::heat::{HeatKind, NewEvent};

/// The most events one batch may carry.
pub const MAX_EVENTS: usize = 500;
/// How far ahead of the server's clock an event may be (a device's clock drifts).
const MAX_AHEAD: Duration = Duration::days(1);
/// How old an event from a web page may be: a beacon queued offline arrives hours
/// late, not days (GA4's Measurement Protocol takes 72 hours too). Older ones are
/// refused, so a script cannot backdate heat into past windows.
pub const MAX_AGE_FROM_PAGES: Duration = Duration::hours(72);
/// How old an event from the shop's server (secret key) may be: a backfill of the last
/// month's purchases.
pub const MAX_AGE_FROM_SERVERS: Duration = Duration::days(30);

/// What a batch is checked against besides the catalog.
pub struct Rules {
    /// When the batch arrived.
    pub now: DateTime<Utc>,
    /// Whether `purchase` events are accepted (from the shop's server only).
    pub purchases: bool,
    /// How old an event may be ([`MAX_AGE_FROM_PAGES`], [`MAX_AGE_FROM_SERVERS`]).
    pub max_age: Duration,
    /// The shop's time zone, which dates an event's daily rollup.
    pub tz: chrono_tz::Tz,
}

/// A refused event: the field, relative to the event, and why.
type Refusal = (String, String);

fn refuse(field: &str, detail: impl Into<String>) -> Refusal {
    (field.to_string(), detail.into())
}

/// A batch sorted into the events to store and the refused ones.
#[derive(Debug, Default)]
pub struct Checked {
    /// The good events, in batch order.
    pub accepted: Vec<NewEvent>,
    /// Each refused event's index in the batch and its first bad field
    /// (`events[3].kind`).
    pub rejected: Vec<(usize, FieldError)>,
}

impl Checked {
    /// The refusal of a batch with rejected events, naming each.
    pub fn refusal(self) -> ApiError {
        let detail = match &self.rejected[..] {
            [(_, only)] => format!("{}: {}; nothing was stored", only.field, only.detail),
            more => format!(
                "{} of the batch's events are invalid; nothing was stored (send `\"partial\": true` to store the valid ones)",
                more.len()
            ),
        };
        ApiError::InvalidMany {
            detail,
            errors: self.rejected.into_iter().map(|(_, e)| e).collect(),
        }
    }
}

/// Checks the number of events.
pub fn size(events: &[serde_json::Value]) -> Result<(), ApiError> {
    if (1..=MAX_EVENTS).contains(&events.len()) {
        return Ok(());
    }
    Err(ApiError::Invalid {
        field: "events".into(),
        detail: format!("send 1 to {MAX_EVENTS} events per batch"),
    })
}

/// The product slug of a not yet parsed event, to look its catalog up.
pub fn product_of(event: &serde_json::Value) -> Option<&str> {
    event.get("product").and_then(serde_json::Value::as_str)
}

/// Parses and checks every event against the shop's `products` (by slug).
pub fn events(
    events: &[serde_json::Value],
    products: &HashMap<String, StoredProduct<'_>>,
    rules: &Rules,
) -> Checked {
    let mut checked = Checked::default();
    for (i, raw) in events.iter().enumerate() {
        match parse(raw).and_then(|e| event(&e, products, rules)) {
            Ok(row) => checked.accepted.push(row),
            Err((field, detail)) => checked.rejected.push((
                i,
                FieldError {
                    field: if field.is_empty() {
                        format!("events[{i}]")
                    } else {
                        format!("events[{i}].{field}")
                    },
                    detail,
                },
            )),
        }
    }
    checked
}

/// One event off the wire; a malformed one names its field.
fn parse(raw: &serde_json::Value) -> Result<HeatEvent, Refusal> {
    if !raw.is_object() {
        return Err((String::new(), "an event is a JSON object".into()));
    }
    serde_path_to_error::deserialize(raw).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { String::new() } else { path };
        (field, e.into_inner().to_string())
    })
}

fn event(
    e: &HeatEvent,
    products: &HashMap<String, StoredProduct<'_>>,
    rules: &Rules,
) -> Result<NewEvent, Refusal> {
    if !is_token(&e.id, 8..=64) {
        return Err(refuse("id", "8 to 64 characters of A-Z, a-z, 0-9, `_` and `-`"));
    }
    if e.kind == HeatKind::Purchase && !rules.purchases {
        return Err(refuse(
            "kind",
            "`purchase` is recorded from the shop's server with its secret key, not from web pages",
        ));
    }
    let product = products
        .get(&e.product)
        .ok_or_else(|| refuse("product", format!("no product `{}` in this shop", e.product)))?;
    let picked = picked(e, product)?;
    let configuration = configuration(e, product)?;
    if !is_token(&e.session, 1..=64) {
        return Err(refuse(
            "session",
            "1 to 64 characters of A-Z, a-z, 0-9, `_` and `-`",
        ));
    }
    let occurred_at = occurred_at(e.occurred_at, rules.now, rules.max_age)?;
    let involved = picked.iter().chain(&configuration);
    let variant = involved
        .clone()
        .map(|(code, _)| code.as_str())
        .collect::<Vec<_>>()
        .join(",");
    Ok(NewEvent {
        id: e.id.clone(),
        kind: e.kind,
        product_id: product.id,
        option_value_id: picked.as_ref().map(|(_, id)| *id),
        values: involved.map(|(_, id)| *id).collect(),
        variant: (!variant.is_empty()).then_some(variant),
        session_id: e.session.clone(),
        day: occurred_at.with_timezone(&rules.tz).date_naive(),
        occurred_at,
    })
}

/// The value an `option_select` picked, as (`"group.value"`, value row id): named by
/// `group` and `value`, or by GA4's `item_variant` (`"group.value"`). Other kinds name
/// none.
fn picked(e: &HeatEvent, product: &StoredProduct<'_>) -> Result<Option<(String, i64)>, Refusal> {
    if e.kind != HeatKind::OptionSelect {
        return match (&e.group, &e.value) {
            (Some(_), _) => Err(refuse("group", NOT_PICKED)),
            (_, Some(_)) => Err(refuse("value", NOT_PICKED)),
            (None, None) => Ok(None),
        };
    }
    let (group, value, group_field, value_field) = match (&e.item_variant, &e.group, &e.value) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
            return Err(refuse(
                "item_variant",
                "name the value picked either by `group` and `value` or by `item_variant`, not both",
            ));
        }
        (Some(variant), None, None) => {
            let (group, value) = variant.split_once('.').ok_or_else(|| {
                refuse(
                    "item_variant",
                    "an `option_select`'s `item_variant` is `group.value`",
                )
            })?;
            (group, Some(value), "item_variant", "item_variant")
        }
        (None, group, value) => (
            group
                .as_deref()
                .ok_or_else(|| refuse("group", "an `option_select` names the group of the value picked"))?,
            value.as_deref(),
            "group",
            "value",
        ),
    };
    let g = product
        .catalog
        .groups
        .iter()
        .position(|g| g.code == group)
        .ok_or_else(|| refuse(group_field, format!("the product has no option group `{group}`")))?;
    let value = value.ok_or_else(|| refuse(value_field, "an `option_select` names the value picked"))?;
    let v = product.catalog.groups[g]
        .values
        .iter()
        .position(|v| v.code == value)
        .ok_or_else(|| refuse(value_field, format!("group `{group}` has no value `{value}`")))?;
    Ok(Some((format!("{group}.{value}"), product.value_ids[g][v])))
}

const NOT_PICKED: &str =
    "only `option_select` events name a group and value; send a configuration as `selection`";

/// The configuration's values as (`"group.value"`, value row id), checked as a quote's
/// selection is (the catalog's own rules and field paths, `selection.fabric[0]`). It
/// comes as `selection` or as GA4's `item_variant` (`"fabric.navy,extras.strap"`).
fn configuration(e: &HeatEvent, product: &StoredProduct<'_>) -> Result<Vec<(String, i64)>, Refusal> {
    let (selection, field) = match (&e.selection, &e.item_variant) {
        (None, None) => return Ok(Vec::new()),
        (Some(_), Some(_)) if e.kind != HeatKind::OptionSelect => {
            return Err(refuse(
                "item_variant",
                "send the configuration either as `selection` or as `item_variant`, not both",
            ));
        }
        (Some(selection), _) => (selection.clone(), "selection"),
        (None, Some(_)) if e.kind == HeatKind::OptionSelect => return Ok(Vec::new()),
        (None, Some(variant)) => (variant_selection(variant)?, "item_variant"),
    };
    if matches!(e.kind, HeatKind::View | HeatKind::OptionSelect) {
        return Err(refuse(
            field,
            "only `favorite`, `add_to_cart`, `preorder` and `purchase` events carry a configuration",
        ));
    }
    let resolved = product.catalog.resolve(&selection).map_err(|err| {
        let path = err.field().to_string();
        let path = if field == "selection" {
            path
        } else {
            field.to_string()
        };
        (path, err.to_string())
    })?;
    Ok(resolved
        .chosen
        .iter()
        .map(|&(g, v)| {
            let group = &product.catalog.groups[g];
            let code = format!("{}.{}", group.code, group.values[v].code);
            (code, product.value_ids[g][v])
        })
        .collect())
}

/// `"fabric.navy,extras.strap"` as a selection.
fn variant_selection(variant: &str) -> Result<Selection, Refusal> {
    let mut selection = Selection::new();
    for part in variant.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (group, value) = part.split_once('.').ok_or_else(|| {
            refuse(
                "item_variant",
                format!("`{part}` is not `group.value`; a configuration is `group.value,group.value`"),
            )
        })?;
        selection
            .entry(group.to_string())
            .or_default()
            .push(value.to_string());
    }
    Ok(selection)
}

/// When the event happened: as sent, if within the window around `now`; `now` if absent.
fn occurred_at(
    at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    max_age: Duration,
) -> Result<DateTime<Utc>, Refusal> {
    match at {
        None => Ok(now),
        Some(at) if at > now + MAX_AHEAD => Err(refuse(
            "occurred_at",
            "more than a day ahead of the server's clock",
        )),
        Some(at) if at < now - max_age => Err(refuse(
            "occurred_at",
            if max_age < Duration::days(7) {
                format!("more than {} hours old", max_age.num_hours())
            } else {
                format!("more than {} days old", max_age.num_days())
            },
        )),
        Some(at) => Ok(at),
    }
}

/// Whether `s` is an id the client may make: `len` characters of `A-Z a-z 0-9 _ -`
/// (no `:`, so it never meets a derived per-value id).
fn is_token(s: &str, len: RangeInclusive<usize>) -> bool {
    len.contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use engine::{GroupKind, Money, OptionGroup, OptionValue, ProductCatalog, ValueStatus};

    use super::*;

    fn bag() -> HashMap<String, StoredProduct<'static>> {
        let value = |code: &str| OptionValue {
            code: code.into(),
            label: code.into(),
            price_delta: Money(0),
            status: ValueStatus::Active,
        };
        let group = |code: &str, kind, required, values| OptionGroup {
            code: code.into(),
            name: code.into(),
            kind,
            required,
            values,
        };
        let catalog = ProductCatalog {
            base_price: Money(10_000),
            groups: vec![
                group(
                    "fabric",
                    GroupKind::Single,
                    true,
                    vec![value("navy"), value("sand")],
                ),
                group("extras", GroupKind::Multi, false, vec![value("strap")]),
            ],
        };
        // Tests only: the snapshot a real batch borrows from outlives the check.
        let product = StoredProduct {
            id: 7,
            catalog: Box::leak(Box::new(catalog)),
            value_ids: Box::leak(Box::new(vec![vec![70, 71], vec![72]])),
        };
        HashMap::from([("bag".to_string(), product)])
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
    }

    fn view() -> HeatEvent {
        HeatEvent {
            id: "evt-0001".into(),
            kind: HeatKind::View,
            product: "bag".into(),
            group: None,
            value: None,
            selection: None,
            item_variant: None,
            session: "s_1".into(),
            occurred_at: None,
        }
    }

    /// The row of `e` as the second event of a batch, or its field as the batch names it.
    fn run(e: HeatEvent) -> Result<NewEvent, String> {
        let rules = Rules {
            now: now(),
            purchases: false,
            max_age: MAX_AGE_FROM_PAGES,
            tz: chrono_tz::Europe::Berlin,
        };
        event(&e, &bag(), &rules).map_err(|(field, _)| format!("events[1].{field}"))
    }

    #[track_caller]
    fn refused(e: HeatEvent, field: &str) {
        assert_eq!(run(e).err().as_deref(), Some(field));
    }

    #[test]
    fn an_option_select_stores_the_value_picked() {
        let e = HeatEvent {
            kind: HeatKind::OptionSelect,
            group: Some("fabric".into()),
            value: Some("sand".into()),
            ..view()
        };
        let row = run(e).unwrap();
        assert_eq!((row.product_id, row.option_value_id), (7, Some(71)));
        assert_eq!(
            (row.values, row.variant.as_deref()),
            (vec![71], Some("fabric.sand"))
        );
        assert_eq!(row.occurred_at, now(), "no time sent: the time of receipt");
    }

    #[test]
    fn a_configuration_becomes_one_value_per_chosen_value() {
        let e = HeatEvent {
            kind: HeatKind::AddToCart,
            selection: Some(
                [
                    ("fabric".into(), vec!["navy".into()]),
                    ("extras".into(), vec!["strap".into()]),
                ]
                .into(),
            ),
            ..view()
        };
        let row = run(e).unwrap();
        assert_eq!(row.option_value_id, None);
        assert_eq!(row.values, [70, 72]);
        assert_eq!(row.variant.as_deref(), Some("fabric.navy,extras.strap"));
    }

    #[test]
    fn an_event_is_counted_on_the_shops_local_day() {
        // 23:30 UTC on the 24th is already the 25th in Berlin.
        let late = HeatEvent {
            occurred_at: Some(Utc.with_ymd_and_hms(2026, 11, 24, 23, 30, 0).unwrap()),
            ..view()
        };
        assert_eq!(run(late).unwrap().day.to_string(), "2026-11-25");
    }

    #[test]
    fn every_bad_event_of_a_batch_is_named() {
        let raw = [
            serde_json::json!({"id": "evt-0001", "kind": "view", "product": "bag", "session": "s"}),
            serde_json::json!({"id": "evt-0002", "kind": "click", "product": "bag", "session": "s"}),
            serde_json::json!({"id": "evt-0003", "kind": "view", "product": "tote", "session": "s"}),
            serde_json::json!([1, 2]),
        ];
        let rules = Rules {
            now: now(),
            purchases: false,
            max_age: MAX_AGE_FROM_PAGES,
            tz: chrono_tz::UTC,
        };
        let checked = events(&raw, &bag(), &rules);
        assert_eq!(checked.accepted.len(), 1);
        let fields: Vec<(usize, &str)> = checked
            .rejected
            .iter()
            .map(|(i, e)| (*i, e.field.as_str()))
            .collect();
        assert_eq!(
            fields,
            [(1, "events[1].kind"), (2, "events[2].product"), (3, "events[3]")]
        );
    }

    #[test]
    fn each_bad_field_is_named_with_the_event_index() {
        refused(
            HeatEvent {
                id: "short".into(),
                ..view()
            },
            "events[1].id",
        );
        refused(
            HeatEvent {
                id: "evt:0001".into(),
                ..view()
            },
            "events[1].id",
        );
        refused(
            HeatEvent {
                kind: HeatKind::Purchase,
                ..view()
            },
            "events[1].kind",
        );
        refused(
            HeatEvent {
                product: "tote".into(),
                ..view()
            },
            "events[1].product",
        );
        refused(
            HeatEvent {
                group: Some("fabric".into()),
                ..view()
            },
            "events[1].group",
        );
        refused(
            HeatEvent {
                value: Some("navy".into()),
                ..view()
            },
            "events[1].value",
        );
        let select = |group: &str, value: &str| HeatEvent {
            kind: HeatKind::OptionSelect,
            group: Some(group.into()),
            value: Some(value.into()),
            ..view()
        };
        refused(select("colour", "navy"), "events[1].group");
        refused(select("fabric", "plaid"), "events[1].value");
        refused(
            HeatEvent {
                value: None,
                ..select("fabric", "navy")
            },
            "events[1].value",
        );
        let favorite = |fabric: &str| HeatEvent {
            kind: HeatKind::Favorite,
            selection: Some([("fabric".into(), vec![fabric.into()])].into()),
            ..view()
        };
        refused(favorite("plaid"), "events[1].selection.fabric[0]");
        refused(
            HeatEvent {
                kind: HeatKind::View,
                ..favorite("navy")
            },
            "events[1].selection",
        );
        refused(
            HeatEvent {
                session: String::new(),
                ..view()
            },
            "events[1].session",
        );
        refused(
            HeatEvent {
                session: "a b".into(),
                ..view()
            },
            "events[1].session",
        );
    }

    #[test]
    fn events_from_pages_are_accepted_from_72_hours_back_to_a_day_ahead() {
        let at = |offset: Duration| HeatEvent {
            occurred_at: Some(now() + offset),
            ..view()
        };
        assert!(run(at(Duration::days(1))).is_ok());
        assert!(run(at(-Duration::hours(72))).is_ok());
        refused(
            at(Duration::days(1) + Duration::seconds(1)),
            "events[1].occurred_at",
        );
        refused(
            at(-Duration::hours(72) - Duration::seconds(1)),
            "events[1].occurred_at",
        );
    }

    #[test]
    fn the_shops_server_may_send_events_up_to_30_days_late() {
        let rules = |max_age| Rules {
            now: now(),
            purchases: true,
            max_age,
            tz: chrono_tz::UTC,
        };
        let month_old = HeatEvent {
            occurred_at: Some(now() - Duration::days(30)),
            ..view()
        };
        assert!(event(&month_old, &bag(), &rules(MAX_AGE_FROM_SERVERS)).is_ok());
        let (field, detail) = event(&month_old, &bag(), &rules(MAX_AGE_FROM_PAGES)).unwrap_err();
        assert_eq!(
            (field.as_str(), detail.as_str()),
            ("occurred_at", "more than 72 hours old")
        );
        let older = HeatEvent {
            occurred_at: Some(now() - Duration::days(30) - Duration::seconds(1)),
            ..view()
        };
        let (_, detail) = event(&older, &bag(), &rules(MAX_AGE_FROM_SERVERS)).unwrap_err();
        assert_eq!(detail, "more than 30 days old");
    }

    #[test]
    fn a_batch_holds_1_to_500_events() {
        let event = serde_json::json!({});
        assert!(size(&[]).is_err());
        assert!(size(&vec![event.clone(); MAX_EVENTS]).is_ok());
        assert!(size(&vec![event; MAX_EVENTS + 1]).is_err());
    }
}
