//! `cargo xtask load`: cached quotes against a bare axum endpoint, with wrk; and
//! `cargo xtask ingest`: sustained heat ingestion (`tests/examples/ingest_load.rs`); and
//! `cargo xtask orders`: sustained order placement (`tests/examples/orders_load.rs`).
//!
//! Both servers are release builds on this machine, measured in one run with the same
//! wrk settings: the real `c2m serve` (authentication, CORS, tracing, request ids, the
//! quote cache) on a freshly seeded SQLite file, and `examples/bare_json.rs` answering
//! the same path with the same bytes. Prints both throughputs, their ratio and both p99
//! latencies (issue 3: quotes should reach at least 60 % of the bare endpoint).

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
    p99_ms: f64,
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
    let mean = |pick: fn(&(Figures, Figures)) -> &Figures| Figures {
        requests_per_second: rounds.iter().map(|r| pick(r).requests_per_second).sum::<f64>() / ROUNDS as f64,
        p99_ms: rounds.iter().map(|r| pick(r).p99_ms).sum::<f64>() / ROUNDS as f64,
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
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
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
    let out = Command::new("wrk")
        .args([
            "-t1",
            &format!("-c{connections}"),
            &format!("-d{seconds}s"),
            "--latency",
            "-s",
        ])
        .arg(script)
        .arg(format!("http://127.0.0.1:{port}/api/v1/quotes"))
        .output()
        .context("running wrk")?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!("wrk failed: {text}{}", String::from_utf8_lossy(&out.stderr));
    }
    if text.contains("Non-2xx") {
        bail!("some requests failed:\n{text}");
    }
    let requests_per_second = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .context("no Requests/sec in wrk's output")?;
    let p99_ms = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("99%"))
        .and_then(|v| milliseconds(v.trim()))
        .context("no 99% latency in wrk's output")?;
    Ok(Figures {
        requests_per_second,
        p99_ms,
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
