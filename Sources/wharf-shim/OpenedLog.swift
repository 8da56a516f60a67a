import LinuxHost

#if canImport(Glibc)
import Glibc
#endif

/// A container's log file opened while the supervisor waits for its start message, so that
/// the container's start is not followed by the file's creation on disk (a tenth of a
/// millisecond or more on a busy disk) before its RUNNING event. Closed unless a `LogWriter`
/// takes it.
final class OpenedLog {
    private var descriptor: Int32
    private let size: Int

    /// Opens (creating) the log at `path` as `LogWriter` does.
    init(path: String) throws(SystemError) {
        (descriptor, size) = try LogWriter.openFile(path)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// The descriptor and the file's size, now the caller's to close.
    func take() -> (fd: Int32, size: Int) {
        defer { descriptor = -1 }
        return (descriptor, size)
    }
}
