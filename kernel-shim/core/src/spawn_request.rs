//! Spawn requests: what `posix_spawn` asks for, as the kernel copies it
//! from the caller ([`SpawnRequest`]), once checked ([`SpawnStart`], kept
//! by the child until it runs), and the image handed to the kernel's
//! loader ([`Image`]); with the kernel's limits on a request's size.

use alloc::vec::Vec;

use libspawn::{ActionList, Errno, Result, SpawnAttr};
use shim_abi::{ActionRecord, RawAttr};

use crate::strings::Strings;
use crate::user_stack::MAX_STACK_IMAGE;

/// Most bytes argv and envp may take together, strings (with NULs) and
/// pointers counted (E2BIG beyond).
pub const MAX_ARGUMENT_BYTES: usize = MAX_STACK_IMAGE / 2;
/// Most file-action records one spawn accepts (EINVAL beyond).
pub const MAX_SPAWN_ACTIONS: usize = 4096;
/// Most bytes of file-action path storage one spawn accepts (EINVAL
/// beyond).
pub const MAX_SPAWN_PATH_BYTES: usize = 64 * 1024;
/// Longest PATH list `posix_spawnp` accepts, without its NUL
/// (ENAMETOOLONG beyond).
pub const MAX_SEARCH_PATH_BYTES: usize = 16 * 1024;

/// A `posix_spawn` request as the kernel copied it from the caller,
/// not yet validated.
#[derive(Clone, Debug, Default)]
pub struct SpawnRequest {
    /// The program's path (or name, for `posix_spawnp`).
    pub path: Vec<u8>,
    /// The arguments.
    pub argv: Strings,
    /// The environment.
    pub envp: Strings,
    /// The attributes object, if one was given.
    pub attr: Option<RawAttr>,
    /// The file-action records.
    pub records: Vec<ActionRecord>,
    /// The file actions' path storage.
    pub paths: Vec<u8>,
    /// `posix_spawnp`: the caller's PATH.
    pub search: Option<Vec<u8>>,
}

/// A validated request, kept by the child until it first runs.
#[derive(Debug)]
pub struct SpawnStart {
    pub(crate) path: Vec<u8>,
    pub(crate) argv: Strings,
    pub(crate) envp: Strings,
    pub(crate) attr: Option<SpawnAttr>,
    pub(crate) records: Vec<ActionRecord>,
    pub(crate) paths: Vec<u8>,
    pub(crate) search: Option<Vec<u8>>,
}

impl SpawnStart {
    /// Checks `request`: the attributes (EINVAL), the file actions (EINVAL),
    /// and that `posix_spawnp` has a name to search for (ENOENT).
    pub(crate) fn validate(request: SpawnRequest) -> Result<SpawnStart> {
        let attr = request.attr.map(SpawnAttr::from_raw).transpose()?;
        ActionList::new(&request.records, &request.paths)?;
        if request.search.is_some() && request.path.is_empty() {
            return Err(Errno::ENOENT);
        }
        Ok(SpawnStart {
            path: request.path,
            argv: request.argv,
            envp: request.envp,
            attr,
            records: request.records,
            paths: request.paths,
            search: request.search,
        })
    }
}

/// The image a new process loads, as the kernel's loader needs it.
#[derive(Clone, Copy, Debug)]
pub struct Image<'a> {
    /// The executable file's bytes.
    pub bytes: &'a [u8],
    /// The version of those bytes (equal versions, equal bytes).
    pub version: u64,
    /// The arguments.
    pub argv: &'a Strings,
    /// The environment.
    pub envp: &'a Strings,
    /// The path the image was found by (for `AT_EXECFN`): for
    /// `posix_spawnp`, the PATH candidate, as `execvp` passes it to
    /// `execve`; for a script, the script's path, as on Linux.
    pub path: &'a [u8],
    /// The credentials the new image starts with (after the attributes
    /// and the file's set-user-ID and set-group-ID bits).
    pub creds: crate::creds::Creds,
}
