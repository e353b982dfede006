//! Password hashing on a few dedicated threads with a bounded queue.
//!
//! Argon2 takes ~19 MiB and tens of milliseconds of one core per check, by design. Run on
//! Tokio's blocking pool, a flood of sign-ins grew hundreds of threads, each holding its own
//! allocator arena (gigabytes that were not given back), and starved every other request.
//! Here a fixed number of workers (about the cores) take checks from a queue of fixed length;
//! when the queue is full the caller is told at once (`Busy`, answered 503 with Retry-After)
//! instead of waiting without bound. Memory stays at workers × one Argon2 block set.
//!
//! Checks wait in two lanes of that length: `Lane::Known` for addresses that signed in
//! successfully before, served first, and `Lane::Other`. A flood from fresh addresses fills
//! the second lane; people signing in from where they usually do still get through.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};

/// The queue was full: the server is at capacity for password checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("password checks are queued to capacity")]
pub struct Busy;

type Job = Box<dyn FnOnce() + Send>;

/// Which queue a check waits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lane {
    /// From an address that has signed in successfully before: served first.
    Known,
    Other,
}

/// The two lanes; `closed` when the service is dropped, so the workers end.
#[derive(Default)]
struct Lanes {
    known: VecDeque<Job>,
    other: VecDeque<Job>,
    closed: bool,
}

struct Queue {
    lanes: Mutex<Lanes>,
    ready: Condvar,
    capacity: usize,
}

/// Closes the queue when the last handle goes.
struct QueueHandle(Arc<Queue>);

impl Drop for QueueHandle {
    fn drop(&mut self) {
        if let Ok(mut lanes) = self.0.lanes.lock() {
            lanes.closed = true;
        }
        self.0.ready.notify_all();
    }
}

/// How many checks ran at once at most, and how many were turned away (for tests and logs).
#[derive(Default, Debug)]
pub struct HashStats {
    running: AtomicUsize,
    pub peak_running: AtomicUsize,
    pub refused: AtomicUsize,
}

#[derive(Clone)]
pub struct PasswordHashing {
    queue: Arc<QueueHandle>,
    pub stats: Arc<HashStats>,
}

impl PasswordHashing {
    /// `workers` threads; at most `queue` checks wait in each lane.
    pub fn new(workers: usize, queue: usize) -> Self {
        let shared = Arc::new(Queue {
            lanes: Mutex::new(Lanes::default()),
            ready: Condvar::new(),
            capacity: queue.max(1),
        });
        for n in 0..workers.max(1) {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || work(&shared))
                .expect("cannot start a password hashing thread");
        }
        Self {
            queue: Arc::new(QueueHandle(shared)),
            stats: Arc::default(),
        }
    }

    /// Runs `f` on a hashing worker: for other CPU-heavy checks of untrusted input too
    /// (password strength), so they share the same bound.
    pub async fn run<T: Send + 'static>(
        &self,
        lane: Lane,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Busy> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let stats = self.stats.clone();
        let job: Job = Box::new(move || {
            // Whoever asked has gone (the connection closed): do not burn the core for nobody.
            if reply.is_closed() {
                return;
            }
            let now = stats.running.fetch_add(1, Ordering::SeqCst) + 1;
            stats.peak_running.fetch_max(now, Ordering::SeqCst);
            let result = f();
            stats.running.fetch_sub(1, Ordering::SeqCst);
            let _ = reply.send(result);
        });
        let queue = &self.queue.0;
        let queued = queue.lanes.lock().is_ok_and(|mut lanes| {
            let waiting = match lane {
                Lane::Known => &mut lanes.known,
                Lane::Other => &mut lanes.other,
            };
            let room = waiting.len() < queue.capacity;
            if room {
                waiting.push_back(job);
            }
            room
        });
        if !queued {
            self.stats.refused.fetch_add(1, Ordering::Relaxed);
            return Err(Busy);
        }
        queue.ready.notify_one();
        answer.await.map_err(|_| Busy)
    }

    /// Whether `password` matches the stored PHC `hash`.
    pub async fn verify(&self, lane: Lane, password: String, hash: String) -> Result<bool, Busy> {
        self.run(lane, move || verify_password(&password, &hash))
            .await
    }

    /// A new Argon2id hash of `password` with a fresh salt (for a signed-in account).
    pub async fn hash(&self, password: String) -> Result<String, Busy> {
        self.run(Lane::Known, move || hash_password(&password))
            .await
    }
}

fn work(queue: &Queue) {
    loop {
        let job = {
            let Ok(mut lanes) = queue.lanes.lock() else {
                return;
            };
            loop {
                if let Some(job) = lanes.known.pop_front().or_else(|| lanes.other.pop_front()) {
                    break job;
                }
                if lanes.closed {
                    return;
                }
                lanes = match queue.ready.wait(lanes) {
                    Ok(lanes) => lanes,
                    Err(_) => return,
                };
            }
        };
        job();
    }
}

/// Hashes a password with Argon2id and a fresh salt (on the calling thread: for seeding).
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .unwrap_or_default()
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to check against when the account does not exist, so that unknown emails take as
/// long to refuse as wrong passwords.
pub fn decoy_hash() -> String {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY
        .get_or_init(|| hash_password("decoy-password-for-timing"))
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_queue_answers_busy_at_once_and_no_more_than_the_workers_run() {
        let hashing = PasswordHashing::new(1, 2);
        let hash = hash_password("right password");
        let checks: Vec<_> = (0..12)
            .map(|_| {
                let hashing = hashing.clone();
                let hash = hash.clone();
                tokio::spawn(async move { hashing.verify(Lane::Other, "wrong".into(), hash).await })
            })
            .collect();
        let mut busy = 0;
        for check in checks {
            match check.await.unwrap() {
                Ok(matched) => assert!(!matched),
                Err(Busy) => busy += 1,
            }
        }
        assert!(busy >= 8, "{busy} of 12 turned away");
        assert_eq!(hashing.stats.refused.load(Ordering::SeqCst), busy);
        assert_eq!(hashing.stats.peak_running.load(Ordering::SeqCst), 1);
        assert!(hashing
            .verify(Lane::Other, "right password".into(), hash)
            .await
            .unwrap());
    }
}
