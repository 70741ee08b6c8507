//! `/admin/heat`: presale heat over a window of shop days. The window and product live
//! in the URL (a plain GET form, so a view can be bookmarked and works before the wasm
//! loads). Per product: the funnel (counts and rates), the trend of add-to-carts and
//! preorders, and per option group a heat chart with the same figures as a table.

mod chart;

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::calendar::long_day;
use super::forms::{FieldError, invalid};
use crate::model::analytics::{
    FunnelReport, GroupFunnel, HeatWindow, ProductFunnel, ProductTrend, TrendReport, TrendView,
};
use crate::server_fns::admin::{AdminError, HeatView, admin_heat};

/// A rate as a percentage with one decimal, `—` when there is none.
pub(super) fn percent(rate: Option<f64>) -> String {
    match rate {
        Some(rate) => format!("{:.1} %", rate * 100.0),
        None => "—".to_string(),
    }
}

/// `1 selection`, `12 selections`.
pub(super) fn plural(count: u64, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// `/admin/heat?from=2026-11-01&to=2026-11-25&product=weekender-bag`.
#[component]
pub fn HeatPage() -> impl IntoView {
    let query = use_query_map();
    let asked = move || {
        let q = query.read();
        let text = |name: &str| q.get(name).unwrap_or_default();
        (text("from"), text("to"), text("product"))
    };
    let heat = Resource::new(asked, |(from, to, product)| admin_heat(from, to, product));
    view! {
        <Title text="Heat · c2m admin" />
        <h2>"Heat"</h2>
        <p class="muted">
            "What shoppers do before they buy: views, options picked, favorites, add-to-carts, preorders and \
             purchases, per product and per option value, counted by the shop's days."
        </p>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match heat.await {
                    Ok(view) => view! { <HeatBody view asked=asked_untracked(query) /> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The window as typed in the URL, for the form when it was refused.
fn asked_untracked(query: Memo<leptos_router::params::ParamsMap>) -> (String, String) {
    let q = query.read_untracked();
    (q.get("from").unwrap_or_default(), q.get("to").unwrap_or_default())
}

#[component]
fn HeatBody(view: HeatView, asked: (String, String)) -> impl IntoView {
    let HeatView {
        choices,
        product,
        report,
    } = view;
    match report {
        Ok(report) => {
            let window = report.funnel.window;
            view! {
                <WindowForm from=window.from.to_string() to=window.to.to_string() product choices refusal=None />
                <Report funnel=report.funnel trend=report.trend />
            }
            .into_any()
        }
        Err(refusal) => view! {
            <WindowForm from=asked.0 to=asked.1 product choices refusal=Some(refusal) />
        }
        .into_any(),
    }
}

/// The window and product, as a GET form: the URL it opens is the view.
#[component]
fn WindowForm(
    from: String,
    to: String,
    product: Option<String>,
    choices: Vec<(String, String)>,
    refusal: Option<AdminError>,
) -> impl IntoView {
    let error = Signal::stored(refusal);
    let product = product.unwrap_or_default();
    let options = choices
        .into_iter()
        .map(|(slug, name)| {
            let selected = slug == product;
            view! { <option value=slug selected=selected>{name}</option> }
        })
        .collect_view();
    view! {
        <Form method="GET" action="" attr:class="filters" attr:data-form="heat-window" attr:role="search">
            <label>"From"
                <input type="date" name="from" value=from aria-invalid=invalid(error, "from") />
            </label>
            <label>"To"
                <input type="date" name="to" value=to aria-invalid=invalid(error, "to") />
            </label>
            <label>"Product"
                <select name="product" aria-invalid=invalid(error, "product")>
                    <option value="" selected=product.is_empty()>"All products"</option>
                    {options}
                </select>
            </label>
            <button type="submit">"Show"</button>
        </Form>
        <FieldError error field="from" />
        <FieldError error field="to" />
        <FieldError error field="product" />
    }
    .into_any()
}

#[component]
fn Report(funnel: FunnelReport, trend: TrendReport) -> impl IntoView {
    let FunnelReport { window, products } = funnel;
    let period = period(window);
    let (trend_days, trend_to) = (trend.window.days(), trend.window.to);
    let mut trends: HashMap<String, ProductTrend> = trend
        .products
        .into_iter()
        .map(|t| (t.product.clone(), t))
        .collect();
    let intro = format!(
        "{period} ({} days). Trends compare the last 7 days of add-to-carts and preorders with the last 28, \
         over the {trend_days} days to {}.",
        window.days(),
        long_day(trend_to)
    );
    let cards = products
        .into_iter()
        .map(|funnel| {
            let trend = trends.remove(&funnel.product);
            view! { <ProductCard funnel trend period=period.clone() /> }
        })
        .collect_view();
    view! {
        <p class="muted" data-window=format!("{}/{}", window.from, window.to)>{intro}</p>
        {cards}
    }
    .into_any()
}

/// `27 Oct 2026 – 25 Nov 2026`.
fn period(window: HeatWindow) -> String {
    format!(
        "{} – {}",
        window.from.format("%-d %b %Y"),
        window.to.format("%-d %b %Y")
    )
}

#[component]
fn ProductCard(funnel: ProductFunnel, trend: Option<ProductTrend>, period: String) -> impl IntoView {
    let ProductFunnel {
        product,
        name,
        counts,
        rates,
        groups,
    } = funnel;
    let (value_trends, product_trend) = match trend {
        Some(t) => (
            t.values
                .into_iter()
                .map(|v| ((v.group, v.value), v.trend))
                .collect::<HashMap<_, _>>(),
            Some(t.trend),
        ),
        None => (HashMap::new(), None),
    };
    let rows = [
        ("view", "Views", counts.views, None),
        (
            "option_select",
            "Options picked",
            counts.selections,
            Some(rates.selections_per_view),
        ),
        (
            "favorite",
            "Favorites",
            counts.favorites,
            Some(rates.favorites_per_view),
        ),
        (
            "add_to_cart",
            "Add-to-carts",
            counts.add_to_cart,
            Some(rates.add_to_cart_per_view),
        ),
        (
            "preorder",
            "Preorders",
            counts.preorders,
            Some(rates.preorders_per_view),
        ),
        (
            "purchase",
            "Purchases",
            counts.purchases,
            Some(rates.purchases_per_view),
        ),
    ]
    .into_iter()
    .map(|(kind, label, count, rate)| {
        view! {
            <tr data-kind=kind>
                <th scope="row">{label}</th>
                <td class="num">{count}</td>
                <td class="num">{rate.map(percent).unwrap_or_default()}</td>
            </tr>
        }
    })
    .collect_view();
    let charts = groups
        .into_iter()
        .map(|group| {
            let trends: HashMap<String, TrendView> = value_trends
                .iter()
                .filter(|((g, _), _)| *g == group.group)
                .map(|((_, v), t)| (v.clone(), t.clone()))
                .collect();
            view! {
                <GroupHeat product=product.clone() product_name=name.clone() group trends period=period.clone() />
            }
        })
        .collect_view();
    let (card_product, label, heading) = (product.clone(), name.clone(), name.clone());
    view! {
        <section class="card heat-product" data-product=card_product aria-label=label>
            <h3>{heading}</h3>
            {product_trend.map(|t| view! { <p class="trend" data-direction=t.direction.words()>{trend_sentence(&t)}</p> })}
            <table class="grid funnel" data-product=product>
                <caption class="muted">{format!("Funnel of {name}, {period}")}</caption>
                <thead><tr>
                    <th scope="col">"Step"</th><th scope="col" class="num">"Events"</th>
                    <th scope="col" class="num">"Per view"</th>
                </tr></thead>
                <tbody>
                    {rows}
                    <tr data-kind="purchase_per_cart">
                        <th scope="row">"Purchases and preorders per add-to-cart"</th>
                        <td class="num">{counts.purchases + counts.preorders}</td>
                        <td class="num">{percent(rates.purchase_per_cart)}</td>
                    </tr>
                </tbody>
            </table>
            {charts}
        </section>
    }
    .into_any()
}

/// `Add-to-carts and preorders are rising: 3.3 a day over the last week against 1.9 over four weeks.`
fn trend_sentence(t: &TrendView) -> String {
    match t.ratio {
        None => "No add-to-carts or preorders in the trend's days: steady.".to_string(),
        Some(ratio) => format!(
            "Add-to-carts and preorders are {}: {:.1} a day over the last week against {:.1} over four weeks (×{ratio:.2}).",
            t.direction.words(),
            t.short,
            t.long
        ),
    }
}

/// One group's chart and the same figures, with the rest of each value's funnel, as a
/// table.
#[component]
fn GroupHeat(
    product: String,
    product_name: String,
    group: GroupFunnel,
    trends: HashMap<String, TrendView>,
    period: String,
) -> impl IntoView {
    let (heading, code) = (group.name.clone(), group.group.clone());
    let table_group = group.clone();
    view! {
        <div class="heat-group" data-group=code>
            <h4>{heading}</h4>
            <chart::HeatChart product product_name group period />
            <GroupTable group=table_group trends />
        </div>
    }
    .into_any()
}

#[component]
fn GroupTable(group: GroupFunnel, trends: HashMap<String, TrendView>) -> impl IntoView {
    let rows = group
        .values
        .into_iter()
        .map(|v| {
            let direction = trends
                .get(&v.value)
                .map(|t| t.direction.words())
                .unwrap_or_default();
            view! {
                <tr data-value=v.value.clone()>
                    <th scope="row">{v.label}</th>
                    <td class="num">{v.selections}</td>
                    <td class="num">{percent(v.share_of_selections)}</td>
                    <td class="num">{v.add_to_cart}</td>
                    <td class="num">{percent(v.add_to_cart_rate)}</td>
                    <td class="num">{v.favorites}</td>
                    <td class="num">{v.preorders}</td>
                    <td class="num">{v.purchases}</td>
                    <td>{direction}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="grid heat-values" data-group=group.group>
            <thead><tr>
                <th scope="col">"Value"</th>
                <th scope="col" class="num">"Selections"</th>
                <th scope="col" class="num">"Share of group"</th>
                <th scope="col" class="num">"Add-to-carts"</th>
                <th scope="col" class="num">"Add-to-cart rate"</th>
                <th scope="col" class="num">"Favorites"</th>
                <th scope="col" class="num">"Preorders"</th>
                <th scope="col" class="num">"Purchases"</th>
                <th scope="col">"Trend"</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::analytics::TrendDirection;

    #[test]
    fn rates_read_as_percentages_and_missing_ones_as_a_dash() {
        assert_eq!(percent(Some(0.15)), "15.0 %");
        assert_eq!(percent(Some(1.0 / 3.0)), "33.3 %");
        assert_eq!(percent(None), "—");
        assert_eq!(plural(1, "selection", "selections"), "1 selection");
        assert_eq!(plural(0, "selection", "selections"), "0 selections");
    }

    #[test]
    fn the_trend_is_said_in_words() {
        let t = TrendView {
            series: vec![],
            short: 3.3,
            long: 1.9,
            ratio: Some(3.3 / 1.9),
            direction: TrendDirection::Rising,
        };
        assert_eq!(
            trend_sentence(&t),
            "Add-to-carts and preorders are rising: 3.3 a day over the last week against 1.9 over four weeks (×1.74)."
        );
    }
}
