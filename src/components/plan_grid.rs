use backfill_spec::{Day, HourSet, Plan, Target};
use leptos::prelude::*;

use wasm_bindgen::JsCast;
use web_sys::CanvasRenderingContext2d;

use crate::state::AppState;

const ROW_PX: f64 = 16.0;
const MIN_CELL_PX: f64 = 2.0;
const MAX_CELL_PX: f64 = 16.0;
/// Width the cells share before the grid scrolls sideways.
const FIT_PX: f64 = 900.0;

/// What the grid needs of a plan, computed once per analysis.
#[derive(Clone, Debug, PartialEq)]
struct GridModel {
    feeds: Vec<String>,
    first: Day,
    days: usize,
    /// One per unit: (feed row, day column, target, hours).
    cells: Vec<(u32, u32, Target, HourSet)>,
}

impl GridModel {
    fn of(plan: &Plan) -> Option<GridModel> {
        let (first, last) = (plan.summary.first_day?, plan.summary.last_day?);
        let cells = plan
            .units
            .iter()
            .map(|u| (u.feed, u.day.days_since(first) as u32, u.target, u.hours))
            .collect();
        Some(GridModel {
            feeds: plan.feeds.clone(),
            first,
            days: (last.days_since(first) + 1) as usize,
            cells,
        })
    }

    fn cell_px(&self) -> f64 {
        (FIT_PX / self.days as f64)
            .clamp(MIN_CELL_PX, MAX_CELL_PX)
            .floor()
    }

    /// What is planned for one feed on one day: units are sorted by (day, feed, target), so
    /// a binary search finds them.
    fn at(&self, row: u32, col: u32) -> Vec<(Target, HourSet)> {
        let start = self.cells.partition_point(|c| (c.1, c.0) < (col, row));
        self.cells[start..]
            .iter()
            .take_while(|c| c.1 == col && c.0 == row)
            .map(|c| (c.2, c.3))
            .collect()
    }

    fn describe(&self, row: u32, col: u32) -> String {
        let feed = &self.feeds[row as usize];
        let day = self.first.plus_days(col as i32);
        let found = self.at(row, col);
        if found.is_empty() {
            return format!("{feed}, {day}: not reprocessed");
        }
        let parts: Vec<String> = found
            .iter()
            .map(|(target, hours)| {
                let how = if hours.is_full() {
                    "whole day".to_string()
                } else {
                    format!("hours {hours}")
                };
                format!("{} ({how})", target_label(*target))
            })
            .collect();
        format!("{feed}, {day}: {}", parts.join(" and "))
    }
}

fn target_label(target: Target) -> &'static str {
    match target {
        Target::Emr => "EMR",
        Target::Replay => "replay",
    }
}

/// The value of one of the stylesheet's colours (style/main.css), which follow the light or
/// dark scheme.
fn css_var(el: &web_sys::Element, name: &str) -> String {
    window()
        .get_computed_style(el)
        .ok()
        .flatten()
        .and_then(|s| s.get_property_value(name).ok())
        .map(|v| v.trim().to_string())
        .unwrap_or_default()
}

/// Draws every unit: EMR cells filled, replay cells hatched (shape, not only colour, tells
/// them apart), partial days filled in proportion to their hours; the focused cell outlined.
fn draw(canvas: &web_sys::HtmlCanvasElement, model: &GridModel, focus: Option<(u32, u32)>) {
    let cell = model.cell_px();
    let width = (model.days as f64 * cell).max(1.0);
    let height = (model.feeds.len() as f64 * ROW_PX).max(1.0);
    canvas.set_width(width as u32);
    canvas.set_height(height as u32);
    let Ok(Some(ctx)) = canvas.get_context("2d") else {
        return;
    };
    let Ok(ctx) = ctx.dyn_into::<CanvasRenderingContext2d>() else {
        return;
    };
    let emr = css_var(canvas, "--emr");
    let replay = css_var(canvas, "--replay");
    let grid = css_var(canvas, "--border");
    ctx.clear_rect(0.0, 0.0, width, height);
    ctx.set_fill_style_str(&grid);
    for row in 1..model.feeds.len() {
        ctx.fill_rect(0.0, row as f64 * ROW_PX, width, 1.0);
    }
    let gap = if cell >= 4.0 { 1.0 } else { 0.0 };
    // The colour is set when it changes, not for each of thousands of cells: each setting
    // passes a string to the browser, which parses it as CSS.
    let mut colour = None;
    for &(row, col, target, hours) in &model.cells {
        let x = col as f64 * cell;
        let full = ROW_PX - 3.0;
        let h = (full * hours.len() as f64 / 24.0).max(2.0);
        let y = row as f64 * ROW_PX + 2.0 + (full - h);
        if colour != Some(target) {
            colour = Some(target);
            ctx.set_fill_style_str(match target {
                Target::Emr => &emr,
                Target::Replay => &replay,
            });
        }
        match target {
            Target::Emr => {
                ctx.fill_rect(x, y, cell - gap, h);
            }
            Target::Replay => {
                // Hatched: alternate pixel rows, so replay reads differently without colour.
                let mut yy = y;
                while yy < y + h {
                    ctx.fill_rect(x, yy, cell - gap, 1.0);
                    yy += 2.0;
                }
            }
        }
    }
    if let Some((row, col)) = focus {
        ctx.set_stroke_style_str(&css_var(canvas, "--focus"));
        ctx.set_line_width(2.0);
        ctx.stroke_rect(
            col as f64 * cell - 1.0,
            row as f64 * ROW_PX + 1.0,
            cell + 1.0,
            ROW_PX - 1.0,
        );
    }
}

