//! The real binary as a separate process: `kazsearch serve` on a free 127.0.0.1 port, a tiny
//! HTTP/1.1 client over std's TcpStream (keep-alive, Content-Length or chunked bodies), and a
//! synthetic corpus big enough for a debug-build rebuild to take a few seconds.
//!
//! Every wait has a deadline, so a bug fails the test instead of hanging it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::bin;

/// How long a single request may take before the test fails.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// One HTTP response.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Result<Value, String> {
        serde_json::from_slice(&self.body).map_err(|e| {
            format!(
                "status {}: body is not JSON ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

/// A keep-alive HTTP/1.1 connection.
pub struct Conn {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Conn {
    pub fn open(addr: SocketAddr) -> std::io::Result<Conn> {
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
        stream.set_read_timeout(Some(REQUEST_TIMEOUT))?;
        stream.set_write_timeout(Some(REQUEST_TIMEOUT))?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            reader: BufReader::new(stream.try_clone()?),
            writer: stream,
        })
    }

    /// Sends raw bytes (a request, or part of one).
    pub fn send(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.writer.write_all(bytes)?;
        self.writer.flush()
    }

    /// `GET target` on this connection.
    pub fn get(&mut self, target: &str) -> std::io::Result<Response> {
        self.request("GET", target)
    }

    /// A bodiless request with any method.
    pub fn request(&mut self, method: &str, target: &str) -> std::io::Result<Response> {
        self.send(format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())?;
        self.read_response(method == "HEAD")
    }

    /// Reads one response.
    pub fn read_response(&mut self, head_only: bool) -> std::io::Result<Response> {
        let bad = |what: String| std::io::Error::new(std::io::ErrorKind::InvalidData, what);
        let mut line = String::new();
        if self.reader.read_line(&mut line)? == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "connection closed before a response",
            ));
        }
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad(format!("bad status line {line:?}")))?;
        let mut headers = Vec::new();
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let (k, v) = l
                .split_once(':')
                .ok_or_else(|| bad(format!("bad header {l:?}")))?;
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
        let find = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let mut body = Vec::new();
        if head_only {
        } else if let Some(n) = find("content-length") {
            let n: usize = n
                .parse()
                .map_err(|_| bad(format!("bad content-length {n:?}")))?;
            body.resize(n, 0);
            self.reader.read_exact(&mut body)?;
        } else if find("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
            loop {
                line.clear();
                self.reader.read_line(&mut line)?;
                let n = usize::from_str_radix(line.trim(), 16)
                    .map_err(|_| bad(format!("bad chunk size {line:?}")))?;
                let start = body.len();
                body.resize(start + n, 0);
                self.reader.read_exact(&mut body[start..])?;
                line.clear();
                self.reader.read_line(&mut line)?;
                if n == 0 {
                    break;
                }
            }
        }
        Ok(Response {
            status,
            headers,
            body,
        })
    }
}

/// `kazsearch serve` in a child process; killed when dropped.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
    pub log: PathBuf,
}

impl Server {
    /// Starts `serve` on `index` and waits until it answers /api/health.
    pub fn start(index: &Path, log_dir: &Path) -> Server {
        Server::start_with(&["--index", &index.to_string_lossy()], log_dir)
    }

