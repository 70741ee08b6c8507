//! The audit log as the admin shows it.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::AuditEntry;
use crate::store::StoreError;
use crate::store::entities::audit_log;

/// The shop's latest `limit` audit entries, newest first.
pub async fn audit_entries(
    db: &impl ConnectionTrait,
    shop_id: i64,
    limit: u64,
) -> Result<Vec<AuditEntry>, StoreError> {
    Ok(audit_log::Entity::find()
        .filter(audit_log::Column::ShopId.eq(shop_id))
        .order_by_desc(audit_log::Column::At)
        // Entries of one transaction can share an instant; the later insert is newer.
        .order_by_desc(audit_log::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|entry| AuditEntry {
            at: entry.at,
            actor: entry.actor,
            action: entry.action,
            entity: entry.entity,
            entity_id: entry.entity_id,
            before: entry.before.map(|json| json.to_string()),
            after: entry.after.map(|json| json.to_string()),
        })
        .collect())
}
