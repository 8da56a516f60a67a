#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// Link (interface) operations: RTM_NEWLINK / RTM_SETLINK / RTM_GETLINK / RTM_DELLINK.
extension RouteNetlink {
    /// The link called `name`, or `nil` if there is none in this socket's namespace.
    public func link(named name: String) throws(SystemError) -> NetworkLink? {
        var found: NetworkLink?
        do {
            try query("RTM_GETLINK", step: { "look up link \(name)" }, type: Netlink.getLink) { request in
                request.linkHeader()
                request.attribute(Netlink.linkName, string: name)
            } handle: { message throws(SystemError) in
                found = NetworkLink.parse(message)
            }
        } catch where error.errno == ENODEV {
            return nil
        }
        return found
    }

    /// The index of the link called `name`, or `nil` if there is none.
    public func linkIndex(named name: String) throws(SystemError) -> Int32? {
        try link(named: name)?.index
    }

    /// All links in this socket's namespace.
    public func links() throws(SystemError) -> [NetworkLink] {
        try dump("RTM_GETLINK", step: { "list links" }, type: Netlink.getLink) { request in
            request.linkHeader()
        } parse: { message in
            NetworkLink.parse(message)
        }
    }

    /// Creates a bridge called `name`, or sets up the existing bridge of that name the same way
    /// (returns `false`), so daemon restarts are idempotent and a bridge made before a setting
    /// existed gets it too; an existing link of another kind is refused.
    ///
    /// - Parameter multicastSnooping: whether the bridge tracks multicast group membership
    ///   (the kernel's default) or floods multicast to every port. With snooping on, every
    ///   port that comes up or goes down makes the kernel re-arm the multicast timers of every
    ///   other port (`br_port_state_selection`), so each task's veth costs time in proportion
    ///   to the tasks already running.
    ///
    /// The bridge's MAC address is set, not left to the kernel: a new bridge gets
    /// `address` (a random locally administered one by default), an existing one keeps the
    /// address it has (or gets `address` if it has none yet, as a bridge without ports). A
    /// bridge whose address was never set takes the lowest of its ports' addresses, and
    /// changes it as ports come and go: every port added or removed then walks every port
    /// (`br_stp_recalculate_bridge_id`), and the tasks behind the ports keep the gateway's old
    /// address in their ARP caches, which stops reaching the bridge once that port is gone.
    /// - Returns: whether the bridge was created by this call.
    @discardableResult
    public func createBridge(
        named name: String, multicastSnooping: Bool = true, address: [UInt8] = NetworkLink.randomLocalMACAddress()
    ) throws(SystemError) -> Bool {
        // The same request creates the bridge or, without NLM_F_CREATE, changes the existing one.
        func request(flags: UInt16, address: [UInt8], step: () -> String) throws(SystemError) {
            try perform("RTM_NEWLINK", step: step, type: Netlink.newLink, flags: flags) { request in
                request.linkHeader()
                request.attribute(Netlink.linkName, string: name)
                request.attribute(Netlink.linkAddress, bytes: address)
                let info = request.beginNested(Netlink.linkInfo)
                request.attribute(Netlink.infoKind, string: "bridge")
                let data = request.beginNested(Netlink.infoData)
                request.attribute(Netlink.bridgeMulticastSnooping, byte: multicastSnooping ? 1 : 0)
                request.endNested(data)
                request.endNested(info)
            }
        }
        do {
            try request(flags: Netlink.create | Netlink.exclusive, address: address) { "create bridge \(name)" }
            return true
        } catch where error.errno == EEXIST {
            guard let existing = try links().first(where: { $0.name == name }), existing.kind == "bridge" else { throw error }
            // Set to itself, the address stays what the tasks know, and is the bridge's from now on.
            let current = existing.hardwareAddress.flatMap { $0.count == 6 && $0.contains { $0 != 0 } ? $0 : nil }
            try request(flags: 0, address: current ?? address) { "set up the existing bridge \(name)" }
            return false
        }
    }

