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

/// Epoch milliseconds as ISO-8601 UTC with milliseconds and `Z`
/// (`2017-07-19T17:34:41.967Z`), the form Marathon writes its versions and
/// task times in; the epoch itself for a time out of range.
pub fn iso_millis(ms: i64) -> String {
    let t = utc_secs(ms.div_euclid(1000)).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        ms.rem_euclid(1000)
    )
}

/// The epoch milliseconds of an ISO-8601 UTC time as [`iso_millis`] writes
/// it (`YYYY-MM-DDTHH:MM:SS[.fff]Z`); `None` for anything else.
pub fn parse_iso_millis(s: &str) -> Option<i64> {
    let s = s.strip_suffix('Z')?;
    let (date, clock) = s.split_once('T')?;
    let mut d = date.splitn(3, '-');
    let year: i32 = d.next()?.parse().ok()?;
    let month: u8 = d.next()?.parse().ok()?;
    let day: u8 = d.next()?.parse().ok()?;
    let (hms, frac) = match clock.split_once('.') {
        Some((a, b)) => (a, b),
        None => (clock, ""),
    };
    let mut c = hms.splitn(3, ':');
    let h: u8 = c.next()?.parse().ok()?;
    let m: u8 = c.next()?.parse().ok()?;
    let sec: u8 = c.next()?.parse().ok()?;
    if frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let millis: i64 = format!("{frac:0<3}")[..3].parse().ok()?;
    let date =
        time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()?;
    let t = date.with_hms(h, m, sec).ok()?.assume_utc();
    Some(t.unix_timestamp() * 1000 + millis)
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

    #[test]
    fn iso_millis_round_trip() {
        assert_eq!(iso_millis(1_500_485_681_967), "2017-07-19T17:34:41.967Z");
        assert_eq!(iso_millis(0), "1970-01-01T00:00:00.000Z");
        for ms in [0, 1_500_485_681_967, 951_782_400_001] {
            assert_eq!(parse_iso_millis(&iso_millis(ms)), Some(ms));
        }
        assert_eq!(
            parse_iso_millis("2017-07-19T17:34:41Z"),
            Some(1_500_485_681_000)
        );
        assert_eq!(
            parse_iso_millis("2017-07-19T17:34:41.5Z"),
            Some(1_500_485_681_500)
        );
        assert_eq!(parse_iso_millis("2017-07-19 17:34:41Z"), None);
        assert_eq!(parse_iso_millis("2017-02-30T00:00:00.000Z"), None);
        assert_eq!(parse_iso_millis("yesterday"), None);
    }
}
