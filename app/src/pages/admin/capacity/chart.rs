//! A work center's load as an inline SVG bar chart, drawn in Rust: one bar per day,
//! booked minutes at the bottom and free minutes above them, the day's capacity as a
//! tick, closed days as a grey stub. Readable without hovering (axis, day labels,
//! numbers inside the bars where they fit, a legend); every bar also has a `<title>`,
//! and the same figures are offered as a table.

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;

use crate::model::capacity::{DayLoad, LOAD_WEEKS};

/// The drawing's size in its own units (the SVG scales to the card's width).
const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 250.0;
const LEFT: f64 = 46.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 20.0;
const BOTTOM: f64 = 50.0;
/// The smallest segment (in drawing units) that can hold its number.
const LABEL_ROOM: f64 = 13.0;
/// The legend: each mark's class and what it means.
const LEGEND: [(&str, &str); 5] = [
    ("booked", "Booked"),
    ("free", "Free"),
    ("over", "Booked beyond capacity"),
    ("closed", "Closed (day off or holiday)"),
    ("capacity", "Capacity of the day"),
];

/// The chart's geometry, computed from the load alone (so it can be tested without a
/// browser).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Chart {
    /// The minutes at the top of the axis.
    pub axis_max: u32,
    /// Axis ticks: minutes and their height.
    pub ticks: Vec<(u32, f64)>,
    /// One bar per day.
    pub bars: Vec<Bar>,
}

/// One day's bar.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Bar {
    /// The day's figures.
    pub load: DayLoad,
    /// Left edge.
    pub x: f64,
    /// Width.
    pub width: f64,
    /// Booked minutes, from the baseline up.
    pub booked: Segment,
    /// Free minutes, above the booked ones.
    pub free: Segment,
    /// The height of the day's capacity (none on a closed day).
    pub capacity_y: Option<f64>,
    /// What the bar's `<title>` says.
    pub title: String,
}

/// A stacked part of a bar, with its number when it fits inside.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Segment {
    /// Top edge.
    pub y: f64,
    /// Height (0 for no minutes).
    pub height: f64,
    /// The minutes as text, when they fit inside.
    pub label: Option<String>,
}

/// The geometry of `load`'s chart.
pub(super) fn chart(load: &[DayLoad]) -> Chart {
    let highest = load.iter().map(|d| d.capacity.max(d.booked)).max().unwrap_or(0);
    let step = [30, 60, 120, 180, 240, 360, 480, 600, 720, 1_440]
        .into_iter()
        .find(|step| highest.div_ceil(*step) <= 5)
        .unwrap_or(1_440);
    let axis_max = highest.div_ceil(step).max(1) * step;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let y_of = |minutes: u32| TOP + plot_height * (1.0 - f64::from(minutes) / f64::from(axis_max));
    let slot = (WIDTH - LEFT - RIGHT) / load.len().max(1) as f64;
    let bars = load
        .iter()
        .enumerate()
        .map(|(i, day)| {
            let shown_booked = day.booked.min(axis_max);
            let booked_top = y_of(shown_booked);
            let free_top = y_of(shown_booked + day.free());
            let segment = |top: f64, bottom: f64, minutes: u32| Segment {
                y: top,
                height: bottom - top,
                label: (minutes > 0 && bottom - top >= LABEL_ROOM).then(|| minutes.to_string()),
            };
            Bar {
                x: LEFT + slot * i as f64 + slot * 0.12,
                width: slot * 0.76,
                booked: segment(booked_top, y_of(0), day.booked),
                free: segment(free_top, booked_top, day.free()),
                capacity_y: (day.capacity > 0).then(|| y_of(day.capacity)),
                title: title(day),
                load: day.clone(),
            }
        })
        .collect();
    Chart {
        axis_max,
        ticks: (0..=axis_max / step)
            .map(|n| (n * step, y_of(n * step)))
            .collect(),
        bars,
    }
}

/// What a bar says when hovered or read out: `Mon 30 Nov: 420 min booked, 60 free of 480`.
fn title(day: &DayLoad) -> String {
    let date = day.day.format("%a %-d %b");
    match (day.capacity, &day.holiday) {
        (0, Some(holiday)) if day.booked == 0 => format!("{date}: closed ({holiday})"),
        (0, None) if day.booked == 0 => format!("{date}: closed"),
        _ if day.overbooked() => format!(
            "{date}: {} min booked, {} more than the {} it can work",
            day.booked,
            day.booked - day.capacity,
            day.capacity
        ),
        _ => format!(
            "{date}: {} min booked, {} free of {}",
            day.booked,
            day.free(),
            day.capacity
        ),
    }
}

