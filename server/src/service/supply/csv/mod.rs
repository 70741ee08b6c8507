//! Materials, stock, suppliers and material used as CSV files (`docs/csv.md`): exports that re-import
//! unchanged, and imports that are all or nothing.
//!
//! An import reads the whole file and checks every row before it writes anything, in
//! one unit of work with the checks, so what was checked is what is written. Every
//! problem is collected with its line and column; if there is one, nothing of the file
//! is applied. Otherwise each changed entity gets its audit row, and the commit bumps
//! the shop's state version once (a file that changes nothing writes nothing, so it
//! bumps nothing). Either way the outcome is kept in `imports`, for the page the upload
//! redirects to: in the same unit as the changes when there are some, otherwise on its
//! own (`Db::system`), after a refused file's unit was rolled back.

mod cells;
mod consumption;
mod materials;
mod read;
mod stock;
mod suppliers;

use app::model::import::{ImportKind, ImportProblem, ImportRecord};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};

use crate::store::StoreError;
use crate::store::entities::{ImportStatus, imports};
use crate::store::unit::Db;
use read::Problems;

pub use stock::DEFAULT_REASON;

/// The largest file an import reads.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;

/// An import's outcome, and the shop's new state version when it changed something.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    /// What the outcome page shows.
    pub record: ImportRecord,
    /// Set when the import changed what quotes read.
    pub state_version: Option<i64>,
    /// Materials of the reports a consumption file recorded: the rules that read
    /// reports run on them next (the caller's part, as after a report by the API).
    pub used_materials: Vec<i64>,
}

/// The shop's current `kind` data as a CSV file with a header row.
pub async fn export_csv(db: &Db, shop_id: i64, kind: ImportKind) -> Result<String, StoreError> {
    // One snapshot, so a file never mixes two states of the shop.
    let txn = db.read().await?;
    let rows = match kind {
        ImportKind::Materials => materials::export(&txn, shop_id).await?,
        ImportKind::Stock => stock::export(&txn, shop_id).await?,
        ImportKind::Suppliers => suppliers::export(&txn, shop_id).await?,
        ImportKind::Consumption => consumption::export(&txn, shop_id).await?,
    };
    txn.finish().await?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let written: Result<(), csv::Error> =
        std::iter::once(kind.columns().iter().map(|c| c.to_string()).collect())
            .chain(rows)
            .try_for_each(|row: Vec<String>| writer.write_record(&row));
    written.map_err(unwritable)?;
    let bytes = writer.into_inner().map_err(unwritable)?;
    String::from_utf8(bytes).map_err(unwritable)
}

/// Writing into memory fails only through a bug; it is reported as a failed store call.
fn unwritable(e: impl std::fmt::Display) -> StoreError {
    StoreError::Db(DbErr::Custom(format!("writing CSV: {e}")))
}

/// Imports `contents`, a `kind` file the merchant `actor` uploaded as `file_name`: all
/// of it, or (with its problems recorded) none of it.
pub async fn import_csv(
    db: &Db,
    shop_id: i64,
    kind: ImportKind,
    file_name: &str,
    contents: &[u8],
    actor: &str,
) -> Result<Imported, StoreError> {
    let mut problems = Problems::default();
    if contents.len() > MAX_FILE_BYTES {
        return refuse_file(db, shop_id, kind, file_name, actor, too_large(contents.len())).await;
    }
    let rows = read::read(kind, contents, &mut problems);
    let count = i32::try_from(rows.len()).unwrap_or(i32::MAX);
    let mut w = db.write(shop_id, actor).await?;
    // The rows are checked even when reading found problems, so every problem of the
    // file is named at once; each kind writes nothing unless `problems` stays empty.
    let mut used_materials = Vec::new();
    let changed = match kind {
        ImportKind::Materials => materials::import(&mut w, &rows, &mut problems).await?,
        ImportKind::Stock => stock::import(&mut w, &rows, &mut problems).await?,
        ImportKind::Suppliers => suppliers::import(&mut w, &rows, &mut problems).await?,
        ImportKind::Consumption => {
            let recorded = consumption::import(&mut w, &rows, &mut problems).await?;
            used_materials = recorded.materials;
            recorded.reports
        }
    };
    if !problems.is_empty() {
        // Rolls back what a kind wrote before it found a problem (a stock level changed
        // under the import); the refusal is kept on its own.
        w.rollback().await?;
        let record = record_alone(db, shop_id, kind, file_name, count, problems.into_vec(), actor).await?;
        return Ok(Imported {
            record,
            state_version: None,
            used_materials: Vec::new(),
        });
    }
    if changed == 0 {
        // Nothing was written: the unit ends as it began, and only the outcome is kept.
        w.commit().await?;
        let record = record_alone(db, shop_id, kind, file_name, count, Vec::new(), actor).await?;
        return Ok(Imported {
            record,
            state_version: None,
            used_materials: Vec::new(),
        });
    }
    let changed = i32::try_from(changed).unwrap_or(i32::MAX);
    let outcome = Outcome {
        shop_id,
        kind,
        file_name,
        rows: count,
        changed,
        problems: Vec::new(),
        actor,
        at: w.now(),
    };
    let record = record(&w, outcome).await?;
    let done = w.commit().await?;
    Ok(Imported {
        record,
        state_version: done.new_version().map(|v| v.get()),
        used_materials,
    })
}

