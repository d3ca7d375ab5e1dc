//! Throughput of the emulator on loopback: requests per second and p50/p99
//! latency for `getToken`, `getAllTokens` and `createToken` (in memory, and
//! with a `--state` file) at 16 concurrent keep-alive connections.
//!
//! ```sh
//! cargo bench -p logzio-shared-tokens-emulator --bench throughput
//! BENCH_SECONDS=10 BENCH_CONNECTIONS=16 cargo bench -p logzio-shared-tokens-emulator --bench throughput
//! ```
//!
//! The load generator is a minimal HTTP/1.1 client on raw sockets (one
//! connection per worker, like `wrk -c16`), so that client overhead takes as
//! little of the machine from the server as possible. Server and load
//! generator run on separate runtimes in this one process.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use logzio_shared_tokens_emulator::{Config, Emulator};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const API_TOKEN: &str = "bench-api-token";

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing
    // of the sort and wants a quick smoke run instead.
    let benchmarking = std::env::args().any(|arg| arg == "--bench");
    let seconds = if benchmarking {
        env_number("BENCH_SECONDS", 5)
    } else {
        1
    };
    let connections = env_number("BENCH_CONNECTIONS", 16) as usize;
    let duration = Duration::from_secs(seconds);

    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let client = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let state_dir = tempfile::tempdir().unwrap();

    let config = |state: Option<std::path::PathBuf>| Config {
        api_tokens: vec![API_TOKEN.into()],
        max_concurrent: 1_000,
        state_file: state,
        ..Config::for_tests()
    };
    let memory = server.block_on(Emulator::start(config(None))).unwrap();
    let persistent = server
        .block_on(Emulator::start(config(Some(
            state_dir.path().join("bench-state.json"),
        ))))
        .unwrap();

    println!("emulator throughput, {connections} connections, {seconds}s per scenario, loopback");
    println!(
        "{:<28} {:>10} {:>10} {:>10} {:>10} {:>7}",
        "scenario", "requests", "req/s", "p50 µs", "p99 µs", "errors"
    );
    client.block_on(async {
        let addr = memory.local_addr();
        // A realistic small account: 10 tokens, one of which `get` reads.
        let mut token_id = 0;
        for index in 0..10 {
            let reply = exchange_once(addr, &create_request(&format!("seed-{index}"))).await;
            token_id = id_of(&reply);
        }
        let get = request("GET", &format!("/v1/shared-tokens/{token_id}"), None);
        let list = request("GET", "/v1/shared-tokens", None);
        let create = create_request("bench");
        let scenarios: [(&str, SocketAddr, &[u8]); 4] = [
            ("getToken", addr, &get),
            ("getAllTokens (10 tokens)", addr, &list),
            ("createToken", addr, &create),
            ("createToken --state", persistent.local_addr(), &create),
        ];
        for (name, addr, request) in scenarios {
            let result = load(addr, request, connections, duration).await;
            result.print(name);
        }
    });
    server.block_on(async {
        memory.shutdown().await;
        persistent.shutdown().await;
    });
}

fn request(method: &str, path: &str, body: Option<&str>) -> Vec<u8> {
    let mut text =
        format!("{method} {path} HTTP/1.1\r\nHost: bench\r\nX-API-TOKEN: {API_TOKEN}\r\n");
    if let Some(body) = body {
        text.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ));
    } else {
        text.push_str("\r\n");
    }
    text.into_bytes()
}

fn create_request(name: &str) -> Vec<u8> {
    request(
        "POST",
        "/v1/shared-tokens",
        Some(&format!(r#"{{"tokenName":"{name}"}}"#)),
    )
}

fn id_of(reply: &Reply) -> i64 {
    let body: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
    body["id"].as_i64().unwrap()
}

struct Reply {
    status: u16,
    body: Vec<u8>,
}

/// One keep-alive HTTP/1.1 connection that sends a request and reads the
/// answer (Content-Length framed, which is all the emulator sends).
struct Connection {
    stream: TcpStream,
    buffer: Vec<u8>,
}

impl Connection {
    async fn open(addr: SocketAddr) -> Self {
        let stream = TcpStream::connect(addr).await.unwrap();
        stream.set_nodelay(true).unwrap();
        Self {
            stream,
            buffer: Vec::with_capacity(16 * 1024),
        }
    }

    async fn exchange(&mut self, request: &[u8]) -> Reply {
        self.stream.write_all(request).await.unwrap();
        loop {
            if let Some(reply) = self.take_reply() {
                return reply;
            }
            let mut chunk = [0u8; 16 * 1024];
            let read = self.stream.read(&mut chunk).await.unwrap();
            assert!(read > 0, "the server closed the connection");
            self.buffer.extend_from_slice(&chunk[..read]);
        }
    }

    fn take_reply(&mut self) -> Option<Reply> {
        let head_end = self.buffer.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
        let head = std::str::from_utf8(&self.buffer[..head_end]).unwrap();
        let status = head[9..12].parse().unwrap();
        let length = head
            .lines()
            .find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse::<usize>().unwrap())
            })
            .unwrap_or(0);
        if self.buffer.len() < head_end + length {
            return None;
        }
        let body = self.buffer[head_end..head_end + length].to_vec();
        self.buffer.drain(..head_end + length);
        Some(Reply { status, body })
    }
}

async fn exchange_once(addr: SocketAddr, request: &[u8]) -> Reply {
    Connection::open(addr).await.exchange(request).await
}

struct LoadResult {
    latencies_micros: Vec<u32>,
    errors: usize,
    elapsed: Duration,
}

impl LoadResult {
    fn print(mut self, name: &str) {
        self.latencies_micros.sort_unstable();
        let count = self.latencies_micros.len();
        let percentile = |p: f64| {
            if count == 0 {
                return 0;
            }
            let rank = ((p * count as f64).ceil() as usize).clamp(1, count);
            self.latencies_micros[rank - 1]
        };
        println!(
            "{:<28} {:>10} {:>10.0} {:>10} {:>10} {:>7}",
            name,
            count,
            count as f64 / self.elapsed.as_secs_f64(),
            percentile(0.50),
            percentile(0.99),
            self.errors
        );
    }
}

/// `connections` workers, each on its own connection, sending `request`
/// back to back for `duration`.
async fn load(
    addr: SocketAddr,
    request: &[u8],
    connections: usize,
    duration: Duration,
) -> LoadResult {
    let started = Instant::now();
    let deadline = started + duration;
    let workers: Vec<_> = (0..connections)
        .map(|_| {
            let request = request.to_vec();
            tokio::spawn(async move {
                let mut connection = Connection::open(addr).await;
                let mut latencies = Vec::with_capacity(100_000);
                let mut errors = 0;
                while Instant::now() < deadline {
                    let sent = Instant::now();
                    let reply = connection.exchange(&request).await;
                    latencies.push(sent.elapsed().as_micros().min(u32::MAX as u128) as u32);
                    if reply.status != 200 {
                        errors += 1;
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut result = LoadResult {
        latencies_micros: Vec::new(),
        errors: 0,
        elapsed: Duration::ZERO,
    };
    for worker in workers {
        let (latencies, errors) = worker.await.unwrap();
        result.latencies_micros.extend(latencies);
        result.errors += errors;
    }
    result.elapsed = started.elapsed();
    result
}
