//! Password hashing on a few dedicated threads with a bounded queue.
//!
//! Argon2 takes ~19 MiB and tens of milliseconds of one core per check, by design. Run on
//! Tokio's blocking pool, a flood of sign-ins grew hundreds of threads, each holding its own
//! allocator arena (gigabytes that were not given back), and starved every other request.
//! Here a fixed number of workers (about the cores) take checks from a queue of fixed length;
//! when the queue is full the caller is told at once (`Busy`, answered 503 with Retry-After)
//! instead of waiting without bound. Memory stays at workers × one Argon2 block set.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

/// The queue was full: the server is at capacity for password checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("password checks are queued to capacity")]
pub struct Busy;

type Job = Box<dyn FnOnce() + Send>;

/// How many checks ran at once at most, and how many were turned away (for tests and logs).
#[derive(Default, Debug)]
pub struct HashStats {
    running: AtomicUsize,
    pub peak_running: AtomicUsize,
    pub refused: AtomicUsize,
}

#[derive(Clone)]
pub struct PasswordHashing {
    queue: SyncSender<Job>,
    pub stats: Arc<HashStats>,
}

impl PasswordHashing {
    /// `workers` threads; at most `queue` checks wait for one.
    pub fn new(workers: usize, queue: usize) -> Self {
        let (sender, receiver) = sync_channel::<Job>(queue);
        let receiver = Arc::new(Mutex::new(receiver));
        for n in 0..workers.max(1) {
            let receiver = receiver.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || work(&receiver))
                .expect("cannot start a password hashing thread");
        }
        Self {
            queue: sender,
            stats: Arc::default(),
        }
    }

    /// Runs `f` on a hashing worker: for other CPU-heavy checks of untrusted input too
    /// (password strength), so they share the same bound.
    pub async fn run<T: Send + 'static>(
        &self,
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
        match self.queue.try_send(job) {
            Ok(()) => answer.await.map_err(|_| Busy),
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                self.stats.refused.fetch_add(1, Ordering::Relaxed);
                Err(Busy)
            }
        }
    }

    /// Whether `password` matches the stored PHC `hash`.
    pub async fn verify(&self, password: String, hash: String) -> Result<bool, Busy> {
        self.run(move || verify_password(&password, &hash)).await
    }

    /// A new Argon2id hash of `password` with a fresh salt.
    pub async fn hash(&self, password: String) -> Result<String, Busy> {
        self.run(move || hash_password(&password)).await
    }
}

fn work(receiver: &Mutex<Receiver<Job>>) {
    loop {
        let job = match receiver.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        match job {
            Ok(job) => job(),
            // Every sender is gone: the service stopped.
            Err(_) => return,
        }
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
                tokio::spawn(async move { hashing.verify("wrong".into(), hash).await })
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
        assert_eq!(hashing.stats.peak_running.load(Ordering::SeqCst), 1);
        assert!(hashing.verify("right password".into(), hash).await.unwrap());
    }
}
