//! How fast the widget is for a shopper, in headless Chromium against the real server
//! on localhost (run by `cargo xtask budget`, which builds the release bundles first):
//!
//! - navigation start → first estimates painted (the widget's `c2m:first-estimates`
//!   performance mark, whose time is counted from navigation start), for a first visit
//!   (empty browser cache; also on a server just started) and for repeat visits;
//! - a selection change → the new estimates painted (the widget's `c2m:update` measure:
//!   from the change handler to the first frame painted after the answer is applied).
//!
//! Prints the figures; the budgets are 600 ms to first estimates and a 100 ms median for
//! a change.

use std::time::{Duration, Instant};

use c2m_tests::browser::Browser;
use c2m_tests::{Backend, spawn_app};
use serde_json::{Value, json};
use thirtyfour::prelude::*;

const LOADS: usize = 10;
const CHANGES: usize = 40;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let app = spawn_app(Backend::Sqlite).await;

    // The very first page view of a server just started also pays for loading the
    // shop's snapshot; a fresh browser profile has nothing cached.
    let cold = Browser::start().await;
    let cold_server = first_estimates(&cold.driver, &app.url("/third-party/")).await;
    cold.driver.clone().quit().await.unwrap();
    drop(cold);

    let browser = Browser::start().await;
    let driver = &browser.driver;
    let mut loads = Vec::new();
    for _ in 0..LOADS {
        loads.push(first_estimates(driver, &app.url("/third-party/")).await);
    }

    // Cycle through the choosable values of every single-choice group, one change at a
    // time: the first round asks the server for new answers, later rounds hit its cache.
    let values = poll(
        driver,
        "const r = document.querySelector('c2m-configurator').shadowRoot;
         const inputs = [...r.querySelectorAll('input[type=radio]:not(:disabled)')];
         return inputs.length ? inputs.map(i => [i.name, i.value]) : null;",
        vec![],
    )
    .await;
    let values: Vec<(String, String)> = serde_json::from_value(values).unwrap();
    let mut changes = Vec::new();
    let mut first_round = Vec::new();
    for (i, (name, value)) in values.iter().cycle().enumerate() {
        if changes.len() == CHANGES {
            break;
        }
        let before = measures(driver).await;
        // Clicking the value already chosen changes nothing: skip it.
        let clicked = driver
            .execute(
                "const r = document.querySelector('c2m-configurator').shadowRoot;
                 const input = r.querySelector(`input[name='${arguments[0]}'][value='${arguments[1]}']`);
                 if (input.checked) return false;
                 input.click();
                 return true;",
                vec![json!(name), json!(value)],
            )
            .await
            .unwrap()
            .json()
            .as_bool()
            .unwrap_or(false);
        if !clicked {
            continue;
        }
        let all = poll(
            driver,
            "const m = performance.getEntriesByName('c2m:update');
             return m.length > arguments[0] ? m.map(e => e.duration) : null;",
            vec![json!(before)],
        )
        .await;
        let took = all.as_array().unwrap().last().unwrap().as_f64().unwrap();
        changes.push(took);
        if i < values.len() {
            first_round.push(took);
        }
    }
    browser.driver.clone().quit().await.unwrap();

    let first_visit = loads[0];
    let mut repeat = loads[1..].to_vec();
    let mut misses = first_round;
    let mut all = changes.clone();
    println!(
        "widget timing (headless Chromium, localhost, {} loads, {} changes)",
        LOADS, CHANGES
    );
    println!(
        "  first estimates, first visit:     {first_visit:7.1} ms   (budget 600 ms; empty browser cache)"
    );
    println!(
        "    the same on a server just started: {cold_server:5.1} ms   (its first request loads the shop)"
    );
    println!(
        "  first estimates, repeat visits:   {:7.1} ms median, {:.1} ms max",
        median(&mut repeat),
        max(&repeat)
    );
    println!(
        "  change → new estimates painted:   {:7.1} ms median, {:.1} ms p90 (budget: median 100 ms)",
        median(&mut all),
        percentile(&mut all, 0.9)
    );
    println!(
        "    of which first-time answers:    {:7.1} ms median, {:.1} ms max",
        median(&mut misses),
        max(&misses)
    );
    let within = first_visit < 600.0 && median(&mut all) < 100.0;
    println!("  within budget: {}", if within { "yes" } else { "NO" });
    if !within {
        std::process::exit(1);
    }
}

/// Loads `url` and returns when the first estimates were painted, in ms from
/// navigation start.
async fn first_estimates(driver: &WebDriver, url: &str) -> f64 {
    driver.goto(url).await.unwrap();
    poll(
        driver,
        "return performance.getEntriesByName('c2m:first-estimates')[0]?.startTime ?? null;",
        vec![],
    )
    .await
    .as_f64()
    .unwrap()
}

async fn measures(driver: &WebDriver) -> u64 {
    driver
        .execute(
            "return performance.getEntriesByName('c2m:update').length;",
            vec![],
        )
        .await
        .unwrap()
        .json()
        .as_u64()
        .unwrap_or(0)
}

/// Runs `script` until it returns something other than `null`.
async fn poll(driver: &WebDriver, script: &str, args: Vec<Value>) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let value = driver.execute(script, args.clone()).await.unwrap().json().clone();
        if !value.is_null() {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out: {script}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn median(values: &mut [f64]) -> f64 {
    percentile(values, 0.5)
}

fn percentile(values: &mut [f64], p: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let rank = ((values.len() as f64 - 1.0) * p).round() as usize;
    values[rank]
}

fn max(values: &[f64]) -> f64 {
    values.iter().copied().fold(f64::MIN, f64::max)
}
