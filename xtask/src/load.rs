//! `cargo xtask load`: cached quotes against a bare axum endpoint, with wrk; and
//! `cargo xtask ingest`: sustained heat ingestion (`tests/examples/ingest_load.rs`); and
//! `cargo xtask orders`: sustained order placement (`tests/examples/orders_load.rs`).
//!
//! Both servers are release builds on this machine, measured in one run with the same
//! wrk settings: the real `c2m serve` (authentication, CORS, tracing, request ids, the
//! quote cache) on a freshly seeded SQLite file, and `examples/bare_json.rs` answering
//! the same path with the same bytes. Prints both throughputs, their ratio and both p99
//! latencies (issue 3: quotes should reach at least 60 % of the bare endpoint). Then a
//! mixed phase on the same server: quotes, heat event batches and orders at once, each
//! from its own wrk, with each kind's throughput, p50 and p99 (issue 17).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::build::{cargo, root, target_dir};
use crate::setup::{self, run};

/// Measured rounds per endpoint.
const ROUNDS: u32 = 2;
const KEY: &str = "pk_demo_c2m_public_0000000000000000";
const SECRET_KEY: &str = "sk_demo_c2m_secret_0000000000000000";
/// Heat events per batch in the mixed phase: what a busy page's widget sends at once.
const EVENTS_PER_BATCH: u32 = 20;
const QUOTE: &str = r#"{"product":"weekender-bag","selection":{"fabric":["navy-canvas"],"trim":["tan"],"hardware":["brass"],"lining":["cotton"]},"quantity":1}"#;

/// Kills a child process when dropped, so a failed run leaves no server behind.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One wrk run's figures.
struct Figures {
    requests_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    /// Answers other than 2xx or 3xx.
    refused: u64,
}

/// Builds the release `c2m` with the demo shop (both benchmarks seed one), and `extra`.
fn build_release_server(extra: &[&str]) -> Result<()> {
    run(cargo()
        .args([
            "build",
            "--release",
            "-p",
            "server",
            "--features",
            "demo",
            "--bin",
            "c2m",
        ])
        .args(extra))
}

/// Builds the release server and runs the ingestion benchmark against it.
pub fn run_ingest(seconds: u32, clients: u32, batch: u32) -> Result<()> {
    eprintln!("xtask: building the release server");
    build_release_server(&[])?;
    let binary = target_dir().join("release").join("c2m");
    run(cargo()
        .args([
            "run",
            "--release",
            "-p",
            "c2m-tests",
            "--example",
            "ingest_load",
            "--",
        ])
        .arg("--bin")
        .arg(&binary)
        .args(["--seconds", &seconds.to_string()])
        .args(["--clients", &clients.to_string()])
        .args(["--batch", &batch.to_string()])
        .env("RUST_LOG", "warn"))
}

/// Builds the release server and runs the orders benchmark against it.
pub fn run_orders(seconds: u32, clients: u32) -> Result<()> {
    eprintln!("xtask: building the release server");
    build_release_server(&[])?;
    let binary = target_dir().join("release").join("c2m");
    run(cargo()
        .args([
            "run",
            "--release",
            "-p",
            "c2m-tests",
            "--example",
            "orders_load",
            "--",
        ])
        .arg("--bin")
        .arg(&binary)
        .args(["--seconds", &seconds.to_string()])
        .args(["--clients", &clients.to_string()])
        .env("RUST_LOG", "warn"))
}

