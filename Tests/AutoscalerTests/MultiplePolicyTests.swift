import Autoscaler
import Testing

@Suite("Several policies on one target")
struct MultiplePolicyTests {
    static let cpuPolicy = ScalingPolicy(name: "cpu", kind: .targetTracking(
        TargetTrackingConfiguration(metric: .averageCPUUtilization, targetValue: 50,
                                    tuning: TargetTrackingTuning(scaleInStabilizationSeconds: 60))))
    static let requestPolicy = ServiceSimulation.requestPolicy(tuning: TargetTrackingTuning(scaleInStabilizationSeconds: 60))

    @Test("Scale out when any policy asks, to the largest count asked for")
    func anyScalesOut() {
        var service = ServiceSimulation(policies: [Self.requestPolicy, Self.cpuPolicy], desired: 4)
        // CPU work worth 4 tasks at 100%, shared by the healthy tasks.
        for _ in 0..<30 {
            service.tick { healthy in
                MetricReadings([ServiceSimulation.requests: 40, .averageCPUUtilization: 400 / Double(max(healthy, 1))])
            }
        }
        // Requests are at target; CPU asks for ceil(4 x 100 / 50) = 8.
        #expect(service.decisions.map(\.decision.newDesired) == [8])
        if case .policies(let reasons)? = service.decisions.first?.decision.cause {
            #expect(reasons.map(\.policyName) == ["cpu"])
        }
    }

    @Test("Scale in only when every policy agrees")
    func allMustAgree() {
        var service = ServiceSimulation(policies: [Self.requestPolicy, Self.cpuPolicy], desired: 10)
        // Requests fell to a fifth, CPU stays at target: no scale-in.
        for _ in 0..<200 {
            service.tick { _ in MetricReadings([ServiceSimulation.requests: 20, .averageCPUUtilization: 50]) }
        }
        #expect(service.decisions.isEmpty)
        // CPU falls too: both agree; the larger of the two counts wins (cpu: ceil(10 x 20 / 50) = 4).
        for _ in 0..<100 {
            service.tick { _ in MetricReadings([ServiceSimulation.requests: 20, .averageCPUUtilization: 20]) }
        }
        #expect(service.decisions.map(\.decision.newDesired) == [4])
        if case .policies(let reasons)? = service.decisions.first?.decision.cause {
            #expect(Set(reasons.map(\.policyName)) == ["cpu", "requests"])
        }
    }

    @Test("A policy without readings blocks scale-in but not another policy's scale-out")
    func missingReadings() {
        var service = ServiceSimulation(policies: [Self.requestPolicy, Self.cpuPolicy], desired: 10)
        service.run(seconds: 200) { _ in 10 }
        #expect(service.decisions.isEmpty)
        service.run(seconds: 5) { _ in 200 }
        #expect(service.decisions.map(\.decision.newDesired) == [20])
    }

    @Test("A policy with scale-in disabled lets the others scale in")
    func disabledScaleInDoesNotBlock() {
        let cpu = ScalingPolicy(name: "cpu", kind: .targetTracking(
            TargetTrackingConfiguration(metric: .averageCPUUtilization, targetValue: 50, disableScaleIn: true)))
        var service = ServiceSimulation(policies: [Self.requestPolicy, cpu], desired: 10)
        for _ in 0..<100 {
            service.tick { _ in MetricReadings([ServiceSimulation.requests: 20, .averageCPUUtilization: 10]) }
        }
        #expect(service.decisions.map(\.decision.newDesired) == [2])
    }

    @Test("Removing a policy drops its state; adding one starts fresh")
    func policySetChanges() {
        var service = ServiceSimulation(policies: [Self.requestPolicy, Self.cpuPolicy], desired: 4)
        service.run(seconds: 30) { _ in 40 }
        service.policies = [Self.requestPolicy]
        service.run(seconds: 80) { _ in 10 }
        #expect(service.decisions.map(\.decision.newDesired) == [1])
    }
}
