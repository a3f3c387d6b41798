//! The server itself: actix-web's `HttpServer`, assembled from its parts (actix-server,
//! actix-http, the app) so that each connection can be wrapped in [`super::conn::JsonErrors`].
//! Settings are those of `HttpServer`'s defaults, plus graceful shutdown on SIGTERM/SIGINT.

use std::future::ready;
use std::io;
use std::net::{SocketAddr, TcpListener};
use std::time::Duration;

use actix_http::HttpService;
use actix_service::{fn_service, map_config, IntoServiceFactory, ServiceFactoryExt};
use actix_web::dev::{AppConfig, Server};
use actix_web::rt::net::TcpStream;
use actix_web::{web, App};

use super::conn::JsonErrors;
use super::{configure, AppState};

/// How long a shutdown waits for requests in flight.
const SHUTDOWN_SECS: u64 = 30;

/// Binds `addr` as actix-web does (SO_REUSEADDR, a backlog of 1,024 connections).
pub fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(1024)?;
    Ok(socket.into())
}

/// The server on `listener` (already bound): `workers` threads (default: one per core), each
/// running at most `blocking` searches at once.
pub fn server(
    listener: TcpListener,
    state: web::Data<AppState>,
    workers: Option<usize>,
    blocking: usize,
) -> io::Result<Server> {
    let addr = listener.local_addr()?;
    let mut builder = Server::build()
        .shutdown_timeout(SHUTDOWN_SECS)
        .worker_max_blocking_threads(blocking);
    if let Some(w) = workers {
        builder = builder.workers(w.max(1));
    }
    let signal = builder.graceful_shutdown_signal();
    builder
        .listen("kazsearch", listener, move || {
            let state = state.clone();
            let app = App::new().app_data(state).configure(configure);
            let app = app
                .into_factory()
                .map_err(|e: actix_web::Error| e.as_response_error().error_response());
            let signal = signal.clone();
            let http = HttpService::build()
                .keep_alive(Duration::from_secs(5))
                .client_request_timeout(Duration::from_secs(5))
                .client_disconnect_timeout(Duration::from_secs(1))
                .local_addr(addr)
                .graceful_shutdown_signal(move || {
                    let signal = signal.clone();
                    async move { signal.notified().await }
                })
                .h1(map_config(app, |_| AppConfig::default()));
            fn_service(|io: TcpStream| {
                let peer = io.peer_addr().ok();
                let _ = io.set_nodelay(true);
                ready(Ok::<_, actix_http::error::DispatchError>((
                    JsonErrors::new(io),
                    peer,
                )))
            })
            .and_then(http)
        })
        .map(|b| b.run())
}
