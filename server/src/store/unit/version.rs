//! A shop's state version, and the latest one each shop is known to be at.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};

/// The version of everything a shop's quotes depend on (`shops.state_version`): it
/// moves with every write that changes a quote input, so quotes cached under an older
/// version are never served again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct StateVersion(pub i64);

impl StateVersion {
    /// The number stored in `shops.state_version`.
    pub fn get(self) -> i64 {
        self.0
    }
}

impl PartialEq<i64> for StateVersion {
    fn eq(&self, other: &i64) -> bool {
        self.0 == *other
    }
}

impl std::fmt::Display for StateVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The latest state version known for each shop in this process: raised by every
/// committed write here and by re-reading the database (other processes' writes); the
/// quote service serves nothing older.
#[derive(Debug, Default)]
pub struct StateVersions {
    known: RwLock<HashMap<i64, StateVersion>>,
}

impl StateVersions {
    /// Records that `shop` is at `version` or later; a lower version changes nothing.
    pub fn note(&self, shop: i64, version: StateVersion) {
        // A panic elsewhere cannot leave a half-written map: each write is one insert.
        let mut known = self.known.write().unwrap_or_else(PoisonError::into_inner);
        let entry = known.entry(shop).or_insert(version);
        *entry = (*entry).max(version);
    }

    /// The latest version known for `shop`.
    pub fn get(&self, shop: i64) -> Option<StateVersion> {
        self.known
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&shop)
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_version_only_moves_forward() {
        let versions = StateVersions::default();
        assert_eq!(versions.get(1), None);
        versions.note(1, StateVersion(5));
        versions.note(1, StateVersion(3));
        assert_eq!(versions.get(1), Some(StateVersion(5)));
        versions.note(1, StateVersion(6));
        assert_eq!(versions.get(1), Some(StateVersion(6)));
        assert_eq!(versions.get(2), None);
    }
}
