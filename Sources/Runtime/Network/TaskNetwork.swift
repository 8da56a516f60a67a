import Foundation
import LinuxHost
import ShimProtocol

/// Sets up a task's network as ECS's awsvpc mode does: its own namespace, a veth pair whose host
/// end is on the bridge and whose task end is `eth0` with an address from the persistent pool,
/// a default route through the bridge, and `lo` up. All over rtnetlink; no tools are run.
///
/// awsvpc launches take a prepared namespace from a `NetworkPool` when one is ready and create
/// their own otherwise; both end in the same state.
final class TaskNetwork: @unchecked Sendable {
    let configuration: RuntimeConfiguration
    /// Serialises use of the host netlink socket and the bridge set-up (neither is thread-safe).
    private let lock = NSLock()
    private var hostNetlink: RouteNetlink?
    /// The host's nf_tables socket, opened by the first bridge or publishing; used under
    /// `netfilterLock` alone, so a bridge-mode launch writing its table never holds up an
    /// awsvpc launch's netlink requests (taken after `lock` when both are held).
    private var netfilter: NetfilterTables?
    private let netfilterLock = NSLock()
    /// Hears why the host's routing for the bridge could not be set up (see `routeThroughHost`).
    private let onRoutingFailure: (SystemError) -> Void
    /// The network pool's own host netlink socket, used only on the pool's queue (one network
    /// at a time, so without `lock`). A refill creating a veth pair (over a millisecond, at
    /// the pool's low priority) then never holds the lock a launch's rename waits for; the
    /// kernel's rtnl lock still orders the two, but only for the length of one request.
    private var poolHostNetlink: RouteNetlink?
    /// The bridge's index as the pool's queue last got it from `prepareBridge()` (used only on
    /// that queue): the bridge is set up once, so later refills take no `lock` for it either.
    private var poolBridgeIndex: Int32?
    private var bridge: (index: Int32, subnet: IPv4Network, pool: IPAddressPool)?
    /// Namespaces prepared ahead of awsvpc launches (set once, in `init`).
    private var preparedNetworks: ReadyPool<PreparedNetwork>?

    /// The alias (`IFLA_IFALIAS`) of a prepared network's host end while no task has it: its
    /// name is already the task's to come (see `PreparedNetwork.taskID`), so the alias is what
    /// keeps every orphan sweep and leak check, in this process or another, from taking it for
    /// a dead task's (before it is set, the end being down on the bridge does; see
    /// `taskVeths()`). Taking the network removes it in the request that sets the end up.
    static let preparedVethAlias = "wharf-prepared"

    init(
        configuration: RuntimeConfiguration, onPoolFailure: @escaping (SystemError) -> Void,
        onRoutingFailure: @escaping (SystemError) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.onRoutingFailure = onRoutingFailure
        guard configuration.networkPoolSize > 0 else { return }
        preparedNetworks = NetworkPool.make(
            capacity: configuration.networkPoolSize,
            // Weak: a refill in progress must not keep a released runtime's network alive.
            prepare: { [weak self] () throws(SystemError) in
                guard let self else {
                    throw SystemError(step: "prepare a network for a released runtime", call: "none", errno: ECANCELED)
                }
                return try self.prepareNetwork(forTask: TaskID.new(), onPoolQueue: true)
            },
            onFailure: onPoolFailure)
    }

    /// Destroys the prepared namespaces and prepares no more (before the bridge is removed).
    func drainPool() {
        preparedNetworks?.drain()
    }

    /// What a task's network set-up created, for the plan and for teardown.
    struct Attachment {
        /// The runtime's descriptor of the task's network namespace: its only reference until
        /// the supervisor inherits it. Whoever holds the attachment closes it.
        var namespaceFD: Int32?
        var vethName: String?
        /// `eth0`'s MAC address (awsvpc mode).
        var macAddress: String?
        var address: IPv4Address?
        var subnet: IPv4Network?
        /// Bridge mode: the ports published (set once they are taken, so a teardown unpublishes
        /// and releases them), and what they reach.
        var publishedPorts: PublishedPorts?
        var portBindings: [PortBinding] = []
    }

