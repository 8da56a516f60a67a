/// Responses counted by status class (1xx to 5xx).
public struct ResponseClassCounts: Hashable, Sendable {
    /// 1xx responses.
    public var informational: UInt64 = 0
    /// 2xx responses.
    public var successful: UInt64 = 0
    /// 3xx responses.
    public var redirection: UInt64 = 0
    /// 4xx responses.
    public var clientError: UInt64 = 0
    /// 5xx responses.
    public var serverError: UInt64 = 0
    /// Responses whose status lies outside 100...599 (a target that does not speak HTTP properly).
    public var unclassified: UInt64 = 0

    public init() {}

    /// Counts one response with status `status`.
    @inlinable
    public mutating func count(status: Int) {
        switch status {
        case 200...299: successful &+= 1
        case 300...399: redirection &+= 1
        case 400...499: clientError &+= 1
        case 500...599: serverError &+= 1
        case 100...199: informational &+= 1
        default: unclassified &+= 1
        }
    }

    /// Counts `count` responses with status `status`.
    public mutating func count(status: Int, times count: UInt64) {
        switch status {
        case 100...199: informational &+= count
        case 200...299: successful &+= count
        case 300...399: redirection &+= count
        case 400...499: clientError &+= count
        case 500...599: serverError &+= count
        default: unclassified &+= count
        }
    }

    /// Every response counted.
    public var total: UInt64 {
        informational &+ successful &+ redirection &+ clientError &+ serverError &+ unclassified
    }

    /// Adds `other`'s counts to these.
    public mutating func add(_ other: ResponseClassCounts) {
        informational &+= other.informational
        successful &+= other.successful
        redirection &+= other.redirection
        clientError &+= other.clientError
        serverError &+= other.serverError
        unclassified &+= other.unclassified
    }
}
