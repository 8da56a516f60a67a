import CWharfLaunch
import LinuxHost

#if canImport(Glibc)
import Glibc
#endif

/// The signals the supervisor handles, delivered through a signalfd so the poll loop sees them
/// as ordinary readable events instead of interrupting it.
struct SignalSource {
    let fd: Int32

    static let handled: [Int32] = [SIGCHLD, SIGTERM, SIGINT, SIGHUP]

    init() throws(SystemError) {
        // A container closing its output early must not kill the supervisor.
        signal(SIGPIPE, SIG_IGN)
        let list = SignalSource.handled + [0]
        fd = try retryingOnInterrupt(step: "create the supervisor's signalfd", call: "signalfd") {
            list.withUnsafeBufferPointer { wharf_signalfd($0.baseAddress) }
        }
    }

    /// The signals waiting now, each once.
    func pending() -> [Int32] {
        var received: [Int32] = []
        while true {
            let number = wharf_signalfd_read(fd)
            guard number > 0 else { break }
            if !received.contains(number) { received.append(number) }
        }
        return received
    }
}
