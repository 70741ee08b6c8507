//! The configurator's live state: the selection, the latest answer for it, and the
//! round trip that replaces one with the next.
//!
//! Every change asks for a new quote with a sequence number; an answer is applied only
//! if no later request has been made since, so a slow answer never overwrites a newer
//! one. While a request is out, the previous answer stays on screen (dimmed).

use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::page;
use super::services::{Heat, QuoteFailure, Services};
use crate::configuration::{self, Configuration, ConfigurationDetail};
use crate::i18n::Locale;
use crate::model::{ConfiguratorView, GroupView, OptionQuoteView, QuoteRequest, QuoteView, SelectionView};

/// The state one configurator shares with its parts; cheap to clone.
#[derive(Clone)]
pub struct Live {
    /// Product slug.
    pub product: String,
    /// ISO 4217 currency.
    pub currency: String,
    /// Price without options, minor units.
    pub base_price_minor: i64,
    /// A presale product: ordering is a preorder.
    pub preorder: bool,
    /// The option groups as loaded.
    pub groups: Vec<GroupView>,
    /// The shopper's language.
    pub locale: Locale,
    /// Distinguishes several configurators on one page.
    pub instance: String,
    /// Chosen value codes per group.
    pub selection: RwSignal<SelectionView>,
    /// Units, set by the host page.
    pub quantity: Signal<u32>,
    /// The latest answer applied.
    pub answer: RwSignal<Option<QuoteView>>,
    /// A request newer than `answer` is on its way.
    pub pending: RwSignal<bool>,
    /// Why the latest request failed, until one succeeds.
    pub problem: RwSignal<Option<QuoteFailure>>,
    /// The configurator's root element, where its DOM events start.
    pub root: NodeRef<Div>,
    latest: StoredValue<u64>,
    services: Services,
}

impl Live {
    /// The state for `view`, starting from its default selection and answer.
    pub fn new(
        view: &ConfiguratorView,
        services: Services,
        locale: Locale,
        instance: String,
        quantity: Signal<u32>,
    ) -> Live {
        Live {
            product: view.product.slug.clone(),
            currency: view.product.currency.clone(),
            base_price_minor: view.product.base_price_minor,
            preorder: view.product.preorder,
            groups: view.groups.clone(),
            locale,
            instance,
            selection: RwSignal::new(view.default_selection.clone()),
            quantity,
            answer: RwSignal::new(view.quote.clone()),
            pending: RwSignal::new(false),
            problem: RwSignal::new(None),
            root: NodeRef::new(),
            latest: StoredValue::new(0),
            services,
        }
    }

    /// Whether `value` of group `group` is chosen.
    pub fn is_chosen(&self, group: &str, value: &str) -> bool {
        self.selection.with(|s| configuration::is_chosen(s, group, value))
    }

    /// The shopper (un)ticked `value` of `group`.
    pub fn choose(&self, group: &GroupView, value: &str) {
        let added = self
            .selection
            .try_update(|s| configuration::choose(s, group, value));
        if added == Some(true) {
            self.services.heat(Heat::OptionSelect {
                group: group.code.clone(),
                value: value.to_string(),
            });
        }
        self.requote();
    }

    /// Replaces a frozen `from` with its suggested `to` in one click.
    pub fn switch(&self, group: &GroupView, from: &str, to: &str) {
        self.selection
            .update(|s| configuration::switch(s, group, from, to));
        self.services.heat(Heat::OptionSelect {
            group: group.code.clone(),
            value: to.to_string(),
        });
        self.requote();
    }

    /// Asks for the answer to the current selection and quantity.
    pub fn requote(&self) {
        let seq = self.latest.get_value() + 1;
        self.latest.set_value(seq);
        let request = QuoteRequest {
            product: self.product.clone(),
            selection: self.selection.get_untracked(),
            quantity: self.quantity.get_untracked(),
            channel: None,
        };
        self.pending.set(true);
        let start = format!("c2m:change:{}:{seq}", self.instance);
        page::mark(&start);
        let this = self.clone();
        spawn_local(async move {
            let result = this.services.quote(request).await;
            if this.latest.get_value() != seq {
                return;
            }
            match result {
                Ok(answer) => {
                    this.answer.set(Some(answer));
                    this.problem.set(None);
                }
                Err(failure) => this.problem.set(Some(failure)),
            }
            this.pending.set(false);
            this.announce("c2m:change");
            page::after_paint(move || {
                let end = format!("c2m:painted:{}:{seq}", this.instance);
                page::mark(&end);
                page::measure("c2m:update", &start, &end);
            });
        });
    }

