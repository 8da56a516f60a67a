import ArgumentParser
import LinuxHost
import Runtime

/// Options every runtime command shares: where state lives and what the runtime names things.
struct RuntimeOptions: ParsableArguments {
    @Option(name: .long, help: "Directory for images, the tasks' storage (logs, writable layers, volumes) and address pools.")
    var dataDir: String = "/var/lib/wharf"

    @Option(name: .long, help: "Directory for the tasks' state (records, events, mount points), best on tmpfs; remembered in the data directory, and refused while another one holds its tasks (default: the remembered one, else /run/wharf/state followed by the data directory's path).")
    var stateDir: String?

    @Option(name: .long, help: "Host bridge for awsvpc tasks.")
    var bridge: String = "wharf0"

    @Option(name: .long, help: "Task subnet in CIDR form (default: a free one, remembered).")
    var subnet: String?

    @Option(name: .long, help: "Parent cgroup of every task cgroup.")
    var cgroupParent: String = "wharf"

    @Option(name: .long, help: "Prefix of host-side veth names (the rest is taken from the task id).")
    var vethPrefix: String = "wh"

    @Option(name: .long, help: "Host ports for bridge-mode port mappings that name none, as LOW-HIGH.")
    var dynamicHostPorts: String = "\(HostPortPool.defaultDynamicRange.lowerBound)-\(HostPortPool.defaultDynamicRange.upperBound)"

    @Flag(name: .long, help: "Keep tasks to the host: no IPv4 forwarding, nothing they send out masqueraded.")
    var noOutboundNat = false

    @Flag(name: .long, help: "Leave the host's cgroup2 mount options alone (by default the runtime turns on favordynmods, so container starts do not wait for the kernel to join their cgroups).")
    var noFavorDynmods = false

    func makeRuntime() throws -> ContainerRuntime {
        guard (1...8).contains(vethPrefix.count) else {
            throw ValidationError("--veth-prefix: \(vethPrefix) must be 1 to 8 characters, leaving room for the task id")
        }
        var configuration = RuntimeConfiguration(
            dataDirectory: dataDir, bridgeName: bridge, cgroupParent: cgroupParent, vethPrefix: vethPrefix)
        if let stateDir { configuration.stateDirectory = stateDir }
        if let subnet {
            guard let network = IPv4Network(subnet) else {
                throw ValidationError("--subnet: \(subnet) is not an IPv4 network in CIDR form (e.g. 10.213.0.0/16)")
            }
            configuration.subnet = network
        }
        let bounds = dynamicHostPorts.split(separator: "-", omittingEmptySubsequences: false).map { UInt16($0) }
        guard bounds.count == 2, let low = bounds[0], let high = bounds[1], low >= 1, low <= high else {
            throw ValidationError("--dynamic-host-ports: \(dynamicHostPorts) is not a port range LOW-HIGH within 1-65535")
        }
        configuration.dynamicHostPortRange = low...high
        configuration.outboundNAT = !noOutboundNat
        configuration.favorDynamicCgroupModifications = !noFavorDynmods
        return try ContainerRuntime(configuration: configuration)
    }
}
