//! Human-readable text for audits, plans and catalogs.

use std::fmt::Write;

use stackpath_app::dto::{
    AuditDto, AuditNodeDto, CatalogInfoDto, HoldingStatusDto, ObjectiveDto, PlanDto, TotalsDto,
};
use stackpath_app::Engine;

pub fn audit(a: &AuditDto, learner: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Audit of {learner} toward {} ({}) on {}",
        a.target_title, a.target, a.start
    );
    let status = if a.held {
        "held"
    } else if a.satisfied {
        "every requirement met: it can be earned now"
    } else {
        "requirements not yet met"
    };
    let _ = writeln!(out, "Status: {status}");
    match &a.requirements {
        Some(root) => {
            let _ = writeln!(out, "\nRequirements:");
            audit_node(&mut out, root, 1);
        }
        None => {
            let _ = writeln!(out, "\nIt has no requirements.");
        }
    }
    if !a.holdings.is_empty() {
        let _ = writeln!(out, "\nHoldings:");
        for h in &a.holdings {
            let status = match h.status {
                HoldingStatusDto::Held => "held",
                HoldingStatusDto::Expired => "EXPIRED, does not count",
                HoldingStatusDto::Implied => "implied",
                HoldingStatusDto::Granted => "granted",
                HoldingStatusDto::Unknown => "UNKNOWN to the catalog, does not count",
            };
            let _ = write!(out, "  {:<40} {status}", h.id);
            if let Some(e) = &h.earned {
                let _ = write!(out, ", earned {e}");
            }
            if let Some(e) = &h.expires {
                let _ = write!(out, ", expires {e}");
            }
            if let Some(v) = &h.via {
                let _ = write!(out, ", via {v}");
            }
            let _ = writeln!(out);
        }
    }
    out
}

fn audit_node(out: &mut String, n: &AuditNodeDto, depth: usize) {
    let mark = if n.satisfied { "[x]" } else { "[ ]" };
    let indent = "  ".repeat(depth);
    let label = n
        .label
        .as_deref()
        .map(|l| format!("{l}: "))
        .unwrap_or_default();
    let shared = if n.shared { " (shared)" } else { "" };
    let _ = write!(out, "{indent}{mark} {label}{}{shared}", n.text);
    if n.kind != "credential" {
        let _ = write!(out, "  [{}]", n.progress.text);
    }
    if !n.counted.is_empty() {
        let _ = write!(out, "  <- {}", n.counted.join(", "));
    }
    let _ = writeln!(out);
    for c in &n.children {
        audit_node(out, c, depth + 1);
    }
}

fn objective_name(o: ObjectiveDto) -> &'static str {
    match o {
        ObjectiveDto::Time => "fastest",
        ObjectiveDto::Cost => "cheapest",
        ObjectiveDto::Effort => "least effort",
        ObjectiveDto::Count => "fewest steps",
    }
}

fn totals_line(t: &TotalsDto) -> String {
    let cost = if t.cost.is_empty() {
        "no cost".to_string()
    } else {
        t.cost
            .iter()
            .map(|(c, a)| format!("{c} {}", money(*a)))
            .collect::<Vec<_>>()
            .join(" + ")
    };
    format!(
        "finish {} ({} days), {} step{}, {cost}, {} h of effort",
        t.finish,
        t.days,
        t.count,
        if t.count == 1 { "" } else { "s" },
        hours(t.effort_hours)
    )
}

/// What the lower bound of an unproven plan says, in the objective's terms
/// (the desktop app's plan view says the same).
fn bound_text(p: &PlanDto) -> String {
    let lb = p.lower_bound;
    match p.objective {
        ObjectiveDto::Time => {
            let days = lb.max(0.0) as u64;
            let date = chrono::NaiveDate::parse_from_str(&p.start, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.checked_add_days(chrono::Days::new(days)));
            match date {
                Some(d) => format!("no plan can finish before {d} (day {days})"),
                None => format!("no plan can finish before day {days}"),
            }
        }
        ObjectiveDto::Cost => match p.totals.cost.keys().collect::<Vec<_>>()[..] {
            [currency] => format!("no plan can cost less than {currency} {}", money(lb)),
            _ => format!("no plan can cost less than {}", money(lb)),
        },
        ObjectiveDto::Effort => {
            format!("no plan can take less than {} h of effort", hours(lb))
        }
        ObjectiveDto::Count => {
            let steps = lb.max(0.0).round() as u64;
            format!(
                "no plan can have fewer than {steps} step{}",
                if steps == 1 { "" } else { "s" }
            )
        }
    }
}

pub fn money(a: f64) -> String {
    if a.fract() == 0.0 {
        format!("{a:.0}")
    } else {
        format!("{a:.2}")
    }
}

fn hours(h: f64) -> String {
    if h.fract() == 0.0 {
        format!("{h:.0}")
    } else {
        format!("{h:.1}")
    }
}