/// Records a file refused as a whole (too large to read, say) with one problem.
pub async fn refuse_file(
    db: &Db,
    shop_id: i64,
    kind: ImportKind,
    file_name: &str,
    actor: &str,
    message: String,
) -> Result<Imported, StoreError> {
    let problem = ImportProblem {
        line: None,
        column: None,
        message,
    };
    let record = record_alone(db, shop_id, kind, file_name, 0, vec![problem], actor).await?;
    Ok(Imported {
        record,
        state_version: None,
        used_materials: Vec::new(),
    })
}

/// The sentence for a file over [`MAX_FILE_BYTES`].
pub fn too_large(bytes: usize) -> String {
    format!(
        "the file has {:.1} MB; at most {} MB can be imported at once: split it into smaller files",
        bytes as f64 / 1_048_576.0,
        MAX_FILE_BYTES / 1_048_576
    )
}

/// Keeps the outcome of an import that changed nothing in the shop (refused, or
/// nothing to change) in a transaction of its own.
async fn record_alone(
    db: &Db,
    shop_id: i64,
    kind: ImportKind,
    file_name: &str,
    rows: i32,
    problems: Vec<ImportProblem>,
    actor: &str,
) -> Result<ImportRecord, StoreError> {
    let sys = db.system("imports").await?;
    let outcome = Outcome {
        shop_id,
        kind,
        file_name,
        rows,
        changed: 0,
        problems,
        actor,
        at: db.now(),
    };
    let record = record(&sys, outcome).await?;
    sys.commit().await?;
    Ok(record)
}

/// What `imports` keeps of one import.
struct Outcome<'a> {
    shop_id: i64,
    kind: ImportKind,
    file_name: &'a str,
    /// Data rows in the file.
    rows: i32,
    /// Rows that changed something.
    changed: i32,
    problems: Vec<ImportProblem>,
    actor: &'a str,
    at: DateTime<Utc>,
}

/// Stores an import's outcome in `db`'s transaction.
async fn record(db: &impl ConnectionTrait, outcome: Outcome<'_>) -> Result<ImportRecord, StoreError> {
    let Outcome {
        shop_id,
        kind,
        file_name,
        rows,
        changed,
        problems,
        actor,
        at,
    } = outcome;
    let errors = serde_json::to_value(&problems).map_err(unwritable)?;
    let row = imports::ActiveModel {
        shop_id: Set(shop_id),
        kind: Set(kind.as_str().to_string()),
        file_name: Set(file_name.chars().take(200).collect()),
        status: Set(if problems.is_empty() {
            ImportStatus::Applied
        } else {
            ImportStatus::Refused
        }),
        rows: Set(rows),
        changed: Set(changed),
        errors: Set(errors),
        actor: Set(actor.to_string()),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(record_of(row))
}

/// The shop's newest `limit` imports.
pub async fn imports(
    db: &impl ConnectionTrait,
    shop_id: i64,
    limit: u64,
) -> Result<Vec<ImportRecord>, StoreError> {
    Ok(imports::Entity::find()
        .filter(imports::Column::ShopId.eq(shop_id))
        .order_by_desc(imports::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(record_of)
        .collect())
}

/// One of the shop's imports.
pub async fn import_record(
    db: &impl ConnectionTrait,
    shop_id: i64,
    id: i64,
) -> Result<Option<ImportRecord>, StoreError> {
    Ok(imports::Entity::find_by_id(id)
        .filter(imports::Column::ShopId.eq(shop_id))
        .one(db)
        .await?
        .map(record_of))
}

fn record_of(row: imports::Model) -> ImportRecord {
    ImportRecord {
        id: row.id,
        // Only this module writes the column, with `as_str`.
        kind: ImportKind::parse(&row.kind).unwrap_or(ImportKind::Materials),
        file_name: row.file_name,
        applied: row.status == ImportStatus::Applied,
        rows: row.rows,
        changed: row.changed,
        problems: serde_json::from_value(row.errors).unwrap_or_default(),
        actor: row.actor,
        created_at: row.created_at,
    }
}
