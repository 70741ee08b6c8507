//! Presale heat as the merchant reads it: funnels and daily trends per shop and
//! product, for the admin's Heat page and `GET /api/v1/analytics/…` alike. The events
//! themselves are written by `crate::ingest` into `store::heat`.

mod admin;
pub mod analytics;
