import ArgumentParser
import Glibc
import LB
import Logging

/// `wharf lb --config FILE`: runs the load balancer alone (for benchmarks and for users who
/// want only the LB). SIGHUP reloads the file (a bad file keeps the running configuration);
/// SIGTERM or SIGINT shut down gracefully.
struct LBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lb",
        abstract: "Run Wharf's layer-7 load balancer alone, from a YAML or JSON configuration file."
    )

    @Option(name: .long, help: "The configuration file (YAML or JSON; see configs/lb.yaml).")
    var config: String

    @Flag(name: .long, help: "Check the configuration file and exit.")
    var check = false

    func run() throws {
        let configuration: LBConfiguration
        do {
            configuration = try LBConfiguration.load(path: config)
        } catch {
            throw ValidationError("\(error)")
        }
        if check {
            print("\(config): configuration is valid")
            return
        }
        LBCommand.raiseDescriptorLimit()
        var logger = Logger(label: "wharf.lb")
        logger.logLevel = .info
        // Blocked before anything starts, so no signal can arrive with its default action.
        var signals = SignalWaiter([SIGTERM, SIGINT, SIGHUP])
        let balancer = LoadBalancer(configuration: configuration, logger: logger)
        do {
            try balancer.start()
        } catch {
            throw ValidationError("\(error)")
        }
        let listeners = configuration.listeners.map { "\($0.name) \($0.protocol.rawValue) \($0.bindAddress):\($0.port)" }
        print("wharf lb: \(balancer.workerCount) worker(s); listening: \(listeners.joined(separator: ", "))")
        fflush(nil)

        while true {
            if signals.next() == SIGHUP {
                do {
                    let next = try LBConfiguration.load(path: config)
                    try balancer.reload(configuration: next)
                    print("wharf lb: reloaded \(config)")
                } catch {
                    print("wharf lb: reload refused, keeping the running configuration: \(error)")
                }
                fflush(nil)
                continue
            }
            print("wharf lb: shutting down")
            balancer.shutdown()
            return
        }
    }

    /// Each connection is a descriptor (two when proxied): lift the soft limit to the hard one.
    static func raiseDescriptorLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
