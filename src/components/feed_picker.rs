use backfill_spec::Feeds;
use backfill_spec::fields::{At, Field, Value};
use leptos::prelude::*;

use crate::components::field_problems::FieldProblems;
use crate::state::AppState;

/// What a box of the picker stands for: `feeds: all`, or one feed.
#[derive(Clone)]
enum FeedBox {
    All,
    Feed(String),
}

/// The feeds of one entry: "all", or feeds picked from the catalog with a filter. Feeds the
/// text names that the catalog does not know stay listed (and flagged) so nothing is lost.
#[component]
pub fn FeedPicker(field: &'static Field, index: usize) -> impl IntoView {
    let state = expect_context::<AppState>();
    let form = state.form;
    let at = At::Entry(index);
    let path = field.path(at);
    let filter = RwSignal::new(String::new());
    // A memo, so that an entry's boxes (a feed's each, and "all") follow its feeds, not the
    // whole form: every reader of the form is one of its subscribers, and Leptos drops a
    // subscriber by shifting the ones after it. With 50 entries shown, the boxes made every
    // keystroke in the text ~11 ms slower (docs/benchmarks.md, "Where the time goes").
    let feeds = Memo::new(move |_| {
        form.with(|f| match field.get(&f.spec, at) {
            Value::Feeds(feeds) => feeds,
            _ => Feeds::default(),
        })
    });
    let is_all = move || feeds.with(|f| *f == Feeds::All);
    let selected = move || match feeds.get() {
        Feeds::List(list) => list,
        Feeds::All => Vec::new(),
    };
    // The catalog's feeds, then the entry's feeds the catalog does not know, as two lists:
    // the first does not read the form, so an edit elsewhere in a spec of thousands of
    // entries does not rebuild every entry's boxes (each box's `checked` follows on its own).
    let choices = move |known: bool| {
        let needle = filter.get().to_ascii_lowercase();
        let mut names: Vec<String> = state
            .catalog
            .with(|c| c.feeds.iter().map(|f| f.name.clone()).collect());
        if !known {
            let catalog = names;
            names = selected();
            names.retain(|n| !catalog.contains(n));
        }
        names.retain(|n| needle.is_empty() || n.to_ascii_lowercase().contains(&needle));
        names
    };
    let set_feeds = move |feeds: Feeds| {
        state.touch(field.path(at));
        state.edit_spec(|s| field.set(s, at, Value::Feeds(feeds)));
    };
    let checked = move |feed: FeedBox| {
        move || match &feed {
            FeedBox::All => is_all(),
            FeedBox::Feed(name) => {
                feeds.with(|f| matches!(f, Feeds::List(list) if list.contains(name)))
            }
        }
    };
    let on_change = move |feed: FeedBox| {
        move |ev: leptos::ev::Event| {
            let on = event_target_checked(&ev);
            match feed.clone() {
                FeedBox::All => set_feeds(if on {
                    Feeds::All
                } else {
                    Feeds::List(Vec::new())
                }),
                FeedBox::Feed(name) => {
                    let mut list = untrack(selected);
                    list.retain(|n| n != &name);
                    if on {
                        list.push(name);
                    }
                    set_feeds(Feeds::List(list));
                }
            }
        }
    };
    // A box and its label, with a note after its name.
    let feed_box = move |id: String, feed: FeedBox, text: String, note: &'static str| {
        view! {
            <input type="checkbox" id=id.clone() prop:checked=checked(feed.clone()) on:change=on_change(feed) />
            <label for=id>{text}{note}</label>
        }
    };
    let items = move |known: bool| {
        choices(known)
            .into_iter()
            .map(|name| {
                let checkbox = format!("entry-{index}-feed-{name}");
                let note = if known { "" } else { " (not in the catalog)" };
                view! { <li>{feed_box(checkbox, FeedBox::Feed(name.clone()), name, note)}</li> }
            })
            .collect_view()
    };
    let group = format!("entry-{index}-feeds");
    let filter_id = format!("{group}-filter");
    let all_id = format!("{group}-all");
    let problems_id = format!("{group}-problems");

    view! {
        <fieldset class="feed-picker" aria-describedby=problems_id.clone()>
            <legend>"Feeds"</legend>
            <div class="feed-picker-top">
                {feed_box(all_id, FeedBox::All, "all feeds that exist on each day".to_string(), "")}
                <label for=filter_id.clone() class="visually-hidden">"Filter feeds"</label>
                <input
                    type="search"
                    id=filter_id
                    placeholder="Filter feeds"
                    disabled=is_all
                    on:input=move |ev| filter.set(event_target_value(&ev))
                />
            </div>
            <ul class="feed-choices" hidden=is_all>
                {move || items(true)}
                {move || items(false)}
            </ul>
            <FieldProblems path=path id=problems_id.clone() />
        </fieldset>
    }
}
