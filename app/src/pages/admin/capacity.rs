//! `/admin/capacity`: each work center's load for the coming weeks (booked against free
//! minutes per day), its hours (minutes per day, working weekdays) and its own
//! holidays. Every change reaches the next quote and the chart at once.

mod chart;

use leptos::prelude::*;
use leptos_meta::Title;

use super::calendar::{WeekdayBoxes, long_day};
use super::forms::{Banner, FieldError, invalid, refusal, tick_on_success};
use crate::model::capacity::{LOAD_WEEKS, WorkCenterView};
use crate::model::settings::{Holiday, weekday_names};
use crate::server_fns::admin::{
    AddWorkCenterHoliday, RemoveWorkCenterHoliday, SaveWorkCenter, admin_capacity,
};

/// The page's forms.
#[derive(Clone, Copy)]
struct Actions {
    save: ServerAction<SaveWorkCenter>,
    add_holiday: ServerAction<AddWorkCenterHoliday>,
    remove_holiday: ServerAction<RemoveWorkCenterHoliday>,
}

/// `/admin/capacity`.
#[component]
pub fn CapacityPage() -> impl IntoView {
    let actions = Actions {
        save: ServerAction::new(),
        add_holiday: ServerAction::new(),
        remove_holiday: ServerAction::new(),
    };
    let tick = RwSignal::new(0u32);
    tick_on_success(actions.save, tick);
    tick_on_success(actions.add_holiday, tick);
    tick_on_success(actions.remove_holiday, tick);
    let capacity = Resource::new(move || tick.get(), |_| admin_capacity());
    let errors = vec![
        refusal(actions.save),
        refusal(actions.add_holiday),
        refusal(actions.remove_holiday),
    ];
    view! {
        <Title text="Capacity · c2m admin" />
        <h2>"Capacity"</h2>
        <Banner errors />
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match capacity.await {
                    Ok(view) => {
                        let intro = format!(
                            "Minutes booked and free per day for the next {LOAD_WEEKS} weeks from {}, by work center. \
                             Quotes schedule into the free minutes.",
                            long_day(view.today)
                        );
                        view! {
                            <p class="muted">{intro}</p>
                            {view.centers.into_iter().map(|center| view! { <WorkCenterCard center actions /> }).collect_view()}
                        }
                        .into_any()
                    }
                    Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn WorkCenterCard(center: WorkCenterView, actions: Actions) -> impl IntoView {
    let WorkCenterView {
        code,
        name,
        node,
        hours,
        holidays,
        load,
    } = center;
    let heading = format!("{name} ({code})");
    let at = format!(
        "at {} ({}) · {} minutes a day on {}",
        node.1,
        node.0,
        hours.minutes_per_day,
        weekday_names(hours.working_weekdays)
    );
    let (label, chart_code, hours_code) = (heading.clone(), code.clone(), code.clone());
    let forms = view! {
        <div class="work-center-forms">
            <HoursForm code=hours_code minutes=hours.minutes_per_day weekdays=hours.working_weekdays save=actions.save />
            <Holidays code=code.clone() holidays add=actions.add_holiday remove=actions.remove_holiday />
        </div>
    };
    view! {
        <section class="card work-center" data-work-center=code aria-label=label>
            <h3>{heading}</h3>
            <p class="muted">{at}</p>
            <chart::LoadChart code=chart_code name load />
            {forms}
        </section>
    }
    .into_any()
}

#[component]
fn HoursForm(code: String, minutes: i32, weekdays: u8, save: ServerAction<SaveWorkCenter>) -> impl IntoView {
    let error = refusal(save);
    let (minutes_field, weekdays_field) = (format!("{code}.minutes_per_day"), format!("{code}.weekdays"));
    view! {
        <ActionForm action=save attr:class="form-grid" attr:data-form="work-center-hours">
            <input type="hidden" name="code" value=code />
            <input type="hidden" name="expected_minutes_per_day" value=minutes.to_string() />
            <input type="hidden" name="expected_weekdays" value=weekdays.to_string() />
            <label>"Minutes per working day"
                <input name="minutes_per_day" inputmode="numeric" value=minutes.to_string()
                    aria-invalid=invalid(error, minutes_field.clone()) />
            </label>
            <FieldError error field=minutes_field />
            <div class="wide">
                <WeekdayBoxes mask=weekdays error field=weekdays_field />
            </div>
            <div class="actions"><button type="submit">"Save hours"</button></div>
        </ActionForm>
    }
    .into_any()
}

#[component]
fn Holidays(
    code: String,
    holidays: Vec<Holiday>,
    add: ServerAction<AddWorkCenterHoliday>,
    remove: ServerAction<RemoveWorkCenterHoliday>,
) -> impl IntoView {
    let error = refusal(add);
    let (day_field, name_field) = (format!("{code}.day"), format!("{code}.name"));
    let (day_invalid, name_invalid) = (
        invalid(error, day_field.clone()),
        invalid(error, name_field.clone()),
    );
    let rows = holidays
        .into_iter()
        .map(|holiday| {
            let (code, day, row_day) = (code.clone(), holiday.day.to_string(), holiday.day.to_string());
            view! {
                <li data-holiday=row_day>
                    {format!("{} — {}", long_day(holiday.day), holiday.name)}
                    <ActionForm action=remove attr:class="inline">
                        <input type="hidden" name="code" value=code />
                        <input type="hidden" name="day" value=day />
                        <button type="submit" class="secondary" aria-label=format!("Remove {}", holiday.name)>"Remove"</button>
                    </ActionForm>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="calendar">
            <h4>"Upcoming holidays"</h4>
            <ul class="holidays">{rows}</ul>
            <ActionForm action=add attr:class="inline" attr:data-form="work-center-holiday">
                <input type="hidden" name="code" value=code />
                <label>"Day" <input type="date" name="day" required aria-invalid=day_invalid /></label>
                <label>"Name" <input name="name" required placeholder="Maintenance" aria-invalid=name_invalid /></label>
                <button type="submit" class="secondary">"Add holiday"</button>
            </ActionForm>
            <FieldError error field=day_field />
            <FieldError error field=name_field />
        </div>
    }
    .into_any()
}
