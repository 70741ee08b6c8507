//! Presale heat from the widget: events queued, batched and sent to
//! `POST /api/v1/events`.
//!
//! Events wait up to [`FLUSH_DELAY`] (or until [`BATCH_SIZE`] are queued) and go in one
//! `fetch` with `keepalive`. When the page is hidden (tab switched, closed, navigated
//! away) whatever is queued leaves at once with `navigator.sendBeacon`, which survives
//! the page; a beacon cannot carry headers, so its body carries the key. Every event
//! has an id made here, so a batch sent twice (a retry after a lost answer) is stored
//! once. A failed batch is queued again, up to [`MAX_QUEUED`] events per shop key.

use std::cell::RefCell;
use std::time::Duration;

use app::configuration::Heat;
use app::model::SelectionView;
use js_sys::Array;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

use crate::api::{ApiError, Endpoint};
use crate::page::set_timeout;
use crate::wire::{self, Json};

/// How long an event waits for others before its batch is sent.
const FLUSH_DELAY: Duration = Duration::from_secs(2);
/// A batch this long is sent at once.
const BATCH_SIZE: usize = 50;
/// Events kept per key while the server cannot be reached; the oldest go first.
const MAX_QUEUED: usize = 500;
/// Events per beacon, well under the browsers' 64 KB beacon budget.
const BEACON_BATCH: usize = 100;

/// One event as `POST /api/v1/events` takes it.
#[derive(Clone, Debug)]
struct Event {
    id: String,
    kind: &'static str,
    product: String,
    group: Option<String>,
    value: Option<String>,
    selection: Option<SelectionView>,
    session: String,
}

impl Event {
    fn to_json(&self) -> Json {
        Json::new()
            .set("id", self.id.as_str())
            .set("kind", self.kind)
            .set("product", self.product.as_str())
            .set_some("group", self.group.as_deref())
            .set_some("value", self.value.as_deref())
            .set_some("selection", self.selection.as_ref().map(wire::selection))
            .set("session", self.session.as_str())
    }
}

/// A batch's body: `{"events": […]}`, with the key for a beacon (which has no headers).
fn batch(key: Option<&str>, events: &[Event]) -> String {
    let events: Array = events.iter().map(|e| e.to_json().done()).collect();
    let body = Json::new().set_some("key", key).set("events", events);
    wire::stringify(&body.done())
}

/// Events waiting for one endpoint and key.
struct Pending {
    endpoint: Endpoint,
    events: Vec<Event>,
}

#[derive(Default)]
struct Queue {
    pending: Vec<Pending>,
    flush_scheduled: bool,
    listening: bool,
    session: Option<String>,
}

thread_local! {
    static QUEUE: RefCell<Queue> = RefCell::new(Queue::default());
}

/// Queues `heat` for `product`, sent under `endpoint`'s key.
pub fn record(endpoint: &Endpoint, product: &str, heat: Heat) {
    let (kind, group, value, selection) = match heat {
        Heat::View => ("view", None, None, None),
        Heat::OptionSelect { group, value } => ("option_select", Some(group), Some(value), None),
        Heat::Favorite { selection } => ("favorite", None, None, Some(selection)),
        Heat::AddToCart { selection } => ("add_to_cart", None, None, Some(selection)),
        Heat::Preorder { selection } => ("preorder", None, None, Some(selection)),
    };
    let full = QUEUE.with_borrow_mut(|queue| {
        listen_for_page_hide(queue);
        let session = queue.session.get_or_insert_with(session_id).clone();
        let event = Event {
            id: random_id(),
            kind,
            product: product.to_string(),
            group,
            value,
            selection,
            session,
        };
        let pending = queue.pending_for(endpoint);
        pending.events.push(event);
        let full = pending.events.len() >= BATCH_SIZE;
        if !full && !queue.flush_scheduled {
            queue.flush_scheduled = true;
            set_timeout(flush, FLUSH_DELAY);
        }
        full
    });
    if full {
        flush();
    }
}

