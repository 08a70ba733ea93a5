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
use crate::functions::ReadOnly;

/// The place parameters of one pack, as the host functions read them. Codes are held in upper
/// case and compared in any case, as `is_eea` does.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Jurisdictions {
    da: Vec<String>,
    adequacy: Vec<String>,
    /// By jurisdiction (upper case), sorted by it.
    holidays: Vec<(String, Vec<Date>)>,
}

impl Jurisdictions {
    /// The parameters read.
    pub const PARAMETERS: &'static [&'static str] =
        &["da_jurisdictions", "adequacy_jurisdictions", "public_holidays"];

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
        let codes = |name: &str| -> Result<Vec<String>, String> {
            let Some(value) = map.get(name).filter(|v| !v.is_unit()) else {
                return Ok(Vec::new());
            };
            let Ok(items) = value.as_array_ref() else {
                return Err(format!("parameter `{name}` must be a list of jurisdiction codes"));
            };
            let mut out = Vec::with_capacity(items.len());
            for item in items.iter() {
                let Ok(code) = item.as_immutable_string_ref() else {
                    return Err(format!(
                        "parameter `{name}` must list jurisdiction codes as strings, not {}",
                        item.type_name()
                    ));
                };
                out.push(code.to_ascii_uppercase());
            }
            out.sort_unstable();
            out.dedup();
            Ok(out)
        };
        let mut holidays = Vec::new();
        if let Some(value) = map.get("public_holidays").filter(|v| !v.is_unit()) {
            let Ok(by_code) = value.as_map_ref() else {
                return Err("parameter `public_holidays` must map jurisdiction codes to lists of dates (YYYY-MM-DD)".into());
            };
            for (code, dates) in by_code.iter() {
                let Ok(list) = dates.as_array_ref() else {
                    return Err(format!("`public_holidays.{code}` must be a list of dates (YYYY-MM-DD)"));
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
            holidays.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        }
        Ok(Jurisdictions {
            da: codes("da_jurisdictions")?,
            adequacy: codes("adequacy_jurisdictions")?,
            holidays,
        })
    }

    /// Whether a customer in `code` is in the Data Act's territorial scope.
    pub fn is_da(&self, code: &str) -> bool {
        listed(&self.da, code)
    }

    /// Whether `code` has an adequacy decision (GDPR Art. 45) as the pack lists them.
    pub fn is_adequate(&self, code: &str) -> bool {
        listed(&self.adequacy, code)
    }

    /// The public holidays of `code`; none for a jurisdiction the pack does not list.
    pub fn holidays(&self, code: &str) -> &[Date] {
        let upper = code.to_ascii_uppercase();
        match self.holidays.binary_search_by(|(c, _)| c.as_str().cmp(&upper)) {
            Ok(i) => self.holidays.get(i).map_or(&[], |(_, days)| days.as_slice()),
            Err(_) => &[],
        }
    }
}

fn listed(sorted: &[String], code: &str) -> bool {
    if code.bytes().all(|b| !b.is_ascii_lowercase()) {
        return sorted.binary_search_by(|c| c.as_str().cmp(code)).is_ok();
    }
    let upper = code.to_ascii_uppercase();
    sorted.binary_search(&upper).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(json: serde_json::Value) -> Dynamic {
        crate::convert::ToRhai::to_rhai(&json)
    }

    #[test]
    fn reads_lists_in_any_case() {
        let j = Jurisdictions::from_params(&params(serde_json::json!({
            "da_jurisdictions": ["de", "FR"],
            "adequacy_jurisdictions": ["CH"],
            "public_holidays": { "de": ["2026-10-03", "2026-12-25"] }
        })))
        .unwrap();
        assert!(j.is_da("DE") && j.is_da("fr") && !j.is_da("CH") && !j.is_da(""));
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
            assert!(Jurisdictions::from_params(&params(p.clone())).is_err(), "{p}");
        }
        assert_eq!(
            Jurisdictions::from_params(&params(serde_json::json!({}))).unwrap(),
            Jurisdictions::default()
        );
    }
}
