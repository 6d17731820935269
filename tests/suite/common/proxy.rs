//! A fault-injecting TCP proxy on 127.0.0.1, between the AWS SDK and a real
//! DynamoDB-compatible server (dynoxide's HTTP server, moto). It forwards
//! HTTP/1.1 requests one by one and, for the requests a test picks by
//! operation, loses the answer in a chosen way: after the server has
//! applied the request (drop, 500, a cut-off or unreadable 200, no answer at
//! all), or by repeating a page's start key as its `LastEvaluatedKey`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the proxy does to a request it picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Forwards it, waits for the server's answer, then closes the client's
    /// connection without answering.
    DropAfterForward,
    /// Forwards it, then answers `500 InternalServerError`.
    ServerErrorAfterForward,
    /// Forwards it, then sends the server's `200` with half its body and closes.
    TruncatedOk,
    /// Forwards it, then sends the server's `200` with no length (its body
    /// ends at the close) and half its body, and closes: the client reads a
    /// whole body that is no whole JSON.
    TruncatedOkUntilClose,
    /// Forwards it, then answers `200` with a body that is no JSON.
    GarbageOk,
    /// Forwards it, then never answers (until the client gives up, or 60 s).
    NoAnswer,
    /// A Query or Scan page answered with no items and its own start key as
    /// `LastEvaluatedKey`: a walk that would never end.
    RepeatStartKey,
    /// Not forwarded: answered as ScyllaDB Alternator answers an operation
    /// it does not implement (TransactWriteItems, TransactGetItems).
    UnsupportedOperation,
}

impl Fault {
    /// Every fault that loses the answer of an applied request.
    pub const LOST_ANSWERS: [Fault; 6] = [
        Fault::DropAfterForward,
        Fault::ServerErrorAfterForward,
        Fault::TruncatedOk,
        Fault::TruncatedOkUntilClose,
        Fault::GarbageOk,
        Fault::NoAnswer,
    ];
}

#[derive(Default)]
struct State {
    /// Operation -> (fault, how many more requests get it).
    rules: HashMap<String, (Fault, usize)>,
    /// Operation -> requests forwarded to the server.
    forwarded: HashMap<String, usize>,
}

/// The proxy; it stops serving when the test's runtime ends.
#[derive(Clone)]
pub struct FaultProxy {
    /// `http://127.0.0.1:PORT`, for the SDK client.
    pub endpoint: String,
    state: Arc<Mutex<State>>,
}

impl FaultProxy {
    /// A proxy in front of `upstream` (`http://127.0.0.1:PORT`).
    pub async fn start(upstream: &str) -> FaultProxy {
        let upstream = upstream.trim_start_matches("http://").to_owned();
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let endpoint = format!("http://{}", listener.local_addr().expect("address"));
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(serve(client, upstream.clone(), shared.clone()));
            }
        });
        FaultProxy { endpoint, state }
    }

    /// The next `times` requests of `operation` (e.g. `PutItem`) get `fault`.
    pub fn inject(&self, operation: &str, fault: Fault, times: usize) {
        let mut state = self.state.lock().expect("not poisoned");
        state.rules.insert(operation.to_owned(), (fault, times));
    }

    /// Faults injected and not yet dealt out.
    pub fn pending(&self) -> usize {
        let state = self.state.lock().expect("not poisoned");
        state.rules.values().map(|(_, left)| left).sum()
    }

    /// No more faults.
    pub fn clear(&self) {
        self.state.lock().expect("not poisoned").rules.clear();
    }

    /// How many `operation` requests reached the server.
    pub fn forwarded(&self, operation: &str) -> usize {
        let state = self.state.lock().expect("not poisoned");
        state.forwarded.get(operation).copied().unwrap_or(0)
    }
}

