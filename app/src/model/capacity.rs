//! What the admin's capacity page shows and sends: work centers with their hours and
//! calendars, and each one's load over the coming weeks.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::settings::Holiday;

/// How many weeks the load chart covers, from the shop's today.
pub const LOAD_WEEKS: u32 = 4;

/// The capacity page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapacityView {
    /// The shop's today: the first day of every load.
    pub today: NaiveDate,
    /// Work centers by code.
    pub centers: Vec<WorkCenterView>,
}

/// A work center with its calendar and load.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkCenterView {
    /// Code (`SEW`).
    pub code: String,
    /// Name.
    pub name: String,
    /// The node it stands at: (code, name).
    pub node: (String, String),
    /// The hours the form edits (and sends back as the values it started from).
    pub hours: WorkCenterHours,
    /// Its own days off from today on, by date.
    pub holidays: Vec<Holiday>,
    /// One entry per calendar day from today, [`LOAD_WEEKS`] weeks long.
    pub load: Vec<DayLoad>,
}

/// A work center's regular hours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkCenterHours {
    /// Minutes of work per working day, 0 to 1440.
    pub minutes_per_day: i32,
    /// Working weekdays: Monday = bit 0, at least one.
    pub working_weekdays: u8,
}

/// One day of a work center's load.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayLoad {
    /// The day.
    pub day: NaiveDate,
    /// Minutes it can work that day: its minutes per day on a working day, 0 on a
    /// weekday off or a holiday.
    pub capacity: u32,
    /// Minutes booked that day (orders and other work).
    pub booked: u32,
    /// The holiday's name, when the day is one.
    pub holiday: Option<String>,
}

impl DayLoad {
    /// Minutes still free: capacity less bookings, never below zero.
    pub fn free(&self) -> u32 {
        self.capacity.saturating_sub(self.booked)
    }

    /// Whether more is booked than the day can work.
    pub fn overbooked(&self) -> bool {
        self.booked > self.capacity
    }
}
