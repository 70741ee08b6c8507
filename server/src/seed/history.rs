//! 180 days of shoppers: sessions, the heat they leave, the orders some of them place,
//! and the material demand those orders explode into.
//!
//! Everything flows from sessions, so heat and orders agree. Per product and day the
//! expected order count follows a slow trend and a weekday pattern; the number of
//! sessions is Poisson around it (hence intermittent demand: many days without an
//! order). A session views the product; some configure it (one `option_select` per value
//! they settle on, plus a few alternatives they try); some of those add it to the cart
//! and some of those order. `favorite`, `add_to_cart`, `preorder` and `purchase` carry
//! the configuration, as the widget sends them, so funnels and add-to-cart rates can be
//! read per option value (`add_to_cart` events with a value / its `option_select`
//! events) from the same rollups as live heat. Funnels are per
//! session: viewing sessions far outnumber configuring ones, which outnumber carts and
//! orders.
//!
//! Scenarios: the niche Lagoon blue canvas of the weekender is in a cart far more often
//! in the last 14 days (the article's "15 % spike"); Sage linen of the tote is frozen by
//! the merchant and disappears from orders 30 days ago; Bordeaux nubuck of the sneaker
//! stopped selling when its only supplier closed, 90 days ago.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, Utc, Weekday};
use engine::Selection;
use rand::Rng;
use serde_json::json;

use super::catalog::{WEEKENDER_LAUNCH_DAYS, days_ago};
use super::model::{
    AuditEntry, AuditSubject, HeatEvent, HeatKind, Lifecycle, Order, OrderStatus, Product, ValueRef,
};
use super::supply::Availability;
use super::{FROZEN_VALUE, NICHE_VALUE, ScenarioValue, UNSUPPLIABLE_VALUE};
use crate::store::entities::OptionValueStatus;

/// Days of history before today.
pub(super) const HISTORY_DAYS: u64 = 180;
/// The window of the niche colour's add-to-cart spike.
pub(super) const SPIKE_DAYS: u64 = 14;
/// The merchant froze the seasonal colour this many days ago.
const FROZEN_SINCE_DAYS: u64 = 30;
/// The unsuppliable material's supplier closed this many days ago.
const UNSUPPLIABLE_SINCE_DAYS: u64 = 90;
/// Share of sessions that touch the configurator.
const CONFIGURE_RATE: f64 = 0.35;
/// Share of configuring sessions with the niche colour that add it to the cart during
/// the spike (several times the usual rate).
const SPIKE_CART_RATE: f64 = 0.55;
/// Share of sessions that save a favorite, among configuring ones.
const FAVORITE_RATE: f64 = 0.06;

/// How much a product sells, and how shoppers reach an order.
struct Demand {
    /// Days ago the product started selling (at most [`HISTORY_DAYS`]).
    since_days: u64,
    /// Expected orders per day at the start of its history.
    orders_then: f64,
    /// Expected orders per day now.
    orders_now: f64,
    /// Sessions per order.
    sessions_per_order: f64,
    /// Share of carts that become orders.
    order_rate: f64,
}

fn demand(product: &Product) -> Demand {
    match product.lifecycle {
        Lifecycle::Presale => Demand {
            since_days: WEEKENDER_LAUNCH_DAYS,
            orders_then: 0.35,
            orders_now: 1.0,
            // A new product draws lookers; preorders convert less than purchases.
            sessions_per_order: 50.0,
            order_rate: 0.7,
        },
        Lifecycle::Growth => Demand {
            since_days: HISTORY_DAYS,
            orders_then: 0.3,
            orders_now: 0.85,
            sessions_per_order: 38.0,
            order_rate: 0.8,
        },
        Lifecycle::Mature => Demand {
            since_days: HISTORY_DAYS,
            orders_then: 0.62,
            orders_now: 0.5,
            sessions_per_order: 38.0,
            order_rate: 0.8,
        },
    }
}

/// More orders mid-week and on Sunday evenings, fewer on Fridays and Saturdays.
fn weekday_factor(day: NaiveDate) -> f64 {
    match day.weekday() {
        Weekday::Mon | Weekday::Wed => 1.0,
        Weekday::Tue => 1.05,
        Weekday::Thu | Weekday::Sun => 1.1,
        Weekday::Fri => 0.9,
        Weekday::Sat => 0.85,
    }
}