impl Queue {
    fn pending_for(&mut self, endpoint: &Endpoint) -> &mut Pending {
        let at = self
            .pending
            .iter()
            .position(|p| p.endpoint.api_base == endpoint.api_base && p.endpoint.key == endpoint.key);
        let at = at.unwrap_or_else(|| {
            self.pending.push(Pending {
                endpoint: endpoint.clone(),
                events: Vec::new(),
            });
            self.pending.len() - 1
        });
        &mut self.pending[at]
    }

    fn take(&mut self) -> Vec<Pending> {
        self.flush_scheduled = false;
        self.pending
            .iter_mut()
            .filter(|p| !p.events.is_empty())
            .map(|p| Pending {
                endpoint: p.endpoint.clone(),
                events: std::mem::take(&mut p.events),
            })
            .collect()
    }
}

/// Sends everything queued with `fetch`; a batch that fails for want of a network or
/// a server is queued again.
fn flush() {
    for Pending { endpoint, events } in QUEUE.with_borrow_mut(Queue::take) {
        wasm_bindgen_futures::spawn_local(async move {
            let body = batch(None, &events);
            match endpoint.post_events(&body).await {
                Ok(()) => {}
                // Refused as malformed or unauthorised: sending it again cannot help.
                Err(
                    error @ ApiError::Http {
                        status: 400..=499, ..
                    },
                ) => crate::log_api_error(&error),
                Err(_) => requeue(&endpoint, events),
            }
        });
    }
}

fn requeue(endpoint: &Endpoint, mut events: Vec<Event>) {
    QUEUE.with_borrow_mut(|queue| {
        let pending = queue.pending_for(endpoint);
        events.append(&mut pending.events);
        let excess = events.len().saturating_sub(MAX_QUEUED);
        events.drain(..excess);
        pending.events = events;
        if !queue.flush_scheduled {
            queue.flush_scheduled = true;
            set_timeout(flush, FLUSH_DELAY * 5);
        }
    });
}

/// The page is going away (or into the background, from where it may never return):
/// send what is queued with beacons, which outlive it.
fn flush_with_beacons() {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return;
    };
    for Pending { endpoint, events } in QUEUE.with_borrow_mut(Queue::take) {
        let url = format!("{}/api/v1/events", endpoint.api_base);
        for chunk in events.chunks(BEACON_BATCH) {
            let body = batch(Some(&endpoint.key), chunk);
            // A string body goes as text/plain, which needs no CORS preflight.
            let sent = navigator
                .send_beacon_with_opt_str(&url, Some(&body))
                .unwrap_or(false);
            if !sent {
                requeue(&endpoint, chunk.to_vec());
            }
        }
    }
}

/// Installs the page-hide listeners once per page.
fn listen_for_page_hide(queue: &mut Queue) {
    if queue.listening {
        return;
    }
    queue.listening = true;
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_hidden = Closure::<dyn Fn()>::new(|| {
        let hidden = web_sys::window()
            .and_then(|w| w.document())
            .is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Hidden);
        if hidden {
            flush_with_beacons();
        }
    });
    if let Some(document) = window.document() {
        let _ =
            document.add_event_listener_with_callback("visibilitychange", on_hidden.as_ref().unchecked_ref());
    }
    let _ = window.add_event_listener_with_callback("pagehide", on_hidden.as_ref().unchecked_ref());
    // Lives as long as the page.
    on_hidden.forget();
}

/// The browser session's id: kept in `sessionStorage` when the page may use it, so one
/// shopper's events across pages of a visit belong together.
fn session_id() -> String {
    const KEY: &str = "c2m_session";
    let storage = web_sys::window().and_then(|w| w.session_storage().ok().flatten());
    if let Some(id) = storage
        .as_ref()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .filter(|id| is_id(id))
    {
        return id;
    }
    let id = random_id();
    if let Some(storage) = storage {
        let _ = storage.set_item(KEY, &id);
    }
    id
}

/// 128 random bits as 32 hex digits, from the browser's cryptographic generator (which
/// unlike `crypto.randomUUID` also exists on plain-http pages).
fn random_id() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn is_id(s: &str) -> bool {
    (8..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
