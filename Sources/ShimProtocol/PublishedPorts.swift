import LinuxHost

#if canImport(Glibc)
import Glibc
#endif

/// A bridge-mode task's ports published on the host, as its plan records them: the task's chain
/// in its bridge's nf_tables table, the ports the bridge's port maps send to that chain, and
/// where the ports are held (`HostPortPool`). What the runtime writes at launch and the teardown
/// removes.
public struct PublishedPorts: Equatable, Sendable {
    /// One published host port.
    public struct Port: Equatable, Sendable, Hashable {
        public var transport: HostPortProtocol
        public var number: UInt16

        public init(_ transport: HostPortProtocol, _ number: UInt16) {
            self.transport = transport
            self.number = number
        }

        /// `tcp.8080`, as the plan and the pool write it.
        public var text: String { transport.rawValue + "." + String(number) }

        public init?(text: some StringProtocol) {
            let parts = text.split(separator: ".")
            guard parts.count == 2, let transport = HostPortProtocol(rawValue: String(parts[0])), let number = UInt16(parts[1])
            else { return nil }
            self.init(transport, number)
        }
    }

    /// The bridge's table.
    public var table: String
    /// The task's chain in it (the DNAT rules).
    public var chain: String
    public var ports: [Port]
    /// The host port pool and the owner the ports are held under there.
    public var poolDirectory: String
    public var owner: String

    public init(table: String, chain: String, ports: [Port], poolDirectory: String, owner: String) {
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
    /// short, run again), each step is retried alone, what is gone counting as done.
    public func unpublish(with tables: NetfilterTables) throws(SystemError) {
        do {
            try tables.commit(removal, step: "unpublish the ports of chain \(chain) in nftables table ip \(table)")
            return
        } catch where error.errno == ENOENT {}
        for operation in removal {
            let single: [NftOperation]
            if case .deletePorts(let table, let map, let ports) = operation {
                single = ports.map { .deletePorts(table: table, map: map, ports: [$0]) }
            } else {
                single = [operation]
            }
            for step in single {
                do {
                    try tables.commit([step], step: "unpublish from nftables table ip \(table)")
                } catch where error.errno == ENOENT {}
            }
        }
    }
}
