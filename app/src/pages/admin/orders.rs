//! `/admin/orders`: the orders board. One column per status, in the order an order goes
//! through them, each with how many of the loaded orders it holds. A card shows the
//! order and its late-risk flag, folded its plan and what it holds, and one small form
//! per move its status allows (each a plain post, so it works before the wasm loads).
//! The filters live in the URL (a plain GET form), so a filtered board can be linked.

use std::collections::HashMap;

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::calendar::long_day;
use super::forms::{Banner, FieldError, invalid, refusal};
use super::products::money_input;
use crate::model::FulfilmentView;
use crate::model::orders::{
    BOARD_LIMIT, HeldMinutes, HeldUnits, OrderCard, OrderFilter, OrderStatus, OrdersBoard,
};
use crate::server_fns::admin::{
    AdminError, AdminErrorKind, MoveOrder, OrdersView, ReportConsumption, admin_orders,
};

/// What a card's forms post: a status move, and material used in production.
#[derive(Clone, Copy)]
struct CardActions {
    moves: ServerAction<MoveOrder>,
    uses: ServerAction<ReportConsumption>,
}

/// The board's URL parameters as typed: `status`, `channel`, `product`, `at_risk`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Asked {
    status: String,
    channel: String,
    product: String,
    at_risk: String,
}

impl Asked {
    fn of(query: &leptos_router::params::ParamsMap) -> Asked {
        let text = |name: &str| query.get(name).unwrap_or_default();
        Asked {
            status: text("status"),
            channel: text("channel"),
            product: text("product"),
            at_risk: text("at_risk"),
        }
    }
}