/// How much shoppers like a value: a relative weight in single-choice groups, the
/// probability of being added in add-on groups. Unlisted values weigh 1.
fn taste(product: &str, group: &str, value: &str) -> f64 {
    match (product, group, value) {
        (_, "extras", "monogram") => 0.25,
        (_, "extras", "shoe-pocket" | "zip-pocket") => 0.2,
        (_, "extras", "strap") => 0.35,
        (_, "extras", "leather-insole") => 0.18,
        (_, "extras", _) => 0.1,
        ("weekender-bag", "fabric", "navy-canvas") => 3.0,
        ("weekender-bag", "fabric", "black-canvas") => 2.5,
        ("weekender-bag", "fabric", "sand-canvas") => 2.0,
        ("weekender-bag", "fabric", "lagoon-canvas") => 0.6,
        ("weekender-bag", "fabric", "natural-linen") => 1.5,
        ("weekender-bag", "fabric", "indigo-linen") => 0.8,
        // Launched lately; its own stream (`super::launch`) brings its heat.
        ("weekender-bag", "fabric", "olive-linen") => 0.0,
        ("weekender-bag", "trim", "tan") => 3.0,
        ("weekender-bag", "trim", "black") => 2.0,
        ("weekender-bag", "trim", "cognac") => 1.2,
        ("weekender-bag", "hardware", "brass") => 2.5,
        ("weekender-bag", "hardware", "nickel") => 2.0,
        ("weekender-bag", "hardware", "gunmetal") => 0.8,
        ("weekender-bag", "lining", "cotton") => 3.0,
        ("weekender-bag", "lining", "stripe") => 1.5,
        ("weekender-bag", "lining", "canvas") => 0.7,
        ("city-tote", "fabric", "natural-linen" | "navy-canvas") => 2.5,
        ("city-tote", "fabric", "black-canvas") => 2.0,
        ("city-tote", "fabric", "sand-canvas") => 1.5,
        ("city-tote", "fabric", "stone-linen") => 1.2,
        ("city-tote", "fabric", "rust-canvas") => 0.6,
        ("city-tote", "handles", "tan") => 2.5,
        ("city-tote", "handles", "webbing") => 2.0,
        ("city-tote", "handles", "black") => 1.5,
        ("city-tote", "closure", "snap") => 2.0,
        ("city-tote", "closure", "zip") => 1.8,
        ("city-tote", "closure", "open") => 1.5,
        ("custom-sneaker", "upper", "white-leather") => 4.0,
        ("custom-sneaker", "upper", "black-leather") => 2.5,
        ("custom-sneaker", "upper", "grey-suede") => 1.5,
        ("custom-sneaker", "upper", "navy-canvas") => 1.2,
        ("custom-sneaker", "upper", "bordeaux-nubuck") => 0.6,
        ("custom-sneaker", "sole", "white-cupsole") => 4.0,
        ("custom-sneaker", "sole", "gum-cupsole") => 2.0,
        ("custom-sneaker", "sole", "black-cupsole") => 1.5,
        ("custom-sneaker", "sole", "eva-runner") => 0.8,
        ("custom-sneaker", "laces", "white") => 3.0,
        ("custom-sneaker", "laces", "black") => 2.0,
        ("custom-sneaker", "laces", "waxed-tan") => 0.8,
        ("custom-sneaker", "size", "38" | "45") => 0.6,
        ("custom-sneaker", "size", "40" | "43") => 1.4,
        ("custom-sneaker", "size", "41" | "42") => 1.6,
        _ => 1.0,
    }
}

/// Where a scenario value sits in `products`.
pub(super) fn locate(products: &[Product], value: ScenarioValue) -> Option<(usize, ValueRef)> {
    let p = products.iter().position(|p| p.slug == value.product)?;
    let g = products[p].groups.iter().position(|g| g.code == value.group)?;
    let v = products[p].groups[g]
        .values
        .iter()
        .position(|v| v.code == value.value)?;
    Some((p, ValueRef { group: g, value: v }))
}

/// What the generator produced for the past.
pub(super) struct History {
    /// Orders, oldest first, with references.
    pub orders: Vec<Order>,
    /// Heat events, oldest first, with ids.
    pub heat_events: Vec<HeatEvent>,
}

/// Generates the history; `availability` shapes the quotes the orders were given.
pub(super) fn generate(
    rng: &mut impl Rng,
    today: NaiveDate,
    products: &[Product],
    availability: &BTreeMap<String, Availability>,
    origins: &[String],
) -> History {
    let mut shoppers = Shoppers {
        rng,
        today,
        products,
        availability,
        origins,
        niche: locate(products, NICHE_VALUE),
        frozen: locate(products, FROZEN_VALUE),
        unsuppliable: locate(products, UNSUPPLIABLE_VALUE),
        owed: BTreeMap::new(),
        events: Vec::new(),
        orders: Vec::new(),
    };
    for ago in (1..=HISTORY_DAYS).rev() {
        for index in 0..products.len() {
            shoppers.day(index, ago);
        }
    }
    shoppers.finish()
}

