//! Every write function moves the shop's state version exactly when it changes what
//! quotes are computed from. The write functions are walked from the source, not taken
//! from a list kept by hand.
//!
//! The walk ([`write_functions`]) reads every file under `server/src` except the unit of
//! work itself (`store/unit/`). It collects each `pub async fn` that takes a `ShopWrite`
//! or opens one with `db.write(`. For each of them, [`scenario`] makes real calls on the
//! seeded demo shop, and [`Run::case`] loads the quote inputs before and after each call:
//! `shop_state::load` gives the engine's `ShopState`, the product listings, and the
//! shop's time zone (its today) and currency. It also reads the shop's state version.
//! A call that changes those inputs must move the version, or quotes are stale. A call
//! that moves the version must change them, or every cached quote is thrown away for
//! nothing. Each case also says which of the two it expects, so a scenario whose input
//! quietly changes nothing cannot pass. Rows that `shop_state` reads in no defined
//! order are sorted before the comparison ([`in_a_stable_order`]).
//!
//! A write function that has no scenario fails the test, and the failure names it.

use std::fmt::Debug;
use std::path::{Path, PathBuf};

use c2m_tests::{TestApp, on_both_databases, seed_day, seed_noon};
use chrono::{Days, NaiveDate};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use server::seed::{DEMO_PLATFORM_WEBHOOK_SECRET, DEMO_PUBLISHABLE_KEY, DEMO_SHOP_SLUG};
use server::service::alerts::heat_spike;
use server::service::alerts::inbox::{self, Decision};
use server::service::catalog::{Move, NewOperation, NewProduct, Part, ProductEditor, ProductFields};
use server::service::orders::platform as inbound_hooks;
use server::service::orders::{self, book::Idempotency, risk};
use server::service::policies::settings::{self, SettingsChange};
use server::service::supply::{
    Imported, InboundAction, InboundRow, NewPurchaseOrder, NewReservation, NewTransfer, ReservationAction,
};
use server::service::webhooks::{endpoints, signature};
use server::service::{Saved, WriteError, capacity, catalog, settings as shop_settings, supply};
use server::store::StoreError;
use server::store::entities::{
    AlertStatus, SuggestionStatus, alerts, materials, nodes, shops, stock, suggestions, work_centers,
};
use server::store::shop_state::{self, LoadedShop};

/// A value of one of `app::model`'s wire types (a profile, a holiday, a new material,
/// an import kind), built from its JSON. This crate does not depend on `app`, so it
/// cannot name those types; the function that takes the value fixes the type.
macro_rules! wire {
    ($($json:tt)+) => {
        serde_json::from_value(serde_json::json!($($json)+)).expect("a valid wire value")
    };
}

on_both_databases!(every_write_moves_the_version_exactly_when_it_changes_quotes);

const ACTOR: &str = "merchant:1";
const PRODUCT: &str = "weekender-bag";

async fn every_write_moves_the_version_exactly_when_it_changes_quotes(app: TestApp) {
    let functions = write_functions();
    assert!(
        functions.len() >= 30,
        "the walk found only {} write functions, so it is broken: {functions:?}",
        functions.len()
    );
    assert!(
        functions.iter().any(|f| f == "import_csv"),
        "the walk missed import_csv, which opens its units through a helper of its file: {functions:?}"
    );
    let shop = shop_model(&app).await.id;
    let mut missing = Vec::new();
    let mut problems = Vec::new();
    let mut seen = Vec::new();
    for function in &functions {
        // Boxed: the scenarios' futures together are too large for a test thread's stack.
        match Box::pin(scenario(function, &app, shop)).await {
            None => missing.push(function.as_str()),
            Some(observed) if observed.is_empty() => {
                problems.push(format!("{function}: its scenario calls nothing"));
            }
            Some(observed) => {
                for call in &observed {
                    seen.push(call.summary(function));
                    problems.extend(call.problems(function));
                }
            }
        }
    }
    println!(
        "{} write functions, {} calls:\n{}",
        functions.len(),
        seen.len(),
        seen.join("\n")
    );
    assert!(
        missing.is_empty(),
        "these write functions have no scenario; add one to `scenario` in tests/api/versions.rs: {missing:?}"
    );
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------------
// The walk.

/// The server's write functions, sorted: every `pub async fn` outside `store/unit/`
/// and `simulate/` (the replay only drives the services, whose writes are walked
/// here themselves) whose signature (up to its first `{`) mentions `ShopWrite`, or whose body (up to the
/// next top-level item) opens a unit with `db.write(`, itself or by calling a non-public
/// function of the same file that does (`import_csv`). Each is keyed by its name, or by
/// `path::name` (relative to `server/src`) when several files have a function of that
/// name.
fn write_functions() -> Vec<String> {
    let src = c2m_tests::workspace_root().join("server/src");
    let mut found: Vec<(String, String)> = Vec::new();
    for file in rust_files(&src) {
        let path = file
            .strip_prefix(&src)
            .expect("a file under server/src")
            .to_string_lossy()
            .replace('\\', "/");
        if path.starts_with("store/unit/") || path.starts_with("simulate/") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{path}: {e}"));
        found.extend(writes_in(&text).into_iter().map(|name| (path.clone(), name)));
    }
    let shared = |name: &str| found.iter().filter(|(_, other)| other == name).count() > 1;
    let mut keys: Vec<String> = found
        .iter()
        .map(|(path, name)| {
            if shared(name) {
                format!("{path}::{name}")
            } else {
                name.clone()
            }
        })
        .collect();
    keys.sort();
    keys
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    files
}

/// The names of the write functions in one file's `text`: the public ones that open a
/// unit themselves or through a private helper of the same file that does.
fn writes_in(text: &str) -> Vec<String> {
    let opening: Vec<String> = functions(text, "async fn ")
        .filter(|(_, signature, body)| !signature.starts_with("pub ") && body.contains("db.write("))
        .map(|(name, _, _)| format!("{name}("))
        .collect();
    functions(text, "pub async fn ")
        .filter(|(_, signature, body)| {
            signature.contains("ShopWrite")
                || body.contains("db.write(")
                || opening.iter().any(|call| body.contains(call.as_str()))
        })
        .map(|(name, _, _)| name)
        .collect()
}

/// Each function of `text` declared with `keyword` (`pub async fn `, or `async fn `
/// of any visibility): its name, its signature (from the keyword up to its first `{`)
/// and its body (up to the next top-level item).
fn functions<'a>(text: &'a str, keyword: &'static str) -> impl Iterator<Item = (String, &'a str, &'a str)> {
    text.match_indices(keyword)
        .filter(|&(at, _)| !in_comment(text, at))
        .map(move |(at, _)| {
            // The line's start, so a signature says its own visibility.
            let line = text[..at].rfind('\n').map_or(0, |newline| newline + 1);
            let rest = &text[at..];
            let name: String = rest[keyword.len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let split = rest.find('{').unwrap_or(rest.len());
            let signature = text[line..at + split].trim_start();
            let body = &rest[split..];
            (name, signature, &body[..item_end(body)])
        })
}

/// Whether `at` is on a comment line (`pub async fn` in a doc comment is no function).
fn in_comment(text: &str, at: usize) -> bool {
    let line = text[..at].rfind('\n').map_or(0, |newline| newline + 1);
    text[line..at].trim_start().starts_with("//")
}

/// Where the next top-level item of `text` starts, or its end.
fn item_end(text: &str) -> usize {
    [
        "\npub ",
        "\npub(",
        "\nfn ",
        "\nasync fn ",
        "\nimpl",
        "\nmod ",
        "\n#[cfg(test)]",
    ]
    .iter()
    .filter_map(|item| text.find(item))
    .min()
    .unwrap_or(text.len())
}

// ---------------------------------------------------------------------------------
// Observing one call.

/// Whether a case's write should move the state version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Bump,
    Stay,
}

/// One call of a write function, as observed.
struct Observed {
    case: String,
    expect: Expect,
    /// The state version before and after.
    versions: (i64, i64),
    /// What quotes read that the call changed (see [`differences`]).
    changed: Vec<&'static str>,
}

impl Observed {
    fn moved(&self) -> bool {
        self.versions.0 != self.versions.1
    }

    /// What is wrong with this call, one sentence each.
    fn problems(&self, function: &str) -> Vec<String> {
        let (case, (from, to)) = (&self.case, self.versions);
        let mut problems = Vec::new();
        match (self.moved(), self.changed.is_empty()) {
            (true, true) => problems.push(format!(
                "{function}: {case}: moved the state version ({from} → {to}) but changed nothing quotes read"
            )),
            (false, false) => problems.push(format!(
                "{function}: {case}: changed {:?} but left the state version at {from}: quotes go stale",
                self.changed
            )),
            _ => {}
        }
        if self.moved() && to != from + 1 {
            problems.push(format!(
                "{function}: {case}: moved the state version by {}, not by one",
                to - from
            ));
        }
        if self.moved() != (self.expect == Expect::Bump) {
            problems.push(format!(
                "{function}: {case}: the scenario expects the version to {}, so its input is not what the case says",
                if self.expect == Expect::Bump { "move" } else { "stay" }
            ));
        }
        problems
    }

