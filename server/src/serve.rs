//! The HTTP server loop: the router on hyper, with the deadlines `axum::serve` lacks.
//!
//! `axum::serve` hands hyper no timer, and without one hyper cannot time out a client
//! that sends its headers a byte at a time: a few hundred such connections ("slowloris")
//! would hold a server's sockets forever. This loop gives HTTP/1 a header-read
//! deadline, puts the peer's address where axum's `ConnectInfo` looks for it (rate limits
//! count per client address), and on shutdown stops accepting, lets connections finish
//! their requests and closes the idle ones, within a grace.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// How long the loop lets clients take.
#[derive(Clone, Copy, Debug)]
pub struct Deadlines {
    /// To send a request's headers, from its first byte.
    pub header_read: Duration,
    /// For in-flight requests to finish once shutdown begins.
    pub grace: Duration,
}

/// How the loop ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// Every connection finished within the grace.
    Drained,
    /// Some were still busy when the grace ran out and were dropped (their
    /// transactions roll back).
    GraceExpired,
}

/// Serves `router` on `listener` until `shutdown` resolves, then drains within
/// `deadlines.grace`.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    deadlines: Deadlines,
    shutdown: impl Future<Output = ()>,
) -> Ended {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(deadlines.header_read);
    builder.http2().timer(TokioTimer::new());
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    backoff_after(&error).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Answers are small and written whole: Nagle's delay would only add latency.
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = tower::service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            router.clone().oneshot(request)
        });
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(service))
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client hanging up or timing out is routine, not an error of ours.
            if let Err(error) = connection.await {
                tracing::debug!(%peer, %error, "connection ended");
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => Ended::Drained,
        () = tokio::time::sleep(deadlines.grace) => Ended::GraceExpired,
    }
}

/// Waits a moment after a failed accept. Running out of file descriptors is the usual
/// cause; retrying at once would spin on it while the connections that hold them finish.
async fn backoff_after(error: &std::io::Error) {
    tracing::warn!(%error, "accepting a connection failed; retrying in a second");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