    /// A container port mapping a bridge-mode task publishes.
    struct Publication {
        var containerName: String
        var mapping: PortMapping
    }

    /// The prefix, then as much of the task id as fits in an interface name (the prefix's
    /// length was checked by `RuntimeConfiguration.validate()`; task ids are ASCII).
    func vethName(for taskID: String) -> String {
        let room = RuntimeConfiguration.interfaceNameMaxLength - configuration.vethPrefix.utf8.count
        return configuration.vethPrefix + String(taskID.prefix(room))
    }

    /// Whether `link` is the host end of a prepared network no task has taken.
    static func isPreparedVeth(_ link: NetworkLink) -> Bool {
        link.alias == preparedVethAlias
    }

    /// A network prepared ahead for a task of network mode `mode` (awsvpc, or bridge, which is
    /// awsvpc and published ports), if one is ready. Its `taskID` is to be the task's id.
    func takePreparedNetwork(for mode: NetworkMode) -> PreparedNetwork? {
        guard mode == .awsvpc || mode == .bridge else { return nil }
        return preparedNetworks?.take()
    }

    /// Creates the task's network; on failure `attachment` holds what was created so far, so the
    /// caller's teardown removes exactly that.
    ///
    /// An awsvpc network is a prepared network (from the pool, else made here the same way)
    /// finished for the task: one way to build it, whether or not the pool had one ready.
    ///
    /// A bridge network is an awsvpc network with `publications` published on the host.
    /// `prepared` is a network taken for this task (`takePreparedNetwork`, made for `taskID`);
    /// without one an awsvpc network is made here.
    func attach(
        taskID: String, mode: NetworkMode, publications: [Publication] = [], prepared: PreparedNetwork? = nil, attachment: inout Attachment
    ) throws(SystemError) {
        switch mode {
        case .host:
            return
        case .none:
            let (namespaceFD, _) = try makeNamespaceWithLoopback()
            attachment.namespaceFD = namespaceFD
        case .bridge:
            try attach(taskID: taskID, mode: .awsvpc, prepared: prepared, attachment: &attachment)
            try publish(taskID: taskID, publications, attachment: &attachment)
        case .awsvpc:
            // Refilled once this launch's requests are done, whichever way it went.
            defer { preparedNetworks?.refill() }
            if let prepared {
                try attach(taskID: taskID, prepared: prepared, attachment: &attachment)
            } else {
                try attach(taskID: taskID, prepared: try prepareNetwork(forTask: taskID, onPoolQueue: false), attachment: &attachment)
            }
        }
    }

    /// The task-specific rest of an awsvpc network on a prepared namespace: the address, the
    /// host end (named after the task, on the bridge) up, and the default route.
    private func attach(taskID: String, prepared: PreparedNetwork, attachment: inout Attachment) throws(SystemError) {
        // The namespace (and with it the pair) is the attachment's from here: a failure below
        // closes it in the teardown, which destroys the pair under whatever name it has.
        attachment.namespaceFD = prepared.namespaceFD
        let (_, subnet, pool) = try prepareBridge()
        attachment.subnet = subnet
        let address = try pool.allocate(owner: taskID)
        attachment.address = address
        // Named after the task and on the bridge from its making: set up, and no longer marked
        // as prepared. (A rename here made every launch wait for an RCU grace period under the
        // kernel's rtnl lock, holding up every other netlink request on the host meanwhile.)
        try withHostNetlink { (netlink) throws(SystemError) in
            try netlink.setUpRemovingAlias(linkIndex: prepared.hostVethIndex)
        }
        attachment.vethName = prepared.hostVethName
        attachment.macAddress = prepared.eth0MACAddress
        _ = try prepared.inside.addAddress(address, prefixLength: subnet.prefixLength, linkIndex: prepared.eth0Index)
        try prepared.inside.addDefaultRoute(gateway: subnet.gateway, linkIndex: prepared.eth0Index)
    }

