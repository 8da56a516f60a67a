#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An IPv4 or IPv6 address with a port, stored as the `sockaddr` the kernel takes.
///
/// Text forms: `127.0.0.1:8080`, `0.0.0.0:80`, `[::1]:80`, `[fe80::1%eth0]:80`.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address family.
    public enum Family: Sendable, Hashable {
        case ipv4
        case ipv6
    }

    enum Storage: Sendable {
        case ipv4(sockaddr_in)
        case ipv6(sockaddr_in6)
    }

    let storage: Storage

    /// The longest text `inet_ntop` writes for an IPv6 address, with its NUL (`INET6_ADDRSTRLEN`).
    private static let maximumAddressTextLength = 46

    /// Parses `host:port` (IPv4) or `[host]:port` (IPv6, optionally `%scope`).
    public init(_ text: String) throws(IOError) {
        guard let parsed = Self.parse(text) else { throw .invalidAddress(text) }
        self = parsed
    }

    /// An address from an IP literal (no brackets) and a port.
    public init(ip: String, port: UInt16) throws(IOError) {
        if let address = Self.ipv4(ip, port: port) {
            self = address
        } else if let address = Self.ipv6(ip, port: port) {
            self = address
        } else {
            throw .invalidAddress(ip)
        }
    }

    /// An address copied from a kernel `sockaddr`; nil for families other than IPv4 and IPv6.
    public init?(_ address: UnsafePointer<sockaddr>, length: socklen_t) {
        switch Int32(address.pointee.sa_family) {
        case AF_INET where Int(length) >= MemoryLayout<sockaddr_in>.size:
            storage = .ipv4(UnsafeRawPointer(address).loadUnaligned(as: sockaddr_in.self))
        case AF_INET6 where Int(length) >= MemoryLayout<sockaddr_in6>.size:
            storage = .ipv6(UnsafeRawPointer(address).loadUnaligned(as: sockaddr_in6.self))
        default:
            return nil
        }
    }

    init(storage: Storage) { self.storage = storage }

    /// `0.0.0.0:0`, for the rare peer whose address the kernel did not report.
    static let unspecifiedIPv4 = SocketAddress(storage: .ipv4(sockaddr_in(
        sin_family: sa_family_t(AF_INET), sin_port: 0, sin_addr: in_addr(s_addr: 0), sin_zero: (0, 0, 0, 0, 0, 0, 0, 0))))

    /// IPv4 or IPv6.
    public var family: Family {
        switch storage {
        case .ipv4: return .ipv4
        case .ipv6: return .ipv6
        }
    }

    /// The port, in host byte order.
    public var port: UInt16 {
        switch storage {
        case .ipv4(let address): return UInt16(bigEndian: address.sin_port)
        case .ipv6(let address): return UInt16(bigEndian: address.sin6_port)
        }
    }

    /// The IP address as text, without brackets or port (`127.0.0.1`, `::1`).
    public var ip: String {
        var text = [CChar](repeating: 0, count: Self.maximumAddressTextLength)
        let written: UnsafePointer<CChar>? = text.withUnsafeMutableBufferPointer { buffer in
            switch storage {
            case .ipv4(var address):
                return inet_ntop(AF_INET, &address.sin_addr, buffer.baseAddress, socklen_t(buffer.count))
            case .ipv6(var address):
                return inet_ntop(AF_INET6, &address.sin6_addr, buffer.baseAddress, socklen_t(buffer.count))
            }
        }
        guard written != nil else { return "?" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `ip:port`, with the IPv6 address in brackets (and its `%scope` index when it has one).
    public var description: String {
        switch storage {
        case .ipv4:
            return "\(ip):\(port)"
        case .ipv6(let address):
            let scope = address.sin6_scope_id == 0 ? "" : "%\(address.sin6_scope_id)"
            return "[\(ip)\(scope)]:\(port)"
        }
    }

    /// Calls `body` with the address as a `sockaddr` and its length.
    public func withSockAddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> Result) rethrows -> Result {
        switch storage {
        case .ipv4(var address):
            return try withUnsafePointer(to: &address) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        case .ipv6(var address):
            return try withUnsafePointer(to: &address) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
    }

    public static func == (lhs: SocketAddress, rhs: SocketAddress) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.ipv4(let a), .ipv4(let b)):
            return a.sin_port == b.sin_port && a.sin_addr.s_addr == b.sin_addr.s_addr
        case (.ipv6(let a), .ipv6(let b)):
            return a.sin6_port == b.sin6_port && a.sin6_scope_id == b.sin6_scope_id && Self.bytes(of: a.sin6_addr) == Self.bytes(of: b.sin6_addr)
        default:
            return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch storage {
        case .ipv4(let address):
            hasher.combine(4 as UInt8)
            hasher.combine(address.sin_port)
            hasher.combine(address.sin_addr.s_addr)
        case .ipv6(let address):
            hasher.combine(6 as UInt8)
            hasher.combine(address.sin6_port)
            hasher.combine(address.sin6_scope_id)
            hasher.combine(Self.bytes(of: address.sin6_addr))
        }
    }

    private static func bytes(of address: in6_addr) -> [UInt8] {
        withUnsafeBytes(of: address) { Array($0) }
    }

    // MARK: Parsing

    private static func parse(_ text: String) -> SocketAddress? {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":"), let port = parsePort(rest.dropFirst()) else { return nil }
            return ipv6(String(host), port: port)
        }
        guard let colon = text.lastIndex(of: ":") else { return nil }
        guard let port = parsePort(text[text.index(after: colon)...]) else { return nil }
        return ipv4(String(text[..<colon]), port: port)
    }

    private static func parsePort(_ text: Substring) -> UInt16? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return UInt16(text)
    }

    private static func ipv4(_ host: String, port: UInt16) -> SocketAddress? {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return nil }
        return SocketAddress(storage: .ipv4(address))
    }

    private static func ipv6(_ hostWithScope: String, port: UInt16) -> SocketAddress? {
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = port.bigEndian
        var host = Substring(hostWithScope)
        if let percent = hostWithScope.firstIndex(of: "%") {
            host = hostWithScope[..<percent]
            let scope = String(hostWithScope[hostWithScope.index(after: percent)...])
            if let index = UInt32(scope) {
                address.sin6_scope_id = index
            } else {
                let index = if_nametoindex(scope)
                guard index != 0 else { return nil }
                address.sin6_scope_id = index
            }
        }
        guard inet_pton(AF_INET6, String(host), &address.sin6_addr) == 1 else { return nil }
        return SocketAddress(storage: .ipv6(address))
    }
}
