// Numeric values from the kernel's UAPI headers (linux/netlink.h, linux/rtnetlink.h,
// linux/if_link.h, linux/if_addr.h, linux/veth.h). Swift's Glibc module does not include
// those headers, and they are ABI: the numbers never change once released.

/// Constants of the netlink and rtnetlink protocols.
enum Netlink {
    // Socket level (linux/netlink.h).
    static let protocolRoute: Int32 = 0  // NETLINK_ROUTE
    static let solNetlink: Int32 = 270  // SOL_NETLINK
    static let capAck: Int32 = 10  // NETLINK_CAP_ACK: error acks omit the echoed request
    static let extAck: Int32 = 11  // NETLINK_EXT_ACK

    // nlmsghdr: length (u32), type (u16), flags (u16), sequence (u32), port id (u32).
    static let headerLength = 16

    // Control message types.
    static let noop: UInt16 = 1  // NLMSG_NOOP
    static let error: UInt16 = 2  // NLMSG_ERROR (an ack when the error code is 0)
    static let done: UInt16 = 3  // NLMSG_DONE (end of a multipart dump)

    // nlmsghdr flags.
    static let request: UInt16 = 0x01  // NLM_F_REQUEST
    static let multipart: UInt16 = 0x02  // NLM_F_MULTI
    static let ack: UInt16 = 0x04  // NLM_F_ACK
    static let echo: UInt16 = 0x08  // NLM_F_ECHO: the kernel sends the requester its notification
    static let dumpInterrupted: UInt16 = 0x10  // NLM_F_DUMP_INTR
    static let dump: UInt16 = 0x300  // NLM_F_ROOT | NLM_F_MATCH
    static let exclusive: UInt16 = 0x200  // NLM_F_EXCL
    static let create: UInt16 = 0x400  // NLM_F_CREATE
    static let append: UInt16 = 0x800  // NLM_F_APPEND: a new rule goes after the chain's others

    // rtnetlink message types (linux/rtnetlink.h).
    static let newLink: UInt16 = 16  // RTM_NEWLINK
    static let deleteLink: UInt16 = 17  // RTM_DELLINK
    static let getLink: UInt16 = 18  // RTM_GETLINK
    static let setLink: UInt16 = 19  // RTM_SETLINK
    static let newAddress: UInt16 = 20  // RTM_NEWADDR
    static let getAddress: UInt16 = 22  // RTM_GETADDR
    static let newRoute: UInt16 = 24  // RTM_NEWROUTE
    static let getRoute: UInt16 = 26  // RTM_GETROUTE

    // rtattr: length (u16), type (u16); payload padded to 4 bytes.
    static let attributeHeaderLength = 4
    static let nestedFlag: UInt16 = 0x8000  // NLA_F_NESTED
    static let attributeTypeMask: UInt16 = 0x3FFF  // ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER)

    // struct ifinfomsg: family (u8), pad (u8), type (u16), index (i32), flags (u32), change (u32).
    static let linkHeaderLength = 16
    static let interfaceUp: UInt32 = 0x1  // IFF_UP
    static let lowerUp: UInt32 = 0x1_0000  // IFF_LOWER_UP (carrier)

    // IFLA_* link attributes (linux/if_link.h).
    static let linkAddress: UInt16 = 1  // IFLA_ADDRESS (the link-layer address)
    static let linkName: UInt16 = 3  // IFLA_IFNAME
    static let linkMTU: UInt16 = 4  // IFLA_MTU
    static let linkPeerIndex: UInt16 = 5  // IFLA_LINK (a veth's peer index)
    static let linkMaster: UInt16 = 10  // IFLA_MASTER
    static let linkInfo: UInt16 = 18  // IFLA_LINKINFO
    static let linkAlias: UInt16 = 20  // IFLA_IFALIAS
    static let linkNamespaceFD: UInt16 = 28  // IFLA_NET_NS_FD
    static let linkTransmitQueues: UInt16 = 31  // IFLA_NUM_TX_QUEUES
    static let linkReceiveQueues: UInt16 = 32  // IFLA_NUM_RX_QUEUES
    static let infoKind: UInt16 = 1  // IFLA_INFO_KIND
    static let infoData: UInt16 = 2  // IFLA_INFO_DATA
    static let vethPeer: UInt16 = 1  // VETH_INFO_PEER (linux/veth.h)
    static let bridgeMulticastSnooping: UInt16 = 23  // IFLA_BR_MCAST_SNOOPING (u8)
    static let linkAddressFamilySpecific: UInt16 = 26  // IFLA_AF_SPEC
    static let familyIPv6: UInt16 = 10  // AF_INET6, as the type of an IFLA_AF_SPEC entry
    static let inet6AddressGenerationMode: UInt16 = 8  // IFLA_INET6_ADDR_GEN_MODE
    static let inet6AddressGenerationNone: UInt8 = 1  // IN6_ADDR_GEN_MODE_NONE

    // struct ifaddrmsg: family (u8), prefixlen (u8), flags (u8), scope (u8), index (u32).
    static let addressHeaderLength = 8
    static let addressAddress: UInt16 = 1  // IFA_ADDRESS
    static let addressLocal: UInt16 = 2  // IFA_LOCAL
    static let addressBroadcast: UInt16 = 4  // IFA_BROADCAST

    // struct rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type (u8 each), flags (u32).
    static let routeHeaderLength = 12
    static let routeDestination: UInt16 = 1  // RTA_DST
    static let routeOutputInterface: UInt16 = 4  // RTA_OIF
    static let routeGateway: UInt16 = 5  // RTA_GATEWAY
    static let routeTable: UInt16 = 15  // RTA_TABLE
    static let tableMain: UInt8 = 254  // RT_TABLE_MAIN
    static let protocolBoot: UInt8 = 3  // RTPROT_BOOT, what `ip route add` uses
    static let scopeUniverse: UInt8 = 0  // RT_SCOPE_UNIVERSE
    static let scopeLink: UInt8 = 253  // RT_SCOPE_LINK
    static let typeUnicast: UInt8 = 1  // RTN_UNICAST

    static let familyIPv4: UInt8 = 2  // AF_INET

    /// Rounds a length up to netlink's 4-byte alignment (NLMSG_ALIGN / RTA_ALIGN).
    @inline(__always)
    static func align(_ length: Int) -> Int { (length + 3) & ~3 }
}
