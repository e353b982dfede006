//! Keeping an open page current: one rule for every page that shows cases that may change (the
//! case details, the case records, the desk's queue and workspace).
//!
//! The tab keeps one connection to the backend's event stream (`GET /api/v1/events`, server-sent
//! events) while any page follows it; each page runs its `check` (ask again, compare, show what
//! changed) when a case it wants changed. The
//! browser reconnects a dropped stream by itself and the backend tells it, in one event, whether
//! it missed anything meanwhile (`Last-Event-ID`). Only while the stream is not open (refused,
//! blocked by a proxy, the backend restarting) does the page fall back to polling: a check every
//! few seconds while the tab is visible, waiting 2, 4, 8… ticks (at most a minute) after
//! failures. Never two checks at once; a change heard during a check runs one more after it.

use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{EventSource, MessageEvent};

/// How often a page without its event stream asks whether what it shows changed.
pub const POLL_EVERY: Duration = Duration::from_secs(4);
/// Longest wait after repeated failures, in ticks of `POLL_EVERY`.
const MAX_BACKOFF_TICKS: u32 = 16;
/// How long after the backend refused the stream (rather than the line dropping, which the
/// browser retries by itself) the tab asks for it again.
const REOPEN_AFTER: Duration = Duration::from_secs(30);
/// How long the stream stays open with no page following it: moving from one page to the next
/// keeps the one connection (the browser has six per host), signing out lets it go.
const CLOSE_UNUSED_AFTER: Duration = Duration::from_secs(5);

/// Runs `check` whenever a case for which `wants(case_id)` holds changes (and when the backend
/// cannot say which case: after a reconnect, or a stream that fell behind). `check` returns
/// `None` when there is nothing to compare yet, or the comparison: `Err(())` when the backend
/// could not be asked. Stops with the page that called it.
pub fn follow_changes<Wants, Check, Fut>(wants: Wants, check: Check)
where
    Wants: Fn(i64) -> bool + 'static,
    Check: Fn() -> Option<Fut> + 'static,
    Fut: Future<Output = Result<(), ()>> + 'static,
{
    let checker = Checker::new(check);
    let heard = {
        let checker = checker.clone();
        Rc::new(move |case_id: Option<i64>| {
            if case_id.is_none_or(&wants) {
                checker.run();
            }
        }) as Heard
    };
    let follower = STREAM.with(|stream| stream.follow(heard));
    let polling = checker.clone();
    let tick = set_interval_with_handle(
        move || {
            let streaming = STREAM.with(|stream| stream.open.get());
            if !streaming && !document().hidden() {
                polling.tick();
            }
        },
        POLL_EVERY,
    );
    // The page's cleanup runs on this thread; the wrapper only satisfies `on_cleanup`'s bounds.
    let checker = send_wrapper::SendWrapper::new(checker);
    on_cleanup(move || {
        if let Ok(tick) = tick {
            tick.clear();
        }
        checker.gone.set(true);
        STREAM.with(|stream| stream.unfollow(follower));
    });
}

thread_local! {
    /// The tab's one event stream, shared by every page that follows changes.
    static STREAM: Rc<SharedStream> = Rc::new(SharedStream::default());
}

/// What a following page does with a change: the case's id, or `None` for "maybe any".
type Heard = Rc<dyn Fn(Option<i64>)>;

/// The tab's event stream and the pages listening to it.
#[derive(Default)]
struct SharedStream {
    source: RefCell<Option<Source>>,
    /// Whether the stream is open (the pages' polling then rests).
    open: Cell<bool>,
    followers: RefCell<Vec<(u64, Heard)>>,
    next_follower: Cell<u64>,
    /// Whether the page's `pagehide` and `pageshow` are listened to (once per page).
    watching: Cell<bool>,
}

/// The open `EventSource` and the listeners it calls (kept alive as long as it is).
struct Source {
    events: EventSource,
    _listeners: Vec<Closure<dyn Fn(MessageEvent)>>,
}

impl SharedStream {
    fn follow(self: &Rc<Self>, heard: Heard) -> u64 {
        let id = self.next_follower.get();
        self.next_follower.set(id + 1);
        self.followers.borrow_mut().push((id, heard));
        if self.source.borrow().is_none() {
            self.watch_page_lifecycle();
            self.connect();
        }
        id
    }

    /// Closes the stream when the browser puts the page away (`pagehide`: another page loaded
    /// in the tab, kept in the back-forward cache) and opens it again when the page comes back.
    /// A cached page's open stream would hold one of the six connections the browser allows
    /// per host: six of them and the tab can fetch nothing more (seen in the layout test).
    fn watch_page_lifecycle(self: &Rc<Self>) {
        if self.watching.replace(true) {
            return;
        }
        let hide = {
            let stream = Rc::downgrade(self);
            Closure::<dyn Fn()>::new(move || {
                if let Some(stream) = stream.upgrade() {
                    stream.disconnect();
                }
            })
        };
        let show = {
            let stream = Rc::downgrade(self);
            Closure::<dyn Fn()>::new(move || {
                let Some(stream) = stream.upgrade() else {
                    return;
                };
                let wanted = !stream.followers.borrow().is_empty();
                if wanted && stream.source.borrow().is_none() {
                    stream.connect();
                    // Whatever changed while the page was away: heard now.
                    stream.tell(None);
                }
            })
        };
        let window = window();
        let _ = window.add_event_listener_with_callback("pagehide", hide.as_ref().unchecked_ref());
        let _ = window.add_event_listener_with_callback("pageshow", show.as_ref().unchecked_ref());
        // The tab's stream lives as long as the page: its listeners too.
        hide.forget();
        show.forget();
    }

