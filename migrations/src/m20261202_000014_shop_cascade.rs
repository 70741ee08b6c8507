//! Lets one `DELETE FROM shops` remove a shop with everything it owns.

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use sea_orm_migration::prelude::*;

/// Turns every `ON DELETE RESTRICT` foreign key into one checked after the cascade.
///
/// Every table hangs off `shops` by `ON DELETE CASCADE` chains, but the references
/// between a shop's own rows (an order's product, a bill-of-materials line's material,
/// a stock row's node) were `RESTRICT`, which both databases check row by row while a
/// cascade runs: deleting a shop failed as soon as the cascade reached a product before
/// its orders, so the seed deleted 25 tables one statement at a time in a hand-kept
/// order. The new keys refuse the same deletes (a material some bill still uses) but
/// are checked once the cascade is done: on SQLite `NO ACTION`, checked at the end of
/// the statement; on PostgreSQL `NO ACTION DEFERRABLE INITIALLY DEFERRED`, checked at
/// commit, because PostgreSQL runs a cascade as triggers that can fire after a
/// statement's own checks (a node's stock is removed through its material).
///
/// The constraints are found in the catalog rather than listed here, so no table is
/// forgotten. On PostgreSQL each is dropped and added again. SQLite cannot alter a
/// constraint; a foreign key's action does not change what is stored,
/// so the table's definition in `sqlite_schema` is rewritten in place, the procedure
/// SQLite documents for such changes (<https://sqlite.org/lang_altertable.html>,
/// "making other kinds of table schema changes"), with the schema version raised so
/// every connection reloads it.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rewrite(manager, Direction::Up).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rewrite(manager, Direction::Down).await
    }
}

/// Which way the keys change.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Direction {
    /// `RESTRICT` to checked after the cascade.
    Up,
    /// Back to `RESTRICT`: every key without an action was `RESTRICT` before, since the
    /// earlier migrations gave every key one.
    Down,
}

async fn rewrite(manager: &SchemaManager<'_>, direction: Direction) -> Result<(), DbErr> {
    let db = manager.get_connection();
    match manager.get_database_backend() {
        DatabaseBackend::Postgres => postgres(db, direction).await,
        DatabaseBackend::Sqlite => match direction {
            Direction::Up => sqlite(db, "ON DELETE RESTRICT", "").await,
            Direction::Down => sqlite(db, "", "ON DELETE RESTRICT").await,
        },
        other => Err(DbErr::Migration(format!("{other:?} is not supported"))),
    }
}

async fn postgres(db: &impl ConnectionTrait, direction: Direction) -> Result<(), DbErr> {
    let keys = db
        .query_all_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT c.conrelid::regclass::text AS tbl, c.conname AS name, \
             pg_get_constraintdef(c.oid) AS def \
             FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace \
             WHERE c.contype = 'f' AND n.nspname = current_schema()",
        ))
        .await?;
    for key in keys {
        let table: String = key.try_get("", "tbl")?;
        let name: String = key.try_get("", "name")?;
        let def: String = key.try_get("", "def")?;
        let Some(new) = changed(&def, direction) else {
            continue;
        };
        db.execute_unprepared(&format!(
            "ALTER TABLE {table} DROP CONSTRAINT \"{name}\", ADD CONSTRAINT \"{name}\" {new}"
        ))
        .await?;
    }
    Ok(())
}

