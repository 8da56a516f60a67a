import AWSProtocol
import ArgumentParser
import AutoScaling
import Autoscaler
import ControlPlane
import Dashboard
import Foundation
import Glibc
import LB
import Logging
import SecretsManager

/// `wharf serve`: the daemon. Serves the Amazon ECS API, with Application Auto Scaling and
/// Secrets Manager beside it (AWS JSON 1.1, SigV4), on Wharf's HTTP engine, keeps its state in
/// SQLite under the data directory, and runs the load balancer's listeners from the
/// configuration file.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Wharf daemon: the ECS API, the store and the load balancer."
    )

    /// Where tasks run: data directory (store, credentials, images, tasks), bridge, subnet, ...
    @OptionGroup var runtimeOptions: RuntimeOptions

    private var dataDir: String { runtimeOptions.dataDir }

    @Option(name: .long, help: "Address of the ECS API (HOST:PORT). Overrides the file's `listen`.")
    var listen: String?

    @Option(name: .long, help: "Address of the dashboard and /metrics (HOST:PORT, or 'off'). Overrides the file's `dashboard`.")
    var dashboard: String?

    @Option(name: .long, help: "Configuration file (YAML or JSON; see configs/serve.yaml).")
    var config: String?

    func run() throws {
        let dataDir = self.dataDir
        var configuration = ServerConfiguration()
        if let config {
            do {
                configuration = try ServerConfiguration.load(path: config)
            } catch {
                throw ValidationError("\(config): \(error)")
            }
        }
        if let listen {
            do {
                configuration.listen = try ServerConfiguration.listenAddress(listen, field: "--listen")
            } catch {
                throw ValidationError("\(error)")
            }
        }
        if let dashboard {
            do {
                configuration.dashboard = dashboard == "off" ? nil : try ServerConfiguration.listenAddress(dashboard, field: "--dashboard")
            } catch {
                throw ValidationError("\(error)")
            }
        }
        var logger = Logger(label: "wharf.serve")
        logger.logLevel = .info
        LBCommand.raiseDescriptorLimit()

        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let credentialsPath = dataDir + "/credentials"
        let credentials: CredentialStore
        do {
            let (store, outcome) = try CredentialStore.loadOrCreate(path: credentialsPath)
            credentials = store
            if case .created(let credential) = outcome {
                print("wharf serve: generated credentials (access key \(credential.accessKeyID)) in \(credentialsPath)")
            }
        } catch {
            throw ValidationError("credentials: \(error)")
        }
        let store: ECSStore
        do {
            store = try ECSStore(path: ECSStore.defaultPath(dataDirectory: dataDir))
        } catch {
            throw ValidationError("store: \(error)")
        }
        // Secrets Manager: its own file, mode 0600; the agent reads repositoryCredentials from it.
        let secrets: SecretsStore
        do {
            secrets = try SecretsStore(path: SecretsStore.defaultPath(dataDirectory: dataDir))
        } catch {
            throw ValidationError("\(error)")
        }
        // Blocked before anything starts, so no signal can arrive with its default action.
        var signals = SignalWaiter([SIGTERM, SIGINT])
        let balancer = LoadBalancer(configuration: configuration.loadBalancer, logger: logger)

        // Tasks: the runtime on this host behind the agent boundary, driven by the reconciler,
        // which registers them in the load balancer's target groups.
        let runtime = try runtimeOptions.makeRuntime()
        let agent: LocalAgent
        do {
            agent = try LocalAgent(
                runtime: runtime,
                configuration: LocalAgentConfiguration(
                    stateDirectory: LocalAgentConfiguration.defaultStateDirectory(dataDirectory: dataDir), region: configuration.region,
                    registriesFile: dataDir + "/registries.json"),
                secrets: SecretsManagerRegistrySecrets(store: secrets),
                logger: logger)
        } catch {
            throw ValidationError("agent: \(error)")
        }
        let registrar = LBTargetRegistrar(balancer: balancer)
        let reconciler = TaskReconciler(store: store, registrar: registrar, logger: logger)
        var wiredAPI = ECSAPI(store: store, taskObserver: reconciler, targetGroups: registrar)
        let context = ECSRequestContext(region: configuration.region, accountID: configuration.accountID, now: Date())
        // Services: kept at their desired count by the controller, which the API tells of changes.
        let services = ServiceController(api: wiredAPI, targetGroups: registrar, context: context, logger: logger)
        wiredAPI.serviceObserver = services
        let api = wiredAPI
        let taskChanges = reconciler.stateChanges()
        let hostRegistration = BlockingResult<String>()
        Task.detached {
            do {
                let host = try await reconciler.startLocalHost(agent, api: api, context: context)
                hostRegistration.set(.success("\(host)"))
            } catch {
                hostRegistration.set(.failure(error))
            }
        }
        switch hostRegistration.wait() {
        case .success: break
        case .failure(let error): throw ValidationError("registering this host as a container instance: \(error)")
        }

        var router = AWSJSONRouter(verifier: SigV4Verifier(credentials: credentials))
        ECSServiceHandler.register(api, accountID: configuration.accountID, on: &router)

        // Application Auto Scaling on the same endpoint: its state beside ECS's in the store,
        // its loop reading the load balancer's per-second counters and the tasks' cgroups.
        let scalingStore: AutoScalingStore
        do {
            scalingStore = try AutoScalingStore(writer: store.databaseWriter)
        } catch {
            throw ValidationError("autoscaling store: \(error)")
        }
        let scalingDirectory = ECSScalingDirectory(api: api, targetGroups: registrar, context: context)
        var tuning = TargetTrackingTuning.standard
        tuning.scaleInStabilizationSeconds = configuration.scaleInStabilizationSeconds
        AutoScalingAPI(store: scalingStore, directory: scalingDirectory, accountID: configuration.accountID, tuning: tuning)
            .register(on: &router)
        SecretsManagerAPI(store: secrets, accountID: configuration.accountID).register(on: &router)
        let autoscaler = AutoScalingController(
            store: scalingStore, directory: scalingDirectory,
            metrics: ECSScalingMetrics(store: store, balancer: balancer, context: context, usage: { runtime.usage(of: $0) }),
            tuning: tuning, logger: logger)
        var dashboardSampler: Task<Void, Never>?
        do {
            try balancer.addApplicationListener(name: "ecs-api", address: configuration.listen, application: AWSAPIApplication(router: router))
            if let address = configuration.dashboard {
                let provider = ECSDashboardData(store: store, context: context) {
                    autoscaler.recentActivities(limit: 50).map { activity in
                        DashboardScalingActivity(
                            resourceId: activity.resourceID, activityId: activity.activityID, description: activity.description,
                            cause: activity.cause, statusCode: activity.status.rawValue, statusMessage: activity.statusMessage,
                            startTime: activity.startTime, endTime: activity.endTime)
                    }
                }
                let source = WharfDashboardSource(balancer: balancer, provider: provider)
                try balancer.addApplicationListener(name: "dashboard", address: address, application: DashboardApplication(source: source))
                dashboardSampler = source.startSampling()
            }
            try balancer.start()
        } catch {
            throw ValidationError("\(error)")
        }
        // Only once every listener is bound: a daemon that cannot serve acts on nothing.
        services.start(taskChanges: taskChanges)
        autoscaler.start()
        print("wharf serve: ECS API on http://\(configuration.listen) (region \(configuration.region), account \(configuration.accountID))")
        if let address = configuration.dashboard { print("wharf serve: dashboard on http://\(address)/ (Prometheus metrics at /metrics)") }
        for line in CredentialStore.environmentLines(path: credentialsPath) { print("  \(line)") }
        print("  aws ecs list-clusters --endpoint-url http://\(configuration.listen)")
        fflush(nil)  // all output streams: the lines above are read by scripts

        _ = signals.next()
        print("wharf serve: shutting down (tasks keep running and are re-adopted on the next start)")
        dashboardSampler?.cancel()
        autoscaler.stop()
        balancer.shutdown(grace: 5)
        let stopped = BlockingResult<String>()
        Task.detached {
            await services.shutdown()
            await reconciler.shutdown()
            stopped.set(.success(""))
        }
        _ = stopped.wait()
        agent.shutdown()
    }
}

/// Hands the result of async start-up work to the synchronous command (run() is not async).
final class BlockingResult<Value: Sendable>: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private var result: Result<Value, any Error>?

    func set(_ value: Result<Value, any Error>) {
        result = value
        semaphore.signal()
    }

    func wait() -> Result<Value, any Error> {
        semaphore.wait()
        return result ?? .failure(CancellationError())
    }
}