    /// Starts `serve` with `args` (where the index is) and waits until it answers
    /// /api/health.
    pub fn start_with(args: &[&str], log_dir: &Path) -> Server {
        let mut last = String::new();
        for attempt in 0..5 {
            let port = TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("a free port")
                .port();
            let addr: SocketAddr = ([127, 0, 0, 1], port).into();
            let log = log_dir.join(format!("serve-{port}-{attempt}.log"));
            let child = bin()
                .args(["serve", "--workers", "2", "--addr", &addr.to_string()])
                .args(args)
                .env(
                    "KAZSEARCH_LOG",
                    std::env::var("KAZSEARCH_TEST_LOG").unwrap_or("info".into()),
                )
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(std::fs::File::create(&log).expect("log file"))
                .spawn()
                .expect("spawn kazsearch serve");
            let mut server = Server { child, addr, log };
            let deadline = Instant::now() + Duration::from_secs(60);
            while Instant::now() < deadline {
                if let Ok(Some(status)) = server.child.try_wait() {
                    last = format!("serve exited with {status}: {}", server.log_text());
                    break;
                }
                if server.get("/api/health").is_ok_and(|r| r.status == 200) {
                    return server;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            if last.is_empty() {
                last = format!("serve never answered: {}", server.log_text());
            }
        }
        panic!("could not start kazsearch serve: {last}");
    }

    /// One request on a fresh connection.
    pub fn get(&self, target: &str) -> std::io::Result<Response> {
        Conn::open(self.addr)?.get(target)
    }

    /// The generation the server answers from.
    pub fn generation(&self) -> String {
        let v = self
            .get("/api/health")
            .expect("health")
            .json()
            .expect("json");
        v["generation"].as_str().unwrap_or_default().to_string()
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Sends SIGTERM (through `kill`, to avoid a libc dependency).
    pub fn terminate(&self) {
        let ok = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill")
            .success();
        assert!(ok, "kill -TERM failed");
    }

    /// Waits for the process to exit, at most `within`.
    pub fn wait_exit(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The word every synthetic article contains: a search for it tells which corpus answered.
pub const MARKER: &str = "zebracorn";

/// Writes a deterministic corpus of `n` articles with ids `{prefix}-{i}`, each about
/// `words` words long, in kk, ru and en in turn; every one contains [`MARKER`].
pub fn synthetic_corpus(path: &Path, prefix: &str, n: usize, words: usize) -> PathBuf {
    const VOCAB: [&[&str]; 3] = [
        &[
            "Тоқаев",
            "Астана",
            "Қарағанды",
            "жаңа",
            "мектеп",
            "ашылды",
            "үкімет",
            "жиналыс",
            "Алматы",
            "өзен",
            "су",
            "жол",
            "құрылыс",
            "бағдарлама",
            "ауыл",
            "халық",
        ],
        &[
            "Токаев",
            "Астана",
            "Караганда",
            "новая",
            "школа",
            "открылась",
            "правительство",
            "заседание",
            "Алматы",
            "река",
            "вода",
            "дорога",
            "строительство",
            "программа",
        ],
        &[
            "Tokayev",
            "Astana",
            "Karaganda",
            "new",
            "school",
            "opened",
            "government",
            "meeting",
            "Almaty",
            "river",
            "water",
            "road",
            "construction",
            "programme",
            "village",
        ],
    ];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut out = String::new();
    for i in 0..n {
        let l = i % 3;
        const LANGS: [&str; 3] = ["kk", "ru", "en"];
        let vocab = VOCAB[l];
        let mut body = String::new();
        for w in 0..words {
            if w > 0 {
                body.push(' ');
            }
            if w == words / 2 {
                body.push_str(MARKER);
            } else {
                body.push_str(vocab[(next() % vocab.len() as u64) as usize]);
            }
        }
        let title = format!(
            "{} {} {i}",
            vocab[i % vocab.len()],
            vocab[(i / 3) % vocab.len()]
        );
        let line = serde_json::json!({
            "id": format!("{prefix}-{i}"),
            "title": title,
            "body": body,
            "lang": LANGS[l],
            "date": format!("20{:02}-{:02}-{:02}", 10 + i % 14, 1 + i % 12, 1 + i % 28),
            "source": "synthetic",
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    std::fs::write(path, out).expect("write corpus");
    path.to_path_buf()
}

/// Runs `kazsearch index` to completion; returns (ok, stdout, stderr).
pub fn index(idx: &Path, input: &Path) -> (bool, String, String) {
    let out = bin()
        .arg("index")
        .arg("--index")
        .arg(idx)
        .arg(input)
        .env("KAZSEARCH_LOG", "warn")
        .output()
        .expect("run kazsearch index");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The live generation named by `idx/CURRENT`.
pub fn current(idx: &Path) -> String {
    std::fs::read_to_string(idx.join("CURRENT"))
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// Percent-encodes every byte but ASCII letters and digits (for query-string values).
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