    /// One line for the test's output.
    fn summary(&self, function: &str) -> String {
        let (from, to) = self.versions;
        let version = if self.moved() {
            format!("{from} → {to}")
        } else {
            format!("stays at {from}")
        };
        format!(
            "  {function}: {}: version {version}, changed {:?}",
            self.case, self.changed
        )
    }
}

/// The calls of one write function's scenario, observed on the demo shop.
struct Run<'a> {
    app: &'a TestApp,
    shop: i64,
    function: &'a str,
    observed: Vec<Observed>,
}

impl Run<'_> {
    /// [`Run::case`], expecting the version to move.
    async fn bumps<T, E: Debug>(&mut self, case: &str, write: impl Future<Output = Result<T, E>>) -> T {
        self.case(case, Expect::Bump, write).await
    }

    /// [`Run::case`], expecting the version to stay.
    async fn stays<T, E: Debug>(&mut self, case: &str, write: impl Future<Output = Result<T, E>>) -> T {
        self.case(case, Expect::Stay, write).await
    }

    /// Runs `write`, which must succeed, between two loads of the quote inputs, and
    /// keeps what it changed and what it did to the version. Returns what it returned.
    async fn case<T, E: Debug>(
        &mut self,
        case: &str,
        expect: Expect,
        write: impl Future<Output = Result<T, E>>,
    ) -> T {
        let before = self.load().await;
        let done = write
            .await
            .unwrap_or_else(|e| panic!("{}: {case}: the write was refused: {e:?}", self.function));
        let after = self.load().await;
        self.observed.push(Observed {
            case: case.to_string(),
            expect,
            versions: (before.shop.state_version, after.shop.state_version),
            changed: differences(&before, &after),
        });
        done
    }

    /// The quote inputs with the state version they belong to, read in one transaction.
    async fn load(&self) -> LoadedShop {
        let loaded = shop_state::load(
            self.app.store(),
            self.shop,
            |_| seed_day(),
            server::quoting::HORIZON_DAYS,
        )
        .await
        .expect("the shop's state loads")
        .expect("the demo shop");
        in_a_stable_order(loaded)
    }
}

/// `loaded` with the rows that `shop_state` reads without an `ORDER BY` sorted, so two
/// loads compare by what those rows hold: PostgreSQL returns them in another order
/// after an unrelated update (accepting a stock level, which updates a `materials` row,
/// reorders `stock`). Rows read in a defined order (materials, offers, products, option
/// values, routings) are left as they are: their order is part of what a write changes.
fn in_a_stable_order(mut loaded: LoadedShop) -> LoadedShop {
    let state = &mut loaded.state;
    state.lanes.sort_by_key(|l| (l.from, l.to));
    state.stock.sort_by_key(|s| (s.material, s.node));
    // Ordered by ETA only: lines due the same day come in any order.
    state
        .inbound
        .sort_by_key(|l| (l.eta, l.reference.clone(), l.material, l.node, l.uncommitted));
    state.reservations.sort_by_key(|r| {
        (
            r.material,
            r.window_start,
            r.window_end,
            r.quantity,
            r.supplier.clone(),
        )
    });
    for recipe in state
        .products
        .iter_mut()
        .flat_map(|p| p.recipes.iter_mut().flatten())
    {
        recipe.bom.sort_by_key(|l| (l.material, l.quantity));
    }
    loaded
}

/// What differs between two loads of the quote inputs: the fields of the engine's
/// state, the listings (what the configurator shows beside it), and the shop's time
/// zone (where its today is) and currency, which the quote service reads off the row.
fn differences(before: &LoadedShop, after: &LoadedShop) -> Vec<&'static str> {
    let (a, b) = (&before.state, &after.state);
    let mut changed = Vec::new();
    macro_rules! compare {
        ($($field:ident),+) => {
            $(if a.$field != b.$field {
                changed.push(concat!("state.", stringify!($field)));
            })+
        };
    }
    compare!(
        today,
        horizon_days,
        shipping,
        transit_days,
        nodes,
        lanes,
        materials,
        stock,
        inbound,
        offers,
        reservations,
        work_centers,
        products
    );
    // A field added to the state later is still compared, if not named.
    if a != b && changed.is_empty() {
        changed.push("state");
    }
    if listings(before) != listings(after) {
        changed.push("listings");
    }
    if before.shop.timezone != after.shop.timezone {
        changed.push("shop.timezone");
    }
    if before.shop.currency != after.shop.currency {
        changed.push("shop.currency");
    }
    changed
}

fn listings(loaded: &LoadedShop) -> Vec<(i64, &[Vec<i64>], &str, bool)> {
    loaded
        .listings
        .iter()
        .map(|l| (l.id, l.value_ids.as_slice(), l.description.as_str(), l.presale))
        .collect()
}

// ---------------------------------------------------------------------------------
// The scenarios: one arm per write function.

/// The calls that exercise write function `function`, observed; `None` when it has no
/// scenario yet. Scenarios run in the walk's (name) order on one shop, each arranging
/// what it needs itself (through the write functions, so that is observed too).
async fn scenario(function: &str, app: &TestApp, shop: i64) -> Option<Vec<Observed>> {
    let mut run = Run {
        app,
        shop,
        function,
        observed: Vec::new(),
    };
    let r = &mut run;
    // The orders' scenarios are matched in a function of their own: in a debug build
    // every arm's future takes its own room in the frame of the function matching it,
    // and all in one overran a test thread's stack.
    if Box::pin(order_scenario(function, r)).await {
        return Some(run.observed);
    }
    match function {
        "act_on_inbound" => Box::pin(inbound_moves(r)).await,
        "act_on_reservation" => Box::pin(reservation_moves(r)).await,
        "register_endpoint" => Box::pin(an_endpoint_registered(r)).await,
        "remove_endpoint" => Box::pin(an_endpoint_removed(r)).await,
        "reschedule_inbound" => Box::pin(inbound_rescheduled(r)).await,
        "add_group" => Box::pin(a_new_option_group(r)).await,
        "add_operation" => Box::pin(new_operations(r)).await,
        "add_origin" => Box::pin(a_new_origin(r)).await,
        "add_shop_holiday" => Box::pin(a_new_shop_holiday(r)).await,
        "add_value" => Box::pin(a_new_option_value(r)).await,
        "add_work_center_holiday" => Box::pin(a_new_work_center_holiday(r)).await,
        "adjust_stock" => Box::pin(a_stock_adjustment(r)).await,
        "create_api_key" => Box::pin(a_new_api_key(r)).await,
        "create_material" => Box::pin(a_new_material(r)).await,
        "create_product" => Box::pin(a_new_product(r)).await,
        "create_purchase_order" => Box::pin(a_new_purchase_order(r)).await,
        "create_reservation" => Box::pin(a_new_reservation(r)).await,
        "create_transfer" => Box::pin(a_new_transfer(r)).await,
        "expire_due" | "expire_reservations" => Box::pin(requests_expired(r)).await,
        "decide" => Box::pin(suggestion_decisions(r)).await,
        "create_rule" | "set_rule_paused" | "delete_rule" | "act_on_suggestions" | "execute_by_rule" => {
            Box::pin(rules_acting(r)).await
        }
        "undo_suggestion" => Box::pin(suggestions_undone(r)).await,
        "send_purchase_order" | "confirm_by_supplier" => {
            Box::pin(purchase_orders_sent_and_confirmed(r)).await
        }
        "dismiss_alert" => Box::pin(an_alert_dismissed(r)).await,
        "freeze_value" => Box::pin(value_freezes(r)).await,
        "import_csv" => {
            // Materials and stock files are written by import_csv's chunks themselves.
            Box::pin(a_materials_import(r)).await;
            Box::pin(a_stock_import(r)).await;
            Box::pin(imports_that_change_nothing(r)).await
        }
        "service/alerts/decay.rs::evaluate" => Box::pin(a_product_declines(r)).await,
        "service/alerts/leftover.rs::evaluate" => Box::pin(a_leftover_matched(r)).await,
        "move_value" => Box::pin(a_value_moved(r)).await,
        "remove_operation" => Box::pin(an_operation_removed(r)).await,
        "remove_origin" => Box::pin(an_origin_removed(r)).await,
        "remove_shop_holiday" => Box::pin(a_shop_holiday_removed(r)).await,
        "remove_work_center_holiday" => Box::pin(a_work_center_holiday_removed(r)).await,
        "revoke_api_key" => Box::pin(an_api_key_revoked(r)).await,
        "sign_out_everywhere" => Box::pin(signed_out_everywhere(r)).await,
        "save" => Box::pin(policy_settings_saved(r)).await,
        "save_product" => Box::pin(product_renames(r)).await,
        "save_profile" => Box::pin(profile_saves(r)).await,
        "save_work_center" => Box::pin(work_center_hours(r)).await,
        "set_bom_line" => Box::pin(bom_lines(r)).await,
        "set_capacity" => Box::pin(a_capacity_change(r)).await,
        "set_stock" => Box::pin(a_stock_count(r)).await,
        "make_up_for_late" | "set_shares_back" => Box::pin(forecast_shares_moved(r)).await,
        "save_promises" => Box::pin(promise_settings(r)).await,
        "set_promises" => Box::pin(promises_over_the_api(r)).await,
        "set_allocation" => Box::pin(stock_kept_for_a_channel(r)).await,
        "remove_allocation" => Box::pin(stock_no_longer_kept(r)).await,
        "service/supply/csv/suppliers.rs::import" => Box::pin(a_suppliers_import(r)).await,
        "service/supply/csv/consumption.rs::import" => Box::pin(a_consumption_import(r)).await,
        "unfreeze_value" => Box::pin(a_value_unfrozen(r)).await,
        "update_product" => Box::pin(product_edits(r)).await,
        "update_value" => Box::pin(value_edits(r)).await,
        _ => return None,
    }
    Some(run.observed)
}

