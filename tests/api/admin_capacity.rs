//! The capacity page over HTTP: each work center's load drawn from its bookings and
//! calendar, hours and holidays changed by plain form posts (audited, the state version
//! bumped, a stale form refused, refusals named by field).

use c2m_tests::{TestApp, on_both_databases, seed_day};
use chrono::Days;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use server::store::entities::{work_center_bookings, work_center_holidays, work_centers};

use crate::admin_settings::{accepted, audited, banner_of, get, post_form, refusal_of, shop};

on_both_databases!(
    the_load_chart_shows_bookings_against_each_days_capacity,
    new_hours_are_saved_audited_and_drawn,
    hours_refusals_name_their_field_and_change_nothing,
    stale_hours_are_refused,
    a_work_center_holiday_closes_its_day,
);

const CAPACITY: &str = "/admin/capacity";

async fn center(app: &TestApp, code: &str) -> work_centers::Model {
    work_centers::Entity::find()
        .filter(work_centers::Column::Code.eq(code))
        .one(&app.db)
        .await
        .unwrap()
        .expect("work center")
}

/// The `data-*` figures of the chart's bar for `code` on `day`: (capacity, booked).
fn bar(html: &str, code: &str, day: &str) -> (u32, u32) {
    let chart = &html[html
        .find(&format!("<svg data-work-center=\"{code}\""))
        .unwrap_or_else(|| panic!("no chart for {code}"))..];
    let chart = &chart[..chart.find("</svg>").unwrap()];
    let at = chart
        .find(&format!("data-day=\"{day}\""))
        .unwrap_or_else(|| panic!("no bar for {day}"));
    let attribute = |name: &str| -> u32 {
        let rest = &chart[at..];
        let start = rest.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        rest[start..start + rest[start..].find('"').unwrap()]
            .parse()
            .unwrap()
    };
    (attribute("data-capacity"), attribute("data-booked"))
}

fn hours_form<'a>(
    code: &'a str,
    expected: &'a work_centers::Model,
    minutes: &'a str,
    weekdays: &[&'a str],
) -> Vec<(&'a str, String)> {
    let mut form = vec![
        ("code", code.to_string()),
        ("expected_minutes_per_day", expected.minutes_per_day.to_string()),
        ("expected_weekdays", expected.working_weekdays.to_string()),
        ("minutes_per_day", minutes.to_string()),
    ];
    form.extend(weekdays.iter().map(|d| ("weekdays[]", d.to_string())));
    form
}

async fn save_hours(app: &TestApp, form: &[(&str, String)]) -> reqwest::Response {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    post_form(app, "/_fn/admin/save_work_center", CAPACITY, &form).await
}

const MON_FRI: [&str; 5] = ["0", "1", "2", "3", "4"];

async fn the_load_chart_shows_bookings_against_each_days_capacity(app: TestApp) {
    app.sign_in().await;
    let html = get(&app, CAPACITY).await;
    for code in ["CUT", "SEW", "LAST"] {
        assert!(html.contains(&format!("data-work-center=\"{code}\"")), "{code}");
    }
    let sew = center(&app, "SEW").await;
    let chart_start = html.find("<svg data-work-center=\"SEW\"").unwrap();
    let chart = &html[chart_start..];
    let chart = &chart[..chart.find("</svg>").unwrap()];
    assert_eq!(chart.matches(" data-day=").count(), 28, "four weeks of days");
    assert!(chart.contains("<title"), "bars and chart carry titles");

    for n in 0..28 {
        let day = seed_day() + Days::new(n);
        let booked: i32 = work_center_bookings::Entity::find()
            .filter(work_center_bookings::Column::WorkCenterId.eq(sew.id))
            .filter(work_center_bookings::Column::Day.eq(day))
            .all(&app.db)
            .await
            .unwrap()
            .iter()
            .map(|b| b.minutes)
            .sum();
        let (capacity, shown) = bar(&html, "SEW", &day.to_string());
        assert_eq!(shown as i32, booked, "{day}: booked minutes");
        let weekend = matches!(day.format("%a").to_string().as_str(), "Sat" | "Sun");
        if weekend {
            assert_eq!(capacity, 0, "{day}: a weekday off has no capacity");
        }
    }
    // A working day with bookings, so the test reads real figures.
    assert_eq!(bar(&html, "SEW", "2026-11-25").0, 960);
    assert!(
        bar(&html, "SEW", "2026-11-25").1 > 0,
        "the seed books the near days"
    );
    assert!(html.contains("Show as a table"), "the figures as a table too");
}

