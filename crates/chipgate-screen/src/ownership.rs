//! Ownership from a parties CSV (`entity, parent, share, hq_country`; share as 0–1 or percent):
//! each party's ultimate parent (largest-parent chain, cycle-safe), headquarters country (own,
//! else the nearest parent's), and its owners of 50 % or more, directly or indirectly, for the
//! licence engine's Affiliates (50 %) rule. Names are matched as written (case, spacing and,
//! when unambiguous, punctuation folded) or by an `id` column — never by the screening
//! normaliser, which would make `Acme Ltd.` and its subsidiary `Acme Pte. Ltd.` one company.
//!
//! Indirect ownership follows the OFAC/BIS aggregation rule: an owner's share of an entity is
//! the sum of the shares held by the owner itself and by every intermediate the owner owns 50 %
//! or more of (control passes through a majority holding; shares are not multiplied).

use crate::error::{LineError, ScreenError};
use serde::Serialize;
use std::collections::HashMap;

/// A party's ownership picture.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwnershipInfo {
    /// The party as named in the file.
    pub entity: String,
    /// End of the largest-parent chain (the party itself when it has no parent).
    pub ultimate_parent: String,
    /// Own HQ country, else the nearest parent's along the chain.
    pub hq_country: Option<String>,
    /// The largest-parent chain from the party upwards: (parent, share of the previous link).
    pub path: Vec<(String, f64)>,
    /// Owners with an aggregate share ≥ 50 %: (owner, aggregate share, path from the party to the owner).
    pub owners_50: Vec<(String, f64, Vec<String>)>,
}

#[derive(Debug, Clone, Default)]
struct Node {
    name: String,
    /// First line that names it.
    line: u64,
    hq: Option<String>,
    /// (parent node, share 0..1)
    parents: Vec<(usize, f64)>,
}

/// Parsed parties file.
#[derive(Debug, Clone, Default)]
pub struct Ownership {
    nodes: Vec<Node>,
    by_key: HashMap<String, usize>,
    by_loose: HashMap<String, usize>,
    by_id: HashMap<String, usize>,
    /// Malformed lines (reported, not fatal).
    pub errors: Vec<LineError>,
}

fn parse_share(s: &str) -> Option<f64> {
    let t = s.trim().trim_end_matches('%').trim();
    let v: f64 = t.parse().ok()?;
    if !v.is_finite() || v < 0.0 {
        return None;
    }
    let v = if s.contains('%') || v > 1.0 {
        v / 100.0
    } else {
        v
    };
    (v <= 1.0).then_some(v)
}

impl Ownership {
    /// Load a parties CSV file.
    pub fn load(path: &std::path::Path) -> Result<Ownership, ScreenError> {
        let b = std::fs::read(path).map_err(|e| ScreenError::io(path, e))?;
        Ownership::parse(&path.display().to_string(), &b)
    }

