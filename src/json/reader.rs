//! The request reader: JSON text straight into the request types, in one pass, for good and bad
//! requests alike.
//!
//! It checks the limits as it goes (the same ones [`super::input::scan_structure`] enforces) and stops
//! at the first thing wrong, with what is wrong and where; the containers it is inside add
//! their steps to the path on the way out, so a good request pays nothing for the paths.
//!
//! Why one reader rather than a quick one and serde for the rest: serde's derived deserializers
//! with `serde_path_to_error` were 200 KB of the wasm module's 700 KB of code, which every edge
//! cold start paid V8 to validate. What is not JSON at all is still
//! described by serde_json (its `Value` parser is in the module anyway), so syntax errors keep
//! serde_json's codes and positions; the tests hold this reader to serde's derived
//! deserializers on many thousands of texts.

use std::borrow::Cow;

use crate::calendar::{Date, DateError};

use super::error::{InputError, InputLimits};

/// Deeper documents are refused here whatever the limits say, which keeps this reader's
/// recursion (and so its stack) small.
const MAX_DEPTH: usize = 64;

/// A value read, or why reading stopped.
pub(crate) type Read<T> = Result<T, Stop>;

/// Why reading stopped. Boxed so that a `Read<T>` costs no more than an `Option<T>` on the way
/// through a good request.
#[derive(Debug)]
pub(crate) struct Stop(Box<Fault>);

#[derive(Debug)]
struct Fault {
    problem: Problem,
    /// Byte offset of the value (or byte) at fault.
    at: usize,
    /// Innermost step first: each container adds its own on the way out.
    path: Vec<Step>,
    /// A missing colon is the object's fault, not its field's (serde's paths say so too).
    before_value: bool,
}

#[derive(Debug)]
enum Step {
    Key(String),
    Index(usize),
}

#[derive(Debug)]
enum Problem {
    /// Not JSON: serde_json says what and where.
    Syntax,
    WrongType {
        expected: &'static str,
        found: &'static str,
    },
    UnknownVariant {
        found: String,
        allowed: Vec<&'static str>,
    },
    Date(DateError),
    Missing,
    Duplicate,
    /// An integer beyond i64.
    OutOfRange(String),
    TooDeep,
    TooManyItems(usize),
}

impl Stop {
    #[cold]
    #[inline(never)]
    fn at(at: usize, problem: Problem) -> Self {
        Stop(Box::new(Fault {
            problem,
            at,
            path: Vec::new(),
            before_value: false,
        }))
    }

    #[cold]
    #[inline(never)]
    fn within(mut self, step: Step) -> Self {
        self.0.path.push(step);
        self
    }

    /// The error a person reads: a stable code, the JSON path, a message that says what to send.
    #[cold]
    #[inline(never)]
    /// A required member `name` of the object just read is missing.
    pub(crate) fn missing(r: &Reader<'_>, name: &str) -> Stop {
        Stop::at(r.pos, Problem::Missing).within(Step::Key(name.to_string()))
    }

