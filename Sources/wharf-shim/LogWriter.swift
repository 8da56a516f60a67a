import LinuxHost

#if canImport(Glibc)
import Glibc
#endif

/// Copies a container's output from its pipe into a size-capped, rotated log file.
///
/// `NAME.log` is the live file; when it would grow past `maxBytes` it becomes `NAME.log.1`
/// (older ones shift up to `NAME.log.N`, the oldest dropped), as Docker's json-file driver
/// rotates. The pipe is non-blocking and read only when poll says so.
final class LogWriter {
    let path: String
    let maxBytes: Int
    let maxFiles: Int
    /// Read end of the container's stdout/stderr pipe; -1 once closed.
    private(set) var pipeFD: Int32
    private var fileFD: Int32
    private var size: Int
    private var buffer = [UInt8](repeating: 0, count: 65_536)

    /// Takes `pipeFD` over, unless opening the log fails (it is the caller's then). The log is
    /// `opened` if it was opened ahead (see `OpenedLog`), else opened here.
    init(path: String, opened: OpenedLog? = nil, pipeFD: Int32, maxBytes: Int, maxFiles: Int) throws(SystemError) {
        // Opened before anything is stored: a failure then throws before the object exists, so
        // no deinit closes the pipe the caller still owns.
        if let opened {
            (fileFD, size) = opened.take()
        } else {
            (fileFD, size) = try Self.openFile(path)
        }
        self.path = path
        self.pipeFD = pipeFD
        self.maxBytes = max(4096, maxBytes)
        self.maxFiles = max(1, maxFiles)
    }

    deinit {
        if pipeFD >= 0 { close(pipeFD) }
        if fileFD >= 0 { close(fileFD) }
    }

    /// The log file at `path`, opened for appending (created if missing), and its size.
    static func openFile(_ path: String) throws(SystemError) -> (fd: Int32, size: Int) {
        let fd = try retryingOnInterrupt(step: "open log \(path)", call: "open") {
            open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        }
        var info = stat()
        return (fd, fstat(fd, &info) == 0 ? Int(info.st_size) : 0)
    }

    /// Moves everything the pipe holds now into the log. Returns `false` at end of file (the
    /// container and every process holding its output are gone).
    func drain() -> Bool {
        guard pipeFD >= 0 else { return false }
        while true {
            let count = buffer.withUnsafeMutableBytes { read(pipeFD, $0.baseAddress, $0.count) }
            if count > 0 {
                append(count)
                continue
            }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return true }
            close(pipeFD)
            pipeFD = -1
            return false
        }
    }

    private func append(_ count: Int) {
        if fileFD >= 0 && size + count > maxBytes && size > 0 { rotate() }
        // A reopen that failed (no descriptors, a full disk) is tried again with later output.
        if fileFD < 0 { reopen() }
        guard fileFD >= 0 else { return }
        buffer.withUnsafeBufferPointer { bytes in
            let slice = UnsafeBufferPointer(rebasing: bytes[0..<count])
            // A full disk must not stop the container: the output is dropped, the task goes on.
            try? FileSystem.writeAll(fileFD, slice, step: "write log \(path)")
        }
        size += count
    }

    private func rotate() {
        close(fileFD)
        fileFD = -1
        if maxFiles > 1 {
            for index in stride(from: maxFiles - 1, through: 1, by: -1) {
                let from = index == 1 ? path : path + ".\(index - 1)"
                rename(from, path + ".\(index)")
            }
        } else {
            unlink(path)
        }
        reopen()
    }

    private func reopen() {
        guard let (fd, size) = try? Self.openFile(path) else { return }
        fileFD = fd
        self.size = size
    }
}
