//! What the demo storefront and the admin's header show: the shop with its products,
//! and the merchant signed in.

use serde::{Deserialize, Serialize};

/// A product in the storefront's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductCard {
    /// URL slug.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Plain-text description.
    pub description: String,
    /// Base price in minor units.
    pub base_price_minor: i64,
}

/// The demo storefront: its shop and products.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StorefrontView {
    /// Shop name.
    pub shop_name: String,
    /// ISO 4217 currency.
    pub currency: String,
    /// Products in name order.
    pub products: Vec<ProductCard>,
}

/// The signed-in merchant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MerchantView {
    /// Display name.
    pub name: String,
    /// Login email.
    pub email: String,
    /// The shop they run.
    pub shop_name: String,
}
