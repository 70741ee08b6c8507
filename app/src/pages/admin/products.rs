//! `/admin/products` and `/admin/products/{slug}`: the product list, and one product's
//! editor (its fields, its options: labels, prices, order, freezes) beside a live
//! preview of the configurator shoppers see, re-read after every save.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::forms::{Banner, FieldError, invalid, refusal, tick_on_success};
use super::structure::{
    AddGroupForm, AddValueForm, BomEditor, MaterialList, NewProductForm, RoutingEditor, StructureActions,
};
use crate::configurator::{Configurator, QuoteFailure, Services};
use crate::model::ConfiguratorView;
use crate::model::admin::{GroupEditor, LIFECYCLES, Part, ProductEditor, ProductFields, ValueEditor};
use crate::server_fns::admin::{
    AdminErrorKind, EditValue, SaveProduct, admin_preview, admin_product, admin_product_choices,
    admin_products, admin_quote,
};

/// `/admin/products`.
#[component]
pub fn ProductListPage() -> impl IntoView {
    let products = Resource::new(|| (), |_| admin_products());
    let choices = Resource::new(|| (), |_| admin_product_choices());
    view! {
        <Title text="Products · c2m admin" />
        <h2>"Products"</h2>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                choices.await.ok().map(|choices| view! { <NewProductForm choices /> })
            })}
        </Suspense>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match products.await {
                    Ok(list) => view! {
                        <table class="grid">
                            <thead><tr>
                                <th scope="col">"Product"</th><th scope="col">"Phase"</th><th scope="col" class="num">"Base price"</th>
                                <th scope="col" class="num">"Groups"</th><th scope="col" class="num">"Values"</th><th scope="col" class="num">"Frozen"</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|p| view! {
                                    <tr data-product=p.slug.clone()>
                                        <td><a href=format!("/admin/products/{}", p.slug)>{p.name}</a><br/><code class="muted">{p.slug.clone()}</code></td>
                                        <td>{p.lifecycle.replace('_', " ")}</td>
                                        <td class="num">{money_input(p.base_price_minor)}</td>
                                        <td class="num">{p.groups}</td>
                                        <td class="num">{p.values}</td>
                                        <td class="num">{p.frozen}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/admin/products/{slug}`.
#[component]
pub fn ProductEditorPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let save = ServerAction::<SaveProduct>::new();
    let edit = ServerAction::<EditValue>::new();
    // Re-read the product and the preview after every successful save, not after a
    // refused one: the form keeps what the merchant typed next to the refusal.
    let structure = StructureActions::new();
    provide_context(structure);
    let tick = RwSignal::new(0u32);
    tick_on_success(save, tick);
    tick_on_success(edit, tick);
    tick_on_success(structure.set_bom, tick);
    tick_on_success(structure.add_operation, tick);
    tick_on_success(structure.remove_operation, tick);
    tick_on_success(structure.add_group, tick);
    tick_on_success(structure.add_value, tick);
    let product = Resource::new(move || (slug(), tick.get()), |(slug, _)| admin_product(slug));
    let preview = Resource::new(move || (slug(), tick.get()), |(slug, _)| admin_preview(slug));
    let errors = vec![
        refusal(save),
        refusal(edit),
        refusal(structure.set_bom),
        refusal(structure.add_operation),
        refusal(structure.remove_operation),
        refusal(structure.add_group),
        refusal(structure.add_value),
    ];
    view! {
        <p><a href="/admin/products">"← Products"</a></p>
        <Banner errors />
        <div class="editor-layout">
            <div class="editor">
                <Transition fallback=|| view! { <p>"Loading the product…"</p> }>
                    {move || Suspend::new(async move {
                        match product.await {
                            Ok(Some(p)) => view! { <ProductForms product=p save edit /> }.into_any(),
                            Ok(None) => view! { <p class="error" role="alert">"There is no such product in your shop."</p> }.into_any(),
                            Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                        }
                    })}
                </Transition>
            </div>
            <aside class="preview" aria-labelledby="preview-title">
                <h3 id="preview-title">"Live preview"</h3>
                <p class="muted">"What shoppers see now, with today's estimates. It follows every save."</p>
                <Transition fallback=|| view! { <p>"Loading the preview…"</p> }>
                    {move || Suspend::new(async move {
                        match preview.await {
                            Ok(Some(view)) => view! { <Preview view /> }.into_any(),
                            Ok(None) => ().into_any(),
                            Err(e) => view! { <p class="error">{e.message}</p> }.into_any(),
                        }
                    })}
                </Transition>
            </aside>
        </div>
    }
}

#[component]
fn Preview(view: ConfiguratorView) -> impl IntoView {
    // The preview quotes in the merchant's own shop and records no heat: a merchant
    // trying options is not demand.
    let services = Services::new(
        |request| {
            Box::pin(async move {
                admin_quote(request).await.map_err(|e| match e.kind {
                    AdminErrorKind::Failed => QuoteFailure::Offline,
                    _ => QuoteFailure::Server(e.message),
                })
            })
        },
        |_| {},
    );
    view! { <Configurator view services instance="preview" /> }
}

#[component]
fn ProductForms(
    product: ProductEditor,
    save: ServerAction<SaveProduct>,
    edit: ServerAction<EditValue>,
) -> impl IntoView {
    let ProductEditor {
        slug,
        version,
        currency,
        fields,
        producing_node,
        bom,
        operations,
        groups,
        choices,
    } = product;
    let work_centers = choices.work_centers.clone();
    let name = fields.name.clone();
    let version = version.to_string();
    let form = {
        let (slug, version, currency) = (slug.clone(), version.clone(), currency.clone());
        move || view! { <ProductFieldsForm slug version currency fields save /> }
    };
    view! {
        <Title text=format!("{name} · c2m admin") />
        <h2>{name.clone()}</h2>
        <section aria-labelledby="product-title" class="card">
            <h3 id="product-title">"Product"</h3>
            {form()}
        </section>
        <MaterialList choices />
        <section aria-labelledby="build-title" class="card">
            <h3 id="build-title">"Materials and routing"</h3>
            <p class="muted small">{format!("Every configuration takes these. Made at {producing_node}.")}</p>
            <h4>"Bill of materials"</h4>
            <BomEditor slug=slug.clone() version=version.clone() part=Part::Base lines=bom />
            <h4>"Routing"</h4>
            <RoutingEditor slug=slug.clone() version=version.clone() part=Part::Base operations work_centers=work_centers.clone() />
        </section>
        <section aria-labelledby="options-title">
            <h3 id="options-title">"Options"</h3>
            {groups.into_iter().map(|g| view! {
                <Group group=g slug=slug.clone() version=version.clone() currency=currency.clone() work_centers=work_centers.clone() edit />
            }).collect_view()}
            <AddGroupForm slug=slug.clone() version=version.clone() />
        </section>
    }
    .into_any()
}

#[component]
fn ProductFieldsForm(
    slug: String,
    version: String,
    currency: String,
    fields: ProductFields,
    save: ServerAction<SaveProduct>,
) -> impl IntoView {
    let error = refusal(save);
    let f = fields;
    let lifecycle = f.lifecycle.clone();
    view! {
        <ActionForm action=save attr:class="form-grid" attr:data-form="product">
            <input type="hidden" name="slug" value=slug.clone() />
            <input type="hidden" name="version" value=version />
            <label>"Slug (in URLs and embeds)"
                <input name="new_slug" value=slug aria-invalid=invalid(error, "slug") aria-describedby="slug-hint" />
            </label>
            <p class="muted small" id="slug-hint">"Pages that embed the product by its old slug stop finding it."</p>
            <FieldError error field="slug" />
            <label>"Name"
                <input name="name" value=f.name required aria-invalid=invalid(error, "name") />
            </label>
            <FieldError error field="name" />
            <label class="wide">"Description"
                <textarea name="description" rows="3">{f.description}</textarea>
            </label>
            <FieldError error field="description" />
            <label>{format!("Base price ({currency})")}
                <input name="price" inputmode="decimal" value=money_input(f.base_price_minor) aria-invalid=invalid(error, "price") />
            </label>
            <FieldError error field="price" />
            <label>"Lifecycle phase"
                <select name="lifecycle" aria-invalid=invalid(error, "lifecycle")>
                    {LIFECYCLES.iter().map(|phase| {
                        let selected = *phase == lifecycle;
                        view! { <option value=*phase selected=selected>{phase.replace('_', " ")}</option> }
                    }).collect_view()}
                </select>
            </label>
            <FieldError error field="lifecycle" />
            <label>"Longest lead time promised (days)"
                <input name="max_lead_time_days" inputmode="numeric" value=f.max_lead_time_days.to_string() aria-invalid=invalid(error, "max_lead_time_days") />
            </label>
            <FieldError error field="max_lead_time_days" />
            <label>"Handling days"
                <input name="handling_days" inputmode="numeric" value=f.handling_days.to_string() aria-invalid=invalid(error, "handling_days") />
            </label>
            <FieldError error field="handling_days" />
            <label>"End of sale"
                <input name="end_of_sale" type="date" value=f.end_of_sale.map(|d| d.to_string()).unwrap_or_default() aria-invalid=invalid(error, "end_of_sale") />
            </label>
            <FieldError error field="end_of_sale" />
            <label>"First batch made by (presale)"
                <input name="first_batch_until" type="date" value=f.first_batch_until.map(|d| d.to_string()).unwrap_or_default() aria-invalid=invalid(error, "first_batch_until") aria-describedby="first-batch-hint" />
            </label>
            <p class="muted" id="first-batch-hint">"In presale, preorders then come only from stock, confirmed purchase orders and reserved supplier capacity, finished by this day; the configurator shows how many are left. Empty: preorders are promised like any order."</p>
            <FieldError error field="first_batch_until" />
            <div class="actions"><button type="submit">"Save product"</button></div>
        </ActionForm>
    }
    .into_any()
}

#[component]
fn Group(
    group: GroupEditor,
    slug: String,
    version: String,
    currency: String,
    work_centers: Vec<(String, String)>,
    edit: ServerAction<EditValue>,
) -> impl IntoView {
    let count = group.values.len();
    let kind = match (group.required, group.multi) {
        (true, false) => "required, one value",
        (false, false) => "optional, one value",
        (true, true) => "required, several values",
        (false, true) => "optional, several values",
    };
    let code = group.code.clone();
    let context = RowContext {
        slug: slug.clone(),
        version: version.clone(),
        currency,
        work_centers,
    };
    view! {
        <div class="card group" data-group=group.code.clone()>
            <h4>{group.name.clone()} " " <span class="muted">{format!("({kind})")}</span></h4>
            <table class="grid values">
                <thead><tr>
                    <th scope="col">"Label and price difference"</th>
                    <th scope="col">"Order"</th>
                    <th scope="col">"Availability"</th>
                </tr></thead>
                <tbody>
                    {group.values.into_iter().enumerate().map(|(i, v)| view! {
                        <Value value=v group=code.clone() context=context.clone()
                            first={i == 0} last={i + 1 == count} edit />
                    }).collect_view()}
                </tbody>
            </table>
            <AddValueForm slug=slug.clone() version=version.clone() group=code.clone() />
        </div>
    }
    .into_any()
}

/// What every value row of a product's editor shares: the product it belongs to, the
/// version the editor was read at, and the choices its forms offer.
#[derive(Clone)]
struct RowContext {
    slug: String,
    version: String,
    currency: String,
    work_centers: Vec<(String, String)>,
}

#[component]
fn Value(
    value: ValueEditor,
    group: String,
    context: RowContext,
    first: bool,
    last: bool,
    edit: ServerAction<EditValue>,
) -> impl IntoView {
    let RowContext {
        slug,
        version,
        currency,
        work_centers,
    } = context;
    let error = refusal(edit);
    let part = Part::Value {
        group: group.clone(),
        value: value.code.clone(),
    };
    let build = {
        let (slug, version) = (slug.clone(), version.clone());
        let (bom, operations) = (value.bom.clone(), value.operations.clone());
        let summary = format!("Materials and operations ({})", bom.len() + operations.len());
        view! {
            <details class="value-build">
                <summary>{summary}</summary>
                <BomEditor slug=slug.clone() version=version.clone() part=part.clone() lines=bom />
                <RoutingEditor slug version part operations work_centers />
            </details>
        }
    };
    let scope = format!("{group}.{}", value.code);
    let field = |name: &str| format!("{scope}.{name}");
    // Every form of the row names the value and the version it was read at.
    let hidden = {
        let code = value.code.clone();
        move |op: &'static str| {
            view! {
                <input type="hidden" name="slug" value=slug.clone() />
                <input type="hidden" name="version" value=version.clone() />
                <input type="hidden" name="group" value=group.clone() />
                <input type="hidden" name="value" value=code.clone() />
                <input type="hidden" name="op" value=op />
            }
        }
    };
    let label = value.label.clone();
    let update = {
        let (hidden, scope) = (hidden.clone(), scope.clone());
        let (label_field, delta_field) = (field("label"), field("price_delta"));
        let label = label.clone();
        let delta = money_input(value.price_delta_minor);
        move || {
            view! {
                {hidden("update")}
                <label class="sr-only" for=format!("label-{scope}")>"Label"</label>
                <input id=format!("label-{scope}") name="label" value=label aria-invalid=invalid(error, label_field) />
                <label class="sr-only" for=format!("delta-{scope}")>{format!("Price difference ({currency})")}</label>
                <input id=format!("delta-{scope}") name="price_delta" class="money" inputmode="decimal" value=delta aria-invalid=invalid(error, delta_field) />
                <button type="submit" class="secondary">"Save"</button>
            }
        }
    };
    let up = {
        let (hidden, label) = (hidden.clone(), label.clone());
        move || {
            view! {
                {hidden("up")}
                <button type="submit" class="icon" disabled=first aria-label=format!("Move {label} up")>"↑"</button>
            }
        }
    };
    let down = {
        let (hidden, label) = (hidden.clone(), label.clone());
        move || {
            view! {
                {hidden("down")}
                <button type="submit" class="icon" disabled=last aria-label=format!("Move {label} down")>"↓"</button>
            }
        }
    };
    let availability = match value.frozen.clone() {
        Some(f) => {
            let hidden = hidden.clone();
            let form = move || {
                view! {
                    {hidden("unfreeze")}
                    <button type="submit" class="secondary">"Unfreeze"</button>
                }
            };
            view! {
                <p class="frozen-reason"><strong>"Frozen"</strong>{format!(" by {}: ", f.by)}{f.reason}</p>
                <ActionForm action=edit attr:class="inline">{form()}</ActionForm>
            }
            .into_any()
        }
        None => {
            let (hidden, scope, reason_field) = (hidden.clone(), scope.clone(), field("reason"));
            let form = move || {
                view! {
                    {hidden("freeze")}
                    <label class="sr-only" for=format!("reason-{scope}")>"Reason shoppers see"</label>
                    <input id=format!("reason-{scope}") name="reason" placeholder="Reason shoppers see" aria-invalid=invalid(error, reason_field) />
                    <button type="submit" class="secondary">"Freeze"</button>
                }
            };
            view! { <ActionForm action=edit attr:class="inline">{form()}</ActionForm> }.into_any()
        }
    };
    view! {
        <tr data-value=scope.clone() class:frozen=value.frozen.is_some()>
            <td>
                <ActionForm action=edit attr:class="inline">{update()}</ActionForm>
                <FieldError error field=field("label") />
                <FieldError error field=field("price_delta") />
                <code class="muted">{value.code.clone()}</code>
                {build}
            </td>
            <td class="order">
                <ActionForm action=edit attr:class="inline">{up()}</ActionForm>
                <ActionForm action=edit attr:class="inline">{down()}</ActionForm>
                <FieldError error field=field("position") />
            </td>
            <td>
                {availability}
                <FieldError error field=field("reason") />
                <FieldError error field=field("status") />
            </td>
        </tr>
    }
    .into_any()
}

/// Minor units as a form shows them: `149.00`, `-12.50`.
pub(super) fn money_input(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::money_input;
    use crate::server_fns::admin::parse_money;

    #[test]
    fn a_shown_amount_reads_back_as_itself() {
        for minor in [0, 7, 1_200, -1_250, 14_900, 123_456_789] {
            assert_eq!(parse_money(&money_input(minor)), Ok(minor));
        }
    }
}
