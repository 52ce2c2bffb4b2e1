//! Reading the files `decrypt` is given, which the key tool does not trust: an export folder comes
//! from a server that may be compromised, by USB stick or a shared drive, and whoever made it chose
//! what is in it. Only regular files are read, never through a symbolic link, and never more than
//! sealform ever writes.
//!
//! * A symbolic link could pass off a record from elsewhere as part of the folder, or lead to
//!   `/dev/zero`, which never ends: links are skipped, not followed.
//! * A FIFO blocks whoever reads it until something writes to it; a socket or a device is not a
//!   record either: they are skipped, unopened.
//! * A record larger than [`MAX_RECORD_BYTES`] is refused before it is read. An index grows by a
//!   line per record and is read a line at a time, so it may be of any size, but a line longer
//!   than [`MAX_INDEX_LINE_BYTES`] is refused ([`next_index_line`]).
//!
//! A path is checked without following links (`symlink_metadata`), opened with `O_NOFOLLOW` and
//! `O_NONBLOCK`, and checked again: the opened file must be a regular file, and on Unix the very
//! file that was checked (same device and inode). It is then read through `Read::take`, so a file
//! swapped in between can neither lead elsewhere, nor hold the open (a FIFO opened without
//! blocking is then refused as not a regular file), nor be read past the limit.

use std::fmt;
use std::fs::{self, File, FileType, Metadata};
use std::io::{self, BufRead, Read};
use std::path::Path;

use zeroize::Zeroizing;

use crate::Error;

/// The largest record file read. The server's store refuses any record over 1 MiB
/// (`MAX_RECORD_BYTES` in the server's `store.rs`), and with the default body limit a record is
/// under 100 KiB; four times the store's limit leaves room for a server built with a higher one,
/// while a file far larger is no record at all.
pub const MAX_RECORD_BYTES: u64 = 4 * 1024 * 1024;

/// The longest line of an index read: an export index line is 50 bytes (`<32 hex digits>\t<16 hex
/// digits>\n`), a vault index line a record id, a SHA-256 and the server's address. What reading
/// an index holds at once is one line, so this, not the file's size, bounds it: a vault of a
/// million records has an index of over 100 MiB.
pub const MAX_INDEX_LINE_BYTES: usize = 64 * 1024;

/// What [`next_index_line`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum IndexLine {
    /// A line, in the caller's buffer with its line feed (none if the file ends without one).
    Read,
    /// A line longer than [`MAX_INDEX_LINE_BYTES`], skipped up to its line feed.
    TooLong,
    /// The end of the file.
    End,
}

/// Reads the next line of an index into `line`, holding at most [`MAX_INDEX_LINE_BYTES`] of it.
pub fn next_index_line(reader: &mut impl BufRead, line: &mut Vec<u8>) -> io::Result<IndexLine> {
    line.clear();
    let limit = u64::try_from(MAX_INDEX_LINE_BYTES + 1).unwrap_or(u64::MAX);
    if reader.by_ref().take(limit).read_until(b'\n', line)? == 0 {
        return Ok(IndexLine::End);
    }
    if line.len() <= MAX_INDEX_LINE_BYTES {
        return Ok(IndexLine::Read);
    }
    if line.last() != Some(&b'\n') {
        reader.skip_until(b'\n')?;
    }
    line.clear();
    Ok(IndexLine::TooLong)
}

/// What a path is, when it is not a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A symbolic link, which is not followed.
    SymbolicLink,
    /// A folder.
    Folder,
    /// A FIFO (named pipe), which would block a reader.
    Fifo,
    /// A Unix domain socket.
    Socket,
    /// A block or character device, such as `/dev/zero`.
    Device,
    /// Anything else the system reports.
    Unknown,
}

impl FileKind {
    /// What `file_type` (from `symlink_metadata` or a folder entry, neither of which follows a
    /// link) is, or `None` for a regular file.
    pub fn of(file_type: FileType) -> Option<Self> {
        if file_type.is_file() {
            return None;
        }
        if file_type.is_symlink() {
            return Some(Self::SymbolicLink);
        }
        if file_type.is_dir() {
            return Some(Self::Folder);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if file_type.is_fifo() {
                return Some(Self::Fifo);
            }
            if file_type.is_socket() {
                return Some(Self::Socket);
            }
            if file_type.is_block_device() || file_type.is_char_device() {
                return Some(Self::Device);
            }
        }
        Some(Self::Unknown)
    }

