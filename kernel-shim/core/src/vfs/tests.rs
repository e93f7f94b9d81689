//! Tests of the ramfs and its permission-checked operations.

use super::perm::Identity;
use super::*;
use shim_abi::fcntl::{O_CREAT, O_DIRECTORY, O_EXCL, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY};
use shim_abi::mode::{S_IFCHR, S_IFDIR, S_IFREG, S_ISGID, S_ISUID};

const USER: Identity = Identity {
    uid: 1000,
    gid: 1000,
};
const OTHER: Identity = Identity {
    uid: 2000,
    gid: 2000,
};

fn read_all(vfs: &Vfs, ino: Ino) -> Vec<u8> {
    vfs.file_bytes(ino).unwrap().to_vec()
}

#[test]
fn new_file_system_has_dev_nodes_and_a_world_writable_tmp() {
    let vfs = Vfs::new();
    let tmp = vfs.stat_path(ROOT, b"/tmp", USER).unwrap();
    assert_eq!(tmp.st_mode, S_IFDIR | TMP_MODE);
    let null = vfs.stat_path(ROOT, b"/dev/null", USER).unwrap();
    assert_eq!(null.st_mode, S_IFCHR | DEVICE_MODE);
    assert_eq!(null.st_rdev, Device::Null.rdev());
    assert_eq!(vfs.stat(ROOT).unwrap().st_ino, 1);
}

#[test]
fn install_file_creates_parents_and_sets_owner_and_mode() {
    let mut vfs = Vfs::new();
    let ino = vfs
        .install_file(b"/bin/sub/prog", b"\x7fELF", 0o4755, 5, 6)
        .unwrap();
    let st = vfs.stat(ino).unwrap();
    assert_eq!(
        (st.st_mode, st.st_uid, st.st_gid, st.st_size),
        (S_IFREG | 0o4755, 5, 6, 4)
    );
    assert_eq!(
        vfs.stat_path(ROOT, b"/bin/sub", USER).unwrap().st_mode,
        S_IFDIR | DIR_MODE
    );
    assert_eq!(read_all(&vfs, ino), b"\x7fELF");
}

#[test]
fn install_file_over_a_directory_is_eexist() {
    let mut vfs = Vfs::new();
    assert_eq!(
        vfs.install_file(b"/tmp", b"", 0o644, 0, 0),
        Err(Errno::EEXIST)
    );
    assert_eq!(
        vfs.install_file(b"/dev/null/x", b"", 0o644, 0, 0),
        Err(Errno::ENOTDIR)
    );
}

#[test]
fn open_creat_makes_a_file_owned_by_the_caller_with_the_given_mode() {
    let mut vfs = Vfs::new();
    let opened = vfs
        .open(ROOT, b"/tmp/f", O_CREAT | O_WRONLY, 0o640, USER)
        .unwrap();
    assert!(opened.created);
    let st = vfs.stat(opened.ino).unwrap();
    assert_eq!(
        (st.st_mode, st.st_uid, st.st_gid),
        (S_IFREG | 0o640, 1000, 1000)
    );
}

#[test]
fn open_creat_of_a_read_only_mode_still_opens_for_writing() {
    let mut vfs = Vfs::new();
    assert!(vfs
        .open(ROOT, b"/tmp/ro", O_CREAT | O_RDWR, 0o444, USER)
        .is_ok());
    assert_eq!(
        vfs.open(ROOT, b"/tmp/ro", O_RDWR, 0, USER),
        Err(Errno::EACCES)
    );
}

#[test]
fn open_excl_on_an_existing_name_is_eexist() {
    let mut vfs = Vfs::new();
    vfs.open(ROOT, b"/tmp/f", O_CREAT | O_WRONLY, 0o644, USER)
        .unwrap();
    assert_eq!(
        vfs.open(ROOT, b"/tmp/f", O_CREAT | O_EXCL | O_WRONLY, 0o644, USER),
        Err(Errno::EEXIST)
    );
    assert_eq!(
        vfs.open(ROOT, b"/tmp", O_CREAT | O_EXCL, 0o644, USER),
        Err(Errno::EEXIST)
    );
    assert_eq!(
        vfs.open(ROOT, b"/", O_CREAT | O_EXCL, 0o644, USER),
        Err(Errno::EEXIST)
    );
}

