//! The policy settings form (class thresholds, heat conversion, the heat-spike rule)
//! and the policy matrix per ABC × XYZ class.

use leptos::prelude::*;

use super::super::forms::{FieldError, invalid, refusal};
use super::percent;
use crate::model::policies::PolicySettingsForm;
use crate::server_fns::admin::SavePolicySettings;

/// The editable settings; refusals next to their field, a stale version in the banner.
#[component]
pub(super) fn SettingsForm(
    settings: PolicySettingsForm,
    save: ServerAction<SavePolicySettings>,
) -> impl IntoView {
    let error = refusal(save);
    let fields = [
        (
            "abc_a",
            "Class A: share of annual value",
            settings.abc_a.to_string(),
            "0.8 or 80 %",
        ),
        (
            "abc_b",
            "Classes A and B: share of annual value",
            settings.abc_b.to_string(),
            "0.95 or 95 %",
        ),
        (
            "xyz_x",
            "Class X: largest coefficient of variation",
            settings.xyz_x.to_string(),
            "0.5",
        ),
        (
            "xyz_y",
            "Class Y: largest coefficient of variation",
            settings.xyz_y.to_string(),
            "1.0",
        ),
        (
            "heat_conversion",
            "Orders per add-to-cart or preorder (presale)",
            settings.heat_conversion.to_string(),
            "0.3",
        ),
        (
            "spike_threshold",
            "Heat spike: add-to-cart rate that raises an alert",
            settings.spike_threshold.to_string(),
            "0.15 or 15 %",
        ),
        (
            "spike_window_days",
            "Heat spike: days measured",
            settings.spike_window_days.to_string(),
            "14",
        ),
        (
            "overconsumption_percent",
            "Production: % above plan a material may be used before an alert",
            settings.overconsumption_percent.to_string(),
            "20",
        ),
        (
            "decay_short_days",
            "End of life: days of the short average",
            settings.decay_short_days.to_string(),
            "14",
        ),
        (
            "decay_long_days",
            "End of life: days of the long average",
            settings.decay_long_days.to_string(),
            "90",
        ),
        (
            "decline_below",
            "End of life: declining below this share of the long average",
            settings.decline_below.to_string(),
            "0.5 or 50 %",
        ),
        (
            "niche_share",
            "End of life: a value is niche under this share of its group's selections",
            settings.niche_share.to_string(),
            "0.05 or 5 %",
        ),
        (
            "holding_percent",
            "Resilience cost: holding stock costs this % of its value a year",
            settings.holding_percent.to_string(),
            "20",
        ),
        (
            "expedite_premium_percent",
            "Resilience cost: an expedited purchase order costs this % above its value",
            settings.expedite_premium_percent.to_string(),
            "15",
        ),
    ]
    .into_iter()
    .map(|(name, label, value, placeholder)| {
        view! {
            <label>{label}
                <input name=name value=value placeholder=placeholder inputmode="decimal"
                    aria-invalid=invalid(error, name) />
            </label>
            <FieldError error field=name />
        }
    })
    .collect_view();
    view! {
        <section class="card policy-settings">
            <h3>"Settings"</h3>
            <p class="muted">
                "Shares are fractions or percentages: 0.8 and 80 % are the same share. \
                 Saved settings apply from the next recomputation."
            </p>
            <ActionForm action=save attr:class="form-grid" attr:data-form="policy-settings">
                <input type="hidden" name="version" value=settings.version.to_string() />
                {fields}
                <div class="actions"><button type="submit">"Save settings"</button></div>
            </ActionForm>
        </section>
    }
    .into_any()
}

/// The policy of each class: service level, review period, coverage target and stock
/// level, A to C down, X to Z across.
#[component]
pub(super) fn Matrix(matrix: Vec<(String, f64, u32, u32, String)>) -> impl IntoView {
    let cell = |class: String| {
        let found = matrix.iter().find(|(c, ..)| *c == class).cloned();
        view! {
            <td data-class=class>
                {found.map(|(_, service, review, coverage, level)| view! {
                    <span>{format!("{} service", percent(service))}</span><br />
                    <span class="muted small">{format!("review {review} d · cover {coverage} d · {level}")}</span>
                })}
            </td>
        }
    };
    let rows = ["A", "B", "C"]
        .into_iter()
        .map(|abc| {
            view! {
                <tr>
                    <th scope="row">{abc}</th>
                    {["X", "Y", "Z"].into_iter().map(|xyz| cell(format!("{abc}{xyz}"))).collect_view()}
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card policy-matrix">
            <h3>"Policy per class"</h3>
            <table class="grid matrix">
                <caption class="muted">
                    "ABC by annual consumption value (A: the most valuable), XYZ by variation of daily demand (X: the steadiest)."
                </caption>
                <thead><tr>
                    <th scope="col"></th>
                    <th scope="col">"X"</th>
                    <th scope="col">"Y"</th>
                    <th scope="col">"Z"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
    .into_any()
}
