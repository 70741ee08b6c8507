//! The admin's materials, supply and import pages, and the New material form.

use app::model::admin::{
    InboundAction, MaterialChoices, MaterialFilter, MaterialRow, NewAllocation, NewPurchaseOrder,
    NewReservation, NewTransfer, PromiseSettings, ReservationAction, SupplyView,
};
use app::model::import::{ImportKind, ImportRecord, NewMaterial};
use app::server_fns::admin::AdminError;
use app::server_fns::admin::{ImportAdmin, SupplyAdmin};

use crate::backend::StoreBackend;
use crate::backend::failed;
use crate::service::{WriteError, refused};

#[async_trait::async_trait]
impl SupplyAdmin for StoreBackend {
    async fn materials(
        &self,
        session: &str,
        filter: MaterialFilter,
    ) -> Result<(MaterialChoices, Vec<MaterialRow>), AdminError> {
        let who = self.acting(session).await?;
        let choices = super::material_choices(&self.db, who.shop.id)
            .await
            .map_err(failed)?;
        let rows = super::materials(&self.db, who.shop.id, &filter)
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
        super::adjust_stock(
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
        let today = self.quoting.today(&who.shop);
        super::supply_view(&self.db, who.shop.id, today)
            .await
            .map_err(failed)
    }

    async fn create_purchase_order(&self, session: &str, order: NewPurchaseOrder) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        let today = self.quoting.today(&who.shop);
        super::create_purchase_order(self.write(&who).await?, &order, today)
            .await
            .map_err(refused)?;
        Ok(())
    }

    async fn send_purchase_order(&self, session: &str, id: i64) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        super::send_purchase_order(self.write(&who).await?, id)
            .await
            .map_err(refused)?;
        Ok(())
    }

    async fn purchase_order_csv(&self, session: &str, id: i64) -> Result<(String, String), AdminError> {
        let who = self.acting(session).await?;
        super::purchase_order_csv(&self.db, who.shop.id, id)
            .await
            .map_err(refused)
    }

    async fn act_on_inbound(&self, session: &str, id: i64, action: InboundAction) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        super::act_on_inbound(self.write(&who).await?, id, action)
            .await
            .map_err(refused)?;
        Ok(())
    }

    async fn create_transfer(&self, session: &str, transfer: NewTransfer) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        let today = self.quoting.today(&who.shop);
        super::create_transfer(self.write(&who).await?, &transfer, today)
            .await
            .map_err(refused)?;
        Ok(())
    }

    async fn create_reservation(&self, session: &str, reservation: NewReservation) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        let today = self.quoting.today(&who.shop);
        super::create_reservation(self.write(&who).await?, &reservation, today)
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
        super::act_on_reservation(self.write(&who).await?, id, action)
            .await
            .map_err(refused)?;
        Ok(())
    }

    async fn save_promises(&self, session: &str, settings: PromiseSettings) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        super::save_promises(self.write(&who).await?, settings)
            .await
            .map_err(refused)
    }

    async fn keep_for_channel(&self, session: &str, allocation: NewAllocation) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        let keep = super::Keep {
            quantity: allocation.quantity,
            share: allocation.share,
        };
        let write = self.write(&who).await?;
        super::set_allocation(
            write,
            &allocation.sku,
            &allocation.node,
            &allocation.channel,
            keep,
        )
        .await
        .map_err(|e| match e {
            // The form has one field for both.
            WriteError::Invalid {
                field: "quantity" | "share",
                detail,
            } => AdminError::invalid("amount", detail),
            other => refused(other),
        })?;
        Ok(())
    }

    async fn stop_keeping(
        &self,
        session: &str,
        sku: &str,
        node: &str,
        channel: &str,
    ) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        super::remove_allocation(self.write(&who).await?, sku, node, channel)
            .await
            .map_err(refused)
    }
}

#[async_trait::async_trait]
impl ImportAdmin for StoreBackend {
    async fn export_csv(&self, session: &str, kind: ImportKind) -> Result<String, AdminError> {
        let who = self.acting(session).await?;
        super::export_csv(&self.db, who.shop.id, kind)
            .await
            .map_err(failed)
    }

    async fn import_csv(
        &self,
        session: &str,
        kind: ImportKind,
        file_name: &str,
        contents: &[u8],
    ) -> Result<ImportRecord, AdminError> {
        let who = self.acting(session).await?;
        let imported = super::import_csv(
            &self.db,
            who.shop.id,
            kind,
            file_name,
            contents,
            who.actor.as_str(),
        )
        .await
        .map_err(failed)?;
        // Reports of material used feed the overconsumption rule and the merchant's
        // rules, as a report through the API does.
        for material in &imported.used_materials {
            self.consumption_reported(&who.shop, *material).await;
        }
        Ok(imported.record)
    }

    async fn refuse_import(
        &self,
        session: &str,
        kind: ImportKind,
        file_name: &str,
        message: String,
    ) -> Result<ImportRecord, AdminError> {
        let who = self.acting(session).await?;
        super::refuse_file(
            &self.db,
            who.shop.id,
            kind,
            file_name,
            who.actor.as_str(),
            message,
        )
        .await
        .map(|imported| imported.record)
        .map_err(failed)
    }

    async fn imports(&self, session: &str, limit: u64) -> Result<Vec<ImportRecord>, AdminError> {
        let who = self.acting(session).await?;
        super::imports(&self.db, who.shop.id, limit).await.map_err(failed)
    }

    async fn import(&self, session: &str, id: i64) -> Result<Option<ImportRecord>, AdminError> {
        let who = self.acting(session).await?;
        super::import_record(&self.db, who.shop.id, id)
            .await
            .map_err(failed)
    }

    async fn create_material(&self, session: &str, material: NewMaterial) -> Result<(), AdminError> {
        let who = self.acting(session).await?;
        super::create_material(self.write(&who).await?, &material)
            .await
            .map_err(refused)?;
        Ok(())
    }
}
