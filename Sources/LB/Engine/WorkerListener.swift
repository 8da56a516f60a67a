import Synchronization
import WharfIO

/// One listener as a worker serves it: its own `SO_REUSEPORT` socket, so the kernel spreads
/// new connections across workers and a connection stays on the worker that accepted it.
final class WorkerListener {
    /// Index of the listener in the configuration.
    let index: Int
    let name: String
    let port: UInt16
    let fd: Int32
    let tls: TLSServerContext?
    /// The in-process application served here instead of proxying (API, dashboard), if any.
    let application: (any HTTPApplication)?
    /// Index of the default target group in the current routing snapshot.
    var defaultGroupIndex: Int?
    /// The end of the `X-Forwarded-For` line plus the `X-Forwarded-Proto` and
    /// `X-Forwarded-Port` lines, fixed per listener.
    let forwardedHeaders: [UInt8]
    /// Connections open on this listener across all workers, and the limit.
    let connections: ListenerConnectionCount
    var acceptWatcher: IOWatcher?
    /// Accepting is paused because the connection limit was reached.
    var paused = false

    init(index: Int, name: String, port: UInt16, fd: Int32, tls: TLSServerContext?, application: (any HTTPApplication)?, connections: ListenerConnectionCount) {
        self.index = index
        self.name = name
        self.port = port
        self.fd = fd
        self.tls = tls
        self.application = application
        self.connections = connections
        let scheme = tls == nil ? "http" : "https"
        self.forwardedHeaders = Array("\r\nX-Forwarded-Proto: \(scheme)\r\nX-Forwarded-Port: \(port)\r\n".utf8)
    }
}

/// The number of open connections of one listener, shared by all workers (touched on accept
/// and close only, never per request).
final class ListenerConnectionCount: Sendable {
    let limit: Int
    private let count = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Counts a new connection; false (and not counted) when the listener is at its limit.
    func acquire() -> Bool {
        while true {
            let current = count.load(ordering: .relaxed)
            guard current < limit else { return false }
            if count.compareExchange(expected: current, desired: current + 1, ordering: .relaxed).exchanged {
                return true
            }
        }
    }

    func release() {
        count.subtract(1, ordering: .relaxed)
    }

    var current: Int { count.load(ordering: .relaxed) }
}
