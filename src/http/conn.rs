//! JSON for the errors the HTTP layer answers by itself, before any route runs.
//!
//! actix-http refuses a request head over 128 KB with a bodiless 431, and a request it cannot
//! parse (a URL over the 65,534 bytes the `http` crate reads, a malformed header) with a
//! bodiless 400; neither passes through the app, its middleware or its error handlers. The
//! server therefore wraps each connection in [`JsonErrors`], which recognises those two
//! responses as they are written (a 400 or 431 with `content-length: 0` and no content type:
//! every response of the app has a JSON or asset content type) and writes the API's JSON error
//! instead. Both end the connection, so nothing follows them on the wire.

use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::error::ApiError;

/// A connection whose bodiless protocol errors are rewritten as JSON.
pub struct JsonErrors<T> {
    io: T,
    /// A replacement response being written, and how much of it is out.
    pending: Option<(Vec<u8>, usize)>,
    /// Length of the line being read, and the longest line read so far.
    line: usize,
    longest: usize,
}

impl<T> JsonErrors<T> {
    /// Wraps `io`.
    pub fn new(io: T) -> JsonErrors<T> {
        JsonErrors {
            io,
            pending: None,
            line: 0,
            longest: 0,
        }
    }
}

/// Where a protocol-error head starts in `buf` and where it ends (after its blank line).
fn find_error_head(buf: &[u8]) -> Option<(usize, usize, u16)> {
    let mut from = 0;
    while let Some(i) = find(&buf[from..], b"HTTP/1.") {
        let start = from + i;
        let rest = &buf[start..];
        let status = match rest.get(8..13) {
            Some(b" 400 ") => 400,
            Some(b" 431 ") => 431,
            _ => {
                from = start + 1;
                continue;
            }
        };
        let end = find(rest, b"\r\n\r\n")? + 4;
        let head = String::from_utf8_lossy(&rest[..end]).to_ascii_lowercase();
        if head.contains("\r\ncontent-length: 0\r\n") && !head.contains("\r\ncontent-type:") {
            return Some((start, start + end, status));
        }
        from = start + 1;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The JSON response that replaces actix-http's bodiless `status`, given the longest line
/// of the request (the request line, when the URL was too long).
pub fn replacement(status: u16, longest_line: usize) -> Vec<u8> {
    let (status, err) = match status {
        431 => (
            431,
            ApiError::BadRequest {
                code: "header_too_large",
                param: "headers",
                message: "the request head (URL and headers) is over 128 KB".into(),
            },
        ),
        _ if longest_line > super::MAX_URI_BYTES => (414, ApiError::UriTooLong(longest_line)),
        _ => (
            400,
            ApiError::BadRequest {
                code: "bad_request",
                param: "request",
                message: "the request is not valid HTTP/1.1".into(),
            },
        ),
    };
    let mut body = serde_json::json!({"error": {"code": err.code(), "message": err.to_string()}});
    if let ApiError::BadRequest { param, .. } = &err {
        body["error"]["param"] = (*param).into();
    }
    let body = body.to_string();
    let reason = match status {
        431 => "Request Header Fields Too Large",
        414 => "URI Too Long",
        _ => "Bad Request",
    };
    super::metrics::global().request("other", status, 0.0);
    tracing::info!(target: "kazsearch::access", status, "- (unparsed request) {status}");
    format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nx-content-type-options: nosniff\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

impl<T: AsyncWrite + Unpin> JsonErrors<T> {
    /// Writes out a pending replacement; Ready(Ok) once none is left.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some((bytes, at)) = &mut self.pending {
            let n = ready!(Pin::new(&mut self.io).poll_write(cx, &bytes[*at..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *at += n;
            if *at == bytes.len() {
                self.pending = None;
            }
        }
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for JsonErrors<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        ready!(Pin::new(&mut self.io).poll_read(cx, buf))?;
        let this = &mut *self;
        for &b in &buf.filled()[before..] {
            if b == b'\n' {
                this.line = 0;
            } else {
                this.line += 1;
                this.longest = this.longest.max(this.line);
            }
        }
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for JsonErrors<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        ready!(this.drain(cx))?;
        match find_error_head(buf) {
            // Write what comes before the error; it is handled by the next call.
            Some((start, _, _)) if start > 0 => {
                Pin::new(&mut this.io).poll_write(cx, &buf[..start])
            }
            Some((_, end, status)) => {
                this.pending = Some((replacement(status, this.longest), 0));
                // The original head counts as written; the replacement goes out first on
                // every later write, flush or shutdown.
                let _ = this.drain(cx)?;
                Poll::Ready(Ok(end))
            }
            None => Pin::new(&mut this.io).poll_write(cx, buf),
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        ready!(this.drain(cx))?;
        Pin::new(&mut this.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        ready!(this.drain(cx))?;
        Pin::new(&mut this.io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bodiless_protocol_errors_are_found() {
        let err431 = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\nconnection: close\r\ndate: x\r\n\r\n";
        let app400 = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 20\r\ncontent-type: application/json\r\n\r\n{\"error\":{}}12345678";
        let err400 = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(find_error_head(err431), Some((0, err431.len(), 431)));
        assert_eq!(find_error_head(app400), None);
        let mut both = app400.to_vec();
        both.extend_from_slice(err400);
        assert_eq!(
            find_error_head(&both),
            Some((app400.len(), both.len(), 400))
        );
        assert_eq!(
            find_error_head(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"),
            None
        );
    }

    #[test]
    fn replacements_are_json_with_the_right_status() {
        let cases = [
            (431, 10, "431", "header_too_large"),
            (400, 70_000, "414", "uri_too_long"),
            (400, 100, "400", "bad_request"),
        ];
        for (status, longest, want_status, code) in cases {
            let r = String::from_utf8(replacement(status, longest)).unwrap();
            assert!(r.starts_with(&format!("HTTP/1.1 {want_status} ")), "{r}");
            let (head, body) = r.split_once("\r\n\r\n").unwrap();
            assert!(head.contains(&format!("content-length: {}", body.len())));
            let v: serde_json::Value = serde_json::from_str(body).unwrap();
            assert_eq!(v["error"]["code"], code);
        }
    }
}
