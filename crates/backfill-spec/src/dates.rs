//! Partition days and hours: calendar dates with no time zone, and hours 0–23 of a day.

use std::fmt;

use chrono::{Datelike, Month, NaiveDate};

/// A calendar day, stored as days since 1970-01-01 so that ranges and grids are arithmetic.
/// The number is private: a day is made from a date, a text, a clock or another day
/// ([`Day::plus_days`]), and read back as a date, a text or a distance ([`Day::days_since`]).
/// The calendar itself (which dates exist, and the day number of a date and back) is
/// chrono's; the parser, its messages and the printed form are ours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(i32);

/// Why a text is not a day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DayError {
    /// Not of the form YYYY-MM-DD.
    Format,
    /// Of the right form but not in the calendar, like 2022-02-30; the message says why.
    Impossible(String),
}

impl Day {
    /// 1000-01-01: the first day of the years a spec may name (four digits).
    pub const FIRST: Day = Day(-354_285);
    /// 9999-12-31: the last. Every day that enters the core (parsed, built from a date or a
    /// clock, read from the lint worker) lies between the two, so day arithmetic never wraps.
    pub const LAST: Day = Day(2_932_896);
    /// 1970-01-01, day 0: what packed keys and the lint worker's messages count from
    /// (`Day::EPOCH.plus_days(n)`, `day.days_since(Day::EPOCH)`).
    pub const EPOCH: Day = Day(0);