/// [`scenario`] for the orders' write functions; whether `function` is one of them.
async fn order_scenario(function: &str, r: &mut Run<'_>) -> bool {
    match function {
        "apply_notification" => Box::pin(platform_notifications(r)).await,
        "mark_late_risk" => Box::pin(late_risk_marked(r)).await,
        "refresh_late_risk" => Box::pin(late_risk_refreshed(r)).await,
        "consume" => Box::pin(materials_consumed(r)).await,
        "move_order" => Box::pin(order_moves(r)).await,
        "move_production_earlier" => Box::pin(production_pulled_in(r)).await,
        "group" => Box::pin(orders_placed_together(r)).await,
        "place" => Box::pin(orders_placed(r)).await,
        "raise_awaited" => Box::pin(awaited_supply_ordered(r)).await,
        "report" => Box::pin(operations_reported(r)).await,
        _ => return false,
    }
    true
}

// Orders.

async fn orders_placed(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let order = || -> orders::NewOrder {
        wire!({
            "reference": "VERSIONS-1",
            "product": PRODUCT,
            "selection": {"fabric": ["navy-canvas"], "trim": ["tan"], "hardware": ["brass"], "lining": ["cotton"]},
            "quantity": 1,
        })
    };
    let key = || Idempotency {
        key: "versions-1".into(),
        request_hash: "the same request".into(),
    };
    r.bumps(
        "an order reserves what its plan uses",
        app.state.orders.place(shop, ACTOR, order(), Some(key())),
    )
    .await;
    r.stays(
        "the same request again books nothing",
        app.state.orders.place(shop, ACTOR, order(), Some(key())),
    )
    .await;
}

/// `pull_in::move_production_earlier`: an order that waits on PO-1041 for part of its
/// lagoon canvas is made earlier once the line arrives early (and capacity is free).
async fn production_pulled_in(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let model = shop_model(app).await;
    // Boxed: its future is large, and the scenarios' share one test thread's stack.
    let pull = || {
        Box::pin(orders::pull_in::move_production_earlier(
            app.store(),
            &app.state.quoting,
            &model,
        ))
    };
    // Whatever the demo and the scenarios before left to move, first.
    pull().await.expect("the rule runs");
    r.stays("nothing left to pull in", pull()).await;
    let order: orders::NewOrder = wire!({
        "reference": "VERSIONS-PULL-IN",
        "product": PRODUCT,
        "selection": {"fabric": ["lagoon-canvas"], "trim": ["tan"], "hardware": ["brass"], "lining": ["cotton"]},
        "quantity": 5,
    });
    let placed = Box::pin(app.state.orders.place(shop, ACTOR, order, None))
        .await
        .expect("booked");
    let line = placed
        .order
        .reservations
        .iter()
        .find_map(|r| r.inbound.clone())
        .expect("part of the canvas waits on a line");
    let line = server::store::entities::inbound::Entity::find()
        .filter(server::store::entities::inbound::Column::Reference.eq(line))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the line");
    inbound(app, shop, line.id, InboundAction::Receive)
        .await
        .expect("received early");
    // The demo's work centers are booked until the line's day: longer days, from now
    // on, leave room to make it earlier (and are given back after).
    let centers = ["CUT", "SEW", "FIN"];
    let mut hours = Vec::new();
    for center in centers {
        hours.push(work_center(app, shop, center).await.minutes_per_day);
        capacity::set_capacity(app.write(shop, ACTOR).await, center, 1_200)
            .await
            .expect("capacity");
    }
    let moved = r
        .bumps("an order whose material came early is made earlier", pull())
        .await;
    assert!(moved.iter().any(|m| m.order == placed.order.id), "{moved:?}");
    for (center, minutes) in centers.into_iter().zip(hours) {
        capacity::set_capacity(app.write(shop, ACTOR).await, center, minutes)
            .await
            .expect("capacity");
    }
}

/// `book::group` itself, as the order desk runs it for orders that arrive together.
async fn orders_placed_together(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let request = |reference: &str| orders::book::Request {
        order: wire!({
            "reference": reference,
            "product": PRODUCT,
            "selection": {"fabric": ["sand-canvas"], "trim": ["tan"], "hardware": ["brass"], "lining": ["cotton"]},
            "quantity": 1,
        }),
        idempotency: None,
    };
    let (first, second) = (request("VERSIONS-GROUP-1"), request("VERSIONS-GROUP-2"));
    let booked = r
        .bumps("two orders in one unit of work", async {
            orders::book::group(
                app.write(shop, ACTOR).await,
                &app.state.quoting,
                &[&first, &second],
            )
            .await
        })
        .await;
    assert!(booked.iter().all(Result::is_ok), "{booked:?}");
    let refused = r
        .stays("a group whose only order is refused writes nothing", async {
            orders::book::group(app.write(shop, ACTOR).await, &app.state.quoting, &[&first]).await
        })
        .await;
    assert!(refused[0].is_err(), "the reference is taken: {refused:?}");
}

async fn awaited_supply_ordered(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    // Rust canvas has no stock and only a draft purchase order: the tote waits for a
    // supplier order.
    let order: orders::NewOrder = wire!({
        "reference": "VERSIONS-AWAITED",
        "product": "city-tote",
        "selection": {"fabric": ["rust-canvas"], "handles": ["webbing"], "closure": ["open"]},
        "quantity": 1,
    });
    let placed = app
        .state
        .orders
        .place(shop, ACTOR, order, None)
        .await
        .expect("an order");
    assert!(
        placed
            .order
            .reservations
            .iter()
            .any(|r| r.source == "supplier_order"),
        "{:?}",
        placed.order.reservations
    );
    r.bumps(
        "the supplier order is placed and holds the waiting units",
        async { supply::raise_awaited(app.write(shop, ACTOR).await, seed_day()).await },
    )
    .await;
    r.stays("nothing waits any more", async {
        supply::raise_awaited(app.write(shop, ACTOR).await, seed_day()).await
    })
    .await;
}

/// One sand-canvas weekender, booked outside any scenario case.
async fn sand_weekender_ordered(app: &TestApp, shop: i64, reference: &str) -> orders::book::Placed {
    let order: orders::NewOrder = wire!({
        "reference": reference,
        "product": PRODUCT,
        "selection": {"fabric": ["sand-canvas"], "trim": ["tan"], "hardware": ["brass"], "lining": ["cotton"]},
        "quantity": 1,
    });
    app.state
        .orders
        .place(shop, ACTOR, order, None)
        .await
        .expect("an order")
}

async fn order_moves(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let placed = sand_weekender_ordered(app, shop, "VERSIONS-2").await;
    let today = seed_day();
    let to = |status: &str| -> orders::StatusMove { wire!({"status": status, "reason": "test"}) };
    let delivered: orders::StatusMove = wire!({"status": "delivered"});
    let id = placed.order.id;
    r.stays("in production: only the order's status changes", async {
        orders::move_order(app.write(shop, ACTOR).await, id, to("in_production"), today).await
    })
    .await;
    r.bumps("shipped: the reserved stock leaves the shelf", async {
        orders::move_order(app.write(shop, ACTOR).await, id, to("shipped"), today).await
    })
    .await;
    r.stays("delivered: the day is recorded", async {
        orders::move_order(app.write(shop, ACTOR).await, id, delivered, today).await
    })
    .await;
    let placed = sand_weekender_ordered(app, shop, "VERSIONS-3").await;
    r.bumps("cancelled: everything it held is free again", async {
        let w = app.write(shop, ACTOR).await;
        orders::move_order(w, placed.order.id, to("cancelled"), today).await
    })
    .await;
}

async fn operations_reported(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let placed = sand_weekender_ordered(app, shop, "VERSIONS-OPERATIONS").await;
    let today = seed_day();
    let id = placed.order.id;
    let first = placed
        .order
        .operations
        .first()
        .expect("the weekender has a routing");
    let twice: orders::OperationReport = wire!({"actual_minutes": first.planned_minutes * 2});
    let start: orders::StatusMove = wire!({"status": "in_production"});
    orders::move_order(app.write(shop, ACTOR).await, id, start, today)
        .await
        .expect("in production");
    r.bumps(
        "an operation that took twice its minutes slows its work center",
        async { orders::operations::report(app.write(shop, ACTOR).await, id, 0, twice.clone(), today).await },
    )
    .await;
    r.stays("the same report again teaches nothing new", async {
        orders::operations::report(app.write(shop, ACTOR).await, id, 0, twice, today).await
    })
    .await;
}

