//! IPv4 address ranges: parsing (`10.0.0.0/24`, `10.0.0.5-10.0.0.9`, `10.0.0.7`), subnet
//! arithmetic and overlap tests. Addresses are plain `u32`s internally, so every check is
//! integer arithmetic with no allocation.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::Ipv4Addr;

/// An inclusive range of IPv4 addresses, `first..=last`.
///
/// In JSON a range is a string in the form [`Ipv4Range::parse`] reads and `Display` writes
/// (`"10.0.0.0/24"`, `"10.0.0.5-10.0.0.9"`, `"10.0.0.7"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ipv4Range {
    /// First address of the range.
    pub first: Ipv4Addr,
    /// Last address of the range (inclusive).
    pub last: Ipv4Addr,
}

impl Ipv4Range {
    /// A range from `first` to `last` inclusive; `None` when `last < first`.
    pub fn new(first: Ipv4Addr, last: Ipv4Addr) -> Option<Self> {
        (u32::from(first) <= u32::from(last)).then_some(Ipv4Range { first, last })
    }

    /// The range of a CIDR block (`network/prefix`), or `None` when the prefix is above 32.
    pub fn cidr(network: Ipv4Addr, prefix: u8) -> Option<Self> {
        let mask = prefix_mask(prefix)?;
        let base = u32::from(network) & mask;
        Some(Ipv4Range {
            first: Ipv4Addr::from(base),
            last: Ipv4Addr::from(base | !mask),
        })
    }

    /// Parses `a.b.c.d/nn` (host bits must be zero), `a.b.c.d-e.f.g.h` or a single address.
    /// The error says what was wrong and what is accepted.
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.is_empty() {
            return Err("empty range; expected a CIDR (10.0.0.0/24), a range (10.0.0.5-10.0.0.9) or an address".into());
        }
        if let Some((addr, prefix)) = text.split_once('/') {
            let addr = parse_addr(addr)?;
            let digits = !prefix.is_empty()
                && prefix.len() <= 2
                && prefix.bytes().all(|b| b.is_ascii_digit());
            let parsed = if digits {
                prefix.parse::<u8>().ok()
            } else {
                None
            };
            let prefix: u8 = parsed.filter(|p| *p <= 32).ok_or_else(|| {
                format!("prefix length {prefix:?} in {text:?} must be an integer from 0 to 32")
            })?;
            let range = Ipv4Range::cidr(addr, prefix).expect("prefix checked");
            if range.first != addr {
                return Err(format!(
                    "{text:?} has host bits set; the network of that block is {}/{prefix}",
                    range.first
                ));
            }
            Ok(range)
        } else if let Some((a, b)) = text.split_once('-') {
            let first = parse_addr(a)?;
            let last = parse_addr(b)?;
            Ipv4Range::new(first, last)
                .ok_or_else(|| format!("range {text:?} ends before it starts"))
        } else {
            let addr = parse_addr(text)?;
            Ok(Ipv4Range {
                first: addr,
                last: addr,
            })
        }
    }

    /// Number of addresses in the range (up to 2^32, hence `u64`).
    pub fn len(&self) -> u64 {
        u64::from(u32::from(self.last)) - u64::from(u32::from(self.first)) + 1
    }

    /// Always false: a range holds at least one address.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Whether `addr` lies in the range.
    pub fn contains(&self, addr: Ipv4Addr) -> bool {
        let a = u32::from(addr);
        u32::from(self.first) <= a && a <= u32::from(self.last)
    }

    /// Whether the whole of `other` lies in this range.
    pub fn contains_range(&self, other: &Ipv4Range) -> bool {
        self.contains(other.first) && self.contains(other.last)
    }

    /// Whether the two ranges share at least one address.
    pub fn overlaps(&self, other: &Ipv4Range) -> bool {
        u32::from(self.first) <= u32::from(other.last)
            && u32::from(other.first) <= u32::from(self.last)
    }
}

