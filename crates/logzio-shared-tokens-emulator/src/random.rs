//! Randomness: secrets (shared token values, the dev API token) come straight
//! from the OS RNG; the cheap draws for fault injection and latency come from a
//! lock-free generator seeded by the OS RNG, because they need no secrecy and
//! run on every request.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::EmulatorError;

/// 128 bits from the OS RNG, formatted like a UUID (8-4-4-4-12 lower-case hex)
/// because Logz.io's shared tokens look like that. Unlike a v4 UUID no bits
/// are spent on a version, so all 128 are random.
pub(crate) fn shared_token_value() -> Result<String, EmulatorError> {
    let bytes = os_random::<16>()?;
    let mut text = String::with_capacity(36);
    for (index, byte) in bytes.iter().enumerate() {
        if matches!(index, 4 | 6 | 8 | 10) {
            text.push('-');
        }
        let _ = write!(text, "{byte:02x}");
    }
    Ok(text)
}

/// A development API token: `dev-` and 128 random bits in hex.
pub(crate) fn dev_api_token() -> Result<String, EmulatorError> {
    let bytes = os_random::<16>()?;
    let mut text = String::from("dev-");
    for byte in bytes {
        let _ = write!(text, "{byte:02x}");
    }
    Ok(text)
}

fn os_random<const N: usize>() -> Result<[u8; N], EmulatorError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| EmulatorError::Random(e.to_string()))?;
    Ok(bytes)
}

/// SplitMix64 over an atomic counter: every call gets a distinct counter
/// value, so concurrent callers never share a draw and never take a lock.
pub(crate) struct FastRandom {
    state: AtomicU64,
}

impl FastRandom {
    const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

    pub(crate) fn from_os() -> Result<Self, EmulatorError> {
        Ok(Self {
            state: AtomicU64::new(u64::from_le_bytes(os_random::<8>()?)),
        })
    }

    fn next_u64(&self) -> u64 {
        let mut z = self
            .state
            .fetch_add(Self::GOLDEN_GAMMA, Ordering::Relaxed)
            .wrapping_add(Self::GOLDEN_GAMMA);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub(crate) fn unit(&self) -> f64 {
        // The top 53 bits fill an f64 mantissa exactly.
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `[low, high]`.
    pub(crate) fn between(&self, low: u64, high: u64) -> u64 {
        if high <= low {
            return low;
        }
        let span = high - low;
        match span.checked_add(1) {
            Some(width) => low + self.next_u64() % width,
            None => self.next_u64(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_token_values_look_like_uuids_and_differ() {
        let first = shared_token_value().unwrap();
        let second = shared_token_value().unwrap();
        assert_ne!(first, second);
        assert_eq!(first.len(), 36);
        let groups: Vec<usize> = first.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert!(first.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    }

    #[test]
    fn fast_random_stays_in_range() {
        let random = FastRandom::from_os().unwrap();
        for _ in 0..1000 {
            let unit = random.unit();
            assert!((0.0..1.0).contains(&unit));
            let value = random.between(5, 9);
            assert!((5..=9).contains(&value));
        }
        assert_eq!(random.between(3, 3), 3);
    }
}
