//! Identity helpers of the master: the Mesos version it speaks and random
//! ids (a leaf module: no other master module is imported here).

/// The Mesos version our daemons speak on the wire.
pub const MESOS_COMPAT_VERSION: &str = "1.11.0";

/// A random UUID (v4) string from the OS random source.
pub fn random_uuid() -> String {
    let b = random_bytes16();
    format!(
        "{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
        b[0], b[1], b[2], b[3], b[4], b[5], (b[6] & 0x0f) | 0x40, b[7], (b[8] & 0x3f) | 0x80, b[9],
        b[10], b[11], b[12], b[13], b[14], b[15]
    )
}

/// 16 random bytes.
pub fn random_bytes16() -> [u8; 16] {
    use std::io::Read;
    let mut b = [0u8; 16];
    if std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut b))
        .is_err()
    {
        // Fall back to time and address entropy; ids only need uniqueness.
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos()
            .to_le_bytes();
        b.copy_from_slice(&t);
    }
    b
}
