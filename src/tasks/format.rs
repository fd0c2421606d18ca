//! Display helpers shared by the inspection commands: times, sizes, CPU
//! time. All pure functions, no clock reads except where named.

/// (year, month, day, hour, minute, second, millisecond) in UTC.
fn split(epoch: f64) -> (i32, u8, u8, u8, u8, u8, u32) {
    let t = crate::datetime::utc(epoch).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let millis = (f64::from(t.nanosecond()) / 1e6).round().min(999.0) as u32;
    (
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        millis,
    )
}

/// `2024-01-02 03:04:05` (UTC); `-` for 0 / not a time.
pub fn utc(epoch: f64) -> String {
    if !epoch.is_finite() || epoch <= 0.0 {
        return "-".into();
    }
    let (y, mo, d, h, mi, s, _) = split(epoch);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
}

/// RFC 3339 with milliseconds: `2024-01-02T03:04:05.123Z`.
pub fn rfc3339(epoch: f64) -> String {
    if !epoch.is_finite() {
        return "-".into();
    }
    let (y, mo, d, h, mi, s, ms) = split(epoch);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z")
}

/// `ls -l`-like short time: `Jan 02 03:04` (UTC).
pub fn ls_time(epoch: f64) -> String {
    if !epoch.is_finite() || epoch <= 0.0 {
        return "-".into();
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, mo, d, h, mi, _, _) = split(epoch);
    let now = now_epoch();
    // Older than ~6 months (or in the future): show the year like ls does.
    if (now - epoch).abs() > 182.0 * 86_400.0 {
        format!("{} {d:02}  {y}", MONTHS[(mo - 1) as usize])
    } else {
        format!("{} {d:02} {h:02}:{mi:02}", MONTHS[(mo - 1) as usize])
    }
}

/// Seconds since the epoch, now.
pub fn now_epoch() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// Human size of a byte count: `512B`, `3.0K`, `12M`, `1.5G` (1024-based).
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["B", "K", "M", "G", "T", "P"];
    let mut v = n as f64;
    let mut i = 0;
    while v >= 1024.0 && i + 1 < UNITS.len() {
        v /= 1024.0;
        i += 1;
    }
    if i == 0 {
        format!("{n}B")
    } else if v < 10.0 {
        format!("{v:.1}{}", UNITS[i])
    } else {
        format!("{}{}", v.round() as u64, UNITS[i])
    }
}

/// A Mesos memory/disk quantity (MB) for display: `128M`, `1.5G`, `0`.
pub fn megabytes(mb: f64) -> String {
    if mb <= 0.0 || !mb.is_finite() {
        return "0".into();
    }
    bytes((mb * 1024.0 * 1024.0).round() as u64)
}

/// CPU seconds like `ps` TIME: `0:01.23` under an hour, else `1:02:03`.
pub fn cpu_time(secs: f64) -> String {
    if !secs.is_finite() || secs < 0.0 {
        return "-".into();
    }
    if secs < 3600.0 {
        let m = (secs / 60.0).floor() as u64;
        let s = secs - (m as f64) * 60.0;
        format!("{m}:{s:05.2}")
    } else {
        let t = secs.round() as u64;
        format!("{}:{:02}:{:02}", t / 3600, (t % 3600) / 60, t % 60)
    }
}

/// A quantity like Mesos writes it (`1`, `0.5`, `0.125`).
pub fn number(n: f64) -> String {
    crate::wire::resources::format_number(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(utc(0.0), "-");
        assert_eq!(utc(1_700_000_000.0), "2023-11-14 22:13:20");
        assert_eq!(rfc3339(1_700_000_000.25), "2023-11-14T22:13:20.250Z");
        assert_eq!(utc(951_782_400.0), "2000-02-29 00:00:00");
        assert!(ls_time(1_456_220_729.0).ends_with("2016"));
    }

    #[test]
    fn sizes() {
        assert_eq!(bytes(0), "0B");
        assert_eq!(bytes(1023), "1023B");
        assert_eq!(bytes(3 * 1024 * 1024), "3.0M");
        assert_eq!(bytes(12 * 1024 * 1024 + 5), "12M");
        assert_eq!(megabytes(128.0), "128M");
        assert_eq!(megabytes(1536.0), "1.5G");
        assert_eq!(megabytes(0.0), "0");
    }

    #[test]
    fn cpu() {
        assert_eq!(cpu_time(0.55), "0:00.55");
        assert_eq!(cpu_time(61.5), "1:01.50");
        assert_eq!(cpu_time(3723.0), "1:02:03");
        assert_eq!(cpu_time(f64::NAN), "-");
    }
}
