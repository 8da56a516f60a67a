import LinuxHost

#if canImport(Glibc)
import Glibc
#endif

/// A bridge-mode task's ports published on the host, as its plan records them: the task's chain
/// in its bridge's nf_tables table, the ports the bridge's port maps send to that chain, and
/// where the ports are held (`HostPortPool`). What the runtime writes at launch and the teardown
/// removes.
public struct PublishedPorts: Equatable, Sendable {
    /// The bridge's table.
    public var table: String
    /// The task's chain in it (the DNAT rules).
    public var chain: String
    public var ports: [HostPort]
    /// The host port pool and the owner the ports are held under there.
    public var poolDirectory: String
    public var owner: String

    public init(table: String, chain: String, ports: [HostPort], poolDirectory: String, owner: String) {
        self.table = table
        self.chain = chain
        self.ports = ports
        self.poolDirectory = poolDirectory
        self.owner = owner
    }

    /// The bridge table's map from `transport` ports to task chains.
    public static func mapName(_ transport: HostPortProtocol) -> String { transport.rawValue + "_ports" }

    /// The transaction that unpublishes the ports: out of the maps, then the chain.
    public var removal: [NftOperation] {
        HostPortProtocol.allCases.map { transport in
            .deletePorts(table: table, map: Self.mapName(transport), ports: ports.filter { $0.transport == transport }.map(\.number))
        } + [.deleteChain(table: table, chain: chain)]
    }

    /// Unpublishes the ports in one transaction. If part of it is gone already (a teardown cut
    /// short and run again, or a launch whose publishing failed), the chain goes alone: the
    /// kernel refuses that while any map entry still jumps to it, so once it is gone (or was
    /// never there) no entry is this task's, and entries of these ports, which another task may
    /// hold by now, are not touched. Only if the chain is still jumped to are this task's
    /// entries removed one by one, then the chain.
    public func unpublish(with tables: NetfilterTables) throws(SystemError) {
        let step = "unpublish the ports of chain \(chain) in nftables table ip \(table)"
        do {
            try tables.commit(removal, step: step)
            return
        } catch where error.errno == ENOENT {}
        do {
            try tables.commit([.deleteChain(table: table, chain: chain)], step: step)
            return
        } catch where error.errno == ENOENT {
            return
        } catch where error.errno == EBUSY {}
        for port in ports {
            do {
                try tables.commit([.deletePorts(table: table, map: Self.mapName(port.transport), ports: [port.number])], step: step)
            } catch where error.errno == ENOENT {}
        }
        try tables.commit([.deleteChain(table: table, chain: chain)], step: step)
    }
}
