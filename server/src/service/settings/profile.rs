//! The shop profile (name, time zone, shipping weekdays, transit days), saved only if
//! the form was read at the profile's current `version`, and the shop's holidays.

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use super::{Holiday, ProfileFields, ShopProfile, checked_holiday, checked_weekdays, invalid, required_text};
use crate::service::WriteError;
use crate::store::entities::{shop_holidays, shops};
use crate::store::unit::{Change, ShopWrite};

/// A saved profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProfileSaved {
    /// The profile's version after the save.
    pub version: i64,
    /// The shop's state version, when the save changed what quotes depend on (the time
    /// zone, the shipping weekdays or the transit days); a new name changes no quote.
    pub state_version: Option<i64>,
}

/// `name` if it is an IANA time zone name, exactly as the database of zones spells
/// it; otherwise a refusal of `timezone` that suggests the name meant when only the
/// case differs or only the city was given (`berlin` → Europe/Berlin).
pub fn check_timezone(name: &str) -> Result<chrono_tz::Tz, WriteError> {
    let name = name.trim();
    if let Ok(zone) = name.parse::<chrono_tz::Tz>() {
        return Ok(zone);
    }
    if name.is_empty() {
        return Err(invalid("timezone", "cannot be empty"));
    }
    let city = name.replace(' ', "_");
    let meant: Vec<&str> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|zone| zone.name())
        .filter(|zone| {
            zone.eq_ignore_ascii_case(name)
                || zone
                    .rsplit_once('/')
                    .is_some_and(|(_, last)| last.eq_ignore_ascii_case(&city))
        })
        .take(3)
        .collect();
    Err(invalid(
        "timezone",
        match meant.as_slice() {
            [] => format!("“{name}” is not an IANA time zone; use a name like Europe/Berlin"),
            [zone] => format!("“{name}” is not an IANA time zone name; write {zone}"),
            zones => format!(
                "“{name}” is not an IANA time zone name; write one of {}",
                zones.join(", ")
            ),
        },
    ))
}

/// Saves the profile if it is still at `expected_version`. Changing the time zone,
/// the weekdays or the transit days bumps the state version; a change of the name
/// alone leaves quotes as they were.
pub async fn save_profile(
    mut w: ShopWrite,
    expected_version: i64,
    fields: &ProfileFields,
) -> Result<ProfileSaved, WriteError> {
    let name = required_text("name", &fields.name, 120)?;
    let timezone = check_timezone(&fields.timezone)?;
    let weekdays = checked_weekdays("weekdays", fields.working_weekdays)?;
    if !(0..=60).contains(&fields.transit_days) {
        return Err(invalid("transit_days", "must be between 0 and 60 days"));
    }
    let shop_id = w.shop();
    // Claimed first, as products are: the row is held from the first statement, so a
    // concurrent save waits and then finds the version moved.
    let claimed = shops::Entity::update_many()
        .col_expr(shops::Column::Version, Expr::col(shops::Column::Version).add(1))
        .filter(shops::Column::Id.eq(shop_id))
        .filter(shops::Column::Version.eq(expected_version))
        .exec(&w)
        .await?;
    let shop = shops::Entity::find_by_id(shop_id)
        .one(&w)
        .await?
        .ok_or_else(|| WriteError::NotFound("the shop no longer exists".into()))?;
    if claimed.rows_affected == 0 {
        return Err(WriteError::Conflict(
            "the shop's profile was changed by someone else since you opened this page; \
             reload to see the change (your edit was not saved)"
                .into(),
        ));
    }
    let before = profile_of(&shop).fields;
    let after = ProfileFields {
        name: name.to_string(),
        timezone: timezone.name().to_string(),
        working_weekdays: fields.working_weekdays,
        transit_days: fields.transit_days,
    };
    let quotes_change = before.timezone != after.timezone
        || before.working_weekdays != after.working_weekdays
        || before.transit_days != after.transit_days;
    let version = shop.version;
    let slug = shop.slug.clone();
    let mut active: shops::ActiveModel = shop.into();
    active.name = Set(after.name.clone());
    active.timezone = Set(after.timezone.clone());
    active.working_weekdays = Set(weekdays);
    active.transit_days = Set(after.transit_days);
    active.update(&w).await?;
    let change = Change::new("shop.update", "shop", slug)
        .before(Some(json!(before)))
        .after(json!(after))
        .leaves_quotes_if(!quotes_change);
    w.record(change).await?;
    let done = w.commit().await?;
    Ok(ProfileSaved {
        version,
        state_version: done.new_version().map(|v| v.get()),
    })
}

