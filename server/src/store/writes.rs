//! Writes that change what quotes depend on, shared by the REST API and the admin.
//! Each runs in the caller's [`ShopWrite`], which audits, versions and commits.

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use super::StoreError;
use super::entities::{materials, nodes, stock, work_centers};
use super::unit::{Change, ShopWrite};

/// A refused write: what is wrong, and with which field.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The thing to change does not exist in the shop.
    #[error("{0}")]
    NotFound(String),
    /// A field's value is not acceptable.
    #[error("{detail}")]
    Invalid {
        /// JSON path of the field.
        field: &'static str,
        /// Why.
        detail: String,
    },
    /// Someone else changed the thing since the caller read it; nothing was saved.
    #[error("{0}")]
    Conflict(String),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for WriteError {
    fn from(e: sea_orm::DbErr) -> Self {
        WriteError::Store(e.into())
    }
}

/// Stock of one material at one node after a change.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct StockLevel {
    /// Material SKU.
    pub material: String,
    /// Node code.
    pub node: String,
    /// On hand.
    pub on_hand: i64,
    /// Promised to orders.
    pub reserved: i64,
    /// The shop's state version after the change.
    pub state_version: i64,
}

/// Sets the on-hand quantity of `sku` at node `node_code` (a stock count), keeping
/// `reason` in the audit log. On-hand below what is reserved for orders is refused:
/// those units are promised.
pub async fn set_stock(
    w: ShopWrite,
    sku: &str,
    node_code: &str,
    on_hand: i64,
    reason: &str,
) -> Result<StockLevel, WriteError> {
    let count = StockCount {
        sku,
        node_code,
        expected: None,
        on_hand,
        reason,
    };
    write_stock(w, count).await
}

/// A stock count to store: what [`set_stock`] and the admin's optimistic
/// `store::admin::adjust_stock` share.
pub(crate) struct StockCount<'a> {
    /// Material SKU.
    pub sku: &'a str,
    /// Node code.
    pub node_code: &'a str,
    /// The on-hand quantity the caller saw (0 for no row); a different current value is
    /// a [`WriteError::Conflict`]. `None` overwrites whatever is there.
    pub expected: Option<i64>,
    /// The new on-hand quantity.
    pub on_hand: i64,
    /// Why it changes.
    pub reason: &'a str,
}