async fn sqlite(db: &impl ConnectionTrait, from: &str, to: &str) -> Result<(), DbErr> {
    let tables = db
        .query_all_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%REFERENCES%'",
        ))
        .await?;
    let mut rewritten = Vec::new();
    for table in tables {
        let name: String = table.try_get("", "name")?;
        let sql: String = table.try_get("", "sql")?;
        let new = sqlite_keys(&sql, from, to);
        if new != sql {
            rewritten.push((name, new));
        }
    }
    if rewritten.is_empty() {
        return Ok(());
    }
    let version: i64 = db
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "PRAGMA schema_version",
        ))
        .await?
        .ok_or_else(|| DbErr::Migration("PRAGMA schema_version answered nothing".into()))?
        .try_get_by_index(0)?;
    db.execute_unprepared("PRAGMA writable_schema = ON").await?;
    for (name, sql) in &rewritten {
        db.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Sqlite,
            "UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?",
            [sql.as_str().into(), name.as_str().into()],
        ))
        .await?;
    }
    db.execute_unprepared(&format!("PRAGMA schema_version = {}", version + 1))
        .await?;
    db.execute_unprepared("PRAGMA writable_schema = OFF").await?;
    let problems = db
        .query_all_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await?;
    let first: String = problems
        .first()
        .map(|row| row.try_get_by_index(0))
        .transpose()?
        .unwrap_or_default();
    if first != "ok" {
        return Err(DbErr::Migration(format!(
            "the rewritten schema fails SQLite's integrity check: {first}"
        )));
    }
    Ok(())
}

/// A PostgreSQL constraint definition as `direction` leaves it, or `None` when it has
/// nothing to change.
fn changed(def: &str, direction: Direction) -> Option<String> {
    const RESTRICT: &str = "ON DELETE RESTRICT";
    const DEFERRED: &str = "DEFERRABLE INITIALLY DEFERRED";
    match direction {
        Direction::Up => def.contains(RESTRICT).then(|| def.replace(RESTRICT, DEFERRED)),
        Direction::Down => def.contains(DEFERRED).then(|| def.replace(DEFERRED, RESTRICT)),
    }
}

/// A SQLite table definition with each foreign key's `from` replaced by `to`.
fn sqlite_keys(sql: &str, from: &str, to: &str) -> String {
    if !from.is_empty() {
        return sql.replace(&format!(" {from}"), to);
    }
    // `down`: every `REFERENCES "t" ("c")` clause not followed by an action gets `to`.
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(at) = rest.find("REFERENCES") {
        let (head, tail) = rest.split_at(at);
        out.push_str(head);
        let close = tail.find(')').map_or(tail.len(), |i| i + 1);
        let (clause, after) = tail.split_at(close);
        out.push_str(clause);
        if !after.trim_start().starts_with("ON DELETE") {
            out.push(' ');
            out.push_str(to);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = r#"CREATE TABLE "stock" ( "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "material_id" bigint NOT NULL, "node_id" bigint NOT NULL, FOREIGN KEY ("material_id") REFERENCES "materials" ("id") ON DELETE CASCADE, FOREIGN KEY ("node_id") REFERENCES "nodes" ("id") ON DELETE RESTRICT )"#;

    #[test]
    fn a_restrict_key_loses_its_action_and_gets_it_back() {
        let up = sqlite_keys(TABLE, "ON DELETE RESTRICT", "");
        assert!(!up.contains("RESTRICT"), "{up}");
        assert!(up.contains(r#"REFERENCES "materials" ("id") ON DELETE CASCADE"#));
        assert!(up.contains(r#"REFERENCES "nodes" ("id") )"#), "{up}");
        assert_eq!(sqlite_keys(&up, "", "ON DELETE RESTRICT"), TABLE);
    }

    #[test]
    fn postgres_definitions_change_only_where_restrict() {
        let def = "FOREIGN KEY (node_id) REFERENCES nodes(id) ON DELETE RESTRICT";
        let up = changed(def, Direction::Up).expect("a restrict key changes");
        assert_eq!(
            up,
            "FOREIGN KEY (node_id) REFERENCES nodes(id) DEFERRABLE INITIALLY DEFERRED"
        );
        assert_eq!(changed(&up, Direction::Down).as_deref(), Some(def));
        let cascade = "FOREIGN KEY (a) REFERENCES b(id) ON DELETE CASCADE";
        assert_eq!(changed(cascade, Direction::Up), None);
        assert_eq!(changed(cascade, Direction::Down), None);
    }
}