pub fn plan(p: &PlanDto) -> String {
    let mut out = String::new();
    if !p.feasible {
        if p.unreachable.as_ref().is_some_and(|u| u.stopped) {
            let _ = writeln!(
                out,
                "No plan to {} from {} was found within the time limit, and none was proven impossible.",
                p.target, p.start
            );
            let _ = writeln!(out, "A longer search may find one: raise --time-limit.");
            return out;
        }
        let _ = writeln!(out, "No plan reaches {} from {}.", p.target, p.start);
        if let Some(u) = &p.unreachable {
            let _ = writeln!(out, "{}", u.message);
            if !u.requirements.is_empty() {
                let _ = writeln!(out, "Cannot be met: {}", u.requirements.join(", "));
            }
        }
        return out;
    }
    let proof = if p.optimal {
        "proven optimal".to_string()
    } else {
        format!("best found; {}", bound_text(p))
    };
    let _ = writeln!(
        out,
        "{} plan to {} from {}: {} [{proof}]",
        capitalise(objective_name(p.objective)),
        p.target,
        p.start,
        totals_line(&p.totals)
    );
    if p.steps.is_empty() {
        let _ = writeln!(out, "Nothing left to earn: the target is already held.");
    }
    for s in &p.steps {
        let cost = s
            .cost
            .as_ref()
            .map(|c| format!(", {} {}", c.currency, money(c.amount)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {} -> {}  {}  {} ({}{cost})",
            s.start, s.finish, s.id, s.title, s.kind
        );
        let others: Vec<&str> = s
            .satisfies
            .iter()
            .map(String::as_str)
            .filter(|x| *x != s.id)
            .collect();
        if !others.is_empty() {
            let _ = writeln!(out, "      counts toward {}", others.join(", "));
        }
    }
    if !p.alternatives.is_empty() {
        let _ = writeln!(out, "\nAlternatives:");
        for a in &p.alternatives {
            let _ = writeln!(
                out,
                "  {:<13} {}",
                format!("{}:", objective_name(a.objective)),
                totals_line(&a.totals)
            );
        }
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

pub fn catalog(info: &CatalogInfoDto, engine: &Engine, all: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} credentials from {} files",
        info.credentials,
        info.files.len()
    );
    for f in &info.files {
        let _ = writeln!(
            out,
            "  {:<48} {:<12} {:>4} credentials  {} ({})",
            f.file, f.publisher, f.credentials, f.title, f.signature
        );
    }
    let errors = info
        .diagnostics
        .iter()
        .filter(|d| d.severity == "error")
        .count();
    let warnings = info.diagnostics.len() - errors;
    let _ = writeln!(out, "{errors} error(s), {warnings} warning(s)");
    let _ = writeln!(out, "\n{}:", if all { "Credentials" } else { "Awards" });
    for c in engine.search("", !all, usize::MAX) {
        let _ = writeln!(out, "  {:<44} {:<16} {}", c.id, c.kind, c.title);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use stackpath_app::dto::UnreachableDto;

    use super::*;

    fn unproven(objective: ObjectiveDto, lower_bound: f64) -> PlanDto {
        PlanDto {
            target: "nova:as-it".to_string(),
            objective,
            feasible: true,
            optimal: false,
            lower_bound,
            start: "2027-01-04".to_string(),
            steps: Vec::new(),
            totals: TotalsDto {
                count: 3,
                cost: BTreeMap::from([("USD".to_string(), 1500.0)]),
                effort_hours: 120.0,
                finish: "2029-03-01".to_string(),
                days: 787,
            },
            unreachable: None,
            alternatives: Vec::new(),
        }
    }

    fn first_line(p: &PlanDto) -> String {
        plan(p).lines().next().unwrap_or_default().to_string()
    }

    #[test]
    fn an_unproven_plan_states_its_bound_in_the_objective_s_terms() {
        for (objective, bound, said) in [
            (
                ObjectiveDto::Time,
                741.0,
                "[best found; no plan can finish before 2029-01-14 (day 741)]",
            ),
            (
                ObjectiveDto::Cost,
                1200.5,
                "[best found; no plan can cost less than USD 1200.50]",
            ),
            (
                ObjectiveDto::Effort,
                95.5,
                "[best found; no plan can take less than 95.5 h of effort]",
            ),
            (
                ObjectiveDto::Count,
                1.0,
                "[best found; no plan can have fewer than 1 step]",
            ),
        ] {
            let line = first_line(&unproven(objective, bound));
            assert!(line.ends_with(said), "{line}");
        }
        let proven = PlanDto {
            optimal: true,
            ..unproven(ObjectiveDto::Time, 787.0)
        };
        assert!(first_line(&proven).ends_with("[proven optimal]"));
    }

    fn not_found(stopped: bool) -> PlanDto {
        PlanDto {
            feasible: false,
            unreachable: Some(UnreachableDto {
                message: "the target cannot be reached: over budget".to_string(),
                requirements: vec!["nova:as-it".to_string()],
                reasons: vec!["over budget".to_string()],
                stopped,
            }),
            ..unproven(ObjectiveDto::Cost, 0.0)
        }
    }

    #[test]
    fn a_search_stopped_by_its_time_limit_is_not_called_unreachable() {
        let stopped = plan(&not_found(true));
        assert_eq!(
            stopped,
            "No plan to nova:as-it from 2027-01-04 was found within the time limit, and none was proven impossible.\n\
             A longer search may find one: raise --time-limit.\n"
        );
        let unreachable = plan(&not_found(false));
        assert_eq!(
            unreachable,
            "No plan reaches nova:as-it from 2027-01-04.\n\
             the target cannot be reached: over budget\n\
             Cannot be met: nova:as-it\n"
        );
    }
}