/// The audit trail of the seeding: the shop and the merchant's freeze.
pub(super) fn audit(today: NaiveDate, products: &[Product]) -> Vec<AuditEntry> {
    let at = days_ago(today, 0);
    let mut entries = vec![AuditEntry {
        actor: "system".into(),
        action: "seed".into(),
        entity: "shops".into(),
        subject: AuditSubject::Shop,
        before: None,
        after: Some(json!({ "slug": super::DEMO_SHOP_SLUG, "seeded_for": today })),
        at,
    }];
    if let Some((product, value)) = locate(products, FROZEN_VALUE) {
        entries.push(AuditEntry {
            actor: "system".into(),
            action: "seed".into(),
            entity: "option_values".into(),
            subject: AuditSubject::OptionValue { product, value },
            before: Some(json!({ "status": OptionValueStatus::Active })),
            after: Some(json!({
                "status": OptionValueStatus::Frozen,
                "frozen_reason": super::FROZEN_REASON,
                "frozen_by": "merchant",
                "frozen_on": today - Days::new(FROZEN_SINCE_DAYS),
            })),
            at,
        });
    }
    entries
}

/// The state of the simulation.
struct Shoppers<'a, R> {
    rng: &'a mut R,
    today: NaiveDate,
    products: &'a [Product],
    availability: &'a BTreeMap<String, Availability>,
    origins: &'a [String],
    niche: Option<(usize, ValueRef)>,
    frozen: Option<(usize, ValueRef)>,
    unsuppliable: Option<(usize, ValueRef)>,
    /// Carts each value is owed: see [`Shoppers::decide_cart`].
    owed: BTreeMap<(usize, ValueRef), f64>,
    events: Vec<HeatEvent>,
    orders: Vec<Order>,
}

