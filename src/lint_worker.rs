//! Lint off the page's thread. A large spec takes tens of milliseconds to analyse: done on
//! the page, that is a pause every time the user stops typing. A Web Worker runs the app's
//! own wasm (`lint-worker.js` imports the same glue, so nothing more is downloaded) and
//! answers each text with its analysis, as `backfill_spec::wire` bytes; the page only builds
//! the plan of the spec it gets back.
//!
//! One request is in flight at a time; text typed meanwhile waits in one slot, and an answer
//! that has been overtaken is dropped. When the worker cannot start or fails, lint runs on
//! the page as before: slower, never wrong.

use std::cell::RefCell;
use std::sync::Arc;

use backfill_spec::wire;
use js_sys::Uint8Array;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, Worker, WorkerOptions, WorkerType};

use crate::state::AppState;

enum Page {
    NotStarted,
    /// No worker here: lint on the page.
    Failed,
    Running {
        worker: Worker,
        /// The text whose answer is awaited, and the catalog text it went with.
        in_flight: Option<(Arc<str>, Option<Arc<str>>)>,
        /// The newest text typed since, to send when the answer comes.
        next: Option<Arc<str>>,
    },
}

thread_local!(static PAGE: RefCell<Page> = const { RefCell::new(Page::NotStarted) });

/// Texts longer than this (bytes) are linted in the worker, and the editor waits for a pause
/// in typing before it asks; shorter ones are linted on the page at once.
pub const LARGE_TEXT: usize = 40_000;

/// How a text reached the editor: with its size, it decides where the text is analysed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrival {
    /// Typed or pasted (after the editor's pause, for a large text).
    Typed,
    /// Replaced as a whole: a file, a share link, the saved draft, the format toggle, "New",
    /// an undo or redo, an editor key (Enter, Tab, Ctrl+/).
    Replaced,
    /// Written by the form, which shows the spec it wrote at once: on the page, whatever
    /// the size (the worker's delay would show the spec before the edit under the user's
    /// fingers).
    FormEdit,
}

/// The one place that decides where a text is analysed: a short one, or a form's, on the page
/// now; a large one in the worker (starting it the first time), or on the page when there is
/// no worker. Until a worker's answer is in, `AppState::is_current` is false and whatever
/// acts on the spec calls `AppState::catch_up` first.
pub fn lint(state: AppState, text: Arc<str>, arrival: Arrival) {
    if text.len() <= LARGE_TEXT || arrival == Arrival::FormEdit {
        return state.analyse(text);
    }
    warm_up(state);
    let fallback = PAGE.with_borrow_mut(|page| match page {
        Page::Running {
            in_flight: Some(_),
            next,
            ..
        } => {
            *next = Some(text);
            None
        }
        Page::Running {
            worker, in_flight, ..
        } => send(state, worker, in_flight, text),
        _ => Some(text),
    });
    if let Some(text) = fallback {
        state.analyse(text);
    }
}

/// Posts a request; gives the text back when the worker would not take it.
fn send(
    state: AppState,
    worker: &Worker,
    in_flight: &mut Option<(Arc<str>, Option<Arc<str>>)>,
    text: Arc<str>,
) -> Option<Arc<str>> {
    let catalog = state.catalog_text.get_value();
    let request = wire::request(state.today, catalog.as_deref(), &text);
    if worker
        .post_message(&Uint8Array::from(&request[..]))
        .is_err()
    {
        return Some(text);
    }
    *in_flight = Some((text, catalog));
    None
}

/// The worker's answer. Newer text waiting, or another catalog since, is sent instead; an
/// answer whose text is no longer the editor's (a form edit, a file opened meanwhile, each
/// analysed on its own) is dropped.
fn received(state: AppState, answer: Vec<u8>) {
    let done = PAGE.with_borrow_mut(|page| {
        let Page::Running {
            worker,
            in_flight,
            next,
        } = page
        else {
            return None;
        };
        let (text, catalog) = in_flight.take()?;
        let again = next
            .take()
            .or_else(|| (catalog != state.catalog_text.get_value()).then(|| text.clone()));
        match again {
            Some(again) => send(state, worker, in_flight, again).map(|t| (t, None)),
            None => Some((text, Some(answer))),
        }
    });
    let Some((text, answer)) = done else { return };
    let analysis = match answer {
        Some(_) if state.text.with_untracked(|t| **t != *text) => return,
        Some(a) => state.catalog.with_untracked(|c| wire::read_answer(&a, c)),
        None => None,
    };
    match analysis {
        Some(analysis) => state.analysis.set(crate::state::Analyzed {
            text,
            analysis: Arc::new(analysis),
        }),
        None => state.analyse(text),
    }
}

/// The worker failed (its script or wasm did not load, or it broke): lint on the page from
/// now on, starting with the text it was working on.
fn failed(state: AppState) {
    let pending = PAGE.with_borrow_mut(|page| {
        let old = std::mem::replace(page, Page::Failed);
        match old {
            Page::Running {
                worker,
                in_flight,
                next,
            } => {
                worker.terminate();
                next.or(in_flight.map(|(text, _)| text))
            }
            _ => None,
        }
    });
    if let Some(text) = pending {
        state.analyse(text);
    }
}

/// Starts the worker if it has not been started: the editor calls this at a large text's
/// first keystroke, so that the worker has loaded by the time the pause in typing ends.
pub fn warm_up(state: AppState) {
    PAGE.with_borrow_mut(|page| {
        if let Page::NotStarted = page {
            *page = start(state).unwrap_or(Page::Failed);
        }
    });
}

fn start(state: AppState) -> Option<Page> {
    // The glue's URL, which the worker imports: Trunk preloads it.
    let glue = document()
        .query_selector("link[rel=modulepreload]")
        .ok()??
        .get_attribute("href")?;
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let url = format!("./lint-worker.js?{glue}");
    let worker = Worker::new_with_options(&url, &options).ok()?;
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
        received(state, Uint8Array::new(&e.data()).to_vec())
    });
    let on_error = Closure::<dyn Fn()>::new(move || failed(state));
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_message.forget();
    on_error.forget();
    Some(Page::Running {
        worker,
        in_flight: None,
        next: None,
    })
}

/// In the worker (`main` calls this when there is no window): answer every request.
pub fn serve() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
        let answer = wire::answer(&Uint8Array::new(&e.data()).to_vec());
        let _ = reply.post_message(&Uint8Array::from(&answer[..]));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
}
