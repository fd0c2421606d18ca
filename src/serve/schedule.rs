//! 5-field cron expressions (`minute hour day-of-month month day-of-week`,
//! UTC) for `mesos serve cron --schedule`.
//!
//! Each field is `*` or a comma list of `N`, `A-B`, with an optional `/STEP`
//! (`*/5`, `1-30/10`, `5/15` = from 5 to the maximum). Months and weekdays
//! also take English three-letter names (`jan`, `mon`); weekday 7 is Sunday
//! like 0. As in Vixie cron, when both day fields are restricted a day
//! matches if either does. `@hourly`, `@daily` (`@midnight`), `@weekly`,
//! `@monthly`, `@yearly` (`@annually`) are shorthands.

use time::{Duration, OffsetDateTime};

/// A parsed cron expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CronExpr {
    minutes: u64,
    hours: u64,
    days: u64,
    months: u64,
    weekdays: u64,
    /// The day-of-month field is `*` (then only the weekdays restrict).
    days_any: bool,
    /// The day-of-week field is `*`.
    weekdays_any: bool,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const WEEKDAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

impl CronExpr {
    /// Parse an expression; the error names the field and what is wrong.
    pub fn parse(text: &str) -> Result<CronExpr, String> {
        let expanded = match text.trim().to_ascii_lowercase().as_str() {
            "@yearly" | "@annually" => "0 0 1 1 *".to_string(),
            "@monthly" => "0 0 1 * *".to_string(),
            "@weekly" => "0 0 * * 0".to_string(),
            "@daily" | "@midnight" => "0 0 * * *".to_string(),
            "@hourly" => "0 * * * *".to_string(),
            other => other.to_string(),
        };
        let fields: Vec<&str> = expanded.split_whitespace().collect();
        if fields.len() != 5 {
            return Err(format!(
                "cron expression {text:?} has {} fields, not 5 (minute hour day-of-month month day-of-week)",
                fields.len()
            ));
        }
        let field = |i: usize, name: &str, min: u32, max: u32, names: &[&str]| {
            parse_field(fields[i], min, max, names).map_err(|e| {
                format!(
                    "cron expression {text:?}: {name} field {:?}: {e}",
                    fields[i]
                )
            })
        };
        let minutes = field(0, "minute", 0, 59, &[])?;
        let hours = field(1, "hour", 0, 23, &[])?;
        let days = field(2, "day-of-month", 1, 31, &[])?;
        let months = field(3, "month", 1, 12, &MONTHS)?;
        let mut weekdays = field(4, "day-of-week", 0, 7, &WEEKDAYS)?;
        if weekdays & (1 << 7) != 0 {
            weekdays = (weekdays & !(1 << 7)) | 1;
        }
        let expr = CronExpr {
            minutes,
            hours,
            days,
            months,
            weekdays,
            days_any: fields[2].starts_with('*'),
            weekdays_any: fields[4].starts_with('*'),
        };
        // A day that never exists (`0 0 30 2 *`) would never fire.
        if expr.next_after(OffsetDateTime::UNIX_EPOCH).is_none() {
            return Err(format!("cron expression {text:?} never fires"));
        }
        Ok(expr)
    }

    fn day_matches(&self, t: OffsetDateTime) -> bool {
        let dom = bit(self.days, u32::from(t.day()));
        let dow = bit(
            self.weekdays,
            u32::from(t.weekday().number_days_from_sunday()),
        );
        let month = bit(self.months, u32::from(u8::from(t.month())));
        month
            && match (self.days_any, self.weekdays_any) {
                (true, true) => true,
                (true, false) => dow,
                (false, true) => dom,
                (false, false) => dom || dow,
            }
    }

    /// Whether the expression fires in the minute of `t`.
    pub fn matches(&self, t: OffsetDateTime) -> bool {
        self.day_matches(t)
            && bit(self.hours, u32::from(t.hour()))
            && bit(self.minutes, u32::from(t.minute()))
    }

    /// The first minute strictly after `t` at which the expression fires
    /// (`None` if none within about eight years).
    pub fn next_after(&self, t: OffsetDateTime) -> Option<OffsetDateTime> {
        let mut c = t.replace_second(0).ok()?.replace_nanosecond(0).ok()? + Duration::minutes(1);
        let limit = t + Duration::days(8 * 366);
        while c < limit {
            if !self.day_matches(c) {
                c = c.replace_time(time::Time::MIDNIGHT) + Duration::days(1);
            } else if !bit(self.hours, u32::from(c.hour())) {
                c = c.replace_minute(0).ok()? + Duration::hours(1);
            } else if !bit(self.minutes, u32::from(c.minute())) {
                c += Duration::minutes(1);
            } else {
                return Some(c);
            }
        }
        None
    }
}