impl<R: Rng> Shoppers<'_, R> {
    fn day(&mut self, product: usize, ago: u64) {
        let demand = demand(&self.products[product]);
        if ago > demand.since_days {
            return;
        }
        let day = self.today - Days::new(ago);
        let progress = (demand.since_days - ago) as f64 / demand.since_days as f64;
        let orders = demand.orders_then + (demand.orders_now - demand.orders_then) * progress;
        let sessions = poisson(self.rng, orders * weekday_factor(day) * demand.sessions_per_order);
        // Configuring, carting and ordering rates multiply to one order per
        // `sessions_per_order` sessions.
        let cart_rate = 1.0 / (demand.sessions_per_order * CONFIGURE_RATE * demand.order_rate);
        for _ in 0..sessions {
            self.session(product, ago, day, cart_rate, demand.order_rate);
        }
    }

    /// Whether the value is choosable `ago` days before today.
    fn available(&self, product: usize, value: ValueRef, ago: u64) -> bool {
        let is = |scenario: Option<(usize, ValueRef)>| scenario == Some((product, value));
        !(is(self.frozen) && ago <= FROZEN_SINCE_DAYS
            || is(self.unsuppliable) && ago <= UNSUPPLIABLE_SINCE_DAYS)
    }

    fn in_spike(&self, product: usize, value: ValueRef, ago: u64) -> bool {
        ago <= SPIKE_DAYS && self.niche == Some((product, value))
    }

    /// Weight of every value of a group on that day (zero when not choosable).
    fn weights(&self, product: usize, group: usize, ago: u64) -> Vec<f64> {
        let p = &self.products[product];
        let g = &p.groups[group];
        (0..g.values.len())
            .map(|v| {
                let value = ValueRef { group, value: v };
                if !self.available(product, value, ago) {
                    return 0.0;
                }
                let weight = taste(&p.slug, &g.code, &g.values[v].code);
                // Everyone suddenly wants the niche colour.
                if self.in_spike(product, value, ago) {
                    weight * 3.0
                } else {
                    weight
                }
            })
            .collect()
    }

    /// The configuration a shopper settles on.
    fn configure(&mut self, product: usize, ago: u64) -> Vec<ValueRef> {
        let mut chosen = Vec::new();
        for (group, g) in self.products[product].groups.iter().enumerate() {
            let weights = self.weights(product, group, ago);
            if g.multi {
                for (value, p) in weights.into_iter().enumerate() {
                    if self.rng.random_bool(p.clamp(0.0, 1.0)) {
                        chosen.push(ValueRef { group, value });
                    }
                }
            } else if g.required || self.rng.random_bool(0.5) {
                chosen.push(ValueRef {
                    group,
                    value: pick(self.rng, &weights),
                });
            }
        }
        chosen
    }

    /// A value a shopper tries and moves on from: half taste, half curiosity.
    fn browse(&mut self, product: usize, ago: u64) -> ValueRef {
        let group = self.rng.random_range(0..self.products[product].groups.len());
        let weights = self.weights(product, group, ago);
        let total: f64 = weights.iter().sum();
        let open = weights.iter().filter(|w| **w > 0.0).count() as f64;
        let mixed: Vec<f64> = weights
            .iter()
            .map(|w| {
                if *w > 0.0 {
                    0.5 * w / total + 0.5 / open
                } else {
                    0.0
                }
            })
            .collect();
        ValueRef {
            group,
            value: pick(self.rng, &mixed),
        }
    }

    fn session(&mut self, product: usize, ago: u64, day: NaiveDate, cart_rate: f64, order_rate: f64) {
        let start = day.and_hms_opt(7, 0, 0).expect("7 o'clock exists").and_utc()
            + Duration::seconds(self.rng.random_range(0..15 * 3600));
        let session_id = format!("{:016x}", self.rng.random::<u64>());
        let origin = self.origins[usize::from(!self.rng.random_bool(0.85))].clone();
        let mut visit = Visit {
            product,
            session_id,
            origin,
            at: start,
        };
        let views = 1 + u32::from(self.rng.random_bool(0.3)) + u32::from(self.rng.random_bool(0.08));
        for _ in 0..views {
            self.step(&mut visit, 20..240);
            self.record(&visit, HeatKind::View, Vec::new());
        }
        if !self.rng.random_bool(CONFIGURE_RATE) {
            return;
        }
        let chosen = self.configure(product, ago);
        let tries = [0, 0, 1, 1, 1, 2, 2, 2, 3, 3][self.rng.random_range(0..10)];
        for _ in 0..tries {
            let value = self.browse(product, ago);
            self.step(&mut visit, 5..40);
            self.record(&visit, HeatKind::OptionSelect, vec![value]);
        }
        for value in &chosen {
            self.step(&mut visit, 5..40);
            self.record(&visit, HeatKind::OptionSelect, vec![*value]);
        }
        if self.rng.random_bool(FAVORITE_RATE) {
            self.step(&mut visit, 5..30);
            self.record(&visit, HeatKind::Favorite, chosen.clone());
        }
        let carted = self.decide_cart(product, ago, &chosen, cart_rate);
        if !carted {
            return;
        }
        self.step(&mut visit, 20..180);
        self.record(&visit, HeatKind::AddToCart, chosen.clone());
        let selection = self.selection(product, &chosen);
        if !self.rng.random_bool(order_rate) {
            return;
        }
        self.step(&mut visit, 60..600);
        let kind = match self.products[product].lifecycle {
            Lifecycle::Presale => HeatKind::Preorder,
            _ => HeatKind::Purchase,
        };
        self.record(&visit, kind, chosen.clone());
        let order = self.order(product, ago, day, visit.at, &chosen, selection);
        self.orders.push(order);
    }

    /// Whether a configuring shopper adds `chosen` to the cart.
    ///
    /// Error diffusion rather than a coin per session: every value is owed its cart rate
    /// each time it is configured, and a session carts when its values are owed about
    /// one cart on average (the threshold is random), which pays one back to each. So
    /// every value's add-to-cart rate stays near its own rate even over a 14-day window
    /// with a few dozen selects, and only the niche colour's spike stands out.
    fn decide_cart(&mut self, product: usize, ago: u64, chosen: &[ValueRef], cart_rate: f64) -> bool {
        for value in chosen {
            let rate = if self.in_spike(product, *value, ago) {
                SPIKE_CART_RATE
            } else {
                cart_rate
            };
            *self.owed.entry((product, *value)).or_default() += rate;
        }
        let owed: f64 = chosen.iter().map(|v| self.owed[&(product, *v)]).sum::<f64>() / chosen.len() as f64;
        let carted = owed >= self.rng.random_range(0.75..1.25);
        if carted {
            for value in chosen {
                *self.owed.entry((product, *value)).or_default() -= 1.0;
            }
        }
        carted
    }

    /// Moves the visit's clock a few seconds on.
    fn step(&mut self, visit: &mut Visit, seconds: std::ops::Range<i64>) {
        visit.at += Duration::seconds(self.rng.random_range(seconds));
    }

    fn record(&mut self, visit: &Visit, kind: HeatKind, values: Vec<ValueRef>) {
        self.events.push(HeatEvent {
            event_id: String::new(),
            kind,
            product: visit.product,
            values,
            session_id: visit.session_id.clone(),
            occurred_at: visit.at,
            origin: Some(visit.origin.clone()),
        });
    }

    fn selection(&self, product: usize, chosen: &[ValueRef]) -> Selection {
        let p = &self.products[product];
        let mut selection = Selection::new();
        for v in chosen {
            let group = &p.groups[v.group];
            selection
                .entry(group.code.clone())
                .or_default()
                .push(group.values[v.value].code.clone());
        }
        selection
    }

    /// Extra days a configuration waited for its slowest material.
    fn wait_days(&self, product: usize, chosen: &[ValueRef]) -> i64 {
        let p = &self.products[product];
        chosen
            .iter()
            .flat_map(|v| &p.groups[v.group].values[v.value].bom)
            .map(|line| match self.availability.get(&line.sku) {
                Some(Availability::Inbound(days)) => (*days).clamp(2, 12),
                Some(Availability::Supplier(days)) => (days.round() as i64).min(14),
                // It sold from stock while its supplier still traded.
                Some(Availability::Unsuppliable) => 4,
                Some(Availability::OnHand) | None => 0,
            })
            .max()
            .unwrap_or(0)
    }

    fn order(
        &mut self,
        product: usize,
        ago: u64,
        day: NaiveDate,
        placed_at: DateTime<Utc>,
        chosen: &[ValueRef],
        selection: Selection,
    ) -> Order {
        let p = &self.products[product];
        let quantity = match self.rng.random_range(0..50) {
            0 => 3,
            1..=5 => 2,
            _ => 1,
        };
        let deltas: i64 = chosen
            .iter()
            .map(|v| p.groups[v.group].values[v.value].price_delta_minor)
            .sum();
        let wait = self.wait_days(product, chosen);
        let base = match p.lifecycle {
            Lifecycle::Presale => 8,
            Lifecycle::Growth => 9,
            Lifecycle::Mature => 6,
        };
        let p50 = day + Days::new((base + wait + self.rng.random_range(0..=2)) as u64);
        let p90 = p50 + Days::new((2 + wait / 3) as u64);
        // Most arrive around the median; some run late, a few past the promise.
        let offset = if self.rng.random_bool(0.85) {
            self.rng.random_range(-2..=1)
        } else {
            self.rng.random_range(2..=6)
        };
        let delivery = (p50 + Duration::days(offset)).max(day + Days::new(3));
        let transit = 2;
        let status = if ago > 21 && self.rng.random_bool(0.03) {
            OrderStatus::Cancelled
        } else if delivery < self.today {
            OrderStatus::Delivered
        } else if delivery - Days::new(transit) <= self.today {
            OrderStatus::Shipped
        } else if ago <= 3 {
            OrderStatus::Placed
        } else {
            OrderStatus::InProduction
        };
        Order {
            reference: String::new(),
            product,
            quantity,
            selection,
            price_minor: (p.base_price_minor + deltas) * quantity,
            quoted_p50: p50,
            quoted_p90: p90,
            promised_on: p90,
            status,
            placed_at,
            delivered_on: (status == OrderStatus::Delivered).then_some(delivery),
        }
    }

    fn finish(self) -> History {
        let mut orders = self.orders;
        orders.sort_by_key(|o| o.placed_at);
        for (n, order) in orders.iter_mut().enumerate() {
            order.reference = format!("C2M-{}", 10_001 + n);
        }
        let mut events = self.events;
        events.sort_by_key(|e| e.occurred_at);
        for (n, event) in events.iter_mut().enumerate() {
            event.event_id = format!("seed-{:06}", n + 1);
        }
        History {
            orders,
            heat_events: events,
        }
    }
}

/// One shopper's visit: who, from where, and the time of the last step.
struct Visit {
    product: usize,
    session_id: String,
    origin: String,
    at: DateTime<Utc>,
}

/// A Poisson draw (Knuth's method; fine for the small means used here).
fn poisson(rng: &mut impl Rng, mean: f64) -> u32 {
    let limit = (-mean).exp();
    let mut count = 0;
    let mut product: f64 = rng.random();
    while product > limit {
        count += 1;
        product *= rng.random::<f64>();
    }
    count
}

/// An index drawn with probability proportional to its weight.
fn pick(rng: &mut impl Rng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut x = rng.random::<f64>() * total;
    for (index, weight) in weights.iter().enumerate() {
        if x < *weight {
            return index;
        }
        x -= weight;
    }
    // Rounding left a sliver: the last choosable value.
    weights.iter().rposition(|w| *w > 0.0).unwrap_or(0)
}
