import HTTPCore

/// What a worker needs of the configuration, resolved once.
struct WorkerSettings: Sendable {
    /// Every timeout of a connection's life, in seconds.
    var timeouts: TimeoutConfiguration
    var httpLimits: HTTPLimits
    /// Size of every I/O buffer; a request head must fit in one.
    var bufferSize = 16 * 1024
    var maxIdleBuffers = 256
    var idleConnectionsPerTarget = 64
    /// Targets tried for one request, first attempt included (`limits.targetConnectAttempts`).
    var maxAttempts = 2
    /// Connections accepted per wake-up of a listener.
    var acceptBatch = 64
    /// How often counters are handed to the statistics hub (seconds).
    var tickInterval = 0.25
}

extension WorkerSettings {
    /// Room in a buffer beyond the longest head: the head limit, not the buffer, is what
    /// refuses a head (so a head one byte over the limit is a 431, not a full buffer).
    static let bufferSlack = 1024

    /// The worker-side settings of `configuration`.
    init(configuration: LBConfiguration) {
        let limits = configuration.limits
        self.timeouts = configuration.timeouts
        self.maxAttempts = max(1, limits.targetConnectAttempts)
        // A request head must fit in one buffer: the buffer grows to the head limit (which the
        // configuration bounds at `LimitConfiguration.headLengthRange`), never the other way round.
        let bufferSize = max(16 * 1024, limits.maxHeadLength + Self.bufferSlack)
        var http = HTTPLimits()
        http.maxRequestLineLength = limits.maxRequestLineLength
        http.maxHeadLength = limits.maxHeadLength
        http.maxFieldLineLength = limits.maxHeaderFieldLength
        http.maxFieldCount = limits.maxFieldCount
        self.httpLimits = http
        self.bufferSize = bufferSize
        self.idleConnectionsPerTarget = limits.maxIdleConnectionsPerTarget
    }
}