/// A sand weekender ordered as `reference` and started: its id, a material its plan
/// holds from stock, and how many units of it the plan holds.
async fn in_production(app: &TestApp, shop: i64, reference: &str) -> (i64, String, i64) {
    let placed = sand_weekender_ordered(app, shop, reference).await;
    let held = placed
        .order
        .reservations
        .iter()
        .find(|h| h.source == server::store::entities::ReservationSource::Stock)
        .expect("the weekender holds stock");
    let sku = held.material.clone();
    let planned: i64 = placed
        .order
        .reservations
        .iter()
        .filter(|h| h.material == sku)
        .map(|h| h.quantity)
        .sum();
    let start: orders::StatusMove = wire!({"status": "in_production"});
    orders::move_order(app.write(shop, ACTOR).await, placed.order.id, start, seed_day())
        .await
        .expect("in production");
    (placed.order.id, sku, planned)
}

async fn materials_consumed(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let today = seed_day();
    let (id, sku, planned) = in_production(app, shop, "VERSIONS-CONSUMPTION").await;
    let within: orders::ConsumptionReport = wire!({"sku": sku, "quantity": planned});
    r.stays("material used within the order's plan", async {
        orders::consumption::consume(app.write(shop, ACTOR).await, id, within, today, None).await
    })
    .await;
    let beyond: orders::ConsumptionReport = wire!({"sku": sku, "quantity": 1});
    r.bumps("material used beyond the plan leaves the stock", async {
        orders::consumption::consume(app.write(shop, ACTOR).await, id, beyond, today, None).await
    })
    .await;
}

async fn platform_notifications(r: &mut Run<'_>) {
    let app = r.app;
    let notify = |event: Value| async move {
        let body = serde_json::to_vec(&event).expect("JSON");
        let signature = signature::sign(DEMO_PLATFORM_WEBHOOK_SECRET, seed_noon(), &body);
        let signed = inbound_hooks::Signed {
            shop: Some(DEMO_SHOP_SLUG),
            signature: Some(&signature),
            body: &body,
        };
        let from = inbound_hooks::authenticate(app.store(), &signed).await?;
        let event: inbound_hooks::PlatformEvent = serde_json::from_value(event).expect("a notification");
        inbound_hooks::apply_notification(
            app.store(),
            &app.state.quoting,
            &app.state.orders,
            from,
            &body,
            event,
        )
        .await
    };
    let order = json!({
        "reference": "VERSIONS-HOOK",
        "product": PRODUCT,
        "selection": {"fabric": ["sand-canvas"], "trim": ["tan"], "hardware": ["brass"], "lining": ["cotton"]},
        "quantity": 1,
    });
    r.bumps(
        "a platform's order is booked",
        notify(json!({"type": "order.created", "order": order})),
    )
    .await;
    r.bumps(
        "a platform's cancellation gives its units back",
        notify(json!({"type": "order.cancelled", "reference": "VERSIONS-HOOK", "reason": "test"})),
    )
    .await;
}

async fn late_risk_marked(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let model = shop_model(app).await;
    r.stays("flags on orders are not quote inputs", async {
        let mut w = app.write(shop, ACTOR).await;
        let raised = risk::mark_late_risk(&mut w, &model, seed_day() + chrono::Days::new(400)).await?;
        w.commit().await.map(|_| raised)
    })
    .await;
}

async fn late_risk_refreshed(r: &mut Run<'_>) {
    let app = r.app;
    let model = shop_model(app).await;
    r.stays(
        "clearing the flags again",
        risk::refresh_late_risk(app.store(), &model, seed_day()),
    )
    .await;
}

async fn an_endpoint_registered(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let endpoint: endpoints::NewEndpoint = wire!({"url": "https://example.com/versions"});
    r.stays("an endpoint is not a quote input", async {
        endpoints::register_endpoint(app.write(shop, ACTOR).await, endpoint, None).await
    })
    .await;
}

/// A draft sent to its supplier changes no quote; the supplier's signed confirmation
/// makes it supply on its way, which does.
async fn purchase_orders_sent_and_confirmed(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let endpoint: endpoints::NewEndpoint = wire!({"url": "https://example.com/portal", "supplier": "S-TEX"});
    let (view, _) = endpoints::register_endpoint(app.write(shop, ACTOR).await, endpoint, None)
        .await
        .expect("a supplier's endpoint");
    let secret = view.secret.expect("shown once");
    let draft = draft_purchase_order(app, shop).await.expect("a draft");
    r.stays("a draft sent", async {
        supply::send_purchase_order(app.write(shop, ACTOR).await, draft.id).await
    })
    .await;
    let body = serde_json::to_vec(&json!({"reference": draft.reference, "eta": in_days(15)})).unwrap();
    let at = app.store().now();
    let signed = signature::sign(&secret, at, &body);
    r.bumps("the supplier confirms it", async {
        supply::confirm_by_supplier(app.store(), Some(DEMO_SHOP_SLUG), "S-TEX", Some(&signed), &body).await
    })
    .await;
}

async fn an_endpoint_removed(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let endpoint: endpoints::NewEndpoint = wire!({"url": "https://example.com/removed"});
    let (view, _) = endpoints::register_endpoint(app.write(shop, ACTOR).await, endpoint, None)
        .await
        .expect("an endpoint");
    r.stays("removing it neither", async {
        endpoints::remove_endpoint(app.write(shop, ACTOR).await, view.id).await
    })
    .await;
}

async fn inbound_rescheduled(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let line = draft_purchase_order(app, shop).await.expect("a draft");
    r.stays("a draft's new date: drafts feed no quote", async {
        supply::reschedule_inbound(app.write(shop, ACTOR).await, line.id, in_days(20), seed_day()).await
    })
    .await;
    inbound(app, shop, line.id, InboundAction::Confirm)
        .await
        .expect("confirmed");
    r.bumps("a confirmed line's new date", async {
        supply::reschedule_inbound(app.write(shop, ACTOR).await, line.id, in_days(30), seed_day()).await
    })
    .await;
}

// Purchasing, transfers and capacity reservations.

async fn inbound_moves(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let line = r
        .stays("draft a purchase order", draft_purchase_order(app, shop))
        .await;
    r.bumps(
        "confirm the draft",
        inbound(app, shop, line.id, InboundAction::Confirm),
    )
    .await;
    r.bumps(
        "receive the confirmed line",
        inbound(app, shop, line.id, InboundAction::Receive),
    )
    .await;
    let line = r
        .stays("draft another purchase order", draft_purchase_order(app, shop))
        .await;
    r.stays(
        "cancel the draft",
        inbound(app, shop, line.id, InboundAction::Cancel),
    )
    .await;
    let line = r
        .stays("draft a third purchase order", draft_purchase_order(app, shop))
        .await;
    r.bumps("confirm it", inbound(app, shop, line.id, InboundAction::Confirm))
        .await;
    r.bumps(
        "cancel the confirmed line",
        inbound(app, shop, line.id, InboundAction::Cancel),
    )
    .await;
    let transfer = r.stays("draft a transfer", draft_transfer(app, shop)).await;
    r.bumps(
        "confirm the transfer: its units leave the sender",
        inbound(app, shop, transfer.id, InboundAction::Confirm),
    )
    .await;
    r.bumps(
        "cancel the confirmed transfer: its units come back",
        inbound(app, shop, transfer.id, InboundAction::Cancel),
    )
    .await;
    let transfer = r.stays("draft another transfer", draft_transfer(app, shop)).await;
    r.stays(
        "cancel the draft transfer",
        inbound(app, shop, transfer.id, InboundAction::Cancel),
    )
    .await;
}

async fn a_new_purchase_order(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    r.stays("a draft", draft_purchase_order(app, shop)).await;
}

async fn a_new_transfer(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    r.stays("a draft", draft_transfer(app, shop)).await;
}

async fn reservation_moves(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let id = r.stays("request capacity", request_capacity(app, shop)).await;
    r.bumps(
        "confirm the requested reservation",
        reservation(app, shop, id, ReservationAction::Confirm),
    )
    .await;
    r.bumps(
        "release the confirmed reservation",
        reservation(app, shop, id, ReservationAction::Release),
    )
    .await;
    let id = r
        .stays("request more capacity", request_capacity(app, shop))
        .await;
    r.stays(
        "release the requested reservation",
        reservation(app, shop, id, ReservationAction::Release),
    )
    .await;
}

async fn requests_expired(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    // Requested reservations never fed a quote, so expiring them changes none.
    let later = seed_noon() + chrono::TimeDelta::days(6);
    request_capacity(app, shop).await.expect("requested");
    r.stays("a request past its deadline expires", async {
        supply::expire_reservations(app.write(shop, ACTOR).await, later).await
    })
    .await;
    request_capacity(app, shop).await.expect("requested");
    r.stays("the schedule expires another", async {
        supply::expire_due(app.store(), shop, later).await
    })
    .await;
}

