//! Domain and store types turned into the wire types the UI and the API share.

use app::model::{ConfiguratorView, GroupKindView, GroupView, ProductView, ValueStatusView, ValueView};
use engine::{GroupKind, ValueStatus};

use crate::store::catalog::ProductDefinition;
use crate::store::entities::shops;

/// The configurator of a product in `shop`.
pub fn configurator(shop: &shops::Model, definition: ProductDefinition) -> ConfiguratorView {
    let ProductDefinition { product, catalog } = definition;
    let default_selection = catalog.default_selection();
    ConfiguratorView {
        product: ProductView {
            slug: product.slug,
            name: product.name,
            description: product.description,
            base_price_minor: product.base_price_minor,
            currency: shop.currency.clone(),
        },
        groups: catalog
            .groups
            .into_iter()
            .map(|g| GroupView {
                code: g.code,
                name: g.name,
                kind: match g.kind {
                    GroupKind::Single => GroupKindView::Single,
                    GroupKind::Multi => GroupKindView::Multi,
                },
                required: g.required,
                values: g
                    .values
                    .into_iter()
                    .map(|v| {
                        let (status, frozen_reason) = match v.status {
                            ValueStatus::Active => (ValueStatusView::Active, None),
                            ValueStatus::Frozen { reason, .. } => (ValueStatusView::Frozen, Some(reason)),
                        };
                        ValueView {
                            code: v.code,
                            label: v.label,
                            price_delta_minor: v.price_delta.minor(),
                            status,
                            frozen_reason,
                        }
                    })
                    .collect(),
            })
            .collect(),
        default_selection,
    }
}