async fn new_hours_are_saved_audited_and_drawn(app: TestApp) {
    app.sign_in().await;
    let before = center(&app, "SEW").await;
    let state_version = shop(&app).await.state_version;
    let mon_sat = ["0", "1", "2", "3", "4", "5"];
    accepted(&save_hours(&app, &hours_form("SEW", &before, "1200", &mon_sat)).await);
    let after = center(&app, "SEW").await;
    assert_eq!(after.minutes_per_day, 1_200);
    assert_eq!(after.working_weekdays, 0b011_1111);
    assert!(
        shop(&app).await.state_version > state_version,
        "quotes depend on capacity"
    );
    let capacity = audited(&app, "work_center.capacity").await;
    assert_eq!(capacity.len(), 1);
    assert_eq!(capacity[0].before.as_ref().unwrap()["minutes_per_day"], 960);
    assert_eq!(capacity[0].after.as_ref().unwrap()["minutes_per_day"], 1_200);
    let weekdays = audited(&app, "work_center.weekdays").await;
    assert_eq!(weekdays.len(), 1);
    assert_eq!(
        weekdays[0].after.as_ref().unwrap()["working_weekdays"],
        0b011_1111
    );

    let html = get(&app, CAPACITY).await;
    assert_eq!(bar(&html, "SEW", "2026-11-25").0, 1_200, "a working day");
    assert_eq!(bar(&html, "SEW", "2026-11-28").0, 1_200, "Saturday now works");
    assert_eq!(bar(&html, "SEW", "2026-11-29").0, 0, "Sunday does not");

    // Saving the same hours again changes nothing and logs nothing.
    let state_version = shop(&app).await.state_version;
    accepted(&save_hours(&app, &hours_form("SEW", &after, "1200", &mon_sat)).await);
    assert_eq!(shop(&app).await.state_version, state_version);
    assert_eq!(audited(&app, "work_center.capacity").await.len(), 1);
}

async fn hours_refusals_name_their_field_and_change_nothing(app: TestApp) {
    app.sign_in().await;
    let before = center(&app, "CUT").await;
    let state_version = shop(&app).await.state_version;
    for (minutes, weekdays, field, says) in [
        ("1441", &MON_FRI[..], "CUT.minutes_per_day", "between 0 and 1440"),
        ("-5", &MON_FRI[..], "CUT.minutes_per_day", "between 0 and 1440"),
        ("ten", &MON_FRI[..], "CUT.minutes_per_day", "not a whole number"),
        ("480", &[][..], "CUT.weekdays", "at least one"),
        ("480", &["7"][..], "CUT.weekdays", "not a weekday"),
    ] {
        let response = save_hours(&app, &hours_form("CUT", &before, minutes, weekdays)).await;
        let shown = refusal_of(&app, &response, field).await;
        assert!(shown.contains(says), "{field}: {shown}");
    }
    assert_eq!(center(&app, "CUT").await, before);
    assert_eq!(shop(&app).await.state_version, state_version);
    assert!(audited(&app, "work_center.capacity").await.is_empty());
    let unknown = save_hours(&app, &hours_form("NOPE", &before, "480", &MON_FRI)).await;
    assert!(banner_of(&app, &unknown).await.contains("no work center"));
}

async fn stale_hours_are_refused(app: TestApp) {
    app.sign_in().await;
    let read = center(&app, "CUT").await;
    accepted(&save_hours(&app, &hours_form("CUT", &read, "600", &MON_FRI)).await);
    let saved = center(&app, "CUT").await;
    let response = save_hours(&app, &hours_form("CUT", &read, "300", &MON_FRI)).await;
    let banner = banner_of(&app, &response).await;
    assert!(
        banner.contains("changed by someone else") && banner.contains("600"),
        "{banner}"
    );
    assert_eq!(center(&app, "CUT").await, saved, "the first save stays");
}

async fn a_work_center_holiday_closes_its_day(app: TestApp) {
    app.sign_in().await;
    let cut = center(&app, "CUT").await;
    let day = "2026-12-02";
    assert_eq!(
        bar(&get(&app, CAPACITY).await, "CUT", day).0,
        480,
        "a working Wednesday"
    );
    let state_version = shop(&app).await.state_version;
    let add = [("code", "CUT"), ("day", day), ("name", "Blade change")];
    accepted(&post_form(&app, "/_fn/admin/add_work_center_holiday", CAPACITY, &add).await);
    let html = get(&app, CAPACITY).await;
    assert_eq!(bar(&html, "CUT", day).0, 0, "closed that day");
    assert!(html.contains("Blade change"));
    assert_eq!(shop(&app).await.state_version, state_version + 1);
    let entries = audited(&app, "work_center_holiday.add").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].entity_id, format!("CUT@{day}"));

    let holidays = work_center_holidays::Entity::find().count(&app.db).await.unwrap();
    for (code, day, name, field, says) in [
        ("CUT", day, "Again", "CUT.day", "already a holiday"),
        ("CUT", "2026-11-01", "Past", "CUT.day", "in the past"),
        ("CUT", "someday", "Typo", "CUT.day", "not a date"),
        ("CUT", "2026-12-03", "", "CUT.name", "cannot be empty"),
    ] {
        let form = [("code", code), ("day", day), ("name", name)];
        let response = post_form(&app, "/_fn/admin/add_work_center_holiday", CAPACITY, &form).await;
        let shown = refusal_of(&app, &response, field).await;
        assert!(shown.contains(says), "{field}: {shown}");
    }
    assert_eq!(
        work_center_holidays::Entity::find().count(&app.db).await.unwrap(),
        holidays
    );

    let remove = [("code", "CUT"), ("day", day)];
    accepted(&post_form(&app, "/_fn/admin/remove_work_center_holiday", CAPACITY, &remove).await);
    assert_eq!(bar(&get(&app, CAPACITY).await, "CUT", day).0, 480, "open again");
    assert_eq!(shop(&app).await.state_version, state_version + 2);
    assert_eq!(audited(&app, "work_center_holiday.remove").await.len(), 1);
    let still = work_center_holidays::Entity::find()
        .filter(work_center_holidays::Column::WorkCenterId.eq(cut.id))
        .filter(work_center_holidays::Column::Name.eq("Blade change"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(still, 0);
}