    /// A calendar date of the supported years; `None` for any other.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
        if !(1000..=9999).contains(&year) {
            return None;
        }
        NaiveDate::from_ymd_opt(year, month, day).map(|date| Day(date.to_epoch_days()))
    }

    /// The nearest supported day: what a clock or a message from elsewhere is brought to.
    pub fn clamped(self) -> Day {
        Day(self.0.clamp(Day::FIRST.0, Day::LAST.0))
    }

    /// Parses exactly `YYYY-MM-DD` (four-digit year 1000–9999).
    pub fn parse(text: &str) -> Result<Day, DayError> {
        let b = text.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 10
            || b[4] != b'-'
            || b[7] != b'-'
            || !digits(0..4)
            || !digits(5..7)
            || !digits(8..10)
        {
            return Err(DayError::Format);
        }
        let year: i32 = text[0..4].parse().map_err(|_| DayError::Format)?;
        let month: u32 = text[5..7].parse().map_err(|_| DayError::Format)?;
        let day: u32 = text[8..10].parse().map_err(|_| DayError::Format)?;
        if year < 1000 {
            return Err(DayError::Impossible(format!("year {year} is before 1000")));
        }
        // Two digits, so `as u8` keeps the number; 0 and 13–99 are no month.
        let Ok(named) = Month::try_from(month as u8) else {
            return Err(DayError::Impossible(format!("there is no month {month}")));
        };
        match NaiveDate::from_ymd_opt(year, month, day) {
            Some(date) => Ok(Day(date.to_epoch_days())),
            None => Err(DayError::Impossible(format!(
                "{} {year} has {} days",
                named.name(),
                named.num_days(year).unwrap_or(0)
            ))),
        }
    }

    /// Year, month (1–12) and day of the month (1–31).
    pub fn ymd(self) -> (i32, u32, u32) {
        // Every day is within the supported years, a few days beyond at most: far inside
        // chrono's range (about ±262,000 years), so the fallback is never taken.
        NaiveDate::from_epoch_days(self.0)
            .map_or((1970, 1, 1), |date| (date.year(), date.month(), date.day()))
    }

    /// The next day.
    pub fn succ(self) -> Day {
        Day(self.0 + 1)
    }

    /// The day before.
    pub fn pred(self) -> Day {
        Day(self.0 - 1)
    }

    /// The day `days` after this one (before it when negative). Callers stay within the
    /// supported years, a few days beyond at most, far from where `i32` would overflow.
    pub fn plus_days(self, days: i32) -> Day {
        Day(self.0 + days)
    }

    /// How many days `earlier` is before this day (negative when it is after): 0 for the same
    /// day, 1 for the day before.
    pub fn days_since(self, earlier: Day) -> i32 {
        self.0 - earlier.0
    }

    /// Unix seconds at the start of the day (00:00 UTC): the inverse of
    /// [`Day::from_unix_seconds`].
    pub fn unix_seconds(self) -> i64 {
        i64::from(self.0) * 86_400
    }

    /// Today's date in UTC from a Unix time in seconds (the caller owns the clock), within
    /// the supported years whatever the clock says.
    pub fn from_unix_seconds(secs: i64) -> Day {
        let days = secs.div_euclid(86_400);
        Day(days.clamp(i64::from(Day::FIRST.0), i64::from(Day::LAST.0)) as i32)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// A set of hours of one day (bit h = hour h).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct HourSet(pub u32);

impl HourSet {
    pub const FULL: HourSet = HourSet((1 << 24) - 1);

    pub fn is_full(self) -> bool {
        self == Self::FULL
    }
    pub fn union(self, other: HourSet) -> HourSet {
        HourSet(self.0 | other.0)
    }
    pub fn contains(self, hour: u8) -> bool {
        hour < 24 && self.0 & (1 << hour) != 0
    }
    pub fn insert_range(&mut self, from: u8, to: u8) {
        for h in from..=to.min(23) {
            self.0 |= 1 << h;
        }
    }
    pub fn len(self) -> u32 {
        self.0.count_ones()
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// Compact text form, the one `{hours}` expands to: `0-11`, `0,5-7,23`.
impl fmt::Display for HourSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        let mut h = 0u8;
        while h < 24 {
            if !self.contains(h) {
                h += 1;
                continue;
            }
            let start = h;
            while h + 1 < 24 && self.contains(h + 1) {
                h += 1;
            }
            if !first {
                f.write_str(",")?;
            }
            first = false;
            if start == h {
                write!(f, "{start}")?;
            } else {
                write!(f, "{start}-{h}")?;
            }
            h += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_through_text() {
        for text in [
            "1970-01-01",
            "2000-02-29",
            "2022-08-10",
            "1999-12-31",
            "2400-02-29",
            "1000-01-01",
        ] {
            assert_eq!(Day::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(Day::parse("1970-01-02"), Ok(Day(1)));
        assert_eq!(Day::parse("1969-12-31"), Ok(Day(-1)));
        let mut d = Day::parse("2022-02-27").unwrap();
        for _ in 0..3 {
            d = d.succ();
        }
        assert_eq!(d.to_string(), "2022-03-02");
    }

    #[test]
    fn impossible_days_say_why() {
        assert_eq!(
            Day::parse("2022-02-30"),
            Err(DayError::Impossible("February 2022 has 28 days".into()))
        );
        assert_eq!(
            Day::parse("2022-13-01"),
            Err(DayError::Impossible("there is no month 13".into()))
        );
        for bad in [
            "2022-8-1",
            "22-08-01",
            "2022/08/01",
            "2022-08-01T00",
            "",
            "２０２２-08-01",
        ] {
            assert_eq!(Day::parse(bad), Err(DayError::Format), "{bad}");
        }
    }

    #[test]
    fn hour_sets_print_compactly() {
        let mut h = HourSet::default();
        h.insert_range(0, 0);
        h.insert_range(5, 7);
        h.insert_range(23, 23);
        assert_eq!(h.to_string(), "0,5-7,23");
        assert_eq!(HourSet::FULL.to_string(), "0-23");
        assert!(HourSet::FULL.is_full());
    }

    #[test]
    fn supported_years_bound_every_way_in() {
        assert_eq!(Day::FIRST, Day::parse("1000-01-01").unwrap());
        assert_eq!(Day::LAST, Day::parse("9999-12-31").unwrap());
        assert_eq!(Day::from_ymd(999, 12, 31), None);
        assert_eq!(Day::from_ymd(10_000, 1, 1), None);
        assert_eq!(Day::from_unix_seconds(i64::MAX), Day::LAST);
        assert_eq!(Day::from_unix_seconds(i64::MIN), Day::FIRST);
        assert_eq!(Day(i32::MAX).clamped(), Day::LAST);
    }

    #[test]
    fn the_calendar_is_proleptic_gregorian() {
        assert_eq!(
            Day::parse("2000-02-30"),
            Err(DayError::Impossible("February 2000 has 29 days".into()))
        );
        assert_eq!(
            Day::parse("1900-02-29"),
            Err(DayError::Impossible("February 1900 has 28 days".into()))
        );
        assert_eq!(
            Day::parse("2022-04-31"),
            Err(DayError::Impossible("April 2022 has 30 days".into()))
        );
        assert_eq!(
            Day::parse("2022-01-00"),
            Err(DayError::Impossible("January 2022 has 31 days".into()))
        );
        assert_eq!(
            Day::parse("2022-00-10"),
            Err(DayError::Impossible("there is no month 0".into()))
        );
        assert_eq!(
            Day::parse("0999-12-31"),
            Err(DayError::Impossible("year 999 is before 1000".into()))
        );
        assert_eq!(Day::from_ymd(2022, 2, 29), None);
        assert_eq!(Day::from_ymd(2024, 2, 29), Day::parse("2024-02-29").ok());
        // Every day of the supported years, and a few beyond, is the day after the one before,
        // by the Gregorian rule written out here, and reads back as itself.
        let leap = |y: i32| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let days_in = |y: i32, m: u32| match m {
            2 if leap(y) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        let mut day = Day::FIRST.plus_days(-3);
        let mut expected = (999, 12, 29);
        while day <= Day::LAST.plus_days(3) {
            let (y, m, d) = day.ymd();
            assert_eq!((y, m, d), expected);
            if (1000..=9999).contains(&y) {
                assert_eq!(Day::from_ymd(y, m, d), Some(day));
            }
            expected = if d < days_in(y, m) {
                (y, m, d + 1)
            } else if m < 12 {
                (y, m + 1, 1)
            } else {
                (y + 1, 1, 1)
            };
            day = day.succ();
        }
    }
}
