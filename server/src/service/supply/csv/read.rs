//! A CSV file as rows with their line numbers, after its header was checked against
//! the kind's columns; every problem is collected, none stops the reading.

use std::collections::HashMap;

use app::model::import::{ImportKind, ImportProblem};

/// The most problems an outcome keeps: enough to fix a file, few enough to show.
pub const MAX_PROBLEMS: usize = 1_000;

/// Problems found so far, each with its line and column.
#[derive(Debug, Default)]
pub struct Problems(Vec<ImportProblem>);

impl Problems {
    /// Records a problem with `column` at `line`.
    pub fn at(&mut self, line: u64, column: &str, message: impl Into<String>) {
        self.push(Some(line), Some(column), message);
    }

    /// Records a problem with the whole of `line`.
    pub fn line(&mut self, line: u64, message: impl Into<String>) {
        self.push(Some(line), None, message);
    }

    fn push(&mut self, line: Option<u64>, column: Option<&str>, message: impl Into<String>) {
        self.0.push(ImportProblem {
            line,
            column: column.map(str::to_string),
            message: message.into(),
        });
    }

    /// Whether nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems in file order, cut at [`MAX_PROBLEMS`] with a last one saying how
    /// many more there were.
    pub fn into_vec(self) -> Vec<ImportProblem> {
        let mut problems = self.0;
        problems.sort_by_key(|p| p.line);
        if problems.len() > MAX_PROBLEMS {
            let more = problems.len() - MAX_PROBLEMS;
            problems.truncate(MAX_PROBLEMS);
            problems.push(ImportProblem {
                line: None,
                column: None,
                message: format!("… and {more} more problems"),
            });
        }
        problems
    }
}

/// One data row: its cells in the order of [`ImportKind::columns`] (an optional
/// column the file leaves out reads as empty).
#[derive(Debug)]
pub struct Row {
    /// The line the row starts on (the header is line 1).
    pub line: u64,
    columns: &'static [&'static str],
    cells: Vec<String>,
}

impl Row {
    /// The cell of `column`, trimmed.
    pub fn get(&self, column: &str) -> &str {
        self.columns
            .iter()
            .position(|c| *c == column)
            .and_then(|i| self.cells.get(i))
            .map_or("", |cell| cell.trim())
    }
}

/// Reads `contents` as a file of `kind`. Blank rows (every cell empty) are skipped;
/// every other row is returned, and every problem of the header, of the text or of a
/// row's length goes to `problems`.
pub fn read(kind: ImportKind, contents: &[u8], problems: &mut Problems) -> Vec<Row> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(contents);
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(e)) => {
            problems.line(1, unreadable(&e));
            return Vec::new();
        }
        None => {
            problems.line(
                1,
                format!(
                    "the file is empty; the first line must name the columns: {}",
                    kind.columns().join(",")
                ),
            );
            return Vec::new();
        }
    };
    let Some(places) = check_header(kind, &header, line_of(&header, contents), problems) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                problems.line(e.position().map_or(0, |p| line_at(p, contents)), unreadable(&e));
                continue;
            }
        };
        let line = line_of(&record, contents);
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if record.len() != header.len() {
            problems.line(
                line,
                format!("has {} cells where the header has {}", record.len(), header.len()),
            );
            continue;
        }
        let cells = places
            .iter()
            .map(|place| place.and_then(|i| record.get(i)).unwrap_or("").to_string())
            .collect();
        rows.push(Row {
            line,
            columns: kind.columns(),
            cells,
        });
    }
    rows
}

