//! The vendors' time formats, written and read in one place, so that the engine, the signers,
//! the validators, the sandbox and the console agree to the second:
//!
//! - RFC 3339 in UTC to the second (`2024-01-01T00:00:00Z`): EdgeOne and ESA `StartTime` /
//!   `EndTime`, ACS3's `x-acs-date` (which takes exactly this shape, [`parse_acs_date`]);
//! - `YYYY-MM-DD hh:mm:ss` in Beijing time ([`CHINA_TIME`]): Tencent CDN's times (PushUrlsCache
//!   and DescribePushTasks API pages);
//! - ESA task times ([`parse_task_time`]): RFC 3339 with a zone, or the same shape without one
//!   at an assumed UTC+8.
//!
//! Times are parameters (unix seconds or milliseconds): nothing here reads a clock.
//!
//! The calendar arithmetic is written here (proleptic Gregorian, years −9999 to 9999, the range
//! of the `time` crate's default build) instead of taken from `time`: these few formats do not
//! need a general formatter and parser, and the call module's wasm is smaller without them. The
//! tests check every function against `time` (a dev-dependency) on generated input, including
//! its edge cases: any date/time separator byte in RFC 3339, lower-case `z`, leap seconds only
//! at the end of a UTC month, an optional sign before `YYYY` in the zoneless forms.

/// China Standard Time (UTC+8), in seconds east of UTC: Tencent CDN's `YYYY-MM-DD hh:mm:ss`
/// times are Beijing times.
pub const CHINA_TIME: i64 = 8 * 3600;
/// UTC+8, assumed for ESA task times written without a zone (`2023-03-28 14:28:57`): the
/// DescribePreloadTasks model gives no zone. Callers that compare such times must allow
/// [`ZONELESS_TOLERANCE_MS`].
pub const ASSUMED_ZONELESS_OFFSET_HOURS: i8 = 8;
/// How far a zoneless time read as UTC+8 can be from the truth: any real zone (UTC−12 to
/// UTC+14) is at most 20 hours from UTC+8; 24 hours leaves a margin.
pub const ZONELESS_TOLERANCE_MS: i64 = 24 * 3_600_000;

/// The years a time can have (the `time` crate's default range, which these functions kept).
const YEARS: std::ops::RangeInclusive<i64> = -9999..=9999;

/// Days from 1970-01-01 to `year-month-day` (proleptic Gregorian; H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `(year, month, day)` of a day count from 1970-01-01 (the inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A calendar date and time of day, all fields checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Civil {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
}

impl Civil {
    /// The date and time of unix time `secs` shifted by `offset` seconds; `None` outside
    /// [`YEARS`].
    fn at(secs: i64, offset: i64) -> Option<Civil> {
        let local = secs.checked_add(offset)?;
        let (year, month, day) = civil_from_days(local.div_euclid(86_400));
        let t = local.rem_euclid(86_400);
        YEARS.contains(&year).then_some(Civil {
            year,
            month,
            day,
            hour: t / 3600,
            minute: t / 60 % 60,
            second: t % 60,
        })
    }

    /// A checked date and time (seconds 0–59); `None` when a field is out of range.
    fn new(year: i64, month: i64, day: i64, hour: i64, minute: i64, second: i64) -> Option<Civil> {
        let ok = YEARS.contains(&year)
            && (1..=12).contains(&month)
            && (1..=days_in_month(year, month)).contains(&day)
            && (0..24).contains(&hour)
            && (0..60).contains(&minute)
            && (0..60).contains(&second);
        ok.then_some(Civil {
            year,
            month,
            day,
            hour,
            minute,
            second,
        })
    }

    /// Unix seconds of this date and time read at `offset` seconds east of UTC.
    fn unix(&self, offset: i64) -> i64 {
        days_from_civil(self.year, self.month, self.day) * 86_400
            + self.hour * 3600
            + self.minute * 60
            + self.second
            - offset
    }
}

/// Reads ASCII digits as a number: exactly `n` of them, at `at`.
fn digits(b: &[u8], at: usize, n: usize) -> Option<i64> {
    let part = b.get(at..at + n)?;
    part.iter().try_fold(0i64, |v, c| {
        c.is_ascii_digit().then(|| v * 10 + i64::from(c - b'0'))
    })
}

