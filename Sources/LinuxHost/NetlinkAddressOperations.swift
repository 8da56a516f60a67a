#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// IPv4 address operations: RTM_NEWADDR / RTM_GETADDR.
extension RouteNetlink {
    /// Assigns `address/prefixLength` to link `linkIndex` (with the network's broadcast
    /// address, as `ip addr add ... brd +` would). Assigning an address the link already has
    /// is accepted (returns `false`), so replays after a crash are harmless.
    ///
    /// - Returns: whether the address was added by this call.
    @discardableResult
    public func addAddress(_ address: IPv4Address, prefixLength: Int, linkIndex: Int32) throws(SystemError) -> Bool {
        let step = { "add address \(address)/\(prefixLength) to link \(linkIndex)" }
        guard let network = IPv4Network(address: address, prefixLength: prefixLength) else {
            throw SystemError(step: step(), call: "RTM_NEWADDR", errno: EINVAL)
        }
        do {
            try perform("RTM_NEWADDR", step: step, type: Netlink.newAddress, flags: Netlink.create | Netlink.exclusive) {
                request in
                request.addressHeader(
                    prefixLength: UInt8(prefixLength), scope: Netlink.scopeUniverse, index: UInt32(bitPattern: linkIndex))
                request.attribute(Netlink.addressLocal, address)
                request.attribute(Netlink.addressAddress, address)
                // /31 and /32 have no broadcast address (RFC 3021).
                if prefixLength < 31 { request.attribute(Netlink.addressBroadcast, network.broadcast) }
            }
            return true
        } catch where error.errno == EEXIST {
            return false
        }
    }

    /// The IPv4 addresses in this socket's namespace, only those of `linkIndex` when given.
    public func addresses(linkIndex: Int32? = nil) throws(SystemError) -> [InterfaceAddress] {
        let all = try dump("RTM_GETADDR", step: { "list addresses" }, type: Netlink.getAddress) { request in
            // A dump ignores the index (without strict checking), so filtering happens below.
            request.addressHeader(prefixLength: 0, scope: 0, index: 0)
        } parse: { message in
            InterfaceAddress.parse(message)
        }
        guard let linkIndex else { return all }
        return all.filter { $0.linkIndex == linkIndex }
    }
}
