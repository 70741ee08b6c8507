//! Pages of a list, for every list endpoint alike: at most [`MAX_PAGE`] rows, newest
//! (highest id) first, and an opaque cursor, `base64url("<kind>:<id>")` naming the last
//! row of a page, so the next page is the rows below it. Rows added meanwhile never
//! shift a page, and a cursor of one list is refused by another.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::service::{WriteError, invalid};

/// The most rows one page holds.
pub const MAX_PAGE: u64 = 200;
/// Rows per page unless asked.
pub const DEFAULT_PAGE: u64 = 50;

/// Which rows of a list of `kind` one page asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// Rows wanted.
    pub limit: u64,
    /// Only rows with an id below this one (the previous page's last).
    pub below: Option<i64>,
}

impl Window {
    /// The window `limit` and `cursor` ask for in a list of `kind` (`order`,
    /// `delivery`, …): refused (fields `limit`, `cursor`) when the limit is out of
    /// range or the cursor was not given out by this list.
    pub fn of(kind: &str, limit: Option<u64>, cursor: Option<&str>) -> Result<Self, WriteError> {
        let limit = limit.unwrap_or(DEFAULT_PAGE);
        if !(1..=MAX_PAGE).contains(&limit) {
            return Err(invalid("limit", format!("must be between 1 and {MAX_PAGE}")));
        }
        // An empty `cursor=` is the first page, as no cursor is.
        let below = cursor
            .filter(|c| !c.is_empty())
            .map(|c| decode(kind, c))
            .transpose()?;
        Ok(Window { limit, below })
    }

    /// How many rows to read: one more than the page, to know whether another follows.
    pub fn fetch(&self) -> u64 {
        self.limit + 1
    }

    /// Cuts `rows` (read newest first, [`Window::fetch`] of them at most) to the page
    /// and returns the cursor of the next page, `None` on the last one.
    pub fn cut<T>(&self, kind: &str, rows: &mut Vec<T>, id: impl Fn(&T) -> i64) -> Option<String> {
        let more = rows.len() as u64 > self.limit;
        rows.truncate(self.limit as usize);
        more.then(|| rows.last().map(|r| encode(kind, id(r)))).flatten()
    }
}

/// The cursor after row `id` of a list of `kind`.
fn encode(kind: &str, id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:{id}"))
}

/// The row id in `cursor`, refused (field `cursor`) unless this list gave it out.
fn decode(kind: &str, cursor: &str) -> Result<i64, WriteError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix(kind)?.strip_prefix(':')?.parse().ok())
        .ok_or_else(|| invalid("cursor", "is not a cursor this endpoint gave out"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_page_names_its_last_row_and_the_last_page_nothing() {
        let window = Window::of("order", Some(2), None).unwrap();
        let mut rows = vec![9, 7, 4];
        let next = window.cut("order", &mut rows, |r| *r);
        assert_eq!(rows, [9, 7]);
        let after = Window::of("order", Some(2), next.as_deref()).unwrap();
        assert_eq!(after.below, Some(7));
        let mut last = vec![4];
        assert_eq!(after.cut("order", &mut last, |r| *r), None);
    }

    #[test]
    fn limits_out_of_range_and_foreign_cursors_are_refused() {
        for limit in [0, MAX_PAGE + 1] {
            assert!(Window::of("order", Some(limit), None).is_err(), "{limit}");
        }
        let delivery = encode("delivery", 5);
        assert!(Window::of("order", None, Some(&delivery)).is_err());
        assert!(Window::of("order", None, Some("not base64 at all!")).is_err());
        assert_eq!(Window::of("order", None, None).unwrap().limit, DEFAULT_PAGE);
    }
}