#[test]
fn open_without_creat_on_a_missing_name_is_enoent() {
    let mut vfs = Vfs::new();
    assert_eq!(
        vfs.open(ROOT, b"/tmp/none", O_RDONLY, 0, USER),
        Err(Errno::ENOENT)
    );
}

#[test]
fn open_of_a_directory_for_writing_is_eisdir() {
    let mut vfs = Vfs::new();
    assert_eq!(
        vfs.open(ROOT, b"/tmp", O_WRONLY, 0, Identity::ROOT),
        Err(Errno::EISDIR)
    );
    assert_eq!(
        vfs.open(ROOT, b"/tmp", O_RDWR, 0, Identity::ROOT),
        Err(Errno::EISDIR)
    );
    assert_eq!(
        vfs.open(ROOT, b"/tmp", O_RDONLY | O_TRUNC, 0, Identity::ROOT),
        Err(Errno::EISDIR)
    );
    assert_eq!(
        vfs.open(ROOT, b"/tmp", O_CREAT | O_RDONLY, 0, USER),
        Err(Errno::EISDIR)
    );
    assert!(vfs.open(ROOT, b"/tmp", O_RDONLY, 0, USER).is_ok());
}

#[test]
fn open_creat_with_a_trailing_slash_is_eisdir_and_creates_nothing() {
    let mut vfs = Vfs::new();
    let before = vfs.inode_count();
    assert_eq!(
        vfs.open(ROOT, b"/tmp/new/", O_CREAT | O_WRONLY, 0o644, USER),
        Err(Errno::EISDIR)
    );
    assert_eq!(vfs.inode_count(), before);
}

#[test]
fn open_directory_flag_on_a_file_is_enotdir() {
    let mut vfs = Vfs::new();
    vfs.install_file(b"/tmp/f", b"", 0o644, 0, 0).unwrap();
    assert_eq!(
        vfs.open(ROOT, b"/tmp/f", O_DIRECTORY, 0, USER),
        Err(Errno::ENOTDIR)
    );
    assert!(vfs.open(ROOT, b"/tmp", O_DIRECTORY, 0, USER).is_ok());
}

#[test]
fn open_checks_read_and_write_permission_for_non_root() {
    let mut vfs = Vfs::new();
    vfs.install_file(b"/tmp/secret", b"x", 0o600, 0, 0).unwrap();
    assert_eq!(
        vfs.open(ROOT, b"/tmp/secret", O_RDONLY, 0, USER),
        Err(Errno::EACCES)
    );
    assert_eq!(
        vfs.open(ROOT, b"/tmp/secret", O_WRONLY, 0, USER),
        Err(Errno::EACCES)
    );
    assert!(vfs
        .open(ROOT, b"/tmp/secret", O_RDWR, 0, Identity::ROOT)
        .is_ok());
}

#[test]
fn open_truncate_needs_write_permission_and_empties_the_file() {
    let mut vfs = Vfs::new();
    let ino = vfs
        .install_file(b"/tmp/f", b"hello", 0o644, 1000, 1000)
        .unwrap();
    assert_eq!(
        vfs.open(ROOT, b"/tmp/f", O_RDONLY | O_TRUNC, 0, OTHER),
        Err(Errno::EACCES)
    );
    assert_eq!(read_all(&vfs, ino), b"hello");
    vfs.open(ROOT, b"/tmp/f", O_WRONLY | O_TRUNC, 0, USER)
        .unwrap();
    assert_eq!(read_all(&vfs, ino), b"");
}

#[test]
fn open_creat_in_a_directory_without_write_permission_is_eacces() {
    let mut vfs = Vfs::new();
    assert_eq!(
        vfs.open(ROOT, b"/dev/x", O_CREAT | O_WRONLY, 0o644, USER),
        Err(Errno::EACCES)
    );
    assert_eq!(
        vfs.lookup(vfs.resolve(ROOT, b"/dev", USER).unwrap(), b"x"),
        None
    );
}

#[test]
fn open_access_mode_three_is_einval() {
    let mut vfs = Vfs::new();
    assert_eq!(vfs.open(ROOT, b"/tmp", 3, 0, USER), Err(Errno::EINVAL));
}

