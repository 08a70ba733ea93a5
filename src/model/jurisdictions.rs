//! The pack parameters that name places (domain.md §1): which customers the Data Act's
//! switching rules protect (`da_jurisdictions`), which third countries have an adequacy decision
//! (`adequacy_jurisdictions`), and each jurisdiction's public holidays (`public_holidays`).
//!
//! Read once per engine, so that the host functions (`da_scope`, `is_da_jurisdiction`,
//! `is_adequate`, `working_days(a, b, j)`) answer from sorted lists instead of walking the
//! parameters' Rhai map on every call, and so that a malformed parameter is refused when the
//! pack loads rather than deciding a request with half a holiday calendar.

use rhai::Dynamic;

use crate::calendar::Date;
use crate::value::ReadOnly;

/// The place parameters of one pack, as the host functions read them. Codes are held in upper
/// case and compared in any case, as `is_eea` does.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Jurisdictions {
    da: Codes,
    adequacy: Codes,
    /// By jurisdiction (upper case), in the parameter's order: a pack lists a few.
    holidays: Vec<(String, Vec<Date>)>,
}

/// A set of jurisdiction codes: the two-letter ones (all of ISO 3166-1 alpha-2) as a bit per
/// code, as [`crate::calendar::is_eea`] holds its list, so that a lookup is one bit test and
/// building the set sorts nothing; any other code a provider lists, in a list.
#[derive(Clone, Debug, Default, PartialEq)]
struct Codes {
    pairs: [u64; 11],
    others: Vec<String>,
}

impl Codes {
    fn insert(&mut self, code: &str) {
        let upper = code.to_ascii_uppercase();
        match pair_bit(&upper) {
            Some(bit) => {
                if let Some(word) = self.pairs.get_mut(bit / 64) {
                    *word |= 1 << (bit % 64);
                }
            }
            None if !self.others.contains(&upper) => self.others.push(upper),
            None => {}
        }
    }

    fn contains(&self, code: &str) -> bool {
        match pair_bit(code) {
            Some(bit) => self
                .pairs
                .get(bit / 64)
                .is_some_and(|word| word >> (bit % 64) & 1 == 1),
            None => self.others.iter().any(|c| c.eq_ignore_ascii_case(code)),
        }
    }
}

/// The bit of a two-letter code (any case), 0..676.
fn pair_bit(code: &str) -> Option<usize> {
    let [a, b] = code.as_bytes() else {
        return None;
    };
    let (a, b) = (a.to_ascii_uppercase(), b.to_ascii_uppercase());
    (a.is_ascii_uppercase() && b.is_ascii_uppercase())
        .then(|| usize::from(a - b'A') * 26 + usize::from(b - b'A'))
}

impl Jurisdictions {
    /// The parameters read.
    pub const PARAMETERS: &'static [&'static str] = &[
        "da_jurisdictions",
        "adequacy_jurisdictions",
        "public_holidays",
    ];

    /// From `params` as the rules see it (a read-only map, or a plain one). A parameter that is
    /// absent or null means an empty list; one of the wrong shape is an error naming it.
    pub fn from_params(params: &Dynamic) -> Result<Jurisdictions, String> {
        match params.read_lock::<ReadOnly>() {
            Some(ro) => Self::from_map(ro.inner()),
            None => Self::from_map(params),
        }
    }

    fn from_map(params: &Dynamic) -> Result<Jurisdictions, String> {
        let Ok(map) = params.as_map_ref() else {
            return Ok(Jurisdictions::default());
        };
        let codes = |name: &str| -> Result<Codes, String> {
            let mut out = Codes::default();
            let Some(value) = map.get(name).filter(|v| !v.is_unit()) else {
                return Ok(out);
            };
            let Ok(items) = value.as_array_ref() else {
                return Err(format!(
                    "parameter `{name}` must be a list of jurisdiction codes"
                ));
            };
            for item in items.iter() {
                let Ok(code) = item.as_immutable_string_ref() else {
                    return Err(format!(
                        "parameter `{name}` must list jurisdiction codes as strings, not {}",
                        item.type_name()
                    ));
                };
                out.insert(code.as_str());
            }
            Ok(out)
        };
        let mut holidays = Vec::new();
        if let Some(value) = map.get("public_holidays").filter(|v| !v.is_unit()) {
            let Ok(by_code) = value.as_map_ref() else {
                return Err("parameter `public_holidays` must map jurisdiction codes to lists of dates (YYYY-MM-DD)".into());
            };
            for (code, dates) in by_code.iter() {
                let Ok(list) = dates.as_array_ref() else {
                    return Err(format!(
                        "`public_holidays.{code}` must be a list of dates (YYYY-MM-DD)"
                    ));
                };
                let mut days = Vec::with_capacity(list.len());
                for (i, day) in list.iter().enumerate() {
                    let parsed = day
                        .as_immutable_string_ref()
                        .ok()
                        .and_then(|text| Date::parse(text.as_str()).ok());
                    let Some(parsed) = parsed else {
                        return Err(format!(
                            "`public_holidays.{code}[{i}]` is {day}, not a date (YYYY-MM-DD)"
                        ));
                    };
                    days.push(parsed);
                }
                holidays.push((code.to_ascii_uppercase(), days));
            }
        }
        Ok(Jurisdictions {
            da: codes("da_jurisdictions")?,
            adequacy: codes("adequacy_jurisdictions")?,
            holidays,
        })
    }

    /// Whether a customer in `code` is in the Data Act's territorial scope.
    pub fn is_da(&self, code: &str) -> bool {
        self.da.contains(code)
    }

    /// Whether `code` has an adequacy decision (GDPR Art. 45) as the pack lists them.
    pub fn is_adequate(&self, code: &str) -> bool {
        self.adequacy.contains(code)
    }

    /// The public holidays of `code`; none for a jurisdiction the pack does not list.
    pub fn holidays(&self, code: &str) -> &[Date] {
        self.holidays
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(code))
            .map_or(&[], |(_, days)| days.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(json: serde_json::Value) -> Dynamic {
        crate::value::ToRhai::to_rhai(&json)
    }

    #[test]
    fn reads_lists_in_any_case() {
        let j = Jurisdictions::from_params(&params(serde_json::json!({
            "da_jurisdictions": ["de", "FR", "XK-1"],
            "adequacy_jurisdictions": ["CH"],
            "public_holidays": { "de": ["2026-10-03", "2026-12-25"] }
        })))
        .unwrap();
        assert!(j.is_da("DE") && j.is_da("fr") && !j.is_da("CH") && !j.is_da(""));
        assert!(j.is_da("xk-1") && !j.is_da("XK") && !j.is_da("D") && !j.is_da("ÀT"));
        assert!(j.is_adequate("ch") && !j.is_adequate("US"));
        assert_eq!(j.holidays("DE").len(), 2);
        assert!(j.holidays("FR").is_empty());
    }

    #[test]
    fn refuses_malformed_parameters() {
        let bad = [
            serde_json::json!({ "da_jurisdictions": "DE" }),
            serde_json::json!({ "adequacy_jurisdictions": [1] }),
            serde_json::json!({ "public_holidays": ["2026-10-03"] }),
            serde_json::json!({ "public_holidays": { "DE": ["3 Oct"] } }),
        ];
        for p in bad {
            assert!(
                Jurisdictions::from_params(&params(p.clone())).is_err(),
                "{p}"
            );
        }
        assert_eq!(
            Jurisdictions::from_params(&params(serde_json::json!({}))).unwrap(),
            Jurisdictions::default()
        );
    }
}
