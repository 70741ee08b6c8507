//! Who is calling: API keys for platforms and widgets, sessions for merchants.

pub mod cache;
pub mod keys;
pub mod password;
