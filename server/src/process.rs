//! What the server does to its own process before it reads anything a person sends.
//!
//! Memory holds plaintext while a submission is checked and sealed. A core dump would copy it to
//! disk, and a debugger of the same user could read it live; so the process makes itself
//! non-dumpable (which also refuses `ptrace` from other processes of the same user, though not
//! from root) and sets its core-file limit to zero. Its files are its user's alone. Freed memory is wiped by the zeroizing
//! allocator the binary installs (see `main.rs`).

use rustix::fs::Mode;
use rustix::process::{DumpableBehavior, Resource, Rlimit, getrlimit, setrlimit};

use crate::Error;

/// Refuses core dumps and `ptrace` by others; makes every file and folder it creates private
/// to its user whatever umask it was started with; raises the open-file limit as far as
/// allowed. Returns the open-file limit now in force.
pub fn harden() -> Result<Option<u64>, Error> {
    // sled creates its files itself, with the umask's mode: 0600 files and 0700 folders.
    rustix::process::umask(Mode::from_raw_mode(0o077));
    rustix::process::set_dumpable_behavior(DumpableBehavior::NotDumpable)
        .map_err(|e| Error::Process(format!("cannot make the process non-dumpable: {e}")))?;
    let no_cores = Rlimit {
        current: Some(0),
        maximum: Some(0),
    };
    // Where the limits are already right (systemd's LimitCORE= and LimitNOFILE=), no call is
    // made: the unit's system-call filter denies setrlimit.
    if getrlimit(Resource::Core) != no_cores {
        setrlimit(Resource::Core, no_cores)
            .map_err(|e| Error::Process(format!("cannot turn core dumps off: {e}")))?;
    }
    Ok(raise_open_file_limit())
}

/// Each connection is a file descriptor: take the hard limit, not the usual soft 1,024, so that
/// the per-client cap, not the process limit, is what a flood runs into.
fn raise_open_file_limit() -> Option<u64> {
    let limit = getrlimit(Resource::Nofile);
    if limit.current == limit.maximum {
        return limit.current;
    }
    match setrlimit(
        Resource::Nofile,
        Rlimit {
            current: limit.maximum,
            maximum: limit.maximum,
        },
    ) {
        Ok(()) => limit.maximum,
        Err(e) => {
            tracing::warn!("cannot raise the open-file limit: {e}");
            limit.current
        }
    }
}
