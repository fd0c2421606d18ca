//! Identity helpers of the master: the Mesos version it speaks and random
//! ids (a leaf module: no other master module is imported here).

/// The Mesos version our daemons speak on the wire.
pub const MESOS_COMPAT_VERSION: &str = "1.11.0";

/// A random UUID (v4) string from the OS random source.
pub fn random_uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// 16 random bytes (a v4 UUID's, as Mesos' `UUID::random()`).
pub fn random_bytes16() -> [u8; 16] {
    *uuid::Uuid::new_v4().as_bytes()
}
