//! In-process tests of the server loop with short timeouts.