/// `[±]YYYY-MM-DD?hh:mm:ss` with `sep` as `?` and nothing after (the `time` crate's
/// `[year]-[month]-[day]?[hour]:[minute]:[second]` description); a local date and time.
fn parse_local(s: &str, sep: u8) -> Option<Civil> {
    let b = s.as_bytes();
    let (sign, b) = match b.first() {
        Some(b'-') => (-1, &b[1..]),
        Some(b'+') => (1, &b[1..]),
        _ => (1, b),
    };
    let shape = b.len() == 19
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == sep
        && b[13] == b':'
        && b[16] == b':';
    if !shape {
        return None;
    }
    Civil::new(
        sign * digits(b, 0, 4)?,
        digits(b, 5, 2)?,
        digits(b, 8, 2)?,
        digits(b, 11, 2)?,
        digits(b, 14, 2)?,
        digits(b, 17, 2)?,
    )
}

/// `YYYY-MM-DDTHH:MM:SSZ` for a unix time (seconds); `None` outside years 0–9999.
pub fn acs_date(secs: i64) -> Option<String> {
    let t = Civil::at(secs, 0)?;
    if t.year < 0 {
        return None;
    }
    Some(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    ))
}

/// `YYYY-MM-DD`, the UTC date of a unix time (a negative year as `-005`); `None` outside years
/// −9999–9999.
pub fn utc_date(secs: i64) -> Option<String> {
    let t = Civil::at(secs, 0)?;
    Some(format!("{:04}-{:02}-{:02}", t.year, t.month, t.day))
}

/// RFC 3339 UTC to the second (`2024-01-01T00:00:00Z`) of a time in ms; empty outside years
/// 0–9999 (no vendor takes such a time, and the call that carries it is refused).
pub fn rfc3339(ms: i64) -> String {
    acs_date(ms.div_euclid(1000)).unwrap_or_default()
}

/// `YYYY-MM-DD hh:mm:ss` in Beijing time (Tencent CDN) of a time in ms; empty when out of range.
pub fn beijing(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    if Civil::at(secs, 0).is_none() {
        return String::new();
    }
    match Civil::at(secs, CHINA_TIME) {
        Some(t) => {
            let year = if t.year < 0 {
                format!("-{:04}", -t.year)
            } else {
                format!("{:04}", t.year)
            };
            format!(
                "{year}-{:02}-{:02} {:02}:{:02}:{:02}",
                t.month, t.day, t.hour, t.minute, t.second
            )
        }
        None => String::new(),
    }
}

/// RFC 3339 / ISO 8601 with an offset (`2022-02-09T02:35:00Z`, `…+08:00`) → unix seconds. As
/// the `time` crate reads it: any one byte between date and time, optional fraction (dropped),
/// `Z`/`z` or `±hh:mm` (hours to 23), a leap second (`:60`) only as the last second of a UTC
/// month (read as its `:59`).
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (year, month, day) = (digits(b, 0, 4)?, digits(b, 5, 2)?, digits(b, 8, 2)?);
    let (hour, minute, second) = (digits(b, 11, 2)?, digits(b, 14, 2)?, digits(b, 17, 2)?);
    let mut rest = &b[19..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let n = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        rest = &fraction[n..];
    }
    let offset = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let hours = digits(&[*h1, *h2], 0, 2)?;
            let minutes = digits(&[*m1, *m2], 0, 2)?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let east = hours * 3600 + minutes * 60;
            if *sign == b'-' {
                -east
            } else {
                east
            }
        }
        _ => return None,
    };
    let leap = second == 60;
    let t = Civil::new(
        year,
        month,
        day,
        hour,
        minute,
        if leap { 59 } else { second },
    )?;
    let unix = t.unix(offset);
    if leap {
        let utc = Civil::at(unix, 0)?;
        let last_second_of_month = utc.hour == 23
            && utc.minute == 59
            && utc.second == 59
            && utc.day == days_in_month(utc.year, utc.month);
        if !last_second_of_month {
            return None;
        }
    }
    Some(unix)
}

/// `YYYY-MM-DD hh:mm:ss` read as Beijing time (Tencent CDN) → unix seconds.
pub fn parse_beijing(s: &str) -> Option<i64> {
    parse_local(s, b' ').map(|t| t.unix(CHINA_TIME))
}

/// A Tencent answer's time (RFC 3339, or Beijing `YYYY-MM-DD hh:mm:ss`) → ms.
pub fn parse_tencent_ms(s: &str) -> Option<i64> {
    parse_rfc3339(s)
        .or_else(|| parse_beijing(s))
        .map(|t| t.saturating_mul(1000))
}

/// Parses `x-acs-date` (`YYYY-MM-DDTHH:MM:SSZ` exactly) to unix seconds.
pub fn parse_acs_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let shape = b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        });
    if !shape {
        return None;
    }
    parse_local(&s[..19], b'T').map(|t| t.unix(0))
}

