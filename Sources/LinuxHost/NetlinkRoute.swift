/// An IPv4 route of the main routing table, as reported by `RTM_GETROUTE`.
public struct IPv4Route: Hashable, Sendable, CustomStringConvertible {
    /// Where the route leads; `0.0.0.0/0` for the default route.
    public var destination: IPv4Network
    /// The next hop, or `nil` for an on-link (directly connected) route.
    public var gateway: IPv4Address?
    /// The outgoing interface index, if the route names one.
    public var linkIndex: Int32?

    public init(destination: IPv4Network, gateway: IPv4Address?, linkIndex: Int32?) {
        self.destination = destination
        self.gateway = gateway
        self.linkIndex = linkIndex
    }

    /// Whether this is the default route.
    public var isDefault: Bool { destination.prefixLength == 0 }

    public var description: String {
        (isDefault ? "default" : destination.description) + (gateway.map { " via \($0)" } ?? "")
            + (linkIndex.map { " dev #\($0)" } ?? "")
    }

    /// Parses an `RTM_NEWROUTE` message; `nil` unless it is an IPv4 unicast route of the main
    /// table (the local and broadcast routes the kernel adds live in other tables).
    static func parse(_ message: NetlinkMessage) -> IPv4Route? {
        guard let family = message.integer(at: 0, as: UInt8.self), family == Netlink.familyIPv4,
              let destinationLength = message.integer(at: 1, as: UInt8.self),
              var table = message.integer(at: 4, as: UInt8.self).map(UInt32.init),
              let type = message.integer(at: 7, as: UInt8.self), type == Netlink.typeUnicast
        else { return nil }
        var destination = IPv4Address.any
        var gateway: IPv4Address?
        var linkIndex: Int32?
        for attribute in message.attributes(after: Netlink.routeHeaderLength) {
            switch attribute.type {
            case Netlink.routeDestination: destination = attribute.ipv4 ?? destination
            case Netlink.routeGateway: gateway = attribute.ipv4
            case Netlink.routeOutputInterface: linkIndex = attribute.uint32.map { Int32(bitPattern: $0) }
            // Table ids above 255 only fit in RTA_TABLE; when present it is authoritative.
            case Netlink.routeTable: table = attribute.uint32 ?? table
            default: continue
            }
        }
        guard table == UInt32(Netlink.tableMain),
              let network = IPv4Network(address: destination, prefixLength: Int(destinationLength))
        else { return nil }
        return IPv4Route(destination: network, gateway: gateway, linkIndex: linkIndex)
    }
}
