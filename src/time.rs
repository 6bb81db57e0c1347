//! Calendar dates, instants and durations.
//!
//! Obligations are full of deadlines ("within 72 hours", "every three years"), so the
//! language has dates and durations of its own. Dates are proleptic Gregorian days; instants
//! are seconds in UTC. A duration keeps calendar months apart from exact seconds because
//! "3y" after 29 February is a calendar question, while "72h" is not.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Seconds in a day.
const DAY: i64 = 86_400;
/// The average Gregorian month (30.436875 days), used only to compare a calendar duration
/// with an exact one.
const AVERAGE_MONTH: i64 = 2_629_746;

/// A calendar day, counted from 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Date(i32);

/// An instant, in seconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DateTime(i64);

/// A span of time: calendar months plus exact seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Duration {
    months: i64,
    seconds: i64,
}

impl Date {
    /// The day with this year, month (1–12) and day of month, if it exists.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        if !(1..=9999).contains(&year) {
            return None;
        }
        Some(Date(days_from_civil(year, month, day)))
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
            return None;
        }
        let year = digits(text.get(0..4)?)?;
        let month = digits(text.get(5..7)?)?;
        let day = digits(text.get(8..10)?)?;
        Date::from_ymd(i32::try_from(year).ok()?, month, day)
    }

    /// Year, month and day.
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i32 {
        self.0
    }

    /// The instant at midnight UTC starting this day.
    pub fn at_midnight(self) -> DateTime {
        DateTime(i64::from(self.0) * DAY)
    }

    /// The current day in UTC.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
        Date(i32::try_from(secs.div_euclid(DAY)).unwrap_or(0))
    }

    /// This day moved by a duration; months move along the calendar, clamping to the end of
    /// a shorter month, and seconds are counted in whole days.
    pub fn shift(self, d: Duration) -> Option<Date> {
        let moved = add_months(self, d.months)?;
        let days = d.seconds.div_euclid(DAY);
        let n = i64::from(moved.0).checked_add(days)?;
        let date = Date(i32::try_from(n).ok()?);
        in_range(date)
    }

    /// This day moved back by a duration.
    pub fn shift_back(self, d: Duration) -> Option<Date> {
        self.shift(d.negate()?)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl DateTime {
    /// Parses RFC 3339 (`2026-03-01T10:00:00Z`, `2026-03-01T10:00:00+07:00`, fractional
    /// seconds ignored); a bare date means midnight UTC.
    pub fn parse(text: &str) -> Option<DateTime> {
        if text.len() == 10 {
            return Date::parse(text).map(Date::at_midnight);
        }
        let date = Date::parse(text.get(0..10)?)?;
        let sep = text.as_bytes().get(10)?;
        if !matches!(sep, b'T' | b't' | b' ') {
            return None;
        }
        let rest = text.get(11..)?;
        let hour = digits(rest.get(0..2)?)?;
        let minute = digits(rest.get(3..5)?)?;
        if rest.get(2..3)? != ":" {
            return None;
        }
        let (second, mut tail) = if rest.get(5..6) == Some(":") {
            (digits(rest.get(6..8)?)?, rest.get(8..)?)
        } else {
            (0, rest.get(5..)?)
        };
        if let Some(frac) = tail.strip_prefix('.') {
            let n = frac.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return None;
            }
            tail = frac.get(n..)?;
        }
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        let offset = match tail {
            "Z" | "z" => 0,
            _ => {
                let sign = match tail.get(0..1)? {
                    "+" => 1,
                    "-" => -1,
                    _ => return None,
                };
                if tail.len() != 6 || tail.get(3..4)? != ":" {
                    return None;
                }
                let oh = digits(tail.get(1..3)?)?;
                let om = digits(tail.get(4..6)?)?;
                if oh > 23 || om > 59 {
                    return None;
                }
                sign * (i64::from(oh) * 3600 + i64::from(om) * 60)
            }
        };
        let secs = i64::from(date.0) * DAY
            + i64::from(hour) * 3600
            + i64::from(minute) * 60
            + i64::from(second.min(59))
            - offset;
        // An offset can carry a day at either end of the calendar into year 0 or 10000,
        // which no date can hold: the instant would print as a year the loader refuses.
        let day = i32::try_from(secs.div_euclid(DAY)).ok()?;
        in_range(Date(day))?;
        Some(DateTime(secs))
    }

    /// Seconds since the epoch.
    pub fn seconds(self) -> i64 {
        self.0
    }

    /// The instant moved by a duration (months along the calendar, in UTC).
    pub fn shift(self, d: Duration) -> Option<DateTime> {
        let day = Date(i32::try_from(self.0.div_euclid(DAY)).ok()?);
        let time = self.0.rem_euclid(DAY);
        let moved = add_months(day, d.months)?;
        let secs = (i64::from(moved.0) * DAY + time).checked_add(d.seconds)?;
        Some(DateTime(secs))
    }

    /// The instant moved back by a duration.
    pub fn shift_back(self, d: Duration) -> Option<DateTime> {
        self.shift(d.negate()?)
    }

    /// The exact time from `earlier` to this instant.
    pub fn since(self, earlier: DateTime) -> Option<Duration> {
        Some(Duration::seconds(self.0.checked_sub(earlier.0)?))
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let day = Date(i32::try_from(self.0.div_euclid(DAY)).unwrap_or(0));
        let t = self.0.rem_euclid(DAY);
        write!(
            f,
            "{day}T{:02}:{:02}:{:02}Z",
            t / 3600,
            (t % 3600) / 60,
            t % 60
        )
    }
}

