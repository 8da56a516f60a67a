/// How many responses of each ``LBErrorCode`` the load balancer generated.
public struct LBErrorCounts: Hashable, Sendable {
    public var badRequest: UInt64 = 0
    public var requestTimeout: UInt64 = 0
    public var contentTooLarge: UInt64 = 0
    public var uriTooLong: UInt64 = 0
    public var expectationFailed: UInt64 = 0
    public var requestHeaderFieldsTooLarge: UInt64 = 0
    public var notImplemented: UInt64 = 0
    public var badGateway: UInt64 = 0
    public var serviceUnavailable: UInt64 = 0
    public var gatewayTimeout: UInt64 = 0
    public var httpVersionNotSupported: UInt64 = 0

    public init() {}

    /// The count for one error code.
    @inlinable
    public subscript(code: LBErrorCode) -> UInt64 {
        get {
            switch code {
            case .badRequest: return badRequest
            case .requestTimeout: return requestTimeout
            case .contentTooLarge: return contentTooLarge
            case .uriTooLong: return uriTooLong
            case .expectationFailed: return expectationFailed
            case .requestHeaderFieldsTooLarge: return requestHeaderFieldsTooLarge
            case .notImplemented: return notImplemented
            case .badGateway: return badGateway
            case .serviceUnavailable: return serviceUnavailable
            case .gatewayTimeout: return gatewayTimeout
            case .httpVersionNotSupported: return httpVersionNotSupported
            }
        }
        set {
            switch code {
            case .badRequest: badRequest = newValue
            case .requestTimeout: requestTimeout = newValue
            case .contentTooLarge: contentTooLarge = newValue
            case .uriTooLong: uriTooLong = newValue
            case .expectationFailed: expectationFailed = newValue
            case .requestHeaderFieldsTooLarge: requestHeaderFieldsTooLarge = newValue
            case .notImplemented: notImplemented = newValue
            case .badGateway: badGateway = newValue
            case .serviceUnavailable: serviceUnavailable = newValue
            case .gatewayTimeout: gatewayTimeout = newValue
            case .httpVersionNotSupported: httpVersionNotSupported = newValue
            }
        }
    }

    /// All generated errors, whatever their code.
    public var total: UInt64 {
        LBErrorCode.allCases.reduce(0) { $0 &+ self[$1] }
    }

    /// Generated errors with a 5xx code (501, 502, 503, 504, 505).
    public var serverErrors: UInt64 {
        LBErrorCode.allCases.reduce(0) { $1.isServerError ? $0 &+ self[$1] : $0 }
    }

    /// Adds `other`'s counts to these.
    public mutating func add(_ other: LBErrorCounts) {
        for code in LBErrorCode.allCases { self[code] &+= other[code] }
    }
}