/// Runs the comparison for `seconds` per endpoint with `connections` connections.
pub fn run_load(seconds: u32, connections: u32) -> Result<()> {
    setup::wrk()?;
    eprintln!("xtask: building release binaries (c2m and the bare baseline)");
    build_release_server(&["--example", "bare_json"])?;
    let release = target_dir().join("release");
    let work = std::env::temp_dir().join(format!("c2m-load-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    let database = format!("sqlite://{}", work.join("c2m.db").display());

    run(Command::new(release.join("c2m"))
        .arg("seed")
        .env("C2M_DATABASE_URL", &database)
        .current_dir(root()))?;
    let quote_port = free_port()?;
    let _server = Guard(
        Command::new(release.join("c2m"))
            .arg("serve")
            .env("C2M_DATABASE_URL", &database)
            // A load run measures throughput, not the rate limits.
            .env("C2M_QUOTES_PER_MINUTE", "0")
            .env("C2M_EVENTS_PER_MINUTE", "0")
            .env("C2M_ADDR", format!("127.0.0.1:{quote_port}"))
            .env("RUST_LOG", "warn")
            .current_dir(root())
            .stdout(Stdio::null())
            .spawn()
            .context("starting c2m serve")?,
    );
    let body = wait_for_quote(quote_port)?;
    let body_file = work.join("quote.json");
    std::fs::write(&body_file, &body)?;
    let bare_port = free_port()?;
    let _bare = Guard(
        Command::new(release.join("examples/bare_json"))
            .arg(format!("127.0.0.1:{bare_port}"))
            .arg(&body_file)
            .spawn()
            .context("starting the bare endpoint")?,
    );
    let bare_body = wait_for_quote(bare_port)?;
    if bare_body.len() != body.len() {
        bail!(
            "the bare endpoint answers {} bytes, the quote {}",
            bare_body.len(),
            body.len()
        );
    }

    let script = work.join("post.lua");
    std::fs::write(
        &script,
        format!(
            "wrk.method = \"POST\"\nwrk.body = '{QUOTE}'\nwrk.headers[\"Content-Type\"] = \"application/json\"\n\
             wrk.headers[\"Authorization\"] = \"Bearer {KEY}\"\n"
        ),
    )?;
    eprintln!(
        "xtask: warming up, then {ROUNDS} rounds of {seconds} s per endpoint with {connections} connections"
    );
    for port in [quote_port, bare_port] {
        wrk(&script, port, 2, connections)?;
    }
    // Alternating rounds, averaged, so drift in the machine's state (caches, the other
    // core's load) does not favour whichever endpoint ran second.
    let mut rounds = Vec::new();
    for _ in 0..ROUNDS {
        rounds.push((
            wrk(&script, quote_port, seconds, connections)?,
            wrk(&script, bare_port, seconds, connections)?,
        ));
    }
    for (quotes, bare) in &rounds {
        if quotes.refused + bare.refused > 0 {
            bail!(
                "some requests failed: {} quotes, {} bare",
                quotes.refused,
                bare.refused
            );
        }
    }
    let mean = |pick: fn(&(Figures, Figures)) -> &Figures| Figures {
        requests_per_second: rounds.iter().map(|r| pick(r).requests_per_second).sum::<f64>() / ROUNDS as f64,
        p50_ms: rounds.iter().map(|r| pick(r).p50_ms).sum::<f64>() / ROUNDS as f64,
        p99_ms: rounds.iter().map(|r| pick(r).p99_ms).sum::<f64>() / ROUNDS as f64,
        refused: 0,
    };
    let quotes = mean(|r| &r.0);
    let bare = mean(|r| &r.1);
    let ratio = quotes.requests_per_second / bare.requests_per_second;
    println!(
        "response body: {} bytes (both endpoints); mean of {ROUNDS} alternating rounds of {seconds} s",
        body.len()
    );
    println!(
        "POST /api/v1/quotes (cached): {:>9.0} req/s   p99 {:>7.2} ms",
        quotes.requests_per_second, quotes.p99_ms
    );
    println!(
        "bare axum, same body:         {:>9.0} req/s   p99 {:>7.2} ms",
        bare.requests_per_second, bare.p99_ms
    );
    println!(
        "ratio: {:.0} % of the bare endpoint's throughput (target: at least 60 %: {})",
        ratio * 100.0,
        if ratio >= 0.6 { "met" } else { "NOT met" }
    );
    drop(_bare);
    mixed(&work, quote_port, &script, seconds, connections)?;
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
}

/// Quotes, heat batches and orders against the same server at once, each kind from its
/// own wrk (so each has its own latencies): half the connections quote, a quarter post
/// event batches, a quarter place orders. Orders change stock and capacity, so quotes
/// are recomputed after each one instead of coming from the cache. Orders the demo
/// shop can no longer take (its sewing line booked up) are refused with 409 and counted.
fn mixed(work: &Path, port: u16, quotes: &Path, seconds: u32, connections: u32) -> Result<()> {
    let events = work.join("events.lua");
    std::fs::write(&events, events_script())?;
    let orders = work.join("orders.lua");
    std::fs::write(&orders, orders_script())?;
    let share = (connections / 4).max(1);
    let runs = [
        ("quotes", quotes, "/api/v1/quotes", (connections / 2).max(1)),
        ("event batches", events.as_path(), "/api/v1/events", share),
        ("orders", orders.as_path(), "/api/v1/orders", share),
    ];
    eprintln!("xtask: mixed load for {seconds} s: quotes, heat event batches and orders at once");
    let children = runs
        .iter()
        .map(|(_, script, path, connections)| spawn_wrk(script, port, path, seconds, *connections))
        .collect::<Result<Vec<_>>>()?;
    println!(
        "mixed load, {seconds} s, all at once ({} events a batch):",
        EVENTS_PER_BATCH
    );
    for ((name, _, _, connections), child) in runs.iter().zip(children) {
        let figures = wrk_figures(child.wait_with_output().context("waiting for wrk")?)?;
        println!(
            "  {name:<14} {connections:>3} connections {:>8.0} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms   refused {}",
            figures.requests_per_second, figures.p50_ms, figures.p99_ms, figures.refused
        );
    }
    Ok(())
}

/// wrk's Lua: batches of widget-like heat events with ids unique in the run.
fn events_script() -> String {
    format!(
        r#"wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer {KEY}"
wrk.headers["Origin"] = "http://localhost:3000"
local n = 0
request = function()
  n = n + 1
  local events = {{}}
  for i = 1, {EVENTS_PER_BATCH} do
    local id = string.format("mixed-%08d-%03d", n, i)
    local session = string.format("mixed_%d", n % 50)
    if i % 10 == 0 then
      events[i] = string.format('{{"id":"%s","kind":"add_to_cart","product":"weekender-bag","session":"%s","selection":{{"fabric":["navy-canvas"],"trim":["tan"],"hardware":["brass"],"lining":["cotton"]}}}}', id, session)
    elseif i % 2 == 0 then
      events[i] = string.format('{{"id":"%s","kind":"option_select","product":"weekender-bag","session":"%s","group":"fabric","value":"sand-canvas"}}', id, session)
    else
      events[i] = string.format('{{"id":"%s","kind":"view","product":"weekender-bag","session":"%s"}}', id, session)
    end
  end
  return wrk.format(nil, nil, nil, '{{"events":[' .. table.concat(events, ",") .. ']}}')
end
"#
    )
}

/// wrk's Lua: one bag per order, each with its own platform reference.
fn orders_script() -> String {
    format!(
        r#"wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer {SECRET_KEY}"
local fabrics = {{"navy-canvas", "sand-canvas", "lagoon-canvas"}}
local n = 0
request = function()
  n = n + 1
  local body = string.format('{{"reference":"MIXED-%d","product":"weekender-bag","selection":{{"fabric":["%s"],"trim":["tan"],"hardware":["brass"],"lining":["cotton"]}},"quantity":1}}', n, fabrics[n % 3 + 1])
  return wrk.format(nil, nil, nil, body)
end
"#
    )
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Posts the benchmark quote until the server answers 200, and returns the body.
fn wait_for_quote(port: u16) -> Result<Vec<u8>> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match post_quote(port) {
            Ok((200, body)) => return Ok(body),
            Ok((status, body)) if Instant::now() >= deadline => {
                bail!(
                    "port {port} answered {status}: {}",
                    String::from_utf8_lossy(&body)
                )
            }
            Err(e) if Instant::now() >= deadline => return Err(e),
            _ => std::thread::sleep(Duration::from_millis(200)),
        }
    }
}

/// A minimal HTTP/1.1 POST (the xtask has no HTTP client, and needs only this).
fn post_quote(port: u16) -> Result<(u16, Vec<u8>)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    write!(
        stream,
        "POST /api/v1/quotes HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {KEY}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{QUOTE}",
        QUOTE.len()
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .context("no end of headers")?;
    let head = String::from_utf8_lossy(&response[..split]);
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .context("no status")?;
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        bail!("chunked responses are not expected here");
    }
    Ok((status, response[split + 4..].to_vec()))
}

