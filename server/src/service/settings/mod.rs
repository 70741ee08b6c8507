//! The shop's settings in the admin: the profile and shipping calendar (`profile`), the
//! origins allowed to embed the widget (`origins`) and the API keys (`keys`).
//!
//! Profile and calendar writes change quotes (the shop's today, its shipping days and
//! transit), so their unit of work bumps the state version (a new name alone changes
//! no quote and says so); origins and keys change who may ask, not the answers, and
//! write no table quotes read, so they do not: the caller drops the shop's cached key
//! lookups instead.

mod admin;
mod keys;
mod origins;
mod profile;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

pub use app::model::settings::{
    ApiKeyRow, Holiday, KEY_KINDS, NewApiKey, ProfileFields, SettingsView, ShopProfile,
};
pub use keys::{create_api_key, revoke_api_key};
pub use origins::{add_origin, check_origin, remove_origin};
pub use profile::{ProfileSaved, add_shop_holiday, check_timezone, remove_shop_holiday, save_profile};

use super::{invalid, required_text};
use crate::service::WriteError;
use crate::store::entities::{api_keys, shop_holidays, shops};
use crate::store::{StoreError, catalog};

/// The settings page's data, its holidays from `today` on. `site_origin` is left empty
/// and `revealed` unset: the configuration and the session know them.
pub async fn settings_view(
    db: &impl ConnectionTrait,
    shop_id: i64,
    today: NaiveDate,
) -> Result<SettingsView, StoreError> {
    let shop = shops::Entity::find_by_id(shop_id)
        .one(db)
        .await?
        .ok_or_else(|| StoreError::Db(sea_orm::DbErr::RecordNotFound(format!("shop {shop_id}"))))?;
    let holidays = shop_holidays::Entity::find()
        .filter(shop_holidays::Column::ShopId.eq(shop_id))
        .filter(shop_holidays::Column::Day.gte(today))
        .order_by_asc(shop_holidays::Column::Day)
        .all(db)
        .await?
        .into_iter()
        .map(|h| Holiday {
            day: h.day,
            name: h.name,
        })
        .collect();
    let mut origins = crate::store::shops::origins(db, shop_id).await?;
    origins.sort();
    let keys = api_keys::Entity::find()
        .filter(api_keys::Column::ShopId.eq(shop_id))
        .order_by_desc(api_keys::Column::CreatedAt)
        .order_by_desc(api_keys::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|k| ApiKeyRow {
            id: k.id,
            kind: k.kind,
            label: k.label,
            prefix: k.prefix,
            created_at: k.created_at,
            revoked_at: k.revoked_at,
        })
        .collect();
    let products = catalog::products(db, shop_id)
        .await?
        .into_iter()
        .map(|p| (p.slug, p.name))
        .collect();
    Ok(SettingsView {
        profile: profile::profile_of(&shop),
        holidays,
        origins,
        keys,
        products,
        site_origin: String::new(),
        revealed: None,
    })
}

/// A holiday to add, checked: a day not before `today` (a day off in the past changes
/// nothing) and a name of 1 to 80 characters. Refusals name `day` or `name`.
pub(super) fn checked_holiday(holiday: &Holiday, today: NaiveDate) -> Result<Holiday, WriteError> {
    if holiday.day < today {
        return Err(invalid(
            "day",
            format!("{} is in the past (today is {today})", holiday.day),
        ));
    }
    let name = required_text("name", &holiday.name, 80)?;
    Ok(Holiday {
        day: holiday.day,
        name: name.to_string(),
    })
}

/// A working-weekday mask, refused under `field` when it has no day (nothing could
/// ever be promised) or bits beyond Sunday.
pub(super) fn checked_weekdays(field: &'static str, mask: u8) -> Result<i16, WriteError> {
    if mask == 0 {
        return Err(invalid(field, "choose at least one working day"));
    }
    if mask > 0b111_1111 {
        return Err(invalid(field, "only Monday to Sunday can be chosen"));
    }
    Ok(i16::from(mask))
}