/// Adds a day the shop does not ship; returns the new state version.
pub async fn add_shop_holiday(
    mut w: ShopWrite,
    holiday: &Holiday,
    today: NaiveDate,
) -> Result<i64, WriteError> {
    let holiday = checked_holiday(holiday, today)?;
    let shop_id = w.shop();
    if let Some(existing) = find_holiday(&w, shop_id, holiday.day).await? {
        return Err(invalid(
            "day",
            format!("{} is already a holiday ({})", existing.day, existing.name),
        ));
    }
    shop_holidays::ActiveModel {
        shop_id: Set(shop_id),
        day: Set(holiday.day),
        name: Set(holiday.name.clone()),
        ..Default::default()
    }
    .insert(&w)
    .await?;
    w.record(Change::new("shop_holiday.add", "shop_holiday", holiday.day.to_string()).after(json!(holiday)))
        .await?;
    let done = w.commit().await?;
    Ok(done.state_version.get())
}

/// Removes the shop's holiday on `day`; returns the new state version.
pub async fn remove_shop_holiday(mut w: ShopWrite, day: NaiveDate) -> Result<i64, WriteError> {
    let existing = find_holiday(&w, w.shop(), day)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("{day} is not a holiday of the shop (any more)")))?;
    shop_holidays::Entity::delete_by_id(existing.id).exec(&w).await?;
    w.record(
        Change::new("shop_holiday.remove", "shop_holiday", day.to_string())
            .before(Some(json!(Holiday {
                day,
                name: existing.name
            })))
            .after(serde_json::Value::Null),
    )
    .await?;
    let done = w.commit().await?;
    Ok(done.state_version.get())
}

/// The profile as the settings form shows it.
pub(super) fn profile_of(shop: &shops::Model) -> ShopProfile {
    ShopProfile {
        version: shop.version,
        currency: shop.currency.clone(),
        fields: ProfileFields {
            name: shop.name.clone(),
            timezone: shop.timezone.clone(),
            working_weekdays: (shop.working_weekdays & 0x7f) as u8,
            transit_days: shop.transit_days,
        },
    }
}

async fn find_holiday(
    db: &impl sea_orm::ConnectionTrait,
    shop_id: i64,
    day: NaiveDate,
) -> Result<Option<shop_holidays::Model>, WriteError> {
    Ok(shop_holidays::Entity::find()
        .filter(shop_holidays::Column::ShopId.eq(shop_id))
        .filter(shop_holidays::Column::Day.eq(day))
        .one(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_zones_are_iana_names_spelt_exactly() {
        assert_eq!(check_timezone("Europe/Berlin").unwrap().name(), "Europe/Berlin");
        assert_eq!(check_timezone("UTC").unwrap().name(), "UTC");
        let message = |name: &str| match check_timezone(name) {
            Err(WriteError::Invalid { field, detail }) => {
                assert_eq!(field, "timezone");
                detail
            }
            other => panic!("{name:?} was not refused: {other:?}"),
        };
        assert!(message("europe/berlin").contains("write Europe/Berlin"));
        assert!(message("berlin").contains("write Europe/Berlin"));
        assert!(message("new york").contains("write America/New_York"));
        assert!(message("Mars/Olympus_Mons").contains("not an IANA time zone"));
        assert!(message(" ").contains("empty"));
    }
}
