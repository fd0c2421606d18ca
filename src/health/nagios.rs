//! The Nagios plugin output: `MESOS <STATUS> - <text> | <perfdata>`.
//!
//! Perfdata items follow the plugin guidelines:
//! `'label'=value[uom];[warn];[crit];[min];[max]`, separated by spaces;
//! labels are quoted with single quotes when they hold a space, `=` or a
//! quote (a quote inside is doubled); trailing empty fields are dropped.
//! Thresholds use the range syntax: `10` alerts outside 0..10, `10:`
//! below 10, `~:10` above 10, `10:20` outside 10..20, `@10:20` inside.

use super::{worst, Check, Perfdata, Status};

/// A number the way perfdata wants it: no exponent, no trailing `.0`.
pub fn number(v: f64) -> String {
    if !v.is_finite() {
        return "U".into();
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// "Alert when above `x`" (value must stay within 0..x): the bare number.
pub fn range_above(x: f64) -> String {
    number(x)
}

/// "Alert when below `x`" (value must stay at or above x): `x:`.
pub fn range_below(x: f64) -> String {
    format!("{}:", number(x))
}

/// A perfdata label, quoted when needed.
pub fn label(l: &str) -> String {
    if l.contains([' ', '=', '\'']) {
        format!("'{}'", l.replace('\'', "''"))
    } else {
        l.to_string()
    }
}

/// One perfdata item.
pub fn perfdata(p: &Perfdata) -> String {
    let fields = [
        p.warn.clone().unwrap_or_default(),
        p.crit.clone().unwrap_or_default(),
        p.min.map(number).unwrap_or_default(),
        p.max.map(number).unwrap_or_default(),
    ];
    let used = fields
        .iter()
        .rposition(|f| !f.is_empty())
        .map_or(0, |i| i + 1);
    let mut s = format!("{}={}{}", label(&p.label), number(p.value), p.uom);
    for f in &fields[..used] {
        s.push(';');
        s.push_str(f);
    }
    s
}

/// The overall state of a run: the worst of its checks.
pub fn overall(checks: &[Check]) -> Status {
    worst(checks.iter().map(|c| &c.status))
}

/// The one status line: the overall state, the summaries of the checks in
/// that worst state (else of every non-OK check, else a short all-clear),
/// and every check's perfdata.
pub fn status_line(checks: &[Check]) -> String {
    let status = overall(checks);
    let text = if status == Status::Ok {
        format!("{} checks OK", checks.len())
    } else {
        checks
            .iter()
            .filter(|c| c.status == status)
            .map(|c| format!("{}: {}", c.name, c.summary))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let text = text.replace('|', "/").replace('\n', " ");
    let perf: Vec<String> = checks
        .iter()
        .flat_map(|c| c.perfdata.iter().map(perfdata))
        .collect();
    format!("MESOS {} - {text} | {}", status.as_str(), perf.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_with_spaces_equals_or_quotes_are_quoted() {
        assert_eq!(label("agents"), "agents");
        assert_eq!(label("cpus used"), "'cpus used'");
        assert_eq!(label("a=b"), "'a=b'");
        assert_eq!(label("it's"), "'it''s'");
    }

    #[test]
    fn perfdata_drops_trailing_empty_fields_and_keeps_inner_ones() {
        let p = Perfdata::new("cpus_used", 42.5, "%").above(85.0, 95.0);
        assert_eq!(perfdata(&p), "cpus_used=42.5%;85;95");
        let p = Perfdata::new("agents", 3.0, "").min_max(Some(0.0), None);
        assert_eq!(perfdata(&p), "agents=3;;;0");
        let mut p = Perfdata::new("masters up", 2.0, "");
        p.warn = Some(range_below(3.0));
        p.crit = Some(range_below(2.0));
        assert_eq!(perfdata(&p), "'masters up'=2;3:;2:");
        assert_eq!(perfdata(&Perfdata::new("x", 1.0, "s")), "x=1s");
    }

    #[test]
    fn numbers_have_no_exponent_or_trailing_zeros() {
        assert_eq!(number(5.0), "5");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(1.0 / 3.0), "0.333");
        assert_eq!(number(f64::NAN), "U");
        assert_eq!(range_above(80.0), "80");
        assert_eq!(range_below(1.0), "1:");
    }

    #[test]
    fn the_status_line_names_the_worst_checks_and_carries_all_perfdata() {
        let checks = vec![
            Check::new("leader", Status::Ok, "fine").perf(Perfdata::new("masters", 3.0, "")),
            Check::new("agents", Status::Critical, "agent a1 | h1 disconnected")
                .perf(Perfdata::new("agents", 1.0, "")),
            Check::new("tasks", Status::Warning, "slow"),
        ];
        assert_eq!(
            status_line(&checks),
            "MESOS CRITICAL - agents: agent a1 / h1 disconnected | masters=3 agents=1"
        );
        let ok = vec![Check::new("leader", Status::Ok, "fine")];
        assert_eq!(status_line(&ok), "MESOS OK - 1 checks OK | ");
    }
}
