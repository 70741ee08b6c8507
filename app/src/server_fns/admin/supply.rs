//! Server functions of the materials and supply pages.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::AdminError;
#[cfg(feature = "ssr")]
use super::parse_money;
#[cfg(feature = "ssr")]
use super::{field, parse_date, parse_whole, signed_in};
#[cfg(feature = "ssr")]
use crate::model::admin::{
    InboundAction, NewAllocation, NewPurchaseOrder, NewReservation, NewTransfer, PromiseSettings,
    ReservationAction,
};
use crate::model::admin::{MaterialChoices, MaterialFilter, MaterialRow, SupplyView};

/// The materials page: what its filters offer, and the materials that pass them.
#[server(prefix = "/_fn", endpoint = "admin/materials", input = Json)]
pub async fn admin_materials(
    filter: MaterialFilter,
) -> Result<(MaterialChoices, Vec<MaterialRow>), AdminError> {
    let (backend, session) = signed_in().await?;
    backend.materials(&session, filter).await
}

/// A stock count of `sku` at `node`; refused when the on-hand quantity is no longer
/// `expected_on_hand`. Field errors are named `sku@node.field`.
#[server(prefix = "/_fn", endpoint = "admin/count_stock")]
pub async fn count_stock(
    sku: String,
    node: String,
    expected_on_hand: i64,
    on_hand: String,
    #[server(default)] reason: String,
) -> Result<(), AdminError> {
    let scope = format!("{sku}@{node}");
    let on_hand = field("on_hand", parse_whole(&on_hand)).map_err(|e| e.under(&scope))?;
    let (backend, session) = signed_in().await?;
    backend
        .count_stock(&session, &sku, &node, expected_on_hand, on_hand, &reason)
        .await
        .map_err(|e| if e.field.is_some() { e.under(&scope) } else { e })
}

/// The supply page.
#[server(prefix = "/_fn", endpoint = "admin/supply")]
pub async fn admin_supply() -> Result<SupplyView, AdminError> {
    let (backend, session) = signed_in().await?;
    backend.supply(&session).await
}

/// Drafts a purchase order.
#[server(prefix = "/_fn", endpoint = "admin/create_purchase_order")]
pub async fn create_purchase_order(
    supplier: String,
    sku: String,
    node: String,
    quantity: String,
    eta: String,
    #[server(default)] reference: String,
) -> Result<(), AdminError> {
    let order = NewPurchaseOrder {
        supplier: supplier.trim().to_string(),
        sku: sku.trim().to_string(),
        node,
        quantity: field("quantity", parse_whole(&quantity))?,
        eta: field("eta", parse_date(&eta))?
            .ok_or_else(|| AdminError::invalid("eta", "say when it should arrive"))?,
        reference,
    };
    let (backend, session) = signed_in().await?;
    backend.create_purchase_order(&session, order).await
}

/// Confirms, receives or cancels inbound line `id` (`op`: `confirm`, `receive`,
/// `cancel`), or sends a drafted purchase order to its supplier (`send`). Field errors
/// are named `inbound-<id>`.
#[server(prefix = "/_fn", endpoint = "admin/act_on_inbound")]
pub async fn act_on_inbound(id: i64, op: String) -> Result<(), AdminError> {
    let scope = format!("inbound-{id}");
    if op == "send" {
        let (backend, session) = signed_in().await?;
        return backend
            .send_purchase_order(&session, id)
            .await
            .map_err(|e| e.about_row(&scope));
    }
    let action = match op.as_str() {
        "confirm" => InboundAction::Confirm,
        "receive" => InboundAction::Receive,
        "cancel" => InboundAction::Cancel,
        other => return Err(AdminError::invalid(scope, format!("unknown action `{other}`"))),
    };
    let (backend, session) = signed_in().await?;
    backend
        .act_on_inbound(&session, id, action)
        .await
        .map_err(|e| e.about_row(&scope))
}

/// Drafts a transfer between two of the shop's nodes.
#[server(prefix = "/_fn", endpoint = "admin/create_transfer")]
pub async fn create_transfer(
    sku: String,
    from_node: String,
    to_node: String,
    quantity: String,
    #[server(default)] reference: String,
) -> Result<(), AdminError> {
    let transfer = NewTransfer {
        sku: sku.trim().to_string(),
        from_node,
        to_node,
        quantity: field("quantity", parse_whole(&quantity))?,
        reference,
    };
    let (backend, session) = signed_in().await?;
    backend.create_transfer(&session, transfer).await
}

/// Requests capacity from a supplier.
#[server(prefix = "/_fn", endpoint = "admin/create_reservation")]
pub async fn create_reservation(
    supplier: String,
    sku: String,
    quantity: String,
    window_start: String,
    window_end: String,
    confirm_by: String,
    #[server(default)] fee: String,
) -> Result<(), AdminError> {
    let date = |name: &str, text: &str| {
        field(name, parse_date(text))?.ok_or_else(|| AdminError::invalid(name, "give a date"))
    };
    let reservation = NewReservation {
        supplier,
        sku: sku.trim().to_string(),
        quantity: field("quantity", parse_whole(&quantity))?,
        window_start: date("window_start", &window_start)?,
        window_end: date("window_end", &window_end)?,
        confirm_by: field("confirm_by", parse_date(&confirm_by))?,
        fee_minor: if fee.trim().is_empty() {
            0
        } else {
            field("fee", parse_money(&fee))?
        },
    };
    let (backend, session) = signed_in().await?;
    backend.create_reservation(&session, reservation).await
}

