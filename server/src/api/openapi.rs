//! The OpenAPI document, generated from the handlers' annotations.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{configurator, problem, quotes, supply};

/// The whole public API description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "c2m API",
        description = "Live lead time per option for made-to-order products. Errors are \
                       application/problem+json; money is in minor units; times are RFC 3339."
    ),
    paths(configurator::get_configurator, quotes::post_quote, supply::put_stock, supply::put_capacity),
    components(schemas(problem::Problem, problem::FieldError)),
    modifiers(&KeySchemes),
    tags(
        (name = "public", description = "Publishable key (pk_…) from an allowed origin, or a secret key"),
        (name = "supply", description = "Secret key (sk_…), from servers only: changes what quotes depend on")
    )
)]
pub struct ApiDoc;

struct KeySchemes;

impl Modify for KeySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for name in ["publishable_key", "secret_key"] {
            components.add_security_scheme(
                name,
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// `GET /api/v1/openapi.json`.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
