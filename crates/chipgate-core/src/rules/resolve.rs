//! Which provisions are in force on a date, in a view — and, for those that are not, why.
//! A pure function of (rulebook, date, view); cheap enough to call per question.

use super::load::Rulebook;
use super::model::*;
use chrono::NaiveDate;
use serde::Serialize;

/// Where a provision stands on a date in a view.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "standing", rename_all = "snake_case")]
pub enum Standing {
    Active,
    NotYetEffective {
        starts: NaiveDate,
    },
    Ended {
        ended: NaiveDate,
    },
    /// Its status keeps it out of this view (proposed, withdrawn, suspended, not enforced).
    Inactive {
        status: Status,
    },
    /// Another provision replaces it while that one is in force.
    Replaced {
        by: String,
    },
    /// A posture provision sets it aside (e.g. not enforced since 2025-05-13).
    SetAside {
        by: String,
        status: Status,
    },
}

impl Standing {
    pub fn describe(&self) -> String {
        match self {
            Standing::Active => "in force".into(),
            Standing::NotYetEffective { starts } => format!("not yet in force (from {starts})"),
            Standing::Ended { ended } => format!("ended {ended}"),
            Standing::Inactive { status } => status.name().replace('_', " "),
            Standing::Replaced { by } => format!("replaced by `{by}`"),
            Standing::SetAside { by, status } => {
                format!("{} per `{by}`", status.name().replace('_', " "))
            }
        }
    }
}

fn status_allows(status: Status, view: View) -> bool {
    match status {
        Status::InForce => true,
        Status::NotEnforced => view == View::Law,
        Status::Proposed | Status::Withdrawn | Status::Suspended => false,
    }
}

/// Own window and status only (no postures, no replacement).
fn base(p: &Provision, date: NaiveDate, view: View) -> Standing {
    if !status_allows(p.status, view) {
        return Standing::Inactive { status: p.status };
    }
    let start = p.start(view);
    if date < start {
        return Standing::NotYetEffective { starts: start };
    }
    if let Some(end) = p.end_in(view) {
        if date >= end {
            return Standing::Ended { ended: end };
        }
    }
    Standing::Active
}

impl Rulebook {
    /// The standing of every provision on `date` in `view`, in rulebook order.
    pub fn standings(&self, date: NaiveDate, view: View) -> Vec<(&Provision, Standing)> {
        let mut out: Vec<(&Provision, Standing)> = self
            .provisions
            .iter()
            .map(|p| (p, base(p, date, view)))
            .collect();
        // Postures in force set their targets aside.
        let postures: Vec<(String, Vec<String>, Status)> = out
            .iter()
            .filter(|(_, s)| *s == Standing::Active)
            .filter_map(|(p, _)| match &p.kind {
                ProvisionKind::Posture {
                    targets,
                    status,
                    views,
                } if views.contains(&view) => Some((p.id.clone(), targets.clone(), *status)),
                _ => None,
            })
            .collect();
        for (by, targets, status) in &postures {
            for (p, s) in out.iter_mut() {
                if *s == Standing::Active
                    && (targets.contains(&p.id) || targets.contains(&p.event))
                    && &p.id != by
                {
                    *s = Standing::SetAside {
                        by: by.clone(),
                        status: *status,
                    };
                }
            }
        }
        // Provisions in force replace the ones they name.
        let replacements: Vec<(String, Vec<String>)> = out
            .iter()
            .filter(|(p, s)| *s == Standing::Active && !p.replaces.is_empty())
            .map(|(p, _)| (p.id.clone(), p.replaces.clone()))
            .collect();
        for (by, replaced) in &replacements {
            for (p, s) in out.iter_mut() {
                if *s == Standing::Active && replaced.contains(&p.id) {
                    *s = Standing::Replaced { by: by.clone() };
                }
            }
        }
        out
    }

    /// The provisions in force on `date` in `view` (from the segments computed at load).
    pub fn active(&self, date: NaiveDate, view: View) -> Vec<&Provision> {
        let idx = self
            .segments
            .partition_point(|(start, _, _)| *start <= date);
        let Some((_, law, enforced)) = idx.checked_sub(1).and_then(|i| self.segments.get(i)) else {
            return Vec::new();
        };
        let ids = if view == View::Law { law } else { enforced };
        ids.iter().filter_map(|i| self.provisions.get(*i)).collect()
    }

    /// Index of the date segment `date` falls in (dates in one segment get the same provisions).
    pub fn segment_of(&self, date: NaiveDate) -> usize {
        self.segments
            .partition_point(|(start, _, _)| *start <= date)
    }

    pub(crate) fn compute_segments(&self) -> Vec<(NaiveDate, Vec<usize>, Vec<usize>)> {
        let index_of = |p: &Provision| self.provisions.iter().position(|q| std::ptr::eq(q, p));
        self.boundaries()
            .into_iter()
            .map(|d| {
                let pick = |view: View| -> Vec<usize> {
                    self.standings(d, view)
                        .into_iter()
                        .filter(|(_, s)| *s == Standing::Active)
                        .filter_map(|(p, _)| index_of(p))
                        .collect()
                };
                (d, pick(View::Law), pick(View::Enforced))
            })
            .collect()
    }

    /// Every date on which a provision's window opens or closes (starts, ends, compliance
    /// dates), sorted: the dates on which the provisions in force may change. Not every date on
    /// which an answer may change — conditions also read the calendar and Country Groups change;
    /// [`crate::Engine::change_dates`] gives those.
    pub fn boundaries(&self) -> Vec<NaiveDate> {
        let mut v: Vec<NaiveDate> = self
            .provisions
            .iter()
            .flat_map(|p| [Some(p.effective), p.end, p.end_enforced, p.compliance])
            .flatten()
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// Events whose provisions start (in the view) or end on `date`.
    pub fn events_on(&self, date: NaiveDate, view: View) -> Vec<&Event> {
        let starting: Vec<&str> = self
            .provisions
            .iter()
            .filter(|p| p.start(view) == date && p.status == Status::InForce)
            .map(|p| p.event.as_str())
            .collect();
        let mut ids: Vec<&str> = self
            .provisions
            .iter()
            .filter(|p| {
                (starting.is_empty() && p.end_in(view) == Some(date))
                    || starting.contains(&p.event.as_str())
            })
            .filter(|p| p.start(view) == date || p.status == Status::InForce)
            .map(|p| {
                if p.start(view) == date {
                    p.event.as_str()
                } else {
                    // An end caused by a later version: name the event that starts then.
                    self.provisions
                        .iter()
                        .find(|q| q.id == p.id && q.effective == date)
                        .map(|q| q.event.as_str())
                        .unwrap_or(p.event.as_str())
                }
            })
            .collect();
        ids.dedup();
        let mut out: Vec<&Event> = Vec::new();
        for id in ids {
            if let Some(e) = self.event(id) {
                if !out.iter().any(|x| x.id == e.id) {
                    out.push(e);
                }
            }
        }
        out
    }
}
