import CLibev
import COpenSSL
import Glibc
import HTTPCore
import Logging
import Synchronization
import WharfIO

/// Wharf's layer-7 load balancer: listeners, target groups, health checks and statistics on
/// libev event loops (one per worker thread) with TLS from OpenSSL.
///
/// ```swift
/// let lb = try LoadBalancer(configuration: try LBConfiguration.load(path: "configs/lb.yaml"))
/// try lb.start()
/// let id = try lb.registry.register(group: "web", address: "10.0.0.5", port: 80, now: lb.now())
/// ...
/// lb.shutdown()
/// ```
///
/// Targets are registered, drained and checked through ``registry``; every change reaches the
/// workers as an immutable routing snapshot, so nothing on the request path takes a lock.
/// Figures are read from ``statistics``.
public final class LoadBalancer: Sendable {
    /// Listener and target group state: register, deregister (drain), describe health.
    public let registry: TargetRegistry
    /// Requests, responses, errors, rates and latencies per listener, group and target.
    public let statistics: StatisticsHub
    private let state: Mutex<RunState>
    private let logger: Logger
    private let clock = MonotonicClock()

    private struct RunState: @unchecked Sendable {
        var configuration: LBConfiguration
        var applications: [ApplicationListener] = []
        var workers: [ProxyWorker] = []
        var threads: [ThreadHandle] = []
        var checkerThread: EventLoopThread?
        var checker: HealthChecker?
        var tlsContexts: [String: TLSServerContext] = [:]
        var started = false
        var stopped = false
    }

    /// An in-process application served on a listener of its own (API, dashboard).
    private struct ApplicationListener {
        var name: String
        var address: SocketAddress
        var application: any HTTPApplication
        var maxConnections: Int
    }

    /// The versions of the event and TLS libraries the engine runs on, e.g. `libev 4.33, OpenSSL 3.0.19 ...`.
    public static var libraryVersions: String {
        let openssl = OpenSSL_version(OPENSSL_VERSION).map { String(cString: $0) } ?? "OpenSSL (unknown)"
        return "libev \(ev_version_major()).\(ev_version_minor()), \(openssl)"
    }

    public init(configuration: LBConfiguration, logger: Logger = Logger(label: "wharf.lb")) {
        let now = MonotonicClock().now()
        self.registry = TargetRegistry(configuration: configuration, now: now)
        self.statistics = StatisticsHub()
        self.state = Mutex(RunState(configuration: configuration))
        self.logger = logger
    }

    /// The monotonic clock the registry and health checker use (for `register(..., now:)`).
    public func now() -> Double { clock.now() }

    /// Serves `application` on `address` (e.g. the ECS API on 127.0.0.1:8080) with the same
    /// engine as the proxy. Call before `start()`.
    public func addApplicationListener(name: String, address: String, application: any HTTPApplication, maxConnections: Int = 10_000) throws(LoadBalancerError) {
        let socketAddress: SocketAddress
        do {
            socketAddress = try SocketAddress(address)
        } catch {
            throw .listen(listener: name, address: address, error)
        }
        try state.withLock { (state: inout RunState) throws(LoadBalancerError) in
            guard !state.started else { throw .invalidState("application listeners must be added before start()") }
            state.applications.append(ApplicationListener(name: name, address: socketAddress, application: application, maxConnections: maxConnections))
        }
    }

    /// Opens the listeners and starts the workers and the health checker.
    public func start() throws(LoadBalancerError) {
        try state.withLock { (state: inout RunState) throws(LoadBalancerError) in
            guard !state.started else { throw .invalidState("the load balancer is already started") }
            try LoadBalancer.withAsynchronousSignalsBlocked { () throws(LoadBalancerError) in try startLocked(&state) }
            state.started = true
        }
        logger.info("load balancer started", metadata: ["workers": "\(workerCount)", "libraries": "\(LoadBalancer.libraryVersions)"])
    }

    /// Signals that report a fault of the thread that raised them; blocking these is undefined.
    private static let synchronousSignals = [SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT, SIGSYS]

    /// Runs `body` with every asynchronous signal blocked on the calling thread, so the threads
    /// it starts inherit that mask: process-directed signals (SIGHUP, SIGTERM, ...) then go to a
    /// thread that waits for or handles them (`wharf lb`'s `sigwait`), never to a worker, where
    /// SIGHUP's default action would end the process. The caller's mask is restored after.
    private static func withAsynchronousSignalsBlocked<Result>(
        _ body: () throws(LoadBalancerError) -> Result
    ) throws(LoadBalancerError) -> Result {
        var blocked = sigset_t()
        sigfillset(&blocked)
        for signal in synchronousSignals { sigdelset(&blocked, signal) }
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return try body()
    }