    /// Parse parties CSV bytes (header `entity,parent,share,hq_country`, optional `id`; any
    /// order). A parties file is the user's own master data: names are matched as written
    /// (case and spacing aside; punctuation only when that is unambiguous), never through the
    /// screening normaliser, so `Acme Ltd.` and `Acme Pte. Ltd.` stay two companies. Two rows
    /// that would still be taken for one company are an error naming both lines.
    pub fn parse(file: &str, bytes: &[u8]) -> Result<Ownership, ScreenError> {
        let text = crate::parse::util_decode(bytes);
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers = crate::parse::csv_headers(file, &mut rdr)?;
        let idx = |n: &str| headers.iter().position(|h| h == n);
        let Some(ei) = idx("entity") else {
            return Err(ScreenError::Malformed {
                file: file.into(),
                line: 1,
                message: "no `entity` column".into(),
            });
        };
        let (pi, si, hi, ii) = (idx("parent"), idx("share"), idx("hq_country"), idx("id"));
        let mut o = Ownership::default();
        let mut links: Vec<(usize, String, f64, u64)> = Vec::new();
        let err = |o: &mut Ownership, line: u64, message: String| {
            o.errors.push(LineError {
                file: file.into(),
                line,
                message,
            })
        };
        for rec in rdr.records() {
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    err(&mut o, line, e.to_string());
                    continue;
                }
            };
            let line = rec.position().map_or(0, |p| p.line());
            let get = |i: Option<usize>| {
                i.and_then(|i| rec.get(i))
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
            };
            let Some(entity) = get(Some(ei)) else {
                err(&mut o, line, "empty entity".into());
                continue;
            };
            let e = match o.node(entity, get(ii), line) {
                Ok(e) => e,
                Err(m) => {
                    err(&mut o, line, m);
                    continue;
                }
            };
            if let Some(hq) = get(hi) {
                let conflict = o.nodes.get(e).and_then(|n| match &n.hq {
                    Some(h) if !h.eq_ignore_ascii_case(hq) => Some((h.clone(), n.line)),
                    _ => None,
                });
                if let Some((h, first)) = conflict {
                    err(
                        &mut o,
                        line,
                        format!("`{entity}`: headquarters {hq} here, {h} on line {first}"),
                    );
                    continue;
                }
                if let Some(n) = o.nodes.get_mut(e) {
                    n.hq = Some(hq.to_string());
                }
            }
            if let Some(parent) = get(pi) {
                let share = match get(si) {
                    Some(s) => match parse_share(s) {
                        Some(v) => v,
                        None => {
                            err(&mut o, line, format!("bad share {s:?}"));
                            continue;
                        }
                    },
                    None => {
                        err(&mut o, line, "parent without share".into());
                        continue;
                    }
                };
                links.push((e, parent.to_string(), share, line));
            }
        }
        // Parents may be named by id or by name, and may come later in the file.
        for (e, parent, share, line) in links {
            let p = match o.by_id.get(parent.as_str()).copied() {
                Some(p) => p,
                None => match o.node(&parent, None, line) {
                    Ok(p) => p,
                    Err(m) => {
                        err(&mut o, line, m);
                        continue;
                    }
                },
            };
            if p != e {
                if let Some(n) = o.nodes.get_mut(e) {
                    n.parents.push((p, share));
                }
            }
        }
        Ok(o)
    }

    /// The name as written, case and spacing folded (format characters removed).
    fn key(name: &str) -> String {
        crate::normalize::strip_format_chars(name)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    }

    /// [`Ownership::key`] with punctuation also folded (`Acme Pte. Ltd.` = `ACME PTE LTD`):
    /// legal forms stay, so `Acme Ltd.` and `Acme Pte. Ltd.` differ.
    fn loose_key(name: &str) -> String {
        Ownership::key(name)
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The node for a row's entity (by id when the file gives ids, else by name), created on
    /// first sight; an error when two rows would be taken for one company.
    fn node(&mut self, name: &str, id: Option<&str>, line: u64) -> Result<usize, String> {
        let k = Ownership::key(name);
        let lk = Ownership::loose_key(name);
        if let Some(id) = id {
            if let Some(&i) = self.by_id.get(id) {
                return match self.nodes.get(i) {
                    Some(n) if Ownership::key(&n.name) == k => Ok(i),
                    Some(n) => Err(format!(
                        "id `{id}` names `{}` on line {} and `{name}` here",
                        n.name, n.line
                    )),
                    None => Ok(i),
                };
            }
        } else if let Some(&i) = self.by_key.get(&k) {
            return Ok(i);
        }
        // A different entity (another id, or another spelling) whose name reads the same once
        // case, spacing and punctuation are folded would be ambiguous for every lookup.
        if let Some(&j) = self.by_loose.get(&lk) {
            if let Some(other) = self.nodes.get(j) {
                return Err(format!(
                    "`{name}` and `{}` (line {}) would be taken for one company; give them distinct names or an `id` column",
                    other.name, other.line
                ));
            }
        }
        self.nodes.push(Node {
            name: name.to_string(),
            line,
            ..Node::default()
        });
        let i = self.nodes.len() - 1;
        self.by_key.insert(k, i);
        self.by_loose.insert(lk, i);
        if let Some(id) = id {
            self.by_id.insert(id.to_string(), i);
        }
        Ok(i)
    }

    fn find(&self, name: &str) -> Option<usize> {
        self.by_id
            .get(name.trim())
            .or_else(|| self.by_key.get(&Ownership::key(name)))
            .or_else(|| self.by_loose.get(&Ownership::loose_key(name)))
            .copied()
    }

    /// Party names in file order.
    pub fn parties(&self) -> impl Iterator<Item = &str> {
        self.nodes.iter().map(|n| n.name.as_str())
    }

    /// Ownership picture of a party (None if the name is not in the file).
    pub fn resolve(&self, name: &str) -> Option<OwnershipInfo> {
        let start = self.find(name)?;
        let node = self.nodes.get(start)?;
        // Largest-parent chain, cycle-safe.
        let mut path = Vec::new();
        let mut seen = vec![start];
        let mut cur = start;
        let mut hq = node.hq.clone();
        while let Some(n) = self.nodes.get(cur) {
            let Some(&(p, share)) = n.parents.iter().max_by(|a, b| a.1.total_cmp(&b.1)) else {
                break;
            };
            if seen.contains(&p) {
                break;
            }
            seen.push(p);
            let Some(pn) = self.nodes.get(p) else { break };
            path.push((pn.name.clone(), share));
            if hq.is_none() {
                hq = pn.hq.clone();
            }
            cur = p;
        }
        let ultimate_parent = self
            .nodes
            .get(cur)
            .map_or(node.name.clone(), |n| n.name.clone());
        // Aggregate ownership by every ancestor.
        let mut ancestors = Vec::new();
        self.collect_ancestors(start, &mut ancestors);
        let mut owners_50 = Vec::new();
        for a in ancestors {
            let mut memo = HashMap::new();
            let (share, p) = self.held(a, start, &mut vec![start], &mut memo);
            if share >= 0.5 - 1e-9 {
                let names = p
                    .iter()
                    .filter_map(|&i| self.nodes.get(i).map(|n| n.name.clone()))
                    .collect();
                owners_50.push((
                    self.nodes.get(a).map_or(String::new(), |n| n.name.clone()),
                    share.min(1.0),
                    names,
                ));
            }
        }
        owners_50.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        Some(OwnershipInfo {
            entity: node.name.clone(),
            ultimate_parent,
            hq_country: hq,
            path,
            owners_50,
        })
    }

    fn collect_ancestors(&self, n: usize, out: &mut Vec<usize>) {
        let Some(node) = self.nodes.get(n) else {
            return;
        };
        for &(p, _) in &node.parents {
            if !out.contains(&p) {
                out.push(p);
                self.collect_ancestors(p, out);
            }
        }
    }

    /// Aggregate share `owner` holds in `target` (directly, or through intermediates it owns ≥ 50 %),
    /// and one path target → ... → owner (the largest contribution).
    fn held(
        &self,
        owner: usize,
        target: usize,
        stack: &mut Vec<usize>,
        memo: &mut HashMap<usize, (f64, Vec<usize>)>,
    ) -> (f64, Vec<usize>) {
        if let Some(v) = memo.get(&target) {
            return v.clone();
        }
        let Some(node) = self.nodes.get(target) else {
            return (0.0, Vec::new());
        };
        let mut total = 0.0;
        let mut best: (f64, Vec<usize>) = (0.0, Vec::new());
        for &(p, share) in &node.parents {
            if p == owner {
                total += share;
                if share > best.0 {
                    best = (share, vec![target, owner]);
                }
            } else if !stack.contains(&p) {
                stack.push(p);
                let (s, path) = self.held(owner, p, stack, memo);
                stack.pop();
                if s >= 0.5 - 1e-9 {
                    total += share;
                    if share > best.0 {
                        let mut v = vec![target];
                        v.extend(path);
                        best = (share, v);
                    }
                }
            }
        }
        let r = (total, best.1);
        memo.insert(target, r.clone());
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "entity,parent,share,hq_country\n\
        Alpha Trading Co Ltd,Beta Holdings,60%,HK\n\
        Alpha Trading Co Ltd,Gamma Corp,0.4,\n\
        Beta Holdings,Huawei Technologies Co Ltd,0.3,\n\
        Beta Holdings,Delta Ltd,0.7,\n\
        Delta Ltd,Huawei Technologies Co Ltd,1.0,CN\n\
        Gamma Corp,Huawei Technologies Co Ltd,55,\n\
        Huawei Technologies Co Ltd,,,CN\n\
        Loop A,Loop B,0.6,\nLoop B,Loop A,0.6,\n\
        Bad,Beta Holdings,abc,\n";

    #[test]
    fn chain_and_owners() {
        let o = Ownership::parse("p.csv", CSV.as_bytes()).unwrap_or_default();
        assert_eq!(o.errors.len(), 1);
        assert_eq!(o.errors[0].line, 11);
        let i = o.resolve("ALPHA TRADING CO LTD").expect("alpha");
        assert_eq!(i.ultimate_parent, "Huawei Technologies Co Ltd");
        assert_eq!(i.hq_country.as_deref(), Some("HK"));
        assert_eq!(
            i.path,
            vec![
                ("Beta Holdings".to_string(), 0.6),
                ("Delta Ltd".to_string(), 0.7),
                ("Huawei Technologies Co Ltd".to_string(), 1.0)
            ]
        );
        // Huawei controls Beta (via Delta 70 % + own 30 %) and Gamma (55 %): 60 % + 40 % = 100 %.
        let hw = i
            .owners_50
            .iter()
            .find(|o| o.0.starts_with("Huawei"))
            .expect("huawei owner");
        assert!((hw.1 - 1.0).abs() < 1e-9, "{hw:?}");
        assert_eq!(
            hw.2.first().map(String::as_str),
            Some("Alpha Trading Co Ltd")
        );
        assert!(i
            .owners_50
            .iter()
            .any(|o| o.0 == "Beta Holdings" && (o.1 - 0.6).abs() < 1e-9));
        assert!(!i.owners_50.iter().any(|o| o.0 == "Gamma Corp"));
        let d = o.resolve("Delta Ltd").expect("delta");
        assert_eq!(d.hq_country.as_deref(), Some("CN"));
        let l = o.resolve("Loop A").expect("loop");
        assert_eq!(l.path.len(), 1);
        assert!(o.resolve("nobody").is_none());
    }

    #[test]
    fn legal_forms_keep_companies_apart() {
        let csv =
            "entity,parent,share,hq_country\nAcme Ltd.,,,CN\nAcme Pte. Ltd.,Acme Ltd.,100%,SG\n";
        let o = Ownership::parse("p.csv", csv.as_bytes()).unwrap_or_default();
        assert!(o.errors.is_empty(), "{:?}", o.errors);
        let sub = o.resolve("Acme Pte. Ltd.").expect("subsidiary");
        assert_eq!(sub.hq_country.as_deref(), Some("SG"));
        assert_eq!(sub.ultimate_parent, "Acme Ltd.");
        assert_eq!(
            o.resolve("ACME PTE LTD").map(|i| i.entity),
            Some("Acme Pte. Ltd.".to_string())
        );
        assert_eq!(
            o.resolve("acme ltd.").map(|i| i.entity),
            Some("Acme Ltd.".to_string())
        );
    }

    #[test]
    fn rows_taken_for_one_company_are_an_error_naming_both_lines() {
        let csv = "entity,parent,share,hq_country\nAcme Ltd.,,,CN\nAcme Ltd,,,CN\n";
        let o = Ownership::parse("p.csv", csv.as_bytes()).unwrap_or_default();
        assert_eq!(o.errors.len(), 1, "{:?}", o.errors);
        assert_eq!(o.errors[0].line, 3);
        assert!(o.errors[0].message.contains("line 2"), "{}", o.errors[0]);
        // With ids, names may repeat; parents by id.
        let csv =
            "id,entity,parent,share,hq_country\nA1,Acme Ltd.,,,CN\nA2,Acme Holdings,A1,60%,HK\n";
        let o = Ownership::parse("p.csv", csv.as_bytes()).unwrap_or_default();
        assert!(o.errors.is_empty(), "{:?}", o.errors);
        assert_eq!(
            o.resolve("A2").map(|i| i.ultimate_parent),
            Some("Acme Ltd.".into())
        );
        // Conflicting headquarters for one company.
        let csv = "entity,hq_country\nAcme Ltd.,CN\nacme ltd.,SG\n";
        let o = Ownership::parse("p.csv", csv.as_bytes()).unwrap_or_default();
        assert_eq!(o.errors.len(), 1, "{:?}", o.errors);
    }
}
