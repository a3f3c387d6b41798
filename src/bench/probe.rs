//! What the benchmark reads from the operating system: CPU time of this process and of the
//! calling thread (`clock_gettime`), another process's resident memory (`/proc`), the size of
//! an index on disk. Linux only; elsewhere the figures are missing (None), never made up.

use std::path::Path;
use std::time::Duration;

use crate::error::{Error, Result};

/// CPU time (user + system, all threads) this process has used so far.
pub fn process_cpu() -> Option<Duration> {
    cpu_clock(CPU_CLOCK_PROCESS)
}

/// CPU time the calling thread has used so far: unlike wall time, it does not grow while
/// the thread waits for a core that another process holds, so per-stage and per-query
/// figures stay comparable on a busy machine.
pub fn thread_cpu() -> Option<Duration> {
    cpu_clock(CPU_CLOCK_THREAD)
}

#[cfg(target_os = "linux")]
const CPU_CLOCK_PROCESS: libc::clockid_t = libc::CLOCK_PROCESS_CPUTIME_ID;
#[cfg(target_os = "linux")]
const CPU_CLOCK_THREAD: libc::clockid_t = libc::CLOCK_THREAD_CPUTIME_ID;
#[cfg(not(target_os = "linux"))]
const CPU_CLOCK_PROCESS: i32 = 0;
#[cfg(not(target_os = "linux"))]
const CPU_CLOCK_THREAD: i32 = 0;

#[cfg(target_os = "linux")]
fn cpu_clock(clock: libc::clockid_t) -> Option<Duration> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec we own and pass by a valid pointer; the
    // clock ids are the two CPU-time clocks every Linux kernel since 2.6.12 provides.
    let rc = unsafe { libc::clock_gettime(clock, &mut ts) };
    if rc != 0 {
        return None;
    }
    Some(Duration::new(
        u64::try_from(ts.tv_sec).ok()?,
        u32::try_from(ts.tv_nsec).ok()?,
    ))
}

#[cfg(not(target_os = "linux"))]
fn cpu_clock(_clock: i32) -> Option<Duration> {
    None
}

/// A CPU-time stopwatch for the calling thread (reads zero where the clock is missing).
#[derive(Debug, Clone, Copy)]
pub struct ThreadClock(Option<Duration>);

impl ThreadClock {
    /// Starts now.
    pub fn start() -> ThreadClock {
        ThreadClock(thread_cpu())
    }

    /// CPU time of this thread since the start (or the last lap), and restarts.
    pub fn lap(&mut self) -> Duration {
        let now = thread_cpu();
        let d = now
            .zip(self.0)
            .map_or(Duration::ZERO, |(b, a)| b.saturating_sub(a));
        self.0 = now;
        d
    }
}

/// Resident memory of a process, in bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rss {
    /// Resident now (`VmRSS`).
    pub now: u64,
    /// Highest so far (`VmHWM`).
    pub peak: u64,
    /// Of `now`, anonymous memory: the heap and stacks (`RssAnon`).
    pub anon: u64,
    /// Of `now`, pages of mapped files — for a tantivy server, the index files it has
    /// touched, which the kernel can drop and read again (`RssFile`).
    pub file: u64,
}

/// Resident memory of process `pid`.
pub fn rss(pid: u32) -> Option<Rss> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    rss_from_status(&status)
}

/// Parses the memory lines of a `/proc/PID/status` text.
fn rss_from_status(status: &str) -> Option<Rss> {
    let kb = |key: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(key))?;
        let value = line[key.len()..].trim().trim_end_matches("kB").trim();
        value.parse::<u64>().ok().map(|k| k * 1024)
    };
    let now = kb("VmRSS:")?;
    Some(Rss {
        now,
        peak: kb("VmHWM:").unwrap_or(now),
        anon: kb("RssAnon:").unwrap_or(0),
        file: kb("RssFile:").unwrap_or(0),
    })
}

/// Total size in bytes of the files under `path`.
pub fn dir_size(path: &Path) -> Result<u64> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_dir() {
        return Ok(meta.len());
    }
    let mut total = 0;
    for entry in std::fs::read_dir(path).map_err(|e| Error::io(path, e))? {
        let entry = entry.map_err(|e| Error::io(path, e))?;
        total += dir_size(&entry.path())?;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_texts() {
        let s = "Name:\tkazsearch\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nRssAnon:\t   40960 kB\nRssFile:\t   61440 kB\n";
        assert_eq!(
            rss_from_status(s),
            Some(Rss {
                now: 100 << 20,
                peak: 200 << 20,
                anon: 40 << 20,
                file: 60 << 20
            })
        );
        assert_eq!(
            rss_from_status("VmRSS:\t 1 kB\n"),
            Some(Rss {
                now: 1024,
                peak: 1024,
                anon: 0,
                file: 0
            }),
            "no peak line: the peak is the current value"
        );
        assert_eq!(rss_from_status("Name:\tx\n"), None);
    }

    #[test]
    fn this_process_and_a_folder() {
        if cfg!(target_os = "linux") {
            assert!(process_cpu().is_some());
            let mut clock = ThreadClock::start();
            let mut x = 0u64;
            for i in 0..2_000_000u64 {
                x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
            }
            assert!(clock.lap() > Duration::ZERO, "{x}");
            assert!(rss(std::process::id()).is_some_and(|r| r.now > 0 && r.peak >= r.now));
        }
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("a"), [0u8; 10]).unwrap();
        std::fs::write(dir.path().join("sub/b"), [0u8; 5]).unwrap();
        assert_eq!(dir_size(dir.path()).unwrap(), 15);
        assert!(dir_size(&dir.path().join("missing")).is_err());
    }
}