    /// The answer of value `value` of group `group`, from the latest answer.
    pub fn cell(&self, group: usize, value: usize) -> Option<OptionQuoteView> {
        self.answer.with(|a| {
            a.as_ref()
                .and_then(|a| a.options.get(group))
                .and_then(|g| g.values.get(value))
                .cloned()
        })
    }

    /// Price of one unit with the current selection (known at once, no round trip).
    pub fn unit_price(&self) -> i64 {
        self.selection
            .with(|s| configuration::unit_price(self.base_price_minor, &self.groups, s))
    }

    /// Whether the answer on screen is for what the shopper sees and can be ordered.
    pub fn can_order(&self) -> bool {
        !self.pending.get()
            && self.problem.with(Option::is_none)
            && self.answer.with(|a| a.as_ref().is_some_and(|a| a.available))
    }

    /// The configuration as the host page's events carry it.
    pub fn detail(&self) -> ConfigurationDetail {
        let configuration = Configuration {
            product: &self.product,
            currency: &self.currency,
            base_price_minor: self.base_price_minor,
            preorder: self.preorder,
            groups: &self.groups,
        };
        let fresh = self.problem.with_untracked(Option::is_none);
        self.answer.with_untracked(|a| {
            self.selection.with_untracked(|s| {
                configuration.detail(
                    s,
                    self.quantity.get_untracked(),
                    a.as_ref().filter(|_| fresh),
                    self.locale,
                )
            })
        })
    }

    /// Tells the host page: `c2m:change` or `c2m:add-to-cart`.
    pub fn announce(&self, event: &str) {
        if let Some(root) = self.root.get_untracked() {
            page::dispatch(&root, event, &self.detail());
        }
    }

    /// The shopper pressed "Add to cart" / "Preorder".
    pub fn order(&self) {
        let selection = self.selection.get_untracked();
        self.services.heat(if self.preorder {
            Heat::Preorder { selection }
        } else {
            Heat::AddToCart { selection }
        });
        self.announce("c2m:add-to-cart");
    }

    /// The shopper saved the configuration for later.
    pub fn favorite(&self) {
        self.services.heat(Heat::Favorite {
            selection: self.selection.get_untracked(),
        });
    }

