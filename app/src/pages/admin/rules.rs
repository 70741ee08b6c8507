//! `/admin/rules`: the merchant's rules under which a kind of suggestion executes by
//! itself, within caps per action and per day; a form that writes one, buttons that
//! pause, resume or delete it, and the dry run: what the rules would have done with the
//! last 30 days' suggestions.

use leptos::prelude::*;
use leptos_meta::Title;

use super::forms::{Banner, FieldError, invalid, refusal, tick_on_success};
use crate::i18n::Locale;
use crate::model::rules::{DryRunView, RULE_KINDS, RuleView, RulesPage as Page, kind_name};
use crate::server_fns::admin::{CreateRule, DeleteRule, PauseRule, admin_rules};

/// The page's forms.
#[derive(Clone, Copy)]
struct Actions {
    create: ServerAction<CreateRule>,
    pause: ServerAction<PauseRule>,
    delete: ServerAction<DeleteRule>,
}

/// `/admin/rules`.
#[component]
pub fn RulesPage() -> impl IntoView {
    let actions = Actions {
        create: ServerAction::new(),
        pause: ServerAction::new(),
        delete: ServerAction::new(),
    };
    let tick = RwSignal::new(0u32);
    tick_on_success(actions.create, tick);
    tick_on_success(actions.pause, tick);
    tick_on_success(actions.delete, tick);
    let page = Resource::new(move || tick.get(), |_| admin_rules());
    let errors = vec![
        refusal(actions.create),
        refusal(actions.pause),
        refusal(actions.delete),
    ];
    view! {
        <Title text="Rules · c2m admin" />
        <h2>"Rules"</h2>
        <p class="muted">
            "Under a rule, a kind of suggestion executes by itself, within its caps: a transfer under 500, \
             a stock-level raise for C-X materials. Rules act on the suggestions of the day they are made, \
             in the order written here; each action is in the audit log under the rule and can be undone \
             from the Alerts page. Anything a rule does not take waits for you in the Alerts inbox."
        </p>
        <Banner errors />
        <NewRuleForm create=actions.create />
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <RulesBody page actions /> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn NewRuleForm(create: ServerAction<CreateRule>) -> impl IntoView {
    let error = refusal(create);
    view! {
        <details class="card" open=move || error.get().is_some_and(|e| e.field.is_some())>
            <summary>"Write a rule"</summary>
            <ActionForm action=create attr:class="form-grid" attr:data-form="rule">
                <label>"Name" <input name="name" placeholder="transfers under 500" required aria-invalid=invalid(error, "name") /></label>
                <FieldError error field="name" />
                <label>"Executes"
                    <select name="kind" aria-invalid=invalid(error, "kind")>
                        {RULE_KINDS.iter().map(|(kind, name)| view! { <option value=*kind>{*name}</option> }).collect_view()}
                    </select>
                </label>
                <FieldError error field="kind" />
                <label>"Only for classes" <input name="classes" placeholder="C-X, C-Y (empty: any)" aria-invalid=invalid(error, "classes") /></label>
                <FieldError error field="classes" />
                <label class="check"><input type="checkbox" name="supplier_late" value="on" />" Only when it makes up for a late supplier"</label>
                <label>"At most per action" <input name="max_per_action" inputmode="decimal" placeholder="500.00 (empty: no limit)" aria-invalid=invalid(error, "max_per_action") /></label>
                <FieldError error field="max_per_action" />
                <label>"At most per day" <input name="max_per_day" inputmode="decimal" placeholder="2000.00 (empty: no limit)" aria-invalid=invalid(error, "max_per_day") /></label>
                <FieldError error field="max_per_day" />
                <p class="wide muted small">"An action's value is what it commits: the goods a transfer moves or a purchase order buys, the units a reservation holds at the supplier's price, the safety stock a raise adds; a freeze costs nothing."</p>
                <div class="actions"><button type="submit">"Save rule"</button></div>
            </ActionForm>
        </details>
    }
    .into_any()
}

#[component]
fn RulesBody(page: Page, actions: Actions) -> impl IntoView {
    let Page {
        currency,
        rules,
        dry_run,
    } = page;
    let money = {
        let currency = currency.clone();
        move |minor: i64| Locale::En.price(minor, &currency, false)
    };
    let rows = if rules.is_empty() {
        view! { <p class="muted" role="status" data-empty="">"No rules yet: every suggestion waits for you in the Alerts inbox."</p> }.into_any()
    } else {
        let money = money.clone();
        view! {
            <table class="grid rules">
                <thead><tr>
                    <th scope="col">"Rule"</th><th scope="col">"Executes"</th><th scope="col">"When"</th>
                    <th scope="col" class="num">"Per action"</th><th scope="col" class="num">"Per day"</th>
                    <th scope="col" class="num">"Today"</th><th scope="col">"State"</th><th scope="col">"Actions"</th>
                </tr></thead>
                <tbody>
                    {rules.into_iter().map(|rule| view! { <RuleRow rule actions money=money.clone() /> }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="rules-list">
            <h3 id="rules-list">"Your rules"</h3>
            {rows}
        </section>
        <DryRun dry_run money />
    }
    .into_any()
}

#[component]
fn RuleRow<F>(rule: RuleView, actions: Actions, money: F) -> impl IntoView
where
    F: Fn(i64) -> String + Clone + Send + Sync + 'static,
{
    let RuleView {
        id,
        name,
        kind,
        conditions,
        max_per_action_minor,
        max_per_day_minor,
        paused,
        actions_today,
        spent_today_minor,
    } = rule;
    let cap = |c: Option<i64>| c.map_or_else(|| "no limit".to_string(), &money);
    let when = if conditions.is_empty() {
        "always".to_string()
    } else {
        conditions.join("; ")
    };
    let row = format!("rule-{id}");
    let pause_error = refusal(actions.pause);
    let delete_error = refusal(actions.delete);
    view! {
        <tr data-rule=id.to_string() data-paused=paused.to_string()>
            <th scope="row">{name}</th>
            <td>{kind_name(&kind)}</td>
            <td>{when}</td>
            <td class="num">{cap(max_per_action_minor)}</td>
            <td class="num">{cap(max_per_day_minor)}</td>
            <td class="num" data-spent-today=spent_today_minor.to_string()>{format!("{actions_today} · {}", money(spent_today_minor))}</td>
            <td>{if paused { "paused" } else { "running" }}</td>
            <td>
                <ActionForm action=actions.pause attr:class="inline" attr:data-pause="">
                    <input type="hidden" name="id" value=id.to_string() />
                    <input type="hidden" name="paused" value=(!paused).to_string() />
                    <button type="submit" class="secondary">{if paused { "Resume" } else { "Pause" }}</button>
                </ActionForm>
                <ActionForm action=actions.delete attr:class="inline" attr:data-delete="">
                    <input type="hidden" name="id" value=id.to_string() />
                    <button type="submit" class="secondary">"Delete"</button>
                </ActionForm>
                <FieldError error=pause_error field=row.clone() />
                <FieldError error=delete_error field=row />
            </td>
        </tr>
    }
    .into_any()
}

#[component]
fn DryRun<F>(dry_run: DryRunView, money: F) -> impl IntoView
where
    F: Fn(i64) -> String + Clone + Send + Sync + 'static,
{
    let DryRunView {
        from,
        to,
        tallies,
        decisions,
    } = dry_run;
    let heading = format!("Dry run: {from} – {to}");
    let taken = decisions.iter().filter(|d| d.rule.is_some()).count();
    let total = decisions.len();
    let tally_rows = tallies
        .into_iter()
        .map(|t| {
            let money = money.clone();
            view! {
                <tr data-tally=t.rule_id.to_string() data-actions=t.actions.to_string()>
                    <th scope="row">{t.name}</th>
                    <td class="num">{t.actions}</td>
                    <td class="num">{money(t.value_minor)}</td>
                </tr>
            }
        })
        .collect_view();
    let decision_rows = decisions
        .into_iter()
        .map(|d| {
            let outcome = match (&d.rule, d.why_not.is_empty()) {
                (Some(rule), _) => format!("executed by “{rule}”"),
                (None, true) => "no rule of its kind: left to you".to_string(),
                (None, false) => format!("left to you ({})", d.why_not.join("; ")),
            };
            view! {
                <tr data-dry-run=d.suggestion_id.to_string() data-taken=d.rule.is_some().to_string()>
                    <td>{d.day.to_string()}</td>
                    <td>{d.summary}</td>
                    <td class="num">{money(d.value_minor)}</td>
                    <td>{outcome}</td>
                    <td>{d.status}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="dry-run" aria-labelledby="dry-run">
            <h3 id="dry-run">{heading}</h3>
            <p class="muted">
                {format!("Your rules, as written now (paused ones as if running), would have executed {taken} of the {total} suggestions of the last 30 days.")}
            </p>
            <table class="grid dry-run-tallies">
                <thead><tr><th scope="col">"Rule"</th><th scope="col" class="num">"Actions"</th><th scope="col" class="num">"Value"</th></tr></thead>
                <tbody>{tally_rows}</tbody>
            </table>
            <details>
                <summary>{format!("Every suggestion ({total})")}</summary>
                <table class="grid dry-run-decisions">
                    <thead><tr>
                        <th scope="col">"Day"</th><th scope="col">"Suggestion"</th><th scope="col" class="num">"Value"</th>
                        <th scope="col">"Would have been"</th><th scope="col">"Actually"</th>
                    </tr></thead>
                    <tbody>{decision_rows}</tbody>
                </table>
            </details>
        </section>
    }
    .into_any()
}