/// A server started for the test (`kind`: dynoxide's HTTP server or moto), a
/// connection straight to it, and one through a fault proxy in front of it,
/// both under one fresh table prefix. The proxied connection retries fast
/// (4 attempts, 1-20 ms apart) and gives up on an attempt after 400 ms and
/// on a request after 5 s, so faults cost tests little time.
pub async fn behind_proxy(
    kind: super::EngineKind,
) -> (
    dynamodb_mapper::Connection,
    dynamodb_mapper::Connection,
    FaultProxy,
) {
    use dynamodb_mapper::operation::{RetryPolicy, Timeouts};
    let upstream = match kind {
        super::EngineKind::DynoxideHttp => super::start_dynoxide_http().await,
        super::EngineKind::Moto => super::moto_endpoint().to_owned(),
        super::EngineKind::Embedded => unreachable!("the proxy sits on HTTP"),
    };
    let proxy = FaultProxy::start(&upstream).await;
    let prefix = super::unique_prefix();
    let direct = super::sdk_connection(&upstream).with_table_prefix(prefix.clone());
    let faulty = super::sdk_connection(&proxy.endpoint)
        .with_table_prefix(prefix)
        .with_retry_policy(RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(20),
        })
        .with_timeouts(
            Timeouts::default()
                .attempt(Duration::from_millis(400))
                .operation(Duration::from_secs(5)),
        );
    (direct, faulty, proxy)
}

fn pick(state: &Mutex<State>, operation: &str) -> Option<Fault> {
    let mut state = state.lock().expect("not poisoned");
    let (fault, left) = state.rules.get_mut(operation)?;
    if *left == 0 {
        return None;
    }
    *left -= 1;
    Some(*fault)
}

/// One HTTP message: its head (start line and headers) and body.
struct Message {
    head: String,
    body: Vec<u8>,
}

impl Message {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    /// The message's head without the headers named `dropped`, each line
    /// ended.
    fn head_without(&self, dropped: &[&str]) -> String {
        let mut out = String::new();
        for (i, line) in self.head.lines().enumerate() {
            let name = line
                .split(':')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if i > 0 && dropped.contains(&name.as_str()) {
                continue;
            }
            out.push_str(line);
            out.push_str("\r\n");
        }
        out
    }

    /// The message with `body` and a Content-Length of its own.
    fn to_bytes(&self, body: &[u8]) -> Vec<u8> {
        let mut out = self.head_without(&["content-length", "transfer-encoding"]);
        out.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
        let mut bytes = out.into_bytes();
        bytes.extend_from_slice(body);
        bytes
    }

    /// The message with `body` and no length: the body ends at the close.
    fn to_bytes_until_close(&self, body: &[u8]) -> Vec<u8> {
        let mut out = self.head_without(&["content-length", "transfer-encoding", "connection"]);
        out.push_str("connection: close\r\n\r\n");
        let mut bytes = out.into_bytes();
        bytes.extend_from_slice(body);
        bytes
    }
}

/// Reads one message; `None` at a clean end of the stream.
async fn read_message(
    stream: &mut (impl AsyncRead + Unpin),
    buffer: &mut Vec<u8>,
) -> Option<Message> {
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        if !fill(stream, buffer).await {
            return None;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    buffer.drain(..head_end + 4);
    let mut message = Message {
        head,
        body: Vec::new(),
    };
    if message
        .header("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        message.body = read_chunked(stream, buffer).await?;
    } else {
        let length: usize = message
            .header("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        while buffer.len() < length {
            if !fill(stream, buffer).await {
                return None;
            }
        }
        message.body = buffer.drain(..length).collect();
    }
    Some(message)
}

async fn read_chunked(
    stream: &mut (impl AsyncRead + Unpin),
    buffer: &mut Vec<u8>,
) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(at) = buffer.windows(2).position(|w| w == b"\r\n") {
                break at;
            }
            if !fill(stream, buffer).await {
                return None;
            }
        };
        let size_text = String::from_utf8_lossy(&buffer[..line_end]).into_owned();
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        buffer.drain(..line_end + 2);
        while buffer.len() < size + 2 {
            if !fill(stream, buffer).await {
                return None;
            }
        }
        body.extend(buffer.drain(..size));
        buffer.drain(..2);
        if size == 0 {
            return Some(body);
        }
    }
}

async fn fill(stream: &mut (impl AsyncRead + Unpin), buffer: &mut Vec<u8>) -> bool {
    let mut chunk = [0u8; 16 * 1024];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => false,
        Ok(read) => {
            buffer.extend_from_slice(&chunk[..read]);
            true
        }
    }
}

