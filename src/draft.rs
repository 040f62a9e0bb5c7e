//! The draft: the spec text and its format, saved in localStorage as the user works, so a
//! reload or a crash loses nothing. Nothing else is stored (never a presigned URL).

use leptos::prelude::*;

use crate::browser;
use crate::state::{AppState, Format};

const TEXT_KEY: &str = "backfill-builder.draft.text";
const FORMAT_KEY: &str = "backfill-builder.draft.format";
const SAVE_PAUSE_MS: u64 = 300;
/// Set while the saved draft is being opened (analysed), cleared once it is: found set at
/// start-up, it means the last page died opening the draft.
const OPENING_KEY: &str = "backfill-builder.draft.opening";
/// Where such a draft is set aside, so that it is neither opened again nor lost.
const SET_ASIDE_KEY: &str = "backfill-builder.draft.set-aside";

pub struct Draft {
    pub text: String,
    pub format: Format,
}

/// A draft that the last page did not finish opening: it is moved aside (so that this page
/// opens with a new spec) and returned, to be offered as a download.
pub fn take_unopened() -> Option<String> {
    if browser::load(OPENING_KEY).is_some() {
        browser::remove(OPENING_KEY);
        if let Some(text) = browser::load(TEXT_KEY) {
            browser::save(SET_ASIDE_KEY, &text);
            browser::remove(TEXT_KEY);
        }
    }
    browser::load(SET_ASIDE_KEY)
}

/// The set-aside draft was downloaded or dismissed.
pub fn forget_set_aside() {
    browser::remove(SET_ASIDE_KEY);
}

/// Marks the saved draft as being opened, until [`opened`].
pub fn opening() {
    browser::save(OPENING_KEY, "1");
}

pub fn opened() {
    browser::remove(OPENING_KEY);
}

pub fn load() -> Option<Draft> {
    let text = browser::load(TEXT_KEY)?;
    let format = match browser::load(FORMAT_KEY).as_deref() {
        Some("json") => Format::Json,
        _ => Format::Yaml,
    };
    Some(Draft { text, format })
}

/// Saves the draft after each pause in typing, and says in `saved` whether storage took it.
pub fn autosave(state: AppState, saved: RwSignal<Option<&'static str>>) {
    let pending = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |first: Option<()>| {
        let text = state.text.get();
        let format = state.format.get();
        if first.is_none() {
            return; // what was just loaded needs no saving
        }
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                let ok =
                    browser::save(TEXT_KEY, &text) && browser::save(FORMAT_KEY, format.extension());
                saved.set(Some(if ok {
                    "Draft saved in this browser."
                } else {
                    "✕ The draft could not be saved (storage full or off): download it to keep it."
                }));
            },
            std::time::Duration::from_millis(SAVE_PAUSE_MS),
        )
        .ok();
        pending.set_value(handle);
    });
}