#[test]
fn write_past_the_end_fills_the_gap_with_zeros_and_read_stops_at_the_end() {
    let mut vfs = Vfs::new();
    let ino = vfs.install_file(b"/tmp/f", b"ab", 0o644, 0, 0).unwrap();
    assert_eq!(vfs.write_at(ino, 4, b"cd"), Ok(2));
    assert_eq!(read_all(&vfs, ino), b"ab\0\0cd");
    let mut buf = [0u8; 8];
    assert_eq!(vfs.read_at(ino, 3, &mut buf), Ok(3));
    assert_eq!(&buf[..3], b"\0cd");
    assert_eq!(vfs.read_at(ino, 100, &mut buf), Ok(0));
}

#[test]
fn write_beyond_the_file_size_limit_is_efbig() {
    let mut vfs = Vfs::new();
    let ino = vfs.install_file(b"/tmp/f", b"", 0o644, 0, 0).unwrap();
    assert_eq!(vfs.write_at(ino, MAX_FILE_SIZE, b"x"), Err(Errno::EFBIG));
    assert_eq!(vfs.write_at(ino, u64::MAX, b"x"), Err(Errno::EFBIG));
    assert_eq!(vfs.stat(ino).unwrap().st_size, 0);
}

#[test]
fn mkdir_creates_with_mode_and_counts_links() {
    let mut vfs = Vfs::new();
    let before = vfs.stat(ROOT).unwrap().st_nlink;
    let ino = vfs.mkdir(ROOT, b"/tmp/d/", 0o750, USER).unwrap();
    let st = vfs.stat(ino).unwrap();
    assert_eq!(
        (st.st_mode, st.st_nlink, st.st_uid),
        (S_IFDIR | 0o750, 2, 1000)
    );
    assert_eq!(vfs.stat(ROOT).unwrap().st_nlink, before);
    assert_eq!(vfs.stat_path(ROOT, b"/tmp", USER).unwrap().st_nlink, 3);
}

#[test]
fn mkdir_of_an_existing_name_is_eexist() {
    let mut vfs = Vfs::new();
    assert_eq!(vfs.mkdir(ROOT, b"/tmp", 0o755, USER), Err(Errno::EEXIST));
    assert_eq!(vfs.mkdir(ROOT, b"/", 0o755, USER), Err(Errno::EEXIST));
    assert_eq!(vfs.mkdir(ROOT, b"/tmp/.", 0o755, USER), Err(Errno::EEXIST));
    assert_eq!(vfs.mkdir(ROOT, b"/dev/d", 0o755, USER), Err(Errno::EACCES));
}

#[test]
fn unlink_removes_the_name_but_open_data_lives_until_unpinned() {
    let mut vfs = Vfs::new();
    let ino = vfs
        .install_file(b"/tmp/f", b"data", 0o644, 1000, 1000)
        .unwrap();
    vfs.pin(ino).unwrap();
    vfs.unlink(ROOT, b"/tmp/f", USER).unwrap();
    assert_eq!(vfs.resolve(ROOT, b"/tmp/f", USER), Err(Errno::ENOENT));
    assert_eq!(read_all(&vfs, ino), b"data");
    assert_eq!(vfs.stat(ino).unwrap().st_nlink, 0);
    let count = vfs.inode_count();
    vfs.unpin(ino);
    assert_eq!(vfs.inode_count(), count - 1);
    assert!(vfs.node(ino).is_err());
}

#[test]
fn unlink_of_a_directory_is_eisdir() {
    let mut vfs = Vfs::new();
    assert_eq!(
        vfs.unlink(ROOT, b"/tmp", Identity::ROOT),
        Err(Errno::EISDIR)
    );
    assert_eq!(vfs.unlink(ROOT, b"/", Identity::ROOT), Err(Errno::EISDIR));
    assert_eq!(
        vfs.unlink(ROOT, b"/tmp/none", Identity::ROOT),
        Err(Errno::ENOENT)
    );
}

#[test]
fn unlink_in_a_sticky_directory_needs_ownership() {
    let mut vfs = Vfs::new();
    vfs.open(ROOT, b"/tmp/mine", O_CREAT | O_WRONLY, 0o666, USER)
        .unwrap();
    assert_eq!(vfs.unlink(ROOT, b"/tmp/mine", OTHER), Err(Errno::EPERM));
    assert_eq!(vfs.unlink(ROOT, b"/tmp/mine", USER), Ok(()));
}

#[test]
fn unlink_without_write_permission_on_the_directory_is_eacces() {
    let mut vfs = Vfs::new();
    vfs.install_file(b"/etc/f", b"", 0o666, 1000, 1000).unwrap();
    assert_eq!(vfs.unlink(ROOT, b"/etc/f", USER), Err(Errno::EACCES));
    assert!(vfs.resolve(ROOT, b"/etc/f", USER).is_ok());
}