/// An ESA task time in milliseconds since the epoch, and whether its zone was given. Reads ISO
/// 8601 with a zone (`2023-03-28T06:28:57Z`, `…+08:00`, as DescribePurgeTasks answers) and
/// `YYYY-MM-DD hh:mm:ss` without a zone (DescribePreloadTasks `CreateTime`), the latter at the
/// assumed UTC+8 ([`ASSUMED_ZONELESS_OFFSET_HOURS`]). `None` for anything else.
pub fn parse_task_time(s: &str) -> Option<(i64, bool)> {
    let s = s.trim();
    if let Some(t) = parse_rfc3339(s) {
        return Some((t.saturating_mul(1000), true));
    }
    let t = parse_local(s, b' ').or_else(|| parse_local(s, b'T'))?;
    let offset = i64::from(ASSUMED_ZONELESS_OFFSET_HOURS) * 3600;
    Some((t.unix(offset).saturating_mul(1000), false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_form_round_trips() {
        let ms = 1_700_000_000_000;
        assert_eq!(rfc3339(ms), "2023-11-14T22:13:20Z");
        assert_eq!(beijing(ms), "2023-11-15 06:13:20");
        assert_eq!(parse_rfc3339(&rfc3339(ms)), Some(ms / 1000));
        assert_eq!(parse_beijing(&beijing(ms)), Some(ms / 1000));
        assert_eq!(parse_tencent_ms("2023-11-15 06:13:20"), Some(ms));
        assert_eq!(parse_tencent_ms("2023-11-14T22:13:20+00:00"), Some(ms));
        assert_eq!(parse_acs_date(&rfc3339(ms)), Some(ms / 1000));
        assert_eq!(parse_task_time("2023-11-15 06:13:20"), Some((ms, false)));
        assert_eq!(
            parse_task_time("2023-11-15T06:13:20+08:00"),
            Some((ms, true))
        );
    }

    #[test]
    fn out_of_range_is_empty_or_none() {
        assert_eq!(rfc3339(i64::MAX), "");
        assert_eq!(beijing(i64::MIN), "");
        assert_eq!(acs_date(-70_000_000_000), None);
        assert_eq!(parse_acs_date("2023-11-14 22:13:20Z"), None);
        assert_eq!(parse_task_time("yesterday"), None);
    }

    /// The `time` crate's answers, as this module gave them before it did its own arithmetic.
    mod reference {
        use time::macros::{format_description, offset};
        use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

        pub fn acs_date(secs: i64) -> Option<String> {
            let dt = OffsetDateTime::from_unix_timestamp(secs).ok()?;
            if !(0..=9999).contains(&dt.year()) {
                return None;
            }
            Some(format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                dt.year(),
                u8::from(dt.month()),
                dt.day(),
                dt.hour(),
                dt.minute(),
                dt.second()
            ))
        }

        pub fn utc_date(secs: i64) -> Option<String> {
            let dt = OffsetDateTime::from_unix_timestamp(secs).ok()?;
            Some(format!(
                "{:04}-{:02}-{:02}",
                dt.year(),
                u8::from(dt.month()),
                dt.day()
            ))
        }

        /// `None` where `time` would panic (a Beijing date past 9999-12-31).
        pub fn beijing(ms: i64) -> Option<String> {
            let f = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
            let Ok(t) = OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)) else {
                return Some(String::new());
            };
            t.checked_to_offset(offset!(+8))
                .map(|t| t.format(f).unwrap_or_default())
        }

        pub fn parse_rfc3339(s: &str) -> Option<i64> {
            OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
                .ok()
                .map(|t| t.unix_timestamp())
        }

        pub fn parse_local(s: &str, offset_hours: i8) -> Option<i64> {
            let f = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
            let t = PrimitiveDateTime::parse(s, f).or_else(|_| {
                let f = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
                PrimitiveDateTime::parse(s, f)
            });
            let offset = UtcOffset::from_hms(offset_hours, 0, 0).ok()?;
            t.ok().map(|t| t.assume_offset(offset).unix_timestamp())
        }

        pub fn parse_beijing(s: &str) -> Option<i64> {
            let f = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
            PrimitiveDateTime::parse(s, f)
                .ok()
                .map(|t| t.assume_offset(offset!(+8)).unix_timestamp())
        }
    }

    /// Years −9999 to 9999 in ms, and a margin past both ends.
    const SPAN_MS: i64 = 253_402_300_800_000 + 400 * 86_400_000;

    /// Text near the formats: right shapes with fields in and out of range, odd separators,
    /// signs, fractions, offsets, leap seconds, trailing bytes.
    fn near_times() -> impl Strategy<Value = String> {
        let year = prop_oneof![
            "[0-9]{4}",
            "[+-][0-9]{4}",
            "[0-9]{3,5}",
            Just("9999".to_string()),
            Just("0000".to_string())
        ];
        let two = prop_oneof![
            "[0-6][0-9]",
            Just("00".to_string()),
            Just("60".to_string()),
            Just("31".to_string()),
            Just("29".to_string()),
            "[0-9]{1,3}"
        ];
        let sep = prop_oneof![
            Just("T"),
            Just("t"),
            Just(" "),
            Just("x"),
            Just("é"),
            Just("")
        ];
        let fraction = prop_oneof![Just(String::new()), "\\.[0-9]{0,12}"];
        let zone = prop_oneof![
            Just("Z".to_string()),
            Just("z".to_string()),
            Just(String::new()),
            "[+-][0-2][0-9]:[0-9]{2}",
            "[+-][0-9]{2}[0-9]{2}",
            Just("+00:00 ".to_string())
        ];
        (
            year,
            two.clone(),
            two.clone(),
            sep,
            two.clone(),
            two.clone(),
            two,
            fraction,
            zone,
        )
            .prop_map(|(y, mo, d, sep, h, mi, s, f, z)| {
                format!("{y}-{mo}-{d}{sep}{h}:{mi}:{s}{f}{z}")
            })
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn formatting_agrees_with_time(ms in -SPAN_MS..SPAN_MS) {
            let secs = ms.div_euclid(1000);
            prop_assert_eq!(acs_date(secs), reference::acs_date(secs));
            prop_assert_eq!(utc_date(secs), reference::utc_date(secs));
            prop_assert_eq!(rfc3339(ms), reference::acs_date(secs).unwrap_or_default());
            if let Some(expected) = reference::beijing(ms) {
                prop_assert_eq!(beijing(ms), expected);
            } else {
                prop_assert_eq!(beijing(ms), "");
            }
        }

        #[test]
        fn round_trips_agree_with_time(ms in -SPAN_MS..SPAN_MS) {
            let text = rfc3339(ms);
            prop_assert_eq!(parse_rfc3339(&text), reference::parse_rfc3339(&text));
            prop_assert_eq!(parse_acs_date(&text), reference::parse_rfc3339(&text));
            let local = beijing(ms);
            prop_assert_eq!(parse_beijing(&local), reference::parse_beijing(&local));
        }

        #[test]
        fn parsing_agrees_with_time(s in near_times()) {
            prop_assert_eq!(parse_rfc3339(&s), reference::parse_rfc3339(&s), "{}", s);
            prop_assert_eq!(parse_beijing(&s), reference::parse_beijing(&s), "{}", s);
            prop_assert_eq!(
                parse_task_time(&s),
                reference::parse_rfc3339(s.trim())
                    .map(|t| (t.saturating_mul(1000), true))
                    .or_else(|| reference::parse_local(s.trim(), 8).map(|t| (t.saturating_mul(1000), false))),
                "{}", s
            );
        }
    }

    #[test]
    fn edge_cases_agree_with_time() {
        for s in [
            "2016-12-31T23:59:60Z",
            "2016-12-31T23:59:60+00:00",
            "2017-01-01T07:59:60+08:00",
            "2016-12-30T23:59:60Z",
            "2016-06-30t23:59:60.5z",
            "2016-02-29T00:00:00-23:59",
            "2015-02-29T00:00:00Z",
            "0000-01-01T00:00:00+23:59",
            "9999-12-31T23:59:59-23:59",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00+24:00",
            "2024-01-01T00:00:00+01:60",
            "2024-01-01 00:00:00",
            "+2024-01-01 00:00:00",
            "-0001-12-31 23:59:59",
            "-9999-01-01 00:00:00",
            "2024-01-01T00:00:00Z ",
        ] {
            assert_eq!(parse_rfc3339(s), reference::parse_rfc3339(s), "{s}");
            assert_eq!(parse_beijing(s), reference::parse_beijing(s), "{s}");
        }
        for ms in [
            i64::MIN,
            i64::MAX,
            -377_705_116_800_000,
            -377_705_116_800_001,
            253_402_300_799_999,
            253_402_271_999_999,
            253_402_272_000_000,
            -62_167_219_200_000,
            -62_167_219_200_001,
        ] {
            let secs = ms.div_euclid(1000);
            assert_eq!(acs_date(secs), reference::acs_date(secs), "{ms}");
            assert_eq!(utc_date(secs), reference::utc_date(secs), "{ms}");
            assert_eq!(
                beijing(ms),
                reference::beijing(ms).unwrap_or_default(),
                "{ms}"
            );
        }
    }
}