async fn a_new_reservation(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    r.stays("a request", request_capacity(app, shop)).await;
}

async fn draft_purchase_order(app: &TestApp, shop: i64) -> Result<InboundRow, WriteError> {
    let order = NewPurchaseOrder {
        supplier: "S-TEX".into(),
        sku: "FAB-LIN-INDIGO".into(),
        node: "FB".into(),
        quantity: 5_000,
        eta: in_days(14),
        reference: String::new(),
    };
    supply::create_purchase_order(app.write(shop, ACTOR).await, &order, seed_day()).await
}

async fn draft_transfer(app: &TestApp, shop: i64) -> Result<InboundRow, WriteError> {
    let transfer = NewTransfer {
        sku: "FAB-CNV-NAVY".into(),
        from_node: "WH".into(),
        to_node: "FB".into(),
        quantity: 500,
        reference: String::new(),
    };
    supply::create_transfer(app.write(shop, ACTOR).await, &transfer, seed_day()).await
}

async fn inbound(
    app: &TestApp,
    shop: i64,
    id: i64,
    action: InboundAction,
) -> Result<(InboundRow, Option<i64>), WriteError> {
    supply::act_on_inbound(app.write(shop, ACTOR).await, id, action).await
}

async fn request_capacity(app: &TestApp, shop: i64) -> Result<i64, WriteError> {
    let reservation = NewReservation {
        supplier: "S-TEX".into(),
        sku: "FAB-CNV-NAVY".into(),
        quantity: 5_000,
        window_start: in_days(10),
        window_end: in_days(30),
        confirm_by: Some(in_days(5)),
        fee_minor: 0,
    };
    supply::create_reservation(app.write(shop, ACTOR).await, &reservation, seed_day()).await
}

async fn reservation(
    app: &TestApp,
    shop: i64,
    id: i64,
    action: ReservationAction,
) -> Result<Option<i64>, WriteError> {
    supply::act_on_reservation(app.write(shop, ACTOR).await, id, action).await
}

// Stock, materials and work centers.

async fn a_stock_count(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let seen = on_hand(app, shop, "FAB-CNV-NAVY", "WH").await;
    r.bumps("25 more on hand", async {
        supply::set_stock(
            app.write(shop, ACTOR).await,
            "FAB-CNV-NAVY",
            "WH",
            seen + 25,
            "recount",
        )
        .await
    })
    .await;
}

