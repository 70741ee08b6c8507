//! Postponement: the semi-finished generic part a product's generic operations make,
//! and which base BOM lines go into it.

use sea_orm_migration::prelude::*;

use crate::m20261125_000004_catalog::Products;

/// Adds `products.generic_part_material_id` (nullable) and
/// `product_bom_lines.in_generic_part` (false by default).
///
/// SQLite cannot add a foreign-key constraint to an existing table, so there the
/// reference is checked by the application; PostgreSQL gets the constraint.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Materials {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum GenericPart {
    #[sea_orm(iden = "generic_part_material_id")]
    Column,
}

#[derive(DeriveIden)]
enum ProductBomLines {
    Table,
    InGenericPart,
}

const FK: &str = "fk_products_generic_part_material_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Products::Table)
                    .add_column(ColumnDef::new(GenericPart::Column).big_integer().null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ProductBomLines::Table)
                    .add_column(
                        ColumnDef::new(ProductBomLines::InGenericPart)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            manager
                .create_foreign_key(
                    ForeignKey::create()
                        .name(FK)
                        .from(Products::Table, GenericPart::Column)
                        .to(Materials::Table, Materials::Id)
                        .on_delete(ForeignKeyAction::Restrict)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            manager
                .drop_foreign_key(ForeignKey::drop().name(FK).table(Products::Table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(ProductBomLines::Table)
                    .drop_column(ProductBomLines::InGenericPart)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Products::Table)
                    .drop_column(GenericPart::Column)
                    .to_owned(),
            )
            .await
    }
}
