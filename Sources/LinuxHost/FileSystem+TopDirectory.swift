#if canImport(Glibc)
import Glibc
#endif

extension FileSystem {
    /// `FS_IOC_GETFLAGS` and `FS_IOC_SETFLAGS` (linux/fs.h, `_IOR('f', 1, long)` and
    /// `_IOW('f', 2, long)`; the kernel reads and writes an `int` through them all the same).
    private static let getInodeFlagsRequest: UInt = 0x8008_6601
    private static let setInodeFlagsRequest: UInt = 0x4008_6602
    /// `FS_TOPDIR_FL`: the directory is the top of a directory hierarchy.
    private static let topDirectoryFlag: Int32 = 0x0002_0000

    /// Sets or clears the top-of-a-hierarchy flag of the directory `path` (`FS_TOPDIR_FL`,
    /// what `chattr +T` and `chattr -T` do). With it, ext2/3/4 puts each directory made in
    /// `path` in a block group of its own choosing (Orlov's allocator, as for directories made at
    /// a filesystem's root) instead of next to `path`.
    ///
    /// Wharf once set it on its tasks directory, so that thousands of freshly freed inodes in one
    /// block group did not make each new inode's search long on a journal-less ext4. With the
    /// tasks' records on tmpfs, few inodes come and go on disk per task, and the flag only makes
    /// each task's first directory cost a block group search (0.8 ms on a busy disk against
    /// 0.05 ms): the runtime clears it where an earlier version set it.
    ///
    /// A hint, never a requirement: nothing is reported where it cannot be changed.
    ///
    /// - Returns: whether the directory's flag is `on` now (`false` on filesystems without
    ///   it, such as tmpfs, or when `path` cannot be opened).
    @discardableResult
    public static func setTopDirectoryFlag(_ path: String, on: Bool) -> Bool {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var flags: Int32 = 0
        guard ioctl(fd, getInodeFlagsRequest, &flags) == 0 else { return false }
        if (flags & topDirectoryFlag != 0) == on { return true }
        flags = on ? flags | topDirectoryFlag : flags & ~topDirectoryFlag
        return ioctl(fd, setInodeFlagsRequest, &flags) == 0
    }
}
