//! The admin's orders board: the REST API's order reads and status moves, made as the merchant signed in and shown as the app's cards.

use app::model::orders::{
    self as board, BOARD_LIMIT, HeldMinutes, HeldUnits, OrderCard, OrderFilter, OrderMove, OrdersBoard,
};
use app::server_fns::admin::{AdminError, OrdersAdmin};
use sea_orm::Iterable;

use super::life::CancelledBy;
use super::read::{self, OrderQuery};
use super::{OrderView, StatusMove};
use crate::backend::{StoreBackend, failed};
use crate::service::refused;
use crate::store::catalog;
use crate::store::entities::OrderStatus;

#[async_trait::async_trait]
impl OrdersAdmin for StoreBackend {
    async fn order_products(&self, session: &str) -> Result<Vec<(String, String)>, AdminError> {
        let who = self.acting(session).await?;
        let products = catalog::products(&self.db, who.shop.id).await.map_err(failed)?;
        Ok(products.into_iter().map(|p| (p.slug, p.name)).collect())
    }

    async fn orders_board(&self, session: &str, filter: &OrderFilter) -> Result<OrdersBoard, AdminError> {
        let who = self.acting(session).await?;
        let query = OrderQuery {
            status: filter.status.map(stored),
            limit: Some(BOARD_LIMIT),
            cursor: None,
            channel: filter.channel.clone(),
            product: filter.product.clone(),
            // Unticked means every order, not only those on track.
            at_risk: filter.at_risk.then_some(true),
        };
        let page = read::list(&self.db, who.shop.id, &query).await.map_err(refused)?;
        Ok(OrdersBoard {
            more: page.next_cursor.is_some(),
            orders: page.items.into_iter().map(card).collect(),
            today: self.quoting.today(&who.shop),
        })
    }

    async fn move_order(&self, session: &str, id: i64, change: OrderMove) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        let today = self.quoting.today(&who.shop);
        let change = StatusMove {
            status: stored(change.status),
            delivered_on: change.delivered_on,
            reason: change.reason,
            cancelled_by: change.cancelled_by.map(|by| match by {
                board::CancelledBy::Customer => CancelledBy::Customer,
                board::CancelledBy::Shop => CancelledBy::Shop,
            }),
        };
        super::move_order(self.write(&who).await?, id, change, today)
            .await
            .map_err(refused)?;
        Ok(())
    }

    async fn report_consumption(
        &self,
        session: &str,
        id: i64,
        sku: String,
        quantity: i64,
    ) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        let today = self.quoting.today(&who.shop);
        let report = super::ConsumptionReport {
            sku,
            quantity,
            consumed_on: None,
        };
        let (done, _) = super::consumption::consume(self.write(&who).await?, id, report, today, None)
            .await
            .map_err(refused)?;
        self.consumption_reported(&who.shop, done.material_id).await;
        Ok(())
    }
}

/// An order as the board shows it, with the moves its status allows now.
fn card(order: OrderView) -> OrderCard {
    let moves = OrderStatus::iter()
        .filter(|&to| order.status.can_move_to(to))
        .map(shown)
        .collect();
    let step = (order.status == OrderStatus::InProduction).then(|| step(&order.operations));
    OrderCard {
        id: order.id,
        reference: order.reference,
        product: order.product,
        quantity: order.quantity,
        channel: order.channel,
        status: shown(order.status),
        currency: order.currency,
        total_minor: order.total_minor,
        quoted_p50: order.quoted_p50,
        quoted_p90: order.quoted_p90,
        promised_on: order.promised_on,
        placed_at: order.placed_at,
        delivered_on: order.delivered_on,
        late_risk: order.late_risk,
        plan: order.plan,
        reservations: order
            .reservations
            .into_iter()
            .map(|r| HeldUnits {
                material: r.material,
                node: r.node,
                source: r.source.as_str().to_string(),
                inbound: r.inbound,
                quantity: r.quantity,
            })
            .collect(),
        bookings: order
            .bookings
            .into_iter()
            .map(|b| HeldMinutes {
                work_center: b.work_center,
                day: b.day,
                minutes: b.minutes,
            })
            .collect(),
        moves,
        step,
    }
}

/// Where an order in production stands: its first operation not reported finished.
fn step(operations: &[super::OperationView]) -> String {
    match operations.iter().position(|op| op.actual_minutes.is_none()) {
        Some(at) => format!(
            "Step {} of {} · {}",
            at + 1,
            operations.len(),
            operations[at].work_center
        ),
        None if operations.is_empty() => "No operations booked".to_string(),
        None => format!("All {} operations done", operations.len()),
    }
}

/// The stored status a column names.
fn stored(status: board::OrderStatus) -> OrderStatus {
    match status {
        board::OrderStatus::Placed => OrderStatus::Placed,
        board::OrderStatus::InProduction => OrderStatus::InProduction,
        board::OrderStatus::Shipped => OrderStatus::Shipped,
        board::OrderStatus::Delivered => OrderStatus::Delivered,
        board::OrderStatus::Cancelled => OrderStatus::Cancelled,
    }
}

/// The column of a stored status.
fn shown(status: OrderStatus) -> board::OrderStatus {
    match status {
        OrderStatus::Placed => board::OrderStatus::Placed,
        OrderStatus::InProduction => board::OrderStatus::InProduction,
        OrderStatus::Shipped => board::OrderStatus::Shipped,
        OrderStatus::Delivered => board::OrderStatus::Delivered,
        OrderStatus::Cancelled => board::OrderStatus::Cancelled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_its_column_and_back() {
        for status in OrderStatus::iter() {
            assert_eq!(stored(shown(status)), status);
            assert_eq!(shown(status).as_str(), status.as_str());
        }
    }
}
