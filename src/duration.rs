//! Durations as users and Mesos write them: `5s`, `500ms`, `2m`, `1.5mins`,
//! `10secs`, `1hrs`, `3days`, or a bare number of seconds.

use std::time::Duration;

/// Parse a duration. Accepts a bare number (seconds) or a number followed by
/// a unit: `ns us ms s sec secs m min mins h hr hrs d day days w week weeks`.
pub fn parse_duration(input: &str) -> Result<Duration, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err("empty duration".into());
    }
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let value: f64 = num
        .parse()
        .map_err(|_| format!("'{input}' is not a duration (try 5s, 500ms, 2mins)"))?;
    let factor = match unit.trim() {
        "" | "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
        "ns" | "nanoseconds" => 1e-9,
        "us" | "microseconds" => 1e-6,
        "ms" | "millis" | "milliseconds" => 1e-3,
        "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
        "d" | "day" | "days" => 86400.0,
        "w" | "week" | "weeks" => 7.0 * 86400.0,
        other => {
            return Err(format!(
                "'{input}' has an unknown duration unit '{other}' (use ms, s, m, h, d)"
            ))
        }
    };
    let secs = value * factor;
    if !secs.is_finite() || !(0.0..=1e12).contains(&secs) {
        return Err(format!("'{input}' is out of range"));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// Format a duration the way Mesos flags do (`5secs`, `1500ms`, `2mins`).
pub fn format_mesos_duration(d: Duration) -> String {
    let ns = d.as_nanos();
    if ns == 0 {
        return "0ns".into();
    }
    const UNITS: [(u128, &str); 7] = [
        (7 * 86_400_000_000_000, "weeks"),
        (86_400_000_000_000, "days"),
        (3_600_000_000_000, "hrs"),
        (60_000_000_000, "mins"),
        (1_000_000_000, "secs"),
        (1_000_000, "ms"),
        (1_000, "us"),
    ];
    for (size, name) in UNITS {
        if ns % size == 0 {
            return format!("{}{}", ns / size, name);
        }
    }
    format!("{ns}ns")
}

/// Format a duration for people reading the CLI's messages: the two largest
/// units, rounded (`1s` for 999970706ns, `1.5s`, `250ms`, `2m 30s`,
/// `1 day`, `2 days 3h`). Daemon flags and JSON keep their own forms.
pub fn format_duration(d: Duration) -> String {
    let ns = d.as_nanos();
    let ms = (ns + 500_000) / 1_000_000;
    if ms < 1000 {
        return match ns {
            0 => "0s".into(),
            n if n < 1_000_000 => format!("{}µs", n.div_ceil(1000)),
            _ => format!("{ms}ms"),
        };
    }
    // Tenths of a second below a minute; whole seconds above.
    let tenths = (d.as_secs_f64() * 10.0).round() as u64;
    if tenths < 600 {
        return if tenths % 10 == 0 {
            format!("{}s", tenths / 10)
        } else {
            format!("{}.{}s", tenths / 10, tenths % 10)
        };
    }
    let secs = (d.as_secs_f64()).round() as u64;
    let (days, hours, mins, s) = (
        secs / 86_400,
        secs % 86_400 / 3600,
        secs % 3600 / 60,
        secs % 60,
    );
    let two = |big: String, small: u64, unit: &str| {
        if small == 0 {
            big
        } else {
            format!("{big} {small}{unit}")
        }
    };
    if days > 0 {
        let d = format!("{days} day{}", if days == 1 { "" } else { "s" });
        two(d, hours, "h")
    } else if hours > 0 {
        two(format!("{hours}h"), mins, "m")
    } else {
        two(format!("{mins}m"), s, "s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_for_people() {
        let f = |ns: u64| format_duration(Duration::from_nanos(ns));
        assert_eq!(f(999_970_706), "1s");
        assert_eq!(f(0), "0s");
        assert_eq!(f(1_500), "2µs");
        assert_eq!(f(250_000_000), "250ms");
        assert_eq!(f(1_500_000_000), "1.5s");
        assert_eq!(f(59_960_000_000), "1m");
        assert_eq!(f(30_000_000_000), "30s");
        let s = |secs: u64| format_duration(Duration::from_secs(secs));
        assert_eq!(s(150), "2m 30s");
        assert_eq!(s(3600), "1h");
        assert_eq!(s(5400), "1h 30m");
        assert_eq!(s(86_400), "1 day");
        assert_eq!(s(2 * 86_400 + 3 * 3600 + 59), "2 days 3h");
        assert_eq!(s(7 * 86_400), "7 days");
    }

    #[test]
    fn parses_common_forms() {
        assert_eq!(parse_duration("5").unwrap(), Duration::from_secs(5));
        assert_eq!(parse_duration("5s").unwrap(), Duration::from_secs(5));
        assert_eq!(parse_duration("10secs").unwrap(), Duration::from_secs(10));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("1.5mins").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("2hrs").unwrap(), Duration::from_secs(7200));
        assert_eq!(
            parse_duration("1weeks").unwrap(),
            Duration::from_secs(604800)
        );
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse_duration("").is_err());
        assert!(parse_duration("abc").is_err());
        assert!(parse_duration("5 parsecs").unwrap_err().contains("unit"));
        assert!(parse_duration("-1s").is_err());
    }

    #[test]
    fn formats_like_mesos() {
        assert_eq!(format_mesos_duration(Duration::from_secs(5)), "5secs");
        assert_eq!(format_mesos_duration(Duration::from_secs(120)), "2mins");
        assert_eq!(format_mesos_duration(Duration::from_millis(1500)), "1500ms");
    }
}
