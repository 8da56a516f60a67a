/// The ECS rolling-update rule, as a pure function of a service's live tasks: which tasks to
/// start and which to stop now so that the service converges on `desiredCount` tasks of its
/// primary deployment, never more than `maximumPercent` of it alive and never fewer than
/// `minimumHealthyPercent` of it healthy (ECS rounds the first down and the second up).
///
/// The controller applies a plan, waits for the tasks to move, and plans again: each plan is
/// only the next safe step.
struct RolloutPlanner {
    /// How far a live task (desired RUNNING) has come.
    enum Health: Equatable, Sendable {
        /// Not RUNNING yet (PROVISIONING, PENDING, ACTIVATING).
        case pending
        /// RUNNING, health checks not passed yet (or within the grace period).
        case starting
        /// RUNNING and passing its container and target group health checks.
        case healthy
        /// Failing its health checks after the grace period: replaced.
        case unhealthy(reason: String)
    }

    struct LiveTask: Equatable, Sendable {
        var id: String
        /// Started by the primary deployment.
        var isPrimary: Bool
        /// On a DRAINING container instance: moved away like a task of an old deployment.
        var isRetiring: Bool
        var health: Health
        var createdAt: Double
        /// Under scale-in protection (UpdateTaskProtection): neither scaled in nor replaced by a
        /// deployment while it lasts (a failing health check, or its instance going away, still
        /// replaces it).
        var isProtected = false
    }

    /// Why a task is stopped.
    enum StopCause: Equatable, Sendable {
        /// Failed its health checks.
        case unhealthy(reason: String)
        /// More primary tasks than desired (scale-in).
        case scaleIn
        /// Of an old deployment (or a draining instance), replaced by the primary's tasks.
        case replaced
    }

    struct Plan: Equatable, Sendable {
        var launchCount = 0
        var stops: [(id: String, cause: StopCause)] = []
        /// Nothing to do and every desired task of the primary is healthy.
        var isSteady = false

        static func == (lhs: Plan, rhs: Plan) -> Bool {
            lhs.launchCount == rhs.launchCount && lhs.isSteady == rhs.isSteady
                && lhs.stops.map(\.id) == rhs.stops.map(\.id) && lhs.stops.map(\.cause) == rhs.stops.map(\.cause)
        }
    }

    var desiredCount: Int
    var minimumHealthyPercent: Int
    var maximumPercent: Int
    /// False while the primary must not start tasks (its deployment failed, or launches are
    /// backing off after repeated task failures).
    var canLaunch: Bool

    /// Most tasks alive at once.
    var maximumTasks: Int { desiredCount * maximumPercent / 100 }
    /// Fewest healthy tasks while old ones are stopped.
    var minimumHealthyTasks: Int { (desiredCount * minimumHealthyPercent + 99) / 100 }

    func plan(_ tasks: [LiveTask]) -> Plan {
        var plan = Plan()
        var live: [LiveTask] = []
        for task in tasks {
            if case .unhealthy(let reason) = task.health {
                plan.stops.append((task.id, .unhealthy(reason: reason)))
            } else {
                live.append(task)
            }
        }
        var primary = live.filter { $0.isPrimary && !$0.isRetiring }
        let outgoing = live.filter { !$0.isPrimary || $0.isRetiring }

        // Scale-in: surplus primary tasks go, the least advanced and then the newest first;
        // protected ones stay (the service runs above its desired count until they expire).
        if primary.count > desiredCount {
            let ranked = primary.filter { !$0.isProtected }.sorted { Self.rank($0) < Self.rank($1) || (Self.rank($0) == Self.rank($1) && $0.createdAt > $1.createdAt) }
            let surplus = ranked.prefix(primary.count - desiredCount)
            for task in surplus { plan.stops.append((task.id, .scaleIn)) }
            let gone = Set(surplus.map(\.id))
            primary.removeAll { gone.contains($0.id) }
        }

        if canLaunch {
            let room = maximumTasks - (primary.count + outgoing.count)
            plan.launchCount = max(0, min(desiredCount - primary.count, room))
        }

        // Old tasks: those not serving go at once; serving ones only while enough healthy
        // tasks remain.
        var healthy = (primary + outgoing).filter { $0.health == .healthy }.count
        let replaceable = outgoing.filter { !$0.isProtected || $0.isRetiring }
        for task in replaceable where task.health != .healthy {
            plan.stops.append((task.id, .replaced))
        }
        for task in replaceable.filter({ $0.health == .healthy }).sorted(by: { $0.createdAt < $1.createdAt })
        where healthy > minimumHealthyTasks {
            plan.stops.append((task.id, .replaced))
            healthy -= 1
        }

        plan.isSteady = plan.stops.isEmpty && plan.launchCount == 0 && outgoing.isEmpty
            && primary.count == desiredCount && primary.allSatisfy { $0.health == .healthy }
        return plan
    }

    /// Lower ranks are stopped first on scale-in.
    private static func rank(_ task: LiveTask) -> Int {
        switch task.health {
        case .unhealthy: 0
        case .pending: 1
        case .starting: 2
        case .healthy: 3
        }
    }
}