    /// Creates a veth pair: `hostName` in this socket's namespace and `peerName` created
    /// directly inside the namespace `peerNamespaceFD` (or next to `hostName` when `nil`).
    ///
    /// Creating the peer in place, rather than creating it here and moving it, is one request
    /// instead of two and the peer's name never has to be unique in the host namespace.
    ///
    /// `hostMasterIndex` and `hostUp` fold the usual follow-up requests for the host end
    /// (enslave it to the bridge, set it up) into the creating request, which saves two round
    /// trips on the task launch path. The peer cannot be created up (see below); set it up
    /// with `setUp(linkIndex:)` from a socket in its namespace.
    ///
    /// Both ends get one transmit and one receive queue, asked for explicitly: left unsaid, the
    /// kernel allocates a queue per possible CPU for each end, registers their sysfs objects,
    /// then cuts the real count back to one, which unregisters them again and waits for an
    /// expedited RCU grace period (`netif_set_real_num_tx_queues`), twice per pair.
    ///
    /// The request asks for the kernel's notification of the new host end (`NLM_F_ECHO`),
    /// which names its index and, as `peerIndex`, the peer's index in the peer's namespace: the
    /// caller needs no lookup of either.
    ///
    /// - Returns: the host end as the kernel reported it, or `nil` from a kernel that does not
    ///   echo link creation (before 6.1); look the ends up by name then.
    /// `peerAddress` (6 bytes) is the peer's MAC address; nil lets the kernel pick a random one.
    /// - Throws: `SystemError` with `EEXIST` if either name is taken.
    @discardableResult
    public func createVethPair(
        hostName: String, peerName: String, peerNamespaceFD: Int32?, hostMasterIndex: Int32? = nil, hostUp: Bool = false,
        peerAddress: [UInt8]? = nil
    ) throws(SystemError) -> NetworkLink? {
        let upFlags = hostUp ? Netlink.interfaceUp : 0
        var created: NetworkLink?
        try perform(
            "RTM_NEWLINK", step: { "create veth pair \(hostName)/\(peerName)" },
            type: Netlink.newLink, flags: Netlink.create | Netlink.exclusive | Netlink.echo
        ) { request in
            request.linkHeader(flags: upFlags, change: upFlags)
            request.attribute(Netlink.linkName, string: hostName)
            request.attribute(Netlink.linkTransmitQueues, UInt32(1))
            request.attribute(Netlink.linkReceiveQueues, UInt32(1))
            if let hostMasterIndex { request.attribute(Netlink.linkMaster, UInt32(bitPattern: hostMasterIndex)) }
            let info = request.beginNested(Netlink.linkInfo)
            request.attribute(Netlink.infoKind, string: "veth")
            let data = request.beginNested(Netlink.infoData)
            // VETH_INFO_PEER's payload is a whole ifinfomsg followed by the peer's attributes.
            let peer = request.beginNested(Netlink.vethPeer)
            // No IFF_UP for the peer here: the kernel configures the peer before pairing the
            // two ends, so opening it then fails with ENOTCONN. The peer is set up afterwards.
            request.linkHeader()
            request.attribute(Netlink.linkName, string: peerName)
            if let peerAddress { request.attribute(Netlink.linkAddress, bytes: peerAddress) }
            request.attribute(Netlink.linkTransmitQueues, UInt32(1))
            request.attribute(Netlink.linkReceiveQueues, UInt32(1))
            if let peerNamespaceFD {
                request.attribute(Netlink.linkNamespaceFD, UInt32(bitPattern: peerNamespaceFD))
            }
            request.endNested(peer)
            request.endNested(data)
            request.endNested(info)
        } handle: { message throws(SystemError) in
            if let link = NetworkLink.parse(message), link.name == hostName { created = link }
        }
        return created
    }

    /// Enslaves link `linkIndex` to `masterIndex` (e.g. a veth to a bridge).
    public func setMaster(linkIndex: Int32, masterIndex: Int32) throws(SystemError) {
        try perform(
            "RTM_SETLINK", step: { "set master of link \(linkIndex) to \(masterIndex)" },
            type: Netlink.setLink, flags: 0
        ) { request in
            request.linkHeader(index: linkIndex)
            request.attribute(Netlink.linkMaster, UInt32(bitPattern: masterIndex))
        }
    }

    /// Sets the alias of link `linkIndex` (`IFLA_IFALIAS`; at most 255 bytes).
    public func setAlias(linkIndex: Int32, to alias: String) throws(SystemError) {
        try perform(
            "RTM_SETLINK", step: { "set the alias of link \(linkIndex) to \(alias)" }, type: Netlink.setLink, flags: 0
        ) { request in
            request.linkHeader(index: linkIndex)
            request.attribute(Netlink.linkAlias, bytes: Array(alias.utf8))
        }
    }

