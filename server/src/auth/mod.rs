//! Who is calling: API keys for platforms and widgets, sessions for merchants: their
//! formats and hashes. It reads nothing; the cached lookups of keys are `crate::access`.

pub mod keys;
pub mod password;
