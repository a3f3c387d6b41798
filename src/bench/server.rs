//! Running `kazsearch serve` as a child process for the HTTP benchmark, so its memory is its
//! own and can be read from `/proc`: start it on a free local port, wait until
//! `/api/health` answers, stop it (the child we started, by its handle) when done.

use std::fs::File;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::load::Conn;
use crate::error::{Error, Result};

/// How long the server may take to open its index and answer.
pub const START_TIMEOUT: Duration = Duration::from_secs(120);

/// A running `kazsearch serve`.
pub struct Server {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
    log: PathBuf,
}

impl Server {
    /// Starts `exe serve --index index` on a free port of 127.0.0.1; its log goes to `log`.
    pub fn start(exe: &Path, index: &Path, log: &Path) -> Result<Server> {
        let addr = free_port().map_err(|e| Error::io("127.0.0.1:0", e))?;
        let log_file = File::create(log).map_err(|e| Error::io(log, e))?;
        let child = Command::new(exe)
            .arg("serve")
            .arg("--index")
            .arg(index)
            .arg("--addr")
            .arg(addr.to_string())
            .env("KAZSEARCH_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .map_err(|e| Error::io(exe, e))?;
        let mut server = Server {
            child,
            addr,
            log: log.to_path_buf(),
        };
        server.wait_healthy()?;
        Ok(server)
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    fn wait_healthy(&mut self) -> Result<()> {
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(self.failed(format!("exited with {status} before answering")));
            }
            let healthy = Conn::open(self.addr, Duration::from_secs(1))
                .and_then(|mut c| c.get("/api/health"))
                .is_ok_and(|r| r.status == 200);
            if healthy {
                return Ok(());
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(self.failed(format!(
                    "did not answer /api/health within {} s",
                    START_TIMEOUT.as_secs()
                )));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn failed(&self, what: String) -> Error {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let tail: String = log.lines().rev().take(5).collect::<Vec<_>>().join(" | ");
        Error::io(
            &self.log,
            std::io::Error::other(format!("kazsearch serve {what}; its log ends: {tail}")),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port on 127.0.0.1 that was free a moment ago.
fn free_port() -> std::io::Result<SocketAddr> {
    TcpListener::bind("127.0.0.1:0")?.local_addr()
}