    /// The configurator is on screen: one view, and the first-paint mark.
    pub fn shown(&self) {
        self.services.heat(Heat::View);
        page::after_paint(|| page::mark("c2m:first-estimates"));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use any_spawner::Executor;
    use futures::channel::oneshot;

    use super::*;
    use crate::configurator::services::LocalFuture;
    use crate::model::{EstimateView, GroupKindView, GroupView, ProductView, ValueStatusView, ValueView};

    type Waiting = Arc<Mutex<Vec<(QuoteRequest, oneshot::Sender<QuoteView>)>>>;

    fn value(code: &str) -> ValueView {
        ValueView {
            code: code.into(),
            label: code.to_uppercase(),
            price_delta_minor: 100,
            status: ValueStatusView::Active,
            frozen_reason: None,
            alternative: None,
            estimate: None,
        }
    }

    fn view() -> ConfiguratorView {
        ConfiguratorView {
            product: ProductView {
                slug: "bag".into(),
                name: "Bag".into(),
                description: String::new(),
                base_price_minor: 1_000,
                currency: "EUR".into(),
                preorder: false,
            },
            groups: vec![GroupView {
                code: "fabric".into(),
                name: "Fabric".into(),
                kind: GroupKindView::Single,
                required: true,
                values: vec![value("a"), value("b"), value("c")],
            }],
            default_selection: [("fabric".to_string(), vec!["a".to_string()])].into(),
            quote: None,
        }
    }

    /// The answer for `request`, with a lead time that tells answers apart.
    fn answer(request: &QuoteRequest, days: u32) -> QuoteView {
        let day = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        QuoteView {
            product: request.product.clone(),
            quantity: request.quantity,
            currency: "EUR".into(),
            state_version: 1,
            quoted_on: day,
            selection: request.selection.clone(),
            price_minor: 1_100,
            available: true,
            estimate: Some(EstimateView {
                p50: day + chrono::Days::new(u64::from(days)),
                p90: day + chrono::Days::new(u64::from(days)),
                promised: day + chrono::Days::new(u64::from(days)),
                lead_days_p50: days,
                lead_days_p90: days,
                label: String::new(),
            }),
            unavailable_reason: None,
            frozen: vec![],
            constraint: None,
            fulfilment: None,
            options: vec![],
            quote_token: Some(format!("token-{days}")),
            quote_token_expires_at: None,
            split: None,
            first_batch: None,
        }
    }

    /// A configurator whose quotes wait until the test answers them.
    fn live() -> (Live, Waiting) {
        let _ = Executor::init_futures_executor();
        let waiting: Waiting = Arc::default();
        let quoter = {
            let waiting = waiting.clone();
            move |request: QuoteRequest| {
                let (send, receive) = oneshot::channel();
                waiting.lock().unwrap().push((request, send));
                Box::pin(async move { receive.await.map_err(|_| QuoteFailure::Offline) })
                    as LocalFuture<Result<QuoteView, QuoteFailure>>
            }
        };
        let services = Services::new(quoter, |_| {});
        let live = Live::new(&view(), services, Locale::En, "t".into(), Signal::stored(1));
        (live, waiting)
    }

    fn lead_days(live: &Live) -> Option<u32> {
        live.answer
            .get_untracked()
            .and_then(|a| a.estimate)
            .map(|e| e.lead_days_p90)
    }

    #[test]
    fn a_late_answer_never_overwrites_a_newer_one() {
        let owner = Owner::new();
        owner.set();
        let (live, waiting) = live();
        let group = live.groups[0].clone();
        live.choose(&group, "b");
        live.choose(&group, "c");
        assert!(live.pending.get_untracked());
        Executor::poll_local();
        let mut requests = std::mem::take(&mut *waiting.lock().unwrap());
        assert_eq!(requests.len(), 2);
        let (first, first_reply) = requests.remove(0);
        let (second, second_reply) = requests.remove(0);
        assert_eq!(second.selection["fabric"], ["c"]);

        // The newer answer lands first and is shown.
        second_reply.send(answer(&second, 3)).unwrap();
        Executor::poll_local();
        assert_eq!(lead_days(&live), Some(3));
        assert!(!live.pending.get_untracked());

        // The older one lands late and is dropped.
        first_reply.send(answer(&first, 9)).unwrap();
        Executor::poll_local();
        assert_eq!(lead_days(&live), Some(3));
        assert_eq!(live.selection.get_untracked()["fabric"], ["c"]);
    }

    #[test]
    fn while_waiting_the_previous_answer_stays_and_ordering_waits() {
        let owner = Owner::new();
        owner.set();
        let (live, waiting) = live();
        let group = live.groups[0].clone();
        live.choose(&group, "b");
        Executor::poll_local();
        let (request, reply) = waiting.lock().unwrap().remove(0);
        reply.send(answer(&request, 4)).unwrap();
        Executor::poll_local();
        assert!(live.can_order());

        live.choose(&group, "c");
        assert_eq!(
            lead_days(&live),
            Some(4),
            "the previous answer stays while waiting"
        );
        assert!(live.pending.get_untracked());
        assert!(
            !live.can_order(),
            "the answer on screen is not for this selection"
        );

        // The request fails: the old answer stays, the failure is said, no ordering.
        Executor::poll_local();
        drop(waiting.lock().unwrap().remove(0));
        Executor::poll_local();
        assert_eq!(live.problem.get_untracked(), Some(QuoteFailure::Offline));
        assert_eq!(lead_days(&live), Some(4));
        assert!(!live.can_order());
        assert_eq!(live.detail().delivery, None, "a stale promise is never passed on");
    }

    #[test]
    fn unit_price_follows_the_selection_at_once() {
        let owner = Owner::new();
        owner.set();
        let (live, _waiting) = live();
        assert_eq!(live.unit_price(), 1_100);
        let detail = live.detail();
        assert_eq!(
            (detail.unit_price_minor, detail.total_price_minor),
            (1_100, 1_100)
        );
    }
}
