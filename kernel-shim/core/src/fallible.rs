//! Fallible allocation: the helpers the kernel's rule is kept with.
//!
//! The rule (kernel-shim's `heap` module documents it in full): no
//! allocation reachable from a system call, an interrupt or a spawn may
//! abort when memory runs out. Vectors get their storage from these
//! helpers (or `try_reserve` directly) before anything changes, so a full
//! heap is ENOMEM with the state as before the call. Shared handles are
//! [`crate::shared::TryArc`], directories [`crate::vfs::Entries`].

use alloc::vec::Vec;
use libspawn::{Errno, Result};

/// An empty vector with room for `count` items. ENOMEM if it cannot be had.
pub fn with_capacity<T>(count: usize) -> Result<Vec<T>> {
    let mut items = Vec::new();
    items.try_reserve_exact(count).map_err(|_| Errno::ENOMEM)?;
    Ok(items)
}

/// `len` zero bytes. ENOMEM if they cannot be had.
pub fn zeroed(len: usize) -> Result<Vec<u8>> {
    let mut bytes = with_capacity(len)?;
    bytes.resize(len, 0);
    Ok(bytes)
}

/// A copy of `items`. ENOMEM if it cannot be had.
pub fn copy_of<T: Clone>(items: &[T]) -> Result<Vec<T>> {
    let mut copy = with_capacity(items.len())?;
    copy.extend_from_slice(items);
    Ok(copy)
}

/// Appends `item`. ENOMEM, with `items` unchanged, if there is no room
/// and none can be had.
pub fn push<T>(items: &mut Vec<T>, item: T) -> Result<()> {
    items.try_reserve(1).map_err(|_| Errno::ENOMEM)?;
    items.push(item);
    Ok(())
}

/// Appends a copy of `more`. ENOMEM, with `items` unchanged, if there is
/// no room and none can be had.
pub fn extend<T: Clone>(items: &mut Vec<T>, more: &[T]) -> Result<()> {
    items.try_reserve(more.len()).map_err(|_| Errno::ENOMEM)?;
    items.extend_from_slice(more);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_build_what_they_say() {
        assert_eq!(zeroed(3), Ok(alloc::vec![0u8; 3]));
        assert_eq!(copy_of(b"ab"), Ok(b"ab".to_vec()));
        let mut items = with_capacity::<u8>(1).unwrap();
        assert!(items.capacity() >= 1 && items.is_empty());
        push(&mut items, 1).unwrap();
        extend(&mut items, &[2, 3]).unwrap();
        assert_eq!(items, [1, 2, 3]);
    }

    #[test]
    fn an_impossible_size_is_enomem_not_an_abort() {
        assert_eq!(with_capacity::<u64>(usize::MAX).err(), Some(Errno::ENOMEM));
        assert_eq!(zeroed(usize::MAX).err(), Some(Errno::ENOMEM));
        let mut items = alloc::vec![1u64];
        assert_eq!(
            extend(&mut items, &[])
                .and_then(|()| { items.try_reserve(usize::MAX).map_err(|_| Errno::ENOMEM) }),
            Err(Errno::ENOMEM)
        );
        assert_eq!(items, [1]);
    }
}
