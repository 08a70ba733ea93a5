//! Calendar dates and the date arithmetic of domain.md ("Definitions used by the rules").
//!
//! Dates travel through the engine as normalised `YYYY-MM-DD` strings: they sort correctly as
//! strings, read well in messages, and need no custom type inside Rhai. Everything here is
//! constant-time so that no host call can be made to run for long, whatever its arguments.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Duration, Month};

/// A calendar date (years 0001–9999). Accepts `YYYY-MM-DD` or an RFC 3339 timestamp whose
/// date part is used, as domain.md allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(time::Date);

/// Why a text is not a date; worded for the person who typed it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("`{0}` is not a date: expected YYYY-MM-DD (or an RFC 3339 timestamp)")]
    Format(String),
    #[error("`{0}` is not a calendar date (no such day in that month)")]
    Calendar(String),
    #[error("date arithmetic left the supported range 0001-01-01..9999-12-31")]
    Range,
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl Date {
    pub const EPOCH: Date = match time::Date::from_ordinal_date(1970, 1) {
        Ok(d) => Date(d),
        Err(_) => Date(time::Date::MIN),
    };

    pub fn from_ymd(year: i32, month: u8, day: u8) -> Result<Self, DateError> {
        // The error's text is built only on the error path: this runs for every date of every
        // request, and formatting it eagerly cost more than the conversion.
        let bad = || DateError::Calendar(format!("{year:04}-{month:02}-{day:02}"));
        if !(1..=9999).contains(&year) {
            return Err(bad());
        }
        let month_of_year = Month::try_from(month).map_err(|_| bad())?;
        time::Date::from_calendar_date(year, month_of_year, day)
            .map(Date)
            .map_err(|_| bad())
    }

    /// Parses `YYYY-MM-DD`, or the date part of `YYYY-MM-DDThh:mm:ss…`.
    pub fn parse(text: &str) -> Result<Self, DateError> {
        match plain_date(text) {
            Some(date) => Ok(date),
            None => Self::parse_general(text),
        }
    }

    /// [`Date::parse`] for any text: the timestamps, and the errors' wording.
    pub(crate) fn parse_general(text: &str) -> Result<Self, DateError> {
        let bad = || DateError::Format(text.chars().take(40).collect());
        let date_part = match text.get(..10) {
            Some(head) if text.len() == 10 => head,
            Some(head) => {
                let rest = text.get(10..).ok_or_else(bad)?;
                if !(rest.starts_with('T') || rest.starts_with('t')) || rest.len() < 9 {
                    return Err(bad());
                }
                head
            }
            None => return Err(bad()),
        };
        let mut parts = date_part.split('-');
        let (y, m, d) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(y), Some(m), Some(d), None) if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
                (y, m, d)
            }
            _ => return Err(bad()),
        };
        let (y, m, d) = match (digits(y), digits(m), digits(d)) {
            (Some(y), Some(m), Some(d)) => (y, m, d),
            _ => return Err(bad()),
        };
        let year = i32::try_from(y).map_err(|_| bad())?;
        let month = u8::try_from(m).map_err(|_| bad())?;
        let day = u8::try_from(d).map_err(|_| bad())?;
        Self::from_ymd(year, month, day).map_err(|_| DateError::Calendar(text.to_string()))
    }

    fn checked(d: Option<time::Date>) -> Result<Self, DateError> {
        match d {
            Some(d) if (1..=9999).contains(&d.year()) => Ok(Date(d)),
            _ => Err(DateError::Range),
        }
    }

    /// The Julian day number: consecutive days, consecutive numbers.
    pub(crate) fn day_number(self) -> i32 {
        self.0.to_julian_day()
    }

    /// Calendar days from `self` to `other` (`other − self`).
    pub fn days_until(self, other: Date) -> i64 {
        i64::from(other.0.to_julian_day()) - i64::from(self.0.to_julian_day())
    }

    pub fn add_days(self, n: i64) -> Result<Self, DateError> {
        // Bound first: `Duration::days` multiplies and would overflow on hostile input.
        if n.unsigned_abs() > 4_000_000 {
            return Err(DateError::Range);
        }
        Self::checked(self.0.checked_add(Duration::days(n)))
    }

    /// Adds calendar months, clamping to the last day of the target month
    /// (2026-01-31 + 1 month = 2026-02-28).
    pub fn add_months(self, n: i64) -> Result<Self, DateError> {
        if n.unsigned_abs() > 200_000 {
            return Err(DateError::Range);
        }
        let month0 = i64::from(self.0.year()) * 12 + i64::from(u8::from(self.0.month())) - 1 + n;
        let year = i32::try_from(month0.div_euclid(12)).map_err(|_| DateError::Range)?;
        let month_no = u8::try_from(month0.rem_euclid(12) + 1).map_err(|_| DateError::Range)?;
        if !(1..=9999).contains(&year) {
            return Err(DateError::Range);
        }
        let month = Month::try_from(month_no).map_err(|_| DateError::Range)?;
        let day = self.0.day().min(month.length(year));
        Self::checked(time::Date::from_calendar_date(year, month, day).ok())
    }

    /// Monday–Friday days after `self` up to and including `other`; negative when `other` is
    /// earlier (counting the same way backwards). No holiday calendar.
    pub fn working_days_until(self, other: Date) -> i64 {
        if other < self {
            return -other.working_days_until(self);
        }
        // Count weekdays in (self, other] in O(1): whole weeks, then the remainder.
        let total = self.days_until(other);
        let weeks = total / 7;
        let mut count = weeks * 5;
        let start = i64::from(self.0.weekday().number_days_from_monday());
        for k in 1..=(total % 7) {
            if (start + k) % 7 < 5 {
                count += 1;
            }
        }
        count
    }

    /// [`Self::working_days_until`] not counting `holidays` (a jurisdiction's public holidays,
    /// in any order, repeats allowed) that fall on a weekday in the range.
    pub fn working_days_except(self, other: Date, holidays: &[Date]) -> i64 {
        let (from, to, sign) = if other < self {
            (other, self, -1)
        } else {
            (self, other, 1)
        };
        let mut off = 0;
        for (i, h) in holidays.iter().enumerate() {
            let counted = *h > from && *h <= to && h.0.weekday().number_days_from_monday() < 5;
            // A date listed twice is one holiday (a list holds a few dozen: no sort needed).
            if counted && !holidays.get(..i).is_some_and(|before| before.contains(h)) {
                off += 1;
            }
        }
        sign * (from.working_days_until(to) - off)
    }

    pub fn year(self) -> i32 {
        self.0.year()
    }

    /// `YYYY-MM-DD` as ten bytes, written digit by digit: rules' date functions return their
    /// dates as text, and the formatting machinery's padded integers cost more than the date
    /// arithmetic. `None` for a year beyond 1–9999, which no constructor makes.
    pub(crate) fn iso_bytes(self) -> Option<[u8; 10]> {
        let (year, month, day) = self.0.to_calendar_date();
        let year = u16::try_from(year)
            .ok()
            .filter(|y| (1..=9999).contains(y))?;
        let (month, day) = (u16::from(u8::from(month)), u16::from(day));
        let digit = |n: u16| b'0' + (n % 10) as u8;
        Some([
            digit(year / 1000),
            digit(year / 100),
            digit(year / 10),
            digit(year),
            b'-',
            digit(month / 10),
            digit(month),
            b'-',
            digit(day / 10),
            digit(day),
        ])
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(bytes) = self.iso_bytes() {
            return f.write_str(std::str::from_utf8(&bytes).unwrap_or_default());
        }
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            u8::from(self.0.month()),
            self.0.day()
        )
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Date::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Date {
    fn schema_name() -> String {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        schemars::schema::SchemaObject {
            instance_type: Some(schemars::schema::InstanceType::String.into()),
            format: Some("date".into()),
            metadata: Some(Box::new(schemars::schema::Metadata {
                description: Some(
                    "ISO 8601 calendar date YYYY-MM-DD; an RFC 3339 timestamp is accepted and its date part used".into(),
                ),
                ..Default::default()
            })),
            ..Default::default()
        }
        .into()
    }
}

