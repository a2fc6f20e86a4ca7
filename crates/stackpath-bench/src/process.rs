//! Whole-process measurements: run a command to completion, time it, and
//! read what it printed.
//!
//! Wall time is what a user waits for, but on a shared two-core machine it
//! also measures everyone else's load. So each run also records the CPU time
//! the child used (user + system, its own threads included), read from the
//! cumulative `cutime`/`cstime` of `/proc/self/stat` before and after: no
//! unsafe `getrusage`, at the kernel's clock-tick resolution (10 ms), which
//! medians and means over several runs smooth out.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One finished run of a command.
#[derive(Debug, Clone)]
pub struct ProcessRun {
    pub wall: Duration,
    /// User + system time of the child and its threads; `None` where
    /// `/proc` cannot be read.
    pub cpu: Option<Duration>,
    pub exit_code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl ProcessRun {
    pub fn success(&self) -> bool {
        self.exit_code == Some(0)
    }
}

/// Runs `program args...` with standard input closed and waits for it.
pub fn run(program: &Path, args: &[String]) -> std::io::Result<ProcessRun> {
    let cpu_before = children_cpu();
    let started = Instant::now();
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()?;
    let wall = started.elapsed();
    let cpu = match (cpu_before, children_cpu()) {
        (Some(a), Some(b)) => Some(b.saturating_sub(a)),
        _ => None,
    };
    Ok(ProcessRun {
        wall,
        cpu,
        exit_code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

/// CPU time used so far by this process's waited-for children.
pub fn children_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    parse_children_ticks(&stat).map(|ticks| Duration::from_millis(ticks * 1000 / clock_ticks()))
}

/// `cutime + cstime` from a `/proc/PID/stat` line. The command name (field
/// 2) may contain spaces and parentheses, so fields are counted after its
/// last `)`: field 3 is the first after it, cutime is field 16, cstime 17.
fn parse_children_ticks(stat: &str) -> Option<u64> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let cutime: u64 = fields.get(16 - 3)?.parse().ok()?;
    let cstime: u64 = fields.get(17 - 3)?.parse().ok()?;
    Some(cutime + cstime)
}

/// `USER_HZ`: 100 on every Linux this runs on (it is fixed by the kernel's
/// ABI for `/proc`, whatever `CONFIG_HZ` is).
fn clock_ticks() -> u64 {
    100
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_ticks_are_read_after_the_command_name() {
        let line = "4242 (my (odd) cmd) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18";
        // utime is field 14 (= 11 here), stime 15, cutime 16 (= 13), cstime 17 (= 14).
        assert_eq!(parse_children_ticks(line), Some(13 + 14));
        assert_eq!(parse_children_ticks("garbage"), None);
    }

    #[test]
    fn a_run_reports_output_and_status() {
        let run = run(Path::new("sh"), &["-c".into(), "echo hi; exit 3".into()]).expect("sh runs");
        assert_eq!(run.stdout, "hi\n");
        assert_eq!(run.exit_code, Some(3));
        assert!(!run.success());
    }
}
