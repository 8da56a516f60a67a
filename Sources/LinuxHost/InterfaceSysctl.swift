#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Network settings that rtnetlink cannot change (most of them per interface), written under
/// `/proc/sys/net`, which shows the network namespace of the calling thread.
public enum InterfaceSysctl {
    /// Lets the interface called `name` carry packets with a loopback source
    /// (`net.ipv4.conf.NAME.route_localnet`): a connection to `127.0.0.1` that destination NAT
    /// sends to a task on a bridge leaves through the bridge, and is masqueraded there.
    public static func allowLoopbackSources(interface name: String) throws(SystemError) {
        try FileSystem.writeInPlace("/proc/sys/net/ipv4/conf/" + name + "/route_localnet", "1")
    }

    /// Makes the host forward IPv4 between its interfaces (`net.ipv4.ip_forward`), as a host
    /// whose tasks reach other networks must.
    public static func enableIPv4Forwarding() throws(SystemError) {
        try FileSystem.writeInPlace("/proc/sys/net/ipv4/ip_forward", "1")
    }

    /// Turns IPv6 off on the interface called `name` (`net.ipv6.conf.NAME.disable_ipv6`).
    ///
    /// A link with IPv6 on gets a multicast route (`ff00::/8`) in the namespace's table when it
    /// comes up, even with address generation off, and every link that comes up or goes down
    /// makes the kernel walk that table: a thousand bridge ports made each task's launch and
    /// teardown pay for a thousand routes. A bridge port forwards IPv6 between its neighbours
    /// without IPv6 of its own.
    ///
    /// The kernel takes the write only with the rtnl lock, and restarts the call until it can
    /// (`restart_syscall`) rather than sleeping on it; measured while launches and teardowns
    /// ran, those retries were under a hundredth of a percent of the CPU.
    ///
    /// - Returns: `false` if the namespace has no IPv6 (the kernel was booted without it), so
    ///   there was nothing to turn off.
    @discardableResult
    public static func disableIPv6(interface name: String) throws(SystemError) -> Bool {
        // The directory has the interface's name as it is, dots included (only `sysctl`'s
        // dotted names write those as slashes).
        let path = "/proc/sys/net/ipv6/conf/" + name + "/disable_ipv6"
        do {
            try FileSystem.writeInPlace(path, "1")
            return true
        } catch where error.errno == ENOENT && !FileSystem.exists("/proc/sys/net/ipv6") {
            return false
        }
    }
}
