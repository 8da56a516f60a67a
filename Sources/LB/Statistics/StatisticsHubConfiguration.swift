/// How much the ``StatisticsHub`` keeps, and for how long.
public struct StatisticsHubConfiguration: Sendable {
    /// Whole seconds of per-second counts kept for each listener and target group: the
    /// dashboard's last-hour chart (at 8 bytes a second, 28.8 KB per listener or group).
    public var secondsKeptPerTargetGroup: Int
    /// Whole seconds of per-second counts kept for each target: enough for the 60-s rate.
    public var secondsKeptPerTarget: Int
    /// How long an entity no layout in use names, with no open connections, keeps its figures
    /// after its last activity before the hub forgets it (a target removed and added back
    /// within this time keeps its totals).
    public var idleEntityRetention: Double
    /// A layout no worker has merged under for this long is no longer considered in use.
    public var layoutExpiry: Double
    /// How often the hub looks for layouts and entities to forget.
    public var pruneInterval: Double

    public init(
        secondsKeptPerTargetGroup: Int = 3600, secondsKeptPerTarget: Int = 60, idleEntityRetention: Double = 3600,
        layoutExpiry: Double = 30, pruneInterval: Double = 60
    ) {
        self.secondsKeptPerTargetGroup = max(secondsKeptPerTargetGroup, 60)
        self.secondsKeptPerTarget = max(secondsKeptPerTarget, 60)
        self.idleEntityRetention = idleEntityRetention
        self.layoutExpiry = layoutExpiry
        self.pruneInterval = pruneInterval
    }
}
