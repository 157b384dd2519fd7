//! One way to show a time everywhere in the console: the reader's local time with its zone
//! written out (`2026-05-01 14:03:05 UTC+02:00`), and the same instant in UTC on hover (the
//! `title`), whatever zone the vendor wrote it in (EdgeOne UTC, Tencent CDN Beijing time, ESA
//! either; the core's `status::task_time` reads them). The formatting is pure (the zone offset is
//! a parameter) so it is tested without a browser; [`view`] asks the browser for the offset.

use yew::prelude::*;

/// `ms` (unix milliseconds) at a zone `offset_minutes` east of UTC, as
/// `YYYY-MM-DD hh:mm:ss UTC±hh:mm`; empty when out of range.
pub fn local_text(ms: i64, offset_minutes: i32) -> String {
    let shifted = ms.saturating_add(i64::from(offset_minutes) * 60_000);
    let iso = edgewarm::times::rfc3339(shifted);
    if iso.len() != 20 {
        return String::new();
    }
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let off = offset_minutes.unsigned_abs();
    format!(
        "{} {} UTC{sign}{:02}:{:02}",
        &iso[..10],
        &iso[11..19],
        off / 60,
        off % 60
    )
}

/// `ms` in UTC for the hover text: `2026-05-01 12:03:05 UTC`.
pub fn utc_text(ms: i64) -> String {
    local_text(ms, 0).replace(" UTC+00:00", " UTC")
}

/// The browser's zone offset at `ms`, in minutes east of UTC (daylight saving included).
pub fn browser_offset_minutes(ms: i64) -> i32 {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    -(d.get_timezone_offset() as i32)
}

/// A `<time>` element: local time with zone, UTC in its `title` (and `datetime`). `zoned` false
/// says the vendor wrote no zone and UTC+8 was assumed (the title says so). An unreadable time
/// is shown as the vendor wrote it.
pub fn view(ms: Option<i64>, zoned: bool, raw: &str) -> Html {
    let Some(ms) = ms else {
        return html! { <span class="time" title="as the vendor wrote it">{raw.to_string()}</span> };
    };
    let local = local_text(ms, browser_offset_minutes(ms));
    let mut title = utc_text(ms);
    if !zoned {
        title.push_str(&format!(
            " (the vendor wrote {raw:?} with no zone: UTC+8 assumed)"
        ));
    }
    html! {
        <time class="time" datetime={edgewarm::times::rfc3339(ms)} title={title}>{local}</time>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn local_time_shows_its_zone_and_utc_is_the_title() {
        let ms = 1_700_000_000_000; // 2023-11-14T22:13:20Z
        assert_eq!(local_text(ms, 0), "2023-11-14 22:13:20 UTC+00:00");
        assert_eq!(local_text(ms, 480), "2023-11-15 06:13:20 UTC+08:00");
        assert_eq!(local_text(ms, -330), "2023-11-14 16:43:20 UTC-05:30");
        assert_eq!(utc_text(ms), "2023-11-14 22:13:20 UTC");
        assert_eq!(local_text(i64::MAX, 0), "");
        // the same instant from each vendor's way of writing it reads the same
        let teo = edgewarm::status::task_time(edgewarm::Service::Teo, "2023-11-14T22:13:20Z");
        let cdn = edgewarm::status::task_time(edgewarm::Service::Cdn, "2023-11-15 06:13:20");
        let esa = edgewarm::status::task_time(edgewarm::Service::Esa, "2023-11-15 06:13:20");
        assert_eq!(teo.map(|t| t.0), Some(ms));
        assert_eq!(cdn.map(|t| t.0), Some(ms));
        assert_eq!(esa, Some((ms, false)));
    }
}
