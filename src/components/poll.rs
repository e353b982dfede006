//! Keeping an open page current: one rule for every page that polls (the case details, the
//! case records). A check runs every few seconds while the tab is visible, never two at once,
//! and after failures it waits 2, 4, 8… ticks (at most a minute) before trying again.

use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use std::future::Future;
use std::time::Duration;

/// How often an open page asks whether what it shows changed.
pub const POLL_EVERY: Duration = Duration::from_secs(4);
/// Longest wait after repeated failures, in ticks of `POLL_EVERY`.
const MAX_BACKOFF_TICKS: u32 = 16;

/// Runs `check` on every tick while the tab is visible and the page is there. `check` returns
/// `None` when there is nothing to compare yet, or the comparison: `Err(())` when the backend
/// could not be asked. Stops with the page that called it.
pub fn poll_while_visible<Check, Fut>(check: Check)
where
    Check: Fn() -> Option<Fut> + 'static,
    Fut: Future<Output = Result<(), ()>> + 'static,
{
    let skip = StoredValue::new(0u32);
    let failures = StoredValue::new(0u32);
    let in_flight = StoredValue::new(false);
    // After a check: count failures to back off, and let the next check run. The page may have
    // gone meanwhile (signed out, navigated away): its values went with it, so they are only
    // touched if they are still there.
    let settle = move |outcome: Result<(), ()>| {
        match outcome {
            Ok(()) => {
                failures.try_set_value(0);
            }
            Err(()) => {
                failures.try_update_value(|f| *f += 1);
                let backoff = 2u32
                    .saturating_pow(failures.try_get_value().unwrap_or(1))
                    .min(MAX_BACKOFF_TICKS);
                skip.try_set_value(backoff - 1);
            }
        }
        in_flight.try_set_value(false);
    };
    // Each check runs under this owner, cleaned up when the check is done, or with the page: a
    // check's request still on its way when the page goes is abandoned (`api::read`).
    let tick = Owner::current().map(|page| page.child());
    let handle = set_interval_with_handle(
        move || {
            if document().hidden() || in_flight.try_get_value() != Some(false) {
                return;
            }
            if skip.get_value() > 0 {
                skip.update_value(|s| *s -= 1);
                return;
            }
            let run = || {
                let Some(checked) = check() else { return };
                in_flight.set_value(true);
                let tick = tick.clone();
                spawn_local_scoped(async move {
                    let outcome = checked.await;
                    if let Some(tick) = tick {
                        tick.cleanup();
                    }
                    settle(outcome);
                });
            };
            match &tick {
                Some(tick) => tick.with(run),
                None => run(),
            }
        },
        POLL_EVERY,
    );
    if let Ok(handle) = handle {
        on_cleanup(move || handle.clear());
    }
}
