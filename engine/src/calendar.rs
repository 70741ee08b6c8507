//! Working calendars: which days a shop ships or a work center runs.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// A set of weekdays, Monday = bit 0 … Sunday = bit 6.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Weekdays(u8);

impl Weekdays {
    /// Monday to Friday.
    pub const MON_FRI: Weekdays = Weekdays(0b001_1111);
    /// Monday to Saturday.
    pub const MON_SAT: Weekdays = Weekdays(0b011_1111);
    /// Every day of the week.
    pub const ALL: Weekdays = Weekdays(0b111_1111);

    /// Builds the set from its bit mask; bits above Sunday are rejected.
    pub fn from_mask(mask: u8) -> Option<Weekdays> {
        (mask & !Self::ALL.0 == 0).then_some(Weekdays(mask))
    }

    /// The bit mask, Monday = bit 0.
    pub fn mask(self) -> u8 {
        self.0
    }

    /// Whether `day` is in the set.
    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << day.num_days_from_monday()) != 0
    }
}

/// Working weekdays plus dated exceptions (holidays).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingCalendar {
    weekdays: Weekdays,
    holidays: BTreeSet<NaiveDate>,
}

impl WorkingCalendar {
    /// A calendar working on `weekdays`, closed on `holidays`.
    pub fn new(weekdays: Weekdays, holidays: impl IntoIterator<Item = NaiveDate>) -> Self {
        WorkingCalendar {
            weekdays,
            holidays: holidays.into_iter().collect(),
        }
    }

    /// Whether work happens on `date`.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.weekdays.contains(date.weekday()) && !self.holidays.contains(&date)
    }

    /// The date `n` working days after `from` (`from` itself never counts).
    ///
    /// With `n == 0` the answer is `from`. Returns `None` for a calendar without any
    /// working weekday, where no number of days ever passes.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> Option<NaiveDate> {
        if n > 0 && self.weekdays.mask() == 0 {
            return None;
        }
        let mut date = from;
        let mut left = n;
        while left > 0 {
            date = date.checked_add_days(Days::new(1))?;
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        Some(date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn weekends_are_skipped() {
        let cal = WorkingCalendar::new(Weekdays::MON_FRI, []);
        // Friday 2026-11-27 + 1 working day = Monday 2026-11-30.
        assert_eq!(cal.add_working_days(d(2026, 11, 27), 1), Some(d(2026, 11, 30)));
    }

    #[test]
    fn holidays_are_skipped() {
        let cal = WorkingCalendar::new(Weekdays::MON_FRI, [d(2026, 12, 25)]);
        // Thursday 24 Dec + 1 = Monday 28 Dec (Friday is a holiday).
        assert_eq!(cal.add_working_days(d(2026, 12, 24), 1), Some(d(2026, 12, 28)));
        assert!(!cal.is_working_day(d(2026, 12, 25)));
    }

    #[test]
    fn zero_days_is_the_same_day() {
        let cal = WorkingCalendar::new(Weekdays::MON_FRI, []);
        assert_eq!(cal.add_working_days(d(2026, 11, 28), 0), Some(d(2026, 11, 28)));
    }

    #[test]
    fn a_calendar_without_working_days_never_advances() {
        let cal = WorkingCalendar::new(Weekdays::from_mask(0).unwrap(), []);
        assert_eq!(cal.add_working_days(d(2026, 11, 28), 1), None);
    }

    #[test]
    fn masks_beyond_sunday_are_rejected() {
        assert_eq!(Weekdays::from_mask(0b1000_0000), None);
        assert_eq!(Weekdays::from_mask(0b001_1111), Some(Weekdays::MON_FRI));
    }

    proptest::proptest! {
        #[test]
        fn the_result_is_a_working_day_after_the_start(
            start in 0u32..3000, n in 1u32..60, holidays in proptest::collection::vec(0u32..3100, 0..40)
        ) {
            let base = d(2025, 1, 1);
            let cal = WorkingCalendar::new(
                Weekdays::MON_FRI,
                holidays.iter().map(|h| base + Days::new(u64::from(*h))),
            );
            let from = base + Days::new(u64::from(start));
            let end = cal.add_working_days(from, n).unwrap();
            proptest::prop_assert!(end > from);
            proptest::prop_assert!(cal.is_working_day(end));
            let counted = from.iter_days().skip(1).take_while(|x| *x <= end).filter(|x| cal.is_working_day(*x)).count();
            proptest::prop_assert_eq!(counted as u32, n);
        }
    }
}