/// The longest calendar duration a literal may state: ten thousand years, the span of
/// the calendar, so that no shift can leave it by more than its own length.
pub const MAX_MONTHS: i64 = 12 * 10_000;
/// The longest exact duration a literal may state, on the same ground as [`MAX_MONTHS`].
pub const MAX_SECONDS: i64 = 10_000 * 366 * DAY;

/// The units a duration literal may use, with their meaning.
pub const DURATION_UNITS: &[(&str, &str)] = &[
    ("s", "seconds"),
    ("min", "minutes"),
    ("h", "hours"),
    ("d", "days"),
    ("w", "weeks"),
    ("mo", "months"),
    ("y", "years"),
];

impl Duration {
    /// An exact number of seconds.
    pub fn seconds(seconds: i64) -> Duration {
        Duration { months: 0, seconds }
    }

    /// A number of calendar months.
    pub fn months(months: i64) -> Duration {
        Duration { months, seconds: 0 }
    }

    /// Parses `72h`, `30d`, `3y`, `6mo`, `15min`, `2w`, `90s`.
    pub fn parse(text: &str) -> Result<Duration, DurationError> {
        let split = text
            .find(|c: char| !c.is_ascii_digit())
            .ok_or(DurationError::NoUnit)?;
        let (number, unit) = text.split_at(split);
        let n: i64 = number.parse().map_err(|_| DurationError::Number)?;
        let d = match unit {
            "s" => Some(Duration::seconds(n)),
            "min" => n.checked_mul(60).map(Duration::seconds),
            "h" => n.checked_mul(3600).map(Duration::seconds),
            "d" => n.checked_mul(DAY).map(Duration::seconds),
            "w" => n.checked_mul(7 * DAY).map(Duration::seconds),
            "mo" => Some(Duration::months(n)),
            "y" => n.checked_mul(12).map(Duration::months),
            _ => return Err(DurationError::Unit(unit.to_string())),
        };
        match d {
            Some(d) if d.months.abs() <= MAX_MONTHS && d.seconds.abs() <= MAX_SECONDS => Ok(d),
            _ => Err(DurationError::Number),
        }
    }

    /// The opposite duration.
    pub fn negate(self) -> Option<Duration> {
        Some(Duration {
            months: self.months.checked_neg()?,
            seconds: self.seconds.checked_neg()?,
        })
    }

    /// The sum of two durations.
    pub fn plus(self, other: Duration) -> Option<Duration> {
        Some(Duration {
            months: self.months.checked_add(other.months)?,
            seconds: self.seconds.checked_add(other.seconds)?,
        })
    }

    /// The duration scaled by a whole number.
    pub fn times(self, n: i64) -> Option<Duration> {
        Some(Duration {
            months: self.months.checked_mul(n)?,
            seconds: self.seconds.checked_mul(n)?,
        })
    }

    /// Length in seconds, counting a month as the average Gregorian month.
    fn approximate_seconds(self) -> i128 {
        i128::from(self.months) * i128::from(AVERAGE_MONTH) + i128::from(self.seconds)
    }
}

impl PartialOrd for Duration {
    fn partial_cmp(&self, other: &Duration) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Duration {
    /// Calendar durations compare with each other by months, exact ones by seconds; a
    /// mixed comparison counts a month as 30.436875 days.
    fn cmp(&self, other: &Duration) -> Ordering {
        if self.seconds == 0 && other.seconds == 0 {
            return self.months.cmp(&other.months);
        }
        if self.months == 0 && other.months == 0 {
            return self.seconds.cmp(&other.seconds);
        }
        self.approximate_seconds().cmp(&other.approximate_seconds())
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if self.months != 0 {
            if self.months % 12 == 0 {
                parts.push(format!("{}y", self.months / 12));
            } else {
                parts.push(format!("{}mo", self.months));
            }
        }
        let s = self.seconds;
        if s != 0 || parts.is_empty() {
            let text = if s % DAY == 0 {
                format!("{}d", s / DAY)
            } else if s % 3600 == 0 {
                format!("{}h", s / 3600)
            } else if s % 60 == 0 {
                format!("{}min", s / 60)
            } else {
                format!("{s}s")
            };
            parts.push(text);
        }
        f.write_str(&parts.join(" "))
    }
}

/// Why a duration literal was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DurationError {
    /// Digits with no unit.
    NoUnit,
    /// An unknown unit.
    Unit(String),
    /// The number is too large.
    Number,
}