/// The European Union for the rules (domain.md §1): the 27 member states' ISO 3166-1 alpha-2
/// codes, plus the codes ISO lists separately for parts of the Union (Åland; the French
/// outermost regions French Guiana, Guadeloupe, Martinique, Réunion, Mayotte and Saint-Martin),
/// since a customer there is a customer in the Union.
pub const EU: [&str; 34] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "AX", "GF", "GP", "MQ", "RE",
    "YT", "MF",
];

/// The EEA: the EU plus Iceland, Liechtenstein and Norway. GDPR applies across it, so a
/// transfer inside it is not a transfer to a third country.
pub const EEA_BEYOND_EU: [&str; 3] = ["IS", "LI", "NO"];

/// Whether `code` (any case) is in [`EU`].
pub fn is_eu(code: &str) -> bool {
    const SET: [u64; 11] = code_set(&EU, &[]);
    in_set(&SET, code)
}

/// Whether `code` (any case) is in the EEA ([`EU`] and [`EEA_BEYOND_EU`]). A bit per two-letter
/// code, set from the lists at compile time: rules ask several times per decision, and
/// comparing with each code in turn was ~300 instructions a call.
pub fn is_eea(code: &str) -> bool {
    const SET: [u64; 11] = code_set(&EU, &EEA_BEYOND_EU);
    in_set(&SET, code)
}