/// Confirms or releases capacity reservation `id` (`op`: `confirm`, `release`). Field
/// errors are named `reservation-<id>`.
#[server(prefix = "/_fn", endpoint = "admin/act_on_reservation")]
pub async fn act_on_reservation(id: i64, op: String) -> Result<(), AdminError> {
    let scope = format!("reservation-{id}");
    let action = match op.as_str() {
        "confirm" => ReservationAction::Confirm,
        "release" => ReservationAction::Release,
        other => return Err(AdminError::invalid(scope, format!("unknown action `{other}`"))),
    };
    let (backend, session) = signed_in().await?;
    backend
        .act_on_reservation(&session, id, action)
        .await
        .map_err(|e| e.about_row(&scope))
}

/// Keeps stock of `sku` at `node` for `channel`: `amount` is units (`200`) or a share
/// of the node's on-hand stock (`25 %`, `0.25`).
#[server(prefix = "/_fn", endpoint = "admin/keep_for_channel")]
pub async fn keep_for_channel(
    sku: String,
    node: String,
    channel: String,
    amount: String,
) -> Result<(), AdminError> {
    let amount = amount.trim();
    let (quantity, share) = if amount.contains(['%', '.', ',']) {
        (None, Some(field("amount", super::parse_share(amount))?))
    } else {
        (Some(field("amount", parse_whole(amount))?), None)
    };
    let allocation = NewAllocation {
        sku: sku.trim().to_string(),
        node,
        channel: channel.trim().to_string(),
        quantity,
        share,
    };
    let (backend, session) = signed_in().await?;
    backend.keep_for_channel(&session, allocation).await
}

/// Stops keeping stock of `sku` at `node` for `channel`. Field errors are named
/// `allocation-<sku>@<node>:<channel>`.
#[server(prefix = "/_fn", endpoint = "admin/stop_keeping")]
pub async fn stop_keeping(sku: String, node: String, channel: String) -> Result<(), AdminError> {
    let scope = format!("allocation-{sku}@{node}:{channel}");
    let (backend, session) = signed_in().await?;
    backend
        .stop_keeping(&session, &sku, &node, &channel)
        .await
        .map_err(|e| e.about_row(&scope))
}

/// Sets how sure promises are (`percent`: `97`, `97.5 %` or `0.975`) and whether
/// quotes learn lead times from receipts (`learn` is the checkbox: absent = off).
#[server(prefix = "/_fn", endpoint = "admin/save_promises")]
pub async fn save_promises(
    percent: String,
    #[server(default)] learn: Option<String>,
) -> Result<(), AdminError> {
    let text = percent.trim();
    let share = match text.strip_suffix('%') {
        Some(_) => field("percent", super::parse_share(text))?,
        None => {
            let number = field("percent", super::parse_share(text))?;
            // `97` is a percentage, `0.97` a share.
            if number > 1.0 { number / 100.0 } else { number }
        }
    };
    let settings = PromiseSettings {
        permille: (share * 1000.0).round() as i32,
        learn: learn.is_some(),
    };
    let (backend, session) = signed_in().await?;
    backend.save_promises(&session, settings).await
}

#[cfg(feature = "ssr")]
pub use interface::SupplyAdmin;

/// What these functions need from the server, which implements it (`server::service`).
/// It lives beside the functions that call it: the server crate depends on this one,
/// so this is the one place the two meet.
#[cfg(feature = "ssr")]
mod interface {
    use crate::model::admin::{
        InboundAction, MaterialChoices, MaterialFilter, MaterialRow, NewAllocation, NewPurchaseOrder,
        NewReservation, NewTransfer, PromiseSettings, ReservationAction, SupplyView,
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
        async fn create_purchase_order(
            &self,
            session: &str,
            order: NewPurchaseOrder,
        ) -> Result<(), AdminError>;
        /// Confirms, receives or cancels an inbound line.
        /// Sends drafted purchase order `id` to its supplier (a signed event to the
        /// supplier's endpoint, or a CSV file for its portal).
        async fn send_purchase_order(&self, session: &str, id: i64) -> Result<(), AdminError>;
        /// Purchase order `id` as a CSV file for its supplier's portal, with the file's name.
        async fn purchase_order_csv(&self, session: &str, id: i64) -> Result<(String, String), AdminError>;
        async fn act_on_inbound(
            &self,
            session: &str,
            id: i64,
            action: InboundAction,
        ) -> Result<(), AdminError>;
        /// Drafts a transfer between two nodes.
        async fn create_transfer(&self, session: &str, transfer: NewTransfer) -> Result<(), AdminError>;
        /// Requests capacity from a supplier.
        async fn create_reservation(
            &self,
            session: &str,
            reservation: NewReservation,
        ) -> Result<(), AdminError>;
        /// Confirms or releases a capacity reservation.
        async fn act_on_reservation(
            &self,
            session: &str,
            id: i64,
            action: ReservationAction,
        ) -> Result<(), AdminError>;
        /// Keeps stock for a channel (replacing what was kept for it there).
        async fn keep_for_channel(&self, session: &str, allocation: NewAllocation) -> Result<(), AdminError>;
        /// Sets the promise quantile and whether lead times are learned.
        async fn save_promises(&self, session: &str, settings: PromiseSettings) -> Result<(), AdminError>;
        /// Stops keeping stock for a channel.
        async fn stop_keeping(
            &self,
            session: &str,
            sku: &str,
            node: &str,
            channel: &str,
        ) -> Result<(), AdminError>;
    }
}
