//! Stock counts, one rule for the REST API (`PUT /materials/{sku}/stock/{node}`, which
//! overwrites) and the admin (which refuses a count made on a stale page).

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use crate::service::WriteError;
use crate::store::entities::{materials, nodes, stock};
use crate::store::unit::{Change, ShopWrite};

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
/// `materials::adjust_stock` share.
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
