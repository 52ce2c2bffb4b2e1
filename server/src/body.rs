//! Reading a request body: its content type checked, its length capped here (whatever layers
//! sit in front), and every byte kept in buffers that are wiped when dropped.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, header};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use zeroize::Zeroizing;

/// Why a body could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    /// It is longer than the body limit (→ 413).
    TooLarge,
    /// The connection broke or the framing was invalid (→ 400).
    Broken,
}

/// Whether a Content-Type is `application/x-www-form-urlencoded`, alone or with a UTF-8
/// `charset` (what browsers send for this form).
pub fn is_form_urlencoded(content_type: Option<&HeaderValue>) -> bool {
    let Some(Ok(value)) = content_type.map(HeaderValue::to_str) else {
        return false;
    };
    let mut parts = value.split(';');
    let essence = parts.next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/x-www-form-urlencoded")
        && parts.all(|parameter| match parameter.split_once('=') {
            Some((name, value)) => {
                name.trim().eq_ignore_ascii_case("charset")
                    && value.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
            }
            None => parameter.trim().is_empty(),
        })
}

/// The Content-Length, when given and readable: only a hint for the first buffer's size.
pub fn expected_length(headers: &HeaderMap) -> Option<usize> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

/// Reads a whole body of at most `limit` bytes into a buffer that is wiped when dropped.
///
/// The limit is enforced here, so this function is safe whatever layers are in front of it;
/// `expected_length` (from Content-Length, which a client may lie about) is only believed up
/// to the limit. The buffer never reallocates in place: growing it copies into a new buffer
/// and wipes the old one, so no copy of the form is left behind in freed memory by this
/// function.
pub async fn read_body(
    body: Body,
    expected_length: Option<usize>,
    limit: usize,
) -> Result<Zeroizing<Vec<u8>>, BodyError> {
    const FIRST_CAPACITY: usize = 16 * 1024;
    let mut body = Limited::new(body, limit);
    let mut buffer = Zeroizing::new(Vec::with_capacity(
        expected_length.unwrap_or(FIRST_CAPACITY).min(limit),
    ));
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|error| {
            if is_length_limit(&*error) {
                BodyError::TooLarge
            } else {
                BodyError::Broken
            }
        })?;
        if let Ok(data) = frame.into_data() {
            append_wiping(&mut buffer, &data);
        }
    }
    Ok(buffer)
}

fn append_wiping(buffer: &mut Zeroizing<Vec<u8>>, data: &[u8]) {
    let needed = buffer.len() + data.len();
    if needed > buffer.capacity() {
        let mut grown = Zeroizing::new(Vec::with_capacity(needed.max(buffer.capacity() * 2)));
        grown.extend_from_slice(buffer);
        // Assigning drops (and so wipes) the old buffer.
        *buffer = grown;
    }
    buffer.extend_from_slice(data);
}

/// Whether the limit was hit: ours, or a limiting layer's further in (its error is nested).
fn is_length_limit(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if error.is::<LengthLimitError>() {
            return true;
        }
        cause = error.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_urlencoded_forms_in_utf8_are_accepted() {
        let accepts =
            |value: &str| is_form_urlencoded(Some(&HeaderValue::from_str(value).unwrap()));
        assert!(accepts("application/x-www-form-urlencoded"));
        assert!(accepts("Application/X-WWW-Form-URLEncoded ; charset=UTF-8"));
        assert!(accepts(
            "application/x-www-form-urlencoded;charset=\"utf-8\""
        ));
        assert!(!accepts(
            "application/x-www-form-urlencoded; charset=iso-8859-1"
        ));
        assert!(!accepts("application/x-www-form-urlencoded; boundary=x"));
        assert!(!accepts("multipart/form-data; boundary=x"));
        assert!(!accepts("application/json"));
        assert!(!accepts("text/plain"));
        assert!(!is_form_urlencoded(None));
    }

    #[test]
    fn a_growing_buffer_keeps_every_piece() {
        let mut buffer = Zeroizing::new(Vec::with_capacity(10));
        for i in 0..100u8 {
            append_wiping(&mut buffer, &[i; 1000]);
        }
        assert_eq!(buffer.len(), 100_000);
        assert!(
            buffer
                .chunks(1000)
                .enumerate()
                .all(|(i, c)| c.iter().all(|&b| usize::from(b) == i))
        );
    }

    #[tokio::test]
    async fn reads_a_whole_body() {
        let read = read_body(Body::from(vec![7u8; 5000]), None, 5000)
            .await
            .unwrap();
        assert_eq!(&read[..], &[7u8; 5000][..]);
    }

    #[tokio::test]
    async fn a_body_over_the_limit_is_too_large() {
        let limited = Limited::new(Body::from(vec![1u8; 2000]), 1000);
        assert_eq!(
            read_body(Body::new(limited), None, 10_000)
                .await
                .unwrap_err(),
            BodyError::TooLarge,
            "a limiting layer further in"
        );
        assert_eq!(
            read_body(Body::from(vec![1u8; 2000]), Some(10), 1000)
                .await
                .unwrap_err(),
            BodyError::TooLarge,
            "the limit given here, whatever Content-Length said"
        );
    }

    #[tokio::test]
    async fn a_lying_content_length_does_not_size_the_buffer() {
        let read = read_body(Body::from(vec![1u8; 10]), Some(usize::MAX), 1000)
            .await
            .unwrap();
        assert_eq!(read.len(), 10);
        assert!(read.capacity() <= 1000);
    }
}
