//! Shutdown finishes what is in flight and flushes; a panic is a plain 500.

use std::time::Duration;

use axum::Router;
use axum::routing::get;
use sealform_server::AppState;
use sealform_server::pages::texts;
use sealform_server::routes::with_common_layers;
use sealform_server::serve::{ConnectionLimits, serve};
use sealform_server::store::Store;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

use crate::support::{
    TestServer, assert_security_headers, client, config, fresh_token, read_for, valid_form,
};

#[tokio::test]
async fn shutdown_finishes_requests_in_flight_then_flushes() {
    let mut server = TestServer::start().await;
    let token = fresh_token(&client(), &server).await;
    let body = valid_form(&token, "Last One In");
    let (first_half, second_half) = body.split_at(body.len() / 2);

    let mut in_flight = TcpStream::connect(server.address).await.unwrap();
    let head = format!(
        "POST /sign HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\n\r\n{first_half}",
        body.len()
    );
    in_flight.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;

    server.signal_stop();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        TcpStream::connect(server.address).await.is_err(),
        "no new connections once shutting down"
    );

    in_flight.write_all(second_half.as_bytes()).await.unwrap();
    let answer = read_for(&mut in_flight, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(texts("en").thanks.title));

    let (records, _) = server.stop().await;
    assert_eq!(
        records.len(),
        1,
        "acknowledged before shutdown, on disk after"
    );
}

#[tokio::test]
async fn a_panicking_handler_answers_a_plain_500_with_the_headers() {
    let dir = tempfile::tempdir().unwrap();
    let identity = age::x25519::Identity::generate();
    let config = config(&dir.path().join("data"), &identity);
    let store = Store::open(&config.data_dir).unwrap();
    let state = AppState::new(config, store).unwrap();
    // The product's layers around a route that panics with something it must not show.
    let routes = Router::new().route("/boom", get(boom));
    let app = with_common_layers(routes, state);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let limits = ConnectionLimits {
        header_read_timeout: Duration::from_secs(10),
        max_connections: 8,
        max_per_client: None,
        trusted_proxies: Vec::new().into(),
        shutdown_grace: Duration::from_secs(5),
    };
    let serving = tokio::spawn(serve(app, listener, None, limits, async {
        let _ = stopped.await;
    }));

    let response = client()
        .get(format!("http://{address}/boom"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 500);
    assert_security_headers(&response, "500");
    let page = response.text().await.unwrap();
    assert!(page.contains(texts("en").server_error.title));
    assert!(!page.contains("Person X"), "no detail: {page}");
    assert!(!page.contains("panic"), "no detail: {page}");

    // The server is still there.
    let again = client()
        .get(format!("http://{address}/boom"))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 500);
    stop.send(()).unwrap();
    serving.await.unwrap();
}

async fn boom() -> &'static str {
    panic!("the testimony of Person X")
}
