//! The query of a list endpoint without filters of its own: a page size and where the
//! previous page ended (see `service::cursor`).

/// `?limit=&cursor=` of a list endpoint.
#[derive(Clone, Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageParams {
    /// Rows per page, 1 to 200 (50 unless said).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
