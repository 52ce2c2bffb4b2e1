//! Padmé padding (Nikitin et al., "Reducing Metadata Leakage from Encrypted Files and
//! Communication with PURBs", PETS 2019, algorithm 1).

use zeroize::Zeroizing;

use crate::Error;

/// The Padmé length for a plaintext of `len` bytes: `len` rounded up so that only the top
/// O(log log len) bits vary. Overhead is at most about 12%, and less for longer inputs.
pub fn padme(len: u64) -> u64 {
    if len < 2 {
        return len;
    }
    let exponent = len.ilog2(); // E = floor(log2 L)
    let size_bits = exponent.ilog2() + 1; // S = floor(log2 E) + 1
    let low_bits = exponent - size_bits; // bits to zero
    let mask = (1u64 << low_bits) - 1;
    (len + mask) & !mask
}

/// Appends zero bytes to `json` up to its Padmé length.
pub fn pad(json: &[u8]) -> Zeroizing<Vec<u8>> {
    let target = usize::try_from(padme(json.len() as u64)).expect("padded length fits in memory");
    let mut padded = Zeroizing::new(Vec::with_capacity(target));
    padded.extend_from_slice(json);
    padded.resize(target, 0);
    padded
}

/// Returns the JSON inside a padded plaintext, checking that the padding is exactly what
/// [`pad`] writes: zero bytes up to the Padmé length, nothing else.
pub fn unpad(padded: &[u8]) -> Result<&[u8], Error> {
    let json_len = padded.iter().position(|&b| b == 0).unwrap_or(padded.len());
    let (json, padding) = padded.split_at(json_len);
    let expected = padme(json_len as u64);
    if expected != padded.len() as u64 || padding.iter().any(|&b| b != 0) {
        return Err(Error::BadPadding {
            expected,
            found: padded.len() as u64,
        });
    }
    Ok(json)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Values worked by hand from algorithm 1 of the paper.
    #[test]
    fn padme_matches_the_paper() {
        let table: &[(u64, u64)] = &[
            (0, 0),
            (1, 1),
            (2, 2),
            (3, 3),
            (4, 4),
            (7, 7),
            (8, 8),
            (9, 10), // E=3, S=2: 1 low bit
            (10, 10),
            (11, 12),
            (15, 16),
            (16, 16), // E=4, S=3: 1 low bit
            (17, 18),
            (31, 32),
            (33, 36), // E=5, S=3: 2 low bits
            (100, 104),
            (255, 256),
            (256, 256), // E=8, S=4: 4 low bits
            (257, 272),
            (1000, 1024), // E=9, S=4: 5 low bits
            (1025, 1088), // E=10, S=4: 6 low bits
            (65_536, 65_536),
            (65_537, 67_584),       // E=16, S=5: 11 low bits
            (1_000_000, 1_015_808), // E=19, S=5: 14 low bits
        ];
        for &(len, padded) in table {
            assert_eq!(padme(len), padded, "padme({len})");
        }
    }

    #[test]
    fn unpad_refuses_nonzero_padding_and_wrong_lengths() {
        // 33 bytes of JSON pad to 36.
        let json = br#"{"v":1,"campaign":"a-campaign-id"}"#;
        let mut padded = pad(json).to_vec();
        assert_eq!(padded.len(), 36);
        assert_eq!(unpad(&padded).unwrap(), json);
        padded.push(0);
        assert!(matches!(unpad(&padded), Err(Error::BadPadding { .. })));
        padded.pop();
        *padded.last_mut().unwrap() = b'x';
        assert!(matches!(unpad(&padded), Err(Error::BadPadding { .. })));
    }

    proptest! {
        #[test]
        fn padme_is_monotone_and_bounded(len in 2u64..(1 << 40)) {
            let padded = padme(len);
            prop_assert!(padded >= len);
            prop_assert!(padme(len + 1) >= padded);
            // Overhead bound from the paper: at most 12% for L >= 2^8.
            if len >= 256 {
                prop_assert!((padded - len) * 100 <= len * 12);
            }
        }

        #[test]
        fn pad_then_unpad_round_trips(json in "[^\u{0}]{0,2000}") {
            let padded = pad(json.as_bytes());
            prop_assert_eq!(padded.len() as u64, padme(json.len() as u64));
            prop_assert_eq!(unpad(&padded).unwrap(), json.as_bytes());
        }
    }
}