fn in_set(set: &[u64; 11], code: &str) -> bool {
    let [a, b] = code.as_bytes() else {
        return false;
    };
    letter_pair(a.to_ascii_uppercase(), b.to_ascii_uppercase())
        .and_then(|bit| set.get(bit / 64).map(|word| word >> (bit % 64) & 1 == 1))
        .unwrap_or(false)
}

/// The number of a pair of capital letters, 0..676.
const fn letter_pair(a: u8, b: u8) -> Option<usize> {
    if a.is_ascii_uppercase() && b.is_ascii_uppercase() {
        Some((a - b'A') as usize * 26 + (b - b'A') as usize)
    } else {
        None
    }
}

// Evaluated by the compiler only, where an index out of bounds is a build error, not a panic.
#[allow(clippy::indexing_slicing)]
const fn code_set(first: &[&str], second: &[&str]) -> [u64; 11] {
    let mut set = [0u64; 11];
    let lists = [first, second];
    let mut l = 0;
    while l < lists.len() {
        let list = lists[l];
        let mut i = 0;
        while i < list.len() {
            let code = list[i].as_bytes();
            if let Some(bit) = letter_pair(code[0], code[1]) {
                set[bit / 64] |= 1 << (bit % 64);
            }
            i += 1;
        }
        l += 1;
    }
    set
}

/// The date of a valid `YYYY-MM-DD`, the common case, read without splitting the
/// text or formatting an error before there is one (the request reader and every date a rule
/// computes with go through here). `None` for anything else: timestamps and mistakes go to
/// [`Date::parse_general`].
pub(crate) fn plain_date(text: &str) -> Option<Date> {
    let (year, day) = plain_ordinal(text)?;
    time::Date::from_ordinal_date(year, day).ok().map(Date)
}