    /// Publishes a bridge-mode task's port mappings: takes their host ports (the asked-for ones,
    /// else dynamic ones) and adds the task's chain and map entries to the bridge's table
    /// (`NATRules.publication`), in one transaction.
    private func publish(taskID: String, _ publications: [Publication], attachment: inout Attachment) throws(SystemError) {
        guard !publications.isEmpty, let address = attachment.address else { return }
        let pool = try HostPortPool(directory: configuration.hostPortPoolDirectory, dynamicRange: configuration.dynamicHostPortRange)
        let requests = publications.map { publication in
            HostPortPool.Request(
                publication.mapping.transportProtocol == .udp ? .udp : .tcp,
                port: publication.mapping.hostPort.flatMap { $0 == 0 ? nil : UInt16(exactly: $0) })
        }
        let owner = configuration.hostPortOwner(forTask: taskID)
        let ports = try pool.allocate(owner: owner, requests)
        let published = PublishedPorts(
            table: configuration.natTableName, chain: configuration.natChainName(forTask: taskID),
            ports: ports, poolDirectory: pool.directory, owner: owner)
        attachment.publishedPorts = published
        attachment.portBindings = zip(publications, ports).map { publication, port in
            PortBinding(
                containerName: publication.containerName, containerPort: publication.mapping.containerPort, hostPort: Int(port.number),
                transportProtocol: publication.mapping.transportProtocol)
        }
        let publication = NATRules.publication(published, address: address, bindings: attachment.portBindings)
        try withNetfilter { (tables) throws(SystemError) in
            do throws(SystemError) {
                try tables.commit(publication, step: "publish the ports of task \(taskID)")
            } catch where error.errno == ENOENT {
                // The bridge's table is missing (its write at start-up failed, or something
                // flushed the host's ruleset since): written again with the publication.
                try tables.commit(bridgeTable + publication, step: "publish the ports of task \(taskID) with the bridge's table")
            }
        }
    }

    /// The lasting part of the bridge's table (`NATRules.bridgeTable`).
    private var bridgeTable: [NftOperation] {
        NATRules.bridgeTable(name: configuration.natTableName, bridge: configuration.bridgeName, outboundNAT: configuration.outboundNAT)
    }

    /// Runs `body` with the host's nf_tables socket, under `netfilterLock`.
    private func withNetfilter<Result>(_ body: (NetfilterTables) throws(SystemError) -> Result) throws(SystemError) -> Result {
        netfilterLock.lock()
        defer { netfilterLock.unlock() }
        return try body(try hostNetfilter())
    }

    /// Called under `netfilterLock`.
    private func hostNetfilter() throws(SystemError) -> NetfilterTables {
        if let netfilter { return netfilter }
        let tables = try NetfilterTables()
        netfilter = tables
        return tables
    }

    /// The task chains in the bridge's table (none when it does not exist).
    func natTaskChains() throws(SystemError) -> [String] {
        try withNetfilter { (tables) throws(SystemError) in
            try tables.chainNames(table: configuration.natTableName).filter { configuration.taskID(ofNATChain: $0) != nil }
        }
    }

    /// Unpublishes the ports `published` names (see `PublishedPorts.unpublish`).
    func unpublish(_ published: PublishedPorts) throws(SystemError) {
        try withNetfilter { (tables) throws(SystemError) in try published.unpublish(with: tables) }
    }

    /// Tables of the first bridge-mode release, one per task (`wharf_BRIDGE_TASKID`), by task id.
    func legacyTaskTables() throws(SystemError) -> [String: String] {
        try withNetfilter { (tables) throws(SystemError) in
            var found: [String: String] = [:]
            for name in try tables.tableNames() {
                if let id = configuration.taskID(ofHostPortOwner: name) { found[id] = name }
            }
            return found
        }
    }

    func deleteTable(named name: String) throws(SystemError) {
        try withNetfilter { (tables) throws(SystemError) in _ = try tables.delete(tableNamed: name) }
    }

