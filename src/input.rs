//! From untrusted text to a typed [`Request`], or to errors that say what to change and where.
//!
//! A well-formed request takes one pass ([`fast`]): a reader made for the request types that
//! checks the limits as it goes and gives up at the first thing it is not sure of. Everything
//! else takes the careful path: a byte scanner enforces the size, depth and array-length limits
//! before any recursive parser sees the text (so hostile nesting cannot exhaust the stack), then
//! serde checks types, enums and dates, and reports the JSON path of the first problem. Both
//! give the same request; only the careful path explains errors.

use serde::{Deserialize, Serialize};

use crate::decision::RequestHint;
use crate::request::{Request, Scenario};

/// Bounds on a request, checked before parsing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InputLimits {
    /// Largest request accepted, in bytes of JSON text.
    pub max_bytes: usize,
    /// Deepest nesting of arrays and objects accepted.
    pub max_depth: usize,
    /// Most elements accepted in any one array.
    pub max_array_len: usize,
}

impl Default for InputLimits {
    fn default() -> Self {
        InputLimits {
            max_bytes: 1024 * 1024,
            max_depth: 32,
            max_array_len: 10_000,
        }
    }
}

/// One reason a request was refused. `code` is stable for programs; `message` is for people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputError {
    pub code: String,
    pub message: String,
    /// JSON path of the offending value (`data_assets[0].region`), `$` for the whole request.
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl InputError {
    pub fn new(code: &str, message: impl Into<String>, path: impl Into<String>) -> Self {
        InputError {
            code: code.into(),
            message: message.into(),
            path: path.into(),
            line: None,
            column: None,
        }
    }
}

/// Parses and validates a request. On failure also returns what could be salvaged
/// (id, scenario) so that the error decision is still labelled.
pub fn parse_request(
    text: &str,
    limits: &InputLimits,
) -> Result<Request, (Vec<InputError>, RequestHint)> {
    read(text, limits, true)
}

/// `fast: false` is the careful path alone, which the tests take as the reference.
fn read(
    text: &str,
    limits: &InputLimits,
    fast: bool,
) -> Result<Request, (Vec<InputError>, RequestHint)> {
    let fail = |e: InputError| (vec![e], RequestHint::default());
    if text.trim().is_empty() {
        return Err(fail(InputError::new(
            "empty_input",
            "the request is empty: send one JSON object",
            "$",
        )));
    }
    if text.len() > limits.max_bytes {
        return Err(fail(InputError::new(
            "too_large",
            format!(
                "the request is {} bytes; the limit is {} bytes",
                text.len(),
                limits.max_bytes
            ),
            "$",
        )));
    }
    let parsed = match fast.then(|| fast::parse(text, limits)).flatten() {
        Some(request) => Ok(request),
        None => {
            scan_structure(text, limits).map_err(fail)?;
            if text.trim_start().starts_with('[') {
                return Err(fail(InputError::new(
                    "invalid_type",
                    "the request is a JSON array; send one JSON object",
                    "$",
                )));
            }
            // Straight to the parse with paths: the fast reader leaves few valid requests to
            // this path (very deep extensions, rare forms), and a plain serde_json parse first
            // was a second copy of every request type's deserializer in the module (~120 KB).
            parse_with_paths(text)
        }
    };
    match parsed {
        Ok(request) => {
            let mut errors = Vec::new();
            if request.request_id.trim().is_empty() {
                errors.push(InputError::new(
                    "invalid_value",
                    "request_id is empty: give the request an identifier",
                    "request_id",
                ));
            }
            if !request.has_scenario_block() {
                let block = request.scenario.as_str();
                errors.push(InputError::new(
                    "missing_scenario_block",
                    format!("scenario is `{block}` but the `{block}` block is missing or null"),
                    block,
                ));
            }
            if errors.is_empty() {
                Ok(request)
            } else {
                Err((errors, hint_from(&request)))
            }
        }
        Err(mut err) => {
            // serde_json reports a number where an enum belongs as a syntax error; if the text
            // is valid JSON after all, the problem is the value's type.
            if err.code == "not_json"
                && err.path != "$"
                && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
            {
                err.code = "invalid_type".into();
                err.message = format!(
                    "`{}` has the wrong type: expected one of its allowed strings",
                    err.path
                );
            }
            Err((vec![err], salvage_hint(text)))
        }
    }
}

/// The careful parse: serde with JSON paths, so that an invalid request is told where.
fn parse_with_paths(text: &str) -> Result<Request, InputError> {
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de)
        .map_err(classify)
        .and_then(|r| {
            de.end().map_err(|e| InputError {
                line: Some(e.line()),
                column: Some(e.column()),
                ..InputError::new(
                    "not_json",
                    "the request is not valid JSON: text follows the request object",
                    "$",
                )
            })?;
            Ok(r)
        })
}

