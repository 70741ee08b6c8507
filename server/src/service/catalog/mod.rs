//! The catalog: products, their option groups and values, each value's bill of
//! materials and operations, freezes, and the admin's preview of the configurator.
//!
//! Product and option writes are guarded by the product's `version`: a save made on a
//! stale editor is refused, and the editor shows what changed.

mod admin;
mod product_rules;
mod products;
mod structure;

pub use app::model::admin::{
    BomLineView, FrozenBy, GroupEditor, LIFECYCLES, Move, NewOperation, NewProduct, OperationView, Part,
    ProductChoices, ProductEditor, ProductFields, ProductSummary, ValueEditor,
};
pub(crate) use products::{freeze_suggested, unfreeze_suggested};
pub use products::{
    freeze_value, move_value, product_editor, product_summaries, save_product, unfreeze_value,
    update_product, update_value,
};
pub(crate) use structure::swap_bom_material;
pub use structure::{
    add_group, add_operation, add_value, create_product, product_choices, remove_operation, set_bom_line,
};
