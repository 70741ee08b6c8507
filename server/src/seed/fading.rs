//! The end-of-life scenario (issue 18, "End of life"): the city tote had a busy
//! quarter (a campaign carted it several times a day from 90 to 15 days ago) and has
//! fallen back to its usual trickle over the last fortnight, so its purchase intents
//! now run under half their 90-day average and the end-of-life rule moves it to
//! decline. The campaign's shoppers chose every fabric but Rust canvas, which leaves
//! that colour well under 5 % of the tote's fabric choices: its niche value to freeze.
//!
//! The campaign only adds heat, drawn from its own random stream, so the rest of the
//! demo (orders, stock, bookings, every quote) is exactly what it was without it. Its
//! orders stay under one a day, too few for the rule to judge by, so heat decides.

use chrono::{Days, Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::model::{HeatEvent, HeatKind, Product, ValueRef};

/// First and last day of the campaign, in days before today.
pub const CAMPAIGN_DAYS: (u64, u64) = (90, 15);
/// Add-to-carts a day the campaign brought.
pub const CAMPAIGN_CARTS_PER_DAY: u64 = 4;
/// Fabrics each campaign shopper tried, the last the one carted.
const TRIED: usize = 3;
/// The fabrics the campaign's shoppers chose, with their weights.
const CHOSEN: [(&str, u32); 5] = [
    ("natural-linen", 3),
    ("navy-canvas", 3),
    ("black-canvas", 2),
    ("sand-canvas", 2),
    ("stone-linen", 1),
];

/// The campaign's events for product `slug` (none if it or its fabrics are missing),
/// with ids after the history's (`seed-fade-000001`).
pub(super) fn campaign(
    seed: u64,
    today: NaiveDate,
    products: &[Product],
    slug: &str,
    origin: &str,
) -> Vec<HeatEvent> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x00FA_DE0F_7073);
    let Some(product) = products.iter().position(|p| p.slug == slug) else {
        return Vec::new();
    };
    let Some(group) = products[product].groups.iter().position(|g| g.code == "fabric") else {
        return Vec::new();
    };
    let fabric = |code: &str| {
        products[product].groups[group]
            .values
            .iter()
            .position(|v| v.code == code)
            .map(|value| ValueRef { group, value })
    };
    let chosen: Vec<(ValueRef, u32)> = CHOSEN
        .iter()
        .filter_map(|&(code, weight)| fabric(code).map(|v| (v, weight)))
        .collect();
    let total: u32 = chosen.iter().map(|&(_, w)| w).sum();
    if total == 0 {
        return Vec::new();
    }
    let mut events = Vec::new();
    for ago in (CAMPAIGN_DAYS.1..=CAMPAIGN_DAYS.0).rev() {
        let day = today - Days::new(ago);
        for _ in 0..CAMPAIGN_CARTS_PER_DAY {
            let at = day.and_hms_opt(9, 0, 0).unwrap_or_default().and_utc()
                + Duration::seconds(rng.random_range(0..11 * 3_600));
            let session_id = format!("{:016x}", rng.random::<u64>());
            let mut event = |kind, value, seconds| {
                events.push(HeatEvent {
                    event_id: String::new(),
                    kind,
                    product,
                    values: vec![value],
                    session_id: session_id.clone(),
                    occurred_at: at + Duration::seconds(seconds),
                    origin: Some(origin.to_string()),
                });
            };
            let mut value = chosen[0].0;
            for n in 0..TRIED {
                let mut pick = rng.random_range(0..total);
                value = chosen
                    .iter()
                    .find(|&&(_, w)| {
                        let here = pick < w;
                        pick = pick.saturating_sub(w);
                        here
                    })
                    .map_or(chosen[0].0, |&(v, _)| v);
                event(HeatKind::OptionSelect, value, 20 * n as i64);
            }
            event(HeatKind::AddToCart, value, 20 * TRIED as i64 + 30);
        }
    }
    for (n, event) in events.iter_mut().enumerate() {
        event.event_id = format!("seed-fade-{:06}", n + 1);
    }
    events
}
