//! A small HTTP load generator, so the benchmark needs nothing installed: N keep-alive
//! connections, one thread each, sending GET requests back to back for a fixed time and
//! timing each one from the first byte written to the last byte read. Any status other than
//! 200 and any broken connection counts as an error (and the connection is reopened).
//!
//! It speaks just enough HTTP/1.1 for kazsearch's server: a status line, headers, then a
//! body framed by `Content-Length` or chunked encoding.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::stats::{rate, Latency};

/// One keep-alive connection.
pub struct Conn {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    request: Vec<u8>,
    host: String,
}

/// A response: its status and body length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// Body bytes.
    pub body_bytes: usize,
    /// The server will close the connection after this response.
    pub close: bool,
}

impl Conn {
    /// Connects to `addr`.
    pub fn open(addr: SocketAddr, timeout: Duration) -> io::Result<Conn> {
        let stream = TcpStream::connect_timeout(&addr, timeout)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(timeout))?;
        stream.set_write_timeout(Some(timeout))?;
        Ok(Conn {
            reader: BufReader::with_capacity(64 * 1024, stream.try_clone()?),
            writer: stream,
            request: Vec::with_capacity(512),
            host: addr.to_string(),
        })
    }

    /// Sends `GET path` and reads the whole response.
    pub fn get(&mut self, path: &str) -> io::Result<Response> {
        self.request.clear();
        write!(
            self.request,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nAccept: application/json\r\n\r\n",
            self.host
        )?;
        self.writer.write_all(&self.request)?;
        read_response(&mut self.reader)
    }
}

fn invalid(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.into())
}

/// Reads one HTTP/1.1 response (status line, headers, body) from `r`.
pub fn read_response(r: &mut impl BufRead) -> io::Result<Response> {
    let mut line = String::new();
    if r.read_line(&mut line)? == 0 {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "connection closed",
        ));
    }
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| invalid(format!("bad status line {line:?}")))?;
    let (mut length, mut chunked, mut close) = (None, false, false);
    loop {
        line.clear();
        if r.read_line(&mut line)? == 0 {
            return Err(invalid("headers cut short"));
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let Some((name, value)) = l.split_once(':') else {
            continue;
        };
        let (name, value) = (name.trim(), value.trim());
        if name.eq_ignore_ascii_case("content-length") {
            length = Some(
                value
                    .parse::<usize>()
                    .map_err(|_| invalid("bad Content-Length"))?,
            );
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value.to_ascii_lowercase().contains("chunked");
        } else if name.eq_ignore_ascii_case("connection") {
            close = value.eq_ignore_ascii_case("close");
        }
    }
    let body_bytes = if chunked {
        let mut total = 0;
        loop {
            line.clear();
            r.read_line(&mut line)?;
            let size_text = line.trim().split(';').next().unwrap_or("");
            let size = usize::from_str_radix(size_text, 16)
                .map_err(|_| invalid(format!("bad chunk size {size_text:?}")))?;
            skip(r, size)?;
            line.clear();
            r.read_line(&mut line)?; // the CRLF after the chunk (or the trailer end)
            if size == 0 {
                break;
            }
            total += size;
        }
        total
    } else {
        let n = length.unwrap_or(0);
        skip(r, n)?;
        n
    };
    Ok(Response {
        status,
        body_bytes,
        close,
    })
}

fn skip(r: &mut impl BufRead, n: usize) -> io::Result<()> {
    let copied = io::copy(&mut r.by_ref().take(n as u64), &mut io::sink())?;
    if copied as usize != n {
        return Err(invalid("body cut short"));
    }
    Ok(())
}

/// The outcome of a load run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LoadResult {
    /// Connections.
    pub connections: usize,
    /// Measured seconds.
    pub seconds: f64,
    /// Requests answered 200.
    pub ok: u64,
    /// Requests answered with another status.
    pub bad_status: u64,
    /// Requests lost to a broken or refused connection.
    pub io_errors: u64,
    /// Answered requests per second (200s only).
    pub rps: f64,
    /// Latency of the 200s.
    pub latency: Latency,
    /// Response body bytes received.
    pub body_bytes: u64,
}

impl LoadResult {
    /// Every failed request.
    pub fn errors(&self) -> u64 {
        self.bad_status + self.io_errors
    }
}

