/// An address assigned to an interface together with its prefix length, e.g. `10.88.0.5/16`.
///
/// Unlike `IPv4Network` this keeps the host bits: it is the interface's own address.
public struct InterfaceAddress: Hashable, Sendable, CustomStringConvertible {
    /// The interface's own address.
    public var address: IPv4Address
    /// The prefix length of the on-link network, `0...32`.
    public var prefixLength: Int
    /// The interface index the address is assigned to.
    public var linkIndex: Int32

    public init(address: IPv4Address, prefixLength: Int, linkIndex: Int32) {
        self.address = address
        self.prefixLength = prefixLength
        self.linkIndex = linkIndex
    }

    /// The on-link network, e.g. `10.88.0.0/16` for `10.88.0.5/16`.
    public var network: IPv4Network? { IPv4Network(address: address, prefixLength: prefixLength) }

    /// `"10.88.0.5/16"`.
    public var description: String { "\(address)/\(prefixLength)" }
}

extension InterfaceAddress {
    /// Parses an `RTM_NEWADDR` message for IPv4; `nil` for other families or malformed messages.
    static func parse(_ message: NetlinkMessage) -> InterfaceAddress? {
        guard let family = message.integer(at: 0, as: UInt8.self), family == Netlink.familyIPv4,
              let prefixLength = message.integer(at: 1, as: UInt8.self),
              let index = message.integer(at: 4, as: UInt32.self)
        else { return nil }
        var local: IPv4Address?
        var peer: IPv4Address?
        for attribute in message.attributes(after: Netlink.addressHeaderLength) {
            switch attribute.type {
            case Netlink.addressLocal: local = attribute.ipv4
            case Netlink.addressAddress: peer = attribute.ipv4
            default: continue
            }
        }
        // IFA_LOCAL is the interface's own address; IFA_ADDRESS differs only on
        // point-to-point links (where it is the peer), so it is the fallback.
        guard let address = local ?? peer else { return nil }
        return InterfaceAddress(address: address, prefixLength: Int(prefixLength), linkIndex: Int32(bitPattern: index))
    }
}