    /// Deletes the bridge's table with every task's chain and map entry in it.
    func deleteNATTable() throws(SystemError) {
        try withNetfilter { (tables) throws(SystemError) in _ = try tables.delete(tableNamed: configuration.natTableName) }
    }

    /// A new namespace with `lo` up, and a netlink socket inside it. The caller owns the
    /// descriptor; nothing is left behind when this throws.
    private func makeNamespaceWithLoopback() throws(SystemError) -> (namespaceFD: Int32, inside: RouteNetlink) {
        let namespaceFD = try NetworkNamespace.create()
        do throws(SystemError) {
            let inside = try RouteNetlink(namespaceFD: namespaceFD)
            // Every network namespace has `lo` from its creation: addressed by name, one request.
            try inside.setUp(linkNamed: "lo")
            return (namespaceFD, inside)
        } catch {
            close(namespaceFD)
            throw error
        }
    }

    /// One network ready for task `taskID`: a namespace with `lo` and `eth0` up, `eth0`'s host
    /// end on the bridge, down, named after the task (`vethName(for:)`) and, made ahead on the
    /// pool's queue, marked as prepared (`preparedVethAlias`); `eth0` without an IPv6 link-local address (see
    /// `disableIPv6AddressGeneration`), the host end without IPv6 at all (see
    /// `disableIPv6(onHostEnd:onPoolQueue:)`). Made on the pool's queue (`onPoolQueue`, with the pool's
    /// own host socket), or by a launch that found the pool empty.
    ///
    /// Three requests and a sysctl write: `lo` up, the pair (whose echo names both ends'
    /// indexes), `eth0` up without IPv6 address generation (it has no carrier yet: the host end
    /// is down), and the host end's IPv6 off (a fourth request from a kernel that does not echo
    /// the pair); on the pool's queue a fifth, the mark.
    private func prepareNetwork(forTask taskID: String, onPoolQueue: Bool) throws(SystemError) -> PreparedNetwork {
        let bridgeIndex: Int32
        if onPoolQueue, let poolBridgeIndex {
            bridgeIndex = poolBridgeIndex
        } else {
            bridgeIndex = try prepareBridge().index
            if onPoolQueue { poolBridgeIndex = bridgeIndex }
        }
        let (namespaceFD, inside) = try makeNamespaceWithLoopback()
        do throws(SystemError) {
            // Random, as the kernel would pick one, but known here without asking it back, so the
            // task can report its ENI's address.
            let mac = NetworkLink.randomLocalMACAddress()
            let host = try createVethPair(
                named: vethName(for: taskID), namespaceFD: namespaceFD, bridgeIndex: bridgeIndex, eth0MAC: mac, onPoolQueue: onPoolQueue)
            if onPoolQueue {
                try withHostNetlink(onPoolQueue: true) { (netlink) throws(SystemError) in
                    try netlink.setAlias(linkIndex: host.index, to: Self.preparedVethAlias)
                }
            }
            guard let eth0 = host.peerIndex else {
                throw SystemError(step: "find eth0 of the prepared veth \(host.name)", call: "RTM_GETLINK", errno: ENODEV)
            }
            try inside.disableIPv6AddressGeneration(linkIndex: eth0, settingUp: true)
            try disableIPv6(onHostEnd: host, onPoolQueue: onPoolQueue)
            return PreparedNetwork(
                taskID: taskID, namespaceFD: namespaceFD, inside: inside, hostVethIndex: host.index, hostVethName: host.name,
                eth0Index: eth0, eth0MACAddress: Self.macText(mac))
        } catch {
            // The namespace holds the pair: closing it removes everything made here.
            close(namespaceFD)
            throw error
        }
    }

    /// Turns IPv6 off on a prepared pair's host end (`InterfaceSysctl.disableIPv6`), so the
    /// host's IPv6 table does not grow a route per task that every port's state change walks.
    /// Where that cannot be done (`/proc/sys` read-only or absent, or any other failure), the
    /// end at least gets no link-local address (`disableIPv6AddressGeneration`), which is
    /// what tasks need and what was done before.
    private func disableIPv6(onHostEnd host: NetworkLink, onPoolQueue: Bool) throws(SystemError) {
        if (try? InterfaceSysctl.disableIPv6(interface: host.name)) == true { return }
        try withHostNetlink(onPoolQueue: onPoolQueue) { (netlink) throws(SystemError) in
            try netlink.disableIPv6AddressGeneration(linkIndex: host.index)
        }
    }