    /// Sets link `linkIndex` up and removes its alias, in one request. Unlike a rename, neither
    /// waits for an RCU grace period under the rtnl lock.
    public func setUpRemovingAlias(linkIndex: Int32) throws(SystemError) {
        try perform(
            "RTM_SETLINK", step: { "set link \(linkIndex) up without its alias" }, type: Netlink.setLink, flags: 0
        ) { request in
            request.linkHeader(index: linkIndex, flags: Netlink.interfaceUp, change: Netlink.interfaceUp)
            // An empty alias removes it (dumps leave it out). One NUL byte, not an empty payload:
            // kernels before 4.19 refuse an alias shorter than one byte.
            request.attribute(Netlink.linkAlias, bytes: [0])
        }
    }

    /// Stops the kernel from giving link `linkIndex` an IPv6 link-local address when it comes up
    /// (`IN6_ADDR_GEN_MODE_NONE`). Without one the link sends no duplicate-address detection,
    /// router solicitation or MLD report: on a bridge every such multicast is flooded to every
    /// port and into every namespace behind it, so a thousand task veths made each new task
    /// cost a thousand deliveries. Call it while the link is down.
    ///
    /// - Parameter settingUp: also sets the link up, in the same request. The kernel changes the
    ///   flags before the address generation mode, so the link must have no carrier yet (a veth
    ///   end whose peer is down): without carrier it gets no link-local address, and by the time
    ///   it has one the mode is `none`.
    ///
    /// On a host booted without IPv6 (`ipv6.disable=1`) the kernel knows no IPv6 link
    /// attributes and refuses the request with `EAFNOSUPPORT`: there is nothing to turn off
    /// there, so only the set-up is done.
    public func disableIPv6AddressGeneration(linkIndex: Int32, settingUp: Bool = false) throws(SystemError) {
        try disableAddressGeneration(linkIndex: linkIndex, settingUp: settingUp, family: Netlink.familyIPv6)
    }

    /// `disableIPv6AddressGeneration` for the address family `family`'s attributes: tests
    /// name a family the kernel does not know, as a host without IPv6 knows no IPv6.
    func disableAddressGeneration(linkIndex: Int32, settingUp: Bool, family: UInt16) throws(SystemError) {
        let upFlags = settingUp ? Netlink.interfaceUp : 0
        do throws(SystemError) {
            try perform(
                "RTM_SETLINK",
                step: { "turn off IPv6 address generation on link \(linkIndex)" + (settingUp ? " and set it up" : "") },
                type: Netlink.setLink, flags: 0
            ) { request in
                request.linkHeader(index: linkIndex, flags: upFlags, change: upFlags)
                let specific = request.beginNested(Netlink.linkAddressFamilySpecific)
                let inet6 = request.beginNested(family)
                request.attribute(Netlink.inet6AddressGenerationMode, byte: Netlink.inet6AddressGenerationNone)
                request.endNested(inet6)
                request.endNested(specific)
            }
        } catch where error.errno == EAFNOSUPPORT {
            if settingUp { try setUp(linkIndex: linkIndex) }
        }
    }

    /// Sets the link called `name` administratively up, addressed by name (no index lookup
    /// first). `ENODEV` if there is no such link.
    public func setUp(linkNamed name: String) throws(SystemError) {
        try perform(
            "RTM_SETLINK", step: { "set link \(name) up" }, type: Netlink.setLink, flags: 0
        ) { request in
            request.linkHeader(flags: Netlink.interfaceUp, change: Netlink.interfaceUp)
            request.attribute(Netlink.linkName, string: name)
        }
    }

    /// Sets link `linkIndex` administratively up (`IFF_UP`), or down when `up` is `false`.
    public func setUp(linkIndex: Int32, _ up: Bool = true) throws(SystemError) {
        try perform(
            "RTM_SETLINK", step: { "set link \(linkIndex) \(up ? "up" : "down")" },
            type: Netlink.setLink, flags: 0
        ) { request in
            // ifi_change selects which flag bits this request changes; the rest stay as they are.
            request.linkHeader(index: linkIndex, flags: up ? Netlink.interfaceUp : 0, change: Netlink.interfaceUp)
        }
    }

    /// Deletes the link called `name` (for a veth, both ends go).
    ///
    /// - Returns: whether it existed; a missing link is not an error, so cleanup is idempotent.
    @discardableResult
    public func deleteLink(named name: String) throws(SystemError) -> Bool {
        do {
            try perform("RTM_DELLINK", step: { "delete link \(name)" }, type: Netlink.deleteLink, flags: 0) { request in
                request.linkHeader()
                request.attribute(Netlink.linkName, string: name)
            }
            return true
        } catch where error.errno == ENODEV {
            return false
        }
    }
}