    /// The number of worker threads.
    public var workerCount: Int {
        state.withLock { $0.workers.count }
    }

    /// One listener as every worker opens it (its own `SO_REUSEPORT` socket on the same address).
    private struct ListenerPlan {
        var name: String
        var address: SocketAddress
        var tls: TLSServerContext?
        var application: (any HTTPApplication)?
        /// Shared by all workers: the limit holds per listener, not per worker.
        var connections: ListenerConnectionCount
    }

    /// The proxy listeners of the configuration, then the application listeners.
    private func listenerPlans(_ state: inout RunState) throws(LoadBalancerError) -> [ListenerPlan] {
        let configuration = state.configuration
        var plans: [ListenerPlan] = []
        for listener in configuration.listeners {
            let address: SocketAddress
            do {
                address = try SocketAddress(ip: listener.bindEndpoint.host, port: UInt16(listener.port))
            } catch {
                throw .listen(listener: listener.name, address: "\(listener.bindAddress):\(listener.port)", error)
            }
            var tls: TLSServerContext?
            if listener.protocol == .https {
                let sources = listener.certificates.map { TLSCertificateSource(certificatePath: $0.certificate, privateKeyPath: $0.privateKey) }
                do {
                    tls = try TLSServerContext(certificates: sources)
                } catch {
                    throw .certificates(listener: listener.name, error)
                }
                state.tlsContexts[listener.name] = tls
            }
            plans.append(ListenerPlan(
                name: listener.name, address: address, tls: tls, application: nil,
                connections: ListenerConnectionCount(limit: listener.maxConnections)))
        }
        for application in state.applications {
            plans.append(ListenerPlan(
                name: application.name, address: application.address, tls: nil, application: application.application,
                connections: ListenerConnectionCount(limit: application.maxConnections)))
        }
        return plans
    }

    private func startLocked(_ state: inout RunState) throws(LoadBalancerError) {
        let configuration = state.configuration
        let count = configuration.workers > 0 ? configuration.workers : max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let plans = try listenerPlans(&state)
        let settings = WorkerSettings(configuration: configuration)
        let table = registry.routingTable()
        var workers: [ProxyWorker] = []
        do throws(LoadBalancerError) {
            for index in 0..<count {
                let loop: EventLoop
                do {
                    loop = try EventLoop()
                } catch {
                    throw LoadBalancerError.thread(name: "lb-worker-\(index)", error)
                }
                let worker = ProxyWorker(index: index, loop: loop, settings: settings, table: table, listenerNames: plans.map(\.name), hub: statistics)
                workers.append(worker)
                for (listenerIndex, plan) in plans.enumerated() {
                    let fd: Int32
                    do {
                        fd = try Socket.listen(plan.address, reusePort: true)
                    } catch {
                        throw LoadBalancerError.listen(listener: plan.name, address: plan.address.description, error)
                    }
                    let listener = WorkerListener(
                        index: listenerIndex, name: plan.name, port: plan.address.port, fd: fd,
                        tls: plan.tls, application: plan.application, connections: plan.connections
                    )
                    if plan.application == nil, let route = table.listenerIndex(named: plan.name) {
                        listener.defaultGroupIndex = table.listeners[route].defaultGroupIndex
                    }
                    worker.listeners.append(listener)
                }
            }
        } catch {
            for worker in workers {
                for listener in worker.listeners { Socket.close(listener.fd) }
            }
            throw error
        }
        state.workers = workers
        for worker in workers {
            let confined = ConfinedWorker(worker)
            do {
                state.threads.append(try EventLoop.spawnThread(name: "lb-worker-\(worker.index)") {
                    confined.worker.start()
                    confined.worker.loop.run()
                })
            } catch {
                abandonStart(&state)
                throw .thread(name: "lb-worker-\(worker.index)", error)
            }
        }
        let confinedWorkers = workers.map(ConfinedWorker.init)
        registry.setOnChange { table in
            for confined in confinedWorkers {
                confined.worker.loop.execute { confined.worker.adopt(table) }
            }
        }
        // A change between reading the table above and installing the handler is not lost:
        // workers ignore tables that are not newer, so posting the current one is harmless.
        let current = registry.routingTable()
        for confined in confinedWorkers {
            confined.worker.loop.execute { confined.worker.adopt(current) }
        }
        do {
            let thread = try EventLoopThread(name: "lb-health")
            let checker = HealthChecker(registry: registry, loop: thread.loop)
            let confined = ConfinedChecker(checker)
            thread.loop.execute { confined.checker.start() }
            state.checkerThread = thread
            state.checker = checker
        } catch {
            registry.setOnChange(nil)
            abandonStart(&state)
            throw .thread(name: "lb-health", error)
        }
    }

