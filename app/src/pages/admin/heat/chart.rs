//! An option group's heat as an inline SVG drawn in Rust: one row per value, a bar for
//! its selections and one for the add-to-carts containing it, each with its number
//! printed beside it and the value's add-to-cart rate at the end of the row, so the
//! chart reads without hovering. Every bar also has a `<title>`, the chart an
//! accessible name and description, and the same figures are in the table below it.

use leptos::prelude::*;

use crate::model::analytics::{GroupFunnel, ValueFunnel};

use super::{percent, plural};

/// The drawing's width in its own units (the SVG scales to the card's width).
const WIDTH: f64 = 760.0;
/// The value labels' column, right-aligned against the bars.
const LABELS: f64 = 170.0;
/// The add-to-cart rate's column at the right.
const RATES: f64 = 110.0;
/// Room after the longest bar for its printed number.
const NUMBER_ROOM: f64 = 120.0;
/// The headings' row.
const TOP: f64 = 22.0;
/// One value's row: two bars and the gap around them.
const ROW: f64 = 34.0;
const BAR: f64 = 12.0;
const BOTTOM: f64 = 6.0;
/// Value labels longer than this are cut short (the title and the table have them whole).
const LABEL_CHARS: usize = 26;
/// The legend: each bar's class and what it counts.
pub(super) const LEGEND: [(&str, &str); 2] = [
    ("selections", "Selections of the value"),
    ("carts", "Add-to-carts containing it"),
];

/// The chart's geometry, computed from the figures alone (tested without a browser).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Chart {
    /// The drawing's height: the headings and one row per value.
    pub height: f64,
    /// The count a full-length bar stands for.
    pub scale_max: u64,
    /// One row per value, in catalog order.
    pub rows: Vec<Row>,
}

/// One value's row.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Row {
    /// The value's code.
    pub value: String,
    /// Its label as drawn (cut short when long).
    pub label: String,
    /// The middle of the row.
    pub middle: f64,
    /// Its selections.
    pub selections: Bar,
    /// The add-to-carts containing it.
    pub carts: Bar,
    /// The add-to-cart rate as printed (`15.0 %`, `—` without selections).
    pub rate: String,
}

/// A horizontal bar with its number printed after it.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Bar {
    /// The count.
    pub count: u64,
    /// Top edge.
    pub y: f64,
    /// Length (a count above 0 is never drawn shorter than 2 units).
    pub width: f64,
    /// The printed number (`120 selections`).
    pub text: String,
    /// What the bar's `<title>` says.
    pub title: String,
}

/// The geometry of `group`'s chart.
pub(super) fn chart(group: &GroupFunnel) -> Chart {
    let scale_max = group
        .values
        .iter()
        .map(|v| v.selections.max(v.add_to_cart))
        .max()
        .unwrap_or(0)
        .max(1);
    let room = WIDTH - LABELS - RATES - NUMBER_ROOM;
    let length = |count: u64| {
        if count == 0 {
            0.0
        } else {
            (room * count as f64 / scale_max as f64).max(2.0)
        }
    };
    let rows = group
        .values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let top = TOP + ROW * i as f64;
            let bar = |count: u64, y: f64, text: String, title: String| Bar {
                count,
                y,
                width: length(count),
                text,
                title,
            };
            Row {
                value: v.value.clone(),
                label: short_label(&v.label),
                middle: top + ROW / 2.0,
                selections: bar(
                    v.selections,
                    top + (ROW / 2.0 - BAR - 1.0),
                    plural(v.selections, "selection", "selections"),
                    selections_title(v),
                ),
                carts: bar(
                    v.add_to_cart,
                    top + ROW / 2.0 + 1.0,
                    plural(v.add_to_cart, "add-to-cart", "add-to-carts"),
                    carts_title(v),
                ),
                rate: percent(v.add_to_cart_rate),
            }
        })
        .collect::<Vec<_>>();
    Chart {
        height: TOP + ROW * rows.len() as f64 + BOTTOM,
        scale_max,
        rows,
    }
}

