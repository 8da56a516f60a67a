import LinuxHost

/// The nf_tables tables the runtime writes: one per bridge for source NAT, one per bridge-mode
/// task with published ports for destination NAT. A table per task makes its rules one object
/// to write at launch and to delete at teardown, with nothing to find inside a shared table.
enum NATRules {
    /// The bridge's table. On `prerouting`, before connection tracking: a packet from the bridge
    /// addressed to `127.0.0.0/8` is dropped. `route_localnet`, which lets a published port's
    /// loopback clients out through the bridge, would otherwise let a task reach the host's
    /// loopback-only services (CVE-2020-8558 in Kubernetes); a real reply to such a client is
    /// addressed to the bridge's own address until conntrack translates it, after this chain.
    /// On `postrouting`:
    /// - what arrives from the bridge and is routed on (out to other networks, or back to
    ///   the bridge after a published port sent it to another task) leaves with the host's
    ///   address, so replies come back through the host (only with `outboundNAT`);
    /// - what the host sends a task from a loopback address (a client of `127.0.0.1:PORT`
    ///   whose connection a published port sent to the task) leaves with the bridge's address,
    ///   which the task can answer.
    static func bridgeTable(name: String, bridge: String, outboundNAT: Bool) -> NftTable {
        var rules: [NftRule] = []
        if outboundNAT {
            rules.append(NftRule([.meta(.inputInterfaceName, into: .one), .compareInterfaceName(.one, equal: true, bridge), .masquerade]))
        }
        rules.append(NftRule([
            .payload(.network, offset: 12, length: 1, into: .one),  // the source address's first byte
            .compare(.one, equal: true, bytes: [127]),
            .meta(.outputInterfaceName, into: .one),
            .compareInterfaceName(.one, equal: true, bridge),
            .masquerade,
        ]))
        let guardLoopback = NftRule([
            .meta(.inputInterfaceName, into: .one),
            .compareInterfaceName(.one, equal: true, bridge),
            .payload(.network, offset: 16, length: 1, into: .one),  // the destination address's first byte
            .compare(.one, equal: true, bytes: [127]),
            .drop,
        ])
        return NftTable(name: name, chains: [
            NftChain(name: "loopback-guard", type: .filter, hook: .prerouting, priority: -300, rules: [guardLoopback]),
            NftChain(name: "postrouting", hook: .postrouting, priority: 100, rules: rules),
        ])
    }

    /// A task's table: for each binding, a new connection to an address of the host on its
    /// host port goes to the task's address and container port, whether it comes from another
    /// machine or a task (`prerouting`) or from the host itself (`output`).
    static func taskTable(name: String, address: IPv4Address, bindings: [PortBinding]) -> NftTable {
        let rules = bindings.map { binding in
            NftRule([
                .destinationAddressType(into: .one),
                .compareAddressTypeIsLocal(.one),
                .meta(.l4Protocol, into: .one),
                .compare(.one, equal: true, bytes: [binding.transportProtocol == .udp ? 17 : 6]),
                .payload(.transport, offset: 2, length: 2, into: .one),  // the destination port
                .compare(.one, equal: true, bytes: bytes(of: UInt16(truncatingIfNeeded: binding.hostPort).bigEndian)),
                .immediate(bytes(of: address.value.bigEndian), into: .one),
                .immediate(bytes(of: UInt16(truncatingIfNeeded: binding.containerPort).bigEndian), into: .two),
                .destinationNAT(address: .one, port: .two),
            ])
        }
        return NftTable(name: name, chains: [
            NftChain(name: "prerouting", hook: .prerouting, priority: -100, rules: rules),
            NftChain(name: "output", hook: .output, priority: -100, rules: rules),
        ])
    }

    private static func bytes<T: FixedWidthInteger>(of value: T) -> [UInt8] {
        withUnsafeBytes(of: value) { Array($0) }
    }
}
