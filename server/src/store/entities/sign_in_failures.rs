//! `sign_in_failures`: failed sign-ins in a row per email, for the lockout.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `sign_in_failures`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "sign_in_failures")]
pub struct Model {
    /// SHA-256 (hex) of the trimmed, lowercased email.
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub email_hash: String,
    pub failures: i32,
    pub last_failed_at: DateTimeUtc,
}

/// `sign_in_failures` references nothing.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