/// Laces have two suppliers: a top-up from the second for the late first moves their
/// forecast shares, which only the policies read; setting them back likewise.
async fn forecast_shares_moved(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let laces = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop))
        .filter(materials::Column::Kind.eq("lace"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the demo's laces");
    let moved = r
        .stays("the late sole maker's share halves", async {
            let mut w = app.write(shop, ACTOR).await;
            let moved = supply::make_up_for_late(&mut w, laces.id, "S-SOL", "S-HDW").await?;
            w.commit().await?;
            Ok::<_, WriteError>(moved.expect("both offer laces"))
        })
        .await;
    r.stays("and is set back", async {
        let mut w = app.write(shop, ACTOR).await;
        supply::set_shares_back(&mut w, &moved).await?;
        w.commit().await?;
        Ok::<_, WriteError>(())
    })
    .await;
}

async fn promise_settings(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let settings = |permille, learn| supply::PromiseSettings { permille, learn };
    r.bumps("promises kept for 99 % of orders", async {
        supply::save_promises(app.write(shop, ACTOR).await, settings(990, true)).await
    })
    .await;
    r.stays("the same again", async {
        supply::save_promises(app.write(shop, ACTOR).await, settings(990, true)).await
    })
    .await;
    r.bumps("declared lead times only", async {
        supply::save_promises(app.write(shop, ACTOR).await, settings(990, false)).await
    })
    .await;
}

async fn promises_over_the_api(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let promises = |promise_quantile, learn_lead_times| supply::Promises {
        promise_quantile,
        learn_lead_times,
    };
    r.bumps("promises kept for 95 % of orders", async {
        supply::set_promises(app.write(shop, ACTOR).await, promises(0.95, true)).await
    })
    .await;
    r.stays("the same again", async {
        supply::set_promises(app.write(shop, ACTOR).await, promises(0.95, true)).await
    })
    .await;
}

async fn stock_kept_for_a_channel(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let keep = |quantity| supply::Keep {
        quantity: Some(quantity),
        share: None,
    };
    r.bumps("200 cm of navy kept for wholesale", async {
        supply::set_allocation(
            app.write(shop, ACTOR).await,
            "FAB-CNV-NAVY",
            "FB",
            "wholesale",
            keep(200),
        )
        .await
    })
    .await;
    r.stays("the same again", async {
        supply::set_allocation(
            app.write(shop, ACTOR).await,
            "FAB-CNV-NAVY",
            "FB",
            "wholesale",
            keep(200),
        )
        .await
    })
    .await;
    r.bumps("a quarter of the stock instead", async {
        let share = supply::Keep {
            quantity: None,
            share: Some(0.25),
        };
        supply::set_allocation(
            app.write(shop, ACTOR).await,
            "FAB-CNV-NAVY",
            "FB",
            "wholesale",
            share,
        )
        .await
    })
    .await;
}

async fn stock_no_longer_kept(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let keep = supply::Keep {
        quantity: Some(150),
        share: None,
    };
    supply::set_allocation(
        app.write(shop, ACTOR).await,
        "FAB-CNV-BLACK",
        "FB",
        "retail",
        keep,
    )
    .await
    .expect("black canvas kept for retail");
    r.bumps("black canvas no longer kept for retail", async {
        supply::remove_allocation(app.write(shop, ACTOR).await, "FAB-CNV-BLACK", "FB", "retail").await
    })
    .await;
}

async fn a_stock_adjustment(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let seen = on_hand(app, shop, "FAB-CNV-NAVY", "FB").await;
    r.bumps("10 more on hand than seen", async {
        supply::adjust_stock(
            app.write(shop, ACTOR).await,
            "FAB-CNV-NAVY",
            "FB",
            seen,
            seen + 10,
            "count",
        )
        .await
    })
    .await;
}

async fn a_new_material(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    r.bumps("ochre linen", async {
        let material = wire!({
            "sku": "FAB-LIN-OCHRE", "name": "Linen, ochre", "unit": "cm", "unit_cost_minor": 24,
            "kind": "fabric", "colour_family": null, "is_generic": false,
            "attributes": [["colour", "ochre"]]
        });
        supply::create_material(app.write(shop, ACTOR).await, &material).await
    })
    .await;
}

async fn a_capacity_change(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let minutes = work_center(app, shop, "SEW").await.minutes_per_day;
    r.bumps("an hour less sewing a day", async {
        capacity::set_capacity(app.write(shop, ACTOR).await, "SEW", minutes - 60).await
    })
    .await;
}

async fn work_center_hours(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let saturday = 1 << 5;
    let cases = [
        ("thirty minutes more a day", Expect::Bump, 30, 0),
        ("Saturdays too", Expect::Bump, 0, saturday),
        ("the hours as they are", Expect::Stay, 0, 0),
    ];
    for (case, expect, minutes, weekdays) in cases {
        let view = capacity::capacity_view(&app.db, shop, seed_day()).await.unwrap();
        let center = view.centers.into_iter().find(|c| c.code == "SEW");
        let expected = center.expect("the sewing work center").hours;
        let mut hours = expected;
        hours.minutes_per_day += minutes;
        hours.working_weekdays |= weekdays;
        r.case(case, expect, async {
            capacity::save_work_center(app.write(shop, ACTOR).await, "SEW", expected, hours).await
        })
        .await;
    }
}

async fn a_new_work_center_holiday(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    r.bumps("a training day for sewing", async {
        let holiday = wire!({"day": in_days(6).to_string(), "name": "Training"});
        capacity::add_work_center_holiday(app.write(shop, ACTOR).await, "SEW", &holiday, seed_day()).await
    })
    .await;
}

async fn a_work_center_holiday_removed(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let view = capacity::capacity_view(&app.db, shop, seed_day()).await.unwrap();
    let center = view.centers.into_iter().find(|c| c.code == "SEW");
    let day = center.expect("the sewing work center").holidays[0].day;
    r.bumps("sewing's next day off", async {
        capacity::remove_work_center_holiday(app.write(shop, ACTOR).await, "SEW", day).await
    })
    .await;
}

// Products, options and how they are made.

async fn product_edits(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    type Edit = fn(&mut ProductFields);
    let cases: [(&str, Edit); 6] = [
        ("a new base price", |f| f.base_price_minor += 1_000),
        ("a new name", |f| f.name = "Weekender bag II".into()),
        ("a new description", |f| f.description = "Roomy.".into()),
        ("out of presale", |f| f.lifecycle = "growth".into()),
        ("two more handling days", |f| f.handling_days += 2),
        ("a last day of sale", |f| f.end_of_sale = Some(in_days(90))),
    ];
    for (case, edit) in cases {
        let opened = editor(app, shop, PRODUCT).await;
        let mut fields = opened.fields.clone();
        edit(&mut fields);
        r.bumps(case, async {
            catalog::update_product(app.write(shop, ACTOR).await, PRODUCT, opened.version, &fields).await
        })
        .await;
    }
}

async fn product_renames(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    for (from, to) in [
        (PRODUCT, "weekender-travel-bag"),
        ("weekender-travel-bag", PRODUCT),
    ] {
        let opened = editor(app, shop, from).await;
        r.bumps(&format!("renamed to {to}"), async {
            catalog::save_product(
                app.write(shop, ACTOR).await,
                from,
                opened.version,
                &opened.fields,
                to,
            )
            .await
        })
        .await;
    }
}

async fn a_new_product(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let fields = editor(app, shop, PRODUCT).await.fields;
    let product = NewProduct {
        slug: "duffel-bag".into(),
        fields: ProductFields {
            name: "Duffel bag".into(),
            ..fields
        },
        producing_node: "FB".into(),
    };
    r.bumps("a duffel bag", async {
        catalog::create_product(app.write(shop, ACTOR).await, &product).await
    })
    .await;
}

async fn value_edits(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let cases = [
        ("a new label", "Indigo linen, washed", 0),
        ("a new price difference", "Indigo linen, washed", 100),
    ];
    for (case, label, more) in cases {
        let opened = editor(app, shop, PRODUCT).await;
        let delta = value_of(&opened, "fabric", "indigo-linen").price_delta_minor + more;
        r.bumps(case, async {
            catalog::update_value(
                app.write(shop, ACTOR).await,
                PRODUCT,
                opened.version,
                "fabric",
                "indigo-linen",
                label,
                delta,
            )
            .await
        })
        .await;
    }
}

async fn a_value_moved(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let version = editor(app, shop, PRODUCT).await.version;
    r.bumps("indigo linen one place up", async {
        catalog::move_value(
            app.write(shop, ACTOR).await,
            PRODUCT,
            version,
            "fabric",
            "indigo-linen",
            Move::Up,
        )
        .await
    })
    .await;
}

async fn value_freezes(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let cases = [
        ("freeze black canvas", "Sold out until spring"),
        ("a new reason for the frozen value", "Back in March"),
    ];
    for (case, reason) in cases {
        let version = editor(app, shop, PRODUCT).await.version;
        r.bumps(case, async {
            catalog::freeze_value(
                app.write(shop, ACTOR).await,
                PRODUCT,
                version,
                "fabric",
                "black-canvas",
                reason,
            )
            .await
        })
        .await;
    }
}

async fn a_value_unfrozen(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let frozen = server::seed::FROZEN_VALUE;
    let version = editor(app, shop, frozen.product).await.version;
    r.bumps("the seeded frozen value", async {
        catalog::unfreeze_value(
            app.write(shop, ACTOR).await,
            frozen.product,
            version,
            frozen.group,
            frozen.value,
        )
        .await
    })
    .await;
}

async fn a_new_option_group(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let version = editor(app, shop, PRODUCT).await.version;
    r.bumps("an optional monogram group", async {
        catalog::add_group(
            app.write(shop, ACTOR).await,
            PRODUCT,
            version,
            "monogram",
            "Monogram",
            false,
            false,
        )
        .await
    })
    .await;
}

async fn a_new_option_value(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let version = editor(app, shop, PRODUCT).await.version;
    r.bumps("ochre linen", async {
        catalog::add_value(
            app.write(shop, ACTOR).await,
            PRODUCT,
            version,
            "fabric",
            "ochre-linen",
            "Ochre linen",
            2_900,
        )
        .await
    })
    .await;
}

async fn bom_lines(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let navy = Part::Value {
        group: "fabric".into(),
        value: "navy-canvas".into(),
    };
    r.bumps(
        "two mailers a bag",
        bom_line(app, shop, Part::Base, "PKG-MAILER", 2),
    )
    .await;
    r.bumps("a new line", bom_line(app, shop, Part::Base, "ZIP-COIL-40", 1))
        .await;
    r.bumps(
        "the new line removed",
        bom_line(app, shop, Part::Base, "ZIP-COIL-40", 0),
    )
    .await;
    r.bumps(
        "more canvas for navy",
        bom_line(app, shop, navy, "FAB-CNV-NAVY", 200),
    )
    .await;
}

async fn bom_line(
    app: &TestApp,
    shop: i64,
    part: Part,
    sku: &str,
    quantity: i64,
) -> Result<Saved, WriteError> {
    let version = editor(app, shop, PRODUCT).await.version;
    catalog::set_bom_line(
        app.write(shop, ACTOR).await,
        PRODUCT,
        version,
        &part,
        sku,
        quantity,
    )
    .await
}

async fn new_operations(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let linen = Part::Value {
        group: "fabric".into(),
        value: "natural-linen".into(),
    };
    let cases = [
        ("a step for every bag", Part::Base),
        ("a step for natural linen", linen),
    ];
    for (case, part) in cases {
        let version = editor(app, shop, PRODUCT).await.version;
        let operation = NewOperation {
            name: "Pre-wash".into(),
            work_center: "SEW".into(),
            minutes_per_unit: 5.0,
            setup_minutes: 10,
        };
        r.bumps(case, async {
            catalog::add_operation(app.write(shop, ACTOR).await, PRODUCT, version, &part, &operation).await
        })
        .await;
    }
}

async fn an_operation_removed(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let opened = editor(app, shop, PRODUCT).await;
    let last = opened.operations.last().expect("the weekender's routing").seq;
    r.bumps("the routing's last step", async {
        catalog::remove_operation(
            app.write(shop, ACTOR).await,
            PRODUCT,
            opened.version,
            &Part::Base,
            last,
        )
        .await
    })
    .await;
}

// The shop's settings.

async fn profile_saves(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let cases = [
        ("a new name only", Expect::Stay, "name", json!("Atelier Demo")),
        ("a day more in transit", Expect::Bump, "transit_days", json!(3)),
        (
            "shipping on Saturdays too",
            Expect::Bump,
            "working_weekdays",
            json!(0b0011_1111),
        ),
        (
            "a new time zone",
            Expect::Bump,
            "timezone",
            json!("Europe/Lisbon"),
        ),
    ];
    for (case, expect, field, value) in cases {
        let profile = shop_settings::settings_view(&app.db, shop, seed_day())
            .await
            .unwrap()
            .profile;
        // Edited as JSON: the fields' type is one this crate cannot name.
        let mut fields = serde_json::to_value(&profile.fields).unwrap();
        fields[field] = value;
        let fields = serde_json::from_value(fields).unwrap();
        r.case(case, expect, async {
            shop_settings::save_profile(app.write(shop, ACTOR).await, profile.version, &fields).await
        })
        .await;
    }
}

async fn a_new_shop_holiday(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    r.bumps("a stocktaking Friday", async {
        let holiday = wire!({"day": in_days(2).to_string(), "name": "Stocktaking"});
        shop_settings::add_shop_holiday(app.write(shop, ACTOR).await, &holiday, seed_day()).await
    })
    .await;
}

async fn a_shop_holiday_removed(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let view = shop_settings::settings_view(&app.db, shop, seed_day())
        .await
        .unwrap();
    let day = view.holidays.first().expect("an upcoming holiday").day;
    r.bumps("the next holiday", async {
        shop_settings::remove_shop_holiday(app.write(shop, ACTOR).await, day).await
    })
    .await;
}

async fn a_new_origin(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    r.stays("a shop's site", async {
        shop_settings::add_origin(app.write(shop, ACTOR).await, "https://shop.example").await
    })
    .await;
}

async fn an_origin_removed(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    r.stays("a seeded origin", async {
        shop_settings::remove_origin(app.write(shop, ACTOR).await, "http://localhost:3000").await
    })
    .await;
}

async fn a_new_api_key(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    r.stays("a secret key", async {
        shop_settings::create_api_key(app.write(shop, ACTOR).await, "secret", "Warehouse scanner").await
    })
    .await;
}

async fn an_api_key_revoked(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let key = r
        .stays("a key to revoke", async {
            shop_settings::create_api_key(app.write(shop, ACTOR).await, "publishable", "Old widget").await
        })
        .await;
    r.stays("the key revoked", async {
        shop_settings::revoke_api_key(app.write(shop, ACTOR).await, key.id).await
    })
    .await;
}

async fn signed_out_everywhere(r: &mut Run<'_>) {
    let app = r.app;
    let token = server::store::merchants::sign_in(
        app.store(),
        server::seed::DEMO_MERCHANT_EMAIL,
        server::seed::DEMO_MERCHANT_PASSWORD,
        None,
    )
    .await
    .unwrap()
    .expect("signed in");
    r.stays("every session of the merchant ended", async {
        server::store::merchants::sign_out_everywhere(app.store(), &token, app.state.config.session_idle())
            .await
    })
    .await;
}

async fn policy_settings_saved(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let (policy, version) = settings::load(app.store(), shop).await.unwrap();
    let thresholds = policy.engine.thresholds;
    let change = SettingsChange {
        abc_a: thresholds.abc_a - 0.05,
        abc_b: thresholds.abc_b,
        xyz_x: thresholds.xyz_x,
        xyz_y: thresholds.xyz_y,
        heat_conversion: policy.heat_conversion,
        spike_threshold: policy.spike_threshold,
        spike_window_days: policy.spike_window_days,
        overconsumption_percent: policy.overconsumption_percent,
        decay_short_days: policy.decay.short_days,
        decay_long_days: policy.decay.long_days,
        decline_below: policy.decay.decline_below,
        niche_share: policy.niche.min_share,
        holding_percent: policy.holding_percent,
        expedite_premium_percent: policy.expedite_premium_percent,
    };
    r.stays("a new class A threshold", async {
        settings::save(app.write(shop, ACTOR).await, change, version).await
    })
    .await;
}

// CSV imports.

async fn a_materials_import(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let file = "sku,name,unit,unit_cost,kind,colour_family,is_generic,attributes\n\
                FAB-CNV-OLIVE,Olive canvas,cm,0.18,fabric,green,false,colour=olive\n";
    let imported = r
        .bumps("a new material", import(app, shop, "materials", file))
        .await;
    assert_applied(&imported, 1);
}

async fn a_stock_import(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let export = export(app, shop, "stock").await;
    let file = one_row(
        &export,
        &[("sku", "FAB-CNV-SAND"), ("node", "WH")],
        "on_hand",
        |on_hand| (on_hand.parse::<i64>().expect("a whole number") + 50).to_string(),
    );
    let imported = r
        .bumps("50 more sand canvas", import(app, shop, "stock", &file))
        .await;
    assert_applied(&imported, 1);
}

async fn a_suppliers_import(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let export = export(app, shop, "suppliers").await;
    let offer = [("supplier_code", "S-TEX"), ("sku", "FAB-LIN-INDIGO")];
    let file = one_row(&export, &offer, "lead_time_mean_days", |_| "9".into());
    let imported = r
        .bumps("a shorter lead time", import(app, shop, "suppliers", &file))
        .await;
    assert_applied(&imported, 1);
}

/// Material used, as a file: within the plan no quote input changes, beyond it the
/// stock does; the export imports unchanged.
async fn a_consumption_import(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let reference = "VERSIONS-CONSUMPTION-CSV";
    let (_, sku, planned) = in_production(app, shop, reference).await;
    let within = format!("order,sku,quantity\n{reference},{sku},{planned}\n");
    let imported = r
        .stays(
            "material used within the plan",
            import(app, shop, "consumption", &within),
        )
        .await;
    assert_applied(&imported, 1);
    let beyond = format!("order,sku,quantity\n{reference},{sku},1\n");
    let imported = r
        .bumps(
            "material used beyond the plan",
            import(app, shop, "consumption", &beyond),
        )
        .await;
    assert_applied(&imported, 1);
    let file = export(app, shop, "consumption").await;
    let imported = r
        .stays(
            "the consumption export, unchanged",
            import(app, shop, "consumption", &file),
        )
        .await;
    assert_applied(&imported, 0);
}

async fn imports_that_change_nothing(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    for kind in ["materials", "stock", "suppliers"] {
        let file = export(app, shop, kind).await;
        let imported = r
            .stays(
                &format!("the {kind} export, unchanged"),
                import(app, shop, kind, &file),
            )
            .await;
        assert_applied(&imported, 0);
    }
    let file = "sku,node,on_hand\nFAB-CNV-NAVY,WH,ten\n";
    let refused = r
        .stays("a refused stock file", import(app, shop, "stock", file))
        .await;
    assert!(
        refused.record.status == supply::ImportState::Refused,
        "{:?}",
        refused.record
    );
}

async fn export(app: &TestApp, shop: i64, kind: &str) -> String {
    supply::export_csv(app.store(), shop, wire!(kind)).await.unwrap()
}

async fn import(app: &TestApp, shop: i64, kind: &str, file: &str) -> Result<Imported, StoreError> {
    let name = format!("{kind}.csv");
    supply::import_csv(app.store(), shop, wire!(kind), &name, file.as_bytes(), ACTOR).await
}

#[track_caller]
fn assert_applied(imported: &Imported, changed: i32) {
    let record = &imported.record;
    assert!(
        record.status == supply::ImportState::Applied,
        "refused: {:?}",
        record.problems
    );
    assert_eq!(record.changed, changed, "{record:?}");
}

/// A file of `csv`'s header and the one row whose cells match `key`, with its `column`
/// edited by `edit`. The row must have no quoted cell (it is split at commas).
fn one_row(csv: &str, key: &[(&str, &str)], column: &str, edit: impl FnOnce(&str) -> String) -> String {
    let mut lines = csv.lines();
    let header = lines.next().expect("a header");
    let columns: Vec<&str> = header.split(',').collect();
    let at = |name: &str| {
        columns
            .iter()
            .position(|c| *c == name)
            .unwrap_or_else(|| panic!("no column {name} in {header}"))
    };
    let row = lines
        .find(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            key.iter().all(|(name, value)| cells.get(at(name)) == Some(value))
        })
        .unwrap_or_else(|| panic!("no row {key:?} in the export"));
    assert!(!row.contains('"'), "a row without quoted cells: {row}");
    let mut cells: Vec<String> = row.split(',').map(str::to_string).collect();
    let edited = edit(&cells[at(column)]);
    cells[at(column)] = edited;
    format!("{header}\n{}\n", cells.join(","))
}