    pub(crate) fn into_error(self, text: &str) -> InputError {
        let Fault {
            problem, at, path, ..
        } = *self.0;
        let path = super::error::show_path(path.iter().rev().map(|step| match step {
            Step::Key(key) => super::error::Step::Key(key),
            Step::Index(i) => super::error::Step::Index(*i),
        }));
        let (code, message) = match problem {
            Problem::Syntax => match serde_json::from_str::<serde_json::Value>(text) {
                Err(e) => return super::error::json_error(&e, path),
                // Not reached while this reader accepts only JSON; said plainly if it ever is.
                Ok(_) => ("not_json", "the request is not valid JSON here".to_string()),
            },
            Problem::WrongType { expected, found } if path == "$" => (
                "invalid_type",
                format!("the request is {found}; send {expected}"),
            ),
            Problem::WrongType { expected, found } => (
                "invalid_type",
                format!("`{path}` is {found}; it must be {expected}"),
            ),
            Problem::UnknownVariant { found, .. } if path == "scenario" => (
                "unknown_scenario",
                format!(
                    "`{found}` is not a scenario: scenario must be onboarding, termination, transfer or removal"
                ),
            ),
            Problem::UnknownVariant { found, allowed } => (
                "invalid_value",
                format!(
                    "`{path}` is `{found}`; it must be one of {}",
                    allowed
                        .iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
            Problem::Date(e) => ("invalid_date", format!("`{path}`: {e}")),
            Problem::Missing => ("missing_field", format!("required field `{path}` is missing")),
            Problem::Duplicate => (
                "invalid_value",
                format!("`{path}` appears twice in its object; send it once"),
            ),
            Problem::OutOfRange(number) => (
                "invalid_value",
                format!(
                    "`{path}` is {number}, beyond the integers accepted (-9223372036854775808 to 9223372036854775807)"
                ),
            ),
            Problem::TooDeep => (
                "too_deep",
                format!("the request nests deeper than {MAX_DEPTH} levels; the contract needs fewer than 8"),
            ),
            Problem::TooManyItems(limit) => (
                "too_many_items",
                format!("this array has more than {limit} elements"),
            ),
        };
        let before = text.get(..at).unwrap_or(text);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        InputError {
            line: Some(line),
            column: Some(column),
            ..InputError::new(code, message, path)
        }
    }
}

pub(crate) struct Reader<'a> {
    text: &'a str,
    pos: usize,
    depth: usize,
    max_depth: usize,
    max_array_len: usize,
}

/// A request type read straight from JSON text.
pub(crate) trait FromJson: Sized {
    fn read(r: &mut Reader<'_>) -> Read<Self>;
}

/// Reads a whole document (a request: one object) and nothing after it but whitespace.
pub(crate) fn parse<T: FromJson>(text: &str, limits: &InputLimits) -> Read<T> {
    let mut r = Reader {
        max_depth: limits.max_depth.min(MAX_DEPTH),
        max_array_len: limits.max_array_len,
        ..Reader::new(text)
    };
    let read = T::read(&mut r)?;
    r.whitespace();
    if r.pos == text.len() {
        Ok(read)
    } else {
        Err(r.syntax())
    }
}

impl<'a> Reader<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let limits = InputLimits::default();
        Reader {
            text,
            pos: 0,
            depth: 0,
            max_depth: limits.max_depth.min(MAX_DEPTH),
            max_array_len: limits.max_array_len,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn whitespace(&mut self) {
        let bytes = self.text.as_bytes();
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = bytes.get(self.pos) {
            self.pos += 1;
            // Indentation, eight spaces at a time: a pretty-printed request is a third
            // whitespace, most of it runs of spaces after a newline.
            while let Some(chunk) = bytes.get(self.pos..self.pos + 8) {
                let mut word = [0; 8];
                word.copy_from_slice(chunk);
                let others = u64::from_le_bytes(word) ^ (ONES * u64::from(b' '));
                if others != 0 {
                    self.pos += (others.trailing_zeros() / 8) as usize;
                    break;
                }
                self.pos += 8;
            }
        }
    }

    /// The next byte after whitespace, not consumed.
    pub(crate) fn next(&mut self) -> Option<u8> {
        self.whitespace();
        self.peek()
    }

    #[cold]
    #[inline(never)]
    fn stop(&self, problem: Problem) -> Stop {
        Stop::at(self.pos, problem)
    }

    #[cold]
    #[inline(never)]
    fn syntax(&self) -> Stop {
        self.stop(Problem::Syntax)
    }

    fn expect(&mut self, byte: u8) -> Read<()> {
        if self.next() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.syntax())
        }
    }

    /// The colon after a key, read by the field's reader.
    fn colon(&mut self) -> Read<()> {
        self.expect(b':').map_err(|mut e| {
            e.0.before_value = true;
            e
        })
    }

