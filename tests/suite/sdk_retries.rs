//! The `aws` engine retries in one place, the connection's `RetryPolicy`,
//! whatever retry configuration the SDK client came with: against a server
//! that takes each request and hangs up without answering, a conditional
//! write is sent once (its outcome is unknown, so repeating it could report
//! a conflict with our own write; the mapper reads its key instead), and a
//! read is sent exactly as many times as the policy allows, not that times
//! the SDK's own attempts. Server errors (HTTP 5xx), even with an error code
//! nobody knows, are retried for reads.

use crate::common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::models::Player;
use dynamodb_mapper::error::EngineErrorKind;
use dynamodb_mapper::operation::RetryPolicy;
use dynamodb_mapper::{Connection, Document, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A server on 127.0.0.1 that reads each request and closes the connection
/// without a response; it counts the requests it swallowed.
async fn hang_up_server() -> (String, Arc<AtomicUsize>) {
    scripted_server(|_| None).await
}

/// A server on 127.0.0.1 that answers request `n` (from 0) with `answer(n)`,
/// a whole HTTP response, or hangs up when that is `None`; it counts requests.
async fn scripted_server(answer: fn(usize) -> Option<String>) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 64 * 1024];
                // The whole request has arrived once the body is in: these
                // requests are small, one or two reads.
                let mut seen = Vec::new();
                while let Ok(read) = socket.read(&mut buffer).await {
                    if read == 0 {
                        return;
                    }
                    seen.extend_from_slice(&buffer[..read]);
                    if request_is_complete(&seen) {
                        let n = counter.fetch_add(1, Ordering::SeqCst);
                        if let Some(response) = answer(n) {
                            let _ = socket.write_all(response.as_bytes()).await;
                        }
                        return; // then hang up
                    }
                }
            });
        }
    });
    (format!("http://{address}"), requests)
}

fn request_is_complete(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    let length = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())
                .flatten()
        })
        .unwrap_or(0);
    body.len() >= length
}

fn connection(endpoint: &str) -> Connection {
    Connection::from_client(common::sdk_client(endpoint)).with_retry_policy(RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
    })
}

fn engine_error_kind<T: std::fmt::Debug>(result: Result<T, Error>) -> EngineErrorKind {
    match result {
        Err(Error::Engine { source, .. }) => source.kind,
        other => panic!("expected an engine error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_conditional_write_whose_answer_is_lost_is_sent_once() {
    let (endpoint, requests) = hang_up_server().await;
    let conn = connection(&endpoint);
    let mut ann = Document::new(Player {
        login: "ann".into(),
        ..Default::default()
    });
    let result = conn.save(&mut ann).raise_on_conflict().await;
    // The put once, then its key read (4 attempts, all lost too): the
    // outcome is unknown, and said so.
    assert!(
        matches!(&result, Err(Error::OutcomeUnknown { operation: "PutItem", source, .. }) if source.kind == EngineErrorKind::Transport),
        "{result:?}"
    );
    assert_eq!(
        requests.load(Ordering::SeqCst),
        5,
        "the SDK must not resend a write whose outcome is unknown"
    );
    assert!(!ann.is_loaded());
}

#[tokio::test]
async fn a_read_is_sent_as_often_as_the_policy_says() {
    let (endpoint, requests) = hang_up_server().await;
    let conn = connection(&endpoint);
    let result = conn.get::<Player>("ann".into()).await;
    assert_eq!(engine_error_kind(result), EngineErrorKind::Transport);
    assert_eq!(
        requests.load(Ordering::SeqCst),
        4,
        "one retry layer: the policy's 4 attempts, not 4 times the SDK's"
    );
}

fn http_response(status: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/x-amz-json-1.0\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[tokio::test]
async fn server_errors_are_retried_even_with_an_unknown_code() {
    let (endpoint, requests) = scripted_server(|n| {
        Some(if n < 2 {
            http_response(
                "500 Internal Server Error",
                r#"{"__type":"com.amazonaws.dynamodb.v20120810#SomethingNewException","message":"try again"}"#,
            )
        } else {
            http_response("200 OK", "{}")
        })
    })
    .await;
    let conn = connection(&endpoint);
    let found = conn
        .get::<Player>("ann".into())
        .await
        .expect("answered on the third try");
    assert!(found.is_none());
    assert_eq!(requests.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn an_engine_error_keeps_the_sdk_error_and_the_request_id() {
    let (endpoint, _) = scripted_server(|_| {
        Some(
            "HTTP/1.1 400 Bad Request\r\ncontent-type: application/x-amz-json-1.0\r\nx-amzn-requestid: req-42\r\ncontent-length: 89\r\nconnection: close\r\n\r\n{\"__type\":\"com.amazonaws.dynamodb.v20120810#ValidationException\",\"message\":\"bad key    \"}"
                .to_owned(),
        )
    })
    .await;
    let conn = connection(&endpoint);
    let error = conn.get::<Player>("ann".into()).await.expect_err("refused");
    let engine = error.engine_error().expect("an engine error");
    assert_eq!(engine.kind, EngineErrorKind::Validation);
    assert_eq!(engine.request_id.as_deref(), Some("req-42"));
    // The chain: Error -> EngineError -> the SDK's own error, to downcast to.
    let cause = std::error::Error::source(&error).expect("the engine error");
    let sdk = cause.source().expect("the SDK error");
    assert!(sdk
        .downcast_ref::<aws_sdk_dynamodb::error::SdkError<
            aws_sdk_dynamodb::operation::get_item::GetItemError,
            aws_sdk_dynamodb::config::http::HttpResponse,
        >>()
        .is_some());
}