/// Serves one client connection, request by request.
async fn serve(mut client: TcpStream, upstream: String, state: Arc<Mutex<State>>) {
    let mut buffer = Vec::new();
    while let Some(request) = read_message(&mut client, &mut buffer).await {
        let operation = request
            .header("x-amz-target")
            .and_then(|t| t.rsplit('.').next())
            .unwrap_or("")
            .to_owned();
        let fault = pick(&state, &operation);
        if fault == Some(Fault::UnsupportedOperation) {
            if client.write_all(&unsupported(&operation)).await.is_err() {
                return;
            }
            continue;
        }
        let Some(response) = forward(&upstream, &request).await else {
            return;
        };
        *state
            .lock()
            .expect("not poisoned")
            .forwarded
            .entry(operation)
            .or_default() += 1;
        let answer = match fault {
            None => response.to_bytes(&response.body),
            Some(Fault::DropAfterForward) => return,
            Some(Fault::ServerErrorAfterForward) => server_error(),
            Some(Fault::TruncatedOk) => {
                let mut bytes = response.to_bytes(&response.body);
                bytes.truncate(bytes.len() - response.body.len().div_ceil(2));
                let _ = client.write_all(&bytes).await;
                return;
            }
            Some(Fault::TruncatedOkUntilClose) => {
                let half = &response.body[..response.body.len() / 2];
                let _ = client.write_all(&response.to_bytes_until_close(half)).await;
                // A clean close: for the client, the body ends here.
                let _ = client.shutdown().await;
                return;
            }
            Some(Fault::GarbageOk) => response.to_bytes(b"<html>this is no JSON</html>"),
            Some(Fault::NoAnswer) => {
                // Hold the connection until the client gives up on it.
                let mut sink = [0u8; 1024];
                let _ = tokio::time::timeout(Duration::from_secs(60), client.read(&mut sink)).await;
                return;
            }
            Some(Fault::RepeatStartKey) => {
                response.to_bytes(&repeat_start_key(&request, &response))
            }
            // Answered above, before forwarding.
            Some(Fault::UnsupportedOperation) => return,
        };
        if client.write_all(&answer).await.is_err() {
            return;
        }
    }
}

/// Sends the request to the server on a connection of its own and reads the answer.
async fn forward(upstream: &str, request: &Message) -> Option<Message> {
    let mut server = TcpStream::connect(upstream).await.ok()?;
    server
        .write_all(&request.to_bytes(&request.body))
        .await
        .ok()?;
    let mut buffer = Vec::new();
    tokio::time::timeout(
        Duration::from_secs(30),
        read_message(&mut server, &mut buffer),
    )
    .await
    .ok()
    .flatten()
}

fn server_error() -> Vec<u8> {
    let body = r#"{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"injected by the test proxy"}"#;
    format!(
        "HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/x-amz-json-1.0\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Alternator's answer to an operation it does not implement.
fn unsupported(operation: &str) -> Vec<u8> {
    let body = format!(
        r#"{{"__type":"com.amazonaws.dynamodb.v20120810#UnknownOperationException","message":"Unsupported operation {operation}"}}"#
    );
    format!(
        "HTTP/1.1 400 Bad Request\r\ncontent-type: application/x-amz-json-1.0\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// The page's answer with no items, and the request's start key as its last key.
fn repeat_start_key(request: &Message, response: &Message) -> Vec<u8> {
    let sent: serde_json::Value = serde_json::from_slice(&request.body).unwrap_or_default();
    let mut answer: serde_json::Value = match serde_json::from_slice(&response.body) {
        Ok(answer) => answer,
        Err(_) => return response.body.clone(),
    };
    if let (Some(start), Some(object)) = (sent.get("ExclusiveStartKey"), answer.as_object_mut()) {
        object.insert("LastEvaluatedKey".into(), start.clone());
        object.insert("Items".into(), serde_json::Value::Array(Vec::new()));
        object.insert("Count".into(), 0.into());
    }
    serde_json::to_vec(&answer).unwrap_or_default()
}
