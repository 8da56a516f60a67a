#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// nf_tables over `NETLINK_NETFILTER`: Wharf's way of writing NAT rules without running `nft`
/// or `iptables`.
///
/// Every change is a transaction (`commit`): a list of `NftOperation`s the kernel applies all
/// together or not at all, so a reader never sees half of one; `delete` removes a table with
/// everything in it. What is written persists in the kernel
/// after this process exits, as the tasks whose ports it publishes do.
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

    /// Applies `operations` in one transaction: all of them or, on the first the kernel
    /// refuses, none (the error names `step` and carries the kernel's errno).
    public func commit(_ operations: [NftOperation], step: @autoclosure () -> String) throws(SystemError) {
        // Maps created in this batch are named to lookups by id as well as by name.
        var mapIDs: [String: UInt32] = [:]
        var acks = 0
        for operation in operations {
            switch operation {
            case .addChain(_, let chain): acks += 1 + chain.rules.count
            case .addPortJumps(_, _, let ports, _), .deletePorts(_, _, let ports): acks += ports.isEmpty ? 0 : 1
            default: acks += 1
            }
        }
        guard acks > 0 else { return }
        try socket.performBatch("nf_tables batch", step: step, acks: acks) { builder, sequence in
            func message(_ type: UInt16, flags: UInt16 = 0) {
                builder.startNext(
                    type: Nftables.messageType(type), flags: Netlink.request | Netlink.ack | flags, sequence: sequence)
                builder.netfilterHeader(family: Nftables.familyIPv4)
            }
            func rule(_ table: String, _ chain: String, _ rule: NftRule) {
                message(Nftables.newRule, flags: Netlink.create | Netlink.append)
                builder.attribute(Nftables.ruleTable, string: table)
                builder.attribute(Nftables.ruleChain, string: chain)
                let expressions = builder.beginNested(Nftables.ruleExpressions)
                for expression in rule.expressions { builder.expression(expression, mapIDs: mapIDs) }
                builder.endNested(expressions)
            }
            func elements(_ type: UInt16, _ table: String, _ map: String, _ ports: [UInt16], jumpTo chain: String?) {
                guard !ports.isEmpty else { return }
                message(type, flags: type == Nftables.newSetElement ? Netlink.create : 0)
                builder.attribute(Nftables.elementListTable, string: table)
                builder.attribute(Nftables.elementListSet, string: map)
                let list = builder.beginNested(Nftables.elementListElements)
                for port in ports {
                    let element = builder.beginNested(Nftables.listElement)
                    builder.dataValue(Nftables.elementKey, withUnsafeBytes(of: port.bigEndian) { Array($0) })
                    if let chain {
                        let data = builder.beginNested(Nftables.elementData)
                        let verdict = builder.beginNested(Nftables.dataVerdict)
                        builder.attribute(Nftables.verdictCode, bigEndian: Nftables.verdictJump)
                        builder.attribute(Nftables.verdictChain, string: chain)
                        builder.endNested(verdict)
                        builder.endNested(data)
                    }
                    builder.endNested(element)
                }
                builder.endNested(list)
            }
            builder.startNext(type: Nftables.batchBegin, flags: Netlink.request, sequence: sequence)
            builder.netfilterHeader(family: Nftables.familyUnspecified, resourceID: Nftables.subsystem)
            for operation in operations {
                switch operation {
                case .addTable(let name):
                    message(Nftables.newTable, flags: Netlink.create)
                    builder.attribute(Nftables.tableName, string: name)
                case .deleteTable(let name):
                    message(Nftables.deleteTable)
                    builder.attribute(Nftables.tableName, string: name)
                case .addChain(let table, let chain):
                    message(Nftables.newChain, flags: Netlink.create)
                    builder.attribute(Nftables.chainTable, string: table)
                    builder.attribute(Nftables.chainName, string: chain.name)
                    if let hook = chain.hook {
                        let nested = builder.beginNested(Nftables.chainHook)
                        builder.attribute(Nftables.hookNumber, bigEndian: hook.rawValue)
                        builder.attribute(Nftables.hookPriority, bigEndian: UInt32(bitPattern: chain.priority))
                        builder.endNested(nested)
                        builder.attribute(Nftables.chainPolicy, bigEndian: Nftables.policyAccept)
                        builder.attribute(Nftables.chainType, string: chain.type.rawValue)
                    }
                    for each in chain.rules { rule(table, chain.name, each) }
                case .flushChain(let table, let chain):
                    message(Nftables.deleteRule)
                    builder.attribute(Nftables.ruleTable, string: table)
                    builder.attribute(Nftables.ruleChain, string: chain)
                case .deleteChain(let table, let chain):
                    message(Nftables.deleteChain)
                    builder.attribute(Nftables.chainTable, string: table)
                    builder.attribute(Nftables.chainName, string: chain)
                case .addRule(let table, let chain, let each):
                    rule(table, chain, each)
                case .addPortVerdictMap(let table, let name):
                    let id = UInt32(mapIDs.count + 1)
                    mapIDs[name] = id
                    message(Nftables.newSet, flags: Netlink.create)
                    builder.attribute(Nftables.setTable, string: table)
                    builder.attribute(Nftables.setName, string: name)
                    builder.attribute(Nftables.setFlags, bigEndian: Nftables.setFlagMap)
                    builder.attribute(Nftables.setKeyType, bigEndian: Nftables.keyTypeTransportPort)
                    builder.attribute(Nftables.setKeyLength, bigEndian: 2)
                    builder.attribute(Nftables.setDataType, bigEndian: Nftables.dataTypeVerdict)
                    builder.attribute(Nftables.setID, bigEndian: id)
                case .addPortJumps(let table, let map, let ports, let chain):
                    elements(Nftables.newSetElement, table, map, ports, jumpTo: chain)
                case .deletePorts(let table, let map, let ports):
                    elements(Nftables.deleteSetElement, table, map, ports, jumpTo: nil)
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
            try commit([.deleteTable(name)], step: "delete nftables table ip \(name)")
            return true
        } catch where error.errno == ENOENT {
            return false
        }
    }

    /// The names of the chains of the table `table` (family `ip`); none when it does not exist.
    public func chainNames(table: String) throws(SystemError) -> [String] {
        try socket.dump("NFT_MSG_GETCHAIN", step: { "list the chains of nftables table ip \(table)" },
                        type: Nftables.messageType(Nftables.getChain)) { request in
            request.netfilterHeader(family: Nftables.familyIPv4)
        } parse: { message in
            var inTable = false
            var name: String?
            for attribute in message.attributes(after: 4) {
                if attribute.type == Nftables.chainTable { inTable = attribute.string == table }
                if attribute.type == Nftables.chainName { name = attribute.string }
            }
            return inTable ? name : nil
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
    /// Appends attribute `type` holding `NFTA_DATA_VALUE` `bytes`: how nf_tables nests a
    /// comparison's, an immediate's or a map key's data.
    mutating func dataValue(_ type: UInt16, _ bytes: [UInt8]) {
        let nested = beginNested(type)
        attribute(Nftables.dataValue, bytes: bytes)
        endNested(nested)
    }

    /// `mapIDs` are the ids of maps the same batch creates, by name.
    mutating func expression(_ expression: NftExpression, mapIDs: [String: UInt32] = [:]) {
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
                $0.dataValue(Nftables.compareData, bytes)
            }
        case .immediate(let bytes, let register):
            named("immediate") {
                $0.attribute(Nftables.immediateDestination, bigEndian: register.rawValue)
                $0.dataValue(Nftables.immediateData, bytes)
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
        case .lookupVerdict(let map, let register):
            named("lookup") {
                $0.attribute(Nftables.lookupSet, string: map)
                if let id = mapIDs[map] { $0.attribute(Nftables.lookupSetID, bigEndian: id) }
                $0.attribute(Nftables.lookupSource, bigEndian: register.rawValue)
                $0.attribute(Nftables.lookupDestination, bigEndian: Nftables.verdictRegister)
            }
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
