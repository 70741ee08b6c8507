//! The rules every product write checks, shared by the editor's writes (`products`) and
//! the ones that build a product (`structure`): codes, the product's own fields, price
//! limits, and claiming the product's version so two merchants cannot overwrite each
//! other's edits unseen.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::service::WriteError;
use crate::service::{invalid, required_text};
use crate::store::StoreError;
use crate::store::entities::products;
use crate::store::unit::ShopWrite;
use app::model::admin::{LIFECYCLES, ProductFields};

/// The largest price difference one value may add, in minor units: far above any real
/// option, low enough that no sum of options can overflow.
pub(super) const MAX_PRICE_DELTA_MINOR: i64 = 10_000_000;

/// The fields checked and normalised (trimmed), or the first field that is wrong.
pub(super) fn checked_fields(fields: &ProductFields) -> Result<ProductFields, WriteError> {
    let name = required_text("name", &fields.name, 200)?;
    let description = fields.description.trim();
    if description.chars().count() > 5_000 {
        return Err(invalid("description", "must be at most 5000 characters"));
    }
    if fields.base_price_minor < 0 {
        return Err(invalid("price", "cannot be negative"));
    }
    if !LIFECYCLES.contains(&fields.lifecycle.as_str()) {
        return Err(invalid(
            "lifecycle",
            format!("must be one of {}", LIFECYCLES.join(", ")),
        ));
    }
    if !(1..=365).contains(&fields.max_lead_time_days) {
        return Err(invalid("max_lead_time_days", "must be between 1 and 365 days"));
    }
    if !(0..=60).contains(&fields.handling_days) {
        return Err(invalid("handling_days", "must be between 0 and 60 days"));
    }
    if fields.handling_days >= fields.max_lead_time_days {
        return Err(invalid(
            "handling_days",
            format!(
                "must be less than the longest lead time ({} days), or nothing could be promised",
                fields.max_lead_time_days
            ),
        ));
    }
    Ok(ProductFields {
        name: name.to_string(),
        description: description.to_string(),
        ..fields.clone()
    })
}

/// The product `slug` of shop `shop_id`, if it has one.
pub(super) async fn find_product(
    db: &impl ConnectionTrait,
    shop_id: i64,
    slug: &str,
) -> Result<Option<products::Model>, StoreError> {
    Ok(products::Entity::find()
        .filter(products::Column::ShopId.eq(shop_id))
        .filter(products::Column::Slug.eq(slug))
        .one(db)
        .await?)
}

/// Takes the product's next version if it is still at `expected`, and reads it back.
///
/// The version is bumped first, before anything is read, so the unit of work holds the
/// row (and on SQLite the write lock) from its first statement: a concurrent writer
/// waits instead of both reading the same version.
pub(super) async fn claim_product(
    w: &ShopWrite,
    slug: &str,
    expected: i64,
) -> Result<products::Model, WriteError> {
    let shop_id = w.shop();
    let claimed = products::Entity::update_many()
        .col_expr(
            products::Column::Version,
            Expr::col(products::Column::Version).add(1),
        )
        .filter(products::Column::ShopId.eq(shop_id))
        .filter(products::Column::Slug.eq(slug))
        .filter(products::Column::Version.eq(expected))
        .exec(w)
        .await?;
    let product = find_product(w, shop_id, slug)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("no product `{slug}` in this shop")))?;
    if claimed.rows_affected == 0 {
        return Err(WriteError::Conflict(format!(
            "{} was changed by someone else since you opened it; reload to see the change (your \
             edit was not saved)",
            product.name
        )));
    }
    Ok(product)
}

/// A code as URLs and embeds use it: lower-case letters, digits and dashes.
pub(super) fn checked_code<'a>(
    field: &'static str,
    code: &'a str,
    max: usize,
) -> Result<&'a str, WriteError> {
    let code = required_text(field, code, max)?;
    let valid = code
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !code.starts_with('-')
        && !code.ends_with('-');
    if !valid {
        return Err(invalid(
            field,
            "use lower-case letters, digits and dashes (like `oak-leather`)",
        ));
    }
    Ok(code)
}
