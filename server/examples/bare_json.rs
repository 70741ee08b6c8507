//! The baseline of `cargo xtask load`: a bare axum endpoint that answers every
//! `POST /api/v1/quotes` with a fixed JSON body read from a file (a real quote, so the
//! bytes on the wire are the same), with no authentication, database or cache.
//!
//! `cargo run --release -p server --example bare_json -- <addr> <body.json>`

use axum::Router;
use axum::body::Bytes;
use axum::http::header;
use axum::routing::post;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(addr), Some(path)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: bare_json <addr> <body.json>");
    };
    let body = Bytes::from(std::fs::read(&path)?);
    let app = Router::new().route(
        "/api/v1/quotes",
        post(move || {
            let body = body.clone();
            async move { ([(header::CONTENT_TYPE, "application/json")], body) }
        }),
    );
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
