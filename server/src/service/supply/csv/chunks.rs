//! Materials and stock files, applied in chunks: the whole file is checked first, in a
//! read snapshot and without the shop's writer, so a bad row still changes nothing;
//! then [`CHUNK_ROWS`] rows at a time are written, each chunk its own unit of work, so
//! an order or a stock count waits for one chunk at most, never for a whole file.
//!
//! A chunk's writes are conditional on what the check read (a stock level) or checked
//! again (a material), so a row changed by someone else in between stops the import at
//! that row: the chunk is rolled back and the outcome says which rows were applied.
//! Both kinds set values rather than add them, so uploading the same file again applies
//! the rest and changes nothing already applied. The outcome is kept in `imports` from
//! the start (`applying`), its count moved in each chunk's own transaction, so what a
//! stopped or interrupted import applied is always on record.

use std::ops::Range;

use app::model::import::{ImportKind, ImportProblem};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::read::{Problems, Row};
use super::{
    Applied, Conflict, File, Imported, Outcome, materials, record, record_alone, record_of, stock, unwritable,
};
use crate::store::StoreError;
use crate::store::entities::{ImportStatus, imports};
use crate::store::unit::Db;

/// Rows written per unit of work: small enough that the shop's writer is held for
/// tens of milliseconds, large enough that the per-transaction cost (a commit, a
/// state-version bump) stays a small share of the write.
pub const CHUNK_ROWS: usize = 500;

/// A file's checked rows.
enum Checked {
    Materials(Vec<materials::Checked>),
    Stock(Vec<stock::Count>),
}

impl Checked {
    fn len(&self) -> usize {
        match self {
            Checked::Materials(rows) => rows.len(),
            Checked::Stock(rows) => rows.len(),
        }
    }

    fn line(&self, at: usize) -> u64 {
        match self {
            Checked::Materials(rows) => rows[at].line(),
            Checked::Stock(rows) => rows[at].line(),
        }
    }

    async fn apply(
        &self,
        w: &mut crate::store::unit::ShopWrite,
        range: Range<usize>,
    ) -> Result<Applied, StoreError> {
        match self {
            Checked::Materials(rows) => materials::apply(w, &rows[range]).await,
            Checked::Stock(rows) => stock::apply(w, &rows[range]).await,
        }
    }
}

/// Imports `rows` of a materials or stock `file`, read with `problems` already found.
pub(super) async fn import(
    db: &Db,
    file: File<'_>,
    rows: &[Row],
    mut problems: Problems,
) -> Result<Imported, StoreError> {
    // Every row is checked even when reading found problems, so all are named at once.
    let txn = db.read().await?;
    let checked = match file.kind {
        ImportKind::Materials => {
            Checked::Materials(materials::check(&txn, file.shop_id, rows, &mut problems).await?)
        }
        ImportKind::Stock => Checked::Stock(stock::check(&txn, file.shop_id, rows, &mut problems).await?),
        ImportKind::Suppliers | ImportKind::Consumption => {
            return Err(unwritable(format!(
                "{} files are not applied in chunks",
                file.kind.as_str()
            )));
        }
    };
    txn.finish().await?;
    if !problems.is_empty() {
        return record_alone(db, &file, problems.into_vec())
            .await
            .map(Imported::unchanged);
    }
    let id = start(db, &file).await?;
    let mut changed = 0;
    let mut state_version = None;
    for range in ranges(checked.len()) {
        let first_line = checked.line(range.start);
        let applied = apply_chunk(db, &file, &checked, range, id, changed).await;
        match applied {
            Ok((Applied::Changed(n), version)) => {
                changed += n;
                state_version = version.or(state_version);
            }
            Ok((Applied::Conflict(conflict), _)) => {
                let problem = stopped_by(conflict, first_line, changed);
                let status = if changed == 0 {
                    ImportStatus::Refused
                } else {
                    ImportStatus::Stopped
                };
                let record = finish(db, id, status, changed, vec![problem]).await?;
                return Ok(Imported {
                    record,
                    state_version,
                    used_materials: Vec::new(),
                });
            }
            Err(e) => {
                // Kept on record as far as the database lets it: the chunks applied
                // stay applied, and the page says so.
                let problem = ImportProblem {
                    line: Some(first_line),
                    column: None,
                    message: format!(
                        "the import stopped at this line: {e}; the rows above it were applied ({changed} \
                         changes); upload the file again to apply the rest"
                    ),
                };
                let _ = finish(db, id, ImportStatus::Stopped, changed, vec![problem]).await;
                return Err(e);
            }
        }
    }
    let record = finish(db, id, ImportStatus::Applied, changed, Vec::new()).await?;
    Ok(Imported {
        record,
        state_version,
        used_materials: Vec::new(),
    })
}

