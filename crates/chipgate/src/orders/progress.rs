//! The progress bar on standard error (indicatif): bytes of the order book read, with the
//! number of orders so far. Hidden when disabled (`--quiet`) or when standard error is not a
//! terminal, so scripts and logs see no control characters.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

pub struct Progress {
    bar: Option<ProgressBar>,
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl Progress {
    pub fn new(enabled: bool, total_bytes: Option<u64>) -> Progress {
        if !enabled || !std::io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let bar = match total_bytes {
            Some(t) => {
                let b = ProgressBar::with_draw_target(Some(t), ProgressDrawTarget::stderr());
                if let Ok(style) = ProgressStyle::with_template("{msg} {wide_bar} {percent:>3}%") {
                    b.set_style(style.progress_chars("━━ "));
                }
                b
            }
            None => {
                let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
                if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
                    b.set_style(style);
                }
                b
            }
        };
        b_message(&bar, 0);
        Progress { bar: Some(bar) }
    }

    pub fn update(&self, bytes: u64, rows: u64) {
        if let Some(b) = &self.bar {
            b.set_position(bytes);
            b_message(b, rows);
        }
    }

    /// Runs `f` with the bar cleared (to print lines above it).
    pub fn suspend<F: FnOnce()>(&self, f: F) {
        match &self.bar {
            Some(b) => b.suspend(f),
            None => f(),
        }
    }

    pub fn finish(&self, rows: u64) {
        if let Some(b) = &self.bar {
            if let Some(len) = b.length() {
                b.set_position(len);
            }
            b.finish_and_clear();
            eprintln!("evaluated {} orders", thousands(rows));
        }
    }
}

fn b_message(b: &ProgressBar, rows: u64) {
    b.set_message(format!("evaluating {} orders", thousands(rows)));
}
