//! The one thread pool every parallel part of juesuan runs on: Polars' own.
//!
//! Why: Polars runs its plans, sorts and Parquet encoders on a rayon pool
//! of its own (`polars_core::runtime::THREAD_POOL`), one worker per core.
//! Had juesuan's `par_iter`s gone to rayon's global pool, a run would have
//! two workers per core, and as work passes from one pool to the other the
//! idle pool's workers spin on the busy one's cores before they sleep:
//! 17,650 `sched_yield` calls in a run of 987 workbooks with two pools,
//! 1,383 with one, and the run 4–5 % faster (BENCHMARKS.md).
//!
//! The rule that keeps one pool free of deadlock: **a pool worker never
//! waits for a thread that may need the pool.** Commands run on the main
//! thread and enter the pool through [`install`] only around their
//! parallel parts; the threads of their own they spawn enter it the same
//! way (the findings writer) or only through Polars, which installs its
//! own work (the workbook), and are joined from the main thread, outside
//! the pool. The one wait inside it is a reading
//! worker handing a chunk to the facts writer's bounded queue, and that
//! writer never uses the pool (polars-parquet and polars-arrow have no
//! threads of their own).

/// Runs `op` on the pool, and its `par_iter`s, `join`s and Polars'
/// parallel work with it; inline when called from a worker of the pool.
/// The calling thread waits, taking no part.
pub fn install<R: Send>(op: impl FnOnce() -> R + Send) -> R {
    polars_core::runtime::THREAD_POOL.install(op)
}

/// Workers of the pool.
pub fn threads() -> usize {
    polars_core::runtime::THREAD_POOL.current_num_threads()
}