/// Sends the `paths` round-robin (each connection starting elsewhere in the list) over
/// `connections` connections for `duration`. `tick` is called about every 100 ms from the
/// calling thread while the load runs (to sample the server's memory).
pub fn run(
    addr: SocketAddr,
    paths: &[String],
    connections: usize,
    duration: Duration,
    tick: &mut dyn FnMut(),
) -> LoadResult {
    let connections = connections.max(1);
    let done = AtomicUsize::new(0);
    let started = Instant::now();
    let deadline = started + duration;
    let per_conn: Vec<(Vec<f64>, u64, u64, u64)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..connections)
            .map(|c| {
                let done = &done;
                s.spawn(move || {
                    let r = connection(addr, paths, c, deadline);
                    done.fetch_add(1, Ordering::Relaxed);
                    r
                })
            })
            .collect();
        while done.load(Ordering::Relaxed) < connections {
            tick();
            std::thread::sleep(Duration::from_millis(100));
        }
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let seconds = started.elapsed().as_secs_f64();
    let mut samples = Vec::new();
    let mut out = LoadResult {
        connections,
        seconds,
        ..LoadResult::default()
    };
    for (lat, bad, io_err, bytes) in per_conn {
        out.ok += lat.len() as u64;
        samples.extend(lat);
        out.bad_status += bad;
        out.io_errors += io_err;
        out.body_bytes += bytes;
    }
    out.rps = rate(out.ok as f64, seconds);
    out.latency = Latency::of_ms(&samples);
    out
}

/// One connection's loop: (latencies of 200s in ms, other statuses, I/O errors, body bytes).
fn connection(
    addr: SocketAddr,
    paths: &[String],
    c: usize,
    deadline: Instant,
) -> (Vec<f64>, u64, u64, u64) {
    let (mut lat, mut bad, mut io_err, mut bytes) = (Vec::new(), 0, 0, 0);
    if paths.is_empty() {
        return (lat, bad, io_err, bytes);
    }
    let mut conn: Option<Conn> = None;
    let mut i = c * 7919 % paths.len();
    while Instant::now() < deadline {
        if conn.is_none() {
            match Conn::open(addr, Duration::from_secs(10)) {
                Ok(k) => conn = Some(k),
                Err(_) => {
                    io_err += 1;
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                }
            }
        }
        let Some(k) = conn.as_mut() else { continue };
        let t = Instant::now();
        match k.get(&paths[i]) {
            Ok(r) => {
                if r.status == 200 {
                    lat.push(t.elapsed().as_secs_f64() * 1e3);
                } else {
                    bad += 1;
                }
                bytes += r.body_bytes as u64;
                if r.close {
                    conn = None;
                }
            }
            Err(_) => {
                io_err += 1;
                conn = None;
            }
        }
        i = (i + 1) % paths.len();
    }
    (lat, bad, io_err, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses() {
        let cases: &[(&str, Option<(u16, usize, bool)>)] = &[
            (
                "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello",
                Some((200, 5, false)),
            ),
            (
                "HTTP/1.1 400 Bad Request\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
                Some((400, 2, true)),
            ),
            (
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n",
                Some((200, 5, false)),
            ),
            ("HTTP/1.1 204 No Content\r\n\r\n", Some((204, 0, false))),
            ("HTTP/1.1 200 OK\r\ncontent-length: 9\r\n\r\nshort", None),
            ("HTTP/1.1 200 OK\r\ncontent-length: x\r\n\r\n", None),
            ("garbage\r\n\r\n", None),
            ("", None),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", None),
        ];
        for (text, want) in cases {
            let got = read_response(&mut text.as_bytes())
                .ok()
                .map(|r| (r.status, r.body_bytes, r.close));
            assert_eq!(got, *want, "{text:?}");
        }
        // Two responses back to back on one connection.
        let two = "HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\naHTTP/1.1 404 NF\r\ncontent-length: 0\r\n\r\n";
        let mut r = two.as_bytes();
        assert_eq!(read_response(&mut r).unwrap().status, 200);
        assert_eq!(read_response(&mut r).unwrap().status, 404);
    }

    #[test]
    fn load_against_a_tiny_server() {
        use std::net::TcpListener;
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                std::thread::spawn(move || {
                    let mut r = BufReader::new(stream.try_clone().unwrap());
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if r.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        let bad = line.contains("/bad");
                        while line.trim_end() != "" {
                            line.clear();
                            if r.read_line(&mut line).unwrap_or(0) == 0 {
                                return;
                            }
                        }
                        let resp: &[u8] = if bad {
                            b"HTTP/1.1 500 X\r\ncontent-length: 0\r\n\r\n"
                        } else {
                            b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"
                        };
                        if stream.write_all(resp).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        let paths = vec!["/a".to_string(), "/bad".to_string()];
        let mut ticks = 0;
        let r = run(addr, &paths, 2, Duration::from_millis(300), &mut || {
            ticks += 1
        });
        assert!(r.ok > 10 && r.bad_status > 10, "{r:?}");
        assert_eq!(r.io_errors, 0);
        assert_eq!(r.body_bytes, 2 * r.ok);
        assert!(ticks >= 1);
        assert!(r.rps > 0.0 && r.latency.n as u64 == r.ok);
    }
}
