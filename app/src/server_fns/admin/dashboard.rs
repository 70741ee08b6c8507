//! The dashboard's server function: the window and the KPI to list the orders of, as
//! the URL gives them (`?weeks=12&kpi=perfect_order_rate`).

use leptos::prelude::*;

use super::AdminError;
#[cfg(feature = "ssr")]
use super::signed_in;
use crate::model::dashboard::Dashboard;
#[cfg(feature = "ssr")]
use crate::model::dashboard::DashboardQuery;

/// The dashboard for the URL's `weeks` (1 to 52, empty for 12) and `kpi` (empty for
/// none); a parameter that is not one is refused naming it.
#[server(prefix = "/_fn", endpoint = "admin/dashboard")]
pub async fn admin_dashboard(weeks: String, kpi: String) -> Result<Dashboard, AdminError> {
    let query = DashboardQuery::from_query(&weeks, &kpi)?;
    let (backend, session) = signed_in().await?;
    backend.dashboard(&session, query).await
}

#[cfg(feature = "ssr")]
pub use interface::DashboardAdmin;

/// What this function needs from the server, which implements it.
#[cfg(feature = "ssr")]
mod interface {
    use crate::model::dashboard::{Dashboard, DashboardQuery};
    use crate::model::refusal::AdminError;

    /// The dashboard's figures.
    #[async_trait::async_trait]
    pub trait DashboardAdmin: Send + Sync {
        /// The KPIs over the query's window, the orders behind the one it names, the
        /// ABC-XYZ matrix and the inbox's counts.
        async fn dashboard(&self, session: &str, query: DashboardQuery) -> Result<Dashboard, AdminError>;
    }
}