// Alerts and suggestions.

async fn suggestion_decisions(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    // The recomputation raises the seeded heat-spike alert with its two suggestions.
    recompute(app).await;
    let raise = open_suggestion(app, shop, "raise_stock_level").await;
    r.stays(
        "accept a raised stock level",
        decide(app, shop, raise, Decision::Accept),
    )
    .await;
    let reserve = open_suggestion(app, shop, "reserve_capacity").await;
    r.stays(
        "accept a capacity reservation: it is only requested",
        decide(app, shop, reserve, Decision::Accept),
    )
    .await;
    // The seeded overconsumed fastener's transfer from the warehouse is drafted: a
    // draft counts for no quote until it is confirmed.
    let transfer = open_suggestion(app, shop, "transfer").await;
    r.stays(
        "accept a transfer: it is drafted",
        decide(app, shop, transfer, Decision::Accept),
    )
    .await;
    // That alert is decided; heat for sand canvas raises another to dismiss from.
    raise_sand_canvas_alert(app).await;
    let other = open_suggestion(app, shop, "reserve_capacity").await;
    r.stays(
        "dismiss a suggestion",
        decide(app, shop, other, Decision::Dismiss),
    )
    .await;
}

/// A raise of FAB-LIN-INDIGO's stock level, suggested at `at` (no alert).
async fn a_raise_suggested(app: &TestApp, shop: i64, at: chrono::DateTime<chrono::Utc>) -> i64 {
    use sea_orm::{ActiveModelTrait, Set};
    let material = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop))
        .filter(materials::Column::Sku.eq("FAB-LIN-INDIGO"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the indigo linen");
    let level = material.stock_level.clone().unwrap_or_else(|| "medium".into());
    let to = if level == "low" { "medium" } else { "high" };
    suggestions::ActiveModel {
        shop_id: Set(shop),
        kind: Set(server::store::entities::SuggestionKind::RaiseStockLevel),
        payload: Set(
            json!({"material_id": material.id, "sku": material.sku, "name": material.name,
                            "from": level, "to": to}),
        ),
        status: Set(SuggestionStatus::Open),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id
}

/// A rule is written, executes a suggestion (one by one, then by the sweep after a
/// recomputation), is paused and deleted: none of it changes a quote (a stock level
/// feeds the policies, not quotes). The suggestions are made on a day far from the
/// seed's, so the sweep judges them alone and no other scenario's suggestion is taken.
async fn rules_acting(r: &mut Run<'_>) {
    use server::service::alerts::autonomy::{self, rules};
    let (app, shop) = (r.app, r.shop);
    let day = seed_noon() + chrono::TimeDelta::days(300);
    let name = format!(
        "raises {}",
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
    );
    let rule = r
        .stays("a rule written", async {
            rules::create_rule(
                app.write(shop, ACTOR).await,
                &wire!({"name": name, "kind": "raise_stock_level", "classes": [], "supplier_late": false,
                        "max_per_action_minor": null, "max_per_day_minor": null}),
            )
            .await
        })
        .await;
    let one = a_raise_suggested(app, shop, day).await;
    let executed = r
        .stays("the rules sweep the day's suggestions", async {
            let shop = shop_model(app).await;
            autonomy::act_on_suggestions(app.store(), &shop, day).await
        })
        .await;
    assert_eq!(executed, 1, "the rule takes the one suggestion of its day");
    let stored = suggestions::Entity::find_by_id(one)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, SuggestionStatus::Executed);
    assert_eq!(stored.rule_id, Some(rule));
    r.stays("a rule paused", async {
        rules::set_rule_paused(app.write(shop, ACTOR).await, rule, true).await
    })
    .await;
    let two = a_raise_suggested(app, shop, day).await;
    let refused = inbox::execute_by_rule(
        app.write(shop, autonomy::actor(rule)).await,
        two,
        &inbox::ActingRule {
            rule: engine_rule(rule, true),
            name: name.clone(),
        },
        candidate(two, day.date_naive()),
        day.date_naive(),
    )
    .await;
    assert!(matches!(refused, Err(WriteError::Conflict(_))), "{refused:?}");
    r.stays("a rule resumed executes one suggestion", async {
        rules::set_rule_paused(app.write(shop, ACTOR).await, rule, false).await?;
        inbox::execute_by_rule(
            app.write(shop, autonomy::actor(rule)).await,
            two,
            &inbox::ActingRule {
                rule: engine_rule(rule, false),
                name: name.clone(),
            },
            candidate(two, day.date_naive()),
            day.date_naive(),
        )
        .await
    })
    .await;
    r.stays("a rule deleted", async {
        rules::delete_rule(app.write(shop, ACTOR).await, rule).await
    })
    .await;
}

fn engine_rule(id: i64, paused: bool) -> engine::lifecycle::rules::Rule {
    engine::lifecycle::rules::Rule {
        id,
        kind: engine::lifecycle::rules::SuggestionKind::RaiseStockLevel,
        conditions: Vec::new(),
        max_per_action: None,
        max_per_day: None,
        paused,
    }
}

fn candidate(suggestion: i64, day: NaiveDate) -> engine::lifecycle::rules::Candidate {
    engine::lifecycle::rules::Candidate {
        suggestion,
        kind: engine::lifecycle::rules::SuggestionKind::RaiseStockLevel,
        day,
        value: engine::money::Money(0),
        class: None,
        supplier_late: false,
    }
}

/// An accepted stock-level raise undone: the level goes back, no quote changes.
async fn suggestions_undone(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let raise = a_raise_suggested(app, shop, seed_noon()).await;
    r.stays("accept a raise", decide(app, shop, raise, Decision::Accept))
        .await;
    r.stays("undo it", async {
        inbox::undo_suggestion(app.write(shop, ACTOR).await, raise).await
    })
    .await;
    let stored = suggestions::Entity::find_by_id(raise)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, SuggestionStatus::Undone);
}

