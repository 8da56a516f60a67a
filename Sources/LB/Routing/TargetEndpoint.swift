import LinuxHost

#if canImport(Glibc)
    import Glibc
#endif

/// An IP address and port, parsed once (when a target is registered or a listener configured)
/// into the form a socket call takes, so the data plane never parses text or resolves names.
public struct TargetEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// An IPv4 or IPv6 address.
    public enum Address: Sendable, Hashable {
        case ipv4(IPv4Address)
        /// The 16 bytes of the address, most significant first, as two big-endian halves.
        case ipv6(high: UInt64, low: UInt64)
    }

    /// Why a host text is not an address.
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// Not an IPv4 or IPv6 literal (host names are not resolved).
        case notAnIPAddress(String)
        case portOutOfRange(Int)

        public var description: String {
            switch self {
            case .notAnIPAddress(let text):
                return "'\(text)' is not an IPv4 or IPv6 address (host names are not resolved)"
            case .portOutOfRange(let port): return "port \(port) is outside 0-65535"
            }
        }
    }

    public let address: Address
    public let port: UInt16

    public init(address: Address, port: UInt16) {
        self.address = address
        self.port = port
    }

    /// Parses an IPv4 literal (`10.0.0.7`) or IPv6 literal (`::1`, also `[::1]`).
    public init(host: String, port: Int) throws(ParseError) {
        guard (0...Int(UInt16.max)).contains(port) else { throw .portOutOfRange(port) }
        self.port = UInt16(port)
        if let v4 = IPv4Address(host) {
            address = .ipv4(v4)
            return
        }
        var text = Substring(host)
        if text.first == "[" && text.last == "]" { text = text.dropFirst().dropLast() }
        var raw = in6_addr()
        guard !text.isEmpty, inet_pton(AF_INET6, String(text), &raw) == 1 else { throw .notAnIPAddress(host) }
        let (high, low) = withUnsafeBytes(of: &raw) { bytes -> (UInt64, UInt64) in
            var high: UInt64 = 0
            var low: UInt64 = 0
            for index in 0..<8 { high = high << 8 | UInt64(bytes[index]) }
            for index in 8..<16 { low = low << 8 | UInt64(bytes[index]) }
            return (high, low)
        }
        address = .ipv6(high: high, low: low)
    }

    /// `AF_INET` or `AF_INET6`, for `socket(2)`.
    public var family: Int32 {
        switch address {
        case .ipv4: return AF_INET
        case .ipv6: return AF_INET6
        }
    }

    /// Calls `body` with a `sockaddr_in`/`sockaddr_in6` for this endpoint and its length, for
    /// `connect(2)` and `bind(2)`. Builds it on the stack: no allocation.
    public func withSocketAddress<Result>(
        _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> Result
    ) rethrows -> Result {
        switch address {
        case .ipv4(let v4):
            var storage = sockaddr_in()
            storage.sin_family = sa_family_t(AF_INET)
            storage.sin_port = port.bigEndian
            storage.sin_addr.s_addr = v4.value.bigEndian
            return try withUnsafePointer(to: &storage) { pointer in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    try body($0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .ipv6(let high, let low):
            var storage = sockaddr_in6()
            storage.sin6_family = sa_family_t(AF_INET6)
            storage.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &storage.sin6_addr) { bytes in
                for index in 0..<8 { bytes[index] = UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64(index))) }
                for index in 0..<8 { bytes[8 + index] = UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64(index))) }
            }
            return try withUnsafePointer(to: &storage) { pointer in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    try body($0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
    }

    /// The address alone: `10.0.0.7` or `::1`.
    public var host: String {
        switch address {
        case .ipv4(let v4): return v4.description
        case .ipv6:
            return withSocketAddress { pointer, _ in
                pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                    var address = v6.pointee.sin6_addr
                    var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
                    guard inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil else { return "::" }
                    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                }
            }
        }
    }

    /// `10.0.0.7:80` or `[::1]:80`.
    public var description: String {
        switch address {
        case .ipv4: return "\(host):\(port)"
        case .ipv6: return "[\(host)]:\(port)"
        }
    }
}
