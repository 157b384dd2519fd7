//! Progress over the run as an SVG line chart: cumulative URLs sent, succeeded and failed
//! against the planned total (a dashed line), with a text summary for screen readers.

use crate::store::Point;
use std::rc::Rc;
use yew::prelude::*;

/// Props: the points and the planned total.
#[derive(Properties, PartialEq)]
pub struct ChartProps {
    /// Counts over time (shared with the store, never copied).
    pub points: Rc<Vec<Point>>,
    /// URLs the run will send.
    pub planned: usize,
}

const W: f64 = 600.0;
const H: f64 = 120.0;

/// The polyline of `value` over time, scaled to `t_max` and `top`.
fn line(points: &[Point], t_max: f64, top: f64, value: impl Fn(&Point) -> usize) -> String {
    let x = |p: &Point| if t_max > 0.0 { p.t / t_max * W } else { 0.0 };
    let y = |v: usize| H - if top > 0.0 { v as f64 / top * H } else { 0.0 };
    let mut d = String::new();
    for (i, p) in points.iter().enumerate() {
        d.push_str(&format!(
            "{}{:.1},{:.1} ",
            if i == 0 { "M" } else { "L" },
            x(p),
            y(value(p))
        ));
    }
    // a run with one point still draws a (flat) line
    if points.len() == 1 {
        d.push_str(&format!("L{W:.1},{:.1}", y(value(&points[0]))));
    }
    d
}

/// The SVG chart of cumulative sent / succeeded / failed URLs against the plan.
#[function_component(Chart)]
pub fn chart(props: &ChartProps) -> Html {
    super::renders::count("Chart");
    let pts = &props.points;
    let Some(last) = pts.last() else {
        return html! {};
    };
    let t_max = last.t.max(1.0);
    let top = pts
        .iter()
        .map(|p| p.sent.max(p.succeeded + p.failed))
        .fold(props.planned, usize::max) as f64;
    let summary = format!(
        "After {:.0} s: {} of {} sent, {} succeeded, {} failed",
        last.t, last.sent, props.planned, last.succeeded, last.failed
    );
    let plan_y = if top > 0.0 {
        H - props.planned as f64 / top * H
    } else {
        0.0
    };
    html! {
        <figure class="chart">
            <svg viewBox={format!("0 0 {W} {H}")} role="img" aria-label={summary.clone()} preserveAspectRatio="none">
                <line class="plan" x1="0" x2={W.to_string()} y1={format!("{plan_y:.1}")} y2={format!("{plan_y:.1}")} />
                <path class="sent" d={line(pts, t_max, top, |p| p.sent)} />
                <path class="succeeded" d={line(pts, t_max, top, |p| p.succeeded)} />
                <path class="failed" d={line(pts, t_max, top, |p| p.failed)} />
            </svg>
            <figcaption>
                <span class="key plan">{format!("planned {}", props.planned)}</span>
                <span class="key sent">{"sent"}</span>
                <span class="key succeeded">{"succeeded"}</span>
                <span class="key failed">{"failed"}</span>
                <span class="visually-hidden">{summary}</span>
            </figcaption>
        </figure>
    }
}
