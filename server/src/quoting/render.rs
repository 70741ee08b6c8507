//! The engine's answers turned into the wire types of `app::model`.

use app::model::{
    ConfiguratorView, ConstraintView, DeliveryView, EstimateView, FirstBatchView, FrozenChoiceView,
    FulfilmentView, GroupKindView, GroupView, MaterialSourcingView, MinutesView, OptionQuoteView,
    OptionsGroupView, ProductView, QuoteView, SelectionView, SourceView, ValueStatusView, ValueView,
};
use engine::quote::Chosen;
use engine::snapshot::StepSource;
use engine::state::Product;
use engine::{Constraint, GroupKind, Quote, Snapshot, Source};

use app::i18n::Locale;

use super::{MAX_QUANTITY, ShopSnapshot};
use crate::store::shop_state::ProductListing;

/// The selection of `chosen` value indices, as codes.
pub fn selection(product: &Product, chosen: &Chosen) -> SelectionView {
    let mut out = SelectionView::new();
    for &(g, v) in chosen {
        let group = &product.catalog.groups[g];
        out.entry(group.code.clone())
            .or_default()
            .push(group.values[v].code.clone());
    }
    out
}

fn estimate(q: &Quote) -> EstimateView {
    EstimateView {
        p50: q.p50,
        p90: q.p90,
        promised: q.promised,
        lead_days_p50: q.lead_days_p50,
        lead_days_p90: q.lead_days_p90,
        label: Locale::En.estimate_label(q.p50, q.p90, q.lead_days_p50, q.lead_days_p90),
    }
}

fn constraint(s: &Snapshot, c: &Constraint) -> ConstraintView {
    let state = &s.state;
    let (kind, material, work_center, until, source) = match c {
        Constraint::Production => ("production", None, None, None, None),
        Constraint::Material {
            material,
            ready_on,
            source,
        } => (
            "material",
            state.materials.get(*material as usize).map(|m| m.sku.clone()),
            None,
            Some(*ready_on),
            Some(match source {
                Source::Supply(StepSource::OnHand { .. }) => "stock",
                Source::Supply(StepSource::Inbound { .. }) => "inbound",
                Source::Supply(StepSource::Transfer { .. }) => "transfer",
                Source::Supply(StepSource::Reservation { .. }) => "reservation",
                Source::SupplierOrder { .. } => "supplier",
            }),
        ),
        Constraint::Capacity {
            work_center,
            booked_until,
            ..
        } => (
            "capacity",
            None,
            state.work_centers.get(*work_center).map(|w| w.code.clone()),
            Some(*booked_until),
            None,
        ),
    };
    ConstraintView {
        kind: kind.into(),
        sentence: s.describe_constraint(c),
        material,
        work_center,
        until,
        source: source.map(str::to_string),
    }
}

pub fn fulfilment(s: &Snapshot, plan: &engine::Plan) -> FulfilmentView {
    let state = &s.state;
    let mut materials: Vec<MaterialSourcingView> = Vec::new();
    for used in &plan.materials {
        let m = &state.materials[used.material as usize];
        let (kind, node, reference) = match &used.source {
            Source::Supply(StepSource::OnHand { stock }) => (
                "stock",
                Some(state.nodes[state.stock[*stock].node].code.clone()),
                None,
            ),
            Source::Supply(StepSource::Inbound { inbound }) => {
                ("inbound", None, Some(state.inbound[*inbound].reference.clone()))
            }
            Source::Supply(StepSource::Transfer { stock, .. }) => (
                "transfer",
                Some(state.nodes[state.stock[*stock].node].code.clone()),
                None,
            ),
            Source::Supply(StepSource::Reservation { reservation }) => (
                "reservation",
                None,
                Some(state.reservations[*reservation].supplier.clone()),
            ),
            Source::SupplierOrder { offer, .. } => (
                "supplier_order",
                None,
                Some(state.offers[*offer].supplier.clone()),
            ),
        };
        let source = SourceView {
            kind: kind.into(),
            node,
            reference,
            quantity: used.quantity,
            arrives: used.arrives,
        };
        match materials.last_mut().filter(|last| last.sku == m.sku) {
            Some(last) => {
                last.quantity += used.quantity;
                last.sources.push(source);
            }
            None => materials.push(MaterialSourcingView {
                sku: m.sku.clone(),
                name: m.name.clone(),
                quantity: used.quantity,
                sources: vec![source],
            }),
        }
    }
    FulfilmentView {
        producing_node: state
            .nodes
            .get(plan.producing_node)
            .map_or_else(String::new, |n| n.code.clone()),
        materials,
        operations: plan
            .minutes
            .iter()
            .map(|m| MinutesView {
                work_center: state.work_centers[m.work_center].code.clone(),
                day: m.day,
                minutes: m.minutes,
            })
            .collect(),
        sourcing_cost_minor: plan.sourcing_cost,
    }
}

