/// A network interface as reported by `RTM_GETLINK`.
public struct NetworkLink: Hashable, Sendable, CustomStringConvertible {
    /// The interface index (unique within its network namespace).
    public var index: Int32
    /// The interface name, e.g. `"eth0"`.
    public var name: String
    /// The driver kind from `IFLA_INFO_KIND` (`"bridge"`, `"veth"`, ...); `nil` for devices
    /// that report none, such as `lo` and most physical NICs.
    public var kind: String?
    /// The index of the master device (e.g. the bridge a veth is enslaved to), if any.
    public var masterIndex: Int32?
    /// The `IFF_*` flags.
    public var flags: UInt32
    /// `IFLA_LINK`: for a veth, its peer's index in the peer's network namespace.
    public var peerIndex: Int32?
    /// `IFLA_IFALIAS`, the free-form alias (`ip link set … alias`), if one is set.
    public var alias: String?
    /// `IFLA_ADDRESS`, the link-layer address (6 bytes for Ethernet), if the link has one.
    public var hardwareAddress: [UInt8]?

    public init(
        index: Int32, name: String, kind: String?, masterIndex: Int32?, flags: UInt32, peerIndex: Int32? = nil, alias: String? = nil
    ) {
        self.index = index
        self.name = name
        self.kind = kind
        self.masterIndex = masterIndex
        self.flags = flags
        self.peerIndex = peerIndex
        self.alias = alias
    }

    /// Administratively up (`IFF_UP`).
    public var isUp: Bool { flags & Netlink.interfaceUp != 0 }

    /// Has carrier (`IFF_LOWER_UP`): for a veth, both ends are up.
    public var hasCarrier: Bool { flags & Netlink.lowerUp != 0 }

    public var description: String {
        "\(index): \(name)" + (kind.map { " (\($0))" } ?? "") + (masterIndex.map { " master \($0)" } ?? "")
            + (isUp ? " UP" : " DOWN")
    }

    /// A random unicast, locally administered MAC address.
    public static func randomLocalMACAddress() -> [UInt8] {
        // One draw from the system generator, not one per byte.
        var bytes = withUnsafeBytes(of: UInt64.random(in: .min ... .max)) { Array($0.prefix(6)) }
        bytes[0] = (bytes[0] & 0xfe) | 0x02
        return bytes
    }

    /// Parses an `RTM_NEWLINK` message; `nil` if it is malformed.
    static func parse(_ message: NetlinkMessage) -> NetworkLink? {
        guard message.type == Netlink.newLink,
              let index = message.integer(at: 4, as: Int32.self),
              let flags = message.integer(at: 8, as: UInt32.self)
        else { return nil }
        var name: String?
        var kind: String?
        var master: Int32?
        var peer: Int32?
        var alias: String?
        var hardwareAddress: [UInt8]?
        for attribute in message.attributes(after: Netlink.linkHeaderLength) {
            switch attribute.type {
            case Netlink.linkName:
                name = attribute.string
            case Netlink.linkMaster:
                master = attribute.uint32.map { Int32(bitPattern: $0) }
            case Netlink.linkPeerIndex:
                peer = attribute.uint32.map { Int32(bitPattern: $0) }
            case Netlink.linkAlias:
                alias = attribute.string
            case Netlink.linkAddress:
                hardwareAddress = Array(attribute.payload)
            case Netlink.linkInfo:
                for info in attribute.nested where info.type == Netlink.infoKind {
                    kind = info.string
                }
            default:
                continue
            }
        }
        guard let name else { return nil }
        var link = NetworkLink(index: index, name: name, kind: kind, masterIndex: master, flags: flags, peerIndex: peer, alias: alias)
        link.hardwareAddress = hardwareAddress
        return link
    }
}
