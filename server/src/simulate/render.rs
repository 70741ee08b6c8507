//! A replay report for people: a plain-text summary for the terminal, and one
//! self-contained HTML page whose charts are SVG drawn here, so the report is a single
//! file that can be mailed or archived and opens anywhere without a network.

use std::fmt::Write as _;

use chrono::NaiveDate;
use engine::money::Money;

use super::report::{Figures, LeadTimeRow, Lost, PaceRow, Report, RunReport, Week};

/// A summary row's label and its cell from a set of figures.
type SummaryRow = (&'static str, fn(&Figures) -> String);
/// A charted series' CSS class, its legend, and its figure.
type Series<T, V> = (&'static str, &'static str, fn(&T) -> V);

/// Printed for a figure that had nothing to divide by.
const NONE: &str = "–";

/// The summary rows, shared by both renderings so the terminal and the page never
/// disagree.
const SUMMARY_ROWS: [SummaryRow; 19] = [
    ("shoppers", |f| f.shoppers.to_string()),
    ("orders", |f| f.orders.to_string()),
    ("delivered", |f| f.delivered.to_string()),
    ("by P50", |f| fmt_share(f.by_p50)),
    ("by P90", |f| fmt_share(f.by_p90)),
    ("by promise", |f| fmt_share(f.by_promise)),
    ("strictly before P50", |f| fmt_share(f.before_p50)),
    ("strictly before P90", |f| fmt_share(f.before_p90)),
    ("strictly before the promise", |f| fmt_share(f.before_promise)),
    ("P50 calibrated (before ≤ 50 % ≤ by)", |f| {
        calibration(f.before_p50, f.by_p50, 0.5)
    }),
    ("P90 calibrated (before ≤ 90 % ≤ by)", |f| {
        calibration(f.before_p90, f.by_p90, 0.9)
    }),
    ("mean abs error (days)", |f| fmt_number(f.mean_abs_error_days)),
    ("P95 abs error (days)", |f| fmt_number(f.p95_abs_error_days)),
    ("perfect order rate", |f| fmt_share(f.perfect_order_rate)),
    ("fill rate", |f| fmt_share(f.fill_rate)),
    ("lost: unavailable / too slow / refused", |f| {
        format!(
            "{} / {} / {}",
            f.lost.unavailable, f.lost.too_slow, f.lost.refused
        )
    }),
    ("cancelled", |f| f.cancelled.to_string()),
    ("mean inventory value", |f| {
        Money(f.inventory_value_minor).to_string()
    }),
    ("turnover (per year)", |f| fmt_number(f.turnover)),
];

/// The weekly shares charted, each with its CSS class and legend.
const SHARES: [Series<Figures, Option<f64>>; 3] = [
    ("p50", "by P50", |f| f.by_p50),
    ("p90", "by P90", |f| f.by_p90),
    ("promise", "by promise", |f| f.by_promise),
];

/// The reasons shoppers were lost, stacked in this order from the bottom.
const REASONS: [Series<Lost, u32>; 3] = [
    ("unavailable", "unavailable", |l| l.unavailable),
    ("too-slow", "too slow", |l| l.too_slow),
    ("refused", "refused", |l| l.refused),
];

/// The runs' colours in the reliability diagram (the Tableau palette, told apart in print).
const RUN_COLOURS: [&str; 4] = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"];

/// The page's look; the charts' marks and legends take their colours from the same classes.
const STYLE: &str = "\
body{font:14px/1.4 system-ui,sans-serif;color:#222;max-width:60em;margin:2em auto;padding:0 1em}\
table{border-collapse:collapse;margin:1em 0}caption{font-weight:bold;text-align:left;padding:.3em 0}\
th,td{padding:.2em .7em;border-bottom:1px solid #ddd}td{text-align:right;font-variant-numeric:tabular-nums}\
th{text-align:right}th[scope=row]{font-weight:normal}th[scope=row],.name{text-align:left}\
figure{margin:1.5em 0}figcaption{font-weight:bold}\
svg{display:block;max-width:100%;height:auto;margin:1em 0;font-size:11px}\
.axis{stroke:#444}.grid{stroke:#eee}.ref{stroke:#888;stroke-dasharray:5 4}\
polyline.line{fill:none;stroke-width:2}\
.p50{stroke:#1f77b4;fill:#1f77b4}.p90{stroke:#ff7f0e;fill:#ff7f0e}.promise{stroke:#2ca02c;fill:#2ca02c}\
.unavailable{fill:#7f7f7f}.too-slow{fill:#d62728}.refused{fill:#ff7f0e}";

/// The weekly charts' size and the margins every chart leaves for labels and legend.
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 56.0;
/// The reliability diagram is square, so its diagonal is at 45°.
const SQUARE: f64 = 420.0;

/// The report as plain text for a terminal.
pub fn terminal(report: &Report) -> String {
    let mut out = format!("{}\nscenario:\n", header(report));
    for line in &report.scenario {
        let _ = writeln!(out, "  - {line}");
    }
    let learned = report
        .runs
        .iter()
        .filter(|run| run.learning)
        .flat_map(|run| [Table::lead_times(run), Table::paces(run)]);
    for table in summaries(report).into_iter().chain(learned) {
        let _ = write!(out, "\n{}", table.text());
    }
    out
}

/// The report as one HTML5 page with inline style and SVG charts, no scripts and no
/// external resources.
pub fn html(report: &Report) -> String {
    let title = escape(&format!("c2m simulate: {}", report.shop));
    let mut page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
         <style>{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n<p>{}</p>\n<h2>Scenario</h2>\n<ul>\n",
        escape(&header(report))
    );
    for line in &report.scenario {
        let _ = writeln!(page, "<li>{}</li>", escape(line));
    }
    page.push_str("</ul>\n<h2>Summary</h2>\n");
    for table in summaries(report) {
        page.push_str(&table.html());
    }
    page.push_str("<h2>Reliability</h2>\n");
    page.push_str(&reliability_chart(report));
    for run in &report.runs {
        let _ = writeln!(page, "<section>\n<h2>Run {}</h2>", escape(&run.name));
        page.push_str(&shares_chart(run, report.promise_quantile));
        page.push_str(&lost_chart(run));
        if run.learning {
            page.push_str(&Table::lead_times(run).html());
            page.push_str(&Table::paces(run).html());
        }
        page.push_str("</section>\n");
    }
    page.push_str("</body>\n</html>\n");
    page
}

/// The report's facts in one line.
fn header(report: &Report) -> String {
    format!(
        "c2m simulate: shop {}, seed {}, from {}, {} days ({} of warm-up), promise quantile {}",
        report.shop,
        report.seed,
        report.start,
        report.days,
        report.warm_up_days,
        fmt_quantile(report.promise_quantile)
    )
}

/// The rows about the whole shop (its shoppers and stock), which a table of some of
/// its orders leaves out.
const SHOP_WIDE: [&str; 5] = [
    "shoppers",
    "fill rate",
    "lost: unavailable / too slow / refused",
    "mean inventory value",
    "turnover (per year)",
];

/// After the warm-up, then the slipping supplier's orders when any run has them.
fn summaries(report: &Report) -> Vec<Table> {
    let mut summaries = vec![Table::summary(
        "after the warm-up",
        report,
        |run| Some(&run.after_warm_up),
        false,
    )];
    if report.runs.iter().any(|run| run.slipping_supplier.is_some()) {
        summaries.push(Table::summary(
            "orders waiting on the slipping supplier",
            report,
            |run| run.slipping_supplier.as_ref(),
            true,
        ));
    }
    summaries
}

/// A table as text cells, built once and written to either output.
struct Table {
    title: String,
    head: Vec<String>,
    rows: Vec<Vec<String>>,
    /// How many leading columns hold names (left-aligned); the rest hold figures.
    names: usize,
}

impl Table {
    /// One column per run; a run without these figures shows `–` throughout. A table
    /// of `orders_only` leaves out the shop-wide rows.
    fn summary(
        title: &str,
        report: &Report,
        figures: fn(&RunReport) -> Option<&Figures>,
        orders_only: bool,
    ) -> Table {
        let mut head = vec![String::new()];
        head.extend(report.runs.iter().map(|run| run.name.clone()));
        let rows = SUMMARY_ROWS
            .iter()
            .filter(|(label, _)| !(orders_only && SHOP_WIDE.contains(label)))
            .map(|&(label, cell)| {
                let mut row = vec![label.to_string()];
                row.extend(
                    report
                        .runs
                        .iter()
                        .map(|run| figures(run).map_or_else(|| NONE.to_string(), cell)),
                );
                row
            })
            .collect();
        Table {
            title: title.to_string(),
            head,
            rows,
            names: 1,
        }
    }

    fn lead_times(run: &RunReport) -> Table {
        let head = ["supplier", "sku", "declared", "learned", "true", "receipts"];
        let row = |offer: &LeadTimeRow| {
            vec![
                offer.supplier.clone(),
                offer.sku.clone(),
                fmt_spread(offer.declared),
                offer.learned.map_or_else(|| NONE.to_string(), fmt_spread),
                fmt_spread(offer.truth),
                offer.receipts.to_string(),
            ]
        };
        Table {
            title: format!("lead times of run {} (days, mean ± sd)", run.name),
            head: head.map(String::from).to_vec(),
            rows: run.lead_times.iter().map(row).collect(),
            names: 2,
        }
    }

    fn paces(run: &RunReport) -> Table {
        let head = ["work center", "planned", "learned", "true", "operations"];
        let row = |center: &PaceRow| {
            vec![
                center.work_center.clone(),
                fmt_ratio((1.0, 0.0)),
                center.learned.map_or_else(|| NONE.to_string(), fmt_ratio),
                fmt_ratio(center.truth),
                center.operations.to_string(),
            ]
        };
        Table {
            title: format!(
                "work-center paces of run {} (real ÷ planned minutes, mean ± sd)",
                run.name
            ),
            head: head.map(String::from).to_vec(),
            rows: run.paces.iter().map(row).collect(),
            names: 1,
        }
    }

    /// Names left-aligned and figures right-aligned, padded to the widest cell.
    fn text(&self) -> String {
        let lines = || std::iter::once(&self.head).chain(&self.rows);
        let widths: Vec<usize> = (0..self.head.len())
            .map(|c| lines().map(|row| row[c].chars().count()).max().unwrap_or(0))
            .collect();
        let line = |row: &[String]| {
            let cells = row.iter().zip(&widths).enumerate().map(|(c, (cell, &width))| {
                if c < self.names {
                    format!("{cell:<width$}")
                } else {
                    format!("{cell:>width$}")
                }
            });
            cells.collect::<Vec<_>>().join(" | ") + "\n"
        };
        let rule = widths
            .iter()
            .map(|&width| "-".repeat(width))
            .collect::<Vec<_>>()
            .join("-+-");
        let mut out = format!("{}\n{}{rule}\n", self.title, line(&self.head));
        for row in &self.rows {
            out.push_str(&line(row));
        }
        out
    }

    fn html(&self) -> String {
        let mut out = format!("<table>\n<caption>{}</caption>\n<thead><tr>", escape(&self.title));
        for (c, cell) in self.head.iter().enumerate() {
            let class = if c < self.names { " class=\"name\"" } else { "" };
            let _ = write!(out, "<th scope=\"col\"{class}>{}</th>", escape(cell));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in &self.rows {
            out.push_str("<tr>");
            for (c, cell) in row.iter().enumerate() {
                let cell = escape(cell);
                let _ = match c {
                    0 => write!(out, "<th scope=\"row\">{cell}</th>"),
                    c if c < self.names => write!(out, "<td class=\"name\">{cell}</td>"),
                    _ => write!(out, "<td>{cell}</td>"),
                };
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
        out
    }
}

/// Weekly shares kept, one line per date, broken where a week delivered nothing.
fn shares_chart(run: &RunReport, promise_quantile: f64) -> String {
    let plot = Plot::new(WIDTH, HEIGHT, (0.0, week_count(&run.weeks)), (0.0, 1.0));
    let label = format!(
        "Weekly share of run {}'s orders delivered by their P50, P90 and promised dates",
        run.name
    );
    let mut out = svg_open(WIDTH, HEIGHT, &label);
    plot.y_grid(&mut out, [0.0, 0.25, 0.5, 0.75, 1.0], fmt_quantile);
    for (quantile, name) in [(0.5, "P50"), (0.9, "P90"), (promise_quantile, "promise")] {
        let y = plot.y.at(quantile);
        let title = format!("{name}: {}", fmt_quantile(quantile));
        segment(&mut out, "ref", (plot.x.from, y), (plot.x.to, y), &title);
    }
    for (class, name, share) in SHARES {
        let points: Vec<Option<(f64, f64)>> = run
            .weeks
            .iter()
            .enumerate()
            .map(|(i, week)| share(&week.figures).map(|s| (plot.x.at(i as f64 + 0.5), plot.y.at(s))))
            .collect();
        out.push_str(&polylines(&points, class));
        for (week, point) in run.weeks.iter().zip(&points) {
            let Some(at) = *point else { continue };
            let (date, kept) = (long_date(week.start), fmt_share(share(&week.figures)));
            let title = format!(
                "week of {date}: {kept} {name} of {} delivered",
                week.figures.delivered
            );
            dot(&mut out, &format!("class=\"{class}\""), at, 3.0, &title);
        }
    }
    plot.week_labels(&mut out, &run.weeks);
    plot.axes(&mut out);
    legend(
        &mut out,
        HEIGHT,
        SHARES.map(|(class, name, _)| (format!("class=\"{class}\""), name.to_string())),
    );
    out + SVG_CLOSE
}

/// Shoppers lost each week, stacked by reason.
fn lost_chart(run: &RunReport) -> String {
    let totals: Vec<u32> = run
        .weeks
        .iter()
        .map(|week| lost_total(&week.figures.lost))
        .collect();
    let most = totals.iter().copied().max().unwrap_or(0);
    let step = count_step(most);
    let top = most.div_ceil(step).max(1) * step;
    let plot = Plot::new(
        WIDTH,
        HEIGHT,
        (0.0, week_count(&run.weeks)),
        (0.0, f64::from(top)),
    );
    let label = format!("Shoppers of run {} lost each week, by reason", run.name);
    let mut out = svg_open(WIDTH, HEIGHT, &label);
    plot.y_grid(&mut out, (0..=top).step_by(step as usize).map(f64::from), |n| {
        format!("{n:.0}")
    });
    let bar = plot.x.at(0.7) - plot.x.at(0.0);
    for (i, (week, total)) in run.weeks.iter().zip(&totals).enumerate() {
        let x = plot.x.at(i as f64 + 0.15);
        let mut below = 0;
        for (class, name, count) in REASONS {
            let n = count(&week.figures.lost);
            if n == 0 {
                continue;
            }
            let (y, bottom) = (plot.y.at(f64::from(below + n)), plot.y.at(f64::from(below)));
            let _ = writeln!(
                out,
                "<rect class=\"{class}\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar:.1}\" height=\"{:.1}\">\
                 <title>week of {}: {n} {name}, {total} lost of {} shoppers</title></rect>",
                bottom - y,
                long_date(week.start),
                week.figures.shoppers
            );
            below += n;
        }
    }
    plot.week_labels(&mut out, &run.weeks);
    plot.axes(&mut out);
    legend(
        &mut out,
        HEIGHT,
        REASONS.map(|(class, name, _)| (format!("class=\"{class}\""), name.to_string())),
    );
    out + SVG_CLOSE
}

/// Each quantile promised against the share kept, per run: on the diagonal, a date
/// promised at the 90th percentile is met nine times in ten.
fn reliability_chart(report: &Report) -> String {
    // 0.4 unless a point lies lower, so no marker falls outside the diagram.
    let least = (report.runs.iter().flat_map(|run| &run.reliability))
        .flat_map(|p| [Some(p.quantile), p.kept])
        .flatten()
        .fold(0.4, f64::min);
    let lo = (least * 10.0).floor() / 10.0;
    let plot = Plot::new(SQUARE, SQUARE, (lo, 1.0), (lo, 1.0));
    let label =
        "Reliability: the share of orders delivered by a date against the quantile it was promised at";
    let mut out = svg_open(SQUARE, SQUARE, label);
    let ticks: Vec<f64> = (0..=((1.0 - lo) * 10.0).round() as u32)
        .map(|k| lo + f64::from(k) / 10.0)
        .collect();
    plot.y_grid(&mut out, ticks.iter().copied(), fmt_quantile);
    for &tick in &ticks {
        text(
            &mut out,
            (plot.x.at(tick), plot.y.from + 16.0),
            "middle",
            &fmt_quantile(tick),
        );
    }
    let (corner, top) = ((plot.x.at(lo), plot.y.at(lo)), (plot.x.at(1.0), plot.y.at(1.0)));
    segment(&mut out, "ref", corner, top, "kept as promised");
    for (k, run) in report.runs.iter().enumerate() {
        for point in &run.reliability {
            let Some(kept) = point.kept else { continue };
            let at = (plot.x.at(point.quantile), plot.y.at(kept));
            let (quantile, kept) = (fmt_quantile(point.quantile), fmt_share(Some(kept)));
            let title = format!(
                "run {}, {} (quantile {quantile}): {kept} kept",
                run.name, point.label
            );
            dot(&mut out, &run_paint(k), at, 5.0, &title);
        }
    }
    let middle = (plot.x.from + plot.x.to) / 2.0;
    text(
        &mut out,
        (middle, plot.y.from + 32.0),
        "middle",
        "quantile promised",
    );
    let (x, y) = (plot.x.from - 36.0, (plot.y.from + plot.y.to) / 2.0);
    let _ = writeln!(
        out,
        "<text transform=\"translate({x:.1} {y:.1}) rotate(-90)\" text-anchor=\"middle\">share kept</text>"
    );
    plot.axes(&mut out);
    let runs = report.runs.iter().enumerate();
    legend(
        &mut out,
        SQUARE,
        runs.map(|(k, run)| (run_paint(k), run.name.clone())),
    );
    out + SVG_CLOSE
}

/// A run's markers: filled or ringed by turns, so runs that kept the same share stay
/// apart where their markers overlap.
fn run_paint(k: usize) -> String {
    let colour = RUN_COLOURS[k % RUN_COLOURS.len()];
    if k.is_multiple_of(2) {
        format!("fill=\"{colour}\"")
    } else {
        format!("fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"")
    }
}

/// A linear map from figures onto the drawing's pixels.
struct Axis {
    lo: f64,
    hi: f64,
    from: f64,
    to: f64,
}

impl Axis {
    fn at(&self, value: f64) -> f64 {
        self.from + (value - self.lo) / (self.hi - self.lo) * (self.to - self.from)
    }
}

/// A chart's plotting area inside the margins; y grows upwards.
struct Plot {
    x: Axis,
    y: Axis,
}

impl Plot {
    fn new(width: f64, height: f64, (x_lo, x_hi): (f64, f64), (y_lo, y_hi): (f64, f64)) -> Plot {
        let (x_from, x_to, y_from, y_to) = (LEFT, width - RIGHT, height - BOTTOM, TOP);
        let x = Axis {
            lo: x_lo,
            hi: x_hi,
            from: x_from,
            to: x_to,
        };
        let y = Axis {
            lo: y_lo,
            hi: y_hi,
            from: y_from,
            to: y_to,
        };
        Plot { x, y }
    }

    fn y_grid(&self, out: &mut String, ticks: impl IntoIterator<Item = f64>, label: impl Fn(f64) -> String) {
        for tick in ticks {
            let y = self.y.at(tick);
            segment(out, "grid", (self.x.from, y), (self.x.to, y), "");
            text(out, (self.x.from - 6.0, y + 4.0), "end", &label(tick));
        }
    }

    /// A few week dates under the x axis (about six, however long the replay).
    fn week_labels(&self, out: &mut String, weeks: &[Week]) {
        let every = weeks.len().div_ceil(6).max(1);
        for (i, week) in weeks.iter().enumerate().step_by(every) {
            let at = (self.x.at(i as f64 + 0.5), self.y.from + 16.0);
            text(out, at, "middle", &week.start.format("%-d %b").to_string());
        }
    }

    fn axes(&self, out: &mut String) {
        let (left, right, bottom, top) = (self.x.from, self.x.to, self.y.from, self.y.to);
        let _ = writeln!(
            out,
            "<polyline class=\"axis\" fill=\"none\" points=\"{left:.1},{top:.1} {left:.1},{bottom:.1} \
             {right:.1},{bottom:.1}\"/>"
        );
    }
}

/// The opening of a chart: a figure captioned for sighted readers, and an SVG with the
/// same words as its accessible name.
fn svg_open(width: f64, height: f64, label: &str) -> String {
    let label = escape(label);
    format!(
        "<figure>\n<figcaption>{label}</figcaption>\n<svg viewBox=\"0 0 {width} {height}\" \
         width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{label}\">\n"
    )
}

const SVG_CLOSE: &str = "</svg>\n</figure>\n";

/// One `<polyline>` per unbroken stretch of points, so a week without a figure breaks the
/// line instead of pulling it to zero.
fn polylines(points: &[Option<(f64, f64)>], class: &str) -> String {
    let stretches = points
        .split(Option::is_none)
        .filter(|stretch| !stretch.is_empty());
    stretches
        .map(|stretch| {
            let coords: Vec<String> = stretch
                .iter()
                .flatten()
                .map(|(x, y)| format!("{x:.1},{y:.1}"))
                .collect();
            format!(
                "<polyline class=\"line {class}\" points=\"{}\"/>\n",
                coords.join(" ")
            )
        })
        .collect()
}

/// A row of swatches under the chart; `paint` is the swatch's class or fill attribute.
fn legend(out: &mut String, height: f64, items: impl IntoIterator<Item = (String, String)>) {
    let y = height - 18.0;
    for (k, (paint, name)) in items.into_iter().enumerate() {
        let x = LEFT + 140.0 * k as f64;
        let _ = writeln!(
            out,
            "<rect {paint} x=\"{x:.1}\" y=\"{y:.1}\" width=\"10\" height=\"10\"/>"
        );
        text(out, (x + 14.0, y + 9.0), "start", &name);
    }
}

/// A straight line; `class` sets its stroke, and a non-empty `title` says what it marks.
fn segment(out: &mut String, class: &str, (x1, y1): (f64, f64), (x2, y2): (f64, f64), title: &str) {
    let _ = write!(
        out,
        "<line class=\"{class}\" x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\">"
    );
    if !title.is_empty() {
        let _ = write!(out, "<title>{}</title>", escape(title));
    }
    out.push_str("</line>\n");
}

/// A marker with its figures; `paint` is its class or fill attribute.
fn dot(out: &mut String, paint: &str, (x, y): (f64, f64), radius: f64, title: &str) {
    let title = escape(title);
    let _ = writeln!(
        out,
        "<circle {paint} cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{radius}\"><title>{title}</title></circle>"
    );
}

/// A label; `anchor` is `start`, `middle` or `end`.
fn text(out: &mut String, (x, y): (f64, f64), anchor: &str, content: &str) {
    let content = escape(content);
    let _ = writeln!(
        out,
        "<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\">{content}</text>"
    );
}

/// The x domain of the weekly charts: one band per week (at least one, so an empty run
/// still draws its axes).
fn week_count(weeks: &[Week]) -> f64 {
    weeks.len().max(1) as f64
}

/// A round step (1, 2 or 5 times a power of ten) giving at most four gridlines up to `most`.
fn count_step(most: u32) -> u32 {
    let mut power = 1;
    loop {
        if let Some(step) = [1, 2, 5]
            .map(|m| m * power)
            .into_iter()
            .find(|step| most <= step * 4)
        {
            return step;
        }
        power *= 10;
    }
}

fn lost_total(lost: &Lost) -> u32 {
    lost.unavailable + lost.too_slow + lost.refused
}

fn long_date(date: NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
}

/// A share as a percent with one decimal: `53.2 %`.
fn fmt_share(share: Option<f64>) -> String {
    share.map_or_else(|| NONE.to_string(), |share| format!("{:.1} %", share * 100.0))
}

/// Whether dates meant as the `quantile` of the delivery are calibrated, given the
/// shares delivered strictly before and on or before them. Deliveries come on whole
/// days, so a calibrated date has `before ≤ quantile ≤ by` (the day itself holds the
/// rest); below it the dates are early ("optimistic"), above it late ("padded").
fn calibration(before: Option<f64>, by: Option<f64>, quantile: f64) -> String {
    match (before, by) {
        (Some(_), Some(by)) if by < quantile => "no, optimistic".into(),
        (Some(before), Some(_)) if before > quantile => "no, padded".into(),
        (Some(_), Some(_)) => "yes".into(),
        _ => NONE.into(),
    }
}

/// A quantile as a percent, with a decimal only when it has one: `97 %`, `97.5 %`.
fn fmt_quantile(quantile: f64) -> String {
    let percent = quantile * 100.0;
    if (percent - percent.round()).abs() < 1e-9 {
        format!("{percent:.0} %")
    } else {
        format!("{percent:.1} %")
    }
}

fn fmt_number(value: Option<f64>) -> String {
    value.map_or_else(|| NONE.to_string(), |value| format!("{value:.1}"))
}

fn fmt_spread((mean, sd): (f64, f64)) -> String {
    format!("{mean:.1} ± {sd:.1}")
}

fn fmt_ratio((mean, sd): (f64, f64)) -> String {
    format!("{mean:.2} ± {sd:.2}")
}

/// Escapes text for HTML content and double- or single-quoted attributes.
fn escape(raw: &str) -> String {
    raw.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::report::ReliabilityPoint;

    fn figures(by_p50: Option<f64>) -> Figures {
        Figures {
            shoppers: 40,
            orders: 20,
            delivered: 10,
            by_p50,
            by_p90: Some(0.9),
            by_promise: Some(0.97),
            mean_abs_error_days: Some(1.25),
            p95_abs_error_days: Some(4.0),
            perfect_order_rate: Some(0.95),
            fill_rate: Some(0.8),
            lost: Lost {
                unavailable: 3,
                too_slow: 5,
                refused: 1,
            },
            cancelled: 2,
            inventory_value_minor: 123_456,
            turnover: Some(6.5),
            ..Figures::default()
        }
    }

    fn run(name: &str, learning: bool, weekly_p50: [Option<f64>; 3]) -> RunReport {
        let monday = NaiveDate::from_ymd_opt(2025, 1, 6).unwrap();
        let point = |label: &str, quantile, kept| ReliabilityPoint {
            label: label.into(),
            quantile,
            kept,
        };
        RunReport {
            name: name.into(),
            learning,
            overall: figures(Some(0.5)),
            after_warm_up: figures(if learning { Some(0.5) } else { None }),
            slipping_supplier: learning.then(|| figures(Some(0.25))),
            weeks: weekly_p50
                .iter()
                .enumerate()
                .map(|(i, &share)| Week {
                    start: monday + chrono::Days::new(7 * i as u64),
                    figures: figures(share),
                })
                .collect(),
            reliability: vec![
                point("P50", 0.5, Some(0.55)),
                point("P90", 0.9, Some(0.85)),
                point("promise", 0.97, learning.then_some(0.96)),
            ],
            lead_times: vec![LeadTimeRow {
                supplier: "ACME".into(),
                sku: "OAK-18".into(),
                declared: (12.0, 3.0),
                learned: learning.then_some((15.5, 2.5)),
                truth: (16.0, 2.0),
                receipts: 7,
            }],
            paces: vec![PaceRow {
                work_center: "SAW".into(),
                learned: learning.then_some((1.24, 0.11)),
                truth: (1.25, 0.1),
                operations: 40,
            }],
        }
    }

    /// Two runs over three weeks; the learned run's second week delivered nothing.
    fn report() -> Report {
        Report {
            shop: "<script>&\"oak'".into(),
            seed: 7,
            start: NaiveDate::from_ymd_opt(2025, 1, 6).unwrap(),
            days: 21,
            warm_up_days: 7,
            promise_quantile: 0.97,
            scenario: vec!["ACME delivers 4 days late".into()],
            runs: vec![
                run("learned", true, [Some(0.5), None, Some(0.6)]),
                run("declared", false, [Some(0.4), Some(0.5), Some(0.6)]),
            ],
        }
    }

    /// The chart whose accessible name starts with `label`, up to its closing tag.
    fn chart<'a>(html: &'a str, label: &str) -> &'a str {
        let start = html
            .find(&format!("aria-label=\"{label}"))
            .expect("the chart is drawn");
        let end = start + html[start..].find("</svg>").unwrap();
        &html[start..end]
    }

    fn line_starting<'a>(text: &'a str, label: &str) -> &'a str {
        text.lines()
            .find(|line| line.starts_with(label))
            .expect("the row is printed")
    }

    #[test]
    fn terminal_prints_a_column_per_run_shares_as_percents_and_missing_figures_as_a_dash() {
        let text = terminal(&report());
        let head = text.lines().find(|line| line.contains("learned")).unwrap();
        assert!(head.contains("declared"));
        let by_p50 = line_starting(&text, "by P50");
        assert!(by_p50.contains("50.0 %"), "{by_p50}");
        assert!(by_p50.trim_end().ends_with(NONE), "{by_p50}");
        assert!(line_starting(&text, "mean inventory value").contains("1234.56"));
        assert!(line_starting(&text, "lost: unavailable").contains("3 / 5 / 1"));
        assert!(text.contains("promise quantile 97 %"));
    }

    #[test]
    fn a_quantile_is_calibrated_when_its_day_holds_the_quantile_between_before_and_by() {
        assert_eq!(calibration(Some(0.2), Some(0.7), 0.5), "yes");
        assert_eq!(calibration(Some(0.5), Some(0.5), 0.5), "yes");
        assert_eq!(calibration(Some(0.3), Some(0.45), 0.5), "no, optimistic");
        assert_eq!(calibration(Some(0.55), Some(0.8), 0.5), "no, padded");
        assert_eq!(calibration(None, None, 0.9), NONE);
        // The fixture counts no early deliveries, so it cannot tell.
        let text = terminal(&report());
        assert!(line_starting(&text, "P90 calibrated").trim_end().ends_with(NONE));
    }

    #[test]
    fn terminal_columns_line_up() {
        let text = terminal(&report());
        let table: Vec<usize> = text
            .lines()
            .skip_while(|line| *line != "after the warm-up")
            .skip(1)
            .take_while(|line| !line.is_empty())
            .map(|line| line.chars().count())
            .collect();
        assert_eq!(table.len(), 2 + SUMMARY_ROWS.len());
        assert!(table.iter().all(|&width| width == table[0]), "{table:?}");
    }

    #[test]
    fn the_slipping_supplier_table_appears_only_when_a_run_has_it() {
        let mut report = report();
        let text = terminal(&report);
        let slipping = text
            .split("orders waiting on the slipping supplier")
            .nth(1)
            .unwrap();
        assert!(line_starting(slipping, "by P50").contains("25.0 %"));
        assert!(line_starting(slipping, "cancelled").trim_end().ends_with(NONE));
        assert!(
            !slipping.lines().any(|l| l.starts_with("shoppers")),
            "the shop-wide rows are left out: {slipping}"
        );
        for run in &mut report.runs {
            run.slipping_supplier = None;
        }
        assert!(!terminal(&report).contains("slipping supplier"));
    }

    #[test]
    fn lead_times_are_listed_for_learning_runs_only() {
        let text = terminal(&report());
        let learned = line_starting(&text, "ACME");
        assert!(
            learned.contains("12.0 ± 3.0") && learned.contains("15.5 ± 2.5"),
            "{learned}"
        );
        assert!(text.contains("lead times of run learned"));
        assert!(!text.contains("lead times of run declared"));
    }

    #[test]
    fn paces_are_listed_beside_the_routings_and_the_truth() {
        let text = terminal(&report());
        let saw = line_starting(&text, "SAW");
        for figure in ["1.00 ± 0.00", "1.24 ± 0.11", "1.25 ± 0.10", "40"] {
            assert!(saw.contains(figure), "{figure} in {saw}");
        }
        assert!(!text.contains("paces of run declared"));
    }

    #[test]
    fn html_escapes_the_report_text() {
        let page = html(&report());
        assert!(page.contains("&lt;script&gt;&amp;&quot;oak&#39;"));
        assert!(!page.contains("<script"));
        assert!(!page.contains("oak'"));
    }

    #[test]
    fn html_is_self_contained() {
        let page = html(&report());
        assert!(page.starts_with("<!DOCTYPE html>") && page.contains("<style>"));
        for outside in ["http", "src=", "href=", "@import", "url("] {
            assert!(!page.contains(outside), "{outside}");
        }
    }

    #[test]
    fn html_draws_two_charts_per_run_and_one_reliability_diagram_each_accessible() {
        let page = html(&report());
        let openings: Vec<&str> = page.match_indices("<svg").map(|(at, _)| &page[at..]).collect();
        assert_eq!(openings.len(), 5);
        for svg in openings {
            let tag = &svg[..svg.find('>').unwrap()];
            assert!(
                tag.contains("role=\"img\"") && tag.contains("aria-label=\""),
                "{tag}"
            );
        }
    }

    #[test]
    fn a_week_without_a_share_breaks_its_line_instead_of_dropping_to_zero() {
        let page = html(&report());
        let learned = chart(&page, "Weekly share of run learned");
        assert_eq!(learned.matches("class=\"line p50\"").count(), 2);
        assert_eq!(learned.matches("<circle class=\"p50\"").count(), 2);
        assert_eq!(learned.matches("class=\"line p90\"").count(), 1);
        let declared = chart(&page, "Weekly share of run declared");
        assert_eq!(declared.matches("class=\"line p50\"").count(), 1);
        assert_eq!(declared.matches("<circle class=\"p50\"").count(), 3);
    }

    #[test]
    fn lost_shoppers_are_stacked_by_reason_with_their_figures() {
        let page = html(&report());
        let lost = chart(&page, "Shoppers of run learned lost");
        assert_eq!(lost.matches("<title>week of").count(), 3 * REASONS.len());
        assert!(lost.contains("<title>week of 13 Jan 2025: 5 too slow, 9 lost of 40 shoppers</title>"));
    }

    #[test]
    fn the_reliability_diagram_skips_points_without_a_share() {
        let page = html(&report());
        let diagram = chart(&page, "Reliability");
        assert_eq!(diagram.matches("<circle").count(), 5);
        assert!(diagram.contains("run learned, promise (quantile 97 %): 96.0 % kept"));
        assert!(diagram.contains("class=\"ref\""));
    }
}
