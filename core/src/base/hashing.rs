//! A fast, deterministic hasher for the name indexes (workloads and namespaces by name).
//!
//! The standard library's SipHash is built to resist hash flooding by an adversary choosing
//! keys; here the keys are names the caller chose for its own objects, and the cost of SipHash
//! showed in every placement. This is the multiply-rotate hash of the Rust compiler (FxHash),
//! which is also deterministic: nothing in the library's output depends on it, as map iteration
//! order is never exposed.

use std::hash::{BuildHasherDefault, Hasher};

/// FxHash: `h = (h.rotate_left(5) ^ word) · K` per 8-byte word.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            // The tail's length in the last byte: "a" and "a\0" hash apart.
            word[7] = rest.len() as u8;
            self.add(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    /// The state, avalanched (MurmurHash3's finaliser): a product's low bits depend only on
    /// the factors' low bits, and hash tables index by the low bits.
    #[inline]
    fn finish(&self) -> u64 {
        let mut h = self.hash;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// A `HashMap` keyed by names, with [`FxHasher`].
pub(crate) type NameMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_differ_only_in_their_tail_hash_apart() {
        let h = |s: &str| {
            let mut f = FxHasher::default();
            std::hash::Hash::hash(s, &mut f);
            f.finish()
        };
        assert_ne!(h("pod-00000001"), h("pod-00000002"));
        assert_ne!(h("a"), h("a\0"));
        assert_eq!(h("web"), h("web"), "deterministic");
        // Names that differ only in their last characters spread over the low bits too (hash
        // tables pick buckets by them).
        let buckets: std::collections::BTreeSet<u64> =
            (0..1000).map(|i| h(&format!("p-{i:06}")) & 1023).collect();
        assert!(buckets.len() > 500, "{} buckets", buckets.len());
    }
}