/// The index ranges of the chunks of `len` rows.
fn ranges(len: usize) -> impl Iterator<Item = Range<usize>> {
    (0..len)
        .step_by(CHUNK_ROWS)
        .map(move |start| start..(start + CHUNK_ROWS).min(len))
}

/// Writes one chunk in its own unit of work, with the import's count moved in the same
/// transaction; returns what it did and the shop's new state version, if any.
async fn apply_chunk(
    db: &Db,
    file: &File<'_>,
    checked: &Checked,
    range: Range<usize>,
    id: i64,
    changed_before: usize,
) -> Result<(Applied, Option<i64>), StoreError> {
    let mut w = db.write(file.shop_id, file.actor).await?;
    match checked.apply(&mut w, range).await? {
        Applied::Changed(0) => {
            // Nothing written: the unit ends as it began.
            w.commit().await?;
            Ok((Applied::Changed(0), None))
        }
        Applied::Changed(n) => {
            progress(&w, id, changed_before + n).await?;
            let done = w.commit().await?;
            Ok((Applied::Changed(n), done.new_version().map(|v| v.get())))
        }
        Applied::Conflict(conflict) => {
            w.rollback().await?;
            Ok((Applied::Conflict(conflict), None))
        }
    }
}

/// The problem a conflict stopped the import with, saying what was applied.
fn stopped_by(conflict: Conflict, first_line: u64, changed: usize) -> ImportProblem {
    let Conflict { line, column, what } = conflict;
    let message = if changed == 0 {
        format!("{what}; nothing was applied, upload the file again")
    } else {
        format!(
            "{what}; the rows above line {first_line} were applied ({changed} changes), this row and \
             those below it were not: upload the file again, the rows already applied change nothing now"
        )
    };
    ImportProblem {
        line: Some(line),
        column: Some(column.to_string()),
        message,
    }
}

/// Records the import as being applied, before its first chunk.
async fn start(db: &Db, file: &File<'_>) -> Result<i64, StoreError> {
    let sys = db.system("imports").await?;
    let outcome = Outcome {
        file,
        status: ImportStatus::Applying,
        changed: 0,
        problems: Vec::new(),
        at: db.now(),
    };
    let record = record(&sys, outcome).await?;
    sys.commit().await?;
    Ok(record.id)
}

/// Moves the import's count of changes, in the chunk's transaction.
async fn progress(db: &impl ConnectionTrait, id: i64, changed: usize) -> Result<(), StoreError> {
    imports::Entity::update_many()
        .col_expr(imports::Column::Changed, Expr::value(count(changed)))
        .filter(imports::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Records how the import ended.
async fn finish(
    db: &Db,
    id: i64,
    status: ImportStatus,
    changed: usize,
    problems: Vec<ImportProblem>,
) -> Result<app::model::import::ImportRecord, StoreError> {
    let sys = db.system("imports").await?;
    let errors = serde_json::to_value(&problems).map_err(unwritable)?;
    imports::Entity::update_many()
        .col_expr(imports::Column::Status, Expr::value(status.as_str()))
        .col_expr(imports::Column::Changed, Expr::value(count(changed)))
        .col_expr(imports::Column::Errors, Expr::value(errors))
        .filter(imports::Column::Id.eq(id))
        .exec(&sys)
        .await?;
    let row = imports::Entity::find_by_id(id)
        .one(&sys)
        .await?
        .ok_or_else(|| unwritable(format!("import {id} vanished")))?;
    sys.commit().await?;
    Ok(record_of(row))
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}