    fn literal(&mut self, word: &str) -> bool {
        self.whitespace();
        let found = self
            .text
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(word));
        if found {
            self.pos += word.len();
        }
        found
    }

    /// The value at the cursor is not what the field takes. Names what it is, as serde does,
    /// after checking it is JSON at all: what is not is a syntax error, as in serde.
    #[cold]
    #[inline(never)]
    pub(crate) fn wrong_type(&mut self, expected: &'static str) -> Stop {
        self.whitespace();
        let at = self.pos;
        let found = match self.peek() {
            Some(b'{') => "an object",
            Some(b'[') => "an array",
            Some(b'"') => match self.string() {
                Ok(_) => "a string",
                Err(stop) => return stop,
            },
            Some(b't' | b'f') if self.literal("true") || self.literal("false") => "a boolean",
            Some(b'n') if self.literal("null") => "null",
            Some(b'-' | b'0'..=b'9') => match self.number().and_then(|n| self.in_range(n)) {
                Ok(_) => "a number",
                Err(stop) => return stop,
            },
            _ => return self.syntax(),
        };
        Stop::at(at, Problem::WrongType { expected, found })
    }

    /// A string, the cursor on its opening quote (callers have looked); escapes are decoded by
    /// serde_json (rare in requests, and exactly its rules). Natively inlined into its callers
    /// (every key of every object): called, it cost a decision 4–6 % more instructions, most of
    /// it the call's own moves for a few bytes of text. Not in wasm, where inlining it made no
    /// measurable difference in Node and the edge module 18 KB larger.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn string(&mut self) -> Read<Cow<'a, str>> {
        if self.peek() != Some(b'"') {
            return Err(self.syntax());
        }
        self.pos += 1;
        let start = self.pos;
        let bytes = self.text.as_bytes();
        loop {
            // Eight bytes at a time to the first byte that ends the plain part.
            if let Some(chunk) = bytes.get(self.pos..self.pos + 8) {
                let mut word = [0; 8];
                word.copy_from_slice(chunk);
                let found = string_end(u64::from_le_bytes(word));
                if found == 0 {
                    self.pos += 8;
                    continue;
                }
                self.pos += (found.trailing_zeros() / 8) as usize;
            }
            match bytes.get(self.pos) {
                Some(b'"') => break,
                Some(b'\\') => return self.escaped(start),
                Some(0..=0x1f) | None => return Err(self.syntax()),
                Some(_) => self.pos += 1,
            }
        }
        let s = self
            .text
            .get(start..self.pos)
            .ok_or_else(|| self.syntax())?;
        self.pos += 1;
        Ok(Cow::Borrowed(s))
    }

    /// The rest of a string that has an escape; `start` is just after its opening quote.
    fn escaped(&mut self, start: usize) -> Read<Cow<'a, str>> {
        let bytes = self.text.as_bytes();
        let mut end = self.pos;
        loop {
            match bytes.get(end) {
                Some(b'\\') => end += 2,
                Some(b'"') => break,
                Some(_) => end += 1,
                None => return Err(self.syntax()),
            }
        }
        let quoted = self
            .text
            .get(start.saturating_sub(1)..=end)
            .ok_or_else(|| self.syntax())?;
        let decoded: String = serde_json::from_str(quoted).map_err(|_| self.syntax())?;
        self.pos = end + 1;
        Ok(Cow::Owned(decoded))
    }

    /// The text of a number, which must follow JSON's grammar (as serde_json reads it: a digit
    /// after a leading zero is an invalid number, not the end of one).
    fn number(&mut self) -> Read<&'a str> {
        self.whitespace();
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let mut i = start;
        let digits = |i: &mut usize| {
            let from = *i;
            while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i > from
        };
        if bytes.get(i) == Some(&b'-') {
            i += 1;
        }
        let fail = |i: usize| Stop::at(i, Problem::Syntax);
        match bytes.get(i) {
            Some(b'0') => {
                i += 1;
                if bytes.get(i).is_some_and(u8::is_ascii_digit) {
                    return Err(fail(i));
                }
            }
            Some(b'1'..=b'9') => {
                digits(&mut i);
            }
            _ => return Err(fail(i)),
        }
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            if !digits(&mut i) {
                return Err(fail(i));
            }
        }
        if let Some(b'e' | b'E') = bytes.get(i) {
            i += 1;
            if let Some(b'+' | b'-') = bytes.get(i) {
                i += 1;
            }
            if !digits(&mut i) {
                return Err(fail(i));
            }
        }
        self.pos = i;
        self.text.get(start..i).ok_or_else(|| fail(start))
    }

    /// A number serde_json can hold: beyond f64 it is an error (`invalid_number`) even where
    /// the field wanted something else.
    fn in_range(&self, number: &'a str) -> Read<&'a str> {
        let short = number.len() <= 15 && !number.contains(['e', 'E']);
        if short || serde_json::from_str::<f64>(number).is_ok() {
            Ok(number)
        } else {
            Err(Stop::at(self.pos - number.len(), Problem::Syntax))
        }
    }

    fn open(&mut self, byte: u8, expected: &'static str) -> Read<()> {
        if self.next() != Some(byte) {
            return Err(self.wrong_type(expected));
        }
        // The scanner refuses a container opened at `max_depth` open containers.
        if self.depth >= self.max_depth {
            return Err(self.stop(Problem::TooDeep));
        }
        self.pos += 1;
        self.depth += 1;
        Ok(())
    }

    /// An object; `field` reads the colon and the value of each key (after looking at the key
    /// alone, as serde does: a duplicate is an error before anything after it). `expected`
    /// names the object in a wrong-type error.
    pub(crate) fn object(
        &mut self,
        expected: &'static str,
        mut field: impl FnMut(&mut Self, &str) -> Read<()>,
    ) -> Read<()> {
        self.open(b'{', expected)?;
        if self.next() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                if self.next() != Some(b'"') {
                    return Err(self.syntax());
                }
                let key = self.string()?;
                field(self, &key).map_err(|mut e| {
                    if std::mem::take(&mut e.0.before_value) {
                        e
                    } else {
                        e.within(Step::Key(key.into_owned()))
                    }
                })?;
                match self.next() {
                    Some(b',') => self.pos += 1,
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.syntax()),
                }
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// An array; `item` reads each element.
    pub(crate) fn array(&mut self, mut item: impl FnMut(&mut Self) -> Read<()>) -> Read<()> {
        self.open(b'[', "an array")?;
        if self.next() == Some(b']') {
            self.pos += 1;
        } else {
            // The scanner counts commas and refuses the one that reaches the limit.
            let mut commas = 0;
            loop {
                // What is wrong between the elements is the array's, as in serde.
                if self.next().is_none() {
                    return Err(self.syntax());
                }
                item(self).map_err(|e| e.within(Step::Index(commas)))?;
                match self.next() {
                    Some(b',') => {
                        self.pos += 1;
                        commas += 1;
                        if commas >= self.max_array_len {
                            return Err(self
                                .stop(Problem::TooManyItems(self.max_array_len))
                                .within(Step::Index(commas)));
                        }
                        if self.next() == Some(b']') {
                            return Err(self.syntax());
                        }
                    }
                    Some(b']') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.syntax()),
                }
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// An unknown field's value, checked and passed over. What is wrong inside it is reported
    /// at the field, as serde does (it never looks inside).
    pub(crate) fn skip_field(&mut self) -> Read<()> {
        self.colon()?;
        self.skip().map_err(|mut e| {
            e.0.path.clear();
            e
        })
    }

    /// Any JSON value, checked and passed over.
    fn skip(&mut self) -> Read<()> {
        match self.next() {
            Some(b'{') => self.object("", |r, _| {
                r.colon()?;
                r.skip()
            }),
            Some(b'[') => self.array(Self::skip),
            Some(b'"') => self.string().map(drop),
            Some(b't' | b'f' | b'n') => {
                if self.literal("true") || self.literal("false") || self.literal("null") {
                    Ok(())
                } else {
                    Err(self.syntax())
                }
            }
            _ => self.number().map(drop),
        }
    }

    /// A string enum: the value of the name read.
    pub(crate) fn one_of<T: Copy>(&mut self, choices: &[(&'static str, T)]) -> Read<T> {
        if self.next() != Some(b'"') {
            return Err(self.wrong_type("one of its allowed strings"));
        }
        let at = self.pos;
        let text = self.string()?;
        match choices.iter().find(|(name, _)| *name == text) {
            Some((_, value)) => Ok(*value),
            None => Err(Stop::at(
                at,
                Problem::UnknownVariant {
                    found: text.into_owned(),
                    allowed: choices.iter().map(|(name, _)| *name).collect(),
                },
            )),
        }
    }
}

/// The high bit of each byte of `word` (little-endian) that is `"`, `\\` or a control
/// character, exact up to the lowest one (the classic "has zero byte" trick; the borrow can
/// only mark bytes above a marked one).
/// A byte of 1 in each lane of a word, for the eight-bytes-at-a-time scans.
const ONES: u64 = 0x0101_0101_0101_0101;

pub(crate) fn string_end(word: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    zero(word ^ (ONES * u64::from(b'"')))
        | zero(word ^ (ONES * u64::from(b'\\')))
        | (word.wrapping_sub(ONES * 0x20) & !word & HIGH)
}

/// A field of a struct: its colon and value into `slot`; read twice is an error, as in serde.
/// `T` is `Option<_>` for a field that may be null, the value's own type for one that may not.
pub(crate) fn field<T: FromJson>(r: &mut Reader<'_>, slot: &mut Option<T>) -> Read<()> {
    if slot.is_some() {
        return Err(r.stop(Problem::Duplicate));
    }
    r.colon()?;
    *slot = Some(T::read(r)?);
    Ok(())
}

/// `null` is an absent value, as serde reads an `Option`.
impl<T: FromJson> FromJson for Option<T> {
    fn read(r: &mut Reader<'_>) -> Read<Self> {
        if r.literal("null") {
            Ok(None)
        } else {
            T::read(r).map(Some)
        }
    }
}

impl FromJson for bool {
    fn read(r: &mut Reader<'_>) -> Read<Self> {
        if r.literal("true") {
            Ok(true)
        } else if r.literal("false") {
            Ok(false)
        } else {
            Err(r.wrong_type("true or false"))
        }
    }
}

impl FromJson for i64 {
    /// Integers of up to 18 digits cannot overflow; the rest are judged as serde_json judges
    /// them (a fraction, an exponent or `-0` make a float, not an integer).
    fn read(r: &mut Reader<'_>) -> Read<Self> {
        if !matches!(r.next(), Some(b'-' | b'0'..=b'9')) {
            return Err(r.wrong_type("an integer"));
        }
        let at = r.pos;
        let text = r.number()?;
        let digits = text.strip_prefix('-').unwrap_or(text);
        let integer = digits.bytes().all(|b| b.is_ascii_digit());
        if integer && digits.len() <= 18 && text != "-0" {
            if let Ok(n) = text.parse() {
                return Ok(n);
            }
        }
        r.in_range(text)?;
        if integer && text != "-0" {
            if let Ok(n) = text.parse() {
                return Ok(n);
            }
            if text.parse::<u64>().is_ok() {
                return Err(Stop::at(at, Problem::OutOfRange(text.to_string())));
            }
        }
        Err(Stop::at(
            at,
            Problem::WrongType {
                expected: "an integer",
                found: "a number with a fraction, an exponent or beyond the integers",
            },
        ))
    }
}

impl FromJson for f64 {
    /// Whole numbers below 2^53 are exact; any other number is converted by serde_json
    /// itself, so that the value is the same to the last bit.
    fn read(r: &mut Reader<'_>) -> Read<Self> {
        if !matches!(r.next(), Some(b'-' | b'0'..=b'9')) {
            return Err(r.wrong_type("a number"));
        }
        let text = r.number()?;
        if text.len() <= 15 && text.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(n) = text.parse::<u64>() {
                return Ok(n as f64);
            }
        }
        serde_json::from_str(text).map_err(|_| Stop::at(r.pos - text.len(), Problem::Syntax))
    }
}

impl FromJson for Date {
    fn read(r: &mut Reader<'_>) -> Read<Self> {
        if r.next() != Some(b'"') {
            return Err(r.wrong_type("a date string (YYYY-MM-DD)"));
        }
        let at = r.pos;
        let text = r.string()?;
        Date::parse(&text).map_err(|e| Stop::at(at, Problem::Date(e)))
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn read(r: &mut Reader<'_>) -> Read<Self> {
        let mut items = Vec::new();
        r.array(|r| {
            items.push(T::read(r)?);
            Ok(())
        })?;
        Ok(items)
    }
}

/// Free JSON: checked here for the limits, converted by serde_json.
impl FromJson for serde_json::Value {
    fn read(r: &mut Reader<'_>) -> Read<Self> {
        r.whitespace();
        let start = r.pos;
        r.skip()?;
        let text = r.text.get(start..r.pos).unwrap_or("");
        serde_json::from_str(text).map_err(|_| Stop::at(start, Problem::Syntax))
    }
}
