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
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// One finished run of a command.
#[derive(Debug, Clone)]
pub struct ProcessRun {
    pub wall: Duration,
    /// User + system time of the child and its threads; `None` where
    /// `/proc` cannot be read.
    pub cpu: Option<Duration>,
    /// Killed at the time limit.
    pub timed_out: bool,
    pub exit_code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl ProcessRun {
    pub fn success(&self) -> bool {
        self.exit_code == Some(0)
    }
}

/// Runs `program args...` with standard input closed and waits for it, at
/// most `timeout`: then it is killed, and the run says so.
pub fn run(program: &Path, args: &[String], timeout: Duration) -> std::io::Result<ProcessRun> {
    let cpu_before = children_cpu();
    let started = Instant::now();
    let child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    // A watchdog kills the child at the deadline, so that the main thread can
    // simply block in `wait` and the wall time stays exact.
    let pid = child.id();
    let (done, finished) = mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if finished.recv_timeout(timeout) == Err(mpsc::RecvTimeoutError::Timeout) {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            true
        } else {
            false
        }
    });
    let out = child.wait_with_output()?;
    let wall = started.elapsed();
    let _ = done.send(());
    let timed_out = watchdog.join().unwrap_or(false);
    let cpu = match (cpu_before, children_cpu()) {
        (Some(a), Some(b)) => Some(b.saturating_sub(a)),
        _ => None,
    };
    Ok(ProcessRun {
        wall,
        cpu,
        timed_out,
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
        let run = run(
            Path::new("sh"),
            &["-c".into(), "echo hi; exit 3".into()],
            Duration::from_secs(60),
        )
        .expect("sh runs");
        assert_eq!(run.stdout, "hi\n");
        assert_eq!(run.exit_code, Some(3));
        assert!(!run.success() && !run.timed_out);
    }

    #[test]
    fn a_run_past_its_time_limit_is_killed() {
        let run = run(
            Path::new("sleep"),
            &["30".into()],
            Duration::from_millis(200),
        )
        .expect("sleep runs");
        assert!(run.timed_out);
        assert!(run.wall < Duration::from_secs(10));
        assert!(!run.success());
    }
}
