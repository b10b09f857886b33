//! [`Name`]: a name that many records share (a host's, a zone's, a workload's).
//!
//! A placement copies the names of its host, zone and cluster into the workload record and into
//! the answer; with plain `String`s that is a dozen allocations per decision, more than the
//! decision itself costs. A `Name` is shared instead of copied: cloning one takes no allocation.
//! It reads as a `&str` (through `Deref`), compares with `str` and `String` on either side, and
//! hashes, orders and serializes as its text, so it can be used wherever the text is meant.
//!
//! ```
//! use supervisor_planner::Name;
//!
//! let host = Name::from("esx-01.corp.example");
//! let same = host.clone(); // no copy of the text
//! assert_eq!(host, "esx-01.corp.example");
//! assert!(same.starts_with("esx-01"));
//! assert_eq!(serde_json::to_string(&host).unwrap(), "\"esx-01.corp.example\"");
//! ```

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// A shared, immutable name: clones share the text. See the [module](self) docs.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(Arc<str>);

impl Name {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Name {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl fmt::Debug for Name {
    /// As the text's own `Debug` (`"esx-01"`), so records print as they did with `String`s.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Self {
        Name(Arc::from(s))
    }
}

impl From<&String> for Name {
    fn from(s: &String) -> Self {
        Name(Arc::from(s.as_str()))
    }
}

impl From<String> for Name {
    fn from(s: String) -> Self {
        Name(Arc::from(s))
    }
}

impl From<Name> for String {
    fn from(n: Name) -> Self {
        n.0.to_string()
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        &*self.0 == other.as_str()
    }
}

impl PartialEq<Name> for str {
    fn eq(&self, other: &Name) -> bool {
        self == &*other.0
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<Name> for String {
    fn eq(&self, other: &Name) -> bool {
        self.as_str() == &*other.0
    }
}

impl Serialize for Name {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Name::from)
    }
}

#[cfg(test)]
mod tests {
    use super::Name;
    use std::collections::{BTreeSet, HashSet};

    #[test]
    fn a_name_compares_hashes_orders_and_serializes_as_its_text() {
        let a = Name::from("zone-a");
        assert_eq!(a, "zone-a");
        assert_eq!("zone-a", a);
        assert_eq!(a, String::from("zone-a"));
        assert_eq!(String::from("zone-a"), a);
        assert_ne!(a, "zone-b");
        let b = Name::from("zone-b");
        assert!(a < b);
        let set: HashSet<Name> = [a.clone()].into();
        assert!(set.contains("zone-a"));
        let ordered: BTreeSet<Name> = ["b", "a"].into_iter().map(Name::from).collect();
        assert_eq!(
            ordered.iter().map(Name::as_str).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(format!("{a} {a:?}"), "zone-a \"zone-a\"");
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, "\"zone-a\"");
        assert_eq!(serde_json::from_str::<Name>(&json).unwrap(), a);
        assert!(serde_json::from_str::<Name>("3").is_err());
        assert_eq!(String::from(a), "zone-a");
    }

    #[test]
    fn clones_share_the_text() {
        let a = Name::from("esx-01");
        let b = a.clone();
        assert!(std::ptr::eq(a.as_str(), b.as_str()));
    }
}