#[test]
fn rmdir_rules_for_dot_dotdot_root_and_non_empty() {
    let mut vfs = Vfs::new();
    vfs.mkdir(ROOT, b"/tmp/d", 0o755, USER).unwrap();
    vfs.install_file(b"/tmp/d/f", b"", 0o644, 1000, 1000)
        .unwrap();
    assert_eq!(vfs.rmdir(ROOT, b"/tmp/d", USER), Err(Errno::ENOTEMPTY));
    assert_eq!(vfs.rmdir(ROOT, b"/tmp/d/.", USER), Err(Errno::EINVAL));
    assert_eq!(vfs.rmdir(ROOT, b"/tmp/d/..", USER), Err(Errno::ENOTEMPTY));
    assert_eq!(vfs.rmdir(ROOT, b"/", Identity::ROOT), Err(Errno::EBUSY));
    assert_eq!(vfs.rmdir(ROOT, b"/tmp/d/f", USER), Err(Errno::ENOTDIR));
    vfs.unlink(ROOT, b"/tmp/d/f", USER).unwrap();
    let links = vfs.stat_path(ROOT, b"/tmp", USER).unwrap().st_nlink;
    assert_eq!(vfs.rmdir(ROOT, b"/tmp/d", USER), Ok(()));
    assert_eq!(
        vfs.stat_path(ROOT, b"/tmp", USER).unwrap().st_nlink,
        links - 1
    );
}

#[test]
fn a_removed_directory_accepts_no_new_entries() {
    let mut vfs = Vfs::new();
    let d = vfs.mkdir(ROOT, b"/tmp/d", 0o777, USER).unwrap();
    vfs.pin(d).unwrap();
    vfs.rmdir(ROOT, b"/tmp/d", USER).unwrap();
    assert_eq!(
        vfs.open(d, b"f", O_CREAT | O_WRONLY, 0o644, USER),
        Err(Errno::ENOENT)
    );
    assert_eq!(vfs.path_of(d), Err(Errno::ENOENT));
}

#[test]
fn chmod_needs_owner_or_root_and_keeps_setid_bits() {
    let mut vfs = Vfs::new();
    let ino = vfs.install_file(b"/tmp/f", b"", 0o644, 1000, 1000).unwrap();
    assert_eq!(vfs.chmod(ROOT, b"/tmp/f", 0o777, OTHER), Err(Errno::EPERM));
    vfs.chmod(ROOT, b"/tmp/f", S_ISUID | S_ISGID | 0o755, USER)
        .unwrap();
    assert_eq!(
        vfs.stat(ino).unwrap().st_mode,
        S_IFREG | S_ISUID | S_ISGID | 0o755
    );
    vfs.chmod(ROOT, b"/tmp/f", 0o600, Identity::ROOT).unwrap();
    assert_eq!(vfs.stat(ino).unwrap().st_mode, S_IFREG | 0o600);
}

#[test]
fn chmod_by_an_owner_outside_the_group_drops_set_group_id() {
    let mut vfs = Vfs::new();
    let ino = vfs.install_file(b"/tmp/f", b"", 0o644, 1000, 50).unwrap();
    vfs.chmod_ino(ino, S_ISGID | 0o755, USER).unwrap();
    assert_eq!(vfs.stat(ino).unwrap().st_mode, S_IFREG | 0o755);
}

#[test]
fn access_uses_the_given_ids_and_rejects_unknown_bits() {
    let mut vfs = Vfs::new();
    vfs.install_file(b"/tmp/f", b"", 0o640, 1000, 1000).unwrap();
    use shim_abi::access::{F_OK, R_OK, W_OK, X_OK};
    assert_eq!(vfs.access(ROOT, b"/tmp/f", R_OK | W_OK, USER), Ok(()));
    assert_eq!(vfs.access(ROOT, b"/tmp/f", R_OK, OTHER), Err(Errno::EACCES));
    assert_eq!(vfs.access(ROOT, b"/tmp/f", F_OK, OTHER), Ok(()));
    assert_eq!(
        vfs.access(ROOT, b"/tmp/f", X_OK, Identity::ROOT),
        Err(Errno::EACCES)
    );
    assert_eq!(vfs.access(ROOT, b"/tmp/f", 8, USER), Err(Errno::EINVAL));
    assert_eq!(
        vfs.access(ROOT, b"/tmp/none", F_OK, USER),
        Err(Errno::ENOENT)
    );
}

