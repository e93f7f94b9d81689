//! [`TryArc`]: a shared, reference-counted handle whose creation can fail.
//!
//! `Arc::new` aborts when memory runs out, and `Arc::try_new` is not
//! stable Rust; the kernel's rule is that no allocation reachable from a
//! system call may abort (see [`crate::fallible`]). `TryArc` is the small
//! part of `Arc` the kernel uses (a descriptor table's shared storage, an
//! image's shared pages): [`TryArc::try_new`] returns ENOMEM instead of
//! aborting, clones count, the last drop frees, and [`TryArc::try_unwrap`]
//! takes the value back from the last holder. The count is atomic, as in
//! `Arc`, so a handle may be kept in a `static` behind a lock.
//!
//! This is the one module of shim-core with `unsafe` code: an allocation
//! that can report failure needs the raw allocator.
#![allow(unsafe_code)]

use alloc::alloc::{alloc, dealloc, Layout};
use core::fmt;
use core::ops::Deref;
use core::ptr::NonNull;
use core::sync::atomic::{fence, AtomicUsize, Ordering};
use libspawn::{Errno, Result};

/// The allocation: the count, then the value.
struct Inner<T> {
    count: AtomicUsize,
    value: T,
}

/// A shared handle to a `T` on the heap.
pub struct TryArc<T> {
    inner: NonNull<Inner<T>>,
}

// SAFETY: as for `Arc`: the handle gives `&T` to any thread holding it,
// and the last holder drops the `T`, so it needs `T: Send + Sync`.
unsafe impl<T: Send + Sync> Send for TryArc<T> {}
// SAFETY: as above.
unsafe impl<T: Send + Sync> Sync for TryArc<T> {}

impl<T> TryArc<T> {
    /// Moves `value` to the heap behind a first handle. ENOMEM (and
    /// `value` dropped) if the memory cannot be had.
    pub fn try_new(value: T) -> Result<TryArc<T>> {
        TryArc::try_new_or_back(value).map_err(|_| Errno::ENOMEM)
    }

    /// As [`TryArc::try_new`], but gives `value` back if the memory
    /// cannot be had.
    pub fn try_new_or_back(value: T) -> core::result::Result<TryArc<T>, T> {
        let layout = Layout::new::<Inner<T>>();
        let raw = if layout.size() == 0 {
            NonNull::<Inner<T>>::dangling().as_ptr()
        } else {
            // SAFETY: the layout's size is not zero.
            unsafe { alloc(layout) }.cast::<Inner<T>>()
        };
        let Some(inner) = NonNull::new(raw) else {
            return Err(value);
        };
        let count = AtomicUsize::new(1);
        // SAFETY: `inner` is a fresh allocation for one `Inner<T>`
        // (or dangling for a zero-sized one), properly aligned.
        unsafe { inner.as_ptr().write(Inner { count, value }) };
        Ok(TryArc { inner })
    }

    fn inner(&self) -> &Inner<T> {
        // SAFETY: the allocation lives while any handle does, and this
        // handle does.
        unsafe { self.inner.as_ref() }
    }

    /// Number of handles to the value.
    pub fn strong_count(this: &TryArc<T>) -> usize {
        this.inner().count.load(Ordering::Acquire)
    }

    /// The value, if `this` is its only handle; else `this` back.
    pub fn try_unwrap(this: TryArc<T>) -> core::result::Result<T, TryArc<T>> {
        if this
            .inner()
            .count
            .compare_exchange(1, 0, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            return Err(this);
        }
        let inner = this.inner;
        core::mem::forget(this);
        // SAFETY: the count was 1 and is now 0: no other handle exists and
        // none can be made, so the value is ours to move out; the
        // allocation is freed without dropping it again.
        unsafe {
            let value = core::ptr::addr_of!((*inner.as_ptr()).value).read();
            free(inner);
            Ok(value)
        }
    }
}

/// Frees the allocation of an `Inner<T>` whose value was dropped or moved.
///
/// # Safety
///
/// `inner` came from [`TryArc::try_new`], no handle to it is left, and
/// its value is no longer used.
unsafe fn free<T>(inner: NonNull<Inner<T>>) {
    let layout = Layout::new::<Inner<T>>();
    if layout.size() != 0 {
        // SAFETY: allocated by `try_new` with this layout (contract).
        unsafe { dealloc(inner.as_ptr().cast(), layout) };
    }
}

impl<T> Clone for TryArc<T> {
    /// Another handle: counts, never allocates.
    fn clone(&self) -> TryArc<T> {
        self.inner().count.fetch_add(1, Ordering::Relaxed);
        TryArc { inner: self.inner }
    }
}

impl<T> Deref for TryArc<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner().value
    }
}

impl<T> Drop for TryArc<T> {
    fn drop(&mut self) {
        if self.inner().count.fetch_sub(1, Ordering::Release) != 1 {
            return;
        }
        fence(Ordering::Acquire);
        // SAFETY: this was the last handle: nothing else uses the value or
        // the allocation; the value is dropped once, then freed.
        unsafe {
            core::ptr::drop_in_place(core::ptr::addr_of_mut!((*self.inner.as_ptr()).value));
            free(self.inner);
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for TryArc<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::rc::Rc;
    use alloc::vec;

    #[test]
    fn clones_share_the_value_and_the_last_drop_frees_it() {
        let witness = Rc::new(());
        let first = TryArc::try_new((vec![1, 2, 3], Rc::clone(&witness))).unwrap();
        let second = first.clone();
        assert_eq!(TryArc::strong_count(&first), 2);
        assert_eq!(second.0, [1, 2, 3]);
        drop(first);
        assert_eq!(TryArc::strong_count(&second), 1);
        assert_eq!(Rc::strong_count(&witness), 2);
        drop(second);
        assert_eq!(Rc::strong_count(&witness), 1);
    }

    #[test]
    fn try_unwrap_gives_the_value_only_to_the_last_holder() {
        let first = TryArc::try_new(vec![7u8]).unwrap();
        let second = first.clone();
        let first = TryArc::try_unwrap(first).unwrap_err();
        drop(second);
        assert_eq!(TryArc::try_unwrap(first).ok(), Some(vec![7u8]));
    }

    #[test]
    fn zero_sized_values_work_without_allocating() {
        let unit = TryArc::try_new(()).unwrap();
        let other = unit.clone();
        assert_eq!(TryArc::strong_count(&other), 2);
        drop(unit);
        assert_eq!(TryArc::try_unwrap(other).ok(), Some(()));
    }
}
