//! Totals: orders, units and value (quantity × unit price) per distinct question, added up
//! as chunks are processed (in input order, so sums do not depend on thread timing), and
//! folded into the report's tables at the end.

use serde::Serialize;

/// Orders, units and value.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Tally {
    pub orders: u64,
    pub units: f64,
    pub value_usd: f64,
    /// Orders without a unit price (their value is not in `value_usd`).
    pub unpriced: u64,
}

impl Tally {
    pub fn add(&mut self, quantity: f64, price: Option<f64>) {
        self.orders += 1;
        self.units += quantity;
        match price {
            Some(p) => self.value_usd += quantity * p,
            None => self.unpriced += 1,
        }
    }

    pub fn merge(&mut self, o: &Tally) {
        self.orders += o.orders;
        self.units += o.units;
        self.value_usd += o.value_usd;
        self.unpriced += o.unpriced;
    }
}

/// Tallies indexed by question id.
#[derive(Debug, Default)]
pub struct Tallies(pub Vec<Tally>);

impl Tallies {
    pub fn add(&mut self, question: u32, quantity: f64, price: Option<f64>) {
        let i = question as usize;
        if self.0.len() <= i {
            self.0.resize(i + 1, Tally::default());
        }
        self.0[i].add(quantity, price);
    }
}