#[test]
fn exec_target_must_be_an_executable_regular_file() {
    let mut vfs = Vfs::new();
    vfs.install_file(b"/bin/a", b"", 0o755, 0, 0).unwrap();
    vfs.install_file(b"/bin/b", b"", 0o644, 0, 0).unwrap();
    assert!(vfs.exec_target(ROOT, b"/bin/a", USER).is_ok());
    assert_eq!(vfs.exec_target(ROOT, b"/bin/b", USER), Err(Errno::EACCES));
    assert_eq!(
        vfs.exec_target(ROOT, b"/bin/b", Identity::ROOT),
        Err(Errno::EACCES)
    );
    assert_eq!(
        vfs.exec_target(ROOT, b"/bin", Identity::ROOT),
        Err(Errno::EACCES)
    );
    assert_eq!(vfs.exec_target(ROOT, b"/bin/c", USER), Err(Errno::ENOENT));
}

#[test]
fn chdir_target_needs_a_searchable_directory() {
    let mut vfs = Vfs::new();
    let d = vfs.mkdir(ROOT, b"/tmp/d", 0o700, OTHER).unwrap();
    assert_eq!(vfs.chdir_target(ROOT, b"/tmp/d", USER), Err(Errno::EACCES));
    assert_eq!(
        vfs.chdir_target(ROOT, b"/dev/null", USER),
        Err(Errno::ENOTDIR)
    );
    assert_eq!(vfs.chdir_target(ROOT, b"/tmp/d", OTHER), Ok(d));
}

#[test]
fn path_of_names_a_directory_from_the_root() {
    let mut vfs = Vfs::new();
    let d = vfs.mkdir(ROOT, b"/tmp/d", 0o755, USER).unwrap();
    assert_eq!(vfs.path_of(d).unwrap(), b"/tmp/d");
    assert_eq!(vfs.path_of(ROOT).unwrap(), b"/");
}

#[test]
fn rename_moves_a_file_and_replaces_an_existing_file() {
    let mut vfs = Vfs::new();
    let a = vfs
        .install_file(b"/tmp/a", b"A", 0o644, 1000, 1000)
        .unwrap();
    vfs.install_file(b"/tmp/b", b"B", 0o644, 1000, 1000)
        .unwrap();
    let count = vfs.inode_count();
    assert_eq!(vfs.rename(ROOT, b"/tmp/a", ROOT, b"/tmp/b", USER), Ok(()));
    assert_eq!(vfs.resolve(ROOT, b"/tmp/a", USER), Err(Errno::ENOENT));
    assert_eq!(vfs.resolve(ROOT, b"/tmp/b", USER), Ok(a));
    assert_eq!(read_all(&vfs, a), b"A");
    assert_eq!(vfs.inode_count(), count - 1, "the replaced file is freed");
    assert_eq!(vfs.rename(ROOT, b"/tmp/b", ROOT, b"/tmp/b", USER), Ok(()));
    assert_eq!(vfs.resolve(ROOT, b"/tmp/b", USER), Ok(a));
}

#[test]
fn rename_of_a_directory_updates_links_and_parent() {
    let mut vfs = Vfs::new();
    vfs.mkdir(ROOT, b"/tmp/x", 0o755, USER).unwrap();
    vfs.mkdir(ROOT, b"/tmp/y", 0o755, USER).unwrap();
    let d = vfs.mkdir(ROOT, b"/tmp/x/d", 0o755, USER).unwrap();
    let links = |vfs: &Vfs, p: &[u8]| vfs.stat_path(ROOT, p, USER).unwrap().st_nlink;
    let (x, y) = (links(&vfs, b"/tmp/x"), links(&vfs, b"/tmp/y"));
    assert_eq!(
        vfs.rename(ROOT, b"/tmp/x/d", ROOT, b"/tmp/y/e/", USER),
        Ok(())
    );
    assert_eq!(links(&vfs, b"/tmp/x"), x - 1);
    assert_eq!(links(&vfs, b"/tmp/y"), y + 1);
    assert_eq!(
        vfs.resolve(ROOT, b"/tmp/y/e/..", USER),
        vfs.resolve(ROOT, b"/tmp/y", USER)
    );
    assert_eq!(vfs.path_of(d).unwrap(), b"/tmp/y/e");
}

