//! Work on every core, results in order: how `decrypt` and `report` open many records at once
//! and still write them, and report their problems, in the order of their files.
//!
//! Opening a record is one X25519 agreement, an age header and a JSON parse: work for a core,
//! independent from record to record. [`in_order`] hands items to a few worker threads (one per
//! core, and one more: [`threads`]) and gives their results back to the calling thread one by
//! one, in the items' order. A worker takes the next item only while fewer than `window` results
//! wait to be taken, so however many items there are, at most `window` results (opened records,
//! plaintext) are in memory at once, and a slow consumer (a pipe, a disk) slows the workers
//! instead of piling up plaintext.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// How many threads to open record files on: one per core, as the system reports them, and one
/// more, so that every core stays busy while a thread waits for the disk. (Measured on two cores
/// and 20,000 records: a cold cache took 5.1–5.7 s with two threads, 3.6–4.0 s with three; a warm
/// one 3.1 s and 2.5–3.0 s.)
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from) + 1
}

/// Runs `work` on each of `items` on `threads` threads, and passes each result to `each` on the
/// calling thread, in the order of `items`, with at most `window` results done and not yet
/// taken. Stops at the first error `each` returns, and returns it.
///
/// With one thread or one item, everything runs on the calling thread.
pub fn in_order<I, T, E>(
    items: &[I],
    threads: usize,
    window: usize,
    work: impl Fn(&I) -> T + Sync,
    mut each: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E>
where
    I: Sync,
    T: Send,
{
    let threads = threads.min(items.len());
    if threads <= 1 {
        return items.iter().try_for_each(|item| each(work(item)));
    }
    let window = window.max(threads);
    let shared = Shared {
        state: Mutex::new(State {
            next: 0,
            taken: 0,
            done: VecDeque::with_capacity(window),
            stop: false,
            lost: false,
        }),
        result_ready: Condvar::new(),
        room: Condvar::new(),
    };
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| shared.work(items, window, &work));
        }
        // However the consumer ends (done, an error, a panic), the workers stop after the item
        // each holds, so that the scope can end.
        let _stopping = Stopping(&shared);
        for _ in 0..items.len() {
            match shared.take() {
                Some(result) => each(result)?,
                // A worker panicked; the scope passes its panic on once the others stop.
                None => break,
            }
        }
        Ok(())
    })
}

/// Tells the workers to stop when dropped.
struct Stopping<'s, T>(&'s Shared<T>);

impl<T> Drop for Stopping<'_, T> {
    fn drop(&mut self) {
        self.0.lock().stop = true;
        self.0.room.notify_all();
    }
}

/// What the workers and the consumer share.
struct Shared<T> {
    state: Mutex<State<T>>,
    /// Signalled when a result is put in place.
    result_ready: Condvar,
    /// Signalled when the consumer takes a result, or asks the workers to stop.
    room: Condvar,
}

struct State<T> {
    /// The index of the next item to hand to a worker.
    next: usize,
    /// How many results the consumer has taken: `done[0]` is the result of item `taken`.
    taken: usize,
    /// The results of items `taken..next`, each `None` while its worker is still on it.
    done: VecDeque<Option<T>>,
    /// Set when the consumer stops, or a worker panicked.
    stop: bool,
    /// Set when a worker panicked: a result the consumer waits for may never come.
    lost: bool,
}

