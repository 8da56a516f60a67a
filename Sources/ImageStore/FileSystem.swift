import CWharfLaunch
import LinuxHost
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Thin wrappers over the file-system calls the store needs, each turning a failure into an
/// `ImageStoreError.system` that names the step, path, call and errno.
enum FileSystem {
    /// Sets extended attribute `name` on the open file `fd`.
    static func setXattr(fd: Int32, name: String, value: [UInt8], step: String, path: String) throws(ImageStoreError) {
        let rc = value.withUnsafeBytes { raw in wharf_fsetxattr(fd, name, raw.baseAddress, raw.count, 0) }
        guard rc == 0 else { throw .syscall(step, path: path, call: "fsetxattr(\(name))") }
    }

    /// Reads extended attribute `name` of the open file `fd`; nil when it is not set.
    static func getXattr(fd: Int32, name: String) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { wharf_fgetxattr(fd, name, $0.baseAddress, $0.count) }
        return n >= 0 ? Array(buffer[0..<n]) : nil
    }

    /// `lstat`, or nil when nothing is at `path`.
    static func lstatIfExists(_ path: String, step: String) throws(ImageStoreError) -> stat? {
        var info = stat()
        if lstat(path, &info) == 0 { return info }
        if errno == ENOENT { return nil }
        throw .syscall(step, path: path, call: "lstat")
    }

    static func exists(_ path: String) -> Bool { LinuxHost.FileSystem.exists(path) }

    /// Creates `path` and any missing parents (like `mkdir -p`).
    static func makeDirectories(_ path: String, mode: mode_t = 0o755, step: String) throws(ImageStoreError) {
        do {
            try LinuxHost.FileSystem.makeDirectories(path, mode: mode)
        } catch {
            throw ImageStoreError(error, step: step, path: path)
        }
    }

    /// Creates a fresh, uniquely named directory inside `parent`.
    static func makeTemporaryDirectory(in parent: String, prefix: String, step: String) throws(ImageStoreError) -> String {
        var template = Array((parent + "/" + prefix + "XXXXXX").utf8CString)
        let result = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard result != nil else { throw .syscall(step, path: parent, call: "mkdtemp") }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Reads a whole (small) file, such as a JSON document.
    static func readFile(_ path: String, step: String) throws(ImageStoreError) -> [UInt8] {
        let input = try FileInputStream(path: path, step: step)
        var result: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 8)
        defer { chunk.deallocate() }
        while true {
            let n = try input.read(into: chunk)
            if n == 0 { return result }
            result.append(contentsOf: chunk[0..<n])
        }
    }

    /// Writes all of `bytes` to `fd`.
    static func writeAll(fd: Int32, _ bytes: UnsafeRawBufferPointer, step: String, path: String) throws(ImageStoreError) {
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw .syscall(step, path: path, call: "write")
            }
            offset += n
        }
    }

    /// Writes `bytes` to `path` so that readers see either the old file or the whole new
    /// one: write a temp file beside it, fsync, rename over, fsync the directory.
    static func writeAtomically(_ bytes: [UInt8], to path: String, step: String) throws(ImageStoreError) {
        let temp = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .syscall(step, path: temp, call: "open") }
        // Write without a throwing closure so the error type stays ImageStoreError.
        var failure: ImageStoreError?
        bytes.withUnsafeBytes { raw in
            do throws(ImageStoreError) { try writeAll(fd: fd, raw, step: step, path: temp) } catch { failure = error }
        }
        if failure == nil && fsync(fd) != 0 { failure = .syscall(step, path: temp, call: "fsync") }
        close(fd)
        if let failure {
            unlink(temp)
            throw failure
        }
        do throws(ImageStoreError) {
            try rename(temp, to: path, step: step)
        } catch {
            unlink(temp)
            throw error
        }
    }

    /// `rename(2)`, then fsync of the destination directory so the new name is durable.
    static func rename(_ from: String, to: String, step: String) throws(ImageStoreError) {
        guard Glibc.rename(from, to) == 0 else { throw .syscall(step, path: to, call: "rename") }
        syncDirectory(containing: to)
    }

    /// Best-effort fsync of the directory holding `path` (durability, not correctness).
    static func syncDirectory(containing path: String) {
        let parent = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let fd = open(parent.isEmpty ? "/" : parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    /// Removes `path` and everything below it without following symlinks. Missing is fine.
    static func removeTree(_ path: String, step: String) throws(ImageStoreError) {
        do {
            try LinuxHost.FileSystem.removeTree(path)
        } catch {
            throw ImageStoreError(error, step: step, path: path)
        }
    }

    /// Removes `name` inside the open directory `parent` (see `LinuxHost.FileSystem.removeTree(in:name:path:)`).
    static func removeTree(at parent: Int32, name: String, step: String, path: String) throws(ImageStoreError) {
        do {
            try LinuxHost.FileSystem.removeTree(in: parent, name: name, path: path)
        } catch {
            throw ImageStoreError(error, step: step, path: path)
        }
    }

    /// Names in directory `path` (without `.` and `..`), sorted; empty when it does not exist.
    static func listDirectory(_ path: String) -> [String] {
        ((try? LinuxHost.FileSystem.listDirectory(path)) ?? []).sorted()
    }
}

extension ImageStoreError {
    /// The store's form of a `LinuxHost` failure: the store's step, the path, and the call and
    /// errno that failed.
    init(_ error: SystemError, step: String, path: String) {
        self = .system(step: step, path: path, call: error.call, errno: error.errno)
    }
}
