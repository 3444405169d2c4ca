//! The memory allocator: mimalloc, declared as the global allocator by the
//! `juesuan` binary (and by the scale benchmark's floor, so that ratios
//! compare like with like).
//!
//! Why: calamine allocates a string per cell and a run frees each chunk's
//! facts as soon as they are written; mimalloc made ingest ≈ 10 % faster
//! than the system allocator.

/// mimalloc's `mi_option_purge_delay` (its number in `mi_option_e` of
/// `mimalloc.h`, the same in mimalloc 2 and 3; the -sys crate does not name it).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

pub use mimalloc::MiMalloc;

/// Keeps a run's resident memory close to what it holds, for the peak of
/// a province's run (2 GiB at 60,000 workbooks) depends on it: freed
/// memory goes back to the system after 1 ms instead of mimalloc's default
/// 10. `run`'s stages after reading free one stage's memory just before the
/// next allocates its own, and keeping it for the default delay once made
/// the peak of a 5,040-workbook run ≈ 755 MiB instead of ≈ 600. Returning
/// it at once (a delay of 0) costs a system call and a flush of the other
/// core's address translations for every freed page: with 1 ms `run` takes
/// 12 % less CPU (8.1–9.0 s against 9.3–9.7 s at 5,040 workbooks, four
/// interleaved runs each; 107.7 s against 124.0 s at 61,887) for a peak
/// 5–12 MiB higher (1,856 against 1,844 MiB at 61,887 workbooks). Asking
/// only once reading was over made reading faster but the later stages
/// slower (analyse 11.0–11.3 s against 10.0 s at 20,370 workbooks), and
/// the run no faster. `ingest`, whose peak is small, keeps the default:
/// returning and faulting back the pages each workbook frees cost ≈ 6 % of
/// its time (3.82 s against 3.57 s at 5,040 workbooks, two runs each).
pub fn bound_resident_memory() {
    // SAFETY: mi_option_set only stores the option's value; any value is valid.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 1) }
}

/// Turns transparent huge pages off for the process, every command: the
/// kernel clears a whole 2 MiB page the first time any byte of it is
/// touched, and mimalloc, which returns freed memory and takes it back
/// workbook after workbook, made it clear several GiB in an ingest whose
/// peak is ≈ 150 MiB: `clear_page` was 5–8 % of `ingest`'s profile at
/// 5,040 workbooks, 0.3–0.9 % without huge pages, and a 2 MiB page that
/// holds a few live blocks is resident whole (the peak of `run` at 20,370
/// workbooks was 869 MiB with them, 796 without).
pub fn without_huge_pages() {
    // mimalloc asks for huge pages where it maps memory; the process-wide
    // switch also covers what it mapped before this call.
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments and changes only
    // this process's paging; failure (an old kernel) leaves THP as it was.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
