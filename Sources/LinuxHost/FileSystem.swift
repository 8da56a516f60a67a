import CWharfLaunch

#if canImport(Glibc)
import Glibc
#endif

/// Small, Foundation-free file helpers used on the launch path and by the supervisor.
///
/// They are thin on purpose: each one is a couple of system calls with the step named in the
/// error, so a failure says which file and which call.
public enum FileSystem {
    /// Reads a whole (small) file, such as a cgroup or procfs file.
    public static func read(_ path: String) throws(SystemError) -> String {
        let fd = try retryingOnInterrupt(step: "open \(path)", call: "open") { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(fd) }
        return try read(descriptor: fd, name: path, from: nil)
    }

    /// Reads what `fd` holds from `offset` (with pread, leaving the descriptor's own offset
    /// alone, which a descriptor passed from another process shares), or from where it stands
    /// when `offset` is nil, to the end. `name` names it in errors.
    public static func read(descriptor fd: Int32, name: String, from offset: Int? = 0) throws(SystemError) -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = try retryingOnInterrupt(step: "read \(name)", call: offset == nil ? "read" : "pread") {
                buffer.withUnsafeMutableBytes {
                    if let offset { pread(fd, $0.baseAddress, $0.count, off_t(offset + bytes.count)) } else { Glibc.read(fd, $0.baseAddress, $0.count) }
                }
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads a file, or returns `nil` when it does not exist.
    public static func readIfPresent(_ path: String) throws(SystemError) -> String? {
        do {
            return try read(path)
        } catch where error.errno == ENOENT {
            return nil
        }
    }

    /// Writes `contents` at the start of `path` in one `write`, without truncating or replacing
    /// the file. Cgroup files need the single write; small fixed-width files rewritten often
    /// (where readers tolerate a torn read and no directory entry should change) need the rest.
    ///
    /// - Parameter createMode: when given, a missing file is created with this mode; without
    ///   it, a missing file is an error (ENOENT), as cgroup control files need.
    public static func writeInPlace(_ path: String, _ contents: String, createMode: mode_t? = nil) throws(SystemError) {
        let fd = try retryingOnInterrupt(step: "open \(path) for writing", call: "open") {
            if let createMode { open(path, O_WRONLY | O_CREAT | O_CLOEXEC, createMode) } else { open(path, O_WRONLY | O_CLOEXEC) }
        }
        defer { close(fd) }
        let bytes = Array(contents.utf8)
        let written = try retryingOnInterrupt(step: "write '\(contents)' to \(path)", call: "write") {
            bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        }
        if written != bytes.count {
            throw SystemError(step: "write '\(contents)' to \(path): short write", call: "write", errno: EIO)
        }
    }

    /// Creates or replaces a file atomically: writes a temporary sibling, then renames it over `path`.
    public static func writeAtomically(_ path: String, _ contents: String, mode: mode_t = 0o644) throws(SystemError) {
        let temporary = path + ".tmp.\(getpid())"
        let fd = try retryingOnInterrupt(step: "create \(temporary)", call: "open") {
            open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        }
        do {
            try writeAll(fd, Array(contents.utf8), step: "write \(temporary)")
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        if rename(temporary, path) != 0 {
            let failure = SystemError.current(step: "rename \(temporary) to \(path)", call: "rename")
            unlink(temporary)
            throw failure
        }
    }

    /// Creates a file that must not exist yet (`O_EXCL`); returns `false` when it already exists.
    /// This is the primitive behind allocations that must never be handed out twice.
    public static func createExclusive(_ path: String, _ contents: String) throws(SystemError) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 {
            if errno == EEXIST { return false }
            throw SystemError.current(step: "create \(path)", call: "open")
        }
        defer { close(fd) }
        try writeAll(fd, Array(contents.utf8), step: "write \(path)")
        return true
    }

    /// Appends `contents` to `path` (created if missing) in one `write`, so concurrent readers
    /// of an append-only log never see half of it.
    public static func append(_ path: String, _ contents: String) throws(SystemError) {
        let fd = try retryingOnInterrupt(step: "open \(path) for appending", call: "open") {
            open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        }
        defer { close(fd) }
        try writeAll(fd, Array(contents.utf8), step: "append to \(path)")
    }

    /// Writes every byte of `bytes` to `fd`.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], step: String) throws(SystemError) {
        try bytes.withUnsafeBufferPointer { (buffer) throws(SystemError) in try writeAll(fd, buffer, step: step) }
    }

