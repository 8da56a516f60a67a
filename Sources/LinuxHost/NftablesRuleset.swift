/// A chain: a base chain on one hook, policy accept, or (without a hook) a regular chain that
/// rules and maps jump to. In a `nat` base chain, rules that match rewrite the first packet of a
/// connection (conntrack applies the rewrite to the rest); a `filter` chain sees every packet.
/// What no rule stops passes untouched.
public struct NftChain: Sendable, Equatable {
    /// The kinds of base chain Wharf writes.
    public enum ChainType: String, Sendable {
        case nat, filter
    }

    /// Netfilter's IPv4 hooks a NAT chain can sit on (`NF_INET_*`).
    public enum Hook: UInt32, Sendable {
        /// Packets arriving from a network, before routing (destination NAT of traffic in).
        case prerouting = 0
        /// Packets this host sends, before routing (destination NAT of the host's own traffic).
        case output = 3
        /// Packets leaving, after routing (source NAT).
        case postrouting = 4
    }

    public var name: String
    public var type: ChainType
    /// nil: a regular chain.
    public var hook: Hook?
    /// Lower runs first; -300 is before connection tracking, -100 destination NAT's usual
    /// place, 100 source NAT's.
    public var priority: Int32
    public var rules: [NftRule]

    public init(name: String, type: ChainType = .nat, hook: Hook, priority: Int32, rules: [NftRule]) {
        self.name = name
        self.type = type
        self.hook = hook
        self.priority = priority
        self.rules = rules
    }

    /// A regular chain, run only when something jumps to it.
    public init(regular name: String, rules: [NftRule]) {
        self.name = name
        self.type = .nat
        self.hook = nil
        self.priority = 0
        self.rules = rules
    }
}

/// One rule: expressions run in order, a failing comparison ends the rule.
public struct NftRule: Sendable, Equatable {
    public var expressions: [NftExpression]

    public init(_ expressions: [NftExpression]) {
        self.expressions = expressions
    }
}

/// The nf_tables registers rules load into and compare from (the 16-byte ones).
public enum NftRegister: UInt32, Sendable {
    case one = 1
    case two = 2
}

/// The expressions Wharf's NAT rules are made of, each named as the kernel names it.
public enum NftExpression: Sendable, Equatable {
    /// Packet metadata that `meta` loads.
    public enum MetaKey: Sendable, Equatable {
        /// The transport protocol number (one byte).
        case l4Protocol
        /// The name of the interface the packet came in on (16 bytes, NUL-padded).
        case inputInterfaceName
        /// The name of the interface the packet goes out on (16 bytes, NUL-padded).
        case outputInterfaceName
    }

    /// Where in the packet `payload` loads from.
    public enum PayloadBase: Sendable, Equatable {
        /// The IPv4 header.
        case network
        /// The TCP or UDP header.
        case transport
    }

    /// `meta`: loads `key` into the register.
    case meta(MetaKey, into: NftRegister)
    /// `payload`: loads `length` bytes at `offset` of the header `base`.
    case payload(PayloadBase, offset: UInt32, length: UInt32, into: NftRegister)
    /// `fib daddr type`: loads the route type of the packet's destination address (a
    /// host-order `UInt32`; 2 is `RTN_LOCAL`, an address of this host).
    case destinationAddressType(into: NftRegister)
    /// `cmp`: the rule goes on only if the register's first `bytes.count` bytes equal (or,
    /// with `equal` false, differ from) `bytes`.
    case compare(NftRegister, equal: Bool, bytes: [UInt8])
    /// `immediate`: loads `bytes` into the register.
    case immediate([UInt8], into: NftRegister)
    /// `nat` of type DNAT: the destination becomes the IPv4 address in `address` (4 bytes,
    /// network order) and the port in `port` (2 bytes, network order).
    case destinationNAT(address: NftRegister, port: NftRegister)
    /// `masq`: the source becomes the outgoing interface's address.
    case masquerade
    /// The verdict `drop` (an `immediate` into the verdict register): the packet goes no further.
    case drop
    /// `lookup` in the port verdict map `map` (see `NftOperation.addPortVerdictMap`) of the port
    /// in the register: a port the map holds jumps to its chain, any other goes on.
    case lookupVerdict(map: String, key: NftRegister)

    /// A `compare` of what `destinationAddressType` loaded with `RTN_LOCAL`: the destination
    /// is an address of this host.
    public static func compareAddressTypeIsLocal(_ register: NftRegister) -> NftExpression {
        .compare(register, equal: true, bytes: withUnsafeBytes(of: Nftables.routeTypeLocal) { Array($0) })
    }

    /// A `compare` against an interface name as `meta` loads it: NUL-padded to 16 bytes.
    public static func compareInterfaceName(_ register: NftRegister, equal: Bool, _ name: String) -> NftExpression {
        var bytes = Array(name.utf8.prefix(15))
        bytes.append(contentsOf: repeatElement(0, count: 16 - bytes.count))
        return .compare(register, equal: equal, bytes: bytes)
    }
}

/// One step of an nf_tables transaction (`NetfilterTables.commit`); tables of family `ip`.
public enum NftOperation: Sendable, Equatable {
    /// Creates the table; one that exists is kept as it is.
    case addTable(String)
    /// Deletes the table with everything in it.
    case deleteTable(String)
    /// Creates the chain (with its rules after it); one that exists is kept, its rules too.
    case addChain(table: String, NftChain)
    /// Deletes every rule of the chain.
    case flushChain(table: String, chain: String)
    /// Deletes the chain and its rules; nothing may jump to it any more.
    case deleteChain(table: String, chain: String)
    /// Appends the rule to the chain.
    case addRule(table: String, chain: String, NftRule)
    /// Creates a map from transport ports (2 bytes, network order) to jumps to chains, for
    /// `NftExpression.lookupVerdict`; one that exists is kept with its elements.
    case addPortVerdictMap(table: String, name: String)
    /// Adds to the map a jump to `chain` for each port.
    case addPortJumps(table: String, map: String, ports: [UInt16], chain: String)
    /// Removes the ports from the map.
    case deletePorts(table: String, map: String, ports: [UInt16])
}
