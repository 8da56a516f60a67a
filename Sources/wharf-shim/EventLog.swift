import LinuxHost
import ShimProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Appends `TaskEvent`s to the task's `events` file, one `write` per line so readers never see
/// half a line.
final class EventLog {
    private let fd: Int32
    let path: String

    init(path: String) throws(SystemError) {
        self.path = path
        fd = try retryingOnInterrupt(step: "open event log \(path)", call: "open") {
            open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        }
    }

    deinit { close(fd) }

    func append(_ event: TaskEvent) {
        var line = event.record.encoded + "\n"
        line.withUTF8 { bytes in
            // An event that cannot be written is reported on stderr (the supervisor log); the
            // task itself must keep running.
            do {
                try FileSystem.writeAll(fd, bytes, step: "append to \(path)")
            } catch {
                report("\(error)")
            }
        }
    }
}

/// Writes a diagnostic line to stderr (the task's supervisor.log).
func report(_ message: String) {
    var line = "wharf-shim: " + message + "\n"
    line.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
}