async fn an_alert_dismissed(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    recompute(app).await;
    if open_alert(app, shop).await.is_none() {
        raise_sand_canvas_alert(app).await;
    }
    let alert = open_alert(app, shop).await.expect("an open alert");
    r.stays("an open alert", async {
        inbox::dismiss_alert(app.write(shop, ACTOR).await, alert.id).await
    })
    .await;
}

/// The end-of-life rule moves the fading tote to decline: an alert and a lifecycle
/// quotes do not read for a product out of presale. (A recomputation earlier in the
/// walk may have moved it already; it is put back first, outside any unit, as data.)
async fn a_product_declines(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    let tote = server::seed::FADING_PRODUCT;
    server::store::entities::products::Entity::update_many()
        .col_expr(
            server::store::entities::products::Column::Lifecycle,
            sea_orm::sea_query::Expr::value("mature"),
        )
        .filter(server::store::entities::products::Column::Slug.eq(tote))
        .exec(&app.db)
        .await
        .unwrap();
    forget_raw(app, "demand_decay").await;
    let shop_row = shop_model(app).await;
    let (policy, _) = settings::load(app.store(), shop).await.unwrap();
    let declined = r
        .stays(
            "the fading tote moved to decline",
            server::service::alerts::decay::evaluate(app.store(), &shop_row, &policy, seed_noon()),
        )
        .await;
    assert_eq!(declined, 1, "the fading tote declines");
}

/// The reuse rule raises its alert for the sage linen no live product uses: nothing
/// quotes read.
async fn a_leftover_matched(r: &mut Run<'_>) {
    let (app, shop) = (r.app, r.shop);
    forget_raw(app, "leftover_material").await;
    let shop_row = shop_model(app).await;
    let (policy, _) = settings::load(app.store(), shop).await.unwrap();
    let raised = r
        .stays(
            "a leftover matched to a live line",
            server::service::alerts::leftover::evaluate(app.store(), &shop_row, &policy, seed_noon()),
        )
        .await;
    assert!(raised >= 1, "the sage linen is matched");
}

/// Forgets every alert of `kind` and its suggestions on the test's own connection
/// (arranging data a scenario needs, not a write under test), so a rule raises its
/// alert again: a dismissed one would keep it quiet.
async fn forget_raw(app: &TestApp, kind: &str) {
    let ids: Vec<i64> = alerts::Entity::find()
        .filter(alerts::Column::Kind.eq(kind))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    suggestions::Entity::delete_many()
        .filter(suggestions::Column::AlertId.is_in(ids.clone()))
        .exec(&app.db)
        .await
        .unwrap();
    alerts::Entity::delete_many()
        .filter(alerts::Column::Id.is_in(ids))
        .exec(&app.db)
        .await
        .unwrap();
}

async fn decide(
    app: &TestApp,
    shop: i64,
    suggestion: i64,
    decision: Decision,
) -> Result<inbox::Decided, WriteError> {
    inbox::decide(app.write(shop, ACTOR).await, suggestion, decision, seed_day()).await
}

async fn recompute(app: &TestApp) {
    let shop = shop_model(app).await;
    server::service::recompute::run(app.store(), &shop, seed_noon(), |_| {})
        .await
        .expect("the policies recompute");
}

/// The id of the shop's first open suggestion of `kind`.
async fn open_suggestion(app: &TestApp, shop: i64, kind: &str) -> i64 {
    suggestions::Entity::find()
        .filter(suggestions::Column::ShopId.eq(shop))
        .filter(suggestions::Column::Kind.eq(kind))
        .filter(suggestions::Column::Status.eq(SuggestionStatus::Open))
        .order_by_asc(suggestions::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no open {kind} suggestion"))
        .id
}

async fn open_alert(app: &TestApp, shop: i64) -> Option<alerts::Model> {
    alerts::Entity::find()
        .filter(alerts::Column::ShopId.eq(shop))
        .filter(alerts::Column::Status.eq(AlertStatus::Open))
        .order_by_asc(alerts::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
}

/// 30 shoppers pick sand canvas today and 12 put it in the cart, through the events
/// API; the spike rule then raises an alert for it.
async fn raise_sand_canvas_alert(app: &TestApp) {
    let picks = (0..30).map(|i| {
        json!({"id": format!("sel-sand-{i:03}"), "kind": "option_select", "product": PRODUCT,
               "session": format!("t_{i}"), "group": "fabric", "value": "sand-canvas"})
    });
    let carts = (0..12).map(|i| {
        json!({"id": format!("cart-sand-{i:03}"), "kind": "add_to_cart", "product": PRODUCT,
               "session": format!("t_{i}"),
               "selection": {"fabric": ["sand-canvas"], "trim": ["tan"], "hardware": ["brass"],
                             "lining": ["cotton"]}})
    });
    let events: Vec<Value> = picks.chain(carts).collect();
    let response = app
        .client
        .post(app.url("/api/v1/events"))
        .bearer_auth(DEMO_PUBLISHABLE_KEY)
        .header("Origin", &app.base_url)
        .json(&json!({ "events": events }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "the heat is taken");
    let shop = shop_model(app).await;
    let (policy, _) = settings::load(app.store(), shop.id).await.unwrap();
    heat_spike::evaluate(app.store(), &shop, &policy, seed_noon())
        .await
        .expect("the spike rule runs");
}

// Reading the demo shop.

fn in_days(days: u64) -> NaiveDate {
    seed_day() + Days::new(days)
}

async fn shop_model(app: &TestApp) -> shops::Model {
    server::store::shops::by_slug(&app.db, DEMO_SHOP_SLUG)
        .await
        .unwrap()
        .expect("the demo shop")
}

async fn editor(app: &TestApp, shop: i64, slug: &str) -> ProductEditor {
    catalog::product_editor(&app.db, shop, slug)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no product {slug}"))
}

fn value_of<'a>(editor: &'a ProductEditor, group: &str, value: &str) -> &'a catalog::ValueEditor {
    let group = editor.groups.iter().find(|g| g.code == group).expect("the group");
    group.values.iter().find(|v| v.code == value).expect("the value")
}

async fn work_center(app: &TestApp, shop: i64, code: &str) -> work_centers::Model {
    work_centers::Entity::find()
        .filter(work_centers::Column::ShopId.eq(shop))
        .filter(work_centers::Column::Code.eq(code))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no work center {code}"))
}

/// Units of `sku` on hand at node `node` (0 without a stock row).
async fn on_hand(app: &TestApp, shop: i64, sku: &str, node: &str) -> i64 {
    let material = materials::Entity::find()
        .filter(materials::Column::ShopId.eq(shop))
        .filter(materials::Column::Sku.eq(sku))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no material {sku}"));
    let node = nodes::Entity::find()
        .filter(nodes::Column::ShopId.eq(shop))
        .filter(nodes::Column::Code.eq(node))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no node {node}"));
    stock::Entity::find()
        .filter(stock::Column::MaterialId.eq(material.id))
        .filter(stock::Column::NodeId.eq(node.id))
        .one(&app.db)
        .await
        .unwrap()
        .map_or(0, |s| s.on_hand)
}
