@testable import ControlPlane
import Testing

/// The rolling-update rule on its own: each plan is the next safe step.
struct RolloutPlannerTests {
    typealias Task = RolloutPlanner.LiveTask

    private func task(_ id: String, primary: Bool, _ health: RolloutPlanner.Health, retiring: Bool = false, at: Double = 0) -> Task {
        Task(id: id, isPrimary: primary, isRetiring: retiring, health: health, createdAt: at)
    }

    @Test func protectedTasksAreNeitherScaledInNorReplaced() {
        var protectedTask = task("p", primary: true, .healthy, at: 3)
        protectedTask.isProtected = true
        let scaleIn = RolloutPlanner(desiredCount: 1, minimumHealthyPercent: 100, maximumPercent: 200, canLaunch: true)
            .plan([task("a", primary: true, .healthy, at: 1), protectedTask, task("b", primary: true, .healthy, at: 2)])
        #expect(scaleIn.stops.map(\.id) == ["b", "a"], "the protected task stays, the others go newest first")
        var protectedOld = task("old", primary: false, .healthy)
        protectedOld.isProtected = true
        let rollout = RolloutPlanner(desiredCount: 1, minimumHealthyPercent: 0, maximumPercent: 200, canLaunch: true)
            .plan([protectedOld, task("new", primary: true, .healthy)])
        #expect(rollout.stops.isEmpty && !rollout.isSteady, "a deployment waits for the protection to end")
        var protectedRetiring = task("drained", primary: true, .healthy, retiring: true)
        protectedRetiring.isProtected = true
        let moved = RolloutPlanner(desiredCount: 1, minimumHealthyPercent: 0, maximumPercent: 200, canLaunch: true)
            .plan([protectedRetiring, task("new", primary: true, .healthy)])
        #expect(moved.stops.map(\.id) == ["drained"], "protection does not keep a task on an instance that is going away")
        var failing = task("sick", primary: true, .unhealthy(reason: "health"))
        failing.isProtected = true
        #expect(RolloutPlanner(desiredCount: 1, minimumHealthyPercent: 100, maximumPercent: 200, canLaunch: true)
            .plan([failing]).stops.map(\.id) == ["sick"], "a failing health check still replaces it")
    }

    @Test func newServiceStartsDesiredTasks() {
        let planner = RolloutPlanner(desiredCount: 3, minimumHealthyPercent: 100, maximumPercent: 200, canLaunch: true)
        let plan = planner.plan([])
        #expect(plan.launchCount == 3)
        #expect(plan.stops.isEmpty)
        #expect(!plan.isSteady)
    }

    @Test func steadyWhenAllPrimaryTasksHealthy() {
        let planner = RolloutPlanner(desiredCount: 2, minimumHealthyPercent: 100, maximumPercent: 200, canLaunch: true)
        let plan = planner.plan([task("a", primary: true, .healthy), task("b", primary: true, .healthy)])
        #expect(plan == RolloutPlanner.Plan(launchCount: 0, stops: [], isSteady: true))
        let starting = planner.plan([task("a", primary: true, .healthy), task("b", primary: true, .starting)])
        #expect(!starting.isSteady)
        #expect(starting.launchCount == 0)
    }

    @Test func rollingUpdateKeepsMinimumHealthyAndMaximumPercent() {
        let planner = RolloutPlanner(desiredCount: 2, minimumHealthyPercent: 100, maximumPercent: 200, canLaunch: true)
        let old = [task("o1", primary: false, .healthy, at: 1), task("o2", primary: false, .healthy, at: 2)]
        // Step 1: two new tasks (up to 200%), nothing stopped (old ones are the only healthy).
        let first = planner.plan(old)
        #expect(first.launchCount == 2)
        #expect(first.stops.isEmpty)
        // Step 2: new ones starting: still nothing stopped.
        let second = planner.plan(old + [task("n1", primary: true, .starting), task("n2", primary: true, .pending)])
        #expect(second.launchCount == 0)
        #expect(second.stops.isEmpty)
        // Step 3: one new healthy: one old may go (3 healthy, 2 needed).
        let third = planner.plan(old + [task("n1", primary: true, .healthy), task("n2", primary: true, .starting)])
        #expect(third.stops.map(\.id) == ["o1"])
        #expect(third.stops.first?.cause == .replaced)
        // Step 4: both healthy: the other old one goes.
        let fourth = planner.plan([old[1], task("n1", primary: true, .healthy), task("n2", primary: true, .healthy)])
        #expect(fourth.stops.map(\.id) == ["o2"])
        #expect(!fourth.isSteady)
    }

    @Test func zeroMinimumHealthyStopsOldFirstWithinMaximum() {
        let planner = RolloutPlanner(desiredCount: 2, minimumHealthyPercent: 0, maximumPercent: 100, canLaunch: true)
        let plan = planner.plan([task("o1", primary: false, .healthy), task("o2", primary: false, .healthy)])
        #expect(plan.launchCount == 0)
        #expect(Set(plan.stops.map(\.id)) == ["o1", "o2"])
        #expect(planner.plan([]).launchCount == 2)
    }

    @Test func fiftyPercentMinimumReplacesOneAtATime() {
        let planner = RolloutPlanner(desiredCount: 2, minimumHealthyPercent: 50, maximumPercent: 100, canLaunch: true)
        let plan = planner.plan([task("o1", primary: false, .healthy, at: 1), task("o2", primary: false, .healthy, at: 2)])
        #expect(plan.launchCount == 0)
        #expect(plan.stops.map(\.id) == ["o1"])
        let next = planner.plan([task("o2", primary: false, .healthy, at: 2)])
        #expect(next.launchCount == 1)
        #expect(next.stops.isEmpty)
    }

    @Test func unhealthyTasksAreReplaced() {
        let planner = RolloutPlanner(desiredCount: 2, minimumHealthyPercent: 100, maximumPercent: 200, canLaunch: true)
        let plan = planner.plan([task("a", primary: true, .healthy), task("b", primary: true, .unhealthy(reason: "Task failed container health checks"))])
        #expect(plan.stops.map(\.id) == ["b"])
        #expect(plan.launchCount == 1)
    }

    @Test func stoppedTaskIsReplacedAtOnce() {
        let planner = RolloutPlanner(desiredCount: 3, minimumHealthyPercent: 100, maximumPercent: 200, canLaunch: true)
        let plan = planner.plan([task("a", primary: true, .healthy), task("b", primary: true, .healthy)])
        #expect(plan.launchCount == 1)
    }

    @Test func scaleInStopsLeastAdvancedThenNewest() {
        let planner = RolloutPlanner(desiredCount: 1, minimumHealthyPercent: 100, maximumPercent: 200, canLaunch: true)
        let plan = planner.plan([
            task("old", primary: true, .healthy, at: 1), task("new", primary: true, .healthy, at: 3),
            task("pending", primary: true, .pending, at: 2),
        ])
        #expect(plan.stops.map(\.id) == ["pending", "new"])
        #expect(plan.stops.allSatisfy { $0.cause == .scaleIn })
        #expect(plan.launchCount == 0)
    }

    @Test func failedDeploymentLaunchesNothing() {
        let planner = RolloutPlanner(desiredCount: 2, minimumHealthyPercent: 100, maximumPercent: 200, canLaunch: false)
        let plan = planner.plan([task("o1", primary: false, .healthy), task("o2", primary: false, .healthy)])
        #expect(plan.launchCount == 0)
        #expect(plan.stops.isEmpty)
    }

    @Test func tasksOnDrainingInstancesMoveAway() {
        let planner = RolloutPlanner(desiredCount: 1, minimumHealthyPercent: 100, maximumPercent: 200, canLaunch: true)
        let retiring = task("r", primary: true, .healthy, retiring: true)
        let first = planner.plan([retiring])
        #expect(first.launchCount == 1)
        #expect(first.stops.isEmpty)
        let second = planner.plan([retiring, task("n", primary: true, .healthy)])
        #expect(second.stops.map(\.id) == ["r"])
    }

    @Test func roundingFollowsECS() {
        // 3 x 150% = 4.5 -> 4 at most; 3 x 50% = 1.5 -> 2 healthy at least.
        let planner = RolloutPlanner(desiredCount: 3, minimumHealthyPercent: 50, maximumPercent: 150, canLaunch: true)
        #expect(planner.maximumTasks == 4)
        #expect(planner.minimumHealthyTasks == 2)
    }
}
