//! `/admin/settings`: the shop profile and shipping calendar, the origins allowed to
//! embed the widget, the API keys (a new key is shown once), and the embed snippet.

mod embed;
mod keys;

use leptos::prelude::*;
use leptos_meta::Title;

use super::calendar::{WeekdayBoxes, long_day};
use super::forms::{Banner, FieldError, invalid, refusal, tick_on_success};
use crate::model::settings::{Holiday, SettingsView, ShopProfile};
use crate::server_fns::admin::{
    AddOrigin, AddShopHoliday, AdminError, CreateApiKey, RemoveOrigin, RemoveShopHoliday, RevokeApiKey,
    SaveProfile, admin_settings,
};

/// Every form of the page (actions are `Copy`, so the sections share them freely).
#[derive(Clone, Copy)]
struct Actions {
    profile: ServerAction<SaveProfile>,
    add_holiday: ServerAction<AddShopHoliday>,
    remove_holiday: ServerAction<RemoveShopHoliday>,
    add_origin: ServerAction<AddOrigin>,
    remove_origin: ServerAction<RemoveOrigin>,
    create_key: ServerAction<CreateApiKey>,
    revoke_key: ServerAction<RevokeApiKey>,
}

/// `/admin/settings`.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let actions = Actions {
        profile: ServerAction::new(),
        add_holiday: ServerAction::new(),
        remove_holiday: ServerAction::new(),
        add_origin: ServerAction::new(),
        remove_origin: ServerAction::new(),
        create_key: ServerAction::new(),
        revoke_key: ServerAction::new(),
    };
    let tick = RwSignal::new(0u32);
    tick_on_success(actions.profile, tick);
    tick_on_success(actions.add_holiday, tick);
    tick_on_success(actions.remove_holiday, tick);
    tick_on_success(actions.add_origin, tick);
    tick_on_success(actions.remove_origin, tick);
    tick_on_success(actions.revoke_key, tick);
    keys::tick_on_created(actions.create_key, tick);
    let settings = Resource::new(move || tick.get(), |_| admin_settings());
    let errors = vec![
        refusal(actions.profile),
        refusal(actions.add_holiday),
        refusal(actions.remove_holiday),
        refusal(actions.add_origin),
        refusal(actions.remove_origin),
        keys::creation_refusal(actions.create_key),
        refusal(actions.revoke_key),
    ];
    view! {
        <Title text="Settings · c2m admin" />
        <h2>"Settings"</h2>
        <Banner errors />
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(view) => view! { <Sections view actions /> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Sections(view: SettingsView, actions: Actions) -> impl IntoView {
    let SettingsView {
        profile,
        holidays,
        origins,
        keys,
        products,
        site_origin,
        revealed,
    } = view;
    // The key to show: the one this page just created (hydrated), or the one the server
    // kept for this session's first read after a plain form post.
    let create = actions.create_key;
    let fresh = Signal::derive(move || {
        create
            .value()
            .get()
            .and_then(Result::ok)
            .or_else(|| revealed.clone())
    });
    view! {
        <section class="card" aria-labelledby="profile-title">
            <h3 id="profile-title">"Shop profile"</h3>
            <ProfileForm profile save=actions.profile />
        </section>
        <section class="card" aria-labelledby="holidays-title">
            <h3 id="holidays-title">"Shipping holidays"</h3>
            <p class="muted">"Upcoming days the shop does not ship. Estimates skip them from the next quote on."</p>
            <Holidays holidays add=actions.add_holiday remove=actions.remove_holiday />
        </section>
        <section class="card" aria-labelledby="origins-title">
            <h3 id="origins-title">"Allowed widget origins"</h3>
            <p class="muted">"Pages of these origins may use the publishable keys. A change applies to the next request."</p>
            <Origins origins add=actions.add_origin remove=actions.remove_origin />
        </section>
        <section class="card" aria-labelledby="keys-title">
            <h3 id="keys-title">"API keys"</h3>
            <keys::ApiKeys keys fresh create revoke=actions.revoke_key />
        </section>
        <section class="card" aria-labelledby="embed-title">
            <h3 id="embed-title">"Embed the widget"</h3>
            <embed::EmbedSnippet site_origin products fresh />
        </section>
    }
    .into_any()
}

#[component]
fn ProfileForm(profile: ShopProfile, save: ServerAction<SaveProfile>) -> impl IntoView {
    let error = refusal(save);
    let ShopProfile {
        version,
        currency,
        fields,
    } = profile;
    view! {
        <ActionForm action=save attr:class="form-grid" attr:data-form="profile">
            <input type="hidden" name="version" value=version.to_string() />
            <label>"Shop name"
                <input name="name" value=fields.name required aria-invalid=invalid(error, "name") />
            </label>
            <FieldError error field="name" />
            <label>"Time zone (IANA name)"
                <input name="timezone" value=fields.timezone required placeholder="Europe/Berlin" aria-invalid=invalid(error, "timezone") />
            </label>
            <FieldError error field="timezone" />
            <div class="wide">
                <WeekdayBoxes mask=fields.working_weekdays error field="weekdays" />
            </div>
            <label>"Transit days"
                <input name="transit_days" inputmode="numeric" value=fields.transit_days.to_string() aria-invalid=invalid(error, "transit_days") />
            </label>
            <FieldError error field="transit_days" />
            <p class="readonly">
                <span class="label">"Currency"</span>
                <strong data-currency=currency.clone()>{currency.clone()}</strong>
                <span class="muted small">" Fixed: every price is stored in it, so changing it would reprice everything."</span>
            </p>
            <div class="actions"><button type="submit">"Save profile"</button></div>
        </ActionForm>
    }
    .into_any()
}

#[component]
fn Holidays(
    holidays: Vec<Holiday>,
    add: ServerAction<AddShopHoliday>,
    remove: ServerAction<RemoveShopHoliday>,
) -> impl IntoView {
    let error = refusal(add);
    let rows = if holidays.is_empty() {
        view! { <p class="muted">"No upcoming holidays."</p> }.into_any()
    } else {
        view! {
            <table class="grid holidays">
                <thead><tr><th scope="col">"Day"</th><th scope="col">"Holiday"</th><th scope="col"><span class="sr-only">"Remove"</span></th></tr></thead>
                <tbody>
                    {holidays.into_iter().map(|h| view! { <HolidayRow holiday=h remove /> }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        {rows}
        <ActionForm action=add attr:class="inline" attr:data-form="shop-holiday">
            <label>"Day" <input type="date" name="day" required aria-invalid=invalid(error, "holiday.day") /></label>
            <label>"Name" <input name="name" required placeholder="Christmas Day" aria-invalid=invalid(error, "holiday.name") /></label>
            <button type="submit" class="secondary">"Add holiday"</button>
        </ActionForm>
        <FieldError error field="holiday.day" />
        <FieldError error field="holiday.name" />
    }
    .into_any()
}

#[component]
fn HolidayRow(holiday: Holiday, remove: ServerAction<RemoveShopHoliday>) -> impl IntoView {
    let (day, row_day) = (holiday.day.to_string(), holiday.day.to_string());
    view! {
        <tr data-holiday=row_day>
            <td>{long_day(holiday.day)}</td>
            <td>{holiday.name.clone()}</td>
            <td>
                <ActionForm action=remove attr:class="inline">
                    <input type="hidden" name="day" value=day />
                    <button type="submit" class="secondary" aria-label=format!("Remove {}", holiday.name)>"Remove"</button>
                </ActionForm>
            </td>
        </tr>
    }
    .into_any()
}

#[component]
fn Origins(
    origins: Vec<String>,
    add: ServerAction<AddOrigin>,
    remove: ServerAction<RemoveOrigin>,
) -> impl IntoView {
    let error: Signal<Option<AdminError>> = refusal(add);
    let list = if origins.is_empty() {
        view! { <p class="muted">"No origin is allowed: the widget works only on this server's own pages."</p> }.into_any()
    } else {
        view! {
            <ul class="origins">
                {origins.into_iter().map(|origin| {
                    let label = format!("Remove {origin}");
                    let (row, shown) = (origin.clone(), origin.clone());
                    view! {
                        <li data-origin=row>
                            <code>{shown}</code>
                            <ActionForm action=remove attr:class="inline">
                                <input type="hidden" name="origin" value=origin />
                                <button type="submit" class="secondary" aria-label=label>"Remove"</button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        {list}
        <ActionForm action=add attr:class="inline" attr:data-form="origin">
            <label>"Origin"
                <input name="origin" required size="32" placeholder="https://shop.example" aria-invalid=invalid(error, "origin") />
            </label>
            <button type="submit" class="secondary">"Allow origin"</button>
        </ActionForm>
        <FieldError error field="origin" />
        <p class="muted small">"Scheme and host, and the port if it is not the usual one; no path, no trailing slash."</p>
    }
    .into_any()
}