/// The whole period in one sentence, for the chart's description.
pub(super) fn summary(load: &[DayLoad]) -> String {
    let capacity: u32 = load.iter().map(|d| d.capacity).sum();
    let booked: u32 = load.iter().map(|d| d.booked).sum();
    let free: u32 = load.iter().map(DayLoad::free).sum();
    let over = load.iter().filter(|d| d.overbooked()).count();
    let share = if capacity == 0 {
        String::new()
    } else {
        format!(" ({} %)", (u64::from(booked) * 100 / u64::from(capacity)))
    };
    let mut text =
        format!("Next {LOAD_WEEKS} weeks: {booked} of {capacity} minutes booked{share}, {free} free");
    match over {
        0 => {}
        1 => text.push_str("; 1 day overbooked"),
        _ => text.push_str(&format!("; {over} days overbooked")),
    }
    text
}

/// The chart of one work center's load, its legend, and the figures as a table.
#[component]
pub(super) fn LoadChart(code: String, name: String, load: Vec<DayLoad>) -> impl IntoView {
    let Chart { ticks, bars, .. } = chart(&load);
    let (title_id, desc_id) = (format!("load-title-{code}"), format!("load-desc-{code}"));
    let labelled_by = format!("{title_id} {desc_id}");
    let axis = ticks
        .into_iter()
        .map(|(minutes, y)| {
            view! {
                <g class="tick">
                    <line x1=fmt(LEFT) x2=fmt(WIDTH - RIGHT) y1=fmt(y) y2=fmt(y) />
                    <text x=fmt(LEFT - 4.0) y=fmt(y + 3.0) text-anchor="end">{minutes}</text>
                </g>
            }
        })
        .collect_view();
    let days = bars
        .iter()
        .enumerate()
        .map(|(i, bar)| day_labels(bar, i == 0))
        .collect_view();
    let bars = bars.into_iter().map(bar).collect_view();
    view! {
        <figure class="load">
            <svg class="load-chart" data-work-center=code.clone() viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img" aria-labelledby=labelled_by>
                <title id=title_id>{format!("Load of {name} ({code}) for the next {LOAD_WEEKS} weeks, in minutes per day")}</title>
                <desc id=desc_id>{summary(&load)}</desc>
                <g class="axis">{axis}</g>
                <text class="axis-title" x=fmt(LEFT - 4.0) y="9" text-anchor="end">"min"</text>
                <g class="bars">{bars}</g>
                <g class="days">{days}</g>
            </svg>
            <figcaption class="legend">
                {LEGEND.iter().map(|(class, label)| view! {
                    <span class="entry"><span class=format!("swatch {class}") aria-hidden="true"></span>{*label}</span>
                }).collect_view()}
            </figcaption>
            <LoadTable load />
        </figure>
    }
    .into_any()
}

fn bar(bar: Bar) -> impl IntoView {
    let Bar {
        load,
        x,
        width,
        booked,
        free,
        capacity_y,
        title,
    } = bar;
    let closed = load.capacity == 0 && load.booked == 0;
    let centre = x + width / 2.0;
    let stub = HEIGHT - BOTTOM - 3.0;
    let booked_class = if load.overbooked() {
        "booked over"
    } else {
        "booked"
    };
    view! {
        <g class="bar" class:closed=closed data-day=load.day.to_string() data-booked=load.booked.to_string()
            data-capacity=load.capacity.to_string() data-free=load.free().to_string()>
            <title>{title}</title>
            {closed.then(|| view! { <rect class="closed" x=fmt(x) y=fmt(stub) width=fmt(width) height="3" /> })}
            <rect class=booked_class x=fmt(x) y=fmt(booked.y) width=fmt(width) height=fmt(booked.height) />
            <rect class="free" x=fmt(x) y=fmt(free.y) width=fmt(width) height=fmt(free.height) />
            {capacity_y.map(|y| view! { <line class="capacity" x1=fmt(x - 1.0) x2=fmt(x + width + 1.0) y1=fmt(y) y2=fmt(y) /> })}
            {booked.label.map(|label| view! {
                <text class="in-booked" x=fmt(centre) y=fmt(booked.y + booked.height / 2.0 + 3.0) text-anchor="middle">{label}</text>
            })}
            {free.label.map(|label| view! {
                <text class="in-free" x=fmt(centre) y=fmt(free.y + free.height / 2.0 + 3.0) text-anchor="middle">{label}</text>
            })}
        </g>
    }
}

/// The day of the month and the weekday's initial under a bar; the month's name under
/// the first day and each 1st.
fn day_labels(bar: &Bar, first: bool) -> impl IntoView + use<> {
    let day = bar.load.day;
    let centre = fmt(bar.x + bar.width / 2.0);
    let base = HEIGHT - BOTTOM;
    let month = (first || day.day() == 1).then(|| day.format("%b").to_string());
    let weekday = day
        .format("%a")
        .to_string()
        .chars()
        .next()
        .unwrap_or(' ')
        .to_string();
    view! {
        <text class="day" class:closed=bar.load.capacity == 0 x=centre.clone() y=fmt(base + 13.0) text-anchor="middle">{day.day()}</text>
        <text class="weekday" x=centre.clone() y=fmt(base + 25.0) text-anchor="middle">{weekday}</text>
        {month.map(|m| view! { <text class="month" x=centre.clone() y=fmt(base + 40.0) text-anchor="middle">{m}</text> })}
    }
}

