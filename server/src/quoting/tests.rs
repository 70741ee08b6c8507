//! Tests of the quote service.