fn wrk(script: &Path, port: u16, seconds: u32, connections: u32) -> Result<Figures> {
    let child = spawn_wrk(script, port, "/api/v1/quotes", seconds, connections)?;
    wrk_figures(child.wait_with_output().context("running wrk")?)
}

/// Starts one wrk (one thread: the machine's cores are for the server) on `path`.
fn spawn_wrk(script: &Path, port: u16, path: &str, seconds: u32, connections: u32) -> Result<Child> {
    Command::new("wrk")
        .args([
            "-t1",
            &format!("-c{connections}"),
            &format!("-d{seconds}s"),
            "--latency",
            "-s",
        ])
        .arg(script)
        .arg(format!("http://127.0.0.1:{port}{path}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("starting wrk")
}

/// Reads wrk's report.
fn wrk_figures(out: std::process::Output) -> Result<Figures> {
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!("wrk failed: {text}{}", String::from_utf8_lossy(&out.stderr));
    }
    let line = |prefix: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(prefix).map(str::trim))
    };
    let requests_per_second = line("Requests/sec:")
        .and_then(|v| v.parse().ok())
        .context("no Requests/sec in wrk's output")?;
    let p50_ms = line("50%")
        .and_then(milliseconds)
        .context("no 50% latency in wrk's output")?;
    let p99_ms = line("99%")
        .and_then(milliseconds)
        .context("no 99% latency in wrk's output")?;
    let refused = line("Non-2xx or 3xx responses:")
        .map_or(Ok(0), str::parse)
        .context("an unreadable count of failed responses")?;
    Ok(Figures {
        requests_per_second,
        p50_ms,
        p99_ms,
        refused,
    })
}

/// wrk's `812.00us`, `1.23ms`, `2.00s` in milliseconds.
fn milliseconds(value: &str) -> Option<f64> {
    let (number, factor) = if let Some(n) = value.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = value.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = value.strip_suffix('s') {
        (n, 1_000.0)
    } else {
        return None;
    };
    number.parse::<f64>().ok().map(|n| n * factor)
}

#[cfg(test)]
mod tests {
    use super::milliseconds;

    #[test]
    fn wrk_latencies_are_read_in_milliseconds() {
        assert_eq!(milliseconds("812.00us"), Some(0.812));
        assert_eq!(milliseconds("1.50ms"), Some(1.5));
        assert_eq!(milliseconds("2.00s"), Some(2_000.0));
        assert_eq!(milliseconds("fast"), None);
    }
}