    /// Writes every byte of `bytes` to `fd`.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeBufferPointer<UInt8>, step: String) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let written = try retryingOnInterrupt(step: step, call: "write") {
                Glibc.write(fd, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
            }
            offset += written
        }
    }

    /// `mkdir -p`: creates `path` and its missing parents.
    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(SystemError) {
        if mkdir(path, mode) == 0 || errno == EEXIST { return }
        guard errno == ENOENT else { throw SystemError.current(step: "create directory \(path)", call: "mkdir") }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try makeDirectories(String(path[..<slash]), mode: mode)
        }
        if mkdir(path, mode) != 0 && errno != EEXIST {
            throw SystemError.current(step: "create directory \(path)", call: "mkdir")
        }
    }

    /// Whether something exists at `path` (without following a final symlink).
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Removes a file or empty directory; a missing path is not an error.
    public static func removeIfPresent(_ path: String) throws(SystemError) {
        if unlink(path) == 0 || errno == ENOENT { return }
        if errno == EISDIR, rmdir(path) == 0 || errno == ENOENT { return }
        throw SystemError.current(step: "remove \(path)", call: "unlink")
    }

    /// Names in a directory (without `.` and `..`); an empty list when the directory is missing.
    public static func listDirectory(_ path: String) throws(SystemError) -> [String] {
        guard let directory = opendir(path) else {
            if errno == ENOENT { return [] }
            throw SystemError.current(step: "list \(path)", call: "opendir")
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// `rm -rf`: removes `path` and everything below it. Directories are walked through
    /// descriptors (`O_NOFOLLOW`), so a symlink is removed, never followed, even if one is swapped
    /// in during the walk; a mount point below is detached first, so a bind-mounted host
    /// directory is never emptied by accident. A missing path is not an error.
    public static func removeTree(_ path: String) throws(SystemError) {
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        let parentPath = components.dropLast().joined(separator: "/")
        let name = String(components.last ?? "")
        let parent = open(parentPath.isEmpty ? (path.hasPrefix("/") ? "/" : ".") : parentPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if parent < 0 {
            if errno == ENOENT { return }
            throw SystemError.current(step: "remove \(path)", call: "open parent")
        }
        defer { close(parent) }
        try removeTree(in: parent, name: name, path: path)
    }

    /// Removes `name` inside the open directory `parent` and everything below it (see
    /// `removeTree(_:)`); `path` is its full path, for errors and for detaching mounts.
    public static func removeTree(in parent: Int32, name: String, path: String) throws(SystemError) {
        if unlinkat(parent, name, 0) == 0 { return }
        switch errno {
        case ENOENT: return
        case EISDIR, EPERM: break  // Linux reports EISDIR for a directory; POSIX allows EPERM.
        default: throw SystemError.current(step: "remove \(path)", call: "unlinkat")
        }
        // A mount point (a bind mount, possibly stacked): detach every layer first, so what
        // is removed is the directory beneath, never the mounted content.
        var layers = 0
        while isMountPoint(name, in: parent), layers < 16, umount2(path, Int32(MNT_DETACH)) == 0 {
            layers += 1
        }
        let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return }
            throw SystemError.current(step: "remove \(path)", call: "openat")
        }
        guard let directory = fdopendir(fd) else {
            close(fd)
            throw SystemError.current(step: "remove \(path)", call: "fdopendir")
        }
        defer { closedir(directory) }
        var children: [String] = []
        while let entry = readdir(directory) {
            let child = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if child != "." && child != ".." { children.append(child) }
        }
        for child in children {
            try removeTree(in: dirfd(directory), name: child, path: path + "/" + child)
        }
        guard unlinkat(parent, name, AT_REMOVEDIR) == 0 || errno == ENOENT else {
            throw SystemError.current(step: "remove directory \(path)", call: "unlinkat(AT_REMOVEDIR)")
        }
    }

    /// Whether `name` in directory `parent` is on another mount than `parent` (a mount point).
    private static func isMountPoint(_ name: String, in parent: Int32) -> Bool {
        var parentMount: UInt64 = 0
        var childMount: UInt64 = 0
        guard wharf_mount_id(parent, "", &parentMount) == 0, wharf_mount_id(parent, name, &childMount) == 0 else {
            return false
        }
        return parentMount != childMount
    }
}
