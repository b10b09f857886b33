//! Limits on what one document may hold (issue 16): no single call can be made to take minutes
//! or memory out of proportion by a list that is merely long. Each limit is far above what
//! vSphere itself supports; a list past its limit is refused while it is read, with the field's
//! path, before it is held in memory.

use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;
use std::marker::PhantomData;

/// Clusters of an inventory (vCenter manages at most 2,500 hosts, so at most as many clusters).
pub const MAX_CLUSTERS: usize = 2_500;
/// Hosts listed for one cluster. vSphere's maximum is 96 and enablement holds a spec to it;
/// capacity studies (`Supervisor::from_json_for_capacity_study`) may list up to this many.
pub const MAX_HOSTS_LISTED: usize = 10_000;
/// vSphere Zones of an inventory.
pub const MAX_ZONES: usize = 2_500;
/// Storage policies of an inventory.
pub const MAX_STORAGE_POLICIES: usize = 1_024;
/// Port groups of an inventory (vCenter's maximum of distributed port groups).
pub const MAX_PORT_GROUPS: usize = 10_000;
/// Items of one `place_vms` / `place_pods` batch, and of each list of the spec's `workloads`.
pub const MAX_BATCH_ITEMS: usize = 100_000;

/// Deserialises a list of at most `N` items; the item past the limit is an error (at the
/// list's path) before it is read.
pub fn capped<'de, D, T, const N: usize>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct Capped<T, const N: usize>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>, const N: usize> Visitor<'de> for Capped<T, N> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "a list of at most {N} items")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(N).min(1024));
            while let Some(item) = seq.next_element()? {
                if items.len() == N {
                    return Err(serde::de::Error::custom(format!(
                        "more than {N} items; this list holds at most {N}"
                    )));
                }
                items.push(item);
            }
            Ok(items)
        }
    }

    deserializer.deserialize_seq(Capped::<T, N>(PhantomData))
}
