import COpenSSL

/// The TLS protocol versions Wharf speaks: 1.2 and 1.3, nothing older.
public enum TLSVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    case tls12
    case tls13

    /// OpenSSL's number for the version (`TLS1_2_VERSION`, `TLS1_3_VERSION`).
    var openSSLValue: Int32 {
        switch self {
        case .tls12: return TLS1_2_VERSION
        case .tls13: return TLS1_3_VERSION
        }
    }

    init?(openSSLValue: Int32) {
        switch openSSLValue {
        case TLS1_2_VERSION: self = .tls12
        case TLS1_3_VERSION: self = .tls13
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .tls12: return "TLSv1.2"
        case .tls13: return "TLSv1.3"
        }
    }
}
