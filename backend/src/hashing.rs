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
    rand_core::OsRng, Output, PasswordHash, PasswordHasher as _, SaltString,
};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::cell::RefCell;
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

/// Hashes a password with Argon2id and a fresh salt (on the calling thread: for seeding). Its
/// blocks are allocated for the hash: new passwords are rare beside checks.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .unwrap_or_default()
}

thread_local! {
    /// This thread's Argon2 working memory for checks at the default cost (19 MiB), kept from
    /// one check to the next. Allocated for each check, it was not given back: once glibc has
    /// freed a block that big it keeps the next ones in the thread's arena, and three floods
    /// of 400 checks left 255 to 390 MB resident where 27 MB are in use.
    static BLOCKS: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Whether `password` matches the PHC `hash`, in this thread's kept memory: what argon2's
/// `verify_password` does (the algorithm, version, parameters and salt the hash names; outputs
/// compared in constant time), without allocating its blocks anew.
fn verify_password(password: &str, hash: &str) -> bool {
    let check = || -> Option<bool> {
        let parsed = PasswordHash::new(hash).ok()?;
        let (salt, expected) = (parsed.salt?, parsed.hash?);
        let algorithm = Algorithm::try_from(parsed.algorithm).ok()?;
        let version = parsed
            .version
            .map_or(Ok(Version::default()), Version::try_from)
            .ok()?;
        let params = Params::try_from(&parsed).ok()?;
        let mut salt_bytes = [0u8; 64];
        let salt = salt.decode_b64(&mut salt_bytes).ok()?;
        let mut computed = vec![0u8; expected.len()];
        let argon2 = Argon2::new(algorithm, version, params.clone());
        let mut run = |blocks: &mut [Block]| {
            argon2.hash_password_into_with_memory(password.as_bytes(), salt, &mut computed, blocks)
        };
        let needed = params.block_count();
        // A hash of a higher cost (one made elsewhere, or before a change of cost) gets memory
        // for its check alone: kept, one such hash would hold its gigabytes for good.
        if needed <= Params::DEFAULT.block_count() {
            BLOCKS.with_borrow_mut(|kept| {
                kept.resize(needed, Block::default());
                run(&mut kept[..])
            })
        } else {
            run(&mut vec![Block::default(); needed])
        }
        .ok()?;
        // `Output`'s equality takes the same time wherever the bytes differ.
        Some(Output::new(&computed).ok()? == expected)
    };
    check().unwrap_or(false)
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

    #[test]
    fn passwords_are_checked_against_hashes_of_this_and_another_implementation() {
        let ours = hash_password("correct horse battery staple");
        // Made by Python's argon2-cffi (the reference C implementation) with the same cost.
        let theirs = "$argon2id$v=19$m=19456,t=2,p=1$bWFkZS1ieS1hcmdvbjItY2ZmaQ$86kWfYhb1KMtip1M5WBI1c086BuyP095QPrtScVV31k";
        // argon2-cffi's own default cost, 64 MiB: more than the memory a worker keeps.
        let theirs_costlier = "$argon2id$v=19$m=65536,t=3,p=4$YXJnb24yLWNmZmktZGVmYXVsdHM$S3WCczkyPfQSjhb18W2mK4j/lXSNkCoR9nJ4oELZ8zA";
        // And one with other costs (argon2i, 4 MiB, 3 passes, 2 lanes) by this crate's hasher.
        let other_costs = Argon2::new(
            Algorithm::Argon2i,
            Version::V0x13,
            Params::new(4096, 3, 2, Some(24)).unwrap(),
        )
        .hash_password(
            b"correct horse battery staple",
            &SaltString::generate(&mut OsRng),
        )
        .unwrap()
        .to_string();
        for hash in [&ours, theirs, theirs_costlier, &other_costs] {
            assert!(
                verify_password("correct horse battery staple", hash),
                "{hash}"
            );
            assert!(
                !verify_password("correct horse battery stapl", hash),
                "{hash}"
            );
            assert!(!verify_password("", hash), "{hash}");
        }
        let cut = &theirs[..theirs.len() - 4];
        for broken in [
            "",
            "not a hash",
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ",
            cut,
        ] {
            assert!(
                !verify_password("correct horse battery staple", broken),
                "{broken}"
            );
        }
    }

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
