//! A shortage's suggestions, internal sources first (PRODUCT.md, "Internal first"):
//! every rule that finds a material missing somewhere (work in progress over plan, an
//! order at risk from late supply, a policy at its reorder point) hands its shortage
//! here, and `engine::lifecycle::internal_first` decides the cover: other nodes'
//! surplus (never below their own safety stock: the material's policy's, which every
//! node keeps), then parts cancelled orders freed, then a purchase-order draft, marked
//! expedite when its normal lead time misses the date. Each step becomes one
//! suggestion under the rule's alert, with the figures it was made from.
//!
//! A shortage caused by a late supplier is covered without that supplier's offer when
//! another supplier offers the material: the draft is then a *top-up* from the second
//! supplier, and every suggestion says which supplier it makes up for
//! (`supplier_late`, `late_supplier`), so a rule can be limited to them and accepting
//! the top-up lowers the late supplier's forecast share (`inbox`).

use chrono::{DateTime, NaiveDate, Utc};
use engine::lifecycle::{CoverStep, FreedParts, NodeStock, Shortage, Sources, cover};
use engine::money::Money;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::store::entities::{SuggestionKind, materials, policies, suppliers};
use crate::store::shop_state::LoadedShop;

/// How much is missing at the node.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Missing {
    /// Units the node needs beyond what it holds itself: its own free stock above its
    /// safety stock covers what it can first (work over plan, an order's late units).
    BeyondFreeStock(i64),
    /// Units to cover whatever the node holds (a policy's order: its position already
    /// counts the node's stock).
    Exactly(i64),
}

/// One shortage to cover and where its suggestions go.
pub(crate) struct Need<'a> {
    /// The alert the suggestions belong to.
    pub alert_id: i64,
    /// The material missing.
    pub material: &'a materials::Model,
    /// Where it is missing.
    pub node_id: i64,
    /// How much.
    pub missing: Missing,
    /// By when.
    pub needed_by: NaiveDate,
    /// The supplier whose late delivery caused the shortage, if one did.
    pub late: Option<&'a suppliers::Model>,
    /// The rule's own figures, stored beside the cover's in each suggestion's `basis`.
    pub basis: Value,
    /// The shop's day.
    pub today: NaiveDate,
    /// The suggestions' time.
    pub now: DateTime<Utc>,
}

/// The material's free stock above its safety stock at node `node_id` (negative when
/// the node is below it), as `loaded` has it.
pub(crate) fn free_at(loaded: &LoadedShop, material_id: i64, node_id: i64, safety_stock: i64) -> i64 {
    let (Some(m), Some(node)) = (
        loaded.ids.materials.iter().position(|&id| id == material_id),
        loaded.ids.nodes.iter().position(|&id| id == node_id),
    ) else {
        return -safety_stock;
    };
    loaded
        .state
        .stock
        .iter()
        .find(|s| s.material as usize == m && s.node == node)
        .map_or(-safety_stock, |s| s.on_hand - s.reserved - safety_stock)
}

/// The safety stock of `material_id`'s policy (0 before its first recomputation).
pub(crate) async fn safety_stock(db: &impl ConnectionTrait, material_id: i64) -> Result<i64, DbErr> {
    Ok(policies::Entity::find()
        .filter(policies::Column::MaterialId.eq(material_id))
        .one(db)
        .await?
        .map_or(0, |p| p.safety_stock.max(0)))
}