    /// What to do about a file of this kind where a record or an index was expected.
    pub fn fix(self) -> &'static str {
        match self {
            Self::SymbolicLink => {
                "the key tool does not follow links, which can lead anywhere: if you trust what it points to, put a copy in its place"
            }
            Self::Folder => {
                "folders inside a folder are not searched: if it holds records, pass it as an input of its own"
            }
            Self::Fifo | Self::Socket | Self::Device | Self::Unknown => {
                "an export from the server holds only regular files: find out what put it there before trusting the folder"
            }
        }
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::SymbolicLink => "a symbolic link",
            Self::Folder => "a folder",
            Self::Fifo => "a FIFO (named pipe)",
            Self::Socket => "a socket",
            Self::Device => "a device",
            Self::Unknown => "an unknown kind of file",
        })
    }
}

/// The contents of the regular file at `path`, if it is one and holds at most `limit` bytes;
/// `what` names it in the error when it is larger ("record", "campaign file").
pub fn read_regular_file(
    path: &Path,
    limit: u64,
    what: &'static str,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let (file, len) = open_regular_file(path, limit, what)?;
    read_at_most(file, limit, len)
        .map_err(|err| Error::Read {
            path: path.to_owned(),
            err,
        })?
        .ok_or_else(|| Error::TooLarge {
            path: path.to_owned(),
            what,
            limit,
        })
}

/// The regular file at `path`, open, and its length, if it is one and holds at most `limit`
/// bytes: checked as [`read_regular_file`] checks it, for a caller that reads it bit by bit (and
/// must itself stop one byte past `limit`, as the file may grow).
pub fn open_regular_file(
    path: &Path,
    limit: u64,
    what: &'static str,
) -> Result<(File, u64), Error> {
    let unreadable = |err| Error::Read {
        path: path.to_owned(),
        err,
    };
    let too_large = || Error::TooLarge {
        path: path.to_owned(),
        what,
        limit,
    };
    let checked = fs::symlink_metadata(path).map_err(unreadable)?;
    if let Some(kind) = FileKind::of(checked.file_type()) {
        return Err(Error::NotARegularFile {
            path: path.to_owned(),
            kind,
        });
    }
    if checked.len() > limit {
        return Err(too_large());
    }
    let file = open_without_following(path).map_err(unreadable)?;
    let opened = file.metadata().map_err(unreadable)?;
    if !opened.is_file() || !same_file(&checked, &opened) {
        return Err(Error::ReplacedWhileOpening {
            path: path.to_owned(),
        });
    }
    Ok((file, opened.len()))
}

/// Opens `path` for reading without following a final symbolic link and without waiting: a
/// FIFO swapped in after the check opens at once (and is then refused), instead of blocking.
/// `O_NONBLOCK` changes nothing for reading a regular file.
#[cfg(unix)]
fn open_without_following(path: &Path) -> io::Result<File> {
    use rustix::fs::OFlags;
    use std::os::unix::fs::OpenOptionsExt;
    let flags = (OFlags::NOFOLLOW | OFlags::NONBLOCK).bits();
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(i32::try_from(flags).map_err(io::Error::other)?)
        .open(path)
}

