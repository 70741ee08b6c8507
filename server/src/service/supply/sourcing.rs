//! Forecast shares between a material's suppliers (`engine::lifecycle::sourcing`): the
//! writes that move them, audited as `supplier_material.forecast_share`.
//!
//! A share is read by the policy recomputation (which supplier replenishment plans
//! with), not by quotes, so a move leaves the state version as it was; the next
//! recomputation plans with the new figures.

use engine::lifecycle::sourcing::{ShareShift, lower_late_share};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};

use crate::service::WriteError;
use crate::store::entities::{supplier_materials, suppliers};
use crate::store::unit::{Change, ShopWrite};

/// The offer of supplier `code` for `material_id` in the unit's shop.
async fn offer(
    w: &ShopWrite,
    material_id: i64,
    code: &str,
) -> Result<Option<(suppliers::Model, supplier_materials::Model)>, WriteError> {
    let Some(supplier) = suppliers::Entity::find()
        .filter(suppliers::Column::ShopId.eq(w.shop()))
        .filter(suppliers::Column::Code.eq(code))
        .one(w)
        .await?
    else {
        return Ok(None);
    };
    let offer = supplier_materials::Entity::find()
        .filter(supplier_materials::Column::SupplierId.eq(supplier.id))
        .filter(supplier_materials::Column::MaterialId.eq(material_id))
        .one(w)
        .await?;
    Ok(offer.map(|o| (supplier, o)))
}

/// Stores `share` on `offer`, audited with why.
async fn set_share(
    w: &mut ShopWrite,
    supplier: &suppliers::Model,
    offer: supplier_materials::Model,
    share: i32,
    why: &str,
) -> Result<(), WriteError> {
    let (id, before) = (offer.id, offer.forecast_share);
    if before == share {
        return Ok(());
    }
    let mut row: supplier_materials::ActiveModel = offer.into();
    row.forecast_share = Set(share);
    row.update(&*w).await?;
    w.record(
        Change::new(
            "supplier_material.forecast_share",
            "supplier_material",
            id.to_string(),
        )
        .before(Some(json!({"supplier": supplier.code, "forecast_share": before})))
        .after(json!({"supplier": supplier.code, "forecast_share": share, "why": why}))
        .leaves_quotes(),
    )
    .await?;
    Ok(())
}

/// After a top-up from supplier `top_up` made up for supplier `late` on `material_id`:
/// halves the late one's forecast share and gives the top-up's supplier what it lost.
/// What moved, for an undo (`None` when either offer is gone or they are one supplier).
pub async fn make_up_for_late(
    w: &mut ShopWrite,
    material_id: i64,
    late: &str,
    top_up: &str,
) -> Result<Option<Value>, WriteError> {
    if late == top_up {
        return Ok(None);
    }
    let (Some((late_supplier, late_offer)), Some((top_supplier, top_offer))) = (
        offer(w, material_id, late).await?,
        offer(w, material_id, top_up).await?,
    ) else {
        return Ok(None);
    };
    let shift: ShareShift = lower_late_share(late_offer.forecast_share, top_offer.forecast_share);
    let why = format!("{} made up for late {}", top_supplier.code, late_supplier.code);
    set_share(w, &late_supplier, late_offer, shift.late_after, &why).await?;
    set_share(w, &top_supplier, top_offer, shift.top_up_after, &why).await?;
    Ok(Some(json!({
        "material_id": material_id,
        "late": {"supplier": late, "before": shift.late_before, "after": shift.late_after},
        "top_up": {"supplier": top_up, "before": shift.top_up_before, "after": shift.top_up_after},
    })))
}

/// Sets back the shares `moved` (from [`make_up_for_late`]) while both are still what
/// it set; otherwise refuses naming the one that changed, and nothing is set back.
pub async fn set_shares_back(w: &mut ShopWrite, moved: &Value) -> Result<(), WriteError> {
    let material_id = moved["material_id"].as_i64().unwrap_or_default();
    let mut back = Vec::new();
    for side in ["late", "top_up"] {
        let code = moved[side]["supplier"].as_str().unwrap_or_default();
        let (after, before) = (moved[side]["after"].as_i64(), moved[side]["before"].as_i64());
        let Some((supplier, offer)) = offer(w, material_id, code).await? else {
            return Err(WriteError::NotFound(format!(
                "{code}'s offer of this material no longer exists"
            )));
        };
        if Some(i64::from(offer.forecast_share)) != after {
            return Err(WriteError::Conflict(format!(
                "{code}'s forecast share is {} % now, no longer the {} % this suggestion set: change it on the Supply page",
                offer.forecast_share,
                after.unwrap_or_default()
            )));
        }
        back.push((supplier, offer, before.unwrap_or(100) as i32));
    }
    for (supplier, offer, share) in back {
        set_share(w, &supplier, offer, share, "undone").await?;
    }
    Ok(())
}
