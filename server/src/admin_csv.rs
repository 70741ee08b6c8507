//! The admin's CSV files over plain HTTP (`docs/csv.md`): `GET /admin/export/{kind}.csv`
//! downloads the shop's current data, `POST /admin/import/{kind}` takes a
//! `multipart/form-data` upload from the import page's form, which works without wasm,
//! and answers `303 See Other` to the outcome page `/admin/imports/{id}`.
//!
//! Both need the merchant's session cookie and act through the same
//! [`ImportAdmin`](app::server_fns::admin::ImportAdmin) as the pages; a signed-out request is
//! answered 401 with a page that says to sign in. A file over [`MAX_FILE_BYTES`] is read to its end but not kept, and
//! recorded as refused with a sentence saying so; a body over [`BODY_LIMIT`] is cut off
//! with 413.

use axum::Router;
use axum::extract::multipart::{Field, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use app::model::import::ImportKind;
use app::server_fns::SESSION_COOKIE;
use app::server_fns::admin::SharedAdmin;
use app::server_fns::admin::{AdminError, AdminErrorKind};

use crate::service::supply::{MAX_FILE_BYTES, too_large};

/// The largest request body read: a file somewhat over [`MAX_FILE_BYTES`] is still read
/// whole, so the browser gets the outcome page rather than a broken connection.
pub const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// The routes, for any router state (they carry the admin backend as their own).
pub fn router<S: Clone + Send + Sync + 'static>(admin: SharedAdmin) -> Router<S> {
    Router::new()
        .route("/admin/export/{file}", get(export))
        .route("/admin/purchase-orders/{file}", get(purchase_order))
        .route(
            "/admin/import/{kind}",
            post(upload).layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .with_state(admin)
}

/// `GET /admin/export/{kind}.csv`.
async fn export(State(admin): State<SharedAdmin>, Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some(kind) = file.strip_suffix(".csv").and_then(ImportKind::parse) else {
        return page(
            StatusCode::NOT_FOUND,
            "No such file",
            "There is no export of that name.",
        );
    };
    let Some(session) = session_token(&headers) else {
        return signed_out();
    };
    match admin.export_csv(&session, kind).await {
        Ok(text) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file}\""),
                ),
                // The shop's data: never kept by a shared cache.
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            text,
        )
            .into_response(),
        Err(e) => refusal(e),
    }
}

/// `GET /admin/purchase-orders/{id}.csv`: one purchase order as a file for its
/// supplier's portal (`docs/webhooks.md`).
async fn purchase_order(
    State(admin): State<SharedAdmin>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(id) = file.strip_suffix(".csv").and_then(|id| id.parse::<i64>().ok()) else {
        return page(
            StatusCode::NOT_FOUND,
            "No such file",
            "There is no purchase order of that name.",
        );
    };
    let Some(session) = session_token(&headers) else {
        return signed_out();
    };
    match admin.purchase_order_csv(&session, id).await {
        Ok((name, text)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            text,
        )
            .into_response(),
        Err(e) => refusal(e),
    }
}

/// `POST /admin/import/{kind}` with the file in the form field `file`.
async fn upload(
    State(admin): State<SharedAdmin>,
    Path(kind): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let Some(kind) = ImportKind::parse(&kind) else {
        return page(
            StatusCode::NOT_FOUND,
            "No such import",
            "Materials, stock or suppliers can be imported.",
        );
    };
    let Some(session) = session_token(&headers) else {
        return signed_out();
    };
    let Ok(multipart) = multipart else {
        return page(
            StatusCode::BAD_REQUEST,
            "No file",
            "Choose a CSV file in the import form and upload it again.",
        );
    };
    let outcome = match read_file(multipart).await {
        Upload::File { name, contents } => admin.import_csv(&session, kind, &name, &contents).await,
        Upload::TooLarge { name, bytes } => {
            admin.refuse_import(&session, kind, &name, too_large(bytes)).await
        }
        Upload::Cut => {
            return page(
                StatusCode::PAYLOAD_TOO_LARGE,
                "File too large",
                &format!(
                    "The upload is larger than {} MB; at most {} MB can be imported at once: split \
                     the file into smaller ones. Nothing was imported.",
                    BODY_LIMIT / 1_048_576,
                    MAX_FILE_BYTES / 1_048_576
                ),
            );
        }
        Upload::Missing => {
            return page(
                StatusCode::BAD_REQUEST,
                "No file",
                "Choose a CSV file in the import form and upload it again.",
            );
        }
    };
    match outcome {
        Ok(record) => Redirect::to(&format!("/admin/imports/{}", record.id)).into_response(),
        Err(e) => refusal(e),
    }
}

/// What the form sent.
enum Upload {
    /// The file, whole.
    File { name: String, contents: Vec<u8> },
    /// A file over [`MAX_FILE_BYTES`], read to its end and dropped.
    TooLarge { name: String, bytes: usize },
    /// The body went over [`BODY_LIMIT`] and was cut off.
    Cut,
    /// No field `file`, or an unreadable body.
    Missing,
}

async fn read_file(mut multipart: Multipart) -> Upload {
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => return read_field(field).await,
            Ok(Some(_)) => {}
            Ok(None) => return Upload::Missing,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Upload::Cut,
            Err(_) => return Upload::Missing,
        }
    }
}

async fn read_field(mut field: Field<'_>) -> Upload {
    let name = field.file_name().unwrap_or("upload.csv").to_string();
    let mut contents = Vec::new();
    let mut bytes = 0;
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                bytes += chunk.len();
                if bytes <= MAX_FILE_BYTES {
                    contents.extend_from_slice(&chunk);
                }
            }
            Ok(None) if bytes > MAX_FILE_BYTES => return Upload::TooLarge { name, bytes },
            Ok(None) => return Upload::File { name, contents },
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Upload::Cut,
            Err(_) => return Upload::Missing,
        }
    }
}

/// The session token from the request's cookies.
fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_string())
        .filter(|v| !v.is_empty())
}

fn refusal(e: AdminError) -> Response {
    match e.kind {
        AdminErrorKind::SignedOut => signed_out(),
        _ => page(StatusCode::INTERNAL_SERVER_ERROR, "Not imported", &e.message),
    }
}

fn signed_out() -> Response {
    page(
        StatusCode::UNAUTHORIZED,
        "Signed out",
        "Your session has ended; sign in again at /admin, then retry.",
    )
}

/// A small page for answers that are not the admin's pages: it works without wasm and
/// leads back to the admin.
fn page(status: StatusCode, title: &str, message: &str) -> Response {
    let body = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} · c2m admin</title>\
         <link rel=\"stylesheet\" href=\"/assets/site.css\"></head><body><main class=\"page admin\">\
         <h1>{title}</h1><p role=\"alert\">{message}</p>\
         <p><a href=\"/admin/import\">Back to import and export</a> · <a href=\"/admin\">Sign in</a></p>\
         </main></body></html>",
        title = escape(title),
        message = escape(message),
    );
    (status, Html(body)).into_response()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
