//! Composes the application: state, router, listener, graceful shutdown.
//!
//! `main` only reads configuration and calls into here; tests call [`Application::build`]
//! too, on a random port with a database of their own, and talk HTTP to it.

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use leptos_axum::{LeptosRoutes, generate_route_list};
use tokio::net::TcpListener;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::access::AuthCache;
use crate::backend::StoreBackend;
use crate::clock::Clock;
use crate::config::Config;
use crate::ingest::Ingest;
use crate::quoting::Quoting;
use crate::service::orders::Desk;
use crate::state::{AppState, Shared};
use crate::store::Db;
use crate::{admin_csv, api, health, store};

/// A built server, bound to its port but not yet serving.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

impl Application {
    /// Connects to the database, migrates it, builds the router and binds the address
    /// (port 0 picks a free one; see [`Application::local_addr`]).
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        Self::build_with_clock(config, crate::clock::system()).await
    }

    /// [`Application::build`] on a given clock (tests cross midnight with it).
    pub async fn build_with_clock(config: Config, clock: Clock) -> anyhow::Result<Application> {
        // Before anything counts: figures recorded before the recorder exists are lost.
        crate::metrics::handle();
        let pool = store::connect(&config.database_url, config.database_schema.as_deref()).await?;
        store::migrate(&pool).await?;
        let db = Db::new(pool, clock.clone());
        let listener = TcpListener::bind(config.addr).await?;
        let mut config = config;
        if config.public_url.is_none() {
            config.public_url = Some(crate::config::default_public_url(listener.local_addr()?));
        }
        let leptos = Arc::new(config.leptos.clone());
        let quoting = Arc::new(Quoting::new(db.clone()).with_token_minutes(config.quote_token_minutes));
        // Other replicas' commits arrive by LISTEN on PostgreSQL; polling catches up
        // whatever a dropped listening connection missed.
        db.listen().await;
        quoting
            .clone()
            .watch_versions(std::time::Duration::from_secs(u64::from(
                config.version_poll_seconds,
            )));
        let auth = Arc::new(AuthCache::default());
        auth.follow(db.changes());
        let state = AppState::new(Shared {
            orders: Desk::new(db.clone(), quoting.clone()),
            quoting,
            auth,
            clock,
            ingest: Ingest::start(db.clone()),
            db: db.clone(),
            config: Arc::new(config),
            leptos,
        });
        crate::jobs::start(state.clone());
        Ok(Application {
            listener,
            router: router(state.clone()),
            state,
        })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> std::net::SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// The database handle the application uses.
    pub fn db(&self) -> &Db {
        &self.state.db
    }

    /// What the handlers and the scheduled jobs share, so a test can run a job's body
    /// (see [`crate::jobs::recompute_due`]) without waiting for its timer.
    pub fn state(&self) -> AppState {
        self.state.clone()
    }

    /// Serves until `shutdown` resolves, then gives in-flight requests the configured
    /// grace (`shutdown_grace_seconds`) to finish, and returns.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let config = &self.state.config;
        let deadlines = crate::serve::Deadlines {
            header_read: std::time::Duration::from_secs(u64::from(config.header_read_timeout_seconds)),
            grace: std::time::Duration::from_secs(u64::from(config.shutdown_grace_seconds)),
        };
        let ended = crate::serve::serve(self.listener, self.router, deadlines, shutdown).await;
        if ended == crate::serve::Ended::GraceExpired {
            tracing::warn!(
                seconds = deadlines.grace.as_secs(),
                "in-flight requests outlived the shutdown grace; stopping"
            );
        }
        self.state.db.close().await;
        Ok(())
    }
}

/// The app's routes, generated once per process.
///
/// Generating them runs the app with resource loads suppressed by a process-wide flag
/// (leptos_server's `SuppressResourceLoad`): a page resource first polled meanwhile, by
/// another router of the same process already serving, waits forever (leptos-rs/leptos
/// #4773). Once per process, before any router serves, nothing can be polled meanwhile.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// The whole router: API, health, widget files, SSR pages and static files.
pub fn router(state: AppState) -> Router {
    let store = Arc::new(StoreBackend::new(
        state.db.clone(),
        state.config.clone(),
        state.quoting.clone(),
        state.auth.clone(),
    ));
    let (backend, admin): (app::backend::SharedBackend, app::server_fns::admin::SharedAdmin) =
        (store.clone(), store);
    let files = admin_csv::router(admin.clone());
    let context = move || {
        leptos::prelude::provide_context(backend.clone());
        leptos::prelude::provide_context(admin.clone());
        crate::headers::page_policy();
    };
    let routes = route_list();
    let site_root = state.config.site_root().to_path_buf();
    let leptos = (*state.leptos).clone();

    // The widget's files are loaded by pages of any shop's origin; they are public.
    let widget = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        // `cargo xtask build` writes a `.gz` beside each file: sent to browsers that
        // accept gzip, so the bundle's transfer size is its compressed size.
        .service(ServeDir::new(site_root.join("widget")).precompressed_gzip());

    let timeout = std::time::Duration::from_secs(u64::from(state.config.request_timeout_seconds));
    let rate_limits = state.config.rate_limits;
    let app = Router::new()
        .nest("/api/v1", api::router(state.clone()))
        .merge(health::router())
        .merge(files)
        .nest_service("/widget", widget)
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            app::shell(leptos.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            context,
            app::shell,
        ))
        .with_state(state)
        // Inside the router, so each request's matched route is known.
        .layer(axum::middleware::from_fn(crate::metrics::track));
    let limits = Arc::new(crate::limits::Limits::new(rate_limits));
    limits.keep_tidy();
    crate::fault::harden(app, timeout)
        .layer(axum::middleware::from_fn_with_state(limits, crate::edge::guard))
        .layer(
            tower::ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
                    let id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", method = %request.method(), uri = %request.uri(), request_id = %id)
                }))
                .layer(PropagateRequestIdLayer::new(REQUEST_ID)),
        )
}

/// Resolves on Ctrl-C or SIGTERM, so `c2m serve` stops cleanly under a supervisor.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
