//! IP address management: IPv4 ranges, the management block of the control plane (S12,
//! R-IP-1…R-IP-4) and the workload networks with their overlap rules (R-N-1…R-N-3).
//!
//! [`IpPool`] is a standalone IPv4 allocator (addresses, contiguous blocks, aligned subnets,
//! lowest first, deterministic) over bitmaps and a segment tree of free runs; the Supervisor's
//! workload networks allocate from it.

mod management;
mod pool;
mod range;
mod workload;

pub use management::{ManagementLayout, MIN_BLOCK_SIZE};
pub use pool::{
    AddressBlock, Allocation, AllocationKind, IpPool, IpPoolSpec, PoolSnapshot, MAX_POOL_SIZE,
};
pub use range::{offset, parse_addr, prefix_mask, Ipv4Range};
pub use workload::{
    LoadBalancer, NamedRange, Network, WorkloadNetwork, MAX_OVERLAP_ISSUES, MAX_RANGES_PER_LIST,
};