    /// `bytes` as a MAC address is written, `0a:1b:2c:3d:4e:5f`.
    static func macText(_ bytes: [UInt8]) -> String {
        let hex = Array(Hex.lowercase(bytes))
        return stride(from: 0, to: hex.count, by: 2).map { String(hex[$0..<$0 + 2]) }.joined(separator: ":")
    }

    /// Creates a veth pair whose host end is called `name`, on the bridge and down, with `eth0`
    /// inside, whose MAC is `eth0MAC`; returns the host end, whose `peerIndex` is `eth0`'s index
    /// inside the namespace.
    ///
    /// - Throws: `SystemError` with `EEXIST` if `name` is taken (13 random hex digits of a task
    ///   id: a live task's, or another runtime's prepared network with the same prefix, by a
    ///   chance of one in thousands of billions per launch).
    private func createVethPair(named name: String, namespaceFD: Int32, bridgeIndex: Int32, eth0MAC: [UInt8], onPoolQueue: Bool)
        throws(SystemError)
        -> NetworkLink
    {
        try withHostNetlink(onPoolQueue: onPoolQueue) { (netlink) throws(SystemError) -> NetworkLink in
            let created = try netlink.createVethPair(
                hostName: name, peerName: "eth0", peerNamespaceFD: namespaceFD, hostMasterIndex: bridgeIndex, hostUp: false,
                peerAddress: eth0MAC)
            if let created { return created }
            // A kernel that does not echo link creation: look the host end up.
            guard let host = try netlink.link(named: name) else {
                throw SystemError(step: "find the veth \(name)", call: "RTM_GETLINK", errno: ENODEV)
            }
            return host
        }
    }

    /// The bridge's index, subnet and address pool, creating and addressing the bridge on first use.
    func prepareBridge() throws(SystemError) -> (index: Int32, subnet: IPv4Network, pool: IPAddressPool) {
        lock.lock()
        defer { lock.unlock() }
        if let bridge { return bridge }
        let netlink = try hostSocket()
        let subnet = try chooseSubnet(netlink)
        // Without multicast snooping: a port's state change then costs nothing per other port
        // (see createBridge), and multicast, which an awsvpc ENI's VPC does not route anyway,
        // is flooded to every task as a plain switch would. A bridge that exists already (made
        // by an older Wharf, kept across restarts) is switched over too.
        _ = try netlink.createBridge(named: configuration.bridgeName, multicastSnooping: false)
        guard let index = try netlink.linkIndex(named: configuration.bridgeName) else {
            throw SystemError(step: "find bridge \(configuration.bridgeName)", call: "RTM_GETLINK", errno: ENODEV)
        }
        _ = try netlink.addAddress(subnet.gateway, prefixLength: subnet.prefixLength, linkIndex: index)
        try netlink.setUp(linkIndex: index)
        // Tasks on the bridge work without it (they reach the host, the host reaches them), so
        // a host without nf_tables still runs awsvpc tasks; publishing ports then fails alone.
        do {
            try routeThroughHost()
        } catch {
            onRoutingFailure(error)
        }
        let pool = try IPAddressPool(directory: configuration.addressPoolDirectory, network: subnet)
        bridge = (index, subnet, pool)
        return (index, subnet, pool)
    }

    /// What tasks on the bridge need of the host's routing (once, with the bridge): forwarding
    /// and the bridge's table (see `NATRules.bridgeTable`), and loopback sources allowed on the
    /// bridge for ports published to `127.0.0.1`, only once the table guards the host's
    /// loopback services from the tasks. Called under `lock`.
    private func routeThroughHost() throws(SystemError) {
        if configuration.outboundNAT { try InterfaceSysctl.enableIPv4Forwarding() }
        try withNetfilter { (tables) throws(SystemError) in
            try tables.commit(bridgeTable, step: "write the bridge's nftables table ip \(configuration.natTableName)")
        }
        try InterfaceSysctl.allowLoopbackSources(interface: configuration.bridgeName)
    }