/// Stores a stock count with its audit row, and commits.
pub(crate) async fn write_stock(mut w: ShopWrite, count: StockCount<'_>) -> Result<StockLevel, WriteError> {
    let StockCount {
        sku,
        node_code,
        expected,
        on_hand,
        reason,
    } = count;
    if on_hand < 0 {
        return Err(WriteError::Invalid {
            field: "on_hand",
            detail: "cannot be negative".into(),
        });
    }
    if reason.trim().is_empty() {
        return Err(WriteError::Invalid {
            field: "reason",
            detail: "say why the stock changes (it is kept in the audit log)".into(),
        });
    }
    let shop_id = w.shop();
    let txn = &w;
    let material = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop_id))
        .filter(materials::Column::Sku.eq(sku))
        .one(txn)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("no material `{sku}` in this shop")))?;
    let node = nodes::Entity::find()
        .filter(nodes::Column::ShopId.eq(shop_id))
        .filter(nodes::Column::Code.eq(node_code))
        .one(txn)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("no node `{node_code}` in this shop")))?;
    let row = stock::Entity::find()
        .filter(stock::Column::MaterialId.eq(material.id))
        .filter(stock::Column::NodeId.eq(node.id))
        .one(txn)
        .await?;
    let (current, reserved) = row.as_ref().map_or((0, 0), |r| (r.on_hand, r.reserved));
    let stale = |current: i64| match expected {
        Some(expected) if expected != current => Some(WriteError::Conflict(format!(
            "the stock of {sku} at {node_code} changed from {expected} to {current} since you \
             opened the page; your count was not saved"
        ))),
        _ => None,
    };
    if let Some(conflict) = stale(current) {
        return Err(conflict);
    }
    if on_hand < reserved {
        return Err(WriteError::Invalid {
            field: "on_hand",
            detail: format!("cannot be below the {reserved} units reserved for orders"),
        });
    }
    match &row {
        Some(r) => {
            // Conditional on what was read, so a concurrent count or reservation made
            // after the read cannot be overwritten unseen (PostgreSQL reads committed).
            let updated = stock::Entity::update_many()
                .col_expr(stock::Column::OnHand, Expr::value(on_hand))
                .filter(stock::Column::Id.eq(r.id))
                .filter(stock::Column::OnHand.eq(r.on_hand))
                .filter(stock::Column::Reserved.eq(r.reserved))
                .exec(txn)
                .await?;
            if updated.rows_affected == 0 {
                let now = stock::Entity::find_by_id(r.id).one(txn).await?;
                let now_on_hand = now.map_or(0, |n| n.on_hand);
                return Err(stale(now_on_hand).unwrap_or_else(|| {
                    WriteError::Conflict(format!(
                        "the stock of {sku} at {node_code} changed while it was being saved; \
                         your count was not saved"
                    ))
                }));
            }
        }
        None => {
            stock::ActiveModel {
                material_id: Set(material.id),
                node_id: Set(node.id),
                on_hand: Set(on_hand),
                reserved: Set(0),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
    }
    let before = row.map(|r| json!({"on_hand": r.on_hand, "reserved": r.reserved}));
    w.record(
        Change::new("stock.set", "stock", format!("{sku}@{node_code}"))
            .before(before)
            .after(json!({"on_hand": on_hand, "reserved": reserved, "reason": reason})),
    )
    .await?;
    let done = w.commit().await?;
    Ok(StockLevel {
        material: sku.to_string(),
        node: node_code.to_string(),
        on_hand,
        reserved,
        state_version: done.state_version.get(),
    })
}

/// A work center's capacity after a change.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Capacity {
    /// Work center code.
    pub work_center: String,
    /// Minutes per working day.
    pub minutes_per_day: i32,
    /// The shop's state version after the change.
    pub state_version: i64,
}

/// Sets the daily capacity of work center `code` (e.g. a second shift), and commits.
pub async fn set_capacity(
    mut w: ShopWrite,
    code: &str,
    minutes_per_day: i32,
) -> Result<Capacity, WriteError> {
    set_capacity_in(&mut w, code, minutes_per_day).await?;
    let done = w.commit().await?;
    Ok(Capacity {
        work_center: code.to_string(),
        minutes_per_day,
        state_version: done.state_version.get(),
    })
}

/// [`set_capacity`] inside the caller's unit of work, so a write that changes more of
/// the work center (the admin's hours form) keeps the same rule and audit entry.
pub(crate) async fn set_capacity_in(
    w: &mut ShopWrite,
    code: &str,
    minutes_per_day: i32,
) -> Result<(), WriteError> {
    if !(0..=1_440).contains(&minutes_per_day) {
        return Err(WriteError::Invalid {
            field: "minutes_per_day",
            detail: "must be between 0 and 1440 (the minutes of a day)".into(),
        });
    }
    let center = work_centers::Entity::find()
        .filter(work_centers::Column::ShopId.eq(w.shop()))
        .filter(work_centers::Column::Code.eq(code))
        .one(&*w)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("no work center `{code}` in this shop")))?;
    let before = json!({"minutes_per_day": center.minutes_per_day});
    let mut active: work_centers::ActiveModel = center.into();
    active.minutes_per_day = Set(minutes_per_day);
    active.update(&*w).await?;
    w.record(
        Change::new("work_center.capacity", "work_center", code)
            .before(Some(before))
            .after(json!({"minutes_per_day": minutes_per_day})),
    )
    .await?;
    Ok(())
}