/// The full answer for `chosen` (validated and sorted) of product `index`, as sales
/// channel `channel` may have it.
pub fn quote(
    snapshot: &ShopSnapshot,
    channel: &str,
    index: usize,
    chosen: &Chosen,
    quantity: u32,
) -> QuoteView {
    let s = snapshot.view(channel);
    let product = &s.state.products[index];
    let matrix = s.matrix(product, chosen, quantity);
    let mut frozen = Vec::new();
    for (g, v, field) in product.catalog.field_paths(chosen) {
        let cell = &matrix.cells[g][v];
        if let Some(freeze) = &cell.freeze {
            let group = &product.catalog.groups[g];
            frozen.push(FrozenChoiceView {
                field,
                group: group.code.clone(),
                value: group.values[v].code.clone(),
                reason: s.describe_freeze(freeze),
                alternative: cell.alternative.map(|a| group.values[a].code.clone()),
            });
        }
    }
    let price = product.catalog.price_of(chosen);
    let (available, estimate_view, unavailable_reason, constraint_view, fulfilment_view) =
        if !frozen.is_empty() {
            let reasons: Vec<&str> = frozen.iter().map(|f| f.reason.as_str()).collect();
            (false, None, Some(reasons.join("; ")), None, None)
        } else {
            match s.plan(product, chosen, quantity) {
                Ok((q, plan)) => (
                    true,
                    Some(estimate(&q)),
                    None,
                    Some(constraint(s, &q.constraint)),
                    Some(fulfilment(s, &plan)),
                ),
                Err(why) => (false, None, Some(s.describe_unavailable(&why)), None, None),
            }
        };
    let options = product
        .catalog
        .groups
        .iter()
        .zip(&matrix.cells)
        .enumerate()
        .map(|(gi, (group, row))| OptionsGroupView {
            group: group.code.clone(),
            values: group
                .values
                .iter()
                .zip(row)
                .map(|(value, cell)| {
                    let swapped_price = match (group.kind, cell.selected) {
                        (GroupKind::Multi, true) => price.minor() - value.price_delta.minor(),
                        (GroupKind::Multi, false) => price.minor() + value.price_delta.minor(),
                        (GroupKind::Single, _) => {
                            let current: i64 = chosen
                                .iter()
                                .filter(|(g, _)| *g == gi)
                                .map(|&(_, v)| group.values[v].price_delta.minor())
                                .sum();
                            price.minor() - current + value.price_delta.minor()
                        }
                    };
                    let reason = match (&cell.freeze, &cell.outcome) {
                        (Some(f), _) => Some(s.describe_freeze(f)),
                        (None, Some(Err(why))) => Some(s.describe_unavailable(why)),
                        _ => None,
                    };
                    OptionQuoteView {
                        code: value.code.clone(),
                        selected: cell.selected,
                        fastest: cell.fastest,
                        status: if cell.freeze.is_some() {
                            ValueStatusView::Frozen
                        } else {
                            ValueStatusView::Active
                        },
                        reason,
                        alternative: cell.alternative.map(|a| group.values[a].code.clone()),
                        price_minor: swapped_price,
                        estimate: cell.quote().map(estimate),
                    }
                })
                .collect(),
        })
        .collect();
    QuoteView {
        product: product.slug.clone(),
        quantity,
        currency: snapshot.currency.clone(),
        state_version: snapshot.version,
        quoted_on: snapshot.today,
        selection: selection(product, chosen),
        price_minor: price.minor(),
        available,
        estimate: estimate_view,
        unavailable_reason,
        frozen,
        constraint: constraint_view,
        fulfilment: fulfilment_view,
        options,
        quote_token: None,
        quote_token_expires_at: None,
        split: if available {
            s.split(product, chosen, quantity).map(|parts| deliveries(&parts))
        } else {
            None
        },
        first_batch: s
            .batch_left(product, chosen, MAX_QUANTITY)
            .zip(product.first_batch_until)
            .map(|(left, until)| FirstBatchView { left, until }),
    }
}

/// A split's deliveries as the answer shows them.
pub fn deliveries(parts: &[engine::Delivery]) -> Vec<DeliveryView> {
    parts
        .iter()
        .map(|part| DeliveryView {
            quantity: part.quantity,
            estimate: estimate(&part.quote),
        })
        .collect()
}

/// The configurator of product `index`, its values' statuses and estimates taken from
/// `quote` (the answer for the default selection).
pub fn configurator(
    snapshot: &ShopSnapshot,
    index: usize,
    listing: &ProductListing,
    quote: &QuoteView,
) -> ConfiguratorView {
    let product = &snapshot.engine.state.products[index];
    let groups = product
        .catalog
        .groups
        .iter()
        .zip(&quote.options)
        .map(|(g, answers)| GroupView {
            code: g.code.clone(),
            name: g.name.clone(),
            kind: match g.kind {
                GroupKind::Single => GroupKindView::Single,
                GroupKind::Multi => GroupKindView::Multi,
            },
            required: g.required,
            values: g
                .values
                .iter()
                .zip(&answers.values)
                .map(|(v, answer)| ValueView {
                    code: v.code.clone(),
                    label: v.label.clone(),
                    price_delta_minor: v.price_delta.minor(),
                    status: answer.status,
                    frozen_reason: (answer.status == ValueStatusView::Frozen)
                        .then(|| answer.reason.clone())
                        .flatten(),
                    alternative: answer.alternative.clone(),
                    estimate: answer.estimate.clone(),
                })
                .collect(),
        })
        .collect();
    ConfiguratorView {
        product: ProductView {
            slug: product.slug.clone(),
            name: product.name.clone(),
            description: listing.description.clone(),
            preorder: listing.presale,
            base_price_minor: product.catalog.base_price.minor(),
            currency: snapshot.currency.clone(),
        },
        groups,
        default_selection: quote.selection.clone(),
        quote: Some(quote.clone()),
    }
}
