//! The native allocator: mimalloc, asked through its plain entry points.
//!
//! A decision allocates a few hundred small blocks (strings, the rules' values, findings);
//! mimalloc serves them in about half the instructions of glibc's malloc and free (13 % of a
//! native decision, bench/README.md). The `mimalloc` crate's `GlobalAlloc` asks for
//! every block through `mi_malloc_aligned`, whose checks and, for blocks over 1 KiB (a request's
//! line, a decision's JSON), generic aligned path cost about as much again: 4 % of a decision
//! (section 15). Every mimalloc block is aligned to at least 8 bytes, so a layout that needs no
//! more goes to `mi_malloc`, `mi_zalloc` and `mi_realloc`; any other to the aligned functions,
//! as before. Shared by the CLI, `examples/decide.rs` and the native benchmarks (included by
//! path), so that their counts and timings are the CLI's.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// Blocks from `mi_malloc` are aligned to at least a pointer's size (mimalloc's smallest size
/// class is one word).
const PLAIN_ALIGN: usize = std::mem::size_of::<usize>();

pub struct Mimalloc;

// SAFETY: each function hands the layout's size (and, above `PLAIN_ALIGN`, its alignment) to the
// matching mimalloc function, which returns null on failure as `GlobalAlloc` requires; blocks
// from any of them are freed by `mi_free` and resized by `mi_realloc`/`mi_realloc_aligned`.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= PLAIN_ALIGN {
            mi::mi_malloc(layout.size()).cast()
        } else {
            mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= PLAIN_ALIGN {
            mi::mi_zalloc(layout.size()).cast()
        } else {
            mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        mi::mi_free(ptr.cast::<c_void>());
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= PLAIN_ALIGN {
            mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
        } else {
            mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
        }
    }
}
