//! `/admin/materials`: every material with its stock per location, what orders hold and
//! what is on its way; search and filters live in the URL (a plain GET form, so a
//! filtered list can be bookmarked and works before the wasm loads); stock counts
//! with a reason, refused when the stock moved since the page was read; and a New
//! material form, checked by the same rules as a CSV import of materials.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::forms::{Banner, FieldError, invalid, refusal, tick_on_success};
use crate::model::admin::{MaterialChoices, MaterialFilter, MaterialRow, StockAtNode};
use crate::model::import::{MATERIAL_KINDS, MATERIAL_UNITS};
use crate::server_fns::admin::{CountStock, CreateMaterial, admin_materials};

/// `/admin/materials?search=…&kind=…&class=…&below=1`.
#[component]
pub fn MaterialsPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        let pick = |name: &str| q.get(name).filter(|v| !v.is_empty());
        MaterialFilter {
            search: pick("search").unwrap_or_default(),
            kind: pick("kind"),
            class: pick("class"),
            below_reorder_point: pick("below").is_some(),
        }
    };
    let count = ServerAction::<CountStock>::new();
    let tick = RwSignal::new(0u32);
    tick_on_success(count, tick);
    let create = ServerAction::<CreateMaterial>::new();
    tick_on_success(create, tick);
    let materials = Resource::new(
        move || (filter(), tick.get()),
        |(filter, _)| admin_materials(filter),
    );
    let errors = vec![refusal(count), refusal(create)];
    view! {
        <Title text="Materials · c2m admin" />
        <h2>"Materials"</h2>
        <Banner errors />
        <NewMaterialForm create tick />
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match materials.await {
                    Ok((choices, rows)) => view! {
                        <Filters choices=choices.clone() current=filter() />
                        <MaterialTable rows nodes=choices.nodes count />
                    }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Filters(choices: MaterialChoices, current: MaterialFilter) -> impl IntoView {
    let kind = current.kind.clone().unwrap_or_default();
    let class = current.class.clone().unwrap_or_default();
    view! {
        <Form method="GET" action="" attr:class="filters" attr:role="search">
            <label>"Search"
                <input type="search" name="search" value=current.search.clone() placeholder="SKU or name" />
            </label>
            <label>"Kind"
                <select name="kind">
                    <option value="" selected=kind.is_empty()>"All kinds"</option>
                    {choices.kinds.into_iter().map(|k| {
                        let selected = k == kind;
                        view! { <option value=k.clone() selected=selected>{k.clone()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>"ABC class"
                <select name="class">
                    <option value="" selected=class.is_empty()>"All classes"</option>
                    {["A", "B", "C"].into_iter().map(|c| {
                        let selected = c == class;
                        view! { <option value=c selected=selected>{c}</option> }
                    }).collect_view()}
                    // A cell of the ABC-XYZ matrix, as the dashboard links to it.
                    {(class.len() == 2).then(|| view! {
                        <option value=class.clone() selected=true>{format!("{class} only")}</option>
                    })}
                </select>
            </label>
            <label class="check">
                <input type="checkbox" name="below" value="1" checked=current.below_reorder_point />
                "At or below reorder point"
            </label>
            <button type="submit">"Filter"</button>
        </Form>
    }
    .into_any()
}

#[component]
fn MaterialTable(
    rows: Vec<MaterialRow>,
    nodes: Vec<(String, String)>,
    count: ServerAction<CountStock>,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted" role="status">"No material matches these filters."</p> }.into_any();
    }
    let shown = rows.len();
    view! {
        <p class="muted" role="status">{format!("{shown} materials")}</p>
        <table class="grid materials">
            <thead><tr>
                <th scope="col">"Material"</th>
                <th scope="col">"Kind"</th>
                <th scope="col">"Class"</th>
                <th scope="col">"Stock per location"</th>
                <th scope="col" class="num">"Reorder point"</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|m| view! { <Material material=m nodes=nodes.clone() count /> }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn Material(
    mut material: MaterialRow,
    nodes: Vec<(String, String)>,
    count: ServerAction<CountStock>,
) -> impl IntoView {
    // Every location is listed, so stock can be counted where there was none (a new
    // material, a first delivery to another location).
    for (code, name) in nodes {
        if !material.stock.iter().any(|s| s.node == code) {
            material.stock.push(StockAtNode {
                node: code,
                node_name: name,
                on_hand: 0,
                reserved: 0,
                inbound: 0,
            });
        }
    }
    material.stock.sort_by(|a, b| a.node.cmp(&b.node));
    let class = match (&material.abc, &material.xyz) {
        (Some(a), Some(x)) => format!("{a}{x}"),
        (Some(a), None) => a.clone(),
        _ => "–".to_string(),
    };
    let attributes = material
        .attributes
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join(" · ");
    let unit = material.unit.clone();
    let sku = material.sku.clone();
    view! {
        <tr data-sku=material.sku.clone() class:below=material.below_reorder_point>
            <td>
                <strong>{material.name.clone()}</strong><br/>
                <code>{material.sku.clone()}</code>
                {material.is_generic.then(|| view! { " " <span class="tag">"generic"</span> })}
                {material.colour_family.clone().map(|c| view! { " " <span class="tag">{c}</span> })}
                <br/><span class="muted small">{attributes}</span>
            </td>
            <td>{material.kind.clone()}</td>
            <td>{class}</td>
            <td>
                <table class="stock">
                    <thead><tr><th scope="col">"Location"</th><th scope="col" class="num">"On hand"</th><th scope="col" class="num">"Reserved"</th><th scope="col" class="num">"Inbound"</th><th scope="col">"Count"</th></tr></thead>
                    <tbody>
                        {material.stock.into_iter().map(|s| view! {
                            <StockRow sku=sku.clone() unit=unit.clone() stock=s count />
                        }).collect_view()}
                    </tbody>
                </table>
            </td>
            <td class="num">
                {material.reorder_point.map(|r| r.to_string()).unwrap_or_else(|| "–".into())}
                {material.below_reorder_point.then(|| view! { <br/><span class="tag warn">"reorder"</span> })}
            </td>
        </tr>
    }
    .into_any()
}

#[component]
fn StockRow(sku: String, unit: String, stock: StockAtNode, count: ServerAction<CountStock>) -> impl IntoView {
    let error = refusal(count);
    let scope = format!("{sku}@{}", stock.node);
    let (on_hand_field, reason_field) = (format!("{scope}.on_hand"), format!("{scope}.reason"));
    let node = stock.node.clone();
    let on_hand = stock.on_hand.to_string();
    let inputs = {
        let (on_hand_field, reason_field) = (on_hand_field.clone(), reason_field.clone());
        let (node, on_hand) = (node.clone(), on_hand.clone());
        move || {
            view! {
                <input type="hidden" name="sku" value=sku.clone() />
                <input type="hidden" name="node" value=node.clone() />
                <input type="hidden" name="expected_on_hand" value=on_hand.clone() />
                <label>"On hand"
                    <input name="on_hand" inputmode="numeric" size="7" value=on_hand.clone() aria-invalid=invalid(error, on_hand_field.clone()) />
                </label>
                <label>"Reason"
                    <input name="reason" placeholder="Stock count, damage…" aria-invalid=invalid(error, reason_field.clone()) />
                </label>
            }
        }
    };
    view! {
        <tr data-node=stock.node.clone()>
            <th scope="row" title=stock.node_name.clone()>{node}</th>
            <td class="num" data-on-hand=on_hand>{format!("{} {unit}", stock.on_hand)}</td>
            <td class="num">{stock.reserved}</td>
            <td class="num">{stock.inbound}</td>
            <td>
                <details open={
                    let scope = scope.clone();
                    move || error.get().is_some_and(|e| e.field.as_deref().is_some_and(|f| f.starts_with(&scope)))
                }>
                    <summary>"Count"</summary>
                    <ActionForm action=count attr:class="inline">
                        {inputs()}
                        <button type="submit" class="secondary">"Save count"</button>
                    </ActionForm>
                    <FieldError error field=on_hand_field />
                    <FieldError error field=reason_field />
                </details>
            </td>
        </tr>
    }
    .into_any()
}

/// The New material form: the rules are the server's (`check_material`, the same as a
/// CSV import's), each refusal shown next to its field. A saved material appears in
/// the list below; the form then starts empty again.
#[component]
fn NewMaterialForm(create: ServerAction<CreateMaterial>, tick: RwSignal<u32>) -> impl IntoView {
    let error = refusal(create);
    let fields = move || {
        // Drawn anew after each save (the tick moves only then), so it empties; a
        // refused form keeps what was typed.
        tick.track();
        view! {
            <label>"SKU"
                <input name="sku" required maxlength="64" placeholder="FAB-LIN-OCHRE" aria-invalid=invalid(error, "sku") />
            </label>
            <FieldError error field="sku" />
            <label>"Name"
                <input name="name" required maxlength="200" aria-invalid=invalid(error, "name") />
            </label>
            <FieldError error field="name" />
            <label>"Unit"
                <select name="unit" aria-invalid=invalid(error, "unit")>
                    {MATERIAL_UNITS.map(|u| view! { <option value=u>{u}</option> }).collect_view()}
                </select>
            </label>
            <FieldError error field="unit" />
            <label>"Unit cost"
                <input name="unit_cost" inputmode="decimal" required placeholder="0.24" aria-invalid=invalid(error, "unit_cost") />
            </label>
            <FieldError error field="unit_cost" />
            <label>"Kind"
                <select name="kind" aria-invalid=invalid(error, "kind")>
                    {MATERIAL_KINDS.map(|k| view! { <option value=k>{k}</option> }).collect_view()}
                </select>
            </label>
            <FieldError error field="kind" />
            <label>"Colour family (optional)"
                <input name="colour_family" maxlength="40" aria-invalid=invalid(error, "colour_family") />
            </label>
            <FieldError error field="colour_family" />
            <label class="check">
                <input type="checkbox" name="is_generic" value="on" />
                "Generic (shared by many configurations)"
            </label>
            <label>"Attributes (optional)"
                <input name="attributes" placeholder="material=linen; weight_gsm=280" aria-invalid=invalid(error, "attributes") />
            </label>
            <FieldError error field="attributes" />
            <div class="actions"><button type="submit">"Add material"</button></div>
        }
    };
    view! {
        <details class="card" open=move || error.get().is_some_and(|e| e.field.is_some())>
            <summary>"New material"</summary>
            <ActionForm action=create attr:class="form-grid" attr:data-form="material">
                {fields}
            </ActionForm>
        </details>
    }
    .into_any()
}
