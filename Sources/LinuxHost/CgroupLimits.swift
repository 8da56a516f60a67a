/// Resource limits for one cgroup, in ECS's units; translated per hierarchy by `Cgroup`.
public struct CgroupLimits: Equatable, Sendable {
    /// Relative CPU weight in ECS units (1024 = one CPU): `cpu.shares` (v1) or `cpu.weight` (v2).
    public var cpuUnits: Int?
    /// Hard CPU cap in ECS units: a CFS quota of `units / 1024` CPUs per period.
    public var cpuQuotaUnits: Int?
    /// Hard memory limit in bytes (`memory.limit_in_bytes` / `memory.max`).
    public var memoryLimitBytes: Int64?
    /// Soft memory limit in bytes (`memory.soft_limit_in_bytes` / `memory.low`).
    public var memoryReservationBytes: Int64?
    /// Maximum number of processes (`pids.max`).
    public var pidsLimit: Int?

    public init(
        cpuUnits: Int? = nil, cpuQuotaUnits: Int? = nil, memoryLimitBytes: Int64? = nil,
        memoryReservationBytes: Int64? = nil, pidsLimit: Int? = nil
    ) {
        self.cpuUnits = cpuUnits
        self.cpuQuotaUnits = cpuQuotaUnits
        self.memoryLimitBytes = memoryLimitBytes
        self.memoryReservationBytes = memoryReservationBytes
        self.pidsLimit = pidsLimit
    }

    /// The CFS period Wharf uses for quotas, in microseconds (the kernel's default).
    public static let cpuPeriodMicroseconds = 100_000

    /// `cpu.shares` for ECS units: Docker passes the units through, with the kernel's minimum of 2.
    public static func shares(forUnits units: Int) -> Int { max(2, min(units, 262_144)) }

    /// `cpu.weight` (1...10000) for a shares value, the conversion runc and systemd use.
    public static func weight(forShares shares: Int) -> Int { 1 + ((shares - 2) * 9_999) / 262_142 }

    /// The CFS quota in microseconds per period for ECS units (at least 1 ms, the kernel's minimum).
    public static func quotaMicroseconds(forUnits units: Int) -> Int {
        max(1_000, units * cpuPeriodMicroseconds / 1024)
    }
}
