import WharfIO

/// Why the load balancer could not start, reload or stop, naming the step.
public enum LoadBalancerError: Error, Sendable, CustomStringConvertible {
    /// A listener's socket could not be opened (`bind`/`listen` failed).
    case listen(listener: String, address: String, IOError)
    /// A listener's certificates could not be loaded.
    case certificates(listener: String, TLSError)
    /// A worker or the health checker could not start its thread or event loop.
    case thread(name: String, IOError)
    /// A reload asked for something only a restart can do (the message says what).
    case reloadRefused(field: String, message: String)
    /// The load balancer is not in a state that allows this call.
    case invalidState(String)

    public var description: String {
        switch self {
        case .listen(let listener, let address, let error):
            return "listener \(listener) (\(address)): \(error)"
        case .certificates(let listener, let error):
            return "listener \(listener): certificates: \(error)"
        case .thread(let name, let error):
            return "thread \(name): \(error)"
        case .reloadRefused(let field, let message):
            return "reload refused: \(field): \(message)"
        case .invalidState(let message):
            return message
        }
    }
}
