//! Money in minor units (cents), never floating point.

use std::fmt;
use std::ops::Add;

use serde::{Deserialize, Serialize};

/// An amount in the minor unit of the shop's currency (cents for EUR and USD).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money(pub i64);

impl Money {
    /// The amount in minor units.
    pub fn minor(self) -> i64 {
        self.0
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl fmt::Display for Money {
    /// Two decimals with a sign, currency left to the caller: `-12.50`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::Money;

    #[test]
    fn displays_two_decimals() {
        assert_eq!(Money(12_950).to_string(), "129.50");
        assert_eq!(Money(-5).to_string(), "-0.05");
        assert_eq!(Money(0).to_string(), "0.00");
    }

    #[test]
    fn adds() {
        assert_eq!(Money(100) + Money(-30), Money(70));
    }
}
