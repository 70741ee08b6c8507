//! `/admin/import`: each kind of CSV file (materials, stock, suppliers) to download as
//! it is now and to upload changed, and the recent imports; `/admin/imports/{id}`: what
//! became of one upload (applied, or refused with every problem's line and column).
//!
//! Downloads and uploads are plain links and plain multipart forms handled by the
//! server's own routes, so they work the same before and after the wasm loads; the
//! upload answers with a redirect to the outcome page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::model::import::{ImportKind, ImportProblem, ImportRecord, ImportState};
use crate::server_fns::admin::{admin_import, admin_imports};

/// `/admin/import`.
#[component]
pub fn ImportPage() -> impl IntoView {
    let recent = Resource::new(|| (), |_| admin_imports());
    view! {
        <Title text="Import and export · c2m admin" />
        <h2>"Import and export"</h2>
        <p class="muted">
            "Download the current data, change it in a spreadsheet and upload it again as CSV (UTF-8, comma-separated, a header row first). "
            "A file is applied whole or not at all: if any row has a problem, nothing of it is saved and every problem is listed with its line and column."
        </p>
        <div class="import-kinds">
            {ImportKind::ALL.into_iter().map(|kind| view! { <KindCard kind /> }).collect_view()}
        </div>
        <section aria-labelledby="imports-title">
            <h3 id="imports-title">"Recent imports"</h3>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match recent.await {
                        Ok(records) => view! { <ImportList records /> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn KindCard(kind: ImportKind) -> impl IntoView {
    let name = kind.as_str();
    let optional = kind.optional_columns();
    let columns = kind
        .columns()
        .iter()
        .map(|c| {
            if optional.contains(c) {
                format!("{c} (optional)")
            } else {
                c.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    let file_id = format!("import-file-{name}");
    view! {
        <section class="card" data-kind=name aria-labelledby=format!("kind-{name}")>
            <h3 id=format!("kind-{name}")>{kind.title()}</h3>
            <p class="muted small">"Columns: " <code>{columns}</code></p>
            <p>
                // `download` and `rel=external` keep the router from treating it as a page.
                <a href=format!("/admin/export/{name}.csv") download=format!("{name}.csv") rel="external" data-export=name>
                    {format!("Download {name}.csv")}
                </a>
            </p>
            <form method="post" enctype="multipart/form-data" action=format!("/admin/import/{name}") class="inline" data-import=name>
                <label for=file_id.clone()>"CSV file"</label>
                <input id=file_id type="file" name="file" accept=".csv,text/csv" required />
                <button type="submit">{format!("Import {name}")}</button>
            </form>
        </section>
    }
    .into_any()
}

#[component]
fn ImportList(records: Vec<ImportRecord>) -> impl IntoView {
    if records.is_empty() {
        return view! { <p class="muted">"No file has been imported yet."</p> }.into_any();
    }
    view! {
        <table class="grid imports">
            <thead><tr>
                <th scope="col">"When"</th><th scope="col">"Kind"</th><th scope="col">"File"</th>
                <th scope="col">"Outcome"</th><th scope="col" class="num">"Rows"</th><th scope="col" class="num">"Changed"</th>
            </tr></thead>
            <tbody>
                {records.into_iter().map(|r| {
                    let status = r.status.as_str();
                    view! {
                        <tr data-import-id=r.id data-status=status>
                            <td>{when(&r)}</td>
                            <td>{r.kind.as_str()}</td>
                            <td><a href=format!("/admin/imports/{}", r.id)>{r.file_name.clone()}</a></td>
                            <td><span class=format!("status {status}")>{status}</span></td>
                            <td class="num">{r.rows}</td>
                            <td class="num">{r.changed}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// `/admin/imports/{id}`.
#[component]
pub fn ImportOutcomePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|id| id.parse::<i64>().ok());
    let record = Resource::new(id, |id| async move {
        match id {
            Some(id) => admin_import(id).await,
            None => Ok(None),
        }
    });
    view! {
        <Title text="Import · c2m admin" />
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match record.await {
                    Ok(Some(record)) => view! { <Outcome record /> }.into_any(),
                    Ok(None) => view! {
                        <h2>"Import not found"</h2>
                        <p><a href="/admin/import">"Back to import and export"</a></p>
                    }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Outcome(record: ImportRecord) -> impl IntoView {
    let kind = record.kind;
    let result_link = match kind {
        ImportKind::Suppliers => "/admin/supply",
        ImportKind::Consumption => "/admin/orders?status=in_production",
        _ => "/admin/materials",
    };
    let changes = |n: i32| format!("{n} {}", if n == 1 { "thing" } else { "things" });
    let summary = match record.status {
        ImportState::Applied => view! {
            <p class="outcome applied" role="status">
                {format!("Applied: {} rows read, {} changed.", record.rows, changes(record.changed))}
                " "
                <a href=result_link>"See the result"</a>
            </p>
        }
        .into_any(),
        ImportState::Refused => view! {
            <p class="outcome refused" role="alert">
                "Refused: nothing of the file was applied. Fix the problems below and upload the file again."
            </p>
            <ProblemTable problems=record.problems.clone() />
        }
        .into_any(),
        ImportState::Applying => view! {
            <p class="outcome applying" role="status">
                {format!(
                    "Being applied: {} rows read, {} changed so far. Reload the page to follow it. \
                     If the server was stopped meanwhile, upload the file again: the rows already \
                     applied change nothing.",
                    record.rows,
                    changes(record.changed),
                )}
            </p>
        }
        .into_any(),
        ImportState::Stopped => view! {
            <p class="outcome stopped" role="alert">
                {format!(
                    "Stopped part way: {} changed, then a row changed by someone else after the file \
                     was checked. Upload the file again to apply the rest.",
                    changes(record.changed),
                )}
                " "
                <a href=result_link>"See the result"</a>
            </p>
            <ProblemTable problems=record.problems.clone() />
        }
        .into_any(),
    };
    view! {
        <h2>{format!("Import of {}", record.file_name)}</h2>
        <p class="muted">{format!("{} · {} · by {}", kind.title(), when(&record), record.actor)}</p>
        <div data-import-outcome=record.status.as_str()>{summary}</div>
        <p><a href="/admin/import">"Back to import and export"</a></p>
    }
    .into_any()
}

#[component]
fn ProblemTable(problems: Vec<ImportProblem>) -> impl IntoView {
    view! {
        <table class="grid problems">
            <thead><tr><th scope="col" class="num">"Line"</th><th scope="col">"Column"</th><th scope="col">"Problem"</th></tr></thead>
            <tbody>
                {problems.into_iter().map(|p| {
                    let line = p.line.map(|l| l.to_string()).unwrap_or_else(|| "–".into());
                    let column = p.column.unwrap_or_else(|| "–".into());
                    let (shown_line, shown_column) = (line.clone(), column.clone());
                    view! {
                        <tr data-line=line data-column=column>
                            <td class="num">{shown_line}</td>
                            <td><code>{shown_column}</code></td>
                            <td>{p.message}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

fn when(record: &ImportRecord) -> String {
    record.created_at.format("%Y-%m-%d %H:%M UTC").to_string()
}