fn bit(mask: u64, n: u32) -> bool {
    n < 64 && mask & (1u64 << n) != 0
}

fn parse_field(text: &str, min: u32, max: u32, names: &[&str]) -> Result<u64, String> {
    let mut mask = 0u64;
    for item in text.split(',') {
        let (range, step) = match item.split_once('/') {
            Some((r, s)) => {
                let step: u32 = s
                    .parse()
                    .ok()
                    .filter(|s| *s > 0)
                    .ok_or_else(|| format!("step {s:?} is not a positive number"))?;
                (r, Some(step))
            }
            None => (item, None),
        };
        let (lo, hi) = if range == "*" {
            (min, max)
        } else if let Some((a, b)) = range.split_once('-') {
            (value(a, min, max, names)?, value(b, min, max, names)?)
        } else {
            let v = value(range, min, max, names)?;
            (v, if step.is_some() { max } else { v })
        };
        if lo > hi {
            return Err(format!("range {range:?} runs backwards"));
        }
        let step = step.unwrap_or(1) as usize;
        for n in (lo..=hi).step_by(step) {
            mask |= 1u64 << n;
        }
    }
    Ok(mask)
}

fn value(text: &str, min: u32, max: u32, names: &[&str]) -> Result<u32, String> {
    if let Some(i) = names.iter().position(|n| *n == text) {
        // Months count from 1, weekdays from 0.
        return Ok(i as u32 + min);
    }
    let v: u32 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    if v < min || v > max {
        return Err(format!("{v} is out of range {min}-{max}"));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `"2026-12-04 09:45"` (UTC).
    fn at(s: &str) -> OffsetDateTime {
        let n: Vec<i64> = s
            .split(['-', ' ', ':'])
            .map(|p| p.parse().unwrap())
            .collect();
        let month = time::Month::try_from(n[1] as u8).unwrap();
        time::Date::from_calendar_date(n[0] as i32, month, n[2] as u8)
            .unwrap()
            .with_hms(n[3] as u8, n[4] as u8, n.get(5).copied().unwrap_or(0) as u8)
            .unwrap()
            .assume_utc()
    }

    #[test]
    fn fields_steps_ranges_and_names() {
        let e = CronExpr::parse("*/15 9-17 * * mon-fri").unwrap();
        // 2026-12-04 is a Friday.
        assert!(e.matches(at("2026-12-04 09:45")));
        assert!(!e.matches(at("2026-12-04 09:46")));
        assert!(!e.matches(at("2026-12-05 09:45")));
        assert_eq!(
            e.next_after(at("2026-12-04 17:50")),
            Some(at("2026-12-07 09:00"))
        );
        let e = CronExpr::parse("5/20 0 1,15 jan,7 *").unwrap();
        assert_eq!(
            e.next_after(at("2026-01-15 00:45:30")),
            Some(at("2026-07-01 00:05"))
        );
        // Weekday 7 is Sunday; both day fields restricted: either matches.
        let e = CronExpr::parse("0 12 13 * 7").unwrap();
        assert!(e.matches(at("2026-12-06 12:00"))); // a Sunday
        assert!(e.matches(at("2026-12-13 12:00"))); // the 13th
        assert!(!e.matches(at("2026-12-14 12:00")));
        assert_eq!(
            CronExpr::parse("@hourly")
                .unwrap()
                .next_after(at("2026-12-31 23:00")),
            Some(at("2027-01-01 00:00"))
        );
    }

    #[test]
    fn bad_expressions_say_what_is_wrong() {
        for (text, want) in [
            ("* * * *", "has 4 fields"),
            ("60 * * * *", "minute field \"60\": 60 is out of range 0-59"),
            ("*/0 * * * *", "step \"0\" is not a positive number"),
            ("* 5-2 * * *", "range \"5-2\" runs backwards"),
            ("* * * foo *", "\"foo\" is not a number"),
            ("0 0 30 2 *", "never fires"),
        ] {
            let err = CronExpr::parse(text).unwrap_err();
            assert!(err.contains(want), "{text}: {err}");
        }
    }
}
