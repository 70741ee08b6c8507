//! What the admin's settings page shows and sends: the shop profile and its shipping
//! calendar, the origins allowed to embed the widget, and the API keys. The server
//! checks every input (`server::service::settings`) and names the field it refuses.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Short weekday names, Monday first: bit `i` of a working-weekday mask is `WEEKDAYS[i]`.
pub const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The kinds of API key, as stored and as the create form sends them.
pub const KEY_KINDS: [&str; 2] = ["publishable", "secret"];

/// The settings page: everything it shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SettingsView {
    /// The profile form's values.
    pub profile: ShopProfile,
    /// Days the shop does not ship, from today on, by date (past ones are kept, and no
    /// longer matter to any quote).
    pub holidays: Vec<Holiday>,
    /// Origins whose pages may use the publishable keys, sorted.
    pub origins: Vec<String>,
    /// Every key, newest first, revoked ones included.
    pub keys: Vec<ApiKeyRow>,
    /// The shop's products as `(slug, name)`, for the embed snippet's product choice.
    pub products: Vec<(String, String)>,
    /// The origin shoppers' pages load c2m from (`public_url`, `https://c2m.example`),
    /// where the snippet loads the widget from.
    pub site_origin: String,
    /// A key this session created and has not been shown yet: set on the first page
    /// read after the creation (and only for that request), so a form post without
    /// wasm can still show it.
    pub revealed: Option<NewApiKey>,
}

/// The shop's profile as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopProfile {
    /// The version the profile form sends back; a save against another is refused.
    pub version: i64,
    /// ISO 4217 currency, shown read-only: changing it would reprice everything.
    pub currency: String,
    /// The editable fields.
    pub fields: ProfileFields,
}

/// The profile's editable fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileFields {
    /// Display name, 1 to 120 characters.
    pub name: String,
    /// IANA time zone (`Europe/Berlin`): where the shop's day starts and ends.
    pub timezone: String,
    /// Days the shop ships: Monday = bit 0, at least one.
    pub working_weekdays: u8,
    /// Days in transit to the shopper, 0 to 60.
    pub transit_days: i32,
}

/// A day off in a calendar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    /// The day.
    pub day: NaiveDate,
    /// What it is (`Christmas Day`), 1 to 80 characters.
    pub name: String,
}

/// An API key as the admin lists it: never the key itself, which only its hash keeps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyRow {
    /// Row id (what revoke names).
    pub id: i64,
    /// `publishable` or `secret`.
    pub kind: String,
    /// The merchant's label.
    pub label: String,
    /// The key's first characters, to tell keys apart.
    pub prefix: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was revoked; a revoked key is refused by the API.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A key just created: the only time its full text exists outside the caller.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiKey {
    /// Row id.
    pub id: i64,
    /// `publishable` or `secret`.
    pub kind: String,
    /// The merchant's label.
    pub label: String,
    /// The whole key (`pk_…`): shown once, stored nowhere.
    pub key: String,
}

/// Whether bit `day` (Monday = 0) of `mask` is set.
pub fn works_on(mask: u8, day: usize) -> bool {
    day < 7 && mask & (1 << day) != 0
}

/// The weekdays of `mask` as text: `Mon, Tue, Wed`.
pub fn weekday_names(mask: u8) -> String {
    let days: Vec<&str> = (0..7)
        .filter(|&d| works_on(mask, d))
        .map(|d| WEEKDAYS[d])
        .collect();
    if days.is_empty() {
        "no day".into()
    } else {
        days.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_read_monday_first() {
        assert!(works_on(0b000_0001, 0));
        assert!(!works_on(0b000_0001, 6));
        assert!(!works_on(0xff, 7));
        assert_eq!(weekday_names(0b001_1111), "Mon, Tue, Wed, Thu, Fri");
        assert_eq!(weekday_names(0b100_0000), "Sun");
        assert_eq!(weekday_names(0), "no day");
    }
}
