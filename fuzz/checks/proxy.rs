// The invariants of the onion listener's PROXY line parser, shared by the `proxy` fuzz target
// and `server/tests/fuzz_corpus.rs`. Included with `include!`, so no `use` of its own beyond
// what it names in full.

/// Parses `line` as the first line of an onion connection and checks what an accepted line
/// must be: at most 107 bytes, "PROXY " first, one CRLF at its very end; a Tor circuit comes
/// from Tor's own prefix, and writing that circuit's line again parses to the same circuit.
pub fn check_proxy_line(line: &[u8]) {
    use sealform_server::proxy_protocol::{MAX_LINE, ProxiedClient, parse_line};
    let Ok(client) = parse_line(line) else {
        return;
    };
    assert!(line.len() <= MAX_LINE, "an accepted line is at most {MAX_LINE} bytes");
    assert!(line.starts_with(b"PROXY "), "an accepted line starts with PROXY");
    assert!(line.ends_with(b"\r\n"), "an accepted line ends with CRLF");
    let body = &line[..line.len() - 2];
    assert!(
        !body.contains(&b'\r') && !body.contains(&b'\n'),
        "one line only"
    );
    if let ProxiedClient::Circuit(id) = client {
        let text = String::from_utf8_lossy(line).to_ascii_lowercase();
        assert!(text.contains("tcp6 "), "a circuit comes in a TCP6 line");
        let again = format!(
            "PROXY TCP6 fc00:dead:beef:4dad::{:x}:{:x} ::1 1 80\r\n",
            id >> 16,
            id & 0xffff
        );
        assert_eq!(parse_line(again.as_bytes()), Ok(ProxiedClient::Circuit(id)));
    }
}
