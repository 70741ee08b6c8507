//! What the merchant admin reads and writes: products and their options, materials and
//! stock, purchasing, and the audit log, as the wire types of `app::model::admin`.
//!
//! Writes follow `store::writes`: each takes the caller's unit of work
//! ([`ShopWrite`](crate::store::ShopWrite)), checks, changes, records the change in the
//! audit log ([`Change`](crate::store::Change)) and commits; the commit bumps the
//! shop's state version when quotes depend on what was written, and writes that
//! change quotes return the new version. A refusal changes nothing (the unit of work
//! is dropped, so rolled back): `WriteError::Invalid` names the form field,
//! `WriteError::Conflict` says someone else changed the thing first.
//! Product and option writes are guarded by the product's `version`, stock counts by
//! the count the merchant saw, inbound transitions by the status they start from.

mod audit;
mod capacity;
mod commitments;
mod csv;
mod material_writes;
mod materials;
mod product_rules;
mod products;
mod purchasing;
mod settings;
mod structure;

pub use self::csv::{
    DEFAULT_REASON, Imported, MAX_FILE_BYTES, export_csv, import_csv, import_record, imports, refuse_file,
    too_large,
};
pub use app::model::admin::{
    AuditEntry, BomLineView, FrozenBy, GroupEditor, InboundAction, InboundRow, LIFECYCLES, MaterialChoices,
    MaterialFilter, MaterialRow, Move, NewOperation, NewProduct, NewPurchaseOrder, NewReservation,
    NewTransfer, OperationView, Part, ProductChoices, ProductEditor, ProductFields, ProductSummary,
    ReservationAction, ReservationRow, StockAtNode, SupplierOffer, SupplierRow, SupplyView, ValueEditor,
};
pub use audit::audit_entries;
pub use capacity::{add_work_center_holiday, capacity_view, remove_work_center_holiday, save_work_center};
pub use commitments::{act_on_reservation, create_reservation, create_transfer};
pub use material_writes::{CheckedMaterial, check_material, check_material_change, create_material};
pub use materials::{adjust_stock, material_choices, materials};
pub use products::{
    freeze_value, move_value, product_editor, product_summaries, save_product, unfreeze_value,
    update_product, update_value,
};
pub use purchasing::{act_on_inbound, create_purchase_order, supply_view};
pub use settings::{
    ProfileSaved, add_origin, add_shop_holiday, check_origin, check_timezone, create_api_key, remove_origin,
    remove_shop_holiday, revoke_api_key, save_profile, settings_view,
};
pub use structure::{
    add_group, add_operation, add_value, create_product, product_choices, remove_operation, set_bom_line,
};

/// A product or option write that was saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Saved {
    /// The product's version after the write: what the editor sends with its next save.
    pub version: i64,
    /// The shop's state version after the write.
    pub state_version: i64,
}

/// Moves a row to a new status from the first of `from` it is in, and says which; `None`
/// when it was in none of them. `update(status)` is the row's update conditional on
/// `status`: of two concurrent moves only one can match (and on SQLite the write lock
/// is held from this first statement).
async fn move_status<E: sea_orm::EntityTrait, S: Copy>(
    txn: &impl sea_orm::ConnectionTrait,
    from: &[S],
    update: impl Fn(S) -> sea_orm::UpdateMany<E>,
) -> Result<Option<S>, sea_orm::DbErr> {
    for &status in from {
        if update(status).exec(txn).await?.rows_affected > 0 {
            return Ok(Some(status));
        }
    }
    Ok(None)
}

/// The shop's nodes as `(code, name)`, by code: what stock and purchase forms offer.
async fn node_choices(
    db: &impl sea_orm::ConnectionTrait,
    shop_id: i64,
) -> Result<Vec<(String, String)>, super::StoreError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    use super::entities::nodes;
    Ok(nodes::Entity::find()
        .filter(nodes::Column::ShopId.eq(shop_id))
        .order_by_asc(nodes::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|node| (node.code, node.name))
        .collect())
}

/// A refusal of the form field `field`.
fn invalid(field: &'static str, detail: impl Into<String>) -> super::writes::WriteError {
    super::writes::WriteError::Invalid {
        field,
        detail: detail.into(),
    }
}

/// `value` trimmed, refused when empty or longer than `max` characters.
fn required_text<'a>(
    field: &'static str,
    value: &'a str,
    max: usize,
) -> Result<&'a str, super::writes::WriteError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(invalid(field, "cannot be empty"));
    }
    let length = value.chars().count();
    if length > max {
        return Err(invalid(
            field,
            format!("must be at most {max} characters (it has {length})"),
        ));
    }
    Ok(value)
}
