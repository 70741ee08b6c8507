//! What a SQL statement does to which table, read from its text.
//!
//! The unit of work needs to know, for every statement it runs, whether it writes and
//! to which table; sea-orm hands every statement to the connection as text, so the
//! text is where that is read. Only the shapes sea-query and our own raw SQL produce
//! need to be understood; anything else counts as a write to an unknown table, the
//! conservative answer (refused where writes are refused, a quote input where writes
//! are allowed).

/// What a statement does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    /// Reads only.
    Read,
    /// Writes rows of this table.
    Write(String),
    /// Writes, but to a table this reader cannot name (DDL, an unusual shape).
    WriteUnknown,
    /// Transaction control and session settings: neither reads nor writes rows.
    Control,
}

/// Classifies `sql`. Only the first words are read, except for a `WITH`, so a large
/// multi-row insert costs no more to classify than a small one.
pub fn access(sql: &str) -> Access {
    let mut words = Words::new(sql);
    let Some(first) = words.next() else {
        return Access::Control;
    };
    match first.to_ascii_uppercase().as_str() {
        "SELECT" | "VALUES" | "SHOW" | "EXPLAIN" => Access::Read,
        "WITH" => {
            let writes = words.any(|w| {
                ["INSERT", "UPDATE", "DELETE", "REPLACE"]
                    .iter()
                    .any(|k| w.eq_ignore_ascii_case(k))
            });
            if writes {
                Access::WriteUnknown
            } else {
                Access::Read
            }
        }
        "INSERT" | "REPLACE" => after_keyword(words, "INTO"),
        "DELETE" => after_keyword(words, "FROM"),
        "UPDATE" => {
            // `UPDATE OR IGNORE t` on SQLite.
            let table = match words.next() {
                Some(w) if w.eq_ignore_ascii_case("OR") => words.nth(1),
                other => other,
            };
            table.map_or(Access::WriteUnknown, |t| Access::Write(table_name(t)))
        }
        "BEGIN" | "COMMIT" | "ROLLBACK" | "SAVEPOINT" | "RELEASE" | "SET" | "START" | "END" => {
            Access::Control
        }
        _ => Access::WriteUnknown,
    }
}

/// The tables a read names after `FROM` and `JOIN`, for tests that find out what a
/// reader depends on.
pub fn read_tables(sql: &str) -> Vec<String> {
    let words: Vec<&str> = Words::new(sql).collect();
    words
        .windows(2)
        .filter(|pair| pair[0].eq_ignore_ascii_case("FROM") || pair[0].eq_ignore_ascii_case("JOIN"))
        .filter(|pair| pair[1] != "(")
        .map(|pair| table_name(pair[1]))
        .collect()
}

/// The table named after `keyword` within the statement's next few words
/// (`INSERT OR IGNORE INTO t`).
fn after_keyword<'a>(mut words: impl Iterator<Item = &'a str>, keyword: &str) -> Access {
    words
        .by_ref()
        .take(4)
        .find(|w| w.eq_ignore_ascii_case(keyword))
        .and_then(|_| words.next())
        .map_or(Access::WriteUnknown, |t| Access::Write(table_name(t)))
}

/// `"schema"."table"`, `"table"`, `table` → `table`.
fn table_name(word: &str) -> String {
    let last = word.rsplit('.').next().unwrap_or(word);
    last.trim_matches(|c| c == '"' || c == '`' || c == '[' || c == ']')
        .to_ascii_lowercase()
}

/// The statement's words: identifiers (with their quotes and dots) and `(` as its own
/// word; string literals are skipped so their content is never taken for a keyword.
struct Words<'a> {
    sql: &'a str,
    at: usize,
}

impl<'a> Words<'a> {
    fn new(sql: &'a str) -> Self {
        Words { sql, at: 0 }
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.sql.as_bytes();
        let word_byte = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'`' | b'$');
        while self.at < bytes.len() {
            let c = bytes[self.at];
            if c == b'\'' {
                self.at += 1;
                while self.at < bytes.len() && bytes[self.at] != b'\'' {
                    self.at += 1;
                }
                self.at += 1;
            } else if c == b'(' {
                self.at += 1;
                return Some(&self.sql[self.at - 1..self.at]);
            } else if c.is_ascii_alphanumeric() || c == b'_' || c == b'"' || c == b'`' {
                let start = self.at;
                while self.at < bytes.len() {
                    let b = bytes[self.at];
                    if b == b'"' {
                        // A quoted identifier may hold anything but a quote.
                        self.at += 1;
                        while self.at < bytes.len() && bytes[self.at] != b'"' {
                            self.at += 1;
                        }
                        self.at += 1;
                    } else if word_byte(b) {
                        self.at += 1;
                    } else {
                        break;
                    }
                }
                self.at = self.at.min(bytes.len());
                return Some(&self.sql[start..self.at]);
            } else {
                self.at += 1;
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(sql: &str, expected: Access) {
        assert_eq!(access(sql), expected, "{sql}");
    }

    #[test]
    fn sea_query_writes_name_their_table() {
        check(
            r#"INSERT INTO "stock" ("material_id", "on_hand") VALUES ($1, $2) RETURNING "id""#,
            Access::Write("stock".into()),
        );
        check(
            r#"UPDATE "shops" SET "state_version" = "state_version" + $1 WHERE "shops"."id" = $2"#,
            Access::Write("shops".into()),
        );
        check(
            r#"DELETE FROM "work_center_holidays" WHERE "id" = ?"#,
            Access::Write("work_center_holidays".into()),
        );
        check(
            r#"INSERT INTO "public"."heat_events" ("id") VALUES (1) ON CONFLICT DO NOTHING"#,
            Access::Write("heat_events".into()),
        );
        check(
            "UPDATE OR IGNORE stock SET on_hand = 1",
            Access::Write("stock".into()),
        );
        check(
            "replace into policies values (1)",
            Access::Write("policies".into()),
        );
    }

    #[test]
    fn reads_and_control_are_not_writes() {
        check(
            r#"SELECT "id" FROM "stock" WHERE "note" = 'DELETE FROM x'"#,
            Access::Read,
        );
        check("  select 1", Access::Read);
        check("WITH t AS (SELECT 1) SELECT * FROM t", Access::Read);
        check("BEGIN", Access::Control);
        check("SAVEPOINT sp1", Access::Control);
        check("SET search_path TO x", Access::Control);
    }

    #[test]
    fn what_cannot_be_named_is_a_write_to_an_unknown_table() {
        check(
            "WITH t AS (DELETE FROM stock RETURNING *) SELECT * FROM t",
            Access::WriteUnknown,
        );
        check("DROP TABLE stock", Access::WriteUnknown);
        check("INSERT", Access::WriteUnknown);
    }

    #[test]
    fn reads_name_the_tables_after_from_and_join() {
        let sql = r#"SELECT "a"."id" FROM "stock" INNER JOIN "materials" ON x WHERE "id" IN (SELECT "id" FROM "nodes")"#;
        assert_eq!(read_tables(sql), ["stock", "materials", "nodes"]);
    }
}
