//! Field paths (`a.b[0].c`): one grammar for the rules' `need`/`field`/`present`, the compiled
//! form's parsed paths and the test cases' `set`/`unset`. A leaf module: the model, the rule
//! language and the evaluator all read paths, and none of them owns the grammar.

/// One step of a field path. Keys are owned (inline for up to 23 bytes, so parsing a path
/// rarely allocates) so that a compiled rule can keep its paths parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    Key(rhai::Identifier),
    Index(usize),
}

/// Splits `a.b[0].c` into steps; `None` for a malformed path.
pub(crate) fn parse_path(path: &str) -> Option<Vec<Step>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (part.get(..i)?, part.get(i..)?),
            None => (part, ""),
        };
        if !name.is_empty() {
            out.push(Step::Key(name.into()));
        } else if out.is_empty() && rest.is_empty() {
            return None;
        }
        while !rest.is_empty() {
            let close = rest.find(']')?;
            let index: usize = rest.get(1..close)?.parse().ok()?;
            out.push(Step::Index(index));
            rest = rest.get(close + 1..)?;
        }
    }
    Some(out)
}
