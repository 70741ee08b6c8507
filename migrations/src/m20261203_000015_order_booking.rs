//! What booking an order needs: its channel and plan, where each reservation comes
//! from, and the key that signs a shop's quote tokens.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

use crate::m20261125_000001_shops::Shops;
use crate::m20261125_000005_orders::{OrderReservations, Orders};

/// Adds `orders.channel`, `orders.plan`, `orders.cancelled_by` (`customer` or
/// `shop`: only the shop's own cancellations spoil the perfect order rate),
/// `order_reservations.source`,
/// `order_reservations.capacity_reservation_id` and `shops.quote_token_secret`.
///
/// `source` says what a reservation holds: units of stock at its node (`stock`, also
/// counted in `stock.reserved`), units of an inbound line (`inbound`), units of a
/// confirmed supplier capacity reservation (`capacity_reservation`), or units an order
/// to the supplier will bring (`supplier_order`: nothing on hand or inbound is held,
/// the reservation records the need). Existing rows were made by the demo seed, which
/// reserved only stock and inbound, so their source follows from `inbound_id`.
///
/// `capacity_reservation_id` has no foreign key: SQLite cannot add one to an existing
/// table, and capacity reservations are never deleted but released (a shop's deletion
/// removes both tables by their own cascades).
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Added {
    Channel,
    CancelledBy,
    Plan,
    Source,
    CapacityReservationId,
    QuoteTokenSecret,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let add =
            |table: DynIden, column: ColumnDef| Table::alter().table(table).add_column(column).to_owned();
        manager
            .alter_table(add(
                Orders::Table.into_iden(),
                ColumnDef::new(Added::Channel)
                    .text()
                    .not_null()
                    .default("web")
                    .to_owned(),
            ))
            .await?;
        manager
            .alter_table(add(
                Orders::Table.into_iden(),
                ColumnDef::new(Added::Plan).json().null().to_owned(),
            ))
            .await?;
        manager
            .alter_table(add(
                Orders::Table.into_iden(),
                ColumnDef::new(Added::CancelledBy).text().null().to_owned(),
            ))
            .await?;
        manager
            .alter_table(add(
                OrderReservations::Table.into_iden(),
                ColumnDef::new(Added::Source)
                    .text()
                    .not_null()
                    .default("stock")
                    .to_owned(),
            ))
            .await?;
        manager
            .alter_table(add(
                OrderReservations::Table.into_iden(),
                ColumnDef::new(Added::CapacityReservationId)
                    .big_integer()
                    .null()
                    .to_owned(),
            ))
            .await?;
        manager
            .alter_table(add(
                Shops::Table.into_iden(),
                ColumnDef::new(Added::QuoteTokenSecret)
                    .text()
                    .not_null()
                    .default("")
                    .to_owned(),
            ))
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE order_reservations SET source = 'inbound' WHERE inbound_id IS NOT NULL",
        )
        .await?;
        // Every existing shop gets its own random key; new shops get one when created.
        let random_hex = match db.get_database_backend() {
            DatabaseBackend::Sqlite => "lower(hex(randomblob(32)))",
            _ => {
                "md5(random()::text || clock_timestamp()::text || id::text) || md5(random()::text || id::text)"
            }
        };
        db.execute_unprepared(&format!("UPDATE shops SET quote_token_secret = {random_hex}"))
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_order_reservations_capacity_reservation_id")
                    .table(OrderReservations::Table)
                    .col(Added::CapacityReservationId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_orders_shop_id_status")
                    .table(Orders::Table)
                    .col(Orders::ShopId)
                    .col(Orders::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_orders_shop_id_status")
                    .table(Orders::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_order_reservations_capacity_reservation_id")
                    .table(OrderReservations::Table)
                    .to_owned(),
            )
            .await?;
        let drop = |table: DynIden, column: Added| Table::alter().table(table).drop_column(column).to_owned();
        manager
            .alter_table(drop(Shops::Table.into_iden(), Added::QuoteTokenSecret))
            .await?;
        manager
            .alter_table(drop(
                OrderReservations::Table.into_iden(),
                Added::CapacityReservationId,
            ))
            .await?;
        manager
            .alter_table(drop(OrderReservations::Table.into_iden(), Added::Source))
            .await?;
        manager
            .alter_table(drop(Orders::Table.into_iden(), Added::CancelledBy))
            .await?;
        manager
            .alter_table(drop(Orders::Table.into_iden(), Added::Plan))
            .await?;
        manager
            .alter_table(drop(Orders::Table.into_iden(), Added::Channel))
            .await
    }
}
