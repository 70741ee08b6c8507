//! Heat analytics for the shop's own servers (secret key): funnels over a window of
//! shop days and trends of add-to-carts plus preorders (`docs/analytics.md`).

use app::model::analytics::{FunnelReport, HeatWindow, TrendReport, WindowError, trend_days, trend_end};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use chrono::NaiveDate;

use super::caller::SecretCaller;
use super::problem::{ApiError, Problem};
use crate::service::heat::analytics;
use crate::service::orders::score::{self, Accuracy};
use crate::state::AppState;

/// The funnel's query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FunnelQuery {
    /// First shop day counted (`2026-11-01`); default: 29 days before `to`.
    #[param(schema_with = date_or_empty)]
    from: Option<String>,
    /// Last shop day counted, included; default: the shop's today.
    #[param(schema_with = date_or_empty)]
    to: Option<String>,
    /// A product's slug; default: every product.
    product: Option<String>,
}

/// The trend's query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrendQuery {
    /// A product's slug; default: every product.
    product: Option<String>,
    /// Days in each series, 14 to 366; default 90.
    #[param(value_type = Option<u32>, minimum = 14, maximum = 366)]
    days: Option<String>,
    /// The series' last shop day; default: yesterday, the shop's last whole day.
    #[param(schema_with = date_or_empty)]
    to: Option<String>,
}

impl From<WindowError> for ApiError {
    fn from(e: WindowError) -> Self {
        ApiError::Invalid {
            field: e.field.to_string(),
            detail: e.detail,
        }
    }
}

/// Funnels per product and per option value over a window of shop days: counts of
/// each kind of event, rates per view, and per value its add-to-cart rate and share
/// of its group's selections. Values without heat are listed with zeros.
#[utoipa::path(
    get,
    path = "/api/v1/analytics/funnel",
    tag = "analytics",
    params(FunnelQuery),
    security(("secret_key" = [])),
    responses(
        (status = 200, description = "The funnels", body = FunnelReport),
        (status = 401, description = "No or unknown key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a secret key, or called from a browser", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such product", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A date that is not one, `from` after `to`, or a window over 366 days; `errors[0].field` names the parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_funnel(
    caller: SecretCaller,
    State(state): State<AppState>,
    query: Result<Query<FunnelQuery>, QueryRejection>,
) -> Result<Json<FunnelReport>, ApiError> {
    let Query(query) = query.map_err(unreadable)?;
    let today = state.quoting.today(&caller.shop);
    let window = HeatWindow::resolve(day("from", &query.from)?, day("to", &query.to)?, today)?;
    let product = given(&query.product);
    analytics::funnel(&state.db, caller.shop.id, product, window)
        .await?
        .map(Json)
        .ok_or_else(|| unknown(product))
}

/// Per product and per option value, the daily add-to-carts plus preorders of the
/// `days` days ending on `to` (by default yesterday, the last whole day), with exponentially weighted averages of spans 7 (short)
/// and 28 (long), their ratio and the direction it gives.
#[utoipa::path(
    get,
    path = "/api/v1/analytics/trend",
    tag = "analytics",
    params(TrendQuery),
    security(("secret_key" = [])),
    responses(
        (status = 200, description = "The trends", body = TrendReport),
        (status = 401, description = "No or unknown key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a secret key, or called from a browser", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such product", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`days` outside 14..=366 or not a number, or `to` not a date; `errors[0].field` names the parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_trend(
    caller: SecretCaller,
    State(state): State<AppState>,
    query: Result<Query<TrendQuery>, QueryRejection>,
) -> Result<Json<TrendReport>, ApiError> {
    let Query(query) = query.map_err(unreadable)?;
    let days = match given(&query.days) {
        None => None,
        Some(text) => Some(text.parse::<u32>().map_err(|_| ApiError::Invalid {
            field: "days".into(),
            detail: format!("`{text}` is not a whole number of days"),
        })?),
    };
    let days = trend_days(days)?;
    let to = day("to", &query.to)?.unwrap_or_else(|| trend_end(state.quoting.today(&caller.shop)));
    let product = given(&query.product);
    analytics::trend(&state.db, caller.shop.id, product, HeatWindow::ending(to, days))
        .await?
        .map(Json)
        .ok_or_else(|| unknown(product))
}

/// The accuracy query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccuracyQuery {
    /// First day of deliveries counted; default: 89 days before `to`.
    #[param(schema_with = date_or_empty)]
    from: Option<String>,
    /// Last day of deliveries counted, included; default: the shop's today.
    #[param(schema_with = date_or_empty)]
    to: Option<String>,
}

/// How well the shop's promises came true over the orders delivered in a window: the
/// share delivered by the quoted P50, by the P90 and by the promised date, the mean
/// (absolute) error in days against the P50, and the perfect order rate
/// (`docs/kpis.md`).
#[utoipa::path(
    get,
    path = "/api/v1/analytics/accuracy",
    tag = "analytics",
    params(AccuracyQuery),
    security(("secret_key" = [])),
    responses(
        (status = 200, description = "The score", body = Accuracy),
        (status = 403, description = "Not a secret key, or called from a browser", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A date that is not one, or `from` after `to`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_accuracy(
    caller: SecretCaller,
    State(state): State<AppState>,
    query: Result<Query<AccuracyQuery>, QueryRejection>,
) -> Result<Json<Accuracy>, ApiError> {
    let Query(query) = query.map_err(unreadable)?;
    let today = state.quoting.today(&caller.shop);
    let from = day("from", &query.from)?;
    let to = day("to", &query.to)?;
    Ok(Json(
        score::accuracy(&state.db, caller.shop.id, from, to, today).await?,
    ))
}

/// A parameter's text, if it has any (an empty `from=`, as a form's blank field sends
/// it, is not given).
fn given(text: &Option<String>) -> Option<&str> {
    text.as_deref().filter(|t| !t.is_empty())
}

/// The schema of a date parameter that may be sent empty: a date, or nothing at all.
fn date_or_empty() -> utoipa::openapi::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
    use utoipa::openapi::{KnownFormat, SchemaFormat};
    OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date))),
        )
        .item(ObjectBuilder::new().schema_type(Type::String).max_length(Some(0)))
        .into()
}

/// Parameter `field` as a date, if given.
fn day(field: &str, text: &Option<String>) -> Result<Option<NaiveDate>, ApiError> {
    given(text)
        .map(|t| {
            t.parse().map_err(|_| ApiError::Invalid {
                field: field.into(),
                detail: format!("`{t}` is not a date like 2026-11-25"),
            })
        })
        .transpose()
}

fn unknown(product: Option<&str>) -> ApiError {
    ApiError::NotFound(format!(
        "no product `{}` in this shop",
        product.unwrap_or_default()
    ))
}

fn unreadable(e: QueryRejection) -> ApiError {
    ApiError::Invalid {
        field: "query".into(),
        detail: e.body_text(),
    }
}
