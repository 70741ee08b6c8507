//! The rules of a heat event batch: each event checked against the wire format and the
//! shop's catalog and turned into a row to store. The first bad field, in batch order
//! and then in the order of the wire format, refuses the whole batch.

use std::collections::HashMap;
use std::ops::RangeInclusive;

use chrono::{DateTime, Duration, Utc};

use super::HeatEvent;
use crate::api::problem::ApiError;
use crate::quoting::StoredProduct;
use crate::store::heat::{HeatKind, NewEvent};

/// The most events one batch may carry.
pub const MAX_EVENTS: usize = 500;
/// How far ahead of the server's clock an event may be (a device's clock drifts).
const MAX_AHEAD: Duration = Duration::days(1);
/// How old an event may be (a beacon queued offline arrives late, not weeks late).
const MAX_AGE: Duration = Duration::days(30);

/// What a batch is checked against besides the catalog.
pub struct Rules {
    /// When the batch arrived.
    pub now: DateTime<Utc>,
    /// Whether `purchase` events are accepted (from the shop's server only).
    pub purchases: bool,
}

/// A refused event: the field, relative to the event, and why.
type Refusal = (String, String);

fn refuse(field: &str, detail: impl Into<String>) -> Refusal {
    (field.to_string(), detail.into())
}

/// Checks the number of events.
pub fn size(events: &[HeatEvent]) -> Result<(), ApiError> {
    if (1..=MAX_EVENTS).contains(&events.len()) {
        return Ok(());
    }
    Err(ApiError::Invalid {
        field: "events".into(),
        detail: format!("send 1 to {MAX_EVENTS} events per batch"),
    })
}

/// Checks every event against the shop's `products` (by slug); the rows to store, or
/// the first bad field as `events[i].<field>`.
pub fn events(
    events: &[HeatEvent],
    products: &HashMap<String, StoredProduct<'_>>,
    rules: &Rules,
) -> Result<Vec<NewEvent>, ApiError> {
    events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            event(e, products, rules).map_err(|(field, detail)| ApiError::Invalid {
                field: format!("events[{i}].{field}"),
                detail,
            })
        })
        .collect()
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
    let option_value_id = picked(e, product)?;
    let configuration = configuration(e, product)?;
    if !is_token(&e.session, 1..=64) {
        return Err(refuse(
            "session",
            "1 to 64 characters of A-Z, a-z, 0-9, `_` and `-`",
        ));
    }
    Ok(NewEvent {
        id: e.id.clone(),
        kind: e.kind,
        product_id: product.id,
        option_value_id,
        configuration,
        session_id: e.session.clone(),
        occurred_at: occurred_at(e.occurred_at, rules.now)?,
    })
}

/// The value an `option_select` picked (it must name one); other kinds name none.
fn picked(e: &HeatEvent, product: &StoredProduct<'_>) -> Result<Option<i64>, Refusal> {
    if e.kind != HeatKind::OptionSelect {
        return match (&e.group, &e.value) {
            (Some(_), _) => Err(refuse("group", NOT_PICKED)),
            (_, Some(_)) => Err(refuse("value", NOT_PICKED)),
            (None, None) => Ok(None),
        };
    }
    let group = e
        .group
        .as_deref()
        .ok_or_else(|| refuse("group", "an `option_select` names the group of the value picked"))?;
    let g = product
        .catalog
        .groups
        .iter()
        .position(|g| g.code == group)
        .ok_or_else(|| refuse("group", format!("the product has no option group `{group}`")))?;
    let value = e
        .value
        .as_deref()
        .ok_or_else(|| refuse("value", "an `option_select` names the value picked"))?;
    let v = product.catalog.groups[g]
        .values
        .iter()
        .position(|v| v.code == value)
        .ok_or_else(|| refuse("value", format!("group `{group}` has no value `{value}`")))?;
    Ok(Some(product.value_ids[g][v]))
}

const NOT_PICKED: &str =
    "only `option_select` events name a group and value; send a configuration as `selection`";

/// The configuration's values as (`"group.value"`, value row id), checked as a quote's
/// selection is (the catalog's own rules and field paths, `selection.fabric[0]`).
fn configuration(e: &HeatEvent, product: &StoredProduct<'_>) -> Result<Vec<(String, i64)>, Refusal> {
    let Some(selection) = &e.selection else {
        return Ok(Vec::new());
    };
    if matches!(e.kind, HeatKind::View | HeatKind::OptionSelect) {
        return Err(refuse(
            "selection",
            "only `favorite`, `add_to_cart`, `preorder` and `purchase` events carry a configuration",
        ));
    }
    let resolved = product
        .catalog
        .resolve(selection)
        .map_err(|err| (err.field().to_string(), err.to_string()))?;
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

/// When the event happened: as sent, if within the window around `now`; `now` if absent.
fn occurred_at(at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Result<DateTime<Utc>, Refusal> {
    match at {
        None => Ok(now),
        Some(at) if at > now + MAX_AHEAD => Err(refuse(
            "occurred_at",
            "more than a day ahead of the server's clock",
        )),
        Some(at) if at < now - MAX_AGE => Err(refuse("occurred_at", "more than 30 days old")),
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
            session: "s_1".into(),
            occurred_at: None,
        }
    }

    fn run(e: HeatEvent) -> Result<NewEvent, String> {
        let rules = Rules {
            now: now(),
            purchases: false,
        };
        match events(&[view(), e], &bag(), &rules) {
            Ok(mut rows) => Ok(rows.remove(1)),
            Err(ApiError::Invalid { field, .. }) => Err(field),
            Err(other) => panic!("{other}"),
        }
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
        assert_eq!(
            row.configuration,
            [("fabric.navy".to_string(), 70), ("extras.strap".to_string(), 72)]
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
    fn events_are_accepted_from_30_days_back_to_a_day_ahead() {
        let at = |offset: Duration| HeatEvent {
            occurred_at: Some(now() + offset),
            ..view()
        };
        assert!(run(at(Duration::days(1))).is_ok());
        assert!(run(at(-Duration::days(30))).is_ok());
        refused(
            at(Duration::days(1) + Duration::seconds(1)),
            "events[1].occurred_at",
        );
        refused(
            at(-Duration::days(30) - Duration::seconds(1)),
            "events[1].occurred_at",
        );
    }

    #[test]
    fn a_batch_holds_1_to_500_events() {
        assert!(size(&[]).is_err());
        assert!(size(&vec![view(); MAX_EVENTS]).is_ok());
        assert!(size(&vec![view(); MAX_EVENTS + 1]).is_err());
    }
}
