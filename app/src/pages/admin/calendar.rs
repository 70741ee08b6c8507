//! What the settings and capacity pages share about calendars: the working-weekday
//! check boxes and how a day is written.

use chrono::NaiveDate;
use leptos::prelude::*;

use super::forms::{FieldError, invalid};
use crate::model::settings::{WEEKDAYS, works_on};
use crate::server_fns::admin::AdminError;

/// Seven check boxes, Monday first, posted as `weekdays[]=0…6` (what `parse_weekdays`
/// reads), with the refusal of `field` below them.
#[component]
pub(super) fn WeekdayBoxes(
    mask: u8,
    #[prop(into)] error: Signal<Option<AdminError>>,
    #[prop(into)] field: String,
) -> impl IntoView {
    view! {
        <fieldset class="weekdays" aria-invalid=invalid(error, field.clone())>
            <legend>"Working days"</legend>
            {WEEKDAYS
                .iter()
                .enumerate()
                .map(|(day, name)| {
                    view! {
                        <label class="check">
                            <input type="checkbox" name="weekdays[]" value=day.to_string() checked=works_on(mask, day) />
                            {*name}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
        <FieldError error field />
    }
    .into_any()
}

/// A day as the admin lists it: `Thu 24 Dec 2026`.
pub(super) fn long_day(day: NaiveDate) -> String {
    day.format("%a %-d %b %Y").to_string()
}
