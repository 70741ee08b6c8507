//! Why a material's policy is what it is: the demand it came from and each formula
//! with its numbers (docs/policies.md states them with their sources).

use leptos::prelude::*;

use super::{num, percent};
use crate::model::policies::{ForecastWhy, PolicyRow};

/// The factor a stock level applies to safety stock (PRODUCT.md: 0.5×, 1×, 1.5×).
fn level_factor(level: &str) -> f64 {
    match level {
        "low" => 0.5,
        "high" => 1.5,
        _ => 1.0,
    }
}

/// A forecasting method's name as docs/policies.md writes it.
fn method_name(method: &str) -> &str {
    match method {
        "ses" => "SES",
        "ses_fitted" => "SES with a fitted α",
        "croston" => "Croston",
        "croston_fitted" => "Croston with fitted constants",
        "sba" => "SBA (Syntetos–Boylan)",
        "tsb" => "TSB (Teunter–Syntetos–Babai)",
        "adida" => "ADIDA",
        "imapa" => "IMAPA",
        other => other,
    }
}

/// "Why this forecast": how the method was chosen, with every candidate's backtest
/// error.
fn why_this_forecast(why: &ForecastWhy, unit: &str) -> AnyView {
    let how = match why.reason.as_str() {
        "obsolescent" => "TSB, kept for a material whose products are in decline: it lowers its forecast \
                          through days without demand, which no backtest on the past can show coming."
            .to_string(),
        "short_history" => "Too little history for a backtest: the method of its demand pattern.".to_string(),
        _ => format!(
            "Chosen by a rolling-origin backtest on its own history: {} origins, each forecast scored over the \
             next {} days; lowest error (RMSSE, scaled by the day-to-day changes of the history) wins{}.",
            why.origins,
            why.horizon_days,
            why.error.map(|e| format!(": {e:.3}")).unwrap_or_default()
        ),
    };
    let constants = (!why.constants.is_empty()).then(|| format!("Constants: {}.", why.constants));
    let rows = why
        .candidates
        .iter()
        .map(|c| {
            view! {
                <tr>
                    <td>{method_name(&c.method).to_string()}</td>
                    <td class="num">{format!("{:.3}", c.error)}</td>
                    <td class="num">{format!("{} {unit}/day", q(c.forecast))}</td>
                </tr>
            }
        })
        .collect_view();
    let table = (!why.candidates.is_empty()).then(|| {
        view! {
            <table class="forecast-candidates">
                <caption>"Backtest of each candidate"</caption>
                <thead><tr><th scope="col">"Method"</th><th scope="col">"RMSSE"</th><th scope="col">"Forecast"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
    });
    view! {
        <div class="why-forecast" data-why="forecast">
            <p>{how}</p>
            {constants.map(|c| view! { <p>{c}</p> })}
            {table}
        </div>
    }
    .into_any()
}

/// A quantity with three decimals.
fn q(x: f64) -> String {
    format!("{x:.3}")
}

/// The explanation of `row`, as a list of sentences and formulas.
pub(super) fn explain(row: &PolicyRow) -> AnyView {
    let unit = row.unit.clone();
    let d = row.forecast;
    let sd = row.d_sd;
    let (lt, sd_lt) = row.lead_time.unwrap_or((0.0, 0.0));
    let f = level_factor(&row.stock_level);
    let z = row.z;
    let ss = f * z * (lt * sd * sd + d * d * sd_lt * sd_lt).sqrt();
    let rop = d * lt + ss;
    let out = d * (lt + f64::from(row.review_days)) + ss;

    let demand = format!(
        "Demand over the history: {} {unit} from orders (bills of materials of what was ordered) and {} {unit} \
         from presale heat (add-to-carts and preorders × the conversion factor).",
        num(row.from_orders),
        num(row.from_heat)
    );
    let forecast = match &row.method {
        Some(method) => format!(
            "Pattern: {} → forecast by {}: d̄ = {} {unit}/day; σd = {} (sample standard deviation of the daily demand).",
            row.demand_class.replace('_', " "),
            method_name(method),
            q(d),
            q(sd)
        ),
        None => "No demand in the history: nothing to forecast, d̄ = 0.".to_string(),
    };
    let lead = match row.lead_time {
        Some(_) => format!(
            "Lead time of the fastest active supplier: LT = {} days, σLT = {} days.",
            num(lt),
            num(sd_lt)
        ),
        None => "No active supplier: nothing can be ordered, so the lead time counts as 0.".to_string(),
    };
    let class = format!(
        "Class {}{}: service level {} → z = Φ⁻¹({}) = {:.3}; review every {} days; stock level {} (×{}){}.",
        row.abc,
        row.xyz,
        percent(row.service_level),
        row.service_level,
        z,
        row.review_days,
        row.stock_level,
        num(f),
        if row.stock_level_overridden {
            ", set by the merchant or an accepted suggestion"
        } else {
            ", the class's"
        }
    );
    let ss_line = format!(
        "SS = level · z · √(LT·σd² + d̄²·σLT²) = {} · {:.3} · √({}·{}² + {}²·{}²) = {} → {} {unit}",
        num(f),
        z,
        num(lt),
        q(sd),
        q(d),
        num(sd_lt),
        q(ss),
        row.safety_stock
    );
    let rop_line = format!(
        "ROP = d̄·LT + SS = {}·{} + {} = {} → {} {unit}",
        q(d),
        num(lt),
        q(ss),
        q(rop),
        row.reorder_point
    );
    let out_line = format!(
        "Order-up-to = d̄·(LT + review) + SS = {}·({} + {}) + {} = {} → {} {unit}",
        q(d),
        num(lt),
        row.review_days,
        q(ss),
        q(out),
        row.order_up_to
    );
    let order = if row.suggested_order > 0 {
        format!(
            "Position {} ≤ ROP {}: order {} {unit} (up to {}, at least the supplier's minimum, in whole packs).",
            row.position, row.reorder_point, row.suggested_order, row.order_up_to
        )
    } else if row.lead_time.is_none() {
        format!("Position {}: no supplier to order from.", row.position)
    } else {
        format!(
            "Position {} > ROP {}: nothing to order now.",
            row.position, row.reorder_point
        )
    };
    let coverage = row.coverage_now_days.map(|days| {
        format!(
            "The position lasts {} / {} = {days:.1} days at the forecast.",
            row.position,
            q(d)
        )
    });
    view! {
        <div class="why-figures">
            <p>{demand}</p>
            <p>{forecast}</p>
            {row.forecast_why.clone().map(|why| why_this_forecast(&why, &unit))}
            <p>{lead}</p>
            <p>{class}</p>
            <p class="muted small">"Figures are rounded up to whole units once, where they are stored."</p>
            <ul class="formulas">
                <li><code data-formula="ss">{ss_line}</code></li>
                <li><code data-formula="rop">{rop_line}</code></li>
                <li><code data-formula="out">{out_line}</code></li>
            </ul>
            <p>{order}</p>
            {coverage.map(|c| view! { <p>{c}</p> })}
        </div>
    }
    .into_any()
}
