//! The supply page's transfers and capacity reservations: the forms that draft a
//! transfer and request capacity, and the reservations with their deadlines.

use leptos::prelude::*;

use super::forms::{FieldError, invalid, refusal};
use crate::model::admin::{ReservationRow, SupplierRow};
use crate::server_fns::admin::{ActOnReservation, CreateReservation, CreateTransfer};

/// Drafts a transfer; its arrival is the lane's lead time from today.
#[component]
pub fn NewTransferForm(nodes: Vec<(String, String)>, create: ServerAction<CreateTransfer>) -> impl IntoView {
    let error = refusal(create);
    let options = move |selected: usize| {
        nodes
            .iter()
            .enumerate()
            .map(|(i, (code, name))| view! { <option value=code.clone() selected=i == selected>{format!("{name} ({code})")}</option> })
            .collect_view()
    };
    let (from, to) = (options(0), options(1));
    view! {
        <details class="card" open=move || error.get().is_some_and(|e| e.field.is_some())>
            <summary>"New transfer"</summary>
            <ActionForm action=create attr:class="form-grid" attr:data-form="transfer">
                <label>"Material (SKU)" <input name="sku" list="offered-skus" required aria-invalid=invalid(error, "sku") /></label>
                <FieldError error field="sku" />
                <label>"From" <select name="from_node" aria-invalid=invalid(error, "from_node")>{from}</select></label>
                <FieldError error field="from_node" />
                <label>"To" <select name="to_node" aria-invalid=invalid(error, "to_node")>{to}</select></label>
                <FieldError error field="to_node" />
                <label>"Quantity" <input name="quantity" inputmode="numeric" required aria-invalid=invalid(error, "quantity") /></label>
                <FieldError error field="quantity" />
                <label>"Reference (optional)" <input name="reference" placeholder="TR-…" aria-invalid=invalid(error, "reference") /></label>
                <FieldError error field="reference" />
                <p class="wide muted small">"Confirming a transfer takes the units off the sending location; receiving puts them on hand at the destination."</p>
                <div class="actions"><button type="submit">"Create draft"</button></div>
            </ActionForm>
        </details>
    }
    .into_any()
}

/// Requests capacity from a supplier.
#[component]
pub fn NewReservationForm(
    suppliers: Vec<SupplierRow>,
    create: ServerAction<CreateReservation>,
) -> impl IntoView {
    let error = refusal(create);
    let field = move |name: &'static str, label: &'static str, kind: &'static str| {
        view! {
            <label>{label} <input name=name type=kind aria-invalid=invalid(error, name) /></label>
            <FieldError error field=name />
        }
    };
    view! {
        <details class="card" open=move || error.get().is_some_and(|e| e.field.is_some())>
            <summary>"Request capacity"</summary>
            <ActionForm action=create attr:class="form-grid" attr:data-form="reservation">
                <label>"Supplier"
                    <select name="supplier" aria-invalid=invalid(error, "supplier")>
                        {suppliers.iter().filter(|s| s.status == "active").map(|s| view! {
                            <option value=s.code.clone()>{format!("{} ({})", s.name, s.code)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <FieldError error field="supplier" />
                <label>"Material (SKU)" <input name="sku" list="offered-skus" required aria-invalid=invalid(error, "sku") /></label>
                <FieldError error field="sku" />
                {field("quantity", "Quantity", "text")}
                {field("window_start", "Window from", "date")}
                {field("window_end", "Window to", "date")}
                {field("confirm_by", "Supplier confirms by (blank: within 48 h)", "date")}
                {field("fee", "Fee", "text")}
                <div class="actions"><button type="submit">"Request"</button></div>
            </ActionForm>
        </details>
    }
    .into_any()
}

/// Capacity reservations, with confirm and release.
#[component]
pub fn Reservations(rows: Vec<ReservationRow>, act: ServerAction<ActOnReservation>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">"No capacity reservations."</p> }.into_any();
    }
    let error = refusal(act);
    let now = chrono::Utc::now();
    view! {
        <table class="grid reservations">
            <thead><tr>
                <th scope="col">"Supplier"</th><th scope="col">"Material"</th><th scope="col" class="num">"Quantity"</th>
                <th scope="col">"Window"</th><th scope="col">"Confirm by"</th><th scope="col" class="num">"Fee"</th>
                <th scope="col">"Status"</th><th scope="col">"Actions"</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| {
                    let overdue = r.status == "requested" && r.confirm_by < now;
                    let actions: &[(&str, &str)] = match r.status.as_str() {
                        "requested" => &[("confirm", "Confirmed by supplier"), ("release", "Release")],
                        "confirmed" => &[("release", "Release")],
                        _ => &[],
                    };
                    let id = r.id.to_string();
                    let scope = format!("reservation-{}", r.id);
                    view! {
                        <tr data-reservation=id.clone() data-status=r.status.clone()>
                            <td>{r.supplier}</td>
                            <td><code>{r.sku}</code></td>
                            <td class="num">{r.quantity}</td>
                            <td>{format!("{} – {}", r.window_start, r.window_end)}</td>
                            <td>
                                {r.confirm_by.format("%Y-%m-%d %H:%M UTC").to_string()}
                                {overdue.then(|| view! { " " <span class="tag warn">"overdue"</span> })}
                            </td>
                            <td class="num">{super::products::money_input(r.fee_minor)}</td>
                            <td><span class=format!("status {}", r.status)>{r.status.clone()}</span></td>
                            <td>
                                {actions.iter().map(|(op, label)| {
                                    let (id, op, label) = (id.clone(), *op, *label);
                                    let form = move || view! {
                                        <input type="hidden" name="id" value=id />
                                        <input type="hidden" name="op" value=op />
                                        <button type="submit" class="secondary" data-op=op>{label}</button>
                                    };
                                    view! { <ActionForm action=act attr:class="inline">{form()}</ActionForm> }
                                }).collect_view()}
                                <FieldError error field=scope />
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
