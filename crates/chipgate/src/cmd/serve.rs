//! `chipgate serve`: the HTTP API (see `crate::server`).

use crate::args::ServeArgs;
use crate::server::state::Limits;
use crate::server::{self, Config};
use anyhow::Result;
use std::path::Path;
use std::time::Duration;

pub fn run(data: Option<&Path>, a: &ServeArgs) -> Result<()> {
    if !matches!(a.log_format.as_str(), "text" | "json") {
        return Err(chipgate_core::InputError::new(
            "log-format",
            format!("unknown log format `{}` (text or json)", a.log_format),
        )
        .into());
    }
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
            body_timeout: Duration::from_secs(a.body_timeout.max(1)),
            max_per_key: a.max_per_key.max(1),
        },
        checkpoints: match (&a.checkpoint_key, &a.checkpoint_dir) {
            (Some(key), Some(dir)) => Some(server::Checkpoints {
                key: key.clone(),
                dir: dir.clone(),
                every: Duration::from_secs(a.checkpoint_every.max(1)),
            }),
            _ => None,
        },
        json_logs: a.log_format == "json",
    })
}
