import LinuxHost
import ShimProtocol

/// The nf_tables rules the runtime writes, all in its bridge's table (`wharf_BRIDGE`): written
/// once with the bridge, base chains and port maps that stay; per bridge-mode task, a chain of
/// DNAT rules and the map entries sending its ports there, added at launch and removed at
/// teardown. Nothing of a task registers a netfilter hook: adding and removing hooks made every
/// bridge-mode launch and stop wait for the kernel (about 15 ms per stop), and a task's rules
/// are reached in one map lookup per new connection, however many tasks publish ports.
enum NATRules {
    /// The bridge's table, without touching the tasks' chains or map entries that may be in it
    /// (its base chains are emptied and refilled in the same transaction):
    /// - `loopback-guard` (prerouting, before connection tracking): a packet from the bridge
    ///   addressed to `127.0.0.0/8` is dropped. `route_localnet`, which lets a published port's
    ///   loopback clients out through the bridge, would otherwise let a task reach the host's
    ///   loopback-only services (CVE-2020-8558 in Kubernetes); a real reply to such a client is
    ///   addressed to the bridge's own address until conntrack translates it, after this chain.
    /// - `prerouting` and `output` (destination NAT): a new connection to an address of the
    ///   host on a port the `tcp_ports` or `udp_ports` map holds jumps to the chain of the task
    ///   publishing it, whether it comes from another machine or a task, or from the host.
    /// - `postrouting` (source NAT): what arrives from the bridge and is routed on (out to other
    ///   networks, or back to the bridge after a published port) leaves with the host's
    ///   address (only with `outboundNAT`); what the host sends a task from a loopback address
    ///   (a published port's `127.0.0.1` client) leaves with the bridge's.
    static func bridgeTable(name table: String, bridge: String, outboundNAT: Bool) -> [NftOperation] {
        let guardLoopback = NftRule([
            .meta(.inputInterfaceName, into: .one),
            .compareInterfaceName(.one, equal: true, bridge),
            .payload(.network, offset: 16, length: 1, into: .one),  // the destination address's first byte
            .compare(.one, equal: true, bytes: [127]),
            .drop,
        ])
        let toPublishedPorts = HostPortProtocol.allCases.map { transport in
            NftRule([
                .destinationAddressType(into: .one),
                .compareAddressTypeIsLocal(.one),
                .meta(.l4Protocol, into: .one),
                .compare(.one, equal: true, bytes: [protocolNumber(transport)]),
                .payload(.transport, offset: 2, length: 2, into: .one),  // the destination port
                .lookupVerdict(map: PublishedPorts.mapName(transport), key: .one),
            ])
        }
        var sourceNAT: [NftRule] = []
        if outboundNAT {
            sourceNAT.append(NftRule([.meta(.inputInterfaceName, into: .one), .compareInterfaceName(.one, equal: true, bridge), .masquerade]))
        }
        sourceNAT.append(NftRule([
            .payload(.network, offset: 12, length: 1, into: .one),  // the source address's first byte
            .compare(.one, equal: true, bytes: [127]),
            .meta(.outputInterfaceName, into: .one),
            .compareInterfaceName(.one, equal: true, bridge),
            .masquerade,
        ]))
        let chains = [
            NftChain(name: "loopback-guard", type: .filter, hook: .prerouting, priority: -300, rules: [guardLoopback]),
            NftChain(name: "prerouting", hook: .prerouting, priority: -100, rules: toPublishedPorts),
            NftChain(name: "output", hook: .output, priority: -100, rules: toPublishedPorts),
            NftChain(name: "postrouting", hook: .postrouting, priority: 100, rules: sourceNAT),
        ]
        var operations: [NftOperation] = [.addTable(table)]
        for transport in HostPortProtocol.allCases {
            operations.append(.addPortVerdictMap(table: table, name: PublishedPorts.mapName(transport)))
        }
        for chain in chains {
            var empty = chain
            empty.rules = []
            operations.append(.addChain(table: table, empty))
            operations.append(.flushChain(table: table, chain: chain.name))
            operations += chain.rules.map { .addRule(table: table, chain: chain.name, $0) }
        }
        return operations
    }

    /// Publishing a task's bindings: its chain, one DNAT rule per binding (to the task's address
    /// and container port), and the map entries sending its host ports to the chain.
    static func publication(_ published: PublishedPorts, address: IPv4Address, bindings: [PortBinding]) -> [NftOperation] {
        let rules = bindings.map { binding in
            NftRule([
                .meta(.l4Protocol, into: .one),
                .compare(.one, equal: true, bytes: [protocolNumber(binding.transportProtocol == .udp ? .udp : .tcp)]),
                .payload(.transport, offset: 2, length: 2, into: .one),  // the destination port
                .compare(.one, equal: true, bytes: bytes(of: UInt16(truncatingIfNeeded: binding.hostPort).bigEndian)),
                .immediate(bytes(of: address.value.bigEndian), into: .one),
                .immediate(bytes(of: UInt16(truncatingIfNeeded: binding.containerPort).bigEndian), into: .two),
                .destinationNAT(address: .one, port: .two),
            ])
        }
        var operations: [NftOperation] = [.addChain(table: published.table, NftChain(regular: published.chain, rules: rules))]
        for transport in HostPortProtocol.allCases {
            let ports = published.ports.filter { $0.transport == transport }.map(\.number)
            guard !ports.isEmpty else { continue }
            operations.append(.addPortJumps(table: published.table, map: PublishedPorts.mapName(transport), ports: ports, chain: published.chain))
        }
        return operations
    }

    private static func protocolNumber(_ transport: HostPortProtocol) -> UInt8 {
        transport == .udp ? 17 : 6
    }

    private static func bytes<T: FixedWidthInteger>(of value: T) -> [UInt8] {
        withUnsafeBytes(of: value) { Array($0) }
    }
}
