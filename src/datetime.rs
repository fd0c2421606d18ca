//! Calendar dates of epoch seconds (UTC, proleptic Gregorian) through the
//! `time` crate: the one place that turns a timestamp into a date, shared
//! by the CLI's tables, the daemons' logs and their build dates.

use time::OffsetDateTime;

/// Epoch seconds (and a fraction) as a UTC date-time; `None` when out of
/// the range the `time` crate represents (years -9999..=9999) or not finite.
pub fn utc(epoch: f64) -> Option<OffsetDateTime> {
    if !epoch.is_finite() {
        return None;
    }
    let secs = epoch.floor();
    let nanos = ((epoch - secs) * 1e9).round().min(999_999_999.0) as u32;
    OffsetDateTime::from_unix_timestamp(secs as i64)
        .ok()?
        .replace_nanosecond(nanos)
        .ok()
}

/// Whole epoch seconds as a UTC date-time (see [`utc`]).
pub fn utc_secs(secs: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(secs).ok()
}

/// `YYYY-MM-DD HH:MM:SS` (UTC); the epoch itself for a time out of range.
pub fn date_time(secs: i64) -> String {
    let t = utc_secs(secs).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(date_time(0), "1970-01-01 00:00:00");
        assert_eq!(date_time(951_782_400), "2000-02-29 00:00:00");
        assert_eq!(date_time(1_700_000_000), "2023-11-14 22:13:20");
        assert_eq!(date_time(-86_400), "1969-12-31 00:00:00");
        assert_eq!(date_time(i64::MAX), "1970-01-01 00:00:00");
        let t = utc(1_700_000_000.25).unwrap();
        assert_eq!(t.millisecond(), 250);
        assert!(utc(f64::NAN).is_none());
    }
}
