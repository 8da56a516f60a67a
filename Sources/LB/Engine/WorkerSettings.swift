import HTTPCore

/// What a worker needs of the configuration, resolved once.
struct WorkerSettings: Sendable {
    /// Every timeout of a connection's life, in seconds (`LBConfiguration.timeouts`).
    struct Timeouts: Sendable {
        var clientHeaderRead: Double
        var clientIdleKeepAlive: Double
        var targetConnect: Double
        var targetResponse: Double
        var targetIdle: Double
        var shutdownGrace: Double
        var clientBodyIdle: Double
        var clientWriteStall: Double
        var tlsHandshake: Double
    }

    var timeouts: Timeouts
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
    /// The worker-side settings of `configuration`.
    init(configuration: LBConfiguration) {
        let timeouts = configuration.timeouts
        let limits = configuration.limits
        self.timeouts = Timeouts(
            clientHeaderRead: timeouts.clientHeaderRead, clientIdleKeepAlive: timeouts.clientIdleKeepAlive,
            targetConnect: timeouts.targetConnect, targetResponse: timeouts.targetResponse,
            targetIdle: timeouts.targetIdle, shutdownGrace: timeouts.shutdownGrace,
            clientBodyIdle: timeouts.clientBodyIdle, clientWriteStall: timeouts.clientWriteStall,
            tlsHandshake: timeouts.tlsHandshake
        )
        self.maxAttempts = max(1, limits.targetConnectAttempts)
        // A request head must fit in one buffer: the buffer grows to the head limit (bounded
        // at 64 KiB, ALB's own quota), never the other way round.
        let bufferSize = max(16 * 1024, min(limits.maxHeadLength + 1024, 64 * 1024 + 1024))
        var http = HTTPLimits()
        http.maxRequestLineLength = limits.maxRequestLineLength
        http.maxHeadLength = min(limits.maxHeadLength, bufferSize - 1)
        http.maxFieldCount = limits.maxFieldCount
        self.httpLimits = http
        self.bufferSize = bufferSize
        self.idleConnectionsPerTarget = limits.maxIdleConnectionsPerTarget
    }
}
