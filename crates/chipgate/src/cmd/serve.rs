//! `chipgate serve`: the HTTP API (see `crate::server`).

use crate::args::ServeArgs;
use crate::server::state::Limits;
use crate::server::{self, Config};
use anyhow::Result;
use std::path::Path;
use std::time::Duration;

pub fn run(data: Option<&Path>, a: &ServeArgs) -> Result<()> {
    server::run(Config {
        addr: a.addr.clone(),
        db: a.db.clone(),
        data_dir: data.map(Path::to_path_buf),
        limits: Limits {
            max_body: a.max_body,
            max_batch: a.max_batch,
            timeout: Duration::from_secs(a.timeout.max(1)),
            max_inflight: a.max_inflight.max(1),
            header_timeout: Duration::from_secs(a.header_timeout.max(1)),
        },
    })
}
