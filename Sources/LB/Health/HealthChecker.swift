import WharfIO

/// Runs every target's active health checks on one event loop of its own, so each target is
/// checked once however many workers route to it, and records the results in the registry
/// (which publishes a new routing snapshot when a target's state changes).
///
/// The same loop also advances the registry's clock-driven state (draining deadlines).
final class HealthChecker {
    let registry: TargetRegistry
    let loop: EventLoop
    private let clock = MonotonicClock()
    private var inFlight: [TargetID: HealthProbe] = [:]
    private var planTimer: TimerWatcher?
    /// How often the checker looks for due checks (seconds); ALB's intervals are whole seconds.
    private let planInterval = 0.25
    /// TLS for `HTTPS` health checks. Like ALB, the target's certificate is not verified.
    private(set) lazy var tlsClientContext: TLSClientContext? = try? TLSClientContext(verifyPeer: false, caFile: nil, alpn: ["http/1.1"])

    init(registry: TargetRegistry, loop: EventLoop) {
        self.registry = registry
        self.loop = loop
    }

    func now() -> Double { clock.now() }

    /// Starts checking (on the checker's loop thread).
    func start() {
        let timer = TimerWatcher(loop: loop) { [unowned self] in self.plan() }
        timer.start(after: 0, repeat: planInterval)
        planTimer = timer
    }

    /// Stops every probe and the timer (on the checker's loop thread).
    func stop() {
        planTimer?.stop()
        planTimer = nil
        for probe in inFlight.values { probe.cancel() }
        inFlight = [:]
    }

    private func plan() {
        let now = clock.now()
        registry.tick(now: now)
        for target in registry.targetsToCheck() where inFlight[target.id] == nil {
            if let last = target.lastCheckAt, now - last < Double(target.intervalSeconds) { continue }
            inFlight[target.id] = HealthProbe(target: target, checker: self, now: now)
        }
    }

    /// A probe's result (called by the probe, possibly from within its initializer).
    func finished(_ probe: HealthProbe, result: HealthCheckResult) {
        inFlight[probe.target.id] = nil
        _ = registry.record(check: result, for: probe.target.id, at: clock.now())
    }
}
