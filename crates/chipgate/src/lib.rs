//! The `chipgate` command line: argument parsing, data loading, rendering and the I/O edges
//! (files, screening lists, order books, the HTTP server, the audit log, pictures) around the
//! pure engine in `chipgate-core`. `main.rs` only parses and dispatches.

pub mod answer;
pub mod args;
pub mod cmd;
pub mod data;
pub mod lines;
pub mod orders;
pub mod outfile;
pub mod pictures;
pub mod question;
pub mod render;
pub mod request;
pub mod screening;
pub mod server;
pub mod xlsx;
pub mod yente;
