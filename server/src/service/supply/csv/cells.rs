//! Cells read as typed values: a cell that is not what its column holds is a problem
//! at its line and column, never a guess.

use app::server_fns::admin::{parse_money, parse_whole};

use super::read::{Problems, Row};

/// An amount (`12.50`) in minor units.
pub fn money(row: &Row, column: &str, problems: &mut Problems) -> Option<i64> {
    parse_money(row.get(column))
        .map_err(|message| problems.at(row.line, column, message))
        .ok()
}

/// A whole number.
pub fn whole(row: &Row, column: &str, problems: &mut Problems) -> Option<i64> {
    parse_whole(row.get(column))
        .map_err(|message| problems.at(row.line, column, message))
        .ok()
}

/// A decimal number of days, finite and not negative.
pub fn days(row: &Row, column: &str, problems: &mut Problems) -> Option<f64> {
    let text = row.get(column);
    match text.parse::<f64>() {
        Ok(days) if days.is_finite() && days >= 0.0 => Some(days),
        Ok(_) => {
            problems.at(row.line, column, "must be a number of days, 0 or more");
            None
        }
        Err(_) => {
            problems.at(row.line, column, format!("“{text}” is not a number like 12.5"));
            None
        }
    }
}

/// A yes/no cell: `true`/`false`, `yes`/`no` or `1`/`0`, in any case.
pub fn flag(row: &Row, column: &str, problems: &mut Problems) -> Option<bool> {
    let text = row.get(column);
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Some(true),
        "false" | "no" | "0" => Some(false),
        _ => {
            problems.at(row.line, column, format!("“{text}” is not true or false"));
            None
        }
    }
}

/// Minor units as the amount [`money`] reads (`1250` → `12.50`).
pub fn format_money(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let minor = minor.unsigned_abs();
    format!("{sign}{}.{:02}", minor / 100, minor % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_written_as_it_is_read() {
        for minor in [0, 7, 1_250, 14_900, -1_200] {
            assert_eq!(parse_money(&format_money(minor)), Ok(minor));
        }
        assert_eq!(format_money(1_250), "12.50");
    }
}
