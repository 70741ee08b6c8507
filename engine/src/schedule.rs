//! Finite-capacity forward scheduling: PRODUCT.md, "The quote", step 3.
//!
//! A routing's operations run in sequence. Each consumes its work center's free minutes
//! (capacity on working days minus minutes already booked) day by day, starting on the
//! day the previous operation finished, until its minutes are placed.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::WorkingCalendar;

/// A work center's capacity and its load.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkCenterLoad {
    /// Which days it works.
    pub calendar: WorkingCalendar,
    /// Capacity on a working day.
    pub minutes_per_day: u32,
    /// Minutes already booked, per day.
    pub booked: BTreeMap<NaiveDate, u32>,
}

impl WorkCenterLoad {
    /// Minutes still free on `day` (zero on closed days and fully booked ones).
    pub fn free_minutes(&self, day: NaiveDate) -> u32 {
        if !self.calendar.is_working_day(day) {
            return 0;
        }
        self.minutes_per_day
            .saturating_sub(self.booked.get(&day).copied().unwrap_or(0))
    }
}

/// One step of a routing for a whole order line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operation {
    /// Index of its work center in the slice given to [`forward_schedule`].
    pub work_center: usize,
    /// Setup plus run minutes for the ordered quantity, as booked (at its work
    /// center's pace).
    pub minutes: u32,
    /// The same minutes as the routing states them, before the work center's pace:
    /// what a finished operation's real minutes are compared with to learn the pace.
    pub planned: u32,
}

impl Operation {
    /// An operation's minutes for `quantity` units: setup once, then per unit, rounded
    /// up to whole minutes.
    pub fn for_quantity(
        work_center: usize,
        setup_minutes: u32,
        minutes_per_unit: f64,
        quantity: u32,
    ) -> Self {
        let run = (minutes_per_unit.max(0.0) * f64::from(quantity)).ceil() as u32;
        Operation {
            work_center,
            minutes: setup_minutes + run,
            planned: setup_minutes + run,
        }
    }

    /// This operation at a work center that really takes `ratio` times its routings'
    /// minutes: setup and run both scale, the routing's figure stays as `planned`.
    pub fn at_pace(
        work_center: usize,
        setup_minutes: u32,
        minutes_per_unit: f64,
        quantity: u32,
        ratio: f64,
    ) -> Self {
        let planned = Operation::for_quantity(work_center, setup_minutes, minutes_per_unit, quantity);
        if ratio == 1.0 || ratio <= 0.0 || !ratio.is_finite() {
            return planned;
        }
        let setup = (f64::from(setup_minutes) * ratio).round() as u32;
        Operation {
            planned: planned.minutes,
            ..Operation::for_quantity(work_center, setup, minutes_per_unit * ratio, quantity)
        }
    }
}