fn hint_from(request: &Request) -> RequestHint {
    RequestHint {
        request_id: Some(request.request_id.clone()),
        scenario: Some(request.scenario.as_str().to_string()),
        as_of: request.as_of.map(|d| d.to_string()),
    }
}

/// Best effort: the id and scenario of a request that failed validation elsewhere.
fn salvage_hint(text: &str) -> RequestHint {
    #[derive(Deserialize)]
    struct Label {
        #[serde(default)]
        request_id: Option<serde_json::Value>,
        #[serde(default)]
        scenario: Option<serde_json::Value>,
    }
    let label: Option<Label> = serde_json::from_str(text).ok();
    let as_str = |v: Option<serde_json::Value>| match v {
        Some(serde_json::Value::String(s)) => Some(s),
        _ => None,
    };
    match label {
        Some(l) => RequestHint {
            request_id: as_str(l.request_id),
            scenario: as_str(l.scenario).filter(|s| Scenario::ALL.iter().any(|k| k.as_str() == s)),
            as_of: None,
        },
        None => RequestHint::default(),
    }
}

fn display_path(path: &serde_path_to_error::Path) -> String {
    // serde_path_to_error writes `?` for a key it had not finished reading.
    let text = path.to_string();
    let text = text
        .trim_end_matches(".?")
        .trim_end_matches('?')
        .to_string();
    if text == "." || text.is_empty() {
        "$".into()
    } else {
        text
    }
}

fn join_path(base: &str, field: &str) -> String {
    if base == "$" {
        field.to_string()
    } else {
        format!("{base}.{field}")
    }
}

/// Turns serde's message into a stable code, a path that points at the field, and a message
/// without serde's position suffix (the position is kept as line and column).
fn classify(err: serde_path_to_error::Error<serde_json::Error>) -> InputError {
    let path = display_path(err.path());
    let inner = err.inner();
    let (line, column) = (inner.line(), inner.column());
    let full = inner.to_string();
    let message = match full.rfind(" at line ") {
        Some(cut) => full.get(..cut).unwrap_or(&full).to_string(),
        None => full.clone(),
    };
    use serde_json::error::Category;
    let (code, path, message) = match inner.classify() {
        Category::Eof => (
            "truncated",
            path,
            format!("the JSON text ends too early ({message}); send the whole request"),
        ),
        Category::Syntax | Category::Io => {
            let code = if message.contains("surrogate") || message.contains("escape") {
                "invalid_string"
            } else if message.contains("number") {
                "invalid_number"
            } else if message.contains("recursion limit") {
                "too_deep"
            } else {
                "not_json"
            };
            (
                code,
                path,
                format!("the request is not valid JSON: {message}"),
            )
        }
        Category::Data => {
            if let Some(field) = message
                .strip_prefix("missing field `")
                .and_then(|rest| rest.strip_suffix('`'))
            {
                let at = join_path(&path, field);
                (
                    "missing_field",
                    at.clone(),
                    format!("required field `{at}` is missing"),
                )
            } else if message.starts_with("unknown variant") && path == "scenario" {
                (
                    "unknown_scenario",
                    path,
                    format!(
                        "{message}: scenario must be onboarding, termination, transfer or removal"
                    ),
                )
            } else if message.contains("is not a date")
                || message.contains("is not a calendar date")
            {
                ("invalid_date", path, message)
            } else if message.starts_with("invalid type") {
                ("invalid_type", path, message)
            } else {
                ("invalid_value", path, message)
            }
        }
    };
    InputError {
        code: code.into(),
        message,
        path,
        line: (line > 0).then_some(line),
        column: (column > 0).then_some(column),
    }
}

/// One step into the document, for error paths.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

struct Frame<'a> {
    is_array: bool,
    step: Option<Step<'a>>,
    items: usize,
}

fn path_of(stack: &[Frame]) -> String {
    let mut out = String::new();
    for frame in stack {
        match &frame.step {
            Some(Step::Key(k)) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.extend(k.chars().take(64));
            }
            Some(Step::Index(i)) => out.push_str(&format!("[{i}]")),
            None => {}
        }
    }
    if out.is_empty() {
        "$".into()
    } else {
        out
    }
}