    fn unfollow(self: &Rc<Self>, id: u64) {
        self.followers.borrow_mut().retain(|(each, _)| *each != id);
        let stream = self.clone();
        set_timeout(
            move || {
                if stream.followers.borrow().is_empty() {
                    stream.disconnect();
                }
            },
            CLOSE_UNUSED_AFTER,
        );
    }

    /// Tells every following page (each decides whether the case is one it shows).
    fn tell(&self, case_id: Option<i64>) {
        // Copied first: a page's check may make another page follow or unfollow.
        let followers: Vec<_> = self
            .followers
            .borrow()
            .iter()
            .map(|(_, f)| f.clone())
            .collect();
        for heard in followers {
            heard(case_id);
        }
    }

    fn disconnect(&self) {
        self.open.set(false);
        if let Some(source) = self.source.take() {
            source.events.close();
        }
    }

    fn connect(self: &Rc<Self>) {
        let Ok(events) = EventSource::new(&crate::api::events_url()) else {
            return;
        };
        let on_ready = {
            let stream = Rc::downgrade(self);
            Closure::<dyn Fn(MessageEvent)>::new(move |_: MessageEvent| {
                let Some(stream) = stream.upgrade() else {
                    return;
                };
                stream.open.set(true);
                // Whatever changed between the pages' answers and the stream: heard now.
                stream.tell(None);
            })
        };
        let on_change = {
            let stream = Rc::downgrade(self);
            Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
                let Some(stream) = stream.upgrade() else {
                    return;
                };
                stream.open.set(true);
                let case_id = event
                    .data()
                    .as_string()
                    .and_then(|data| serde_json::from_str::<ChangeData>(&data).ok())
                    .and_then(|data| data.case_id);
                stream.tell(case_id);
            })
        };
        let on_error = {
            let stream = Rc::downgrade(self);
            Closure::<dyn Fn(MessageEvent)>::new(move |_: MessageEvent| {
                let Some(stream) = stream.upgrade() else {
                    return;
                };
                stream.open.set(false);
                let refused = stream
                    .source
                    .borrow()
                    .as_ref()
                    .is_some_and(|s| s.events.ready_state() == EventSource::CLOSED);
                if refused {
                    // Dropped later, not here: this listener is one of the source's own.
                    let closed = stream.source.take();
                    set_timeout(
                        move || {
                            drop(closed);
                            let wanted = !stream.followers.borrow().is_empty();
                            if wanted && stream.source.borrow().is_none() {
                                stream.connect();
                            }
                        },
                        REOPEN_AFTER,
                    );
                }
            })
        };
        let listen = |name: &str, listener: &Closure<dyn Fn(MessageEvent)>| {
            let _ =
                events.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref());
        };
        listen("ready", &on_ready);
        listen("change", &on_change);
        listen("error", &on_error);
        self.source.replace(Some(Source {
            events,
            _listeners: vec![on_ready, on_change, on_error],
        }));
    }
}

/// What a `change` event says.
#[derive(serde::Deserialize)]
struct ChangeData {
    case_id: Option<i64>,
}

/// One check on its way: `Err(())` when the backend could not be asked.
type Checked = std::pin::Pin<Box<dyn Future<Output = Result<(), ()>>>>;

/// Runs the page's check: never two at once, once more if asked during one, and after
/// failures only every 2, 4, 8… polling ticks.
struct Checker {
    check: Box<dyn Fn() -> Option<Checked>>,
    /// Each check runs under this owner, cleaned up when the check is done, or with the page:
    /// a check's request still on its way when the page goes is abandoned (`api::read`).
    owner: Option<Owner>,
    in_flight: Cell<bool>,
    again: Cell<bool>,
    failures: Cell<u32>,
    skip: Cell<u32>,
    gone: Cell<bool>,
}

impl Checker {
    fn new<Check, Fut>(check: Check) -> Rc<Self>
    where
        Check: Fn() -> Option<Fut> + 'static,
        Fut: Future<Output = Result<(), ()>> + 'static,
    {
        Rc::new(Self {
            check: Box::new(move || check().map(|f| Box::pin(f) as _)),
            owner: Owner::current().map(|page| page.child()),
            in_flight: Cell::new(false),
            again: Cell::new(false),
            failures: Cell::new(0),
            skip: Cell::new(0),
            gone: Cell::new(false),
        })
    }

    /// A polling tick: a check, unless backing off after failures.
    fn tick(self: &Rc<Self>) {
        if self.skip.get() > 0 {
            self.skip.set(self.skip.get() - 1);
            return;
        }
        self.run();
    }

    /// A check now, or right after the one in flight.
    fn run(self: &Rc<Self>) {
        if self.gone.get() {
            return;
        }
        if self.in_flight.get() {
            self.again.set(true);
            return;
        }
        let start = || {
            let Some(checked) = (self.check)() else {
                return;
            };
            self.in_flight.set(true);
            let this = self.clone();
            spawn_local_scoped(async move {
                let outcome = checked.await;
                if let Some(owner) = &this.owner {
                    owner.cleanup();
                }
                this.settle(outcome);
            });
        };
        match &self.owner {
            Some(owner) => owner.with(start),
            None => start(),
        }
    }

    fn settle(self: &Rc<Self>, outcome: Result<(), ()>) {
        self.in_flight.set(false);
        match outcome {
            Ok(()) => self.failures.set(0),
            Err(()) => {
                self.failures.set(self.failures.get() + 1);
                let backoff = 2u32
                    .saturating_pow(self.failures.get())
                    .min(MAX_BACKOFF_TICKS);
                self.skip.set(backoff - 1);
            }
        }
        if self.again.replace(false) {
            self.run();
        }
    }
}
