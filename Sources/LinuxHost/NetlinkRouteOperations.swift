#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// IPv4 route operations on the main table: RTM_NEWROUTE / RTM_GETROUTE.
extension RouteNetlink {
    /// Adds a route to `destination` in the main table, via `gateway` or, when `gateway` is
    /// `nil`, directly on link `linkIndex` (at least one of the two is required).
    ///
    /// An identical existing route is *not* silently accepted: `EEXIST` may mean a different
    /// route to the same destination, which the caller must resolve, so it surfaces.
    public func addRoute(to destination: IPv4Network, gateway: IPv4Address?, linkIndex: Int32? = nil) throws(SystemError) {
        let step = { "add route \(destination)" + (gateway.map { " via \($0)" } ?? "") }
        guard gateway != nil || linkIndex != nil else {
            throw SystemError(step: step(), call: "RTM_NEWROUTE", errno: EINVAL)
        }
        try perform("RTM_NEWROUTE", step: step, type: Netlink.newRoute, flags: Netlink.create | Netlink.exclusive) {
            request in
            request.routeHeader(
                destinationLength: UInt8(destination.prefixLength), table: Netlink.tableMain,
                protocol: Netlink.protocolBoot,
                // Without a gateway the destination is directly reachable: link scope.
                scope: gateway == nil ? Netlink.scopeLink : Netlink.scopeUniverse, type: Netlink.typeUnicast)
            if destination.prefixLength > 0 { request.attribute(Netlink.routeDestination, destination.address) }
            if let gateway { request.attribute(Netlink.routeGateway, gateway) }
            if let linkIndex { request.attribute(Netlink.routeOutputInterface, UInt32(bitPattern: linkIndex)) }
        }
    }

    /// Adds the default route via `gateway` (e.g. the bridge's address, seen from a task).
    public func addDefaultRoute(gateway: IPv4Address, linkIndex: Int32? = nil) throws(SystemError) {
        try addRoute(to: .defaultRoute, gateway: gateway, linkIndex: linkIndex)
    }

    /// The IPv4 unicast routes of the main table in this socket's namespace.
    public func routes() throws(SystemError) -> [IPv4Route] {
        try dump("RTM_GETROUTE", step: { "list routes" }, type: Netlink.getRoute) { request in
            request.routeHeader(destinationLength: 0, table: 0, protocol: 0, scope: 0, type: 0)
        } parse: { message in
            IPv4Route.parse(message)
        }
    }
}