/// Stores the suggestions that cover `need`; the units that were missing (0: the node
/// had enough, and nothing was suggested).
pub(crate) async fn suggest(
    db: &impl ConnectionTrait,
    shop_id: i64,
    loaded: &LoadedShop,
    need: Need<'_>,
) -> Result<i64, DbErr> {
    let material = need.material;
    let (Some(m), Some(node)) = (
        loaded.ids.materials.iter().position(|&id| id == material.id),
        loaded.ids.nodes.iter().position(|&id| id == need.node_id),
    ) else {
        return Ok(0);
    };
    let safety_stock = safety_stock(db, material.id).await?;
    let free_here = free_at(loaded, material.id, need.node_id, safety_stock);
    let quantity = match need.missing {
        Missing::BeyondFreeStock(units) => units - free_here,
        Missing::Exactly(units) => units,
    };
    if quantity <= 0 {
        return Ok(0);
    }
    let shortage = Shortage {
        material: m as u32,
        node,
        quantity,
        needed_by: need.needed_by,
        unit_cost: Money(material.unit_cost_minor),
    };
    let stock: Vec<NodeStock> = loaded
        .state
        .stock
        .iter()
        .filter(|s| s.material as usize == m)
        .map(|s| NodeStock::of(s, safety_stock))
        .collect();
    // Parts cancelled orders freed, at nodes the state knows.
    let freed = crate::service::orders::freed::still_free(db, shop_id, material.id)
        .await?
        .into_iter()
        .filter_map(|(order, node_id, quantity)| {
            let node = loaded.ids.nodes.iter().position(|&id| id == node_id)?;
            Some(FreedParts {
                order,
                node,
                quantity,
            })
        })
        .collect();
    let offers: Vec<_> = loaded
        .state
        .offers
        .iter()
        .filter(|o| o.material as usize == m)
        .cloned()
        .collect();
    // A top-up comes from another supplier when one offers the material.
    let late_name = need.late.map(|s| s.name.as_str());
    let others: Vec<_> = offers
        .iter()
        .filter(|o| Some(o.supplier.as_str()) != late_name)
        .cloned()
        .collect();
    let offers = if others.is_empty() { offers } else { others };
    let sources = Sources {
        stock,
        lanes: loaded.state.lanes.clone(),
        freed,
        offers,
    };
    let covered = cover(&shortage, &sources, need.today);
    let node_code = |n: usize| {
        loaded
            .state
            .nodes
            .get(n)
            .map(|n| n.code.clone())
            .unwrap_or_default()
    };
    let mut basis = json!({
        "shortage": quantity,
        "free_at_node": free_here,
        "needed_by": need.needed_by,
        "safety_stock": safety_stock,
    });
    if let (Some(all), Some(extra)) = (basis.as_object_mut(), need.basis.as_object()) {
        all.extend(extra.clone());
    }
    let late = need.late.map(|s| json!({"code": s.code, "name": s.name}));
    for step in covered.steps {
        // A draft from the late supplier itself (no other offers the material) makes
        // up for nothing; internal steps and another supplier's draft do.
        let makes_up = !matches!(&step, CoverStep::Purchase(p) if Some(p.supplier.as_str()) == late_name);
        let (kind, mut payload) = match step {
            CoverStep::Transfer(t) => (
                SuggestionKind::Transfer,
                json!({
                    "material_id": material.id, "sku": material.sku, "name": material.name, "unit": material.unit,
                    "from_node": node_code(t.from.node), "to_node": node_code(t.to), "quantity": t.quantity,
                    "surplus": t.surplus, "on_hand": t.from.on_hand, "reserved": t.from.reserved,
                    "safety_stock": t.from.safety_stock, "arrives": t.arrives, "on_time": t.on_time,
                    "value_minor": t.value.minor(), "cost_minor": t.cost.minor(), "basis": basis,
                }),
            ),
            CoverStep::Purchase(p) => {
                // The engine names the supplier as the state does (its name); the
                // purchase order is raised by code.
                let code = suppliers::Entity::find()
                    .filter(suppliers::Column::ShopId.eq(shop_id))
                    .filter(suppliers::Column::Name.eq(&p.supplier))
                    .one(db)
                    .await?
                    .map(|s| s.code);
                let Some(code) = code else { continue };
                (
                    SuggestionKind::Purchase,
                    json!({
                        "material_id": material.id, "sku": material.sku, "name": material.name,
                        "unit": material.unit, "supplier": code, "supplier_name": p.supplier,
                        "node": node_code(node), "quantity": p.quantity, "shortfall": p.shortfall,
                        "lead_time_days": p.lead_time_days, "arrives": p.arrives, "expedite": p.expedite,
                        "value_minor": p.value.minor(), "basis": basis,
                    }),
                )
            }
            // Taken back into the short node's stock (then moved, if they lie elsewhere).
            CoverStep::Freed(f) => (
                SuggestionKind::Transfer,
                json!({
                    "material_id": material.id, "sku": material.sku, "name": material.name, "unit": material.unit,
                    "freed_order_id": f.parts.order, "freed_node_id": loaded.ids.nodes.get(f.parts.node),
                    "freed": f.parts.quantity,
                    "from_node": node_code(f.parts.node), "to_node": node_code(f.to), "quantity": f.quantity,
                    "arrives": f.arrives, "on_time": f.on_time,
                    "value_minor": f.value.minor(), "cost_minor": f.cost.minor(), "basis": basis,
                }),
            ),
        };
        if let (Some(late), Some(fields), true) = (&late, payload.as_object_mut(), makes_up) {
            fields.insert("supplier_late".into(), json!(true));
            fields.insert("late_supplier".into(), late.clone());
        }
        super::suggest(db, shop_id, need.alert_id, kind, need.now, payload).await?;
    }
    Ok(quantity)
}