/// The year and day of the year of a valid `YYYY-MM-DD`: what `time::Date` holds, so that a
/// date is built without a day count in between (days since 1970, then `time`'s Julian day and
/// back, with their divisions).
fn plain_ordinal(text: &str) -> Option<(i32, u16)> {
    const BEFORE_MONTH: [u16; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let (year, month, day) = plain_ymd(text)?;
    let before = *BEFORE_MONTH.get(usize::try_from(month - 1).ok()?)?;
    let leap_day = u16::from(month > 2 && is_leap(year));
    Some((
        i32::try_from(year).ok()?,
        before + u16::try_from(day).ok()? + leap_day,
    ))
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Year, month and day of a valid `YYYY-MM-DD` (a day that exists in its month, year ≥ 1).
fn plain_ymd(text: &str) -> Option<(i64, i64, i64)> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return None;
    }
    let number = |range: std::ops::Range<usize>| {
        bytes.get(range)?.iter().try_fold(0i64, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + i64::from(b - b'0'))
        })
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let days_in_month = match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return None,
    };
    if year < 1 || day < 1 || day > days_in_month {
        return None;
    }
    Some((year, month, day))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn writes_dates_as_the_formatter_does() {
        let mut day = d("0001-01-01");
        while day.year() <= 9999 {
            let formatted = format!(
                "{:04}-{:02}-{:02}",
                day.0.year(),
                u8::from(day.0.month()),
                day.0.day()
            );
            assert_eq!(day.to_string(), formatted);
            // Every day of the years rules meet, a sample of the others.
            let step = if (1890..2130).contains(&day.year()) {
                1
            } else {
                97
            };
            match day.add_days(step) {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        assert_eq!(d("9999-12-31").to_string(), "9999-12-31");
    }

    #[test]
    fn parses_dates_and_timestamps() {
        assert_eq!(d("2026-09-01").to_string(), "2026-09-01");
        assert_eq!(d("2026-09-01T10:00:00Z").to_string(), "2026-09-01");
        assert_eq!(d("2026-09-01T10:00:00+02:00").to_string(), "2026-09-01");
    }

    #[test]
    fn rejects_impossible_and_malformed_dates() {
        assert!(matches!(
            Date::parse("2026-02-30"),
            Err(DateError::Calendar(_))
        ));
        assert!(matches!(
            Date::parse("2026-13-01"),
            Err(DateError::Calendar(_))
        ));
        assert!(matches!(
            Date::parse("0000-01-01"),
            Err(DateError::Calendar(_))
        ));
        for bad in [
            "",
            "2026-9-1",
            "2026/09/01",
            "20260901",
            "2026-09-01x",
            "２０２６-09-01",
            "+026-09-01",
        ] {
            assert!(
                matches!(Date::parse(bad), Err(DateError::Format(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn month_arithmetic_clamps_to_month_end() {
        assert_eq!(d("2026-01-31").add_months(1).unwrap(), d("2026-02-28"));
        assert_eq!(d("2028-01-31").add_months(1).unwrap(), d("2028-02-29"));
        assert_eq!(d("2026-12-31").add_months(2).unwrap(), d("2027-02-28"));
        assert_eq!(d("2026-03-31").add_months(-1).unwrap(), d("2026-02-28"));
        assert_eq!(d("2026-10-01").add_months(7).unwrap(), d("2027-05-01"));
        assert_eq!(d("9999-12-01").add_months(1), Err(DateError::Range));
        assert_eq!(d("2026-01-01").add_months(i64::MAX), Err(DateError::Range));
    }

    #[test]
    fn day_arithmetic() {
        assert_eq!(d("2026-09-01").days_until(d("2026-10-01")), 30);
        assert_eq!(d("2026-10-01").days_until(d("2026-09-01")), -30);
        assert_eq!(d("2026-09-01").add_days(30).unwrap(), d("2026-10-01"));
        assert_eq!(d("2026-09-01").add_days(i64::MIN), Err(DateError::Range));
    }

    #[test]
    fn working_days_skip_weekends() {
        // 2026-09-01 is a Tuesday. 14 working days after it: Friday 2026-09-18.
        assert_eq!(d("2026-09-01").working_days_until(d("2026-09-18")), 13);
        assert_eq!(d("2026-09-01").working_days_until(d("2026-09-21")), 14);
        assert_eq!(d("2026-09-04").working_days_until(d("2026-09-07")), 1); // Fri -> Mon
        assert_eq!(d("2026-09-05").working_days_until(d("2026-09-06")), 0); // Sat -> Sun
        assert_eq!(d("2026-09-01").working_days_until(d("2026-09-01")), 0);
        assert_eq!(d("2026-09-21").working_days_until(d("2026-09-01")), -14);
        // Constant time even across millennia.
        assert!(d("0001-01-01").working_days_until(d("9999-12-31")) > 2_000_000);
    }

    #[test]
    fn working_days_skip_holidays_on_weekdays_only() {
        let d = |s: &str| Date::parse(s).unwrap();
        // 2026-09-01 (Tue) to 2026-09-21 (Mon): 14 working days; 2026-09-10 is a Thursday,
        // 2026-09-12 a Saturday, 2026-09-01 outside the range (it is not counted anyway).
        let holidays = [
            d("2026-09-10"),
            d("2026-09-12"),
            d("2026-09-01"),
            d("2026-09-10"),
        ];
        assert_eq!(
            d("2026-09-01").working_days_except(d("2026-09-21"), &[]),
            14
        );
        assert_eq!(
            d("2026-09-01").working_days_except(d("2026-09-21"), &holidays),
            13
        );
        assert_eq!(
            d("2026-09-21").working_days_except(d("2026-09-01"), &holidays),
            -13
        );
        assert_eq!(
            d("2026-09-01").working_days_except(d("2026-09-09"), &holidays),
            6
        );
    }

    #[test]
    fn eea_membership() {
        assert!(is_eea("DE") && is_eea("no") && is_eea("LI"));
        assert!(!is_eea("CH") && !is_eea("GB") && !is_eea("US") && !is_eea(""));
        assert!(is_eu("re") && is_eu("AX") && is_eea("MF") && !is_eu("NO") && !is_eu("GL"));
        // The bit set says what a comparison with each code of the list says, for every pair
        // of bytes that could be a code, in any case.
        let bytes: Vec<u8> = (0u8..=127).collect();
        for &a in &bytes {
            for &b in &bytes {
                let code = String::from_utf8(vec![a, b]).unwrap();
                let eu = EU.iter().any(|c| c.eq_ignore_ascii_case(&code));
                let listed = eu || EEA_BEYOND_EU.iter().any(|c| c.eq_ignore_ascii_case(&code));
                assert_eq!(is_eea(&code), listed, "{code:?}");
                assert_eq!(is_eu(&code), eu, "{code:?}");
            }
        }
        assert!(!is_eea("DEU") && !is_eea("D") && !is_eea("Ｄ") && !is_eea("ÀT"));
    }
}