#[test]
fn rename_errors_follow_posix() {
    let mut vfs = Vfs::new();
    vfs.mkdir(ROOT, b"/tmp/d", 0o755, USER).unwrap();
    vfs.mkdir(ROOT, b"/tmp/d/sub", 0o755, USER).unwrap();
    vfs.mkdir(ROOT, b"/tmp/full", 0o755, USER).unwrap();
    vfs.install_file(b"/tmp/full/f", b"", 0o644, 1000, 1000)
        .unwrap();
    vfs.install_file(b"/tmp/f", b"", 0o644, 1000, 1000).unwrap();
    let r = |vfs: &mut Vfs, a: &[u8], b: &[u8]| vfs.rename(ROOT, a, ROOT, b, USER);
    assert_eq!(r(&mut vfs, b"/tmp/none", b"/tmp/x"), Err(Errno::ENOENT));
    assert_eq!(r(&mut vfs, b"/tmp/f", b"/tmp/none/x"), Err(Errno::ENOENT));
    assert_eq!(r(&mut vfs, b"/tmp/f/x", b"/tmp/x"), Err(Errno::ENOTDIR));
    assert_eq!(r(&mut vfs, b"/tmp/f/", b"/tmp/x"), Err(Errno::ENOTDIR));
    assert_eq!(r(&mut vfs, b"/tmp/f", b"/tmp/x/"), Err(Errno::ENOTDIR));
    assert_eq!(r(&mut vfs, b"/tmp/d", b"/tmp/f"), Err(Errno::ENOTDIR));
    assert_eq!(r(&mut vfs, b"/tmp/f", b"/tmp/d"), Err(Errno::EISDIR));
    assert_eq!(r(&mut vfs, b"/tmp/d", b"/tmp/full"), Err(Errno::ENOTEMPTY));
    assert_eq!(r(&mut vfs, b"/tmp/d", b"/tmp/d/sub/in"), Err(Errno::EINVAL));
    assert_eq!(r(&mut vfs, b"/tmp/d", b"/tmp/d/in"), Err(Errno::EINVAL));
    assert_eq!(r(&mut vfs, b"/tmp/d/.", b"/tmp/x"), Err(Errno::EINVAL));
    assert_eq!(r(&mut vfs, b"/tmp/f", b"/tmp/d/.."), Err(Errno::EINVAL));
    assert_eq!(r(&mut vfs, b"/", b"/tmp/x"), Err(Errno::EBUSY));
    // Nothing moved.
    assert!(vfs.resolve(ROOT, b"/tmp/d/sub", USER).is_ok());
    assert!(vfs.resolve(ROOT, b"/tmp/f", USER).is_ok());
    // An empty directory target is replaced.
    assert_eq!(r(&mut vfs, b"/tmp/d/sub", b"/tmp/d2"), Ok(()));
    vfs.mkdir(ROOT, b"/tmp/empty", 0o755, USER).unwrap();
    assert_eq!(r(&mut vfs, b"/tmp/d2", b"/tmp/empty"), Ok(()));
    assert_eq!(vfs.resolve(ROOT, b"/tmp/d2", USER), Err(Errno::ENOENT));
}

#[test]
fn rename_needs_write_permission_and_obeys_the_sticky_bit() {
    let mut vfs = Vfs::new();
    vfs.install_file(b"/etc/f", b"", 0o666, 1000, 1000).unwrap();
    assert_eq!(
        vfs.rename(ROOT, b"/etc/f", ROOT, b"/tmp/f", USER),
        Err(Errno::EACCES)
    );
    vfs.open(ROOT, b"/tmp/other", O_CREAT | O_WRONLY, 0o666, OTHER)
        .unwrap();
    vfs.open(ROOT, b"/tmp/mine", O_CREAT | O_WRONLY, 0o666, USER)
        .unwrap();
    assert_eq!(
        vfs.rename(ROOT, b"/tmp/other", ROOT, b"/tmp/x", USER),
        Err(Errno::EPERM)
    );
    assert_eq!(
        vfs.rename(ROOT, b"/tmp/mine", ROOT, b"/tmp/other", USER),
        Err(Errno::EPERM)
    );
    assert_eq!(
        vfs.rename(ROOT, b"/tmp/mine", ROOT, b"/tmp/x", USER),
        Ok(())
    );
}

