//! `chipgate test FILE…`: runs golden cases (JSON Lines: a question and its expected decision
//! and rule ids). The repository's own corpus in `tests/cases/` runs under `cargo test` too.

use crate::answer;
use crate::request::{CheckRequest, ClassifyRequest};
use anyhow::{anyhow, Context, Result};
use chipgate_core::Engine;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One golden case: a name, the expected answer, the case-only options (`kind`, a scenario
/// file, a party file, whether to screen) and the question itself — the other keys of the
/// line, read as the very request type the API and the CLI answer (`CheckRequest`, or
/// `ClassifyRequest` for `kind: classify`), so a fact added to the request is at once
/// available to golden cases.
#[derive(Debug)]
pub struct Case {
    pub name: String,
    pub kind: Kind,
    /// A scenario file, relative to the case file.
    pub scenario: Option<String>,
    /// A parties file (ownership, known listings), relative to the case file.
    pub parties: Option<String>,
    /// Screen the named parties against the built-in lists, as `check` does (default true;
    /// the user's own list store is never used, so cases do not depend on the machine).
    pub screen: bool,
    pub expect: Expect,
}

/// The question of a case.
#[derive(Debug)]
pub enum Kind {
    Check(Box<CheckRequest>),
    Classify(ClassifyRequest),
}

/// The case-only keys of a line; the rest is the request.
#[derive(Debug, Deserialize)]
struct CaseKeys {
    name: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    scenario: Option<String>,
    #[serde(default)]
    parties: Option<String>,
    #[serde(default)]
    screen: Option<bool>,
    expect: Expect,
}

impl Case {
    /// Parses one line: the case-only keys are taken out, the rest must be a request.
    pub fn parse(line: &str) -> std::result::Result<Case, String> {
        let mut v: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
        let obj = v.as_object_mut().ok_or("a case is a JSON object")?;
        let mut keys = serde_json::Map::new();
        for k in ["name", "kind", "scenario", "parties", "screen", "expect"] {
            if let Some(x) = obj.remove(k) {
                keys.insert(k.to_string(), x);
            }
        }
        let keys: CaseKeys =
            serde_json::from_value(serde_json::Value::Object(keys)).map_err(|e| e.to_string())?;
        let rest = serde_json::Value::Object(obj.clone());
        let kind = match keys.kind.as_deref().unwrap_or("check") {
            "check" => Kind::Check(Box::new(
                serde_json::from_value(rest).map_err(|e| e.to_string())?,
            )),
            "classify" => Kind::Classify(serde_json::from_value(rest).map_err(|e| e.to_string())?),
            other => return Err(format!("unknown kind `{other}` (check or classify)")),
        };
        Ok(Case {
            name: keys.name,
            kind,
            scenario: keys.scenario,
            parties: keys.parties,
            screen: keys.screen.unwrap_or(true),
            expect: keys.expect,
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    #[serde(default)]
    pub decision: Option<String>,
    #[serde(default)]
    pub eccn: Option<String>,
    /// Rule ids that must be among the deciding rules.
    #[serde(default)]
    pub rules: Vec<String>,
    /// Rule ids that must not be among them.
    #[serde(default)]
    pub not_rules: Vec<String>,
    #[serde(default)]
    pub review_policy: Option<String>,
    #[serde(default)]
    pub exception: Option<String>,
    #[serde(default)]
    pub determined: Option<bool>,
    #[serde(default)]
    pub license_required: Option<bool>,
    /// Rule ids that must be among the red flags.
    #[serde(default)]
    pub red_flags: Vec<String>,
    /// Rule ids that must be among the notes.
    #[serde(default)]
    pub notes: Vec<String>,
    /// Rule ids that must not be among the notes.
    #[serde(default)]
    pub not_notes: Vec<String>,
    /// Rule ids that must be among the UNCERTAIN flags (`[]` with `uncertain_reading: false`
    /// checks that the answer is clean).
    #[serde(default)]
    pub uncertain: Vec<String>,
    /// Whether the answer is marked UNCERTAIN.
    #[serde(default)]
    pub uncertain_reading: Option<bool>,
    /// Rule ids that must be among the escalations (decision `ESCALATE`).
    #[serde(default)]
    pub escalations: Vec<String>,
    /// Substrings the citation of a deciding rule must contain, by rule id.
    #[serde(default)]
    pub citations: BTreeMap<String, String>,
}

/// Party contexts built while running cases, by parties file and screening choice: the
/// built-in lists are loaded once per run.
#[derive(Default)]
pub struct Contexts {
    by_key: BTreeMap<(Option<PathBuf>, bool), crate::screening::PartyContext>,
}

impl Contexts {
    fn get(
        &mut self,
        parties: Option<PathBuf>,
        screen: bool,
    ) -> std::result::Result<&crate::screening::PartyContext, String> {
        let key = (parties, screen);
        if !self.by_key.contains_key(&key) {
            let cx = crate::screening::PartyContext::build_builtin(key.0.as_deref(), key.1)
                .map_err(|e| format!("{e:#}"))?;
            self.by_key.insert(key.clone(), cx);
        }
        self.by_key
            .get(&key)
            .ok_or_else(|| "party context".to_string())
    }
}

/// Runs one case; `Ok(())` when it passes, `Err(reason)` when it fails.
pub fn run_case(
    engines: &mut BTreeMap<String, Engine>,
    contexts: &mut Contexts,
    base: &Engine,
    case: &Case,
    dir: &Path,
) -> std::result::Result<(), String> {
    let engine = match &case.scenario {
        None => base,
        Some(s) => {
            if !engines.contains_key(s) {
                let path = dir.join(s);
                let sc = crate::data::load_scenario(&path).map_err(|e| e.to_string())?;
                let e = base.with_scenario(&sc).map_err(|e| e.to_string())?;
                engines.insert(s.clone(), e);
            }
            engines.get(s).ok_or("scenario not loaded")?
        }
    };
    let mut fails = Vec::new();
    let mut check_eq = |what: &str, want: &Option<String>, got: &str| {
        if let Some(w) = want {
            if w != got {
                fails.push(format!("{what}: expected {w}, got {got}"));
            }
        }
    };
    match &case.kind {
        Kind::Classify(req) => {
            let c = answer::classify(engine, req)
                .map_err(|e| e.to_string())?
                .classification;
            check_eq("eccn", &case.expect.eccn, &c.eccn);
            let ids: Vec<String> = c.reasons.iter().map(|r| r.rule.clone()).collect();
            for r in &case.expect.rules {
                if !ids.contains(r) {
                    fails.push(format!("rule `{r}` not among reasons {ids:?}"));
                }
            }
            if let Some(d) = case.expect.determined {
                if d != c.determined {
                    fails.push(format!("determined: expected {d}, got {}", c.determined));
                }
            }
        }
        Kind::Check(req) => {
            let req = CheckRequest {
                no_screen: req.no_screen.or((!case.screen).then_some(true)),
                ..(**req).clone()
            };
            let cx = contexts.get(
                case.parties.as_ref().map(|p| dir.join(p)),
                (req.buyer.is_some() || req.end_user.is_some()) && req.screens(),
            )?;
            let d = answer::check(engine, cx, &req)
                .map_err(|e| e.to_string())?
                .determination;
            check_eq("decision", &case.expect.decision, d.decision.name());
            check_eq("eccn", &case.expect.eccn, &d.eccn);
            check_eq(
                "review_policy",
                &case.expect.review_policy,
                d.review_policy.map(|p| p.name()).unwrap_or("none"),
            );
            let ids = d.deciding_rules();
            for r in &case.expect.rules {
                if !ids.contains(r) {
                    fails.push(format!("rule `{r}` not among deciding rules {ids:?}"));
                }
            }
            for r in &case.expect.not_rules {
                if ids.contains(r) {
                    fails.push(format!("rule `{r}` should not decide, but does"));
                }
            }
            if let Some(code) = &case.expect.exception {
                if !d.exceptions.iter().any(|e| e.available && &e.code == code) {
                    fails.push(format!("exception {code} not available"));
                }
            }
            if let Some(det) = case.expect.determined {
                if det != d.determined {
                    fails.push(format!("determined: expected {det}, got {}", d.determined));
                }
            }
            for r in &case.expect.red_flags {
                if !d.red_flags.iter().any(|f| &f.rule == r) {
                    fails.push(format!("red flag `{r}` not raised"));
                }
            }
            for r in &case.expect.notes {
                if !d.notes.iter().any(|f| &f.rule == r) {
                    let got: Vec<&str> = d.notes.iter().map(|f| f.rule.as_str()).collect();
                    fails.push(format!("note `{r}` not shown (notes: {got:?})"));
                }
            }
            for r in &case.expect.not_notes {
                if d.notes.iter().any(|f| &f.rule == r) {
                    fails.push(format!("note `{r}` shown but should not be"));
                }
            }
            for r in &case.expect.uncertain {
                if !d.uncertain.iter().any(|f| &f.rule == r) {
                    fails.push(format!("UNCERTAIN flag `{r}` not raised"));
                }
            }
            if let Some(u) = case.expect.uncertain_reading {
                if u != d.uncertain_reading {
                    let got: Vec<&str> = d.uncertain.iter().map(|f| f.rule.as_str()).collect();
                    fails.push(format!(
                        "uncertain_reading: expected {u}, got {} ({got:?})",
                        d.uncertain_reading
                    ));
                }
            }
            for r in &case.expect.escalations {
                if !d.escalations.iter().any(|f| &f.rule == r) {
                    fails.push(format!("escalation `{r}` not raised"));
                }
            }
            for (rule, want) in &case.expect.citations {
                let found = d
                    .requirements
                    .iter()
                    .chain(d.prohibitions.iter())
                    .chain(d.escalations.iter())
                    .find(|f| &f.rule == rule);
                match found {
                    Some(f) if f.citation.contains(want.as_str()) => {}
                    Some(f) => fails.push(format!(
                        "citation of `{rule}`: expected to contain {want:?}, got {:?}",
                        f.citation
                    )),
                    None => fails.push(format!("no finding `{rule}` to check the citation of")),
                }
            }
            if let Some(lr) = case.expect.license_required {
                if lr != d.license_required {
                    fails.push(format!(
                        "license_required: expected {lr}, got {}",
                        d.license_required
                    ));
                }
            }
        }
    }
    if fails.is_empty() {
        Ok(())
    } else {
        Err(fails.join("; "))
    }
}

/// Reads the cases of a JSON Lines file (blank lines and `//` comments skipped).
pub fn read_cases(path: &Path) -> Result<Vec<(usize, Case)>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with("//") {
            continue;
        }
        let case = Case::parse(t).map_err(|e| anyhow!("{}:{}: {e}", path.display(), i + 1))?;
        out.push((i + 1, case));
    }
    Ok(out)
}

/// Runs case files; prints one line per failure and a closing count. Returns (passed, failed).
pub fn run_files(engine: &Engine, files: &[PathBuf], verbose: bool) -> Result<(usize, usize)> {
    let mut engines = BTreeMap::new();
    let mut contexts = Contexts::default();
    let (mut passed, mut failed) = (0, 0);
    for f in files {
        let dir = f.parent().map(Path::to_path_buf).unwrap_or_default();
        for (line, case) in read_cases(f)? {
            match run_case(&mut engines, &mut contexts, engine, &case, &dir) {
                Ok(()) => {
                    passed += 1;
                    if verbose {
                        println!("ok   {}:{} {}", f.display(), line, case.name);
                    }
                }
                Err(why) => {
                    failed += 1;
                    println!("FAIL {}:{} {} — {}", f.display(), line, case.name, why);
                }
            }
        }
    }
    Ok((passed, failed))
}

pub fn run(data_dir: Option<&Path>, files: &[PathBuf]) -> Result<bool> {
    let engine = crate::data::engine(data_dir, &[])?;
    let (passed, failed) = run_files(&engine, files, false)?;
    println!("{passed} passed, {failed} failed");
    Ok(failed == 0)
}
