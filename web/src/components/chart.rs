//! Statuses over time as an SVG area chart: open (pending + submitted), succeeded, failed,
//! deferred, stacked, with a text summary for screen readers.

use crate::store::Point;
use std::rc::Rc;
use yew::prelude::*;

/// Props: the points.
#[derive(Properties, PartialEq)]
pub struct ChartProps {
    /// Counts over time (shared with the store, never copied).
    pub points: Rc<Vec<Point>>,
}

const W: f64 = 600.0;
const H: f64 = 160.0;

fn path(
    points: &[Point],
    t_max: f64,
    total: f64,
    lower: impl Fn(&Point) -> f64,
    upper: impl Fn(&Point) -> f64,
) -> String {
    let x = |p: &Point| if t_max > 0.0 { p.t / t_max * W } else { 0.0 };
    let y = |v: f64| H - if total > 0.0 { v / total * H } else { 0.0 };
    let mut d = String::new();
    for (i, p) in points.iter().enumerate() {
        d.push_str(&format!(
            "{}{:.1},{:.1} ",
            if i == 0 { "M" } else { "L" },
            x(p),
            y(upper(p))
        ));
    }
    for p in points.iter().rev() {
        d.push_str(&format!("L{:.1},{:.1} ", x(p), y(lower(p))));
    }
    d.push('Z');
    d
}

/// The SVG chart of URLs per fate over the run.
#[function_component(Chart)]
pub fn chart(props: &ChartProps) -> Html {
    super::renders::count("Chart");
    let pts = &props.points;
    let Some(last) = pts.last() else {
        return html! {};
    };
    let t_max = last.t.max(1.0);
    let total = pts
        .iter()
        .map(|p| (p.open + p.succeeded + p.failed + p.deferred) as f64)
        .fold(0.0, f64::max);
    let s = |p: &Point| p.succeeded as f64;
    let sf = |p: &Point| (p.succeeded + p.failed) as f64;
    let sfd = |p: &Point| (p.succeeded + p.failed + p.deferred) as f64;
    let all = |p: &Point| (p.succeeded + p.failed + p.deferred + p.open) as f64;
    let summary = format!(
        "After {:.0} s: {} succeeded, {} failed, {} deferred, {} open",
        last.t, last.succeeded, last.failed, last.deferred, last.open
    );
    html! {
        <figure class="chart">
            <svg viewBox={format!("0 0 {W} {H}")} role="img" aria-label={summary.clone()} preserveAspectRatio="none">
                <path class="succeeded" d={path(pts, t_max, total, |_| 0.0, s)} />
                <path class="failed" d={path(pts, t_max, total, s, sf)} />
                <path class="deferred" d={path(pts, t_max, total, sf, sfd)} />
                <path class="open" d={path(pts, t_max, total, sfd, all)} />
            </svg>
            <figcaption>
                <span class="key succeeded">{"succeeded"}</span>
                <span class="key failed">{"failed"}</span>
                <span class="key deferred">{"deferred"}</span>
                <span class="key open">{"open"}</span>
                <span class="visually-hidden">{summary}</span>
            </figcaption>
        </figure>
    }
}
