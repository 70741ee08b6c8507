//! How a product is built, in its editor: the bill of materials and the routing of the
//! product and of each option value, new option groups and values, and the form that
//! creates a product.

use leptos::prelude::*;

use super::forms::{FieldError, invalid, refusal};
use crate::model::admin::{BomLineView, LIFECYCLES, OperationView, Part, ProductChoices};
use crate::server_fns::admin::{
    AddGroup, AddOperation, AddValue, CreateProduct, RemoveOperation, SetBomLine, part_scope,
};

/// The editor's structure forms, shared through context by every part of the page.
#[derive(Clone, Copy)]
pub struct StructureActions {
    /// Bill-of-materials lines.
    pub set_bom: ServerAction<SetBomLine>,
    /// New operations.
    pub add_operation: ServerAction<AddOperation>,
    /// Removed operations.
    pub remove_operation: ServerAction<RemoveOperation>,
    /// New option groups.
    pub add_group: ServerAction<AddGroup>,
    /// New option values.
    pub add_value: ServerAction<AddValue>,
}

impl StructureActions {
    /// One action per structure form.
    pub fn new() -> Self {
        StructureActions {
            set_bom: ServerAction::new(),
            add_operation: ServerAction::new(),
            remove_operation: ServerAction::new(),
            add_group: ServerAction::new(),
            add_value: ServerAction::new(),
        }
    }
}

/// The hidden fields every structure form carries: which product, at which version.
fn product_fields(slug: &str, version: &str) -> impl IntoView + use<> {
    view! {
        <input type="hidden" name="slug" value=slug.to_string() />
        <input type="hidden" name="version" value=version.to_string() />
    }
}

/// The materials every bill-of-materials form suggests (one list per page).
#[component]
pub fn MaterialList(choices: ProductChoices) -> impl IntoView {
    view! {
        <datalist id="material-skus">
            {choices.materials.into_iter().map(|(sku, name, unit)| view! {
                <option value=sku>{format!("{name} ({unit})")}</option>
            }).collect_view()}
        </datalist>
    }
}