/// The feeds × days picture: feeds as rows, days as columns, drawn on one canvas (a plan of a
/// year × 50 feeds is one element, not 18,000). Hover or arrow keys show a cell's details in
/// a live region, so keyboard and screen-reader users get the same information.
#[component]
pub fn PlanGrid() -> impl IntoView {
    let state = expect_context::<AppState>();
    let model = Memo::new(move |_| {
        state
            .analysis
            .with(|a| a.analysis.plan.as_ref().and_then(GridModel::of))
    });
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let focus = RwSignal::new(None::<(u32, u32)>);
    let detail = RwSignal::new(String::new());

    Effect::new(move |_| {
        let focused = focus.get();
        model.with(|m| {
            if let (Some(m), Some(c)) = (m, canvas.get()) {
                draw(&c, m, focused);
            }
        });
    });

    let span = move || {
        model.with(|m| {
            m.as_ref()
                .map(|m| {
                    let last = m.first.plus_days(m.days as i32 - 1);
                    format!("{} to {last}, {} day(s)", m.first, m.days)
                })
                .unwrap_or_default()
        })
    };
    let show = move |row: u32, col: u32| {
        model.with_untracked(|m| {
            if let Some(m) = m {
                detail.set(m.describe(row, col));
            }
        });
    };
    let on_move = move |ev: leptos::ev::MouseEvent| {
        model.with_untracked(|m| {
            let Some(m) = m else { return };
            let col = (f64::from(ev.offset_x()) / m.cell_px()) as u32;
            let row = (f64::from(ev.offset_y()) / ROW_PX) as u32;
            if (row as usize) < m.feeds.len() && (col as usize) < m.days {
                show(row, col);
            }
        });
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let Some((rows, cols)) =
            model.with_untracked(|m| m.as_ref().map(|m| (m.feeds.len() as u32, m.days as u32)))
        else {
            return;
        };
        let (row, col) = focus.get_untracked().unwrap_or((0, 0));
        let next = match ev.key().as_str() {
            "ArrowRight" => (row, (col + 1).min(cols - 1)),
            "ArrowLeft" => (row, col.saturating_sub(1)),
            "ArrowDown" => ((row + 1).min(rows - 1), col),
            "ArrowUp" => (row.saturating_sub(1), col),
            "Home" => (row, 0),
            "End" => (row, cols - 1),
            "PageDown" => (row, (col + 7).min(cols - 1)),
            "PageUp" => (row, col.saturating_sub(7)),
            _ => return,
        };
        ev.prevent_default();
        focus.set(Some(next));
        show(next.0, next.1);
    };
    let on_focus = move |_| {
        if focus.get_untracked().is_none() {
            focus.set(Some((0, 0)));
            show(0, 0);
        }
    };

    view! {
        <section class="plan-part" aria-labelledby="grid-heading">
            <h3 id="grid-heading">"Feeds × days"</h3>
            <p class="legend">
                <span class="swatch swatch-emr" aria-hidden="true"></span>"EMR (solid) "
                <span class="swatch swatch-replay" aria-hidden="true"></span>"replay (striped) "
                <span class="swatch swatch-partial" aria-hidden="true"></span>"part of a day (shorter bar)"
            </p>
            // The canvas stays mounted while the plan changes: only what it shows is redrawn.
            <div class="grid-wrap" hidden=move || model.with(Option::is_none)>
                <ul class="grid-feeds" aria-hidden="true">
                    {move || {
                        model
                            .with(|m| m.as_ref().map(|m| m.feeds.clone()).unwrap_or_default())
                            .into_iter()
                            .map(|f| view! { <li>{f}</li> })
                            .collect_view()
                    }}
                </ul>
                <div class="grid-scroll">
                    <canvas
                        node_ref=canvas
                        tabindex="0"
                        role="img"
                        aria-label=move || format!("Grid of feeds by days, {}; use the arrow keys to read each cell", span())
                        aria-describedby="grid-detail"
                        data-testid="plan-grid"
                        on:mousemove=on_move
                        on:keydown=on_key
                        on:focus=on_focus
                    ></canvas>
                    <p class="grid-axis">{span}</p>
                </div>
            </div>
            <p id="grid-detail" class="grid-detail" aria-live="polite" data-testid="grid-detail">
                {move || detail.get()}
            </p>
        </section>
    }
}
