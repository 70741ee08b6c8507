//! Booked load on the work centers for the coming weeks: other work first (wholesale
//! batches, samples), front-loaded so the near days are busy, then the open orders'
//! routings placed forward on the capacity that is left.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use engine::WorkingCalendar;
use engine::calendar::Weekdays;
use rand::Rng;

use super::catalog::MON_FRI;
use super::catalog::chosen_values;
use super::model::{Booking, Operation, Order, OrderStatus, Product, WorkCenter};

/// Working days ahead that carry booked load.
const HORIZON_WORKING_DAYS: usize = 20;
/// Calendar days the order scheduler may look ahead before giving up on an operation.
const SCHEDULE_LIMIT_DAYS: u64 = 120;

/// Share of a work center's day taken by other work, near term and at the horizon.
fn other_work(code: &str) -> (f64, f64) {
    match code {
        // Sewing is the bottleneck the demo's quotes should name.
        "SEW" => (0.60, 0.20),
        "CUT" => (0.40, 0.15),
        "LAST" => (0.50, 0.15),
        _ => (0.30, 0.10),
    }
}

fn calendar(center: &WorkCenter) -> WorkingCalendar {
    let weekdays = Weekdays::from_mask(center.working_weekdays).unwrap_or(Weekdays::MON_FRI);
    WorkingCalendar::new(weekdays, center.holidays.iter().map(|h| h.day))
}

/// Operations of an order finished before `today`: one per working day since it was
/// placed for an order in production (never all of them: it is not finished), none for
/// an order still waiting to start.
fn operations_done(order: &Order, operations: usize, today: NaiveDate) -> usize {
    if order.status != OrderStatus::InProduction {
        return 0;
    }
    let weekdays = WorkingCalendar::new(Weekdays::from_mask(MON_FRI).unwrap_or(Weekdays::MON_FRI), []);
    let placed = order.placed_at.date_naive();
    let worked = (1..)
        .map(|n| placed + Days::new(n))
        .take_while(|day| *day < today)
        .filter(|day| weekdays.is_working_day(*day))
        .count();
    worked.min(operations.saturating_sub(1))
}

/// Bookings from `today` on: other work on the next working days, then every open order.
pub(super) fn bookings(
    rng: &mut impl Rng,
    today: NaiveDate,
    centers: &[WorkCenter],
    products: &[Product],
    orders: &[Order],
) -> Vec<Booking> {
    let mut load: BTreeMap<(&str, NaiveDate), i32> = BTreeMap::new();
    let mut bookings = Vec::new();
    for center in centers {
        let calendar = calendar(center);
        let (near, far) = other_work(&center.code);
        let days = (0..)
            .map(|n| today + Days::new(n))
            .filter(|d| calendar.is_working_day(*d));
        for (n, day) in days.take(HORIZON_WORKING_DAYS).enumerate() {
            let share = near + (far - near) * n as f64 / (HORIZON_WORKING_DAYS - 1) as f64;
            let share = (share + rng.random_range(-0.08..0.08)).clamp(0.0, 0.95);
            // Round to ten minutes, as a planner would.
            let minutes = (share * f64::from(center.minutes_per_day) / 10.0).round() as i32 * 10;
            if minutes > 0 {
                load.insert((center.code.as_str(), day), minutes);
                bookings.push(Booking {
                    work_center: center.code.clone(),
                    day,
                    minutes,
                    order: None,
                });
            }
        }
    }
    let calendars: BTreeMap<&str, (WorkingCalendar, i32)> = centers
        .iter()
        .map(|c| (c.code.as_str(), (calendar(c), c.minutes_per_day)))
        .collect();
    let mut open: Vec<(usize, &Order)> = orders
        .iter()
        .enumerate()
        .filter(|(_, o)| o.status.is_open())
        .collect();
    open.sort_by_key(|(_, o)| o.placed_at);
    for (index, order) in open {
        let product = &products[order.product];
        let value_ops = chosen_values(product, &order.selection).flat_map(|v| &v.operations);
        let ops: Vec<&Operation> = product.operations.iter().chain(value_ops).collect();
        let mut from = today;
        for op in ops.iter().skip(operations_done(order, ops.len(), today)) {
            let Some((calendar, capacity)) = calendars.get(op.work_center.as_str()) else {
                continue;
            };
            let mut left =
                (f64::from(op.setup_minutes) + op.minutes_per_unit * order.quantity as f64).ceil() as i32;
            let mut day = from;
            while left > 0 && day <= today + Days::new(SCHEDULE_LIMIT_DAYS) {
                if calendar.is_working_day(day) {
                    let used = load.entry((op.work_center.as_str(), day)).or_insert(0);
                    let take = left.min(capacity - *used);
                    if take > 0 {
                        *used += take;
                        left -= take;
                        from = day;
                        bookings.push(Booking {
                            work_center: op.work_center.clone(),
                            day,
                            minutes: take,
                            order: Some(index),
                        });
                    }
                }
                if left > 0 {
                    day = day + Days::new(1);
                }
            }
        }
    }
    bookings
}
