//! The admin's home page: the KPIs with their definitions, weekly trends and the
//! orders or materials behind each; the ABC-XYZ matrix; the inbox's open alerts and the orders at
//! risk. The window and the KPI drilled into are in the URL
//! (`/admin?weeks=12&kpi=perfect_order_rate`), so a view can be linked and reloaded.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::i18n::Locale;
use crate::model::dashboard::{
    ClassCell, Dashboard, Drill, DrillMaterial, Kpi, KpiGroup, KpiKey, KpiUnit, WeekValue,
};
use crate::server_fns::admin::admin_dashboard;

/// The windows offered, in weeks.
const WINDOWS: [u32; 4] = [4, 12, 26, 52];

/// The dashboard, for the URL's window and drill.
#[component]
pub fn DashboardPanel() -> impl IntoView {
    let query = use_query_map();
    let asked = Memo::new(move |_| {
        let q = query.read();
        (
            q.get("weeks").unwrap_or_default(),
            q.get("kpi").unwrap_or_default(),
        )
    });
    let dashboard = Resource::new(move || asked.get(), |(weeks, kpi)| admin_dashboard(weeks, kpi));
    view! {
        <Transition fallback=|| view! { <p>"Loading the dashboard…"</p> }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Ok(d) => view! { <DashboardBody d /> }.into_any(),
                    Err(e) => view! {
                        <p class="error" role="alert" data-field=e.field.clone()>{e.message}</p>
                        <p><a href="/admin">"Show the last 12 weeks"</a></p>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DashboardBody(d: Dashboard) -> impl IntoView {
    let weeks = d.weeks;
    let windows = WINDOWS
        .into_iter()
        .map(|w| {
            let current = (w == weeks).then_some("page");
            view! { <li><a href=format!("/admin?weeks={w}") aria-current=current>{format!("{w} weeks")}</a></li> }
        })
        .collect_view();
    // Erased, so the page's view type stays within the compiler's depth limit.
    let kpis = d
        .kpis
        .into_iter()
        .map(|kpi| {
            let currency = d.currency.clone();
            view! { <KpiCard kpi weeks currency /> }.into_any()
        })
        .collect_view();
    let currency = d.currency.clone();
    let drill_currency = d.currency.clone();
    let drill = d
        .drill
        .map(|drill| view! { <DrillTable drill weeks currency=drill_currency /> }.into_any());
    view! {
        <section class="dashboard" data-weeks=weeks>
            <h2>"Dashboard"</h2>
            <p class="muted">
                {format!("The last {weeks} weeks: {} to {} (today).", d.from, d.today)}
            </p>
            <nav aria-label="Window"><ul class="windows">{windows}</ul></nav>
            <ul class="inbox-counts">
                <li><a href="/admin/alerts" data-open-alerts=d.open_alerts>
                    {format!("{} open {}", d.open_alerts, if d.open_alerts == 1 { "alert" } else { "alerts" })}
                </a></li>
                <li><a href="/admin/orders?at_risk=true" data-orders-at-risk=d.orders_at_risk>
                    {format!("{} {} at risk", d.orders_at_risk, if d.orders_at_risk == 1 { "order" } else { "orders" })}
                </a></li>
            </ul>
            <div class="kpis">{kpis}</div>
            {drill}
            <ClassMatrix cells=d.classes currency />
        </section>
    }
    .into_any()
}

#[component]
fn KpiCard(kpi: Kpi, weeks: u32, currency: String) -> impl IntoView {
    let key = kpi.key;
    let shown = show(key.unit(), kpi.value, &currency);
    let chart = trend(&kpi, &currency);
    let heading_id = format!("kpi-{}", key.as_str());
    let labelled_by = heading_id.clone();
    let (group, behind) = match key.group() {
        KpiGroup::Promises => ("promises", "The orders behind it"),
        KpiGroup::Inventory => ("inventory", "The materials behind it"),
        KpiGroup::Costs => ("costs", "The materials behind it"),
    };
    view! {
        <article class="kpi" data-kpi=key.as_str() data-value=kpi.value.map(|v| format!("{v:.4}")) data-group=group aria-labelledby=labelled_by>
            <h3 id=heading_id>{key.title()}</h3>
            <p class="figure"><strong>{shown}</strong>" "<span class="muted">{kpi.basis.clone()}</span></p>
            {kpi.aside.clone().map(|a| view! { <p class="muted small">{a}</p> })}
            <TrendChart chart />
            <details>
                <summary>"Definition"</summary>
                <p>{key.definition()}</p>
            </details>
            <p><a href=format!("/admin?weeks={weeks}&kpi={}#drill", key.as_str())>{behind}</a></p>
        </article>
    }
    .into_any()
}

/// Width and height of a trend chart's drawing, in its own units.
const WIDTH: f64 = 300.0;
const HEIGHT: f64 = 80.0;
/// Room above the bars for the printed values.
const TOP: f64 = 14.0;

/// A KPI's weekly trend, drawn.
#[derive(Clone, Debug, PartialEq)]
struct Trend {
    /// For the chart's title and description.
    title: String,
    summary: String,
    bars: Vec<TrendBar>,
}

#[derive(Clone, Debug, PartialEq)]
struct TrendBar {
    x: f64,
    width: f64,
    /// Top of the bar; `None` for a week without orders (drawn as a tick).
    y: Option<f64>,
    /// The week's value as printed (above the first and last bars with a value).
    label: Option<String>,
    /// What hovering says.
    title: String,
}

/// `value` in `unit`, money in the shop's `currency`.
fn show(unit: KpiUnit, value: Option<f64>, currency: &str) -> String {
    match (unit, value) {
        (KpiUnit::Money, Some(v)) => Locale::En.price(v.round() as i64, currency, false),
        _ => unit.show(value),
    }
}

fn trend(kpi: &Kpi, currency: &str) -> Trend {
    let unit = kpi.key.unit();
    let top = unit.scale(kpi.weekly.iter().filter_map(|w| w.value));
    let nothing = match kpi.key.group() {
        KpiGroup::Promises => "orders",
        KpiGroup::Inventory => "stock closes",
        KpiGroup::Costs => "closes or charges",
    };
    let n = kpi.weekly.len().max(1) as f64;
    let slot = WIDTH / n;
    let valued: Vec<usize> = (0..kpi.weekly.len())
        .filter(|&i| kpi.weekly[i].value.is_some())
        .collect();
    let printed = [valued.first().copied(), valued.last().copied()];
    let bars = kpi
        .weekly
        .iter()
        .enumerate()
        .map(|(i, week)| {
            let y = week
                .value
                .map(|v| HEIGHT - (v / top).clamp(0.0, 1.0) * (HEIGHT - TOP));
            TrendBar {
                x: i as f64 * slot + slot * 0.15,
                width: slot * 0.7,
                y,
                label: printed
                    .contains(&Some(i))
                    .then(|| show(unit, week.value, currency)),
                title: week_title(week, kpi.key, currency),
            }
        })
        .collect();
    let summary = match (valued.first(), valued.last()) {
        (Some(&first), Some(&last)) if first != last => format!(
            "From {} in the week of {} to {} in the week of {}.",
            show(unit, kpi.weekly[first].value, currency),
            kpi.weekly[first].start,
            show(unit, kpi.weekly[last].value, currency),
            kpi.weekly[last].start
        ),
        (Some(&only), _) => format!(
            "{} in the week of {}; no other week had {nothing} to measure.",
            show(unit, kpi.weekly[only].value, currency),
            kpi.weekly[only].start
        ),
        _ => format!("No week had {nothing} to measure."),
    };
    Trend {
        title: format!("{} week by week", kpi.key.title()),
        summary,
        bars,
    }
}

fn week_title(week: &WeekValue, key: KpiKey, currency: &str) -> String {
    match week.value {
        Some(_) => format!(
            "Week of {}: {} over {}",
            week.start,
            show(key.unit(), week.value, currency),
            key.counted(week.count)
        ),
        None => format!("Week of {}: nothing to measure", week.start),
    }
}

#[component]
fn TrendChart(chart: Trend) -> impl IntoView {
    let bars = chart
        .bars
        .into_iter()
        .map(|bar| {
            let shape = match bar.y {
                Some(y) => view! {
                    <rect class="bar" x=fmt(bar.x) y=fmt(y) width=fmt(bar.width) height=fmt(HEIGHT - y) />
                }
                .into_any(),
                None => view! {
                    <rect class="empty" x=fmt(bar.x) y=fmt(HEIGHT - 1.5) width=fmt(bar.width) height="1.5" />
                }
                .into_any(),
            };
            let label = bar.label.map(|text| {
                let y = bar.y.unwrap_or(HEIGHT) - 3.0;
                view! { <text x=fmt(bar.x + bar.width / 2.0) y=fmt(y) text-anchor="middle">{text}</text> }
            });
            view! { <g class="week"><title>{bar.title}</title>{shape}{label}</g> }
        })
        .collect_view();
    view! {
        <svg class="trend" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img">
            <title>{chart.title}</title>
            <line class="axis" x1="0" y1=fmt(HEIGHT) x2=fmt(WIDTH) y2=fmt(HEIGHT) />
            {bars}
        </svg>
        // The sentence a reader of the drawing would say, readable without hovering.
        <p class="muted small trend-summary">{chart.summary}</p>
    }
    .into_any()
}

#[component]
fn DrillTable(drill: Drill, weeks: u32, currency: String) -> impl IntoView {
    if drill.key.group() != KpiGroup::Promises {
        return view! { <MaterialDrill drill weeks currency /> }.into_any();
    }
    let key = drill.key;
    let shown = drill.orders.len();
    let rows = drill
        .orders
        .into_iter()
        .map(|o| {
            let reference = o.reference.clone();
            view! {
                <tr data-order=reference class:missed=o.missed>
                    <td>{o.reference}</td>
                    <td>{o.product}</td>
                    <td>{o.p50.to_string()}</td>
                    <td>{o.p90.to_string()}</td>
                    <td>{o.promised.to_string()}</td>
                    <td>{o.delivered.map(|d| d.to_string()).unwrap_or_else(|| "–".into())}</td>
                    <td>{o.outcome}</td>
                </tr>
            }
        })
        .collect_view();
    let count = if shown < drill.total as usize {
        format!(
            "The {shown} of {} orders furthest off, those against it first.",
            drill.total
        )
    } else {
        format!("{} orders, those against it first.", drill.total)
    };
    view! {
        <section id="drill" class="drill" data-drill=key.as_str()>
            <h3>{format!("Behind “{}”", key.title())}</h3>
            <p class="muted">{count}" "<a href=format!("/admin?weeks={weeks}")>"Close"</a></p>
            <div class="scroll"><table class="grid">
                <thead><tr>
                    <th scope="col">"Order"</th><th scope="col">"Product"</th><th scope="col">"P50"</th>
                    <th scope="col">"P90"</th><th scope="col">"Promised"</th><th scope="col">"Delivered"</th>
                    <th scope="col">"Outcome"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        </section>
    }
    .into_any()
}

/// The materials behind an inventory KPI at today's close.
#[component]
fn MaterialDrill(drill: Drill, weeks: u32, currency: String) -> impl IntoView {
    let key = drill.key;
    let shown = drill.materials.len();
    let rows = drill
        .materials
        .into_iter()
        .map(|m: DrillMaterial| {
            let sku = m.sku.clone();
            let search = format!("/admin/materials?search={}", query_value(&m.sku));
            let coverage = match (key.group(), m.coverage_days) {
                (KpiGroup::Costs, _) => "–".to_string(),
                (_, None) => "never used".to_string(),
                (_, Some(d)) => format!("{d:.0} days"),
            };
            view! {
                <tr data-material=sku class:missed=m.missed>
                    <td><a href=search>{m.sku}</a></td>
                    <td>{m.name}</td>
                    <td class="num">{m.on_hand}</td>
                    <td class="num">{Locale::En.price(m.value_minor, &currency, false)}</td>
                    <td class="num">{coverage}</td>
                    <td>{m.outcome}</td>
                </tr>
            }
        })
        .collect_view();
    let which = match key {
        KpiKey::DemandSensing => {
            "materials whose demand changed or whose policy moved without it in the window"
        }
        KpiKey::ResilienceCost => "materials with a cost in the window",
        _ => "materials with stock at today's close",
    };
    let count = if shown < drill.total as usize {
        format!(
            "The {shown} of {} {which} most at stake, those against it first.",
            drill.total
        )
    } else {
        format!("{} {which}, those against it first.", drill.total)
    };
    view! {
        <section id="drill" class="drill" data-drill=key.as_str()>
            <h3>{format!("Behind “{}”", key.title())}</h3>
            <p class="muted">{count}" "<a href=format!("/admin?weeks={weeks}")>"Close"</a></p>
            <div class="scroll"><table class="grid">
                <thead><tr>
                    <th scope="col">"Material"</th><th scope="col">"Name"</th><th scope="col">"On hand"</th>
                    <th scope="col">"Value at cost"</th><th scope="col">"Coverage"</th><th scope="col">"Outcome"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        </section>
    }
    .into_any()
}

#[component]
fn ClassMatrix(cells: Vec<ClassCell>, currency: String) -> impl IntoView {
    if cells.is_empty() {
        return view! {
            <section class="classes">
                <h3>"ABC-XYZ matrix"</h3>
                <p class="muted">"No policies yet: recompute them on the "<a href="/admin/policies">"Policies"</a>" page."</p>
            </section>
        }
        .into_any();
    }
    let cell = move |abc: &str, xyz: &str| {
        let c = cells.iter().find(|c| c.abc == abc && c.xyz == xyz).cloned();
        let (materials, value) = c.map_or((0, 0), |c| (c.materials, c.value_minor));
        let class = format!("{abc}{xyz}");
        view! {
            <td data-class=class.clone() data-materials=materials>
                <a href=format!("/admin/materials?class={class}")>
                    {format!("{materials} {}", if materials == 1 { "material" } else { "materials" })}
                </a>
                <br/><span class="muted small">{Locale::En.price(value, &currency, false)}</span>
            </td>
        }
    };
    let rows = ["A", "B", "C"]
        .into_iter()
        .map(|abc| {
            view! {
                <tr>
                    <th scope="row">{abc}</th>
                    {cell(abc, "X")}{cell(abc, "Y")}{cell(abc, "Z")}
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="classes">
            <h3>"ABC-XYZ matrix"</h3>
            <p class="muted">"Materials by share of the yearly consumption value (A, B, C) and by how much their demand varies (X steady, Y varying, Z erratic), with their stock's value at cost."</p>
            <div class="scroll"><table class="grid matrix">
                <thead><tr><td></td><th scope="col">"X"</th><th scope="col">"Y"</th><th scope="col">"Z"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        </section>
    }
    .into_any()
}

/// `text` as a URL query value: unreserved characters as they are, the rest
/// percent-encoded byte by byte.
fn query_value(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A coordinate with one decimal.
fn fmt(value: f64) -> String {
    format!("{value:.1}")
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::model::dashboard::KpiKey;

    fn week(day: u32, value: Option<f64>, orders: u32) -> WeekValue {
        WeekValue {
            start: NaiveDate::from_ymd_opt(2026, 3, day).unwrap(),
            value,
            count: orders,
        }
    }

    fn kpi(key: KpiKey, weekly: Vec<WeekValue>) -> Kpi {
        Kpi {
            key,
            value: None,
            basis: String::new(),
            aside: None,
            weekly,
        }
    }

    #[test]
    fn bars_scale_to_a_share_and_print_the_first_and_last_values() {
        let t = trend(
            &kpi(
                KpiKey::PerfectOrderRate,
                vec![week(2, Some(0.5), 4), week(9, None, 0), week(16, Some(1.0), 2)],
            ),
            "EUR",
        );
        assert_eq!(t.bars.len(), 3);
        // A full share reaches the top margin, half of it half way.
        assert_eq!(t.bars[2].y, Some(TOP));
        assert_eq!(t.bars[0].y, Some(HEIGHT - 0.5 * (HEIGHT - TOP)));
        assert_eq!(t.bars[1].y, None);
        assert_eq!(t.bars[0].label.as_deref(), Some("50.0 %"));
        assert_eq!(t.bars[1].label, None);
        assert_eq!(t.bars[2].label.as_deref(), Some("100.0 %"));
        assert_eq!(t.bars[1].title, "Week of 2026-03-09: nothing to measure");
        assert_eq!(t.bars[2].title, "Week of 2026-03-16: 100.0 % over 2 orders");
        assert_eq!(
            t.summary,
            "From 50.0 % in the week of 2026-03-02 to 100.0 % in the week of 2026-03-16."
        );
    }

    #[test]
    fn a_sku_is_a_safe_query_value() {
        assert_eq!(query_value("LIN-nat_2.5"), "LIN-nat_2.5");
        assert_eq!(query_value("a b&c/é"), "a%20b%26c%2F%C3%A9");
    }

    #[test]
    fn days_scale_to_the_longest_week() {
        let t = trend(
            &kpi(
                KpiKey::P50ErrorDays,
                vec![week(2, Some(4.0), 3), week(9, Some(2.0), 3)],
            ),
            "EUR",
        );
        assert_eq!(t.bars[0].y, Some(TOP));
        assert_eq!(t.bars[1].y, Some(HEIGHT - 0.5 * (HEIGHT - TOP)));
        let none = trend(&kpi(KpiKey::ByP90, vec![week(2, None, 0)]), "EUR");
        assert_eq!(none.summary, "No week had orders to measure.");
    }
}