    /// Undoes a start that failed half-way: workers already running stop at once, the
    /// listeners of the others are closed, so a failed `start()` leaves no socket open.
    private func abandonStart(_ state: inout RunState) {
        let running = state.threads.count
        for (index, worker) in state.workers.enumerated() {
            if index < running {
                let confined = ConfinedWorker(worker)
                worker.loop.execute { confined.worker.beginShutdown(grace: 0) }
            } else {
                for listener in worker.listeners { Socket.close(listener.fd) }
            }
        }
        for thread in state.threads { thread.join() }
        state.threads = []
        state.workers = []
    }

    /// Applies a new configuration without a restart: target groups and targets (added,
    /// reweighted, drained), health-check settings, listener certificates and default target
    /// groups. Listeners themselves (ports, addresses, protocols), timeouts, limits and the
    /// worker count need a restart; a reload that changes them is refused and nothing changes.
    public func reload(configuration: LBConfiguration) throws(LoadBalancerError) {
        try state.withLock { (state: inout RunState) throws(LoadBalancerError) in
            let old = state.configuration
            guard old.listeners.count == configuration.listeners.count else {
                throw .reloadRefused(field: "listeners", message: "adding or removing listeners needs a restart")
            }
            for (index, (before, after)) in zip(old.listeners, configuration.listeners).enumerated() {
                if before.name != after.name || before.port != after.port || before.bindAddress != after.bindAddress || before.protocol != after.protocol {
                    throw .reloadRefused(field: "listeners[\(index)]", message: "changing a listener's name, address, port or protocol needs a restart")
                }
            }
            guard old.timeouts == configuration.timeouts else {
                throw .reloadRefused(field: "timeouts", message: "changing timeouts needs a restart")
            }
            guard old.limits == configuration.limits, old.workers == configuration.workers else {
                throw .reloadRefused(field: old.workers == configuration.workers ? "limits" : "workers", message: "changing limits or the worker count needs a restart")
            }
            // Certificates first: a bad certificate refuses the whole reload.
            var staged: [(TLSServerContext, [TLSCertificateSource])] = []
            for listener in configuration.listeners where listener.protocol == .https {
                let sources = listener.certificates.map { TLSCertificateSource(certificatePath: $0.certificate, privateKeyPath: $0.privateKey) }
                do throws(TLSError) {
                    _ = try TLSServerContext(certificates: sources)
                } catch {
                    throw .certificates(listener: listener.name, error)
                }
                if let context = state.tlsContexts[listener.name] { staged.append((context, sources)) }
            }
            for (context, sources) in staged {
                do throws(TLSError) { try context.reload(certificates: sources) } catch { throw .certificates(listener: "reload", error) }
            }
            registry.apply(configuration: configuration, now: clock.now())
            state.configuration = configuration
        }
        logger.info("configuration reloaded")
    }

    /// Stops accepting, lets in-flight requests finish (up to `grace` seconds, default the
    /// configured `shutdownGrace`), then stops every thread. Blocks until done.
    public func shutdown(grace: Double? = nil) {
        let (workers, threads, checkerThread, checker, configured) = state.withLock { state in
            let result = (state.workers, state.threads, state.checkerThread, state.checker, state.configuration.timeouts.shutdownGrace)
            state.stopped = true
            state.threads = []
            state.checkerThread = nil
            state.checker = nil
            return result
        }
        registry.setOnChange(nil)
        let seconds = grace ?? configured
        for worker in workers {
            let confined = ConfinedWorker(worker)
            worker.loop.execute { confined.worker.beginShutdown(grace: seconds) }
        }
        for thread in threads { thread.join() }
        if let checkerThread, let checker {
            let confined = ConfinedChecker(checker)
            checkerThread.loop.execute { confined.checker.stop() }
            checkerThread.stopAndJoin()
        }
        logger.info("load balancer stopped")
    }
}

/// A worker handed to its own thread: it is touched only from that thread (and from its
/// loop's `execute` blocks, which run there) once started.
struct ConfinedWorker: @unchecked Sendable {
    let worker: ProxyWorker
    init(_ worker: ProxyWorker) { self.worker = worker }
}

/// The health checker handed to its loop's thread.
struct ConfinedChecker: @unchecked Sendable {
    let checker: HealthChecker
    init(_ checker: HealthChecker) { self.checker = checker }
}