impl<T> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        // A worker that panicked held no invariant half-changed: the state stays usable, and
        // the panic reaches the caller when the scope ends.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A worker: takes the next item while there is room, works on it without the lock, puts
    /// the result in its place.
    fn work<I>(&self, items: &[I], window: usize, work: &impl Fn(&I) -> T) {
        /// On a panic, stops the other workers and tells the consumer.
        struct Panicking<'s, T>(&'s Shared<T>);
        impl<T> Drop for Panicking<'_, T> {
            fn drop(&mut self) {
                if std::thread::panicking() {
                    let mut state = self.0.lock();
                    state.lost = true;
                    state.stop = true;
                    drop(state);
                    self.0.result_ready.notify_all();
                    self.0.room.notify_all();
                }
            }
        }
        let _panicking = Panicking(self);
        let mut state = self.lock();
        loop {
            while !state.stop && state.next < items.len() && state.next - state.taken >= window {
                state = self
                    .room
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            if state.stop || state.next >= items.len() {
                return;
            }
            let index = state.next;
            state.next += 1;
            state.done.push_back(None);
            drop(state);
            let result = work(&items[index]);
            state = self.lock();
            let at = index - state.taken;
            state.done[at] = Some(result);
            if at == 0 {
                self.result_ready.notify_all();
            }
        }
    }

    /// The consumer: waits for the result of the next item in order, and takes it; `None` if
    /// a worker panicked.
    fn take(&self) -> Option<T> {
        let mut state = self.lock();
        loop {
            if let Some(slot) = state.done.front_mut()
                && let Some(result) = slot.take()
            {
                state.done.pop_front();
                state.taken += 1;
                drop(state);
                self.room.notify_one();
                return Some(result);
            }
            if state.lost {
                return None;
            }
            state = self
                .result_ready
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[test]
    fn results_come_in_the_order_of_the_items_whatever_order_they_finish_in() {
        let items: Vec<u64> = (0..500).collect();
        let mut seen = Vec::new();
        in_order(
            &items,
            4,
            8,
            |&n| {
                // Later items finish first, often.
                std::thread::sleep(Duration::from_micros((500 - n) % 7 * 50));
                n * 2
            },
            |doubled| {
                seen.push(doubled);
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        assert_eq!(seen, items.iter().map(|n| n * 2).collect::<Vec<_>>());
    }

    #[test]
    fn no_more_than_the_window_is_done_and_not_taken() {
        let items: Vec<usize> = (0..300).collect();
        let started = AtomicUsize::new(0);
        let mut taken = 0;
        in_order(
            &items,
            3,
            5,
            |_| started.fetch_add(1, Ordering::SeqCst),
            |_| {
                taken += 1;
                // Taken slowly: the workers must wait for room.
                std::thread::sleep(Duration::from_micros(200));
                let ahead = started.load(Ordering::SeqCst) - taken;
                assert!(ahead <= 5, "{ahead} results ahead of the consumer");
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        assert_eq!(taken, 300);
    }

    #[test]
    fn an_error_stops_the_work_and_is_returned() {
        let items: Vec<usize> = (0..10_000).collect();
        let worked = AtomicUsize::new(0);
        let outcome = in_order(
            &items,
            2,
            4,
            |&n| {
                worked.fetch_add(1, Ordering::SeqCst);
                n
            },
            |n| if n == 10 { Err(n) } else { Ok(()) },
        );
        assert_eq!(outcome, Err(10));
        assert!(worked.load(Ordering::SeqCst) < 100);
    }

    #[test]
    fn one_thread_or_one_item_runs_here() {
        let here = std::thread::current().id();
        for (items, threads) in [(vec![1, 2, 3], 1), (vec![1], 8), (vec![], 8)] {
            let mut seen = Vec::new();
            in_order(
                &items,
                threads,
                4,
                |&n| {
                    assert_eq!(std::thread::current().id(), here);
                    n
                },
                |n| {
                    seen.push(n);
                    Ok::<(), ()>(())
                },
            )
            .unwrap();
            assert_eq!(seen, items);
        }
    }

    #[test]
    #[should_panic(expected = "a scoped thread panicked")]
    fn a_panicking_worker_does_not_leave_the_consumer_waiting() {
        let items: Vec<usize> = (0..50).collect();
        let _ = in_order(
            &items,
            2,
            4,
            |&n| {
                assert!(n != 7, "boom");
                n
            },
            |_| Ok::<(), ()>(()),
        );
    }
}