fn digits(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn in_range(date: Date) -> Option<Date> {
    let (y, _, _) = date.ymd();
    (1..=9999).contains(&y).then_some(date)
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

fn add_months(date: Date, months: i64) -> Option<Date> {
    if months == 0 {
        return Some(date);
    }
    let (y, m, d) = date.ymd();
    let index = i64::from(y) * 12 + i64::from(m) - 1 + months;
    let year = i32::try_from(index.div_euclid(12)).ok()?;
    let month = u32::try_from(index.rem_euclid(12) + 1).ok()?;
    let day = d.min(days_in_month(year, month));
    Date::from_ymd(year, month, day)
}

/// Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i32::try_from(month).unwrap_or(1);
    let d = i32::try_from(day).unwrap_or(1);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count (inverse of [`days_from_civil`]).
///
/// Worked in `i64`: a date moved by a long duration is range-checked through this
/// function, so `days` can be anywhere in `i32`, and shifting it to the algorithm's epoch
/// would overflow an `i32`.
fn civil_from_days(days: i32) -> (i32, u32, u32) {
    let z = i64::from(days) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = if m <= 2 { y + 1 } else { y };
    (
        // |days| < 2^31 puts the year within ±5.9 million.
        i32::try_from(year).unwrap_or(i32::MAX),
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_through_day_counts() {
        for text in [
            "1970-01-01",
            "2000-02-29",
            "2026-11-23",
            "1999-12-31",
            "0001-01-01",
        ] {
            let d = Date::parse(text).unwrap();
            assert_eq!(d.to_string(), text);
        }
        assert_eq!(Date::parse("1970-01-02").unwrap().days(), 1);
    }

    #[test]
    fn a_shift_to_the_end_of_the_day_count_is_out_of_range() {
        // 2,146,784,000 days: within `i32`, but past it once moved to the 0000-03-01 epoch.
        let far = Duration::seconds(2_146_784_000 * DAY);
        let d = Date::parse("2026-01-01").unwrap();
        assert_eq!(d.shift(far), None);
        assert_eq!(d.shift_back(far), None);
        assert_eq!(Date(i32::MAX).ymd().0, 5_881_580);
        assert_eq!(Date(i32::MIN).ymd().0, -5_877_641);
        let t = DateTime::parse("2026-01-01T00:00:00Z").unwrap();
        assert_eq!(t.shift(far).unwrap().to_string(), "5879720-12-16T00:00:00Z");
    }

    #[test]
    fn impossible_dates_are_refused() {
        for text in [
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "26-01-01",
        ] {
            assert_eq!(Date::parse(text), None, "{text}");
        }
    }

    #[test]
    fn calendar_years_clamp_at_month_end() {
        let leap = Date::parse("2024-02-29").unwrap();
        let three_years = Duration::parse("3y").unwrap();
        assert_eq!(leap.shift(three_years).unwrap().to_string(), "2027-02-28");
        let d = Date::parse("2026-11-23").unwrap();
        assert_eq!(d.shift_back(three_years).unwrap().to_string(), "2023-11-23");
        assert_eq!(
            d.shift(Duration::parse("30d").unwrap())
                .unwrap()
                .to_string(),
            "2026-12-23"
        );
    }

    #[test]
    fn instants_parse_with_offsets() {
        let utc = DateTime::parse("2026-03-01T10:00:00Z").unwrap();
        let plus7 = DateTime::parse("2026-03-01T17:00:00+07:00").unwrap();
        assert_eq!(utc, plus7);
        let later = DateTime::parse("2026-03-04T10:00:01Z").unwrap();
        let gap = later.since(utc).unwrap();
        assert!(gap > Duration::parse("72h").unwrap());
        assert_eq!(utc.to_string(), "2026-03-01T10:00:00Z");
        assert_eq!(DateTime::parse("2026-03-01T25:00:00Z"), None);
    }

    #[test]
    fn instants_stay_in_years_1_to_9999_once_in_utc() {
        assert_eq!(DateTime::parse("9999-12-31T23:59:59-01:00"), None);
        assert_eq!(DateTime::parse("0001-01-01T00:00:00+01:00"), None);
        let last = DateTime::parse("9999-12-31T22:59:59-01:00").unwrap();
        assert_eq!(last.to_string(), "9999-12-31T23:59:59Z");
        let first = DateTime::parse("0001-01-01T01:00:00+01:00").unwrap();
        assert_eq!(first.to_string(), "0001-01-01T00:00:00Z");
    }

    #[test]
    fn durations_parse_and_compare() {
        assert_eq!(
            Duration::parse("72h").unwrap(),
            Duration::parse("3d").unwrap()
        );
        assert!(Duration::parse("1y").unwrap() > Duration::parse("11mo").unwrap());
        assert!(Duration::parse("1mo").unwrap() > Duration::parse("30d").unwrap());
        assert!(Duration::parse("1mo").unwrap() < Duration::parse("31d").unwrap());
        assert_eq!(Duration::parse("5x"), Err(DurationError::Unit("x".into())));
        assert_eq!(
            Duration::parse("99999999999999y"),
            Err(DurationError::Number)
        );
        assert_eq!(Duration::parse("36mo").unwrap().to_string(), "3y");
    }
}
