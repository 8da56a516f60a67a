#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// nf_tables over `NETLINK_NETFILTER`: Wharf's way of writing NAT rules without running `nft`
/// or `iptables`.
///
/// A table is the unit: `replace` writes one whole (creating or replacing it) in a single
/// transaction, so a reader never sees half a table and a repeated write is harmless;
/// `delete` removes one with everything in it. Tables persist in the kernel after this process
/// exits, as the tasks whose ports they publish do.
///
/// Not thread-safe: use one from one thread at a time.
public final class NetfilterTables {
    private let socket: RouteNetlink

    /// Opens a netfilter socket in the calling thread's network namespace.
    public init() throws(SystemError) {
        socket = try RouteNetlink(protocol: Nftables.protocolNetfilter, step: "open nfnetlink socket")
        // A batch goes out in one datagram and every message of it is acknowledged before the
        // first ack is read: with the default buffers, a task publishing a few hundred ports
        // (a containerPortRange) would overflow both. Best effort, as `nft` does it (the
        // FORCE options need CAP_NET_ADMIN, which writing tables needs anyway).
        var size: Int32 = Self.bufferBytes
        for option in [Nftables.sendBufferForce, Nftables.receiveBufferForce] {
            _ = setsockopt(socket.fileDescriptor, SOL_SOCKET, option, &size, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// Send and receive buffer size: room for a batch of about ten thousand rules, or their acks.
    static let bufferBytes: Int32 = 8 << 20

    /// Writes `table` (family `ip`) as the whole of the table of that name: created if absent,
    /// its previous chains and rules replaced if present, in one transaction.
    public func replace(_ table: NftTable) throws(SystemError) {
        let acks = 3 + table.chains.count + table.chains.reduce(0) { $0 + $1.rules.count }
        try socket.performBatch("NFT_MSG_NEWTABLE", step: { "write nftables table ip \(table.name)" }, acks: acks) {
            builder, sequence in
            func message(_ type: UInt16, flags: UInt16 = 0) {
                builder.startNext(
                    type: Nftables.messageType(type), flags: Netlink.request | Netlink.ack | flags, sequence: sequence)
                builder.netfilterHeader(family: Nftables.familyIPv4)
            }
            builder.startNext(type: Nftables.batchBegin, flags: Netlink.request, sequence: sequence)
            builder.netfilterHeader(family: Nftables.familyUnspecified, resourceID: Nftables.subsystem)
            // Add, delete, add: the idiom for replacing a table whether or not it exists.
            message(Nftables.newTable, flags: Netlink.create)
            builder.attribute(Nftables.tableName, string: table.name)
            message(Nftables.deleteTable)
            builder.attribute(Nftables.tableName, string: table.name)
            message(Nftables.newTable, flags: Netlink.create)
            builder.attribute(Nftables.tableName, string: table.name)
            for chain in table.chains {
                message(Nftables.newChain, flags: Netlink.create)
                builder.attribute(Nftables.chainTable, string: table.name)
                builder.attribute(Nftables.chainName, string: chain.name)
                let hook = builder.beginNested(Nftables.chainHook)
                builder.attribute(Nftables.hookNumber, bigEndian: chain.hook.rawValue)
                builder.attribute(Nftables.hookPriority, bigEndian: UInt32(bitPattern: chain.priority))
                builder.endNested(hook)
                builder.attribute(Nftables.chainPolicy, bigEndian: Nftables.policyAccept)
                builder.attribute(Nftables.chainType, string: chain.type.rawValue)
            }
            for chain in table.chains {
                for rule in chain.rules {
                    message(Nftables.newRule, flags: Netlink.create | Netlink.append)
                    builder.attribute(Nftables.ruleTable, string: table.name)
                    builder.attribute(Nftables.ruleChain, string: chain.name)
                    let expressions = builder.beginNested(Nftables.ruleExpressions)
                    for expression in rule.expressions { builder.expression(expression) }
                    builder.endNested(expressions)
                }
            }
            builder.startNext(type: Nftables.batchEnd, flags: Netlink.request, sequence: sequence)
            builder.netfilterHeader(family: Nftables.familyUnspecified, resourceID: Nftables.subsystem)
        }
    }

    /// Deletes the table `name` (family `ip`) with its chains and rules.
    /// - Returns: `false` if there was no such table.
    @discardableResult
    public func delete(tableNamed name: String) throws(SystemError) -> Bool {
        do {
            try socket.performBatch("NFT_MSG_DELTABLE", step: { "delete nftables table ip \(name)" }, acks: 1) { builder, sequence in
                builder.startNext(type: Nftables.batchBegin, flags: Netlink.request, sequence: sequence)
                builder.netfilterHeader(family: Nftables.familyUnspecified, resourceID: Nftables.subsystem)
                builder.startNext(
                    type: Nftables.messageType(Nftables.deleteTable), flags: Netlink.request | Netlink.ack, sequence: sequence)
                builder.netfilterHeader(family: Nftables.familyIPv4)
                builder.attribute(Nftables.tableName, string: name)
                builder.startNext(type: Nftables.batchEnd, flags: Netlink.request, sequence: sequence)
                builder.netfilterHeader(family: Nftables.familyUnspecified, resourceID: Nftables.subsystem)
            }
            return true
        } catch where error.errno == ENOENT {
            return false
        }
    }

    /// The names of the host's tables of family `ip`.
    public func tableNames() throws(SystemError) -> [String] {
        try socket.dump("NFT_MSG_GETTABLE", step: { "list nftables tables" }, type: Nftables.messageType(Nftables.getTable)) {
            request in
            request.netfilterHeader(family: Nftables.familyIPv4)
        } parse: { message in
            // After struct nfgenmsg (4 bytes).
            message.attributes(after: 4).first { $0.type == Nftables.tableName }?.string
        }
    }
}

extension NetlinkMessageBuilder {
    /// Appends one `NFTA_LIST_ELEM`: the expression's kernel name and its attributes.
    mutating func expression(_ expression: NftExpression) {
        let element = beginNested(Nftables.listElement)
        defer { endNested(element) }
        func named(_ name: String, _ body: (inout NetlinkMessageBuilder) -> Void) {
            attribute(Nftables.expressionName, string: name)
            let data = beginNested(Nftables.expressionData)
            body(&self)
            endNested(data)
        }
        switch expression {
        case .meta(let key, let register):
            let value = switch key {
            case .l4Protocol: Nftables.metaL4Protocol
            case .inputInterfaceName: Nftables.metaInputInterfaceName
            case .outputInterfaceName: Nftables.metaOutputInterfaceName
            }
            named("meta") {
                $0.attribute(Nftables.metaKey, bigEndian: value)
                $0.attribute(Nftables.metaDestination, bigEndian: register.rawValue)
            }
        case .payload(let base, let offset, let length, let register):
            named("payload") {
                $0.attribute(Nftables.payloadDestination, bigEndian: register.rawValue)
                $0.attribute(Nftables.payloadBase, bigEndian: base == .network ? Nftables.payloadNetworkHeader : Nftables.payloadTransportHeader)
                $0.attribute(Nftables.payloadOffset, bigEndian: offset)
                $0.attribute(Nftables.payloadLength, bigEndian: length)
            }
        case .destinationAddressType(let register):
            named("fib") {
                $0.attribute(Nftables.fibDestination, bigEndian: register.rawValue)
                $0.attribute(Nftables.fibResult, bigEndian: Nftables.fibResultAddressType)
                $0.attribute(Nftables.fibFlags, bigEndian: Nftables.fibDestinationAddress)
            }
        case .compare(let register, let equal, let bytes):
            named("cmp") {
                $0.attribute(Nftables.compareSource, bigEndian: register.rawValue)
                $0.attribute(Nftables.compareOperator, bigEndian: equal ? 0 : 1)  // NFT_CMP_EQ, NFT_CMP_NEQ
                let data = $0.beginNested(Nftables.compareData)
                $0.attribute(Nftables.dataValue, bytes: bytes)
                $0.endNested(data)
            }
        case .immediate(let bytes, let register):
            named("immediate") {
                $0.attribute(Nftables.immediateDestination, bigEndian: register.rawValue)
                let data = $0.beginNested(Nftables.immediateData)
                $0.attribute(Nftables.dataValue, bytes: bytes)
                $0.endNested(data)
            }
        case .destinationNAT(let address, let port):
            named("nat") {
                $0.attribute(Nftables.natType, bigEndian: Nftables.natDestination)
                $0.attribute(Nftables.natFamily, bigEndian: UInt32(Nftables.familyIPv4))
                $0.attribute(Nftables.natAddressMinimum, bigEndian: address.rawValue)
                $0.attribute(Nftables.natProtocolMinimum, bigEndian: port.rawValue)
            }
        case .masquerade:
            named("masq") { _ in }
        case .drop:
            named("immediate") {
                $0.attribute(Nftables.immediateDestination, bigEndian: Nftables.verdictRegister)
                let data = $0.beginNested(Nftables.immediateData)
                let verdict = $0.beginNested(Nftables.dataVerdict)
                $0.attribute(Nftables.verdictCode, bigEndian: Nftables.verdictDrop)
                $0.endNested(verdict)
                $0.endNested(data)
            }
        }
    }
}