/// Where each of the kind's columns is in the file (`None`: an optional one left out),
/// or `None` when the header is refused.
fn check_header(
    kind: ImportKind,
    header: &csv::StringRecord,
    line: u64,
    problems: &mut Problems,
) -> Option<Vec<Option<usize>>> {
    let before = problems.0.len();
    let mut found: HashMap<&str, usize> = HashMap::new();
    for (i, name) in header.iter().map(str::trim).enumerate() {
        if !kind.columns().contains(&name) {
            let shown = if name.is_empty() { "(empty)" } else { name };
            problems.at(
                line,
                shown,
                format!(
                    "is not a column of a {} file; the columns are {}",
                    kind.as_str(),
                    kind.columns().join(", ")
                ),
            );
        } else if found.insert(name, i).is_some() {
            problems.at(line, name, "appears twice in the header");
        }
    }
    for column in kind.columns() {
        if !found.contains_key(column) && !kind.optional_columns().contains(column) {
            problems.at(line, column, "is missing from the header");
        }
    }
    (problems.0.len() == before).then(|| kind.columns().iter().map(|c| found.get(c).copied()).collect())
}

/// The line `record` starts on.
fn line_of(record: &csv::StringRecord, contents: &[u8]) -> u64 {
    record
        .position()
        .map_or(0, |position| line_at(position, contents))
}

/// The line of the record the reader was at `position`. The reader's position is where
/// it began reading, before the blank lines it skips, so those are counted on top.
fn line_at(position: &csv::Position, contents: &[u8]) -> u64 {
    let mut line = position.line();
    let mut rest = usize::try_from(position.byte())
        .ok()
        .and_then(|start| contents.get(start..))
        .unwrap_or_default();
    while let Some((&first, tail)) = rest.split_first() {
        match first {
            b'\r' => rest = tail.strip_prefix(b"\n").unwrap_or(tail),
            b'\n' => rest = tail,
            _ => break,
        }
        line += 1;
    }
    line
}

fn unreadable(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => {
            "is not UTF-8 text; save the file as “CSV UTF-8” and upload it again".to_string()
        }
        _ => format!("cannot be read as CSV ({e})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_stock(text: &str) -> (Vec<Row>, Vec<ImportProblem>) {
        let mut problems = Problems::default();
        let rows = read(ImportKind::Stock, text.as_bytes(), &mut problems);
        (rows, problems.into_vec())
    }

    #[test]
    fn rows_carry_their_line_and_columns_any_order() {
        let (rows, problems) =
            read_stock("\u{feff}node,sku,on_hand\nFB, A-1 ,5\n,,\n\r\n\nWH,B-2,\"7\nx\"\r\nZZ,C-3,9\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(rows.len(), 3, "blank rows are skipped");
        assert_eq!(
            (rows[0].line, rows[0].get("sku"), rows[0].get("node")),
            (2, "A-1", "FB")
        );
        assert_eq!(rows[0].get("reason"), "", "an optional column left out");
        assert_eq!(
            (rows[1].line, rows[1].get("on_hand")),
            (6, "7\nx"),
            "after blank lines"
        );
        assert_eq!(rows[2].line, 8, "after a line break inside a quoted cell");
    }

    #[test]
    fn a_bad_header_names_line_one_and_each_column() {
        let (rows, problems) = read_stock("sku,node,onhand,sku\nA,FB,5,A\n");
        assert!(rows.is_empty());
        let named: Vec<_> = problems.iter().map(|p| (p.line, p.column.as_deref())).collect();
        assert_eq!(
            named,
            vec![
                (Some(1), Some("onhand")),
                (Some(1), Some("sku")),
                (Some(1), Some("on_hand"))
            ]
        );
    }

    #[test]
    fn short_rows_and_bad_text_are_reported_and_reading_goes_on() {
        let mut text = b"sku,node,on_hand\nA,FB\nB,FB,\xff\nC,FB,3\n".to_vec();
        text.extend_from_slice(b"D,FB,4\n");
        let mut problems = Problems::default();
        let rows = read(ImportKind::Stock, &text, &mut problems);
        let problems = problems.into_vec();
        assert_eq!(
            problems.iter().map(|p| p.line).collect::<Vec<_>>(),
            vec![Some(2), Some(3)]
        );
        assert!(problems[1].message.contains("UTF-8"));
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), vec![4, 5]);
    }

    #[test]
    fn an_empty_file_is_refused_at_line_one() {
        let (_, problems) = read_stock("");
        assert_eq!(problems[0].line, Some(1));
    }
}
