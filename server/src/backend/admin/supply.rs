//! The materials and supply pages.

use app::backend::SupplyAdmin;
use app::model::admin::{
    InboundAction, MaterialChoices, MaterialFilter, MaterialRow, NewPurchaseOrder, NewReservation,
    NewTransfer, ReservationAction, SupplyView,
};
use app::server_fns::admin::AdminError;

use super::{failed, refused};
use crate::backend::StoreBackend;
use crate::store::admin;

#[async_trait::async_trait]
impl SupplyAdmin for StoreBackend {
    async fn materials(
        &self,
        session: &str,
        filter: MaterialFilter,
    ) -> Result<(MaterialChoices, Vec<MaterialRow>), AdminError> {
        let who = self.acting(session).await?;
        let choices = admin::material_choices(&self.db, who.shop.id)
            .await
            .map_err(failed)?;
        let rows = admin::materials(&self.db, who.shop.id, &filter)
            .await
            .map_err(failed)?;
        Ok((choices, rows))
    }

    async fn count_stock(
        &self,
        session: &str,
        sku: &str,
        node: &str,
        expected_on_hand: i64,
        on_hand: i64,
        reason: &str,
    ) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        admin::adjust_stock(
            self.write(&who).await?,
            sku,
            node,
            expected_on_hand,
            on_hand,
            reason,
        )
        .await
        .map_err(refused)?;
        Ok(())
    }

    async fn supply(&self, session: &str) -> Result<SupplyView, AdminError> {
        let who = self.acting(session).await?;
        admin::supply_view(&self.db, who.shop.id).await.map_err(failed)
    }

    async fn create_purchase_order(&self, session: &str, order: NewPurchaseOrder) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        let today = self.quoting.today(&who.shop);
        admin::create_purchase_order(self.write(&who).await?, &order, today)
            .await
            .map_err(refused)?;
        Ok(())
    }

    async fn act_on_inbound(&self, session: &str, id: i64, action: InboundAction) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        admin::act_on_inbound(self.write(&who).await?, id, action)
            .await
            .map_err(refused)?;
        Ok(())
    }

    async fn create_transfer(&self, session: &str, transfer: NewTransfer) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        let today = self.quoting.today(&who.shop);
        admin::create_transfer(self.write(&who).await?, &transfer, today)
            .await
            .map_err(refused)?;
        Ok(())
    }

    async fn create_reservation(&self, session: &str, reservation: NewReservation) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        let today = self.quoting.today(&who.shop);
        admin::create_reservation(self.write(&who).await?, &reservation, today)
            .await
            .map_err(refused)?;
        Ok(())
    }

    async fn act_on_reservation(
        &self,
        session: &str,
        id: i64,
        action: ReservationAction,
    ) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        admin::act_on_reservation(self.write(&who).await?, id, action)
            .await
            .map_err(refused)?;
        Ok(())
    }
}