#[test]
fn set_len_cuts_and_extends_with_zeros() {
    let mut vfs = Vfs::new();
    let f = vfs
        .install_file(b"/tmp/f", b"abcdef", 0o644, 1000, 1000)
        .unwrap();
    assert_eq!(vfs.set_len(f, 3), Ok(()));
    assert_eq!(read_all(&vfs, f), b"abc");
    assert_eq!(vfs.set_len(f, 5), Ok(()));
    assert_eq!(read_all(&vfs, f), b"abc\0\0");
    assert_eq!(vfs.set_len(f, MAX_FILE_SIZE + 1), Err(Errno::EFBIG));
    assert_eq!(vfs.set_len(ROOT, 0), Err(Errno::EISDIR));
    let null = vfs.resolve(ROOT, b"/dev/null", USER).unwrap();
    assert_eq!(vfs.set_len(null, 0), Err(Errno::EINVAL));
    assert_eq!(
        vfs.truncate_path(ROOT, b"/tmp/f", 1, OTHER),
        Err(Errno::EACCES)
    );
    assert_eq!(vfs.truncate_path(ROOT, b"/tmp/f", 1, USER), Ok(()));
    assert_eq!(
        vfs.truncate_path(ROOT, b"/tmp", 1, USER),
        Err(Errno::EISDIR)
    );
}

#[test]
fn content_version_changes_with_every_change_of_the_bytes_and_only_then() {
    let mut vfs = Vfs::new();
    let f = vfs
        .install_file(b"/tmp/f", b"abcdef", 0o644, 1000, 1000)
        .unwrap();
    let g = vfs
        .install_file(b"/tmp/g", b"abcdef", 0o644, 1000, 1000)
        .unwrap();
    let mut seen = vec![vfs.content_version(f).unwrap()];
    assert_ne!(vfs.content_version(g).unwrap(), seen[0], "two files");

    let mut buf = [0; 6];
    assert_eq!(vfs.read_at(f, 0, &mut buf), Ok(6));
    vfs.node_mut(f).unwrap().perm = 0o600;
    assert_eq!(vfs.content_version(f).unwrap(), seen[0], "read, chmod");

    assert_eq!(vfs.write_at(f, 1, b"x"), Ok(1));
    seen.push(vfs.content_version(f).unwrap());
    assert_eq!(vfs.set_len(f, 2), Ok(()));
    seen.push(vfs.content_version(f).unwrap());
    assert_eq!(vfs.truncate(f), Ok(()));
    seen.push(vfs.content_version(f).unwrap());
    assert_eq!(vfs.unlink(ROOT, b"/tmp/f", USER), Ok(()));
    let h = vfs
        .install_file(b"/tmp/h", b"abcdef", 0o644, 1000, 1000)
        .unwrap();
    seen.push(vfs.content_version(h).unwrap());
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "versions {seen:?}");
    assert_eq!(vfs.write_at(ROOT, 0, b"x"), Err(Errno::EISDIR));
}

#[test]
fn growing_a_file_runs_the_work_step_between_bounded_steps() {
    use core::sync::atomic::{AtomicUsize, Ordering};
    static STEPS: AtomicUsize = AtomicUsize::new(0);
    fn count() {
        STEPS.fetch_add(1, Ordering::Relaxed);
    }
    let mut vfs = Vfs::new();
    vfs.set_work_step(count);
    let ino = vfs.install_file(b"/tmp/big", b"", 0o644, 0, 0).unwrap();
    vfs.set_len(ino, (10 * GROW_STEP) as u64).unwrap();
    assert_eq!(STEPS.load(Ordering::Relaxed), 10);
    assert!(read_all(&vfs, ino).iter().all(|&b| b == 0));
    let bytes = vec![7u8; 3 * GROW_STEP];
    assert_eq!(
        vfs.write_at(ino, 20 * GROW_STEP as u64, &bytes),
        Ok(bytes.len())
    );
    // Thirteen steps of growth to the write's end, then three of copying.
    assert_eq!(STEPS.load(Ordering::Relaxed), 26);
    let data = read_all(&vfs, ino);
    assert_eq!(data.len(), 23 * GROW_STEP);
    assert!(data[..20 * GROW_STEP].iter().all(|&b| b == 0));
    assert!(data[20 * GROW_STEP..].iter().all(|&b| b == 7));
}
