//! One file per subcommand. Each returns the text or JSON it prints; errors go back to `main`.

pub mod audit;
pub mod check;
pub mod chips;
pub mod classify;
pub mod docs;
pub mod golden;
pub mod headroom;
pub mod keys;
pub mod lists;
pub mod orders;
pub mod plot;
pub mod rules;
pub mod screen;
pub mod serve;
pub mod timeline;

/// Prints a value as pretty JSON.
pub fn print_json<T: serde::Serialize>(v: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}
