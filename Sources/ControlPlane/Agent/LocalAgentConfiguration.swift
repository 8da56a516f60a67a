import Foundation
import Registry

/// How ``LocalAgent`` describes its host and where it keeps its records.
public struct LocalAgentConfiguration: Sendable {
    /// The ECS agent's default reserved TCP ports (SSH, Docker, the agent's introspection ports).
    public static let defaultReservedTCPPorts = [22, 2375, 2376, 51678, 51679]
    /// How often tasks that produced no event are checked anyway, in seconds. A supervisor that
    /// died writes nothing; the runtime reports its exit as it happens (a pidfd per
    /// supervisor), so this pass, which reads every task (about 60 ms of CPU with 1,000 tasks),
    /// is only a safety net.
    public static let defaultSweepInterval = 30.0
    /// The sweep interval at most on a kernel without pidfds, where the sweep is what notices a
    /// dead supervisor.
    public static let sweepIntervalWithoutExitReports = 2.0
    /// Runtime calls (launch, stop) running at once per core; more wait (in one shared queue,
    /// see ``BlockingRunner``). A launch is about two-thirds CPU on an idle host (~3.5 ms of
    /// CPU in a ~5.5 ms call, asleep for the rest in namespace, veth and cgroup set-up), so two
    /// per core keep every core busy while some sleep. More do not finish a batch sooner: with
    /// 16 on two cores a RunTask of 10 launched at once, but each call stretched from ~35 to
    /// ~55 ms on a busy host and the last container started no earlier.
    public static let runtimeCallsPerCore = 2
    /// ``runtimeCallsPerCore`` times the cores this process may use (4 on a two-core host).
    public static var defaultRuntimeConcurrency: Int {
        runtimeCallsPerCore * max(1, ProcessInfo.processInfo.activeProcessorCount)
    }
    /// Status reads running at once, on threads of their own (see ``LocalAgent``).
    static let statusReadConcurrency = 2

    /// The agent's records: which runtime task runs which ECS task.
    public var stateDirectory: String
    /// The region the host reports (its availability zone defaults to this plus `a`).
    public var region: String
    public var availabilityZone: String?
    /// The host's EC2-style instance ID; nil derives a stable one from `/etc/machine-id`.
    public var instanceID: String?
    /// Memory (MiB) kept back from tasks for the host itself (ECS_RESERVED_MEMORY).
    public var reservedMemoryMiB: Int
    public var reservedTCPPorts: [Int]
    public var reservedUDPPorts: [Int]
    /// `ecs.instance-type` of the host.
    public var instanceType: String
    /// Whether FARGATE tasks may run on this host (``AgentCapabilities/fargateCapacity``).
    public var offersFargateCapacity: Bool
    /// Seconds between sweeps over every followed task (``defaultSweepInterval``); at most
    /// ``sweepIntervalWithoutExitReports`` on a kernel without pidfds.
    public var sweepInterval: Double
    public var runtimeConcurrency: Int
    /// When images are pulled from their registries (ECS agent's `ECS_IMAGE_PULL_BEHAVIOR`).
    /// Wharf's default is `prefer-cached`: a host that has the image (imported or pulled once)
    /// launches without contacting the registry.
    public var imagePullBehavior: ImagePullPolicy
    /// Registry settings (insecure registries, extra CAs, credentials files), JSON; a missing
    /// file means none.
    public var registriesFile: String?

    public init(
        stateDirectory: String, region: String = "us-east-1", availabilityZone: String? = nil, instanceID: String? = nil,
        reservedMemoryMiB: Int = 0, reservedTCPPorts: [Int] = LocalAgentConfiguration.defaultReservedTCPPorts,
        reservedUDPPorts: [Int] = [], instanceType: String = "wharf.host", offersFargateCapacity: Bool = true,
        sweepInterval: Double = LocalAgentConfiguration.defaultSweepInterval,
        runtimeConcurrency: Int = LocalAgentConfiguration.defaultRuntimeConcurrency,
        imagePullBehavior: ImagePullPolicy = .preferCached, registriesFile: String? = nil
    ) {
        self.stateDirectory = stateDirectory
        self.region = region
        self.availabilityZone = availabilityZone
        self.instanceID = instanceID
        self.reservedMemoryMiB = reservedMemoryMiB
        self.reservedTCPPorts = reservedTCPPorts
        self.reservedUDPPorts = reservedUDPPorts
        self.instanceType = instanceType
        self.offersFargateCapacity = offersFargateCapacity
        self.sweepInterval = sweepInterval
        self.runtimeConcurrency = runtimeConcurrency
        self.imagePullBehavior = imagePullBehavior
        self.registriesFile = registriesFile
    }

    /// The agent's directory inside a runtime data directory (`DATA/agent`).
    public static func defaultStateDirectory(dataDirectory: String) -> String {
        dataDirectory + "/agent"
    }
}