impl fmt::Display for Ipv4Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            return write!(f, "{}", self.first);
        }
        // Print as CIDR when the range is exactly one aligned block.
        let len = self.len();
        if len.is_power_of_two() {
            let prefix = 32 - len.trailing_zeros() as u8;
            if Ipv4Range::cidr(self.first, prefix) == Some(*self) {
                return write!(f, "{}/{}", self.first, prefix);
            }
        }
        write!(f, "{}-{}", self.first, self.last)
    }
}

impl Serialize for Ipv4Range {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Ipv4Range {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Ipv4Range::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// The netmask of a prefix length as a `u32`, or `None` above 32.
pub fn prefix_mask(prefix: u8) -> Option<u32> {
    match prefix {
        0 => Some(0),
        1..=32 => Some(u32::MAX << (32 - u32::from(prefix))),
        _ => None,
    }
}

/// Parses one dotted-quad IPv4 address with an error that quotes the input.
pub fn parse_addr(text: &str) -> Result<Ipv4Addr, String> {
    text.parse::<Ipv4Addr>().map_err(|_| {
        format!("{text:?} is not an IPv4 address (expected dotted quad such as 10.0.0.1)")
    })
}

/// `addr + offset`, or `None` past 255.255.255.255.
pub fn offset(addr: Ipv4Addr, offset: u64) -> Option<Ipv4Addr> {
    let v = u64::from(u32::from(addr)).checked_add(offset)?;
    u32::try_from(v).ok().map(Ipv4Addr::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cidr_range_and_single() {
        let r = Ipv4Range::parse("10.0.0.0/24").unwrap();
        assert_eq!(r.len(), 256);
        assert_eq!(r.to_string(), "10.0.0.0/24");
        let r = Ipv4Range::parse("10.0.0.5-10.0.0.9").unwrap();
        assert_eq!(r.len(), 5);
        assert_eq!(r.to_string(), "10.0.0.5-10.0.0.9");
        assert_eq!(Ipv4Range::parse("10.0.0.7").unwrap().len(), 1);
        assert_eq!(Ipv4Range::parse("0.0.0.0/0").unwrap().len(), 1 << 32);
    }

    #[test]
    fn rejects_bad_ranges_with_reasons() {
        assert!(Ipv4Range::parse("10.0.0.1/24")
            .unwrap_err()
            .contains("10.0.0.0/24"));
        assert!(Ipv4Range::parse("10.0.0.9-10.0.0.5")
            .unwrap_err()
            .contains("ends before"));
        assert!(Ipv4Range::parse("10.0.0.0/33")
            .unwrap_err()
            .contains("0 to 32"));
        assert!(Ipv4Range::parse("10.0.0")
            .unwrap_err()
            .contains("not an IPv4"));
        assert!(Ipv4Range::parse("").is_err());
        assert!(Ipv4Range::parse("10.0.0.0/+8").is_err());
        assert!(Ipv4Range::parse(" 10.0.0.0/8").is_err());
        assert!(parse_addr("10.0.0.1 ").is_err());
    }

    #[test]
    fn overlap_is_symmetric_and_inclusive() {
        let a = Ipv4Range::parse("10.0.0.0-10.0.0.10").unwrap();
        let b = Ipv4Range::parse("10.0.0.10-10.0.0.20").unwrap();
        let c = Ipv4Range::parse("10.0.0.11-10.0.0.20").unwrap();
        assert!(a.overlaps(&b) && b.overlaps(&a));
        assert!(!a.overlaps(&c) && !c.overlaps(&a));
    }

    #[test]
    fn offset_stops_at_the_end_of_the_space() {
        assert_eq!(
            offset(Ipv4Addr::new(255, 255, 255, 254), 1),
            Some(Ipv4Addr::BROADCAST)
        );
        assert_eq!(offset(Ipv4Addr::new(255, 255, 255, 254), 2), None);
    }
}