/// Checks nesting depth and array lengths in one pass over the bytes, without recursion.
/// Syntax is left to serde; this only needs to get strings and brackets right.
fn scan_structure(text: &str, limits: &InputLimits) -> Result<(), InputError> {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                // Find the end of the string, honouring escapes.
                let start = i + 1;
                let mut j = start;
                while let Some(&c) = bytes.get(j) {
                    match c {
                        b'\\' => j += 2,
                        b'"' => break,
                        _ => j += 1,
                    }
                }
                // A string directly inside an object, before a colon, is a key.
                if let Some(frame) = stack.last_mut() {
                    if !frame.is_array {
                        let mut k = j + 1;
                        while bytes.get(k).is_some_and(|c| c.is_ascii_whitespace()) {
                            k += 1;
                        }
                        if bytes.get(k) == Some(&b':') {
                            let key = text.get(start..j.min(text.len())).unwrap_or("?");
                            frame.step = Some(Step::Key(key));
                        }
                    }
                }
                i = j + 1;
                continue;
            }
            b'{' | b'[' => {
                if stack.len() >= limits.max_depth {
                    return Err(InputError::new(
                        "too_deep",
                        format!(
                            "the request nests deeper than {} levels; the contract needs fewer than 8",
                            limits.max_depth
                        ),
                        path_of(&stack),
                    ));
                }
                let is_array = b == b'[';
                stack.push(Frame {
                    is_array,
                    step: is_array.then_some(Step::Index(0)),
                    items: 0,
                });
            }
            b'}' | b']' => {
                stack.pop();
            }
            b',' => {
                if let Some(frame) = stack.last_mut() {
                    if frame.is_array {
                        frame.items += 1;
                        frame.step = Some(Step::Index(frame.items));
                        if frame.items >= limits.max_array_len {
                            return Err(InputError::new(
                                "too_many_items",
                                format!(
                                    "this array has more than {} elements",
                                    limits.max_array_len
                                ),
                                path_of(&stack),
                            ));
                        }
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// The one-pass reader for requests serde would accept as they are.
///
/// It reads only plain JSON (strings without escapes, canonical numbers) into the request types
/// and returns `None` at anything else: an escape, a value of the wrong type, an unknown
/// enum string, a duplicate field, a limit reached, trailing text. `None` is never an error,
/// it sends the text to the careful path, which decides and explains it; so for any text this
/// reader accepts, it must give what serde gives, and reach no limit the scanner would refuse
/// (the unit tests compare both on many thousands of texts).
pub(crate) mod fast {
    use crate::calendar::Date;
    use crate::request::{Request, Scenario};

    use super::InputLimits;

    /// Deeper documents go to the careful path, which keeps this reader's recursion small.
    const MAX_DEPTH: usize = 64;

    pub(crate) struct Reader<'a> {
        text: &'a str,
        pos: usize,
        depth: usize,
        max_depth: usize,
        max_array_len: usize,
    }

    /// A request type read straight from JSON text; `None` means "ask serde".
    pub(crate) trait FromJson: Sized {
        fn read(r: &mut Reader<'_>) -> Option<Self>;
    }

    pub(crate) fn parse(text: &str, limits: &InputLimits) -> Option<Request> {
        let mut r = Reader {
            max_depth: limits.max_depth.min(MAX_DEPTH),
            max_array_len: limits.max_array_len,
            ..Reader::new(text)
        };
        let request = Request::read(&mut r)?;
        r.whitespace();
        (r.pos == text.len()).then_some(request)
    }

    impl<'a> Reader<'a> {
        pub(super) fn new(text: &'a str) -> Self {
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
            while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
                self.pos += 1;
            }
        }

        /// The next byte after whitespace, not consumed.
        fn next(&mut self) -> Option<u8> {
            self.whitespace();
            self.peek()
        }

        fn expect(&mut self, byte: u8) -> Option<()> {
            (self.next()? == byte).then(|| self.pos += 1)
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

        /// A string without escapes or control characters (serde refuses the latter).
        pub(crate) fn string(&mut self) -> Option<&'a str> {
            self.expect(b'"')?;
            let start = self.pos;
            let bytes = self.text.as_bytes();
            loop {
                // Eight bytes at a time to the first byte that ends the plain part.
                if let Some(chunk) = bytes.get(self.pos..self.pos + 8) {
                    let word = u64::from_le_bytes(chunk.try_into().ok()?);
                    let found = string_end(word);
                    if found == 0 {
                        self.pos += 8;
                        continue;
                    }
                    self.pos += (found.trailing_zeros() / 8) as usize;
                }
                match *bytes.get(self.pos)? {
                    b'"' => break,
                    b'\\' | 0..=0x1f => return None,
                    _ => self.pos += 1,
                }
            }
            let s = self.text.get(start..self.pos)?;
            self.pos += 1;
            Some(s)
        }

        /// The text of a number, which must follow JSON's grammar.
        fn number(&mut self) -> Option<&'a str> {
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
            match bytes.get(i)? {
                b'0' => i += 1,
                b'1'..=b'9' => {
                    digits(&mut i);
                }
                _ => return None,
            }
            if bytes.get(i) == Some(&b'.') {
                i += 1;
                digits(&mut i).then_some(())?;
            }
            if let Some(b'e' | b'E') = bytes.get(i) {
                i += 1;
                if let Some(b'+' | b'-') = bytes.get(i) {
                    i += 1;
                }
                digits(&mut i).then_some(())?;
            }
            self.pos = i;
            self.text.get(start..i)
        }

        fn open(&mut self, byte: u8) -> Option<()> {
            // The scanner refuses a container opened at `max_depth` open containers.
            if self.depth >= self.max_depth {
                return None;
            }
            self.expect(byte)?;
            self.depth += 1;
            Some(())
        }

        /// An object; `field` reads the value of each key.
        pub(crate) fn object(
            &mut self,
            mut field: impl FnMut(&mut Self, &'a str) -> Option<()>,
        ) -> Option<()> {
            self.open(b'{')?;
            if self.next()? == b'}' {
                self.pos += 1;
            } else {
                loop {
                    let key = self.string()?;
                    self.expect(b':')?;
                    field(self, key)?;
                    match self.next()? {
                        b',' => self.pos += 1,
                        b'}' => {
                            self.pos += 1;
                            break;
                        }
                        _ => return None,
                    }
                }
            }
            self.depth -= 1;
            Some(())
        }

        /// An array; `item` reads each element.
        pub(crate) fn array(
            &mut self,
            mut item: impl FnMut(&mut Self) -> Option<()>,
        ) -> Option<()> {
            self.open(b'[')?;
            if self.next()? == b']' {
                self.pos += 1;
            } else {
                // The scanner counts commas and refuses the one that reaches the limit.
                let mut commas = 0;
                loop {
                    item(self)?;
                    match self.next()? {
                        b',' => {
                            self.pos += 1;
                            commas += 1;
                            if commas >= self.max_array_len {
                                return None;
                            }
                        }
                        b']' => {
                            self.pos += 1;
                            break;
                        }
                        _ => return None,
                    }
                }
            }
            self.depth -= 1;
            Some(())
        }

        /// `null` is an absent value, as serde reads an `Option`.
        pub(crate) fn optional<T: FromJson>(&mut self) -> Option<Option<T>> {
            if self.literal("null") {
                Some(None)
            } else {
                T::read(self).map(Some)
            }
        }

        /// Any JSON value, checked and passed over (unknown fields).
        pub(crate) fn skip(&mut self) -> Option<()> {
            match self.next()? {
                b'{' => self.object(|r, _| r.skip()),
                b'[' => self.array(Self::skip),
                b'"' => self.string().map(drop),
                b't' | b'f' | b'n' => {
                    (self.literal("true") || self.literal("false") || self.literal("null"))
                        .then_some(())
                }
                _ => self.number().map(drop),
            }
        }
    }

    /// The high bit of each byte of `word` (little-endian) that is `"`, `\\` or a control
    /// character, exact up to the lowest one (the classic "has zero byte" trick; the borrow can
    /// only mark bytes above a marked one).
    fn string_end(word: u64) -> u64 {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
        zero(word ^ (ONES * u64::from(b'"')))
            | zero(word ^ (ONES * u64::from(b'\\')))
            | (word.wrapping_sub(ONES * 0x20) & !word & HIGH)
    }

    /// A field of a struct: `None` once more when it was already read (serde refuses duplicates).
    pub(crate) fn field<T: FromJson>(
        r: &mut Reader<'_>,
        slot: &mut Option<Option<T>>,
    ) -> Option<()> {
        if slot.is_some() {
            return None;
        }
        *slot = Some(r.optional()?);
        Some(())
    }

    impl FromJson for String {
        fn read(r: &mut Reader<'_>) -> Option<Self> {
            r.string().map(str::to_owned)
        }
    }

    impl FromJson for bool {
        fn read(r: &mut Reader<'_>) -> Option<Self> {
            if r.literal("true") {
                Some(true)
            } else if r.literal("false") {
                Some(false)
            } else {
                None
            }
        }
    }

    impl FromJson for i64 {
        /// Integers of up to 18 digits, which cannot overflow; serde reads the rest.
        fn read(r: &mut Reader<'_>) -> Option<Self> {
            let text = r.number()?;
            let digits = text.strip_prefix('-').unwrap_or(text);
            let plain = digits.len() <= 18
                && digits.bytes().all(|b| b.is_ascii_digit())
                && (!digits.starts_with('0') || text == "0");
            if plain {
                text.parse().ok()
            } else {
                None
            }
        }
    }

    impl FromJson for f64 {
        /// Whole numbers below 2^53 are exact; any other number is converted by serde_json
        /// itself, so that the value is the same to the last bit.
        fn read(r: &mut Reader<'_>) -> Option<Self> {
            let text = r.number()?;
            if text.len() <= 15 && text.bytes().all(|b| b.is_ascii_digit()) {
                text.parse::<u64>().ok().map(|n| n as f64)
            } else {
                serde_json::from_str(text).ok()
            }
        }
    }

    impl FromJson for Date {
        fn read(r: &mut Reader<'_>) -> Option<Self> {
            let text = r.string()?;
            match plain_date(text) {
                Some(days) => Date::EPOCH.add_days(days).ok(),
                None => Date::parse(text).ok(),
            }
        }
    }

    /// Days since 1970-01-01 of a valid `YYYY-MM-DD`, the common case, without `Date::parse`
    /// (which formats the text of its error before it knows there is one). `None` for
    /// anything else: timestamps and mistakes go to `Date::parse`.
    pub(super) fn plain_date(text: &str) -> Option<i64> {
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
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days_in_month = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            1..=12 => 31,
            _ => return None,
        };
        if year < 1 || day < 1 || day > days_in_month {
            return None;
        }
        // H. Hinnant's `days_from_civil` (proleptic Gregorian calendar).
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let mp = (month + 9) % 12;
        let doy = (153 * mp + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(era * 146_097 + doe - 719_468)
    }

    impl<T: FromJson> FromJson for Vec<T> {
        fn read(r: &mut Reader<'_>) -> Option<Self> {
            let mut items = Vec::new();
            r.array(|r| {
                items.push(T::read(r)?);
                Some(())
            })?;
            Some(items)
        }
    }

    /// Free JSON: checked here for the limits, converted by serde_json.
    impl FromJson for serde_json::Value {
        fn read(r: &mut Reader<'_>) -> Option<Self> {
            r.whitespace();
            let start = r.pos;
            r.skip()?;
            serde_json::from_str(r.text.get(start..r.pos)?).ok()
        }
    }

    impl FromJson for Request {
        fn read(r: &mut Reader<'_>) -> Option<Self> {
            let mut request_id = None;
            let mut scenario = None;
            let mut as_of = None;
            let mut requested_by = None;
            let mut customer = None;
            let mut provider = None;
            let mut service = None;
            let mut agreement = None;
            let mut data_assets = None;
            let mut suppliers = None;
            let mut onboarding = None;
            let mut termination = None;
            let mut transfer = None;
            let mut removal = None;
            r.object(|r, key| match key {
                "request_id" => field(r, &mut request_id),
                "scenario" => field(r, &mut scenario),
                "as_of" => field(r, &mut as_of),
                "requested_by" => field(r, &mut requested_by),
                "customer" => field(r, &mut customer),
                "provider" => field(r, &mut provider),
                "service" => field(r, &mut service),
                "agreement" => field(r, &mut agreement),
                "data_assets" => field(r, &mut data_assets),
                "suppliers" => field(r, &mut suppliers),
                "onboarding" => field(r, &mut onboarding),
                "termination" => field(r, &mut termination),
                "transfer" => field(r, &mut transfer),
                "removal" => field(r, &mut removal),
                _ => r.skip(),
            })?;
            // Both are required and not nullable: serde explains their absence.
            let request_id: String = request_id.flatten()?;
            let scenario: Scenario = scenario.flatten()?;
            Some(Request {
                request_id,
                scenario,
                as_of: as_of.flatten(),
                requested_by: requested_by.flatten(),
                customer: customer.flatten(),
                provider: provider.flatten(),
                service: service.flatten(),
                agreement: agreement.flatten(),
                data_assets: data_assets.flatten(),
                suppliers: suppliers.flatten(),
                onboarding: onboarding.flatten(),
                termination: termination.flatten(),
                transfer: transfer.flatten(),
                removal: removal.flatten(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Date;

    fn err(text: &str) -> InputError {
        match parse_request(text, &InputLimits::default()) {
            Ok(_) => panic!("accepted: {text}"),
            Err((mut errors, _)) => errors.remove(0),
        }
    }

    const MIN: &str = r#"{"request_id":"R1","scenario":"removal","removal":{}}"#;

    #[test]
    fn accepts_the_minimal_request() {
        let r = parse_request(MIN, &InputLimits::default()).unwrap();
        assert_eq!(r.scenario, Scenario::Removal);
    }

    #[test]
    fn each_bad_input_has_a_code_and_a_path() {
        let cases: &[(&str, &str, &str)] = &[
            ("", "empty_input", "$"),
            ("   \n", "empty_input", "$"),
            ("not json", "not_json", "$"),
            (r#"{"request_id":"R1","scen"#, "truncated", "$"),
            ("[]", "invalid_type", "$"),
            (
                r#"{"scenario":"removal","removal":{}}"#,
                "missing_field",
                "request_id",
            ),
            (
                r#"{"request_id":"R1","scenario":"upgrade"}"#,
                "unknown_scenario",
                "scenario",
            ),
            (
                r#"{"request_id":"R1","scenario":"transfer"}"#,
                "missing_scenario_block",
                "transfer",
            ),
            (
                r#"{"request_id":"R1","scenario":"transfer","transfer":null}"#,
                "missing_scenario_block",
                "transfer",
            ),
            (
                r#"{"request_id":"","scenario":"removal","removal":{}}"#,
                "invalid_value",
                "request_id",
            ),
            (
                r#"{"request_id":"R1","scenario":"removal","removal":{"date":"2026-02-30"}}"#,
                "invalid_date",
                "removal.date",
            ),
            (
                r#"{"request_id":"R1","scenario":"removal","removal":{"date":20260201}}"#,
                "invalid_type",
                "removal.date",
            ),
            (
                r#"{"request_id":"R1","scenario":"removal","removal":{},"agreement":{"notice_period_days":1e400}}"#,
                "invalid_number",
                "agreement.notice_period_days",
            ),
            (
                r#"{"request_id":"R1","scenario":"removal","removal":{},"agreement":{"notice_period_days":99999999999999999999}}"#,
                "invalid_type",
                "agreement.notice_period_days",
            ),
            (
                r#"{"request_id":"R1","scenario":"removal","removal":{},"data_assets":[{},{"category":"cats"}]}"#,
                "invalid_value",
                "data_assets[1].category",
            ),
            (
                "{\"request_id\":\"R\\ud800\",\"scenario\":\"removal\",\"removal\":{}}",
                "invalid_string",
                "request_id",
            ),
            (
                r#"{"request_id":"R1","scenario":"removal","removal":{}} trailing"#,
                "not_json",
                "$",
            ),
            (
                r#"{"request_id":"R1","scenario":5,"removal":{}}"#,
                "invalid_type",
                "scenario",
            ),
            (
                r#"{"request_id":"R1","scenario":"removal","removal":{"scope":[]}}"#,
                "invalid_type",
                "removal.scope",
            ),
            (
                r#"{"request_id":"R1","scenario":"removal","removal":{},"agreement":["A-1"]}"#,
                "invalid_type",
                "agreement",
            ),
        ];
        for (text, code, path) in cases {
            let e = err(text);
            assert_eq!(
                (e.code.as_str(), e.path.as_str()),
                (*code, *path),
                "{text}: {}",
                e.message
            );
        }
    }

    #[test]
    fn limits_are_enforced_before_parsing() {
        let deep = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
        assert_eq!(err(&deep).code, "too_deep");
        let nested = r#"{"request_id":"R1","scenario":"removal","removal":{"removal_plan":{"asset_dispositions":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}}}"#;
        let e = err(nested);
        assert_eq!(e.code, "too_deep");
        assert!(
            e.path
                .starts_with("removal.removal_plan.asset_dispositions[0]"),
            "{}",
            e.path
        );
        let big = format!(
            r#"{{"request_id":"{}","scenario":"removal","removal":{{}}}}"#,
            "x".repeat(2 << 20)
        );
        assert_eq!(err(&big).code, "too_large");
        let many = format!(
            r#"{{"request_id":"R","scenario":"removal","removal":{{}},"data_assets":[{}{{}}]}}"#,
            "{},".repeat(10_000)
        );
        let e = err(&many);
        assert_eq!(
            (e.code.as_str(), e.path.as_str()),
            ("too_many_items", "data_assets[10000]")
        );
    }

    #[test]
    fn brackets_inside_strings_do_not_count() {
        let text = format!(
            r#"{{"request_id":"{}\"]]","scenario":"removal","removal":{{}}}}"#,
            "[".repeat(100)
        );
        assert!(parse_request(&text, &InputLimits::default()).is_ok());
    }

    /// Every request the project has: the pack's bases and cases, the examples.
    fn known_requests() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let pack = crate::pack::Pack::embedded().unwrap();
        let bases = crate::cases::pack_bases(&pack.tests).unwrap();
        let mut out: Vec<String> = bases.values().map(|v| v.to_string()).collect();
        for (path, text) in pack
            .tests
            .iter()
            .filter(|(p, _)| !p.starts_with("tests/base/"))
        {
            out.extend(
                crate::cases::prepare(path, text, &bases)
                    .unwrap()
                    .into_iter()
                    .map(|c| c.text),
            );
        }
        for dir in ["examples/requests", "../shared/examples"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            paths.sort();
            for p in paths.iter().filter(|p| !p.ends_with("expected.json")) {
                out.push(std::fs::read_to_string(p).unwrap());
            }
        }
        out
    }

    /// The fast path gives what the careful path gives, to the last error field and bit.
    /// `Ok(true)` when the fast path took the text (rather than handing it over).
    fn same_both_ways(text: &str, limits: &InputLimits) -> Result<bool, String> {
        let fast = format!("{:?}", read(text, limits, true));
        let careful = format!("{:?}", read(text, limits, false));
        if fast == careful {
            Ok(fast::parse(text, limits).is_some())
        } else {
            Err(format!("{text}\n fast:    {fast}\n careful: {careful}"))
        }
    }

    const SMALL: InputLimits = InputLimits {
        max_bytes: 1 << 20,
        max_depth: 4,
        max_array_len: 2,
    };

    #[test]
    fn fast_and_careful_agree_on_known_requests_and_their_mutations() {
        use serde_json::{json, Value};
        fn paths(v: &Value, prefix: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
            let children: Vec<(Value, &Value)> = match v {
                Value::Object(m) => m.iter().map(|(k, c)| (json!(k), c)).collect(),
                Value::Array(a) => a.iter().enumerate().map(|(i, c)| (json!(i), c)).collect(),
                _ => return,
            };
            for (step, child) in children {
                prefix.push(step);
                out.push(prefix.clone());
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        fn at<'v>(v: &'v mut Value, path: &[Value]) -> &'v mut Value {
            path.iter().fold(v, |cur, step| match step {
                Value::String(k) => &mut cur[k.as_str()],
                Value::Number(i) => &mut cur[i.as_u64().unwrap() as usize],
                _ => unreachable!(),
            })
        }
        let replacements = [
            json!(null),
            json!(0),
            json!(-1),
            json!(1.5),
            json!(-0.0),
            json!(1e300),
            json!(123_456_789_012_345_678_i64),
            json!(9_223_372_036_854_775_807_i64),
            json!(18_446_744_073_709_551_615_u64),
            json!(""),
            json!("x"),
            json!("2026-02-29"),
            json!("2024-02-29T00:00:00Z"),
            json!("é\n\"\\"),
            json!(true),
            json!([]),
            json!({}),
            json!([null]),
            json!({"a": [[{"b": 1e5}]], "c": "\u{1}"}),
            json!("customer"),
        ];
        let known = known_requests();
        assert!(known.len() > 500, "{}", known.len());
        let mut problems = Vec::new();
        let mut taken = 0;
        let mut check = |text: &str| {
            for limits in [InputLimits::default(), SMALL] {
                match same_both_ways(text, &limits) {
                    Ok(fast) => taken += usize::from(fast),
                    Err(e) => problems.push(e),
                }
            }
        };
        for text in &known {
            check(text);
        }
        // Every single-value edit of two examples (the pack cases are edits of the bases).
        for text in known.iter().rev().take(2) {
            let doc: Value = serde_json::from_str(text).unwrap();
            check(&serde_json::to_string_pretty(&doc).unwrap());
            let mut all = Vec::new();
            paths(&doc, &mut Vec::new(), &mut all);
            for path in &all {
                for r in &replacements {
                    let mut edited = doc.clone();
                    *at(&mut edited, path) = r.clone();
                    check(&edited.to_string());
                }
                let (last, parent) = path.split_last().unwrap();
                let mut edited = doc.clone();
                match (at(&mut edited, parent), last) {
                    (Value::Object(m), Value::String(k)) => {
                        let mut with_unknown = m.clone();
                        with_unknown.insert(format!("{k}_"), json!({"x": [1, {"y": null}]}));
                        m.remove(k);
                        let mut unknown = doc.clone();
                        *at(&mut unknown, parent) = Value::Object(with_unknown);
                        check(&unknown.to_string());
                    }
                    (Value::Array(a), Value::Number(i)) => {
                        a.remove(i.as_u64().unwrap() as usize);
                    }
                    _ => {}
                }
                check(&edited.to_string());
            }
        }
        assert!(
            problems.is_empty(),
            "{} problems:\n{}",
            problems.len(),
            problems
                .iter()
                .take(5)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
        // The comparison means something only if the fast path took most valid requests.
        assert!(taken > 1_500, "{taken}");
    }

    #[test]
    fn the_fast_path_takes_every_example() {
        for text in known_requests().iter().rev().take(8) {
            assert!(
                fast::parse(text, &InputLimits::default()).is_some(),
                "{text}"
            );
        }
    }

    #[test]
    fn fast_and_careful_agree_on_textual_oddities() {
        let base = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("rules/tests/base/termination.json"),
        )
        .unwrap();
        let edits: Vec<String> = vec![
            base.replacen('{', "{\"request_id\":\"dup\",", 1),
            base.replacen('{', "{\"request_id\":null,", 1),
            base.replacen("\"termination\"", "\"terminatio\\u006e\"", 2),
            base.replacen("\"scenario\"", "\"sce\\u006eario\"", 1),
            base.replacen(": ", ":\t\r\n ", 5),
            base.replacen(": ", ":\u{a0}", 1),
            base.replacen(",", ",,", 1),
            base.replacen("}", ",}", 1),
            base.replacen("2026", "2O26", 1),
            base.replacen("\"2026-", "\"\\u0032026-", 1),
            base.replacen("\"2026-", "\"\u{1}2026-", 1),
            format!("{base} \n"),
            format!("{base}x"),
            format!("{base}{{}}"),
            format!("\u{feff}{base}"),
            format!("[{base}]"),
            base.replacen("30", "3e1", 1),
            base.replacen("30", "30.0", 1),
            base.replacen("30", "-0", 1),
            base.replacen("30", "030", 1),
            base.replacen("30", "3.", 1),
            base.replacen("30", "30e", 1),
            base.replacen("30", "1e400", 1),
            base.replacen("30", "99999999999999999999", 1),
            base.replacen("30", "9007199254740993", 1),
            base.replacen("30", "0.1e-400", 1),
            base.replacen("true", "tru", 1),
            base.replacen("true", "truex", 1),
            base.replacen("true", "TRUE", 1),
            base.replacen("null", "nul", 1),
            base.replace("\"", "'"),
        ];
        let mut problems = Vec::new();
        for text in &edits {
            for limits in [
                InputLimits::default(),
                SMALL,
                InputLimits {
                    max_depth: 0,
                    max_array_len: 0,
                    ..SMALL
                },
            ] {
                if let Err(e) = same_both_ways(text, &limits) {
                    problems.push(e);
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// Random byte-level edits of a request: mostly broken JSON, which both paths must
        /// refuse the same way, and sometimes valid JSON of a surprising shape.
        #[test]
        fn fast_and_careful_agree_on_random_edits(
            edits in proptest::collection::vec((0usize..6000, 0usize..4, proptest::sample::select(vec![
                "", "\"", "{", "}", "[", "]", ",", ":", "0", "-", ".", "e", "1", "null", "true", " ", "\\", "\"x\"", "\u{1}", "é",
            ])), 1..4),
        ) {
            let mut text = std::fs::read_to_string(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/requests/removal-allow.json"),
            ).unwrap();
            for (at, cut, insert) in edits {
                let mut at = at.min(text.len());
                while !text.is_char_boundary(at) { at -= 1; }
                let mut end = (at + cut).min(text.len());
                while !text.is_char_boundary(end) { end += 1; }
                text.replace_range(at..end, insert);
            }
            for limits in [InputLimits::default(), SMALL] {
                proptest::prop_assert!(same_both_ways(&text, &limits).is_ok(), "{:?}", same_both_ways(&text, &limits));
            }
        }
    }

    #[test]
    fn strings_end_where_serde_says() {
        // Every position of every special byte, among plain ASCII and multi-byte UTF-8.
        for filler in ["abcdefghijklmnopqrstuvwxyz", "éé€€𝄞𝄞 ~\u{7f}"] {
            for special in ["\"", "\\", "\u{0}", "\u{1f}", "\n"] {
                for at in 0..filler.chars().count() {
                    let mut text: String = filler.chars().take(at).collect();
                    text.push_str(special);
                    text.extend(filler.chars().skip(at));
                    let quoted = format!("\"{text}\"");
                    let mut r = fast::Reader::new(&quoted);
                    let plain: String = filler.chars().take(at).collect();
                    let expected = (special == "\"").then_some(plain.as_str());
                    assert_eq!(r.string(), expected, "{quoted:?}");
                }
            }
            let quoted = format!("\"{filler}\"");
            assert_eq!(fast::Reader::new(&quoted).string(), Some(filler));
            assert_eq!(
                fast::Reader::new(&quoted[..quoted.len() - 1]).string(),
                None
            );
        }
    }

    #[test]
    fn plain_dates_read_as_date_parse_reads_them() {
        let mut texts = Vec::new();
        for year in [
            1, 4, 99, 100, 400, 1582, 1899, 1900, 1970, 2000, 2024, 2026, 2100, 2400, 9999,
        ] {
            for month in 0..=13 {
                for day in 0..=32 {
                    texts.push(format!("{year:04}-{month:02}-{day:02}"));
                }
            }
        }
        let mut day = Date::parse("1890-01-01").unwrap();
        while day.year() < 2130 {
            texts.push(day.to_string());
            day = day.add_days(1).unwrap();
        }
        texts.extend(
            [
                "0000-01-01",
                "+026-01-01",
                "2026-1-01",
                "2026-01-1x",
                "2026/01/01",
                "２026-01-01",
            ]
            .map(String::from),
        );
        for text in &texts {
            let fast = fast::plain_date(text).map(|days| Date::EPOCH.add_days(days).unwrap());
            let careful = Date::parse(text).ok();
            assert_eq!(fast.is_some(), careful.is_some(), "{text}");
            if fast.is_some() {
                assert_eq!(fast, careful, "{text}");
            }
        }
    }

    #[test]
    fn hint_survives_a_bad_field() {
        let (_, hint) = parse_request(
            r#"{"request_id":"R9","scenario":"removal","removal":{"date":"x"}}"#,
            &InputLimits::default(),
        )
        .unwrap_err();
        assert_eq!(hint.request_id.as_deref(), Some("R9"));
        assert_eq!(hint.scenario.as_deref(), Some("removal"));
    }
}