/// The same figures as rows, for screen readers and for reading exact numbers.
#[component]
fn LoadTable(load: Vec<DayLoad>) -> impl IntoView {
    view! {
        <details class="load-table">
            <summary>"Show as a table"</summary>
            <table class="grid">
                <thead><tr>
                    <th scope="col">"Day"</th><th scope="col" class="num">"Capacity (min)"</th>
                    <th scope="col" class="num">"Booked"</th><th scope="col" class="num">"Free"</th><th scope="col">"Note"</th>
                </tr></thead>
                <tbody>
                    {load.into_iter().map(|day| {
                        let note = match (&day.holiday, day.capacity, day.overbooked()) {
                            (Some(holiday), _, _) => holiday.clone(),
                            (None, _, true) => "overbooked".to_string(),
                            (None, 0, _) => "closed".to_string(),
                            _ => String::new(),
                        };
                        view! {
                            <tr>
                                <th scope="row">{long(day.day)}</th>
                                <td class="num">{day.capacity}</td>
                                <td class="num">{day.booked}</td>
                                <td class="num">{day.free()}</td>
                                <td>{note}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
    .into_any()
}

fn long(day: NaiveDate) -> String {
    day.format("%a %-d %b").to_string()
}

/// A coordinate with one decimal: plenty at this size, and short markup.
fn fmt(value: f64) -> String {
    format!("{value:.1}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(n: u32, capacity: u32, booked: u32) -> DayLoad {
        DayLoad {
            day: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap() + chrono::Days::new(u64::from(n)),
            capacity,
            booked,
            holiday: None,
        }
    }

    #[test]
    fn the_axis_ends_on_a_round_number_above_the_highest_bar() {
        let c = chart(&[day(0, 480, 300), day(1, 480, 0)]);
        assert_eq!(c.axis_max, 480);
        assert_eq!(c.ticks.first().map(|t| t.0), Some(0));
        assert_eq!(c.ticks.last().map(|t| t.0), Some(480));
        // Overbooking raises the axis so the whole booked bar shows.
        assert_eq!(chart(&[day(0, 480, 600)]).axis_max, 600);
        assert_eq!(chart(&[day(0, 480, 610)]).axis_max, 720);
        assert_eq!(chart(&[day(0, 0, 0)]).axis_max, 30);
    }

    #[test]
    fn booked_and_free_stack_up_to_the_capacity() {
        let c = chart(&[day(0, 480, 120)]);
        let bar = &c.bars[0];
        let baseline = HEIGHT - BOTTOM;
        assert!((bar.booked.y + bar.booked.height - baseline).abs() < 1e-9);
        assert!((bar.free.y + bar.free.height - bar.booked.y).abs() < 1e-9);
        assert!((bar.free.y - bar.capacity_y.unwrap()).abs() < 1e-9);
        assert!(
            (bar.free.height / bar.booked.height - 3.0).abs() < 1e-9,
            "360 free is three times 120 booked"
        );
        assert_eq!(bar.booked.label.as_deref(), Some("120"));
        assert_eq!(bar.free.label.as_deref(), Some("360"));
        assert_eq!(bar.title, "Wed 25 Nov: 120 min booked, 360 free of 480");
    }

    #[test]
    fn numbers_that_do_not_fit_are_left_to_the_title_and_the_table() {
        let c = chart(&[day(0, 480, 5)]);
        assert_eq!(c.bars[0].booked.label, None);
        assert!(c.bars[0].title.contains("5 min booked"));
    }

    #[test]
    fn closed_and_overbooked_days_say_so() {
        let mut holiday = day(0, 0, 0);
        holiday.holiday = Some("Christmas Day".into());
        let c = chart(&[holiday, day(1, 0, 0), day(2, 480, 540)]);
        assert_eq!(c.bars[0].title, "Wed 25 Nov: closed (Christmas Day)");
        assert_eq!(c.bars[1].title, "Thu 26 Nov: closed");
        assert_eq!(c.bars[0].capacity_y, None);
        assert_eq!(
            c.bars[2].title,
            "Fri 27 Nov: 540 min booked, 60 more than the 480 it can work"
        );
        assert_eq!(c.bars[2].free.height, 0.0);
    }

    #[test]
    fn the_summary_adds_up_the_period() {
        let text = summary(&[day(0, 480, 120), day(1, 480, 600), day(2, 0, 0)]);
        assert_eq!(
            text,
            format!("Next {LOAD_WEEKS} weeks: 720 of 960 minutes booked (75 %), 360 free; 1 day overbooked")
        );
    }
}
