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

use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// China Standard Time (UTC+8): Tencent CDN's `YYYY-MM-DD hh:mm:ss` times are Beijing times.
pub const CHINA_TIME: UtcOffset = time::macros::offset!(+8);

/// UTC+8, assumed for ESA task times written without a zone (`2023-03-28 14:28:57`): the
/// DescribePreloadTasks model gives no zone. Callers that compare such times must allow
/// [`ZONELESS_TOLERANCE_MS`].
pub const ASSUMED_ZONELESS_OFFSET_HOURS: i8 = 8;

/// How far a zoneless time read as UTC+8 can be from the truth: any real zone (UTC−12 to
/// UTC+14) is at most 20 hours from UTC+8; 24 hours leaves a margin.
pub const ZONELESS_TOLERANCE_MS: i64 = 24 * 3_600_000;

/// `YYYY-MM-DDTHH:MM:SSZ` for a unix time (seconds); `None` outside years 0–9999.
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

/// RFC 3339 UTC to the second (`2024-01-01T00:00:00Z`) of a time in ms; empty outside years
/// 0–9999 (no vendor takes such a time, and the call that carries it is refused).
pub fn rfc3339(ms: i64) -> String {
    acs_date(ms.div_euclid(1000)).unwrap_or_default()
}

/// `YYYY-MM-DD hh:mm:ss` in Beijing time (Tencent CDN) of a time in ms; empty when out of range.
/// Written by hand as `time`'s `[year]-[month]-[day] [hour]:[minute]:[second]` writes it (its
/// formatter weighs about 30 KB of the full wasm): a year before 1 signed, four digits padded.
pub fn beijing(ms: i64) -> String {
    let Some(t) = OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|t| t.checked_to_offset(CHINA_TIME))
    else {
        return String::new();
    };
    let year = t.year();
    format!(
        "{}{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        if year < 0 { "-" } else { "" },
        year.unsigned_abs(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// RFC 3339 / ISO 8601 with an offset (`2022-02-09T02:35:00Z`, `…+08:00`) → unix seconds.
/// Read by hand as `time`'s `Rfc3339` description reads it (its parser weighs 3 KB gzipped
/// in the call module): a four-digit year, any one byte between date and time, an optional
/// fraction (dropped), `Z` or `±hh:mm` (hours to 23), a leap second `:60` only as the last
/// second of a month in UTC (read as `:59`).
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if !b.first()?.is_ascii_digit() {
        return None;
    }
    let leap = b.get(17..19) == Some(b"60".as_slice());
    let mut head = [0u8; 19];
    head.copy_from_slice(b.get(..19)?);
    if leap {
        head[17] = b'5';
        head[18] = b'9';
    }
    let (local, _) = civil(&head, head[10])?;
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
            let (h, m) = (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?);
            if h > 23 || m > 59 {
                return None;
            }
            let secs = i64::from(h * 3600 + m * 60);
            if *sign == b'-' {
                -secs
            } else {
                secs
            }
        }
        _ => return None,
    };
    let utc = local.assume_utc().unix_timestamp() - offset;
    if leap {
        let t = OffsetDateTime::from_unix_timestamp(utc).ok()?;
        let last_second = (t.hour(), t.minute(), t.second()) == (23, 59, 59);
        if !last_second || t.day() != t.month().length(t.year()) {
            return None;
        }
    }
    Some(utc)
}