fn short_label(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        label.to_string()
    } else {
        let cut: String = label.chars().take(LABEL_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// `Navy canvas: 120 selections, 40.0 % of the group's`.
fn selections_title(v: &ValueFunnel) -> String {
    let count = plural(v.selections, "selection", "selections");
    match v.share_of_selections {
        Some(share) => format!("{}: {count}, {} of the group's", v.label, percent(Some(share))),
        None => format!("{}: {count}", v.label),
    }
}

/// `Navy canvas: 18 add-to-carts, 15.0 % of its selections`.
fn carts_title(v: &ValueFunnel) -> String {
    let count = plural(v.add_to_cart, "add-to-cart", "add-to-carts");
    match v.add_to_cart_rate {
        Some(rate) => format!("{}: {count}, {} of its selections", v.label, percent(Some(rate))),
        None => format!("{}: {count}, no selections to compare with", v.label),
    }
}

/// The group in one sentence, for the chart's description.
pub(super) fn summary(group: &GroupFunnel) -> String {
    let most_chosen = group
        .values
        .iter()
        .filter(|v| v.selections > 0)
        .max_by_key(|v| v.selections);
    let Some(most_chosen) = most_chosen else {
        return "No selections in this window.".to_string();
    };
    let mut text = format!(
        "Most selected: {} ({}).",
        most_chosen.label, most_chosen.selections
    );
    let hottest = group
        .values
        .iter()
        .filter_map(|v| v.add_to_cart_rate.map(|r| (v, r)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    if let Some((value, rate)) = hottest {
        text.push_str(&format!(
            " Highest add-to-cart rate: {} ({}).",
            value.label,
            percent(Some(rate))
        ));
    }
    text
}

/// The chart of one option group's heat and its legend.
#[component]
pub(super) fn HeatChart(
    product: String,
    product_name: String,
    group: GroupFunnel,
    period: String,
) -> impl IntoView {
    let Chart { height, rows, .. } = chart(&group);
    let id = format!("{product}-{}", group.group);
    let (title_id, desc_id) = (format!("heat-title-{id}"), format!("heat-desc-{id}"));
    let labelled_by = format!("{title_id} {desc_id}");
    let heading = format!(
        "{} of {product_name}: selections and add-to-carts per value, {period}",
        group.name
    );
    let rows = rows.into_iter().map(row).collect_view();
    let legend = LEGEND
        .iter()
        .map(|(class, label)| {
            view! { <span class="entry"><span class=format!("swatch {class}") aria-hidden="true"></span>{*label}</span> }
        })
        .collect_view();
    view! {
        <figure class="heat">
            <svg class="heat-chart" data-group=group.group.clone() viewBox=format!("0 0 {WIDTH} {height:.1}")
                role="img" aria-labelledby=labelled_by>
                <title id=title_id>{heading}</title>
                <desc id=desc_id>{summary(&group)}</desc>
                <g class="headings">
                    <text x=fmt(LABELS - 8.0) y="12" text-anchor="end">"Value"</text>
                    <text x=fmt(LABELS) y="12">"Selections and add-to-carts"</text>
                    <text x=fmt(WIDTH - 4.0) y="12" text-anchor="end">"Add-to-cart rate"</text>
                </g>
                {rows}
            </svg>
            <figcaption class="legend">{legend}</figcaption>
        </figure>
    }
    .into_any()
}

fn row(row: Row) -> impl IntoView {
    let Row {
        value,
        label,
        middle,
        selections,
        carts,
        rate,
    } = row;
    let (chosen, carted, printed) = (
        selections.count.to_string(),
        carts.count.to_string(),
        rate.clone(),
    );
    view! {
        <g class="value" data-value=value data-selections=chosen data-add-to-cart=carted data-rate=printed>
            <text class="label" x=fmt(LABELS - 8.0) y=fmt(middle + 4.0) text-anchor="end">{label}</text>
            {bar(selections, "selections")}
            {bar(carts, "carts")}
            <text class="rate" x=fmt(WIDTH - 4.0) y=fmt(middle + 4.0) text-anchor="end">{rate}</text>
        </g>
    }
}

fn bar(bar: Bar, class: &'static str) -> impl IntoView + use<> {
    let Bar {
        y,
        width,
        text,
        title,
        ..
    } = bar;
    view! {
        <g class=format!("bar {class}")>
            <title>{title}</title>
            <rect class=class x=fmt(LABELS) y=fmt(y) width=fmt(width) height=fmt(BAR) />
            <text class="count" x=fmt(LABELS + width + 4.0) y=fmt(y + BAR - 2.0)>{text}</text>
        </g>
    }
}

/// A coordinate with one decimal: plenty at this size, and short markup.
fn fmt(value: f64) -> String {
    format!("{value:.1}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::analytics::{add_to_cart_rate, rate};

    fn group(values: &[(&str, u64, u64)]) -> GroupFunnel {
        let total: u64 = values.iter().map(|v| v.1).sum();
        GroupFunnel {
            group: "fabric".into(),
            name: "Fabric".into(),
            values: values
                .iter()
                .map(|&(label, selections, add_to_cart)| ValueFunnel {
                    value: label.to_lowercase().replace(' ', "-"),
                    label: label.into(),
                    selections,
                    favorites: 0,
                    add_to_cart,
                    preorders: 0,
                    purchases: 0,
                    add_to_cart_rate: add_to_cart_rate(add_to_cart, selections),
                    share_of_selections: rate(selections, total),
                })
                .collect(),
        }
    }

    #[test]
    fn bars_are_proportional_to_the_largest_count_of_the_group() {
        let c = chart(&group(&[("Navy canvas", 120, 18), ("Sand canvas", 60, 6)]));
        assert_eq!(c.scale_max, 120);
        let full = WIDTH - LABELS - RATES - NUMBER_ROOM;
        assert!((c.rows[0].selections.width - full).abs() < 1e-9);
        assert!((c.rows[1].selections.width - full / 2.0).abs() < 1e-9);
        assert!((c.rows[0].carts.width - full * 18.0 / 120.0).abs() < 1e-9);
        // The selections bar sits above the carts bar, both inside the row.
        let r = &c.rows[1];
        assert!(r.selections.y + BAR < r.carts.y);
        assert!(r.selections.y > TOP + ROW && r.carts.y + BAR < TOP + 2.0 * ROW);
        assert!((c.height - (TOP + 2.0 * ROW + BOTTOM)).abs() < 1e-9);
    }

    #[test]
    fn numbers_and_the_rate_are_printed_for_every_value() {
        let c = chart(&group(&[("Navy canvas", 120, 18), ("Lagoon blue canvas", 1, 1)]));
        assert_eq!(c.rows[0].selections.text, "120 selections");
        assert_eq!(c.rows[0].carts.text, "18 add-to-carts");
        assert_eq!(c.rows[0].rate, "15.0 %");
        assert_eq!(c.rows[1].selections.text, "1 selection");
        assert_eq!(c.rows[1].carts.text, "1 add-to-cart");
        assert_eq!(c.rows[1].rate, "100.0 %");
        assert_eq!(
            c.rows[0].carts.title,
            "Navy canvas: 18 add-to-carts, 15.0 % of its selections"
        );
        assert!(
            c.rows[0].selections.title.ends_with("of the group's"),
            "{}",
            c.rows[0].selections.title
        );
    }

    #[test]
    fn a_quiet_value_has_no_bar_and_no_rate_and_small_counts_stay_visible() {
        let c = chart(&group(&[
            ("Navy canvas", 10_000, 0),
            ("Indigo linen", 0, 0),
            ("Sand canvas", 1, 0),
        ]));
        assert_eq!(c.rows[1].selections.width, 0.0);
        assert_eq!(c.rows[1].rate, "—");
        assert_eq!(c.rows[1].selections.text, "0 selections");
        assert_eq!(c.rows[2].selections.width, 2.0);
        assert_eq!(chart(&group(&[("Navy canvas", 0, 0)])).scale_max, 1);
    }

    #[test]
    fn long_labels_are_cut_short_in_the_drawing_only() {
        let c = chart(&group(&[("Extra long waxed heritage cotton canvas", 3, 1)]));
        assert_eq!(c.rows[0].label, "Extra long waxed heritage…");
        assert!(
            c.rows[0]
                .carts
                .title
                .starts_with("Extra long waxed heritage cotton canvas:")
        );
    }

    #[test]
    fn the_summary_names_the_most_chosen_and_the_hottest_value() {
        let g = group(&[("Navy canvas", 120, 18), ("Lagoon blue canvas", 20, 9)]);
        assert_eq!(
            summary(&g),
            "Most selected: Navy canvas (120). Highest add-to-cart rate: Lagoon blue canvas (45.0 %)."
        );
        assert_eq!(
            summary(&group(&[("Navy canvas", 0, 0)])),
            "No selections in this window."
        );
    }
}
