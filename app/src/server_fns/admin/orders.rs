//! Server functions of the orders board: the board itself (a read, so a filter it
//! cannot use is part of its answer, shown next to its field with the products still to
//! choose from, rather than a failure) and a card's move to its next status.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AdminError;
#[cfg(feature = "ssr")]
use super::{AdminErrorKind, field, parse_date, signed_in};
#[cfg(feature = "ssr")]
use crate::model::orders::{CancelledBy, OrderMove, OrderStatus};
use crate::model::orders::{OrderFilter, OrdersBoard};

/// The orders board.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrdersView {
    /// The shop's products to filter by: (slug, name), by name.
    pub products: Vec<(String, String)>,
    /// The filter the board was read with (the default when it was refused).
    pub filter: OrderFilter,
    /// The orders, or why the filter was refused (its field is `status`, `at_risk` or
    /// `product`).
    pub board: Result<OrdersBoard, AdminError>,
}

/// The board for the URL's filter: `status` (`placed`, …), `channel`, `product` (a
/// slug) and `at_risk` (`true`), each empty for any.
#[server(prefix = "/_fn", endpoint = "admin/orders")]
pub async fn admin_orders(
    status: String,
    channel: String,
    product: String,
    at_risk: String,
) -> Result<OrdersView, AdminError> {
    let (backend, session) = signed_in().await?;
    let products = backend.order_products(&session).await?;
    let filter = OrderFilter::from_query(&status, &channel, &product, &at_risk);
    let board = match &filter {
        Ok(filter) => backend.orders_board(&session, filter).await,
        Err(e) => Err(e.clone()),
    };
    match board {
        Err(e) if e.kind != AdminErrorKind::Invalid => Err(e),
        board => Ok(OrdersView {
            products,
            filter: filter.unwrap_or_default(),
            board,
        }),
    }
}

/// Moves order `id` to `status` (`in_production`, `shipped`, `delivered` or
/// `cancelled`); a cancellation says why (`reason`) and who called it off
/// (`cancelled_by`: `customer` or `shop`), a delivery may say the day (`delivered_on`,
/// today when empty). Refusals are named `order-<id>` (`order-<id>.reason` for a
/// field), so the card shows them next to its forms.
#[server(prefix = "/_fn", endpoint = "admin/move_order")]
pub async fn move_order(
    id: i64,
    status: String,
    #[server(default)] reason: String,
    #[server(default)] cancelled_by: String,
    #[server(default)] delivered_on: String,
) -> Result<(), AdminError> {
    let card = format!("order-{id}");
    let on_card = |e: AdminError| {
        if e.kind == AdminErrorKind::SignedOut {
            e
        } else {
            e.under(&card)
        }
    };
    let change = order_move(&status, &reason, &cancelled_by, &delivered_on).map_err(on_card)?;
    let (backend, session) = signed_in().await?;
    backend.move_order(&session, id, change).await.map_err(on_card)
}

/// Records material used by order `id` in production, as the card's form sends it: a
/// SKU of its plan and the units issued. Refusals are named `order-<id>`
/// (`order-<id>.quantity` for the units), so the card shows them.
#[server(prefix = "/_fn", endpoint = "admin/report_consumption")]
pub async fn report_consumption(id: i64, sku: String, quantity: String) -> Result<(), AdminError> {
    let card = format!("order-{id}");
    let on_card = |e: AdminError| {
        if e.kind == AdminErrorKind::SignedOut {
            e
        } else {
            e.under(&card)
        }
    };
    let quantity: i64 = field("quantity", super::parse_whole(&quantity)).map_err(on_card)?;
    let (backend, session) = signed_in().await?;
    backend
        .report_consumption(&session, id, sku.trim().to_string(), quantity)
        .await
        .map_err(on_card)
}

/// A card form's text as a move, or the first field that is not one.
#[cfg(feature = "ssr")]
fn order_move(
    status: &str,
    reason: &str,
    cancelled_by: &str,
    delivered_on: &str,
) -> Result<OrderMove, AdminError> {
    let status = OrderStatus::parse(status.trim())
        .ok_or_else(|| AdminError::invalid("status", format!("“{status}” is not an order status")))?;
    let cancelled_by = match cancelled_by.trim() {
        "" => None,
        "customer" => Some(CancelledBy::Customer),
        "shop" => Some(CancelledBy::Shop),
        other => {
            return Err(AdminError::invalid(
                "cancelled_by",
                format!("“{other}” is neither the customer nor the shop"),
            ));
        }
    };
    Ok(OrderMove {
        status,
        delivered_on: field("delivered_on", parse_date(delivered_on))?,
        reason: Some(reason.trim().to_string()).filter(|r| !r.is_empty()),
        cancelled_by,
    })
}

#[cfg(feature = "ssr")]
pub use interface::OrdersAdmin;

/// What these functions need from the server, which implements it (`server::backend`).
/// It lives beside the functions that call it: the server crate depends on this one,
/// so this is the one place the two meet.
#[cfg(feature = "ssr")]
mod interface {
    use crate::model::orders::{OrderFilter, OrderMove, OrdersBoard};
    use crate::model::refusal::AdminError;

    /// The orders board: the shop's orders by status, and their moves.
    #[async_trait::async_trait]
    pub trait OrdersAdmin: Send + Sync {
        /// The shop's products to filter by: (slug, name), by name.
        async fn order_products(&self, session: &str) -> Result<Vec<(String, String)>, AdminError>;
        /// The newest [`BOARD_LIMIT`](crate::model::orders::BOARD_LIMIT) orders passing
        /// `filter`, with their plans and what they hold; an unknown product is refused
        /// naming `product`.
        async fn orders_board(&self, session: &str, filter: &OrderFilter) -> Result<OrdersBoard, AdminError>;
        /// Moves order `id` by the API's rules, audited as the merchant: a move its
        /// status does not allow is a conflict, a cancellation without a reason is
        /// refused naming `reason`, a delivery day before the order or after today
        /// naming `delivered_on`. A cancellation gives back what the order held, a
        /// shipment uses it up; the next quote sees either at once.
        async fn move_order(&self, session: &str, id: i64, change: OrderMove) -> Result<(), AdminError>;
        /// Records `quantity` units of `sku` used by order `id` in production, audited
        /// as the merchant: use beyond the order's plan leaves the stock, and the
        /// overconsumption rule runs on the material.
        async fn report_consumption(
            &self,
            session: &str,
            id: i64,
            sku: String,
            quantity: i64,
        ) -> Result<(), AdminError>;
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn a_cancellation_reads_who_and_why_and_refuses_anyone_else() {
        let change = order_move("cancelled", "  out of stock ", "shop", "").unwrap();
        assert_eq!(change.status, OrderStatus::Cancelled);
        assert_eq!(change.reason.as_deref(), Some("out of stock"));
        assert_eq!(change.cancelled_by, Some(CancelledBy::Shop));
        assert!(
            order_move("cancelled", "", "the cat", "")
                .unwrap_err()
                .is_about("cancelled_by")
        );
        assert!(order_move("lost", "", "", "").unwrap_err().is_about("status"));
    }

    #[test]
    fn a_delivery_day_is_a_date_or_today() {
        assert_eq!(order_move("delivered", "", "", "").unwrap().delivered_on, None);
        assert_eq!(
            order_move("delivered", "", "", "2026-11-20")
                .unwrap()
                .delivered_on,
            "2026-11-20".parse().ok()
        );
        assert!(
            order_move("delivered", "", "", "20.11.")
                .unwrap_err()
                .is_about("delivered_on")
        );
    }
}
