//! The OpenAPI document, generated from the handlers' annotations.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{analytics, configurator, events, orders, problem, quotes, supply, webhooks};

/// The whole public API description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "c2m API",
        description = "Live lead time per option for made-to-order products. Errors are \
                       application/problem+json; money is in minor units; times are RFC 3339."
    ),
    paths(
        configurator::get_configurator,
        quotes::post_quote,
        events::post_events,
        supply::put_stock,
        supply::put_capacity,
        supply::put_inbound_eta,
        supply::post_awaited,
        supply::post_send,
        supply::get_purchase_order_csv,
        supply::put_allocation,
        supply::delete_allocation,
        supply::list_allocations,
        supply::list_lead_times,
        supply::get_promises,
        supply::put_promises,
        orders::post_order,
        orders::list_orders,
        orders::get_order,
        orders::move_order,
        orders::report_operation,
        orders::report_consumption,
        analytics::get_funnel,
        analytics::get_trend,
        analytics::get_accuracy,
        webhooks::post_platform_order,
        webhooks::post_supplier_confirmation,
        webhooks::post_endpoint,
        webhooks::list_endpoints,
        webhooks::delete_endpoint,
        webhooks::list_deliveries
    ),
    components(schemas(
        problem::Problem,
        problem::FieldError,
        crate::service::webhooks::outbox::EventBody,
        crate::service::webhooks::EventKind
    )),
    modifiers(&KeySchemes, &EveryAnswer),
    tags(
        (name = "public", description = "Publishable key (pk_…) from an allowed origin, or a secret key"),
        (name = "supply", description = "Secret key (sk_…), from servers only: changes what quotes depend on"),
        (name = "orders", description = "Secret key (sk_…), from servers only: orders booked against what their promise uses"),
        (name = "analytics", description = "Secret key (sk_…), from servers only: presale heat funnels and trends from the daily rollups"),
        (name = "webhooks", description = "Events out to the merchant's endpoints (secret key to manage them), and signed order notifications in from the shop platform (docs/webhooks.md)")
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

/// The answers any operation may give besides its own, written once here so no
/// operation's list can forget them: `401` and `403` wherever a key is needed, `404` for an
/// identifier in the path that names nothing (or does not parse: `api::extract`),
/// `413`, `415` and `422` wherever a body is read, `429` where a rate limit applies
/// (`crate::limits`), `503` everywhere (the database unavailable or busy, or the
/// request past its deadline: `crate::fault`), each problem+json. An
/// operation that describes one of them itself keeps its own description.
struct EveryAnswer;

impl Modify for EveryAnswer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let problem = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/problem+json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                )
                .build()
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            let limited = matches!(path.as_str(), "/api/v1/quotes" | "/api/v1/events");
            for operation in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                let answers = &mut operation.responses.responses;
                let keyed = operation.security.as_ref().is_some_and(|s| !s.is_empty());
                if keyed {
                    answers
                        .entry("401".into())
                        .or_insert_with(|| problem("No key, or an unknown or revoked one").into());
                    answers.entry("403".into()).or_insert_with(|| {
                        problem("The key may not do this: a publishable key on a server's operation, a secret key from a web page, or a page's origin the shop does not allow").into()
                    });
                }
                if limited {
                    answers.entry("429".into()).or_insert_with(|| {
                        problem("Over the caller's rate limit; `Retry-After` says when to try again").into()
                    });
                }
                let in_path = operation.parameters.as_ref().is_some_and(|ps| {
                    ps.iter()
                        .any(|p| matches!(p, utoipa::openapi::RefOr::T(p) if matches!(p.parameter_in, utoipa::openapi::path::ParameterIn::Path)))
                });
                if in_path {
                    answers.entry("404".into()).or_insert_with(|| {
                        problem("Nothing at this address: an unknown or malformed identifier").into()
                    });
                }
                if operation.request_body.is_some() {
                    answers
                        .entry("413".into())
                        .or_insert_with(|| problem("The body is too large").into());
                    answers.entry("415".into()).or_insert_with(|| {
                        problem("The body is not `application/json` (`Content-Type`)").into()
                    });
                    answers.entry("422".into()).or_insert_with(|| {
                        problem("The body is not valid JSON of the documented shape, or a field is out of bounds; `errors[].field` names it; nothing was changed").into()
                    });
                }
                answers.entry("503".into()).or_insert_with(|| {
                    problem("The database is unavailable or busy, or the request ran past its deadline; nothing was changed; `Retry-After` says when to try again").into()
                });
            }
        }
    }
}

/// `GET /api/v1/openapi.json`.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_described_with_json_and_beacon_bodies() {
        let doc = serde_json::to_value(ApiDoc::openapi()).expect("the document serialises");
        let post = &doc["paths"]["/api/v1/events"]["post"];
        for content_type in ["application/json", "text/plain"] {
            let schema = &post["requestBody"]["content"][content_type]["schema"]["$ref"];
            assert_eq!(schema, "#/components/schemas/EventBatch", "{post:#}");
        }
        for status in ["200", "403", "413", "415", "422"] {
            assert!(post["responses"][status].is_object(), "{status}");
        }
        let kinds = &doc["components"]["schemas"]["HeatKind"]["enum"];
        assert_eq!(kinds[1], "option_select", "{kinds}");
    }

    #[test]
    fn analytics_are_described_with_their_parameters_and_refusals() {
        let doc = serde_json::to_value(ApiDoc::openapi()).expect("the document serialises");
        for (path, params) in [
            ("/api/v1/analytics/funnel", ["from", "to", "product"]),
            ("/api/v1/analytics/trend", ["product", "days", "to"]),
        ] {
            let get = &doc["paths"][path]["get"];
            let names: Vec<&str> = get["parameters"]
                .as_array()
                .unwrap_or_else(|| panic!("{path}: {get:#}"))
                .iter()
                .filter_map(|p| p["name"].as_str())
                .collect();
            assert_eq!(names, params, "{path}");
            for status in ["200", "401", "403", "404", "422"] {
                assert!(get["responses"][status].is_object(), "{path} {status}");
            }
        }
        let direction = &doc["components"]["schemas"]["TrendDirection"]["enum"];
        assert_eq!(direction, &serde_json::json!(["rising", "falling", "steady"]));
        assert!(doc["components"]["schemas"]["FunnelReport"].is_object());
    }
}
