import CWharfLaunch

#if canImport(Glibc)
import Glibc
#endif

extension FileSystem {
    /// `TMPFS_MAGIC` and `RAMFS_MAGIC` (linux/magic.h): the `f_type` of filesystems kept in
    /// memory, which a reboot empties.
    private static let inMemoryFilesystemTypes: Set<Int> = [0x0102_1994, 0x8584_58F6]

    /// Whether `path` lies on a filesystem kept in memory (tmpfs or ramfs).
    public static func isInMemory(_ path: String) throws(SystemError) -> Bool {
        var type = 0
        guard wharf_filesystem_type(path, &type) == 0 else {
            throw SystemError.current(step: "find the filesystem of \(path)", call: "statfs")
        }
        return inMemoryFilesystemTypes.contains(type)
    }

    /// Mounts a new tmpfs on the directory `path`, without set-user-ID programs, devices or
    /// executables, its root directory with `mode` (the mount's `mode=` option).
    public static func mountTmpfs(at path: String, source: String, mode: mode_t) throws(SystemError) {
        let flags = UInt(MS_NOSUID) | UInt(MS_NODEV) | UInt(MS_NOEXEC)
        let options = "mode=0" + String(mode, radix: 8)
        guard mount(source, path, "tmpfs", flags, options) == 0 else {
            throw SystemError.current(step: "mount a tmpfs on \(path)", call: "mount")
        }
    }

    /// The first entry below the directory `path` that is not a directory itself (its path), or
    /// nil when there are only directories (or nothing) there; symbolic links count as entries
    /// and are not followed. Gives up (returning `path` itself) past `limit` entries, so a tree
    /// too big to look through counts as holding something.
    public static func firstNonDirectory(below path: String, limit: Int = 10_000) throws(SystemError) -> String? {
        var pending = [path]
        var seen = 0
        while let directory = pending.popLast() {
            for name in try listDirectory(directory) {
                seen += 1
                if seen > limit { return path }
                let child = directory + "/" + name
                var info = stat()
                guard lstat(child, &info) == 0 else {
                    if errno == ENOENT { continue }
                    throw SystemError.current(step: "look at \(child)", call: "lstat")
                }
                guard info.st_mode & S_IFMT == S_IFDIR else { return child }
                pending.append(child)
            }
        }
        return nil
    }
}