/// A bill of materials with a form to set (or, with 0, remove) a line.
#[component]
pub fn BomEditor(slug: String, version: String, part: Part, lines: Vec<BomLineView>) -> impl IntoView {
    let actions = expect_context::<StructureActions>();
    let error = refusal(actions.set_bom);
    let scope = part_scope("bom", &part);
    let (sku_field, quantity_field) = (format!("{scope}.sku"), format!("{scope}.quantity"));
    let form = {
        let (sku_field, quantity_field, scope) = (sku_field.clone(), quantity_field.clone(), scope.clone());
        let part = part.form_name();
        move || {
            view! {
                {product_fields(&slug, &version)}
                <input type="hidden" name="part" value=part />
                <label>"Material"
                    <input name="sku" list="material-skus" size="16" placeholder="SKU" aria-invalid=invalid(error, sku_field) />
                </label>
                <label>"Quantity"
                    <input name="quantity" inputmode="numeric" size="6" aria-invalid=invalid(error, quantity_field) />
                </label>
                <button type="submit" class="secondary" data-form=format!("{scope}.set")>"Set line"</button>
            }
        }
    };
    view! {
        <div class="bom" data-bom=scope.clone()>
            {if lines.is_empty() {
                view! { <p class="muted small">"No materials yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="lines">
                        {lines.into_iter().map(|l| view! {
                            <li data-sku=l.sku.clone()>
                                <code>{l.sku.clone()}</code>" "{l.material}" × "{format!("{} {}", l.quantity, l.unit)}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <ActionForm action=actions.set_bom attr:class="inline">{form()}</ActionForm>
            <FieldError error field=sku_field />
            <FieldError error field=quantity_field />
            <p class="muted small">"Quantity 0 removes a line."</p>
        </div>
    }
    .into_any()
}

/// A routing with forms to add and remove operations.
#[component]
pub fn RoutingEditor(
    slug: String,
    version: String,
    part: Part,
    operations: Vec<OperationView>,
    work_centers: Vec<(String, String)>,
) -> impl IntoView {
    let actions = expect_context::<StructureActions>();
    let error = refusal(actions.add_operation);
    let removal = refusal(actions.remove_operation);
    let scope = part_scope("operations", &part);
    let field = |name: &str| format!("{scope}.{name}");
    let add = {
        let (slug, version, part, scope) = (slug.clone(), version.clone(), part.form_name(), scope.clone());
        let (name_field, center_field, minutes_field, setup_field) = (
            field("name"),
            field("work_center"),
            field("minutes_per_unit"),
            field("setup_minutes"),
        );
        move || {
            view! {
                {product_fields(&slug, &version)}
                <input type="hidden" name="part" value=part />
                <label>"Operation" <input name="name" size="12" aria-invalid=invalid(error, name_field) /></label>
                <label>"Work center"
                    <select name="work_center" aria-invalid=invalid(error, center_field)>
                        {work_centers.into_iter().map(|(code, name)| view! { <option value=code.clone()>{format!("{name} ({code})")}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Minutes per unit" <input name="minutes_per_unit" inputmode="decimal" size="5" aria-invalid=invalid(error, minutes_field) /></label>
                <label>"Setup minutes" <input name="setup_minutes" inputmode="numeric" size="4" value="0" aria-invalid=invalid(error, setup_field) /></label>
                <button type="submit" class="secondary" data-form=format!("{scope}.add")>"Add operation"</button>
            }
        }
    };
    view! {
        <div class="routing" data-routing=scope.clone()>
            {if operations.is_empty() {
                view! { <p class="muted small">"No operations yet."</p> }.into_any()
            } else {
                view! {
                    <ol class="lines">
                        {operations.into_iter().map(|o| {
                            let remove = {
                                let (slug, version, part) = (slug.clone(), version.clone(), part.form_name());
                                let seq = o.seq.to_string();
                                let label = format!("Remove {}", o.name);
                                move || view! {
                                    {product_fields(&slug, &version)}
                                    <input type="hidden" name="part" value=part />
                                    <input type="hidden" name="seq" value=seq />
                                    <button type="submit" class="icon" aria-label=label>"×"</button>
                                }
                            };
                            view! {
                                <li>
                                    {format!("{} at {}: {} min per unit, {} min setup", o.name, o.work_center, o.minutes_per_unit, o.setup_minutes)}
                                    " "
                                    <ActionForm action=actions.remove_operation attr:class="inline">{remove()}</ActionForm>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            <ActionForm action=actions.add_operation attr:class="inline">{add()}</ActionForm>
            <FieldError error field=field("name") />
            <FieldError error field=field("work_center") />
            <FieldError error field=field("minutes_per_unit") />
            <FieldError error field=field("setup_minutes") />
            <FieldError error=removal field=field("seq") />
        </div>
    }
    .into_any()
}

/// The form that adds a value at the end of a group.
#[component]
pub fn AddValueForm(slug: String, version: String, group: String) -> impl IntoView {
    let actions = expect_context::<StructureActions>();
    let error = refusal(actions.add_value);
    let scope = format!("{group}.new-value");
    let field = |name: &str| format!("{scope}.{name}");
    let form = {
        let (code_field, label_field, delta_field) = (field("code"), field("label"), field("price_delta"));
        let group = group.clone();
        move || {
            view! {
                {product_fields(&slug, &version)}
                <input type="hidden" name="group" value=group.clone() />
                <label>"Code" <input name="code" size="12" placeholder="oak-leather" aria-invalid=invalid(error, code_field) /></label>
                <label>"Label" <input name="label" size="16" aria-invalid=invalid(error, label_field) /></label>
                <label>"Price difference" <input name="price_delta" class="money" inputmode="decimal" value="0.00" aria-invalid=invalid(error, delta_field) /></label>
                <button type="submit" class="secondary" data-form=format!("{group}.add-value")>"Add value"</button>
            }
        }
    };
    view! {
        <ActionForm action=actions.add_value attr:class="inline add-value">{form()}</ActionForm>
        <FieldError error field=field("code") />
        <FieldError error field=field("label") />
        <FieldError error field=field("price_delta") />
    }
    .into_any()
}

/// The form that adds an option group.
#[component]
pub fn AddGroupForm(slug: String, version: String) -> impl IntoView {
    let actions = expect_context::<StructureActions>();
    let error = refusal(actions.add_group);
    let form = move || {
        view! {
            {product_fields(&slug, &version)}
            <label>"Code" <input name="code" size="12" placeholder="colour" aria-invalid=invalid(error, "new-group.code") /></label>
            <label>"Name" <input name="name" size="16" aria-invalid=invalid(error, "new-group.name") /></label>
            <label><input type="checkbox" name="required" checked=true /> "Required"</label>
            <label><input type="checkbox" name="multi" /> "Several values"</label>
            <button type="submit" class="secondary" data-form="add-group">"Add option group"</button>
        }
    };
    view! {
        <div class="card">
            <h4>"New option group"</h4>
            <ActionForm action=actions.add_group attr:class="inline">{form()}</ActionForm>
            <FieldError error field="new-group.code" />
            <FieldError error field="new-group.name" />
        </div>
    }
    .into_any()
}

/// The form that creates a product (and then opens its editor).
#[component]
pub fn NewProductForm(choices: ProductChoices) -> impl IntoView {
    let create = ServerAction::<CreateProduct>::new();
    let error = refusal(create);
    view! {
        <details class="card" open=move || error.get().is_some()>
            <summary>"New product"</summary>
            {move || error.get().filter(|e| e.field.is_none()).map(|e| view! { <p class="error" role="alert">{e.message}</p> })}
            <ActionForm action=create attr:class="form-grid" attr:data-form="new-product">
                <label>"Slug (in URLs and embeds)" <input name="slug" placeholder="canvas-backpack" aria-invalid=invalid(error, "slug") /></label>
                <FieldError error field="slug" />
                <label>"Name" <input name="name" aria-invalid=invalid(error, "name") /></label>
                <FieldError error field="name" />
                <label>"Base price" <input name="price" inputmode="decimal" aria-invalid=invalid(error, "price") /></label>
                <FieldError error field="price" />
                <label>"Lifecycle phase"
                    <select name="lifecycle">
                        {LIFECYCLES.iter().map(|phase| view! { <option value=*phase selected=*phase == "growth">{phase.replace('_', " ")}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Longest lead time promised (days)" <input name="max_lead_time_days" inputmode="numeric" value="30" aria-invalid=invalid(error, "max_lead_time_days") /></label>
                <FieldError error field="max_lead_time_days" />
                <label>"Handling days" <input name="handling_days" inputmode="numeric" value="1" aria-invalid=invalid(error, "handling_days") /></label>
                <FieldError error field="handling_days" />
                <label>"Made at"
                    <select name="producing_node" aria-invalid=invalid(error, "producing_node")>
                        {choices.nodes.into_iter().map(|(code, name)| view! { <option value=code.clone()>{format!("{name} ({code})")}</option> }).collect_view()}
                    </select>
                </label>
                <FieldError error field="producing_node" />
                <label class="wide">"Description" <textarea name="description" rows="2"></textarea></label>
                <div class="actions"><button type="submit">"Create product"</button></div>
            </ActionForm>
        </details>
    }
    .into_any()
}
