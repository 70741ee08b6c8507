//! Rate limits: how many quotes, heat-event batches and sign-in attempts one caller may
//! make. Each budget counts per client address and, for the API, per key too, so one
//! page's runaway script or one leaked key cannot starve the shop's other shoppers,
//! and a sign-in form cannot be brute-forced. The counting is the generic cell rate
//! algorithm of the `governor` crate (a token bucket without a timer per key): a
//! budget of `n` a minute allows `n` at once, then one every `60/n` seconds.
//!
//! The edge middleware over the whole router ([`crate::edge`]) decides which budget a
//! request draws on from its method and path, so no handler can forget it. Over budget is `429`
//! problem+json with `Retry-After`. The address is the connection's peer: behind a
//! proxy, configure the proxy's own limits (c2m does not trust `X-Forwarded-For`).

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request};
use axum::http::{Method, header};
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::api::problem::ApiError;
pub use crate::config::PerMinute;

/// What a request draws on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Budget {
    /// `POST /api/v1/quotes` and the storefront's quote.
    Quotes,
    /// `POST /api/v1/events` (heat events and beacons).
    Events,
    /// `POST /_fn/login`.
    SignIn,
}

impl Budget {
    /// The budget `method` and `path` draw on, if any.
    pub fn of(method: &Method, path: &str) -> Option<Budget> {
        if method != Method::POST {
            return None;
        }
        match path {
            "/api/v1/quotes" | "/_fn/quote" => Some(Budget::Quotes),
            "/api/v1/events" => Some(Budget::Events),
            "/_fn/login" => Some(Budget::SignIn),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Budget::Quotes => "quotes",
            Budget::Events => "event batches",
            Budget::SignIn => "sign-in attempts",
        }
    }
}

/// The budgets of this process.
pub struct Limits {
    quotes: Option<DefaultKeyedRateLimiter<Caller>>,
    events: Option<DefaultKeyedRateLimiter<Caller>>,
    sign_ins: Option<DefaultKeyedRateLimiter<Caller>>,
}

/// Who is counted: an address, or an API key (by a digest, never the key itself).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Caller {
    Address(IpAddr),
    Key([u8; 32]),
}

impl Limits {
    /// Budgets of `per_minute` requests a minute per caller.
    pub fn new(per_minute: PerMinute) -> Self {
        let limiter =
            |n: u32| NonZeroU32::new(n).map(|n| DefaultKeyedRateLimiter::keyed(Quota::per_minute(n)));
        Limits {
            quotes: limiter(per_minute.quotes),
            events: limiter(per_minute.events),
            sign_ins: limiter(per_minute.sign_ins),
        }
    }

    fn limiter(&self, budget: Budget) -> Option<&DefaultKeyedRateLimiter<Caller>> {
        match budget {
            Budget::Quotes => self.quotes.as_ref(),
            Budget::Events => self.events.as_ref(),
            Budget::SignIn => self.sign_ins.as_ref(),
        }
    }

    /// Counts one request of `budget` from `address` with API key `key`; the seconds
    /// to wait when either is over budget.
    pub fn check(&self, budget: Budget, address: Option<IpAddr>, key: Option<&str>) -> Result<(), u64> {
        let Some(limiter) = self.limiter(budget) else {
            return Ok(());
        };
        let callers = address
            .map(Caller::Address)
            .into_iter()
            .chain(key.map(|k| Caller::Key(crate::auth::keys::key_digest(k))));
        for caller in callers {
            if let Err(not_until) = limiter.check_key(&caller) {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                return Err(wait.as_secs_f64().ceil().max(1.0) as u64);
            }
        }
        Ok(())
    }

    /// Forgets callers whose budget is full again, so the tables do not grow with every
    /// address ever seen.
    pub fn forget_idle(&self) {
        for limiter in [&self.quotes, &self.events, &self.sign_ins].into_iter().flatten() {
            limiter.retain_recent();
        }
    }

    /// Forgets idle callers every minute for as long as the budgets live.
    pub fn keep_tidy(self: &Arc<Self>) {
        let limits = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
            loop {
                every.tick().await;
                let Some(limits) = limits.upgrade() else { break };
                limits.forget_idle();
            }
        });
    }

    /// Counts `request` against the budget its route draws on: over budget, the 429
    /// problem+json to answer; `None` lets it through. Called for every request by
    /// [`crate::edge::guard`].
    pub fn refusal(&self, request: &Request) -> Option<Response> {
        let budget = Budget::of(request.method(), request.uri().path())?;
        let address = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(peer)| peer.ip());
        let key = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let seconds = self.check(budget, address, key).err()?;
        Some(
            ApiError::TooManyRequests {
                detail: format!(
                    "Too many {} from this caller; try again in {seconds} s.",
                    budget.name()
                ),
                retry_after: seconds,
            }
            .into_response(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> Option<IpAddr> {
        Some(IpAddr::from([127, 0, 0, last]))
    }

    #[test]
    fn routes_draw_on_their_budget_and_the_rest_on_none() {
        assert_eq!(Budget::of(&Method::POST, "/api/v1/quotes"), Some(Budget::Quotes));
        assert_eq!(Budget::of(&Method::POST, "/_fn/quote"), Some(Budget::Quotes));
        assert_eq!(Budget::of(&Method::POST, "/api/v1/events"), Some(Budget::Events));
        assert_eq!(Budget::of(&Method::POST, "/_fn/login"), Some(Budget::SignIn));
        assert_eq!(Budget::of(&Method::GET, "/api/v1/quotes"), None);
        assert_eq!(Budget::of(&Method::POST, "/api/v1/orders"), None);
    }

    #[test]
    fn a_caller_over_budget_waits_and_others_do_not() {
        let limits = Limits::new(PerMinute {
            quotes: 3,
            events: 0,
            sign_ins: 2,
        });
        for _ in 0..3 {
            assert_eq!(limits.check(Budget::Quotes, ip(1), Some("pk_a")), Ok(()));
        }
        let wait = limits.check(Budget::Quotes, ip(1), Some("pk_a")).unwrap_err();
        assert!(
            (1..=20).contains(&wait),
            "one of three a minute: about 20 s, {wait}"
        );
        assert_eq!(
            limits.check(Budget::Quotes, ip(2), Some("pk_b")),
            Ok(()),
            "another caller"
        );
        // The same key from another address is still over its own budget.
        assert!(limits.check(Budget::Quotes, ip(3), Some("pk_a")).is_err());
        // Budgets are separate, and a budget of 0 is off.
        assert_eq!(limits.check(Budget::SignIn, ip(1), None), Ok(()));
        for _ in 0..100 {
            assert_eq!(limits.check(Budget::Events, ip(1), Some("pk_a")), Ok(()));
        }
    }
}
