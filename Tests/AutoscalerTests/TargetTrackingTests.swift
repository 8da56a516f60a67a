import Autoscaler
import Testing

/// Target tracking on request count per target: 600 requests per target per minute is
/// 10 requests/s per task, so N tasks are "at target" at 10 x N requests/s.
@Suite("Target tracking")
struct TargetTrackingTests {
    @Test("A step in load scales out proportionally within a few seconds, once")
    func stepInLoad() {
        var service = ServiceSimulation(policies: [ServiceSimulation.requestPolicy()], desired: 4)
        service.run(seconds: 60) { _ in 40 }
        #expect(service.decisions.isEmpty)
        let step = service.now
        service.run(seconds: 120) { _ in 160 }
        #expect(service.decisions.count == 1)
        let first = service.decisions.first
        #expect(first?.decision.newDesired == 16)
        #expect(first?.decision.direction == .scaleOut)
        // The median of 3 s turns once two of the three seconds are high: 2 s after the step.
        if let first { #expect(first.time - step == 2) }
        if case .policies(let reasons)? = first?.decision.cause {
            #expect(reasons.first?.policyName == "requests")
            #expect(reasons.first?.alarm == .high)
            #expect(reasons.first?.threshold == 600)
        } else {
            Issue.record("expected a policy cause")
        }
    }

    @Test("A single noisy second does not scale out")
    func singleSpike() {
        var service = ServiceSimulation(policies: [ServiceSimulation.requestPolicy()], desired: 4)
        service.run(seconds: 60) { _ in 40 }
        let spike = service.now + 1
        service.run(seconds: 60) { time in time == spike ? 400 : 40 }
        #expect(service.decisions.isEmpty)
    }

    @Test("Ten minutes of steady load with +-20% noise change the count at most once", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func noisySteadyLoad(seed: UInt64) {
        var random = SeededGenerator(state: seed)
        var service = ServiceSimulation(policies: [ServiceSimulation.requestPolicy()], desired: 8)
        service.run(seconds: 600) { _ in 80 * Double.random(in: 0.8...1.2, using: &random) }
        #expect(service.decisions.count <= 1, "decisions: \(service.decisions.map(\.decision.newDesired))")
    }

    @Test("A noisy step settles within a minute without flapping", arguments: [7, 42, 99] as [UInt64])
    func noisyStep(seed: UInt64) {
        var random = SeededGenerator(state: seed)
        var service = ServiceSimulation(policies: [ServiceSimulation.requestPolicy()], desired: 4)
        service.run(seconds: 60) { _ in 40 * Double.random(in: 0.8...1.2, using: &random) }
        let step = service.now
        service.run(seconds: 600) { _ in 160 * Double.random(in: 0.8...1.2, using: &random) }
        // The first 3 s median may read the noise low; the 30 s median then tops it up once.
        #expect(service.decisions.count <= 2, "decisions: \(service.decisions.map(\.decision.newDesired))")
        #expect(service.decisions.allSatisfy { $0.decision.direction == .scaleOut && $0.time - step <= 40 })
        #expect(service.decisions.first.map { $0.time - step <= 3 } == true)
        #expect(service.decisions.last.map { (15...20).contains($0.decision.newDesired) } == true)
    }

    @Test("A load drop scales in only after the stabilization window, to the need")
    func loadDrop() {
        var service = ServiceSimulation(policies: [ServiceSimulation.requestPolicy()], desired: 16)
        service.run(seconds: 200) { _ in 160 }
        #expect(service.decisions.isEmpty)
        let drop = service.now
        service.run(seconds: 300) { _ in 40 }
        #expect(service.decisions.count == 1)
        guard let decision = service.decisions.first else { return }
        #expect(decision.decision.newDesired == 4)
        #expect(decision.decision.direction == .scaleIn)
        let waited = decision.time - drop
        #expect(waited >= 120 && waited <= 122, "scaled in after \(waited) s")
    }

    @Test("A configurable stabilization window is honoured")
    func shortWindow() {
        let tuning = TargetTrackingTuning(scaleInStabilizationSeconds: 30)
        var service = ServiceSimulation(policies: [ServiceSimulation.requestPolicy(tuning: tuning)], desired: 10)
        service.run(seconds: 60) { _ in 100 }
        let drop = service.now
        service.run(seconds: 60) { _ in 20 }
        #expect(service.decisions.count == 1)
        if let decision = service.decisions.first {
            #expect(decision.decision.newDesired == 2)
            #expect(decision.time - drop >= 30 && decision.time - drop <= 32)
        }
    }

    @Test("Load just below target (within tolerance) does not scale in")
    func withinTolerance() {
        var service = ServiceSimulation(policies: [ServiceSimulation.requestPolicy()], desired: 10)
        service.run(seconds: 600) { _ in 92 }
        #expect(service.decisions.isEmpty)
    }

    @Test("Capacity still arriving is not asked for again")
    func capacityArriving() {
        var service = ServiceSimulation(policies: [ServiceSimulation.requestPolicy()], desired: 2, startupSeconds: 30)
        service.run(seconds: 40) { _ in 20 }
        service.run(seconds: 20) { _ in 80 }
        #expect(service.decisions.map(\.decision.newDesired) == [8])
        // Load grows again while the 6 new tasks are still starting: only the difference is asked.
        service.run(seconds: 20) { _ in 120 }
        #expect(service.decisions.map(\.decision.newDesired) == [8, 12])
    }

    @Test("Scale-out cooldown delays a second scale-out by the same policy")
    func scaleOutCooldown() {
        var service = ServiceSimulation(policies: [ServiceSimulation.requestPolicy(scaleOutCooldown: 60)], desired: 2)
        service.run(seconds: 40) { _ in 20 }
        service.run(seconds: 10) { _ in 40 }
        #expect(service.decisions.map(\.decision.newDesired) == [4])
        guard let first = service.decisions.first?.time else { return }
        service.run(seconds: 80) { _ in 80 }
        #expect(service.decisions.map(\.decision.newDesired) == [4, 8])
        if service.decisions.count == 2 {
            #expect(service.decisions[1].time - first >= 60)
        }
    }

    @Test("Scale-in cooldown spaces consecutive scale-ins")
    func scaleInCooldown() {
        let tuning = TargetTrackingTuning(scaleInStabilizationSeconds: 30)
        var service = ServiceSimulation(
            policies: [ServiceSimulation.requestPolicy(tuning: tuning, scaleInCooldown: 200)], desired: 16)
        service.run(seconds: 60) { _ in 160 }
        service.run(seconds: 60) { _ in 80 }
        #expect(service.decisions.map(\.decision.newDesired) == [8])
        guard let first = service.decisions.first?.time else { return }
        service.run(seconds: 300) { _ in 20 }
        #expect(service.decisions.map(\.decision.newDesired) == [8, 2])
        if service.decisions.count == 2 {
            #expect(service.decisions[1].time - first >= 200)
        }
    }

    @Test("DisableScaleIn keeps capacity after a load drop")
    func disableScaleIn() {
        var service = ServiceSimulation(policies: [ServiceSimulation.requestPolicy(disableScaleIn: true)], desired: 8)
        service.run(seconds: 400) { _ in 10 }
        #expect(service.decisions.isEmpty)
        service.run(seconds: 10) { _ in 200 }
        #expect(service.decisions.map(\.decision.newDesired) == [20])
    }

    @Test("Minimum and maximum capacity bound every decision")
    func bounds() {
        var service = ServiceSimulation(
            policies: [ServiceSimulation.requestPolicy()], desired: 4, bounds: CapacityBounds(minimum: 3, maximum: 10))
        service.run(seconds: 20) { _ in 1000 }
        #expect(service.decisions.map(\.decision.newDesired) == [10])
        service.run(seconds: 400) { _ in 0 }
        #expect(service.decisions.map(\.decision.newDesired) == [10, 3])

        // A count left below a raised minimum is brought up at once, naming the minimum.
        service.bounds = CapacityBounds(minimum: 5, maximum: 10)
        service.run(seconds: 1) { _ in 0 }
        #expect(service.decisions.last?.decision.newDesired == 5)
        #expect(service.decisions.last?.decision.cause == .belowMinimum(5))
        service.bounds = CapacityBounds(minimum: 1, maximum: 2)
        service.run(seconds: 1) { _ in 0 }
        #expect(service.decisions.last?.decision.cause == .aboveMaximum(2))
    }

    @Test("Suspended dynamic scaling changes nothing in that direction")
    func suspension() {
        var service = ServiceSimulation(policies: [ServiceSimulation.requestPolicy()], desired: 4)
        service.suspension = ScalingSuspension(dynamicScalingOut: true)
        service.run(seconds: 30) { _ in 160 }
        #expect(service.decisions.isEmpty)
        service.suspension = .none
        service.run(seconds: 5) { _ in 160 }
        #expect(service.decisions.map(\.decision.newDesired) == [16])
    }

    @Test("CPU utilization tracks over healthy tasks: desired = ceil(healthy x cpu / target)")
    func cpuProportional() {
        let policy = ScalingPolicy(name: "cpu", kind: .targetTracking(
            TargetTrackingConfiguration(metric: .averageCPUUtilization, targetValue: 50)))
        var service = ServiceSimulation(policies: [policy], desired: 3)
        // Work worth 3 tasks at 90%, shared by the healthy tasks.
        for _ in 0..<60 { service.tick { healthy in MetricReadings([.averageCPUUtilization: 270 / Double(max(healthy, 1))]) } }
        // ceil(3 x 90 / 50) = 6
        #expect(service.decisions.map(\.decision.newDesired) == [6])
    }
}
