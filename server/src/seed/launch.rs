//! The reuse scenario (issue 18, "End of life"): Olive linen came to the weekender
//! this season, and shoppers carted it about once a day from 45 to 15 days ago. Its
//! own material (green linen) has no stock yet, while the city tote's frozen Sage
//! linen (green linen too) lies unused at the warehouse: the reuse rule matches the
//! leftover to the new value's line.
//!
//! Like the fading campaign, the launch only adds heat from its own random stream and
//! ends before the heat-spike window, so every other figure of the demo is what it
//! was without it.

use chrono::{Days, Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::model::{HeatEvent, HeatKind, Product, ValueRef};

/// First and last day of the launch's heat, in days before today.
pub const LAUNCH_DAYS: (u64, u64) = (45, 15);
/// The launched value: `(product, group, value)`.
pub const LAUNCHED: (&str, &str, &str) = ("weekender-bag", "fabric", "olive-linen");

/// The launch's events (none if the value is missing), ids `seed-launch-000001` on.
pub(super) fn heat(seed: u64, today: NaiveDate, products: &[Product], origin: &str) -> Vec<HeatEvent> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x0011_FE0A_11CE);
    let (slug, group_code, value_code) = LAUNCHED;
    let Some(product) = products.iter().position(|p| p.slug == slug) else {
        return Vec::new();
    };
    let Some(group) = products[product].groups.iter().position(|g| g.code == group_code) else {
        return Vec::new();
    };
    let Some(value) = products[product].groups[group]
        .values
        .iter()
        .position(|v| v.code == value_code)
    else {
        return Vec::new();
    };
    let value = ValueRef { group, value };
    let groups = &products[product].groups;
    let mut events = Vec::new();
    for ago in (LAUNCH_DAYS.1..=LAUNCH_DAYS.0).rev() {
        let at = (today - Days::new(ago))
            .and_hms_opt(10, 0, 0)
            .unwrap_or_default()
            .and_utc()
            + Duration::seconds(rng.random_range(0..9 * 3_600));
        let session_id = format!("{:016x}", rng.random::<u64>());
        // The cart holds a whole configuration: the olive linen and one value of
        // every other required group.
        let mut configuration = vec![value];
        for (g, other) in groups.iter().enumerate() {
            if g != group && other.required && !other.values.is_empty() {
                let v = rng.random_range(0..other.values.len());
                configuration.push(ValueRef { group: g, value: v });
            }
        }
        for (n, (kind, values)) in [
            (HeatKind::OptionSelect, vec![value]),
            (HeatKind::AddToCart, configuration),
        ]
        .into_iter()
        .enumerate()
        {
            events.push(HeatEvent {
                event_id: String::new(),
                kind,
                product,
                values,
                session_id: session_id.clone(),
                occurred_at: at + Duration::seconds(40 * n as i64),
                origin: Some(origin.to_string()),
            });
        }
    }
    for (n, event) in events.iter_mut().enumerate() {
        event.event_id = format!("seed-launch-{:06}", n + 1);
    }
    events
}
