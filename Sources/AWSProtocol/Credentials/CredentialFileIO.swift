import Glibc

/// The file operations of the credential store, on raw descriptors so every failure names
/// its system call and errno.
enum CredentialFileIO {
    /// Permission bits of a credentials file: the secret is readable by its owner only.
    static let fileMode: mode_t = 0o600
    /// Largest credentials file read; far above any real one, it bounds a mistaken path.
    static let maximumFileSize = 1 << 20

    /// The whole file as text.
    static func read(path: String) throws(CredentialStoreError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .system(step: "open credentials", call: "open", path: path, errno: errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .system(step: "read credentials", call: "read", path: path, errno: errno)
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            guard bytes.count <= maximumFileSize else {
                throw .system(step: "read credentials", call: "read", path: path, errno: EFBIG)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Creates `path` holding `text` with mode 0600, atomically and without replacing a file
    /// that exists: the text goes to a temporary file in the same directory, which is
    /// flushed and then hard-linked to `path` (`link` fails with `EEXIST` rather than
    /// overwrite). Returns `false` when `path` already existed (another process won).
    static func createExclusively(path: String, text: String, randomSuffix: String) throws(CredentialStoreError) -> Bool {
        let temporary = "\(path).tmp-\(randomSuffix)"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, fileMode)
        guard fd >= 0 else { throw .system(step: "create credentials", call: "open", path: temporary, errno: errno) }
        // The temporary name goes in every case: once linked, `path` holds the file.
        defer {
            close(fd)
            unlink(temporary)
        }
        // The umask may have cleared bits of 0600 but never adds any; set the mode exactly.
        guard fchmod(fd, fileMode) == 0 else {
            throw .system(step: "create credentials", call: "fchmod", path: temporary, errno: errno)
        }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress.map { $0 + written }, bytes.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .system(step: "write credentials", call: "write", path: temporary, errno: errno)
            }
            written += count
        }
        guard fsync(fd) == 0 else { throw .system(step: "flush credentials", call: "fsync", path: temporary, errno: errno) }
        if link(temporary, path) != 0 {
            if errno == EEXIST { return false }
            throw .system(step: "publish credentials", call: "link", path: path, errno: errno)
        }
        syncDirectory(of: path)
        return true
    }

    /// Flushes the directory entry of `path` so the new name survives a crash. Best effort:
    /// the file itself is already durable and a failure here leaves nothing inconsistent.
    private static func syncDirectory(of path: String) {
        let directory: String
        if let slash = path.lastIndex(of: "/") {
            directory = slash == path.startIndex ? "/" : String(path[..<slash])
        } else {
            directory = "."
        }
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}