    /// The configured subnet, else the one remembered for this bridge, else the first candidate
    /// that overlaps no route of the host (so tasks never shadow a network the host uses).
    private func chooseSubnet(_ netlink: RouteNetlink) throws(SystemError) -> IPv4Network {
        if let subnet = configuration.subnet { return subnet }
        let remembered = configuration.addressPoolDirectory + ".subnet"
        if let text = try FileSystem.readIfPresent(remembered), let subnet = IPv4Network(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            return subnet
        }
        let bridgeIndex = try netlink.linkIndex(named: configuration.bridgeName)
        let routes = try netlink.routes().filter { !$0.isDefault && $0.linkIndex != bridgeIndex }
        let candidates = ["10.213.0.0/16", "10.214.0.0/16", "10.215.0.0/16", "172.30.0.0/16", "192.168.213.0/24"]
        for candidate in candidates.compactMap(IPv4Network.init) where !routes.contains(where: { $0.destination.overlaps(candidate) }) {
            try FileSystem.makeDirectories(configuration.dataDirectory + "/ipam")
            try FileSystem.writeAtomically(remembered, candidate.description + "\n")
            return candidate
        }
        throw SystemError(step: "choose a task subnet: every candidate overlaps a host route", call: "RTM_GETROUTE", errno: EADDRINUSE)
    }

    private func hostSocket() throws(SystemError) -> RouteNetlink {
        if let hostNetlink { return hostNetlink }
        let socket = try RouteNetlink()
        hostNetlink = socket
        return socket
    }

    /// Runs `body` with a host netlink socket: the pool's own on the pool's queue, otherwise
    /// the shared one under `lock`.
    private func withHostNetlink<Result>(
        onPoolQueue: Bool = false, _ body: (RouteNetlink) throws(SystemError) -> Result
    ) throws(SystemError) -> Result {
        if onPoolQueue {
            if let poolHostNetlink { return try body(poolHostNetlink) }
            let socket = try RouteNetlink()
            poolHostNetlink = socket
            return try body(socket)
        }
        lock.lock()
        defer { lock.unlock() }
        return try body(try hostSocket())
    }

    /// Host veths whose names carry this runtime's veth prefix and that are on this runtime's
    /// bridge or on none (a task veth whose enslaving never happened). Only veths: a bridge or
    /// other link that happens to share the prefix (another runtime's `wharf1` next to prefix
    /// `wh`) is never a task's; nor is a veth on another bridge (another runtime using the same
    /// prefix, as concurrent benchmark runs do); nor is a prepared network's host end (it is no
    /// task's, and it goes with the process that prepared it): one marked as prepared, and one
    /// that is down on the bridge, as a prepared end is between its creation and its marking
    /// (the kernel takes no alias in the request that creates a link) and a launch's until it
    /// sets it up. A task's end is up from its launch on, and an end whose network was never
    /// finished goes with its namespace, which only the launching process holds.
    ///
    /// `bridgeIndex` is the index of this runtime's bridge, `nil` when it does not exist.
    func taskVeths() throws(SystemError) -> (veths: [NetworkLink], bridgeIndex: Int32?) {
        lock.lock()
        defer { lock.unlock() }
        let links = try hostSocket().links()
        let bridgeIndex = links.first { $0.name == configuration.bridgeName }?.index
        let veths = links.filter {
            $0.kind == "veth" && $0.name.hasPrefix(configuration.vethPrefix) && !Self.isPreparedVeth($0)
                && ($0.masterIndex == nil || ($0.masterIndex == bridgeIndex && $0.isUp))
        }
        return (veths, bridgeIndex)
    }

    func deleteLink(named name: String) throws(SystemError) {
        try withHostNetlink { (netlink) throws(SystemError) in _ = try netlink.deleteLink(named: name) }
    }
}