/// The digits `b` as a number; `None` unless every byte is an ASCII digit (and `b` is not
/// empty).
fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() {
        return None;
    }
    b.iter().try_fold(0u32, |n, c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// `YYYY-MM-DD<sep>hh:mm:ss` at the start of `s` and what follows it: the fixed-width fields
/// of `time`'s `[year]-[month]-[day]<sep>[hour]:[minute]:[second]` description, read by hand
/// (`time`'s description parser is a tenth of the call module's time code). The year is four
/// digits, after an optional sign; the date must exist and the time be 00:00:00–23:59:59.
fn civil(s: &[u8], sep: u8) -> Option<(PrimitiveDateTime, &[u8])> {
    let (negative, year_digits) = match s.first()? {
        b'+' | b'-' => (s[0] == b'-', 1..5),
        _ => (false, 0..4),
    };
    let year = i32::try_from(digits(s.get(year_digits.clone())?)?).ok()?;
    let rest = s.get(year_digits.end..)?;
    // -MM-DD<sep>hh:mm:ss
    let shape = rest.get(..15)?;
    let at = |i: usize, c: u8| shape[i] == c;
    if !(at(0, b'-') && at(3, b'-') && at(6, sep) && at(9, b':') && at(12, b':')) {
        return None;
    }
    let two = |i: usize| digits(&shape[i..i + 2]).and_then(|n| u8::try_from(n).ok());
    let month = time::Month::try_from(two(1)?).ok()?;
    let date =
        time::Date::from_calendar_date(if negative { -year } else { year }, month, two(4)?).ok()?;
    let clock = time::Time::from_hms(two(7)?, two(10)?, two(13)?).ok()?;
    Some((PrimitiveDateTime::new(date, clock), &rest[15..]))
}

/// [`civil`] of all of `s`, nothing after it.
fn civil_exact(s: &str, sep: u8) -> Option<PrimitiveDateTime> {
    civil(s.as_bytes(), sep).and_then(|(t, rest)| rest.is_empty().then_some(t))
}

/// `YYYY-MM-DD hh:mm:ss` read as Beijing time (Tencent CDN) → unix seconds.
pub fn parse_beijing(s: &str) -> Option<i64> {
    civil_exact(s, b' ').map(|t| t.assume_offset(CHINA_TIME).unix_timestamp())
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
    let (dt, rest) = civil(b, b'T')?;
    (rest == b"Z").then(|| dt.assume_utc().unix_timestamp())
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
    let t = civil_exact(s, b' ').or_else(|| civil_exact(s, b'T'))?;
    let offset = UtcOffset::from_hms(ASSUMED_ZONELESS_OFFSET_HOURS, 0, 0).ok()?;
    Some((
        t.assume_offset(offset)
            .unix_timestamp()
            .saturating_mul(1000),
        false,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `beijing` as `time`'s formatter writes it, where that one writes anything.
    fn beijing_by_time(ms: i64) -> String {
        let f = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
        OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
            .ok()
            .and_then(|t| t.checked_to_offset(CHINA_TIME))
            .and_then(|t| t.format(f).ok())
            .unwrap_or_default()
    }

    proptest::proptest! {
        #[test]
        fn beijing_writes_as_times_formatter(ms in proptest::prelude::any::<i64>(), near in -400_000_000_000_000i64..400_000_000_000_000) {
            proptest::prop_assert_eq!(beijing(ms), beijing_by_time(ms));
            proptest::prop_assert_eq!(beijing(near), beijing_by_time(near));
        }
    }

    #[test]
    fn beijing_at_the_edges() {
        for ms in [
            0,
            -1,
            1_700_000_000_123,
            -62_167_219_200_000,
            -62_167_219_200_001,
            253_402_300_799_999,
            253_402_271_999_999,
            253_402_272_000_000,
            i64::MIN,
            i64::MAX,
        ] {
            assert_eq!(beijing(ms), beijing_by_time(ms), "{ms}");
        }
        assert_eq!(beijing(0), "1970-01-01 08:00:00");
        assert_eq!(beijing(-62_167_219_200_001), "0000-01-01 07:59:59");
        assert_eq!(beijing(-62_167_251_600_000), "-0001-12-31 23:00:00");
    }

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
    fn the_hand_split_reads_what_the_time_descriptions_read() {
        let space =
            time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
        let tee =
            time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
        let cases = [
            "2023-11-15 06:13:20",
            "2024-02-29 23:59:59",
            "2023-02-29 00:00:00",
            "2023-04-31 00:00:00",
            "2023-13-01 00:00:00",
            "2023-00-10 00:00:00",
            "2023-01-00 00:00:00",
            "2023-01-01 24:00:00",
            "2023-01-01 23:60:00",
            "2023-01-01 23:59:60",
            "+2023-01-01 00:00:00",
            "-0001-01-01 00:00:00",
            "+009999-12-31 23:59:59",
            "+10000-01-01 00:00:00",
            "+123-01-01 00:00:00",
            "20231-01-01 00:00:00",
            "2023-1-01 00:00:00",
            "2023-01-01 00:00:00 ",
            "2023-01-01 00:00",
            "2023-01-01T00:00:00",
            "2023-01-01 0a:00:00",
            "2023-01-01 +1:00:00",
            "",
            "2023",
            "２023-01-01 00:00:00",
        ];
        for case in cases {
            let want = PrimitiveDateTime::parse(case, space).ok();
            assert_eq!(civil_exact(case, b' '), want, "{case:?}");
            let t = case.replacen(' ', "T", 1);
            assert_eq!(
                civil_exact(&t, b'T'),
                PrimitiveDateTime::parse(&t, tee).ok(),
                "{t:?}"
            );
        }
    }

    #[test]
    fn the_hand_rfc3339_reads_what_time_reads() {
        let by_time = |s: &str| {
            OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
                .ok()
                .map(|t| t.unix_timestamp())
        };
        let cases = [
            "2022-02-09T02:35:00Z",
            "2022-02-09t02:35:00z",
            "2022-02-09 02:35:00Z",
            "2022-02-09_02:35:00Z",
            "2022-02-09T02:35:00+08:00",
            "2022-02-09T02:35:00-23:59",
            "2022-02-09T02:35:00+24:00",
            "2022-02-09T02:35:00+08:60",
            "2022-02-09T02:35:00+0800",
            "2022-02-09T02:35:00.5Z",
            "2022-02-09T02:35:00.123456789123Z",
            "2022-02-09T02:35:00.Z",
            "2022-02-09T02:35:00",
            "2022-02-09T02:35:00Z ",
            "2022-02-09T02:35Z",
            "2016-12-31T23:59:60Z",
            "2017-01-01T07:59:60+08:00",
            "2016-12-30T23:59:60Z",
            "2016-12-31T23:58:60Z",
            "2024-02-29T23:59:60Z",
            "2023-02-29T00:00:00Z",
            "2023-13-01T00:00:00Z",
            "2023-00-01T00:00:00Z",
            "2023-01-00T00:00:00Z",
            "2023-01-01T24:00:00Z",
            "2023-01-01T23:60:00Z",
            "2023-01-01T23:59:61Z",
            "+2023-01-01T00:00:00Z",
            "-2023-01-01T00:00:00Z",
            "0000-01-01T00:00:00+01:00",
            "9999-12-31T23:59:59-01:00",
            "20231-01-01T00:00:00Z",
            "2023-1-01T00:00:00Z",
            "2023-01-01T00:00:00\u{e9}",
            "2023-01-01\u{e9}00:00:00Z",
            "",
            "2023",
            "yesterday",
        ];
        for case in cases {
            assert_eq!(parse_rfc3339(case), by_time(case), "{case:?}");
        }
    }

    #[test]
    fn out_of_range_is_empty_or_none() {
        assert_eq!(rfc3339(i64::MAX), "");
        assert_eq!(beijing(i64::MIN), "");
        assert_eq!(acs_date(-70_000_000_000), None);
        assert_eq!(parse_acs_date("2023-11-14 22:13:20Z"), None);
        assert_eq!(parse_task_time("yesterday"), None);
    }
}