/// The day the last operation completes when production may start on `start`, or
/// `None` when the routing does not fit within `horizon_days` (or names an unknown
/// work center).
pub fn forward_schedule(
    centers: &[WorkCenterLoad],
    operations: &[Operation],
    start: NaiveDate,
    horizon_days: u32,
) -> Option<NaiveDate> {
    let last_day = start.checked_add_days(Days::new(u64::from(horizon_days)))?;
    let mut day = start;
    // Minutes this routing has already taken, per work center and day: two operations at
    // one center may not both count the same free minute.
    let mut used: BTreeMap<(usize, NaiveDate), u32> = BTreeMap::new();
    for operation in operations {
        let center = centers.get(operation.work_center)?;
        let mut left = operation.minutes;
        while left > 0 {
            let taken = used.entry((operation.work_center, day)).or_default();
            let placed = center.free_minutes(day).saturating_sub(*taken).min(left);
            *taken += placed;
            left -= placed;
            if left > 0 {
                day = day.checked_add_days(Days::new(1))?;
                if day > last_day {
                    return None;
                }
            }
        }
    }
    Some(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Weekdays;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn op(work_center: usize, minutes: u32) -> Operation {
        Operation {
            work_center,
            minutes,
            planned: minutes,
        }
    }

    fn center(minutes_per_day: u32, booked: &[(NaiveDate, u32)]) -> WorkCenterLoad {
        WorkCenterLoad {
            calendar: WorkingCalendar::new(Weekdays::MON_FRI, []),
            minutes_per_day,
            booked: booked.iter().copied().collect(),
        }
    }

    #[test]
    fn an_operation_that_fits_finishes_the_same_day() {
        let c = [center(480, &[])];
        // Wednesday 25 Nov 2026.
        assert_eq!(
            forward_schedule(&c, &[op(0, 300)], d(11, 25), 30),
            Some(d(11, 25))
        );
    }

    #[test]
    fn booked_minutes_and_weekends_push_the_completion() {
        // Thu 26 fully booked, Fri 27 has 100 free, weekend closed, Mon 30 has 480.
        let c = [center(480, &[(d(11, 26), 480), (d(11, 27), 380)])];
        let done = forward_schedule(&c, &[op(0, 300)], d(11, 26), 30);
        assert_eq!(done, Some(d(11, 30)));
    }

    #[test]
    fn operations_run_in_sequence_across_centers() {
        // Cutting 600 min at 480/day: Wed 25 + Thu 26; sewing 200 min starts Thu 26.
        let c = [center(480, &[]), center(480, &[(d(11, 26), 400)])];
        let ops = [op(0, 600), op(1, 200)];
        // Sewing has 80 free on Thu 26, then 120 more on Fri 27.
        assert_eq!(forward_schedule(&c, &ops, d(11, 25), 30), Some(d(11, 27)));
    }

    #[test]
    fn two_operations_at_one_center_share_its_day() {
        let c = [center(480, &[])];
        let ops = [op(0, 300), op(0, 300)];
        assert_eq!(forward_schedule(&c, &ops, d(11, 25), 30), Some(d(11, 26)));
    }

    #[test]
    fn a_routing_beyond_the_horizon_has_no_date() {
        let c = [center(60, &[])];
        assert_eq!(forward_schedule(&c, &[op(0, 6_000)], d(11, 25), 30), None);
        assert_eq!(forward_schedule(&c, &[op(3, 1)], d(11, 25), 30), None);
    }

    #[test]
    fn minutes_for_a_quantity_include_setup_once() {
        assert_eq!(Operation::for_quantity(0, 30, 12.5, 3).minutes, 30 + 38);
    }

    #[test]
    fn a_slower_pace_books_more_minutes_and_keeps_the_routings_figure() {
        let slow = Operation::at_pace(0, 30, 12.5, 3, 1.2);
        assert_eq!(slow.planned, 30 + 38);
        assert_eq!(slow.minutes, 36 + 45);
        assert_eq!(
            Operation::at_pace(0, 30, 12.5, 3, 1.0),
            Operation::for_quantity(0, 30, 12.5, 3)
        );
    }

    proptest::proptest! {
        #[test]
        fn more_booked_capacity_never_makes_it_earlier(
            minutes in 1u32..3_000, booked in proptest::collection::vec((0u64..20, 0u32..480), 0..15),
            extra_day in 0u64..20, extra in 1u32..480,
        ) {
            let start = d(11, 25);
            let day = |n: u64| start + Days::new(n);
            let base = center(480, &booked.iter().map(|(n, m)| (day(*n), *m)).collect::<Vec<_>>());
            let mut more = base.clone();
            *more.booked.entry(day(extra_day)).or_default() += extra;
            let ops = [op(0, minutes)];
            let a = forward_schedule(&[base], &ops, start, 60);
            let b = forward_schedule(&[more], &ops, start, 60);
            if let (Some(a), Some(b)) = (a, b) {
                proptest::prop_assert!(b >= a);
                proptest::prop_assert!(a >= start);
            } else {
                proptest::prop_assert!(b.is_none() || a.is_some());
            }
        }
    }
}
