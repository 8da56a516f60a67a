// IPv4 value types used by the task network (awsvpc) code: addresses and CIDR networks.
// Pure value types: no system calls, so they live next to the netlink code but need no errors.

/// An IPv4 address held as a host-order `UInt32` (`10.1.2.3` is `0x0A01_0203`).
///
/// Ordering and arithmetic follow the numeric value, so addresses can be compared, sorted and
/// stepped through (`Strideable`), which is what address allocation needs.
public struct IPv4Address: Hashable, Comparable, Strideable, Sendable, CustomStringConvertible,
    LosslessStringConvertible
{
    /// The address as a host-order integer; the first octet is the most significant byte.
    public var value: UInt32

    /// The address whose host-order integer value is `value`.
    public init(_ value: UInt32) {
        self.value = value
    }

    /// The address `a.b.c.d`.
    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Parses dotted-quad text such as `"10.1.2.3"`; returns `nil` for anything else.
    ///
    /// Exactly four decimal octets (0...255) are accepted. Leading zeros (`"010"`) are rejected
    /// because other tools read them as octal, so accepting them would silently disagree.
    public init?(_ text: String) {
        var result: UInt32 = 0
        var octet: UInt32 = 0
        var digits = 0
        var octets = 0
        var leadingZero = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if leadingZero { return nil }
                if digits == 0 && byte == UInt8(ascii: "0") { leadingZero = true }
                octet = octet * 10 + UInt32(byte - UInt8(ascii: "0"))
                digits += 1
                if digits > 3 || octet > 255 { return nil }
            case UInt8(ascii: "."):
                if digits == 0 || octets == 3 { return nil }
                result = result << 8 | octet
                octets += 1
                octet = 0
                digits = 0
                leadingZero = false
            default:
                return nil
            }
        }
        if digits == 0 || octets != 3 { return nil }
        value = result << 8 | octet
    }

    /// `0.0.0.0`, the unspecified address (also the destination of a default route).
    public static let any = IPv4Address(0)

    /// The four octets, most significant first.
    public var octets: (UInt8, UInt8, UInt8, UInt8) {
        (UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16),
         UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value))
    }

    /// Dotted-quad text, e.g. `"10.1.2.3"`.
    public var description: String {
        let (a, b, c, d) = octets
        return "\(a).\(b).\(c).\(d)"
    }

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool {
        lhs.value < rhs.value
    }

    /// The address `n` steps away. Traps when the result leaves `0.0.0.0...255.255.255.255`,
    /// like integer overflow, because wrapping around would hand out unrelated addresses.
    public func advanced(by n: Int) -> IPv4Address {
        let next = Int64(value) + Int64(n)
        precondition(next >= 0 && next <= Int64(UInt32.max), "IPv4 address arithmetic overflow")
        return IPv4Address(UInt32(truncatingIfNeeded: next))
    }

    /// The number of steps from this address to `other` (negative when `other` is smaller).
    public func distance(to other: IPv4Address) -> Int {
        Int(other.value) - Int(value)
    }
}

/// An IPv4 network in CIDR form, e.g. `10.88.0.0/16`.
///
/// The stored `address` is always the network address: host bits given to the initialisers are
/// cleared, so `10.88.1.7/16` and `10.88.0.0/16` are the same value. Use `InterfaceAddress` for
/// "this host's address plus its prefix".
public struct IPv4Network: Hashable, Sendable, CustomStringConvertible, LosslessStringConvertible {
    /// The network address (host bits zero).
    public let address: IPv4Address
    /// The number of leading network bits, `0...32`.
    public let prefixLength: Int

    /// The network of `address` with `prefixLength` bits; `nil` when the prefix is not `0...32`.
    public init?(address: IPv4Address, prefixLength: Int) {
        guard (0...32).contains(prefixLength) else { return nil }
        self.prefixLength = prefixLength
        self.address = IPv4Address(address.value & IPv4Network.mask(prefixLength))
    }

    /// Parses `"10.88.0.0/16"`; returns `nil` for a bad address, a missing or non-decimal
    /// prefix, or a prefix above 32. Host bits are cleared (see the type's documentation).
    public init?(_ text: String) {
        guard let slash = text.utf8.firstIndex(of: UInt8(ascii: "/")) else { return nil }
        let addressText = String(text[..<slash])
        let prefixText = text.utf8[text.utf8.index(after: slash)...]
        guard let address = IPv4Address(addressText),
              !prefixText.isEmpty, prefixText.count <= 2
        else { return nil }
        var prefix = 0
        for byte in prefixText {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            prefix = prefix * 10 + Int(byte - UInt8(ascii: "0"))
        }
        self.init(address: address, prefixLength: prefix)
    }

    /// `0.0.0.0/0`, the destination of a default route.
    public static let defaultRoute = IPv4Network(uncheckedAddress: .any, prefixLength: 0)

    private init(uncheckedAddress: IPv4Address, prefixLength: Int) {
        self.address = uncheckedAddress
        self.prefixLength = prefixLength
    }

    /// The host-order mask with `prefixLength` leading one bits.
    private static func mask(_ prefixLength: Int) -> UInt32 {
        // Shifting a UInt32 by 32 is not a no-op in every language; keep /0 explicit.
        prefixLength == 0 ? 0 : UInt32.max << UInt32(32 - prefixLength)
    }

    /// The netmask as an address, e.g. `255.255.0.0` for `/16`.
    public var netmask: IPv4Address { IPv4Address(IPv4Network.mask(prefixLength)) }

    /// The network address (same as `address`).
    public var network: IPv4Address { address }

    /// The last address of the network (all host bits set).
    public var broadcast: IPv4Address { IPv4Address(address.value | ~IPv4Network.mask(prefixLength)) }

    /// The first address a host may use. For `/31` (point-to-point, RFC 3021) and `/32` there is
    /// no network/broadcast reservation, so this is the network address itself.
    public var firstHost: IPv4Address {
        prefixLength >= 31 ? address : address.advanced(by: 1)
    }

    /// The last address a host may use (the one before broadcast, except for `/31` and `/32`).
    public var lastHost: IPv4Address {
        prefixLength >= 31 ? broadcast : broadcast.advanced(by: -1)
    }

    /// Wharf's convention for the gateway of a task subnet: the first host address, which the
    /// bridge holds (for `10.88.0.0/16` that is `10.88.0.1`).
    public var gateway: IPv4Address { firstHost }

    /// The number of addresses in the network, including network and broadcast.
    public var size: UInt64 { UInt64(1) << UInt64(32 - prefixLength) }

    /// Whether `candidate` lies inside this network.
    public func contains(_ candidate: IPv4Address) -> Bool {
        candidate.value & IPv4Network.mask(prefixLength) == address.value
    }

    /// Whether every address of `other` lies inside this network.
    public func contains(_ other: IPv4Network) -> Bool {
        other.prefixLength >= prefixLength && contains(other.address)
    }

    /// Whether the two networks share at least one address. CIDR blocks either nest or are
    /// disjoint, so this is "one contains the other".
    public func overlaps(_ other: IPv4Network) -> Bool {
        contains(other.address) || other.contains(address)
    }

    /// CIDR text, e.g. `"10.88.0.0/16"`.
    public var description: String { "\(address)/\(prefixLength)" }
}
