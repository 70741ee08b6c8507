//! Materials, stock, suppliers and material used as CSV files (`docs/csv.md`): exports that re-import
//! unchanged, and imports where a bad row changes nothing.
//!
//! An import reads the whole file and checks every row before it writes anything. Every
//! problem is collected with its line and column; if there is one, nothing of the file
//! is applied. Otherwise each changed entity gets its audit row. Materials and stock
//! files, the ones that grow with the catalogue, are written in chunks, each its own
//! unit of work (`chunks.rs`), so a large file never holds the shop's writer for long;
//! suppliers and consumption files are checked and written in one unit of work, so
//! what was checked is what is written (a consumption row adds a report, so a file
//! stopped half way could not simply be uploaded again). Either way the outcome is kept
//! in `imports`, for the page the upload redirects to.

mod cells;
mod chunks;
mod consumption;
mod materials;
mod read;
mod stock;
mod suppliers;

use app::model::import::{ImportKind, ImportProblem, ImportRecord, ImportState};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};

use crate::store::StoreError;
use crate::store::entities::{ImportStatus, imports};
use crate::store::unit::Db;
use read::{Problems, Row};

pub use chunks::CHUNK_ROWS;
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

impl Imported {
    /// The outcome of an import that changed nothing.
    fn unchanged(record: ImportRecord) -> Self {
        Imported {
            record,
            state_version: None,
            used_materials: Vec::new(),
        }
    }
}

/// What a chunk did.
pub(super) enum Applied {
    /// Every row of the chunk was written; this many changed something.
    Changed(usize),
    /// A row was changed by someone else after the check.
    Conflict(Conflict),
}

/// A row changed under the import.
pub(super) struct Conflict {
    /// Its line.
    pub line: u64,
    /// The cell the change concerns.
    pub column: &'static str,
    /// What changed, as the start of a sentence.
    pub what: String,
}

/// An uploaded file: whose, what, and by whom.
struct File<'a> {
    shop_id: i64,
    kind: ImportKind,
    file_name: &'a str,
    /// Data rows in the file.
    rows: i32,
    actor: &'a str,
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
/// of it, or, when a row has a problem, none of it (with its problems recorded).
pub async fn import_csv(
    db: &Db,
    shop_id: i64,
    kind: ImportKind,
    file_name: &str,
    contents: &[u8],
    actor: &str,
) -> Result<Imported, StoreError> {
    let mut file = File {
        shop_id,
        kind,
        file_name,
        rows: 0,
        actor,
    };
    if contents.len() > MAX_FILE_BYTES {
        return refuse_file(db, shop_id, kind, file_name, actor, too_large(contents.len())).await;
    }
    let mut problems = Problems::default();
    let rows = read::read(kind, contents, &mut problems);
    file.rows = i32::try_from(rows.len()).unwrap_or(i32::MAX);
    match kind {
        ImportKind::Materials | ImportKind::Stock => chunks::import(db, file, &rows, problems).await,
        ImportKind::Suppliers | ImportKind::Consumption => in_one_unit(db, file, &rows, problems).await,
    }
}

/// Checks and writes a suppliers or consumption file in one unit of work.
async fn in_one_unit(
    db: &Db,
    file: File<'_>,
    rows: &[Row],
    mut problems: Problems,
) -> Result<Imported, StoreError> {
    let mut w = db.write(file.shop_id, file.actor).await?;
    // The rows are checked even when reading found problems, so every problem of the
    // file is named at once; each kind writes nothing unless `problems` stays empty.
    let mut used_materials = Vec::new();
    let changed = match file.kind {
        ImportKind::Suppliers => suppliers::import(&mut w, rows, &mut problems).await?,
        ImportKind::Consumption => {
            let recorded = consumption::import(&mut w, rows, &mut problems).await?;
            used_materials = recorded.materials;
            recorded.reports
        }
        ImportKind::Materials | ImportKind::Stock => {
            return Err(unwritable(format!(
                "{} files are applied in chunks",
                file.kind.as_str()
            )));
        }
    };
    if !problems.is_empty() {
        // Rolls back what a kind wrote before it found a problem; the refusal is kept
        // on its own.
        w.rollback().await?;
        return record_alone(db, &file, problems.into_vec())
            .await
            .map(Imported::unchanged);
    }
    if changed == 0 {
        // Nothing was written: the unit ends as it began, and only the outcome is kept.
        w.commit().await?;
        return record_alone(db, &file, Vec::new()).await.map(Imported::unchanged);
    }
    let outcome = Outcome {
        file: &file,
        status: ImportStatus::Applied,
        changed: i32::try_from(changed).unwrap_or(i32::MAX),
        problems: Vec::new(),
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
    let file = File {
        shop_id,
        kind,
        file_name,
        rows: 0,
        actor,
    };
    record_alone(db, &file, vec![problem])
        .await
        .map(Imported::unchanged)
}

/// The sentence for a file over [`MAX_FILE_BYTES`].
pub fn too_large(bytes: usize) -> String {
    format!(
        "the file has {:.1} MB; at most {} MB can be imported at once: split it into smaller files",
        bytes as f64 / 1_048_576.0,
        MAX_FILE_BYTES / 1_048_576
    )
}

/// Keeps the outcome of an import that changed nothing in the shop (refused when
/// `problems` has any, else applied with nothing to change) in a transaction of its own.
async fn record_alone(
    db: &Db,
    file: &File<'_>,
    problems: Vec<ImportProblem>,
) -> Result<ImportRecord, StoreError> {
    let sys = db.system("imports").await?;
    let outcome = Outcome {
        file,
        status: if problems.is_empty() {
            ImportStatus::Applied
        } else {
            ImportStatus::Refused
        },
        changed: 0,
        problems,
        at: db.now(),
    };
    let record = record(&sys, outcome).await?;
    sys.commit().await?;
    Ok(record)
}

/// What `imports` keeps of one import.
struct Outcome<'a> {
    file: &'a File<'a>,
    status: ImportStatus,
    /// Rows that changed something.
    changed: i32,
    problems: Vec<ImportProblem>,
    at: DateTime<Utc>,
}

/// Stores an import's outcome in `db`'s transaction.
async fn record(db: &impl ConnectionTrait, outcome: Outcome<'_>) -> Result<ImportRecord, StoreError> {
    let Outcome {
        file,
        status,
        changed,
        problems,
        at,
    } = outcome;
    let errors = serde_json::to_value(&problems).map_err(unwritable)?;
    let row = imports::ActiveModel {
        shop_id: Set(file.shop_id),
        kind: Set(file.kind.as_str().to_string()),
        file_name: Set(file.file_name.chars().take(200).collect()),
        status: Set(status),
        rows: Set(file.rows),
        changed: Set(changed),
        errors: Set(errors),
        actor: Set(file.actor.to_string()),
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
        status: match row.status {
            ImportStatus::Applied => ImportState::Applied,
            ImportStatus::Refused => ImportState::Refused,
            ImportStatus::Applying => ImportState::Applying,
            ImportStatus::Stopped => ImportState::Stopped,
        },
        rows: row.rows,
        changed: row.changed,
        problems: serde_json::from_value(row.errors).unwrap_or_default(),
        actor: row.actor,
        created_at: row.created_at,
    }
}
