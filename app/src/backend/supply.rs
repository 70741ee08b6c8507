//! Materials, stock and supply in the admin.

use crate::model::admin::{
    InboundAction, MaterialChoices, MaterialFilter, MaterialRow, NewPurchaseOrder, NewReservation,
    NewTransfer, ReservationAction, SupplyView,
};
use crate::model::refusal::AdminError;

/// Materials with their stock, stock counts, suppliers and inbound supply.
#[async_trait::async_trait]
pub trait SupplyAdmin: Send + Sync {
    /// The materials page's choices and the materials passing `filter`.
    async fn materials(
        &self,
        session: &str,
        filter: MaterialFilter,
    ) -> Result<(MaterialChoices, Vec<MaterialRow>), AdminError>;
    /// A stock count, if the on-hand quantity is still `expected_on_hand`.
    async fn count_stock(
        &self,
        session: &str,
        sku: &str,
        node: &str,
        expected_on_hand: i64,
        on_hand: i64,
        reason: &str,
    ) -> Result<(), AdminError>;
    /// Suppliers, inbound lines and reservations.
    async fn supply(&self, session: &str) -> Result<SupplyView, AdminError>;
    /// Drafts a purchase order.
    async fn create_purchase_order(&self, session: &str, order: NewPurchaseOrder) -> Result<(), AdminError>;
    /// Confirms, receives or cancels an inbound line.
    async fn act_on_inbound(&self, session: &str, id: i64, action: InboundAction) -> Result<(), AdminError>;
    /// Drafts a transfer between two nodes.
    async fn create_transfer(&self, session: &str, transfer: NewTransfer) -> Result<(), AdminError>;
    /// Requests capacity from a supplier.
    async fn create_reservation(&self, session: &str, reservation: NewReservation) -> Result<(), AdminError>;
    /// Confirms or releases a capacity reservation.
    async fn act_on_reservation(
        &self,
        session: &str,
        id: i64,
        action: ReservationAction,
    ) -> Result<(), AdminError>;
}