/// `/admin/orders?status=placed&channel=web&product=weekender-bag&at_risk=true`.
#[component]
pub fn OrdersPage() -> impl IntoView {
    let query = use_query_map();
    let asked = Memo::new(move |_| Asked::of(&query.read()));
    let moves = ServerAction::<MoveOrder>::new();
    let uses = ServerAction::<ReportConsumption>::new();
    let actions = CardActions { moves, uses };
    let tick = RwSignal::new(0u32);
    // Re-read after a move, and after one refused because the card was stale (moved or
    // gone meanwhile), so the board shows where the order is now; a form refused for
    // what was typed keeps it.
    Effect::new(move |_| {
        let reread = match moves.value().get() {
            Some(Ok(())) => true,
            Some(Err(e)) => matches!(e.kind, AdminErrorKind::Conflict | AdminErrorKind::NotFound),
            None => false,
        };
        if reread {
            tick.update(|n| *n += 1);
        }
    });
    // A report changes what the card's figures and the stock say: read them again.
    Effect::new(move |_| {
        if matches!(uses.value().get(), Some(Ok(()))) {
            tick.update(|n| *n += 1);
        }
    });
    let board = Resource::new(
        move || (asked.get(), tick.get()),
        |(asked, _)| admin_orders(asked.status, asked.channel, asked.product, asked.at_risk),
    );
    let errors = vec![refusal(moves), refusal(uses)];
    view! {
        <Title text="Orders · c2m admin" />
        <h2>"Orders"</h2>
        <p class="muted">
            "Every order from placed to delivered, newest first in each column, with what its promise \
             holds. Starting, shipping, delivering and cancelling are logged in the audit log; shipping \
             uses up what the order holds, cancelling frees it for the next quote."
        </p>
        <Banner errors />
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(view) => view! { <OrdersBody view asked=asked.get_untracked() actions /> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn OrdersBody(view: OrdersView, asked: Asked, actions: CardActions) -> impl IntoView {
    let OrdersView {
        products,
        filter,
        board,
    } = view;
    match board {
        Ok(board) => {
            let mut channels: Vec<String> = board.orders.iter().map(|o| o.channel.clone()).collect();
            channels.sort();
            channels.dedup();
            let names: HashMap<String, String> = products.iter().cloned().collect();
            view! {
                <FilterForm asked products channels refusal=None />
                <Board board filter names actions />
            }
            .into_any()
        }
        Err(refusal) => view! {
            <FilterForm asked products channels=Vec::new() refusal=Some(refusal) />
        }
        .into_any(),
    }
}

/// The filters, as a GET form: the URL it opens is the board.
#[component]
fn FilterForm(
    asked: Asked,
    products: Vec<(String, String)>,
    channels: Vec<String>,
    refusal: Option<AdminError>,
) -> impl IntoView {
    let error = Signal::stored(refusal);
    let Asked {
        status,
        channel,
        product,
        at_risk,
    } = asked;
    let statuses = OrderStatus::BOARD
        .into_iter()
        .map(|s| {
            let selected = s.as_str() == status;
            view! { <option value=s.as_str() selected=selected>{s.label()}</option> }
        })
        .collect_view();
    let products = products
        .into_iter()
        .map(|(slug, name)| {
            let selected = slug == product;
            view! { <option value=slug selected=selected>{name}</option> }
        })
        .collect_view();
    view! {
        <Form method="GET" action="" attr:class="filters" attr:data-form="order-filters" attr:role="search">
            <label>"Status"
                <select name="status" aria-invalid=invalid(error, "status")>
                    <option value="" selected=status.is_empty()>"Every status"</option>
                    {statuses}
                </select>
            </label>
            <label>"Channel"
                <input name="channel" value=channel list="order-channels" placeholder="any" />
            </label>
            <datalist id="order-channels">
                {channels.into_iter().map(|c| view! { <option value=c></option> }).collect_view()}
            </datalist>
            <label>"Product"
                <select name="product" aria-invalid=invalid(error, "product")>
                    <option value="" selected=product.is_empty()>"All products"</option>
                    {products}
                </select>
            </label>
            <label class="check">
                <input type="checkbox" name="at_risk" value="true" checked=!at_risk.is_empty() aria-invalid=invalid(error, "at_risk") />
                "At risk only"
            </label>
            <button type="submit">"Show"</button>
            <a href="/admin/orders">"Clear filters"</a>
        </Form>
        <FieldError error field="status" />
        <FieldError error field="product" />
        <FieldError error field="at_risk" />
    }
    .into_any()
}

/// The columns: every status, or only the one filtered for.
#[component]
fn Board(
    board: OrdersBoard,
    filter: OrderFilter,
    names: HashMap<String, String>,
    actions: CardActions,
) -> impl IntoView {
    let OrdersBoard { orders, more, today } = board;
    let empty = orders.is_empty();
    let mut by_status: HashMap<OrderStatus, Vec<OrderCard>> = HashMap::new();
    for order in orders {
        by_status.entry(order.status).or_default().push(order);
    }
    let columns = match filter.status {
        Some(status) => vec![status],
        None => OrderStatus::BOARD.to_vec(),
    };
    view! {
        {more.then(|| view! {
            <p class="muted" role="status" data-cut="">
                {format!(
                    "Only the newest {BOARD_LIMIT} orders that pass the filters are shown, so each column \
                     counts those; narrow the filters to see older ones."
                )}
            </p>
        })}
        {empty.then(|| view! { <p class="muted" role="status" data-empty="">"No orders pass these filters."</p> })}
        <div class="order-board">
            {columns
                .into_iter()
                .map(|status| {
                    let cards = by_status.remove(&status).unwrap_or_default();
                    view! { <Column status cards more today names=names.clone() actions /> }
                })
                .collect_view()}
        </div>
    }
    .into_any()
}

#[component]
fn Column(
    status: OrderStatus,
    cards: Vec<OrderCard>,
    more: bool,
    today: NaiveDate,
    names: HashMap<String, String>,
    actions: CardActions,
) -> impl IntoView {
    let heading = format!("column-{}", status.as_str());
    let heading_id = heading.clone();
    let count = cards.len();
    let counted = if more {
        format!("{count} shown")
    } else {
        count.to_string()
    };
    view! {
        <section class="order-column" data-status=status.as_str() aria-labelledby=heading_id>
            <h3 id=heading>{status.label()}" "<span class="count" data-count=count.to_string()>{counted}</span></h3>
            {(count == 0).then(|| view! { <p class="muted small">"None."</p> })}
            {cards
                .into_iter()
                .map(|order| {
                    let name = names.get(&order.product).cloned();
                    view! { <Card order name today actions /> }
                })
                .collect_view()}
        </section>
    }
    .into_any()
}

#[component]
fn Card(order: OrderCard, name: Option<String>, today: NaiveDate, actions: CardActions) -> impl IntoView {
    let CardActions { moves, uses } = actions;
    let OrderCard {
        id,
        reference,
        product,
        quantity,
        channel,
        status,
        currency,
        total_minor,
        quoted_p50,
        quoted_p90,
        promised_on,
        placed_at,
        delivered_on,
        late_risk,
        plan,
        reservations,
        bookings,
        moves: next,
        step,
    } = order;
    let materials: Vec<String> = {
        let mut held: Vec<String> = reservations.iter().map(|r| r.material.clone()).collect();
        held.sort();
        held.dedup();
        held
    };
    let producing = status == OrderStatus::InProduction;
    let title = format!("order-{id}-title");
    let (title_id, reference_data) = (title.clone(), reference.clone());
    let at_risk = late_risk.is_some();
    view! {
        <article
            class="card order"
            class:at-risk=at_risk
            data-order=id.to_string()
            data-reference=reference_data
            data-status=status.as_str()
            data-at-risk=at_risk.to_string()
            aria-labelledby=title_id
        >
            <h4 id=title>{reference}</h4>
            {late_risk.map(|why| view! {
                <p class="late-risk" role="note"><strong>"⚠ Late risk: "</strong>{why}</p>
            })}
            <dl class="order-facts">
                <dt>"Product"</dt>
                <dd>{name.unwrap_or_else(|| product.clone())}" "<code class="muted small">{product.clone()}</code></dd>
                <dt>"Quantity"</dt>
                <dd>{quantity}</dd>
                <dt>"Channel"</dt>
                <dd>{channel}</dd>
                <dt>"Total"</dt>
                <dd class="money">{format!("{} {currency}", money_input(total_minor))}</dd>
                <dt>"Quoted"</dt>
                <dd>{format!("P50 {} · P90 {}", short_day(quoted_p50), short_day(quoted_p90))}</dd>
                <dt>"Promised"</dt>
                <dd>{long_day(promised_on)}</dd>
                <dt>"Placed"</dt>
                <dd>{placed_at.format("%Y-%m-%d %H:%M UTC").to_string()}</dd>
                {delivered_on.map(|day| view! { <dt>"Delivered"</dt><dd>{long_day(day)}</dd> })}
                {step.map(|step| view! { <dt>"Step"</dt><dd data-step="">{step}</dd> })}
            </dl>
            <details class="order-detail">
                <summary>"Plan and what it holds"</summary>
                <Plan plan />
                <Holdings reservations bookings />
            </details>
            {producing.then(|| view! { <UseForm id materials action=uses /> })}
            <Moves id next today placed_on=placed_at.date_naive() action=moves />
            // Below the forms, not inside them: a move refused because the card was stale
            // stays in sight when the re-read board shows the order where it is now.
            <FieldError error=refusal(moves) field=format!("order-{id}") />
            <FieldError error=refusal(uses) field=format!("order-{id}") />
        </article>
    }
    .into_any()
}

/// A day without its weekday (`3 Dec 2026`), where two share a line.
fn short_day(day: NaiveDate) -> String {
    day.format("%-d %b %Y").to_string()
}

/// Where the order is made and where every material comes from, as booked.
#[component]
fn Plan(plan: Option<FulfilmentView>) -> impl IntoView {
    let Some(plan) = plan else {
        return view! { <p class="muted small">"No plan was stored with this order."</p> }.into_any();
    };
    let FulfilmentView {
        producing_node,
        materials,
        operations,
        ..
    } = plan;
    view! {
        <h5>"Plan"</h5>
        <p class="small">"Made at "<code>{producing_node}</code></p>
        <ul class="lines plan-materials">
            {materials.into_iter().map(|m| {
                let sku = m.sku.clone();
                view! {
                <li data-material=sku>
                    <code>{m.sku}</code>" "{m.name}{format!(": {} needed", m.quantity)}
                    <ul class="sources">
                        {m.sources.into_iter().map(|s| {
                            let from = s.node.map(|n| format!(" at {n}")).unwrap_or_default();
                            let reference = s.reference.map(|r| format!(" ({r})")).unwrap_or_default();
                            view! {
                                <li data-kind=s.kind.clone()>
                                    {format!("{} from {}{from}{reference}, arrives {}", s.quantity, s.kind.replace('_', " "), long_day(s.arrives))}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </li>
                }
            }).collect_view()}
        </ul>
        <ul class="lines plan-minutes">
            {operations.into_iter().map(|o| view! {
                <li>{format!("{} min on {}, {}", o.minutes, o.work_center, long_day(o.day))}</li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The units and minutes the order holds now (none once it has shipped or been
/// cancelled).
#[component]
fn Holdings(reservations: Vec<HeldUnits>, bookings: Vec<HeldMinutes>) -> impl IntoView {
    let units = if reservations.is_empty() {
        view! { <p class="muted small">"It holds no units."</p> }.into_any()
    } else {
        view! {
            <ul class="lines held-units">
                {reservations.into_iter().map(|r| {
                    let inbound = r.inbound.map(|i| format!(" ({i})")).unwrap_or_default();
                    view! {
                        <li data-source=r.source.clone()>
                            {format!("{} ", r.quantity)}<code>{r.material}</code>
                            {format!(" at {} from {}{inbound}", r.node, r.source.replace('_', " "))}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let minutes = if bookings.is_empty() {
        view! { <p class="muted small">"It holds no work-center minutes."</p> }.into_any()
    } else {
        view! {
            <ul class="lines held-minutes">
                {bookings.into_iter().map(|b| view! {
                    <li>{format!("{} min on {}, {}", b.minutes, b.work_center, long_day(b.day))}</li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <h5>"Holds"</h5>
        {units}
        {minutes}
    }
    .into_any()
}

/// A form per move the order's status allows.
#[component]
fn Moves(
    id: i64,
    next: Vec<OrderStatus>,
    today: NaiveDate,
    placed_on: NaiveDate,
    action: ServerAction<MoveOrder>,
) -> impl IntoView {
    if next.is_empty() {
        return ().into_any();
    }
    view! {
        <div class="order-moves">
            {next
                .into_iter()
                .map(|to| match to {
                    OrderStatus::Cancelled => view! { <CancelForm id action /> }.into_any(),
                    OrderStatus::Delivered => view! { <DeliverForm id today placed_on action /> }.into_any(),
                    step => view! { <StepForm id to=step action /> }.into_any(),
                })
                .collect_view()}
        </div>
    }
    .into_any()
}

/// Material used by an order in production: one of the materials its plan holds, and
/// the units issued (reports add up; beyond the plan they leave the stock).
#[component]
fn UseForm(id: i64, materials: Vec<String>, action: ServerAction<ReportConsumption>) -> impl IntoView {
    let error = refusal(action);
    let field = format!("order-{id}.quantity");
    let sku_field = format!("order-{id}.sku");
    let (quantity_id, sku_id) = (format!("use-{id}-quantity"), format!("use-{id}-sku"));
    view! {
        <details class="order-use">
            <summary>"Report material used"</summary>
            <ActionForm action attr:class="form-grid" attr:data-form="consumption">
                <input type="hidden" name="id" value=id.to_string() />
                <label for=sku_id.clone()>"Material"</label>
                <select id=sku_id name="sku" aria-invalid=invalid(error, sku_field.clone())>
                    {materials.into_iter().map(|sku| view! { <option value=sku.clone()>{sku.clone()}</option> }).collect_view()}
                </select>
                <FieldError error field=sku_field.clone() />
                <label for=quantity_id.clone()>"Units used"</label>
                <input id=quantity_id name="quantity" inputmode="numeric" required
                    aria-invalid=invalid(error, field.clone()) />
                <FieldError error field=field.clone() />
                <div class="actions"><button type="submit">"Report"</button></div>
            </ActionForm>
        </details>
    }
    .into_any()
}

/// A move that needs nothing but a press: starting production, shipping.
#[component]
fn StepForm(id: i64, to: OrderStatus, action: ServerAction<MoveOrder>) -> impl IntoView {
    let label = match to {
        OrderStatus::InProduction => "Start production",
        OrderStatus::Shipped => "Mark shipped",
        other => other.label(),
    };
    view! {
        <ActionForm action attr:class="inline" attr:data-move=to.as_str()>
            <input type="hidden" name="id" value=id.to_string() />
            <input type="hidden" name="status" value=to.as_str() />
            <button type="submit">{label}</button>
        </ActionForm>
    }
    .into_any()
}

/// A delivery, on the day it arrived: today unless changed, never before the order.
#[component]
fn DeliverForm(
    id: i64,
    today: NaiveDate,
    placed_on: NaiveDate,
    action: ServerAction<MoveOrder>,
) -> impl IntoView {
    let error = refusal(action);
    let field = format!("order-{id}.delivered_on");
    let marked = invalid(error, field.clone());
    view! {
        <ActionForm action attr:class="inline" attr:data-move="delivered">
            <input type="hidden" name="id" value=id.to_string() />
            <input type="hidden" name="status" value="delivered" />
            <label>"Arrived"
                <input
                    type="date"
                    name="delivered_on"
                    value=today.to_string()
                    min=placed_on.to_string()
                    max=today.to_string()
                    aria-invalid=marked
                />
            </label>
            <button type="submit">"Mark delivered"</button>
        </ActionForm>
        <FieldError error field />
    }
    .into_any()
}

/// A cancellation, folded: it needs a reason and who called the order off.
#[component]
fn CancelForm(id: i64, action: ServerAction<MoveOrder>) -> impl IntoView {
    let error = refusal(action);
    let reason = format!("order-{id}.reason");
    let by = format!("order-{id}.cancelled_by");
    // Open when a refusal concerns one of its fields, so it is seen after a plain post.
    let open = {
        let (reason, by) = (reason.clone(), by.clone());
        move || {
            error
                .get()
                .is_some_and(|e| e.is_about(&reason) || e.is_about(&by))
        }
    };
    view! {
        <details class="cancel-order" open=open>
            <summary>"Cancel…"</summary>
            <ActionForm action attr:class="form-grid" attr:data-move="cancelled">
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="status" value="cancelled" />
                <label>"Why (kept in the audit log)"
                    <input name="reason" required aria-invalid=invalid(error, reason.clone()) />
                </label>
                <FieldError error field=reason />
                <label>"Called off by"
                    <select name="cancelled_by" aria-invalid=invalid(error, by.clone())>
                        <option value="customer" selected>"The customer"</option>
                        <option value="shop">"The shop"</option>
                    </select>
                </label>
                <FieldError error field=by />
                <div class="actions"><button type="submit" class="secondary">"Cancel order"</button></div>
            </ActionForm>
        </details>
    }
    .into_any()
}