#[cfg(not(unix))]
fn open_without_following(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// Whether `opened`, the metadata of an open file, is the file `checked` described before it was
/// opened.
#[cfg(unix)]
fn same_file(checked: &Metadata, opened: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    (checked.dev(), checked.ino()) == (opened.dev(), opened.ino())
}

/// Stable std has no file identity here; the regular-file check and the read limit still hold.
#[cfg(not(unix))]
fn same_file(_checked: &Metadata, _opened: &Metadata) -> bool {
    true
}

/// Everything `reader` holds, or `None` when that is more than `limit` bytes. Reads at most one
/// byte past the limit, so an endless reader is refused too. `expected_len` only sizes the buffer.
fn read_at_most(
    reader: impl Read,
    limit: u64,
    expected_len: u64,
) -> io::Result<Option<Zeroizing<Vec<u8>>>> {
    let capacity = usize::try_from(expected_len.min(limit).saturating_add(1)).unwrap_or(0);
    let mut bytes = Zeroizing::new(Vec::with_capacity(capacity));
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    let within = u64::try_from(bytes.len()).is_ok_and(|len| len <= limit);
    Ok(within.then_some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_lines_are_read_one_at_a_time_and_an_overlong_one_skipped() {
        let long = "x".repeat(MAX_INDEX_LINE_BYTES);
        let text = format!("one\n{long}\ntwo\n{long}y\nthree\n{long}z");
        let mut reader = io::BufReader::with_capacity(1000, text.as_bytes());
        let mut line = Vec::new();
        let mut read = Vec::new();
        loop {
            match next_index_line(&mut reader, &mut line).unwrap() {
                IndexLine::End => break,
                IndexLine::TooLong => read.push("(too long)".to_owned()),
                IndexLine::Read => read.push(String::from_utf8(line.clone()).unwrap()),
            }
            assert!(line.capacity() <= 2 * (MAX_INDEX_LINE_BYTES + 1));
        }
        // A line of the limit with its line feed is one byte too long.
        assert_eq!(
            read,
            [
                "one\n",
                "(too long)",
                "two\n",
                "(too long)",
                "three\n",
                "(too long)"
            ]
        );
    }

    #[test]
    fn an_endless_reader_is_refused_after_one_byte_past_the_limit() {
        assert_eq!(read_at_most(io::repeat(0), 16, 0).unwrap(), None);
        let mut counted = io::repeat(7).take(u64::MAX);
        assert_eq!(read_at_most(&mut counted, 16, 0).unwrap(), None);
        assert_eq!(counted.limit(), u64::MAX - 17, "read 17 bytes and stopped");
    }

    #[test]
    fn a_file_at_the_limit_is_read_and_one_byte_more_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let at_limit = dir.path().join("at.age");
        let over = dir.path().join("over.age");
        fs::write(&at_limit, [1u8; 16]).unwrap();
        fs::write(&over, [1u8; 17]).unwrap();
        assert_eq!(
            read_regular_file(&at_limit, 16, "record")
                .unwrap()
                .as_slice(),
            [1u8; 16]
        );
        let err = read_regular_file(&over, 16, "record").unwrap_err();
        assert!(matches!(err, Error::TooLarge { limit: 16, .. }), "{err}");
        // The same limit holds for what is read, whatever the size said before opening.
        assert_eq!(
            read_at_most(&[1u8; 17][..], 16, 3).unwrap(),
            None,
            "a file that grew after it was checked"
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_folders_fifos_sockets_and_devices_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let record = dir.path().join("record.age");
        fs::write(&record, b"record").unwrap();
        let link = dir.path().join("link.age");
        std::os::unix::fs::symlink(&record, &link).unwrap();
        let zero = dir.path().join("zero.age");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        let folder = dir.path().join("folder.age");
        fs::create_dir(&folder).unwrap();
        let fifo = dir.path().join("fifo.age");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let socket = dir.path().join("socket.age");
        let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();

        let cases = [
            (link.as_path(), FileKind::SymbolicLink),
            (zero.as_path(), FileKind::SymbolicLink),
            (folder.as_path(), FileKind::Folder),
            (fifo.as_path(), FileKind::Fifo),
            (socket.as_path(), FileKind::Socket),
            (Path::new("/dev/null"), FileKind::Device),
        ];
        for (path, expected) in cases {
            match read_regular_file(path, MAX_RECORD_BYTES, "record") {
                Err(Error::NotARegularFile { kind, .. }) => {
                    assert_eq!(kind, expected, "{}", path.display());
                }
                other => panic!("{}: {other:?}", path.display()),
            }
        }
        assert_eq!(
            read_regular_file(&record, MAX_RECORD_BYTES, "record")
                .unwrap()
                .as_slice(),
            b"record"
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_open_itself_neither_follows_a_link_nor_waits_on_a_fifo() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("swapped.age");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // With nothing writing to it, a plain open would block here for ever.
        let opened = open_without_following(&fifo).unwrap();
        assert!(!opened.metadata().unwrap().is_file());

        let target = dir.path().join("elsewhere");
        fs::write(&target, b"x").unwrap();
        let link = dir.path().join("link.age");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(open_without_following(&link).is_err());
    }
}
