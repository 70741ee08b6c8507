//! The server loop's own deadlines, over raw TCP: what a client that never finishes
//! its request gets.

use std::time::Duration;

use c2m_tests::{Backend, spawn_app_with};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A "slowloris" client sends part of its headers and stalls. Past the header-read
/// deadline the server hangs up on it; meanwhile everyone else is answered.
#[tokio::test]
async fn a_client_stalling_in_its_headers_is_disconnected_and_others_are_served() {
    let app = spawn_app_with(Backend::Sqlite, &[("C2M_HEADER_READ_TIMEOUT_SECONDS", "1")]).await;
    let address = app.base_url.trim_start_matches("http://").to_string();
    let mut stalled = TcpStream::connect(&address).await.expect("a connection");
    stalled
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: c2m\r\nX-Slow: ")
        .await
        .expect("part of the headers sent");

    let meanwhile = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(meanwhile.status(), 200);

    // Without the deadline the server would wait for the rest forever, and this read
    // with it.
    let mut answer = Vec::new();
    let ended = tokio::time::timeout(Duration::from_secs(10), stalled.read_to_end(&mut answer)).await;
    assert!(
        ended.is_ok(),
        "the server still holds a connection whose headers stalled 10 s ago"
    );
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "a stalled request is never answered as if it had arrived: {answer}"
    );
}

/// The deadline is for sending headers, not for thinking between requests: a client
/// that sends a whole request is answered, however fast.
#[tokio::test]
async fn a_whole_request_on_a_raw_connection_is_answered() {
    let app = spawn_app_with(Backend::Sqlite, &[("C2M_HEADER_READ_TIMEOUT_SECONDS", "1")]).await;
    let address = app.base_url.trim_start_matches("http://").to_string();
    let mut client = TcpStream::connect(&address).await.expect("a connection");
    client
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: c2m\r\nConnection: close\r\n\r\n")
        .await
        .expect("a request sent");
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), client.read_to_end(&mut answer))
        .await
        .expect("an answer within 10 s")
        .expect("the answer read");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}
