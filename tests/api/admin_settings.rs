//! The settings page over HTTP, as plain form posts: the profile (audited, the state
//! version bumped when quotes depend on it, a stale form refused), shipping holidays,
//! widget origins and API keys, whose changes reach the public API at once.

use c2m_tests::{TestApp, on_both_databases};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::Value;
use server::seed::{DEMO_PUBLISHABLE_KEY, DEMO_SHOP_SLUG};
use server::store::entities::{api_keys, audit_log, shop_holidays, shop_origins, shops};

on_both_databases!(
    the_settings_page_shows_profile_calendar_origins_keys_and_snippet,
    a_profile_save_is_audited_and_bumps_the_state_version_only_for_quotes,
    a_stale_profile_form_is_refused,
    profile_refusals_name_their_field_and_change_nothing,
    a_new_time_zone_moves_the_shops_today,
    shop_holidays_are_added_and_removed,
    an_origin_takes_effect_at_once_and_must_be_written_as_browsers_send_it,
    a_created_key_is_shown_once_and_works_at_once,
    a_revoked_key_is_refused_at_once,
    key_refusals_name_their_field,
);

const SETTINGS: &str = "/admin/settings";
const CONFIGURATOR: &str = "/api/v1/products/weekender-bag/configurator";

/// A page's HTML, which must answer 200.
pub(crate) async fn get(app: &TestApp, path: &str) -> String {
    let response = app.client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

/// A plain form post, as a browser sends it before the wasm loads, from `page`.
pub(crate) async fn post_form(
    app: &TestApp,
    endpoint: &str,
    page: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    app.client
        .post(app.url(endpoint))
        .header("accept", "text/html")
        .header("referer", app.url(page))
        .form(form)
        .send()
        .await
        .unwrap()
}

/// Where a form post redirects to.
pub(crate) fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// Asserts a form post was accepted (redirected back without an error).
pub(crate) fn accepted(response: &reqwest::Response) {
    assert!(response.status().is_redirection(), "{}", response.status());
    let back = location(response);
    assert!(!back.contains("__err="), "refused: {back}");
}

/// Follows a refused form post back to its page and returns the message shown next to
/// `field` there.
pub(crate) async fn refusal_of(app: &TestApp, response: &reqwest::Response, field: &str) -> String {
    let back = location(response);
    assert!(back.contains("__err="), "not refused: {back}");
    let html = get(app, back.trim_start_matches(&app.base_url)).await;
    let id = format!("id=\"error-{}\"", field.replace(['.', '@', ' '], "-"));
    let at = html
        .find(&id)
        .unwrap_or_else(|| panic!("no refusal of {field} in the page"));
    let rest = &html[at..];
    rest[..rest.find("</p>").unwrap_or(rest.len())].to_string()
}

/// Follows a refused form post back to its page and returns its banner.
pub(crate) async fn banner_of(app: &TestApp, response: &reqwest::Response) -> String {
    let back = location(response);
    assert!(back.contains("__err="), "not refused: {back}");
    let html = get(app, back.trim_start_matches(&app.base_url)).await;
    let at = html.find("class=\"banner\"").expect("a banner");
    let rest = &html[at..];
    rest[..rest.find("</div>").unwrap_or(rest.len())].to_string()
}

/// The demo shop's row.
pub(crate) async fn shop(app: &TestApp) -> shops::Model {
    shops::Entity::find()
        .filter(shops::Column::Slug.eq(DEMO_SHOP_SLUG))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the demo shop")
}

/// The audit entries of `action`, oldest first.
pub(crate) async fn audited(app: &TestApp, action: &str) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .order_by_asc(audit_log::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

async fn audit_rows(app: &TestApp) -> u64 {
    audit_log::Entity::find().count(&app.db).await.unwrap()
}

fn profile_form(shop: &shops::Model) -> Vec<(&'static str, String)> {
    let mut form = vec![
        ("version", shop.version.to_string()),
        ("name", shop.name.clone()),
        ("timezone", shop.timezone.clone()),
        ("transit_days", shop.transit_days.to_string()),
    ];
    for day in 0..7 {
        if shop.working_weekdays & (1 << day) != 0 {
            form.push(("weekdays[]", day.to_string()));
        }
    }
    form
}

fn with(
    mut form: Vec<(&'static str, String)>,
    key: &'static str,
    value: &str,
) -> Vec<(&'static str, String)> {
    form.retain(|(k, _)| *k != key);
    form.push((key, value.to_string()));
    form
}

fn borrowed<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn save_profile(app: &TestApp, form: &[(&'static str, String)]) -> reqwest::Response {
    post_form(app, "/_fn/admin/save_profile", SETTINGS, &borrowed(form)).await
}

async fn public_get(app: &TestApp, key: &str, origin: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url(CONFIGURATOR)).bearer_auth(key);
    if let Some(origin) = origin {
        request = request.header("Origin", origin);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn the_snippet_loads_the_widget_from_the_configured_public_url() {
    let app = c2m_tests::spawn_app_with(
        c2m_tests::Backend::Sqlite,
        &[("C2M_PUBLIC_URL", "https://c2m.example.com")],
    )
    .await;
    app.sign_in().await;
    let html = get(&app, SETTINGS).await;
    assert!(
        html.contains("&lt;script type=\"module\" src=\"https://c2m.example.com/widget/c2m.js\"&gt;"),
        "the configured origin"
    );
}

async fn the_settings_page_shows_profile_calendar_origins_keys_and_snippet(app: TestApp) {
    let signed_out = get(&app, SETTINGS).await;
    assert!(signed_out.contains("Sign in to c2m") && !signed_out.contains("data-form=\"profile\""));
    app.sign_in().await;
    let html = get(&app, SETTINGS).await;
    let shop = shop(&app).await;
    assert!(html.contains("data-form=\"profile\""));
    assert!(html.contains(&format!("name=\"version\" value=\"{}\"", shop.version)));
    assert!(html.contains("value=\"Europe/Berlin\""), "the time zone");
    assert!(html.contains("data-currency=\"EUR\""), "the currency, read-only");
    assert_eq!(html.matches("name=\"weekdays[]\"").count(), 7);
    assert_eq!(
        html.matches("name=\"weekdays[]\" value=\"4\" checked").count(),
        1,
        "Friday is a working day"
    );
    assert!(
        !html.contains("name=\"weekdays[]\" value=\"5\" checked"),
        "Saturday is not"
    );
    assert!(html.contains("Christmas Day"), "the shop's holidays");
    assert!(html.contains("data-origin=\"http://localhost:3000\""));
    assert!(
        html.contains("data-key=\"pk_demo_c2m_\""),
        "keys are listed by prefix"
    );
    assert!(!html.contains(DEMO_PUBLISHABLE_KEY), "never in full");
    let script = format!(
        "&lt;script type=\"module\" src=\"{}/widget/c2m.js\"&gt;",
        app.base_url
    );
    assert!(
        html.contains(&script),
        "the snippet loads the widget from this server"
    );
    // The snippet's origin is configured, not taken from what the request claims.
    let forged = app
        .client
        .get(app.url(SETTINGS))
        .header("x-forwarded-host", "evil.example")
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(forged.contains(&script) && !forged.contains("evil.example"));
    assert!(
        html.contains("product=\"city-tote\" key=\"pk_…\""),
        "the first product, a placeholder key"
    );
    let chosen = get(&app, "/admin/settings?product=weekender-bag").await;
    assert!(
        chosen.contains("product=\"weekender-bag\" key=\"pk_…\""),
        "the product chosen in the URL"
    );
}

async fn a_profile_save_is_audited_and_bumps_the_state_version_only_for_quotes(app: TestApp) {
    app.sign_in().await;
    let before = shop(&app).await;
    let form = with(profile_form(&before), "transit_days", "3");
    accepted(&save_profile(&app, &form).await);
    let after = shop(&app).await;
    assert_eq!(after.transit_days, 3);
    assert_eq!(after.version, before.version + 1);
    assert_eq!(
        after.state_version,
        before.state_version + 1,
        "transit changes quotes"
    );
    let entries = audited(&app, "shop.update").await;
    assert_eq!(entries.len(), 1);
    assert!(entries[0].actor.starts_with("merchant:"));
    assert_eq!(entries[0].before.as_ref().unwrap()["transit_days"], 2);
    assert_eq!(entries[0].after.as_ref().unwrap()["transit_days"], 3);

    // A new name is audited too, but no quote depends on it.
    let form = with(profile_form(&after), "name", "Atelier Nord");
    accepted(&save_profile(&app, &form).await);
    let renamed = shop(&app).await;
    assert_eq!(renamed.name, "Atelier Nord");
    assert_eq!(renamed.version, after.version + 1);
    assert_eq!(renamed.state_version, after.state_version, "no quote changed");
    let entries = audited(&app, "shop.update").await;
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1].after.as_ref().unwrap()["name"], "Atelier Nord");

    // Shipping on Saturdays too.
    let mut form = profile_form(&renamed);
    form.push(("weekdays[]", "5".into()));
    accepted(&save_profile(&app, &form).await);
    let weekend = shop(&app).await;
    assert_eq!(weekend.working_weekdays, 0b011_1111);
    assert_eq!(weekend.state_version, renamed.state_version + 1);
}

async fn a_stale_profile_form_is_refused(app: TestApp) {
    app.sign_in().await;
    let read = shop(&app).await;
    accepted(&save_profile(&app, &with(profile_form(&read), "name", "First save")).await);
    let after_first = shop(&app).await;
    let stale = with(profile_form(&read), "transit_days", "9");
    let response = save_profile(&app, &stale).await;
    let banner = banner_of(&app, &response).await;
    assert!(banner.contains("changed by someone else"), "{banner}");
    assert_eq!(shop(&app).await, after_first, "the stale save changed nothing");
}

async fn profile_refusals_name_their_field_and_change_nothing(app: TestApp) {
    app.sign_in().await;
    let before = shop(&app).await;
    let rows = audit_rows(&app).await;
    let no_days: Vec<_> = profile_form(&before)
        .into_iter()
        .filter(|(k, _)| *k != "weekdays[]")
        .collect();
    let cases = [
        (
            with(profile_form(&before), "name", "  "),
            "name",
            "cannot be empty",
        ),
        (
            with(profile_form(&before), "name", &"x".repeat(121)),
            "name",
            "at most 120",
        ),
        (
            with(profile_form(&before), "timezone", "Mars/Olympus_Mons"),
            "timezone",
            "not an IANA time zone",
        ),
        (
            with(profile_form(&before), "timezone", "europe/berlin"),
            "timezone",
            "Europe/Berlin",
        ),
        (no_days, "weekdays", "at least one"),
        (
            with(profile_form(&before), "weekdays[]", "9"),
            "weekdays",
            "not a weekday",
        ),
        (
            with(profile_form(&before), "transit_days", "61"),
            "transit_days",
            "between 0 and 60",
        ),
        (
            with(profile_form(&before), "transit_days", "-1"),
            "transit_days",
            "between 0 and 60",
        ),
        (
            with(profile_form(&before), "transit_days", "two"),
            "transit_days",
            "not a whole number",
        ),
    ];
    for (form, field, says) in cases {
        let response = save_profile(&app, &form).await;
        let shown = refusal_of(&app, &response, field).await;
        assert!(shown.contains(says), "{field}: {shown}");
    }
    assert_eq!(shop(&app).await, before, "nothing was saved");
    assert_eq!(audit_rows(&app).await, rows, "nothing was audited");
}

async fn a_new_time_zone_moves_the_shops_today(app: TestApp) {
    app.sign_in().await;
    // Noon UTC on the seed day is still that day in Berlin, already the next in Kiribati.
    let capacity = get(&app, "/admin/capacity").await;
    assert!(capacity.contains("data-day=\"2026-11-25\""));
    let before = shop(&app).await;
    let form = with(profile_form(&before), "timezone", "Pacific/Kiritimati");
    accepted(&save_profile(&app, &form).await);
    assert_eq!(shop(&app).await.state_version, before.state_version + 1);
    let capacity = get(&app, "/admin/capacity").await;
    assert!(!capacity.contains("data-day=\"2026-11-25\""), "yesterday, there");
    assert!(capacity.contains("data-day=\"2026-11-26\""));
}

async fn shop_holidays_are_added_and_removed(app: TestApp) {
    app.sign_in().await;
    let add = |day: &'static str, name: &'static str| {
        let app = &app;
        async move {
            post_form(
                app,
                "/_fn/admin/add_shop_holiday",
                SETTINGS,
                &[("day", day), ("name", name)],
            )
            .await
        }
    };
    let before = shop(&app).await;
    accepted(&add("2026-12-28", "Inventory day").await);
    let stored = shop_holidays::Entity::find()
        .filter(shop_holidays::Column::Name.eq("Inventory day"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("stored");
    assert_eq!(stored.day.to_string(), "2026-12-28");
    let added = shop(&app).await.state_version;
    assert_eq!(added, before.state_version + 1, "shipping days change quotes");
    assert_eq!(audited(&app, "shop_holiday.add").await.len(), 1);
    assert!(get(&app, SETTINGS).await.contains("data-holiday=\"2026-12-28\""));

    let count = shop_holidays::Entity::find().count(&app.db).await.unwrap();
    for (day, name, field, says) in [
        ("2026-12-28", "Again", "holiday.day", "already a holiday"),
        ("2026-11-24", "Yesterday", "holiday.day", "in the past"),
        ("28.12.2026", "Typo", "holiday.day", "not a date"),
        ("", "No day", "holiday.day", "say which day"),
        ("2026-12-29", " ", "holiday.name", "cannot be empty"),
    ] {
        let response = add(day, name).await;
        let shown = refusal_of(&app, &response, field).await;
        assert!(shown.contains(says), "{day} {name}: {shown}");
    }
    assert_eq!(shop_holidays::Entity::find().count(&app.db).await.unwrap(), count);
    assert_eq!(shop(&app).await.state_version, added, "refusals change nothing");

    let remove = [("day", "2026-12-28")];
    accepted(&post_form(&app, "/_fn/admin/remove_shop_holiday", SETTINGS, &remove).await);
    assert_eq!(
        shop_holidays::Entity::find().count(&app.db).await.unwrap(),
        count - 1
    );
    assert_eq!(shop(&app).await.state_version, added + 1);
    let entries = audited(&app, "shop_holiday.remove").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].before.as_ref().unwrap()["name"], "Inventory day");
    let again = post_form(&app, "/_fn/admin/remove_shop_holiday", SETTINGS, &remove).await;
    assert!(banner_of(&app, &again).await.contains("not a holiday"));
}

async fn an_origin_takes_effect_at_once_and_must_be_written_as_browsers_send_it(app: TestApp) {
    app.sign_in().await;
    let new = "https://shop.example";
    let preflight = || async {
        app.client
            .request(reqwest::Method::OPTIONS, app.url(CONFIGURATOR))
            .header("Origin", new)
            .header("Access-Control-Request-Method", "GET")
            .send()
            .await
            .unwrap()
            .status()
    };
    // Refused, and the refusal is cached for 30 s: the admin's change must drop it.
    assert_eq!(preflight().await, 403);
    assert_eq!(
        public_get(&app, DEMO_PUBLISHABLE_KEY, Some(new)).await.status(),
        403
    );

    let add = |origin: &'static str| {
        let app = &app;
        async move { post_form(app, "/_fn/admin/add_origin", SETTINGS, &[("origin", origin)]).await }
    };
    let shown = refusal_of(&app, &add("https://shop.example/").await, "origin").await;
    assert!(
        shown.contains("trailing slash: write https://shop.example"),
        "{shown}"
    );
    let shown = refusal_of(&app, &add("shop.example").await, "origin").await;
    assert!(shown.contains("https://"), "{shown}");
    let shown = refusal_of(&app, &add("http://localhost:3000").await, "origin").await;
    assert!(shown.contains("already allowed"), "{shown}");

    let state_version = shop(&app).await.state_version;
    accepted(&add(new).await);
    assert_eq!(preflight().await, 204, "allowed at once");
    assert_eq!(
        public_get(&app, DEMO_PUBLISHABLE_KEY, Some(new)).await.status(),
        200
    );
    assert_eq!(
        shop(&app).await.state_version,
        state_version,
        "origins change no quote"
    );
    assert_eq!(audited(&app, "shop_origin.add").await.len(), 1);

    // The key's lookup (with its origins) is cached by the request above; removing the
    // origin must still refuse the next request.
    let old = "http://localhost:3000";
    assert_eq!(
        public_get(&app, DEMO_PUBLISHABLE_KEY, Some(old)).await.status(),
        200
    );
    accepted(&post_form(&app, "/_fn/admin/remove_origin", SETTINGS, &[("origin", old)]).await);
    let refused = public_get(&app, DEMO_PUBLISHABLE_KEY, Some(old)).await;
    assert_eq!(refused.status(), 403, "refused at once");
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(problem["type"], "https://c2m.dev/problems/origin-not-allowed");
    let left: Vec<String> = shop_origins::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.origin)
        .collect();
    assert!(
        left.contains(&new.to_string()) && !left.contains(&old.to_string()),
        "{left:?}"
    );
    let entries = audited(&app, "shop_origin.remove").await;
    assert_eq!(entries[0].before.as_ref().unwrap()["origin"], old);
}

/// The whole key shown on the page, if any.
fn revealed_key(html: &str) -> Option<String> {
    let at = html.find("<code class=\"key\">")? + "<code class=\"key\">".len();
    Some(html[at..at + 35].to_string())
}

async fn a_created_key_is_shown_once_and_works_at_once(app: TestApp) {
    app.sign_in().await;
    let created = post_form(
        &app,
        "/_fn/admin/create_api_key",
        SETTINGS,
        &[("kind", "publishable"), ("label", "Online shop")],
    )
    .await;
    accepted(&created);

    // Without wasm the page after the redirect shows the key, once.
    let html = get(&app, SETTINGS).await;
    let key = revealed_key(&html).expect("the new key is shown");
    assert!(
        key.starts_with("pk_") && key[3..].chars().all(|c| c.is_ascii_hexdigit()),
        "{key}"
    );
    assert!(
        html.contains(&format!("key=\"{key}\"")),
        "the embed snippet carries the new key"
    );
    let again = get(&app, SETTINGS).await;
    assert_eq!(revealed_key(&again), None, "shown once");
    assert!(!again.contains(&key));
    assert!(
        again.contains(&format!("data-key=\"{}\"", &key[..12])),
        "listed by its prefix"
    );

    assert_eq!(public_get(&app, &key, None).await.status(), 200, "usable at once");
    let row = api_keys::Entity::find()
        .filter(api_keys::Column::Label.eq("Online shop"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("stored");
    assert_eq!(row.kind, "publishable");
    assert_ne!(row.token_hash, key, "only a hash is stored");
    let entries = audited(&app, "api_key.create").await;
    assert_eq!(entries.len(), 1);
    let after = entries[0].after.as_ref().unwrap().to_string();
    assert!(
        after.contains(&key[..12]) && !after.contains(&key),
        "the log keeps the prefix only: {after}"
    );

    // With wasm the server function answers the key itself.
    let answer: Value = app
        .client
        .post(app.url("/_fn/admin/create_api_key"))
        .form(&[("kind", "secret"), ("label", "Back office")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = answer["key"].as_str().unwrap();
    assert!(secret.starts_with("sk_"), "{answer}");
    assert_eq!(answer["kind"], "secret");
}

async fn a_revoked_key_is_refused_at_once(app: TestApp) {
    app.sign_in().await;
    // The key's lookup is now in the 30 s cache.
    assert_eq!(public_get(&app, DEMO_PUBLISHABLE_KEY, None).await.status(), 200);
    let row = api_keys::Entity::find()
        .filter(api_keys::Column::Prefix.eq(&DEMO_PUBLISHABLE_KEY[..12]))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the demo key");
    let id = row.id.to_string();
    let state_version = shop(&app).await.state_version;
    accepted(&post_form(&app, "/_fn/admin/revoke_api_key", SETTINGS, &[("id", &id)]).await);

    let refused = public_get(&app, DEMO_PUBLISHABLE_KEY, None).await;
    assert_eq!(refused.status(), 401, "refused at once");
    let revoked = api_keys::Entity::find_by_id(row.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(revoked.revoked_at.is_some());
    assert_eq!(
        shop(&app).await.state_version,
        state_version,
        "keys change no quote"
    );
    let entries = audited(&app, "api_key.revoke").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].entity_id, &DEMO_PUBLISHABLE_KEY[..12]);
    assert!(entries[0].before.as_ref().unwrap()["revoked_at"].is_null());
    let html = get(&app, SETTINGS).await;
    assert!(html.contains("data-key=\"pk_demo_c2m_\" data-status=\"revoked\""));

    // Twice is refused: someone else did it first.
    let again = post_form(&app, "/_fn/admin/revoke_api_key", SETTINGS, &[("id", &id)]).await;
    assert!(banner_of(&app, &again).await.contains("already revoked"));
    assert_eq!(audited(&app, "api_key.revoke").await.len(), 1);
}

async fn key_refusals_name_their_field(app: TestApp) {
    app.sign_in().await;
    let keys = api_keys::Entity::find().count(&app.db).await.unwrap();
    for (kind, label, field, says) in [
        ("master", "Shop", "kind", "publishable, secret"),
        ("publishable", " ", "label", "cannot be empty"),
        ("secret", &"x".repeat(81), "label", "at most 80"),
    ] {
        let response = post_form(
            &app,
            "/_fn/admin/create_api_key",
            SETTINGS,
            &[("kind", kind), ("label", label)],
        )
        .await;
        let shown = refusal_of(&app, &response, field).await;
        assert!(shown.contains(says), "{field}: {shown}");
    }
    assert_eq!(api_keys::Entity::find().count(&app.db).await.unwrap(), keys);
    let unknown = post_form(&app, "/_fn/admin/revoke_api_key", SETTINGS, &[("id", "999999")]).await;
    assert!(banner_of(&app, &unknown).await.contains("no such key"));
}
