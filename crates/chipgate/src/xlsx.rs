//! Spreadsheet output (`.xlsx`) for order-book results and screening results, through
//! `rust_xlsxwriter`: one sheet, a bold frozen header row, text cells as text and numbers as
//! numbers. The file is written through [`crate::outfile`] (temporary file and rename).

use anyhow::{anyhow, bail, Result};
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use std::path::Path;

/// Rows a sheet can hold (the header included): Excel's limit.
pub const MAX_ROWS: u32 = 1_048_576;

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cell::Text(s) => f.write_str(s),
            Cell::Number(n) => write!(f, "{n}"),
        }
    }
}

/// A sheet being filled row by row.
pub struct Sheet {
    sheet: Worksheet,
    row: u32,
}

fn xl(e: rust_xlsxwriter::XlsxError) -> anyhow::Error {
    anyhow!("writing the spreadsheet: {e}")
}

impl Sheet {
    /// A sheet named `name` with a header row.
    pub fn new(name: &str, headers: &[&str]) -> Result<Sheet> {
        let mut sheet = Worksheet::new();
        sheet.set_name(name).map_err(xl)?;
        let bold = Format::new().set_bold();
        for (c, h) in headers.iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, *h, &bold)
                .map_err(xl)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xl)?;
        Ok(Sheet { sheet, row: 1 })
    }

    /// Appends a row.
    pub fn push(&mut self, cells: &[Cell]) -> Result<()> {
        if self.row >= MAX_ROWS {
            bail!(
                "a spreadsheet holds at most {} rows: write .csv or .jsonl for larger results",
                MAX_ROWS - 1
            );
        }
        for (c, cell) in cells.iter().enumerate() {
            let col = c as u16;
            match cell {
                Cell::Text(s) if s.is_empty() => {}
                Cell::Text(s) => {
                    // Excel's limit for one cell.
                    let s: String = s.chars().take(32_767).collect();
                    self.sheet.write_string(self.row, col, s).map_err(xl)?;
                }
                Cell::Number(n) if n.is_finite() => {
                    self.sheet.write_number(self.row, col, *n).map_err(xl)?;
                }
                Cell::Number(_) => {}
            }
        }
        self.row += 1;
        Ok(())
    }

    /// Writes the workbook to `path`.
    pub fn save(self, path: &Path) -> Result<()> {
        let mut wb = Workbook::new();
        wb.push_worksheet(self.sheet);
        let bytes = wb.save_to_buffer().map_err(xl)?;
        crate::outfile::write(path, &bytes)
    }
}
