import Autoscaler
import Testing

@Suite("Step scaling")
struct StepScalingTests {
    static let cpu = ScalingMetric.averageCPUUtilization

    /// Above 60%: +1 from 60 to 80, +3 from 80 up.
    static func highCPUPolicy(cooldown: Double = 30, aggregation: MetricAggregationType = .average) -> ScalingPolicy {
        ScalingPolicy(name: "cpu-high", kind: .stepScaling(StepScalingConfiguration(
            adjustmentType: .changeInCapacity,
            stepAdjustments: [
                StepAdjustment(lowerBound: 0, upperBound: 20, scalingAdjustment: 1),
                StepAdjustment(lowerBound: 20, upperBound: nil, scalingAdjustment: 3),
            ],
            cooldownSeconds: cooldown, metricAggregationType: aggregation,
            alarm: StepScalingAlarm(metric: cpu, comparison: .greaterThanOrEqualToThreshold, threshold: 60, evaluationSeconds: 3))))
    }

    static func run(_ service: inout ServiceSimulation, seconds: Int, cpu value: Double) {
        for _ in 0..<seconds { service.tick { _ in MetricReadings([cpu: value]) } }
    }

    @Test("The step whose bounds hold value minus threshold is applied")
    func chooseStep() {
        var service = ServiceSimulation(policies: [Self.highCPUPolicy()], desired: 4)
        Self.run(&service, seconds: 5, cpu: 70)
        #expect(service.decisions.map(\.decision.newDesired) == [5])
        var upper = ServiceSimulation(policies: [Self.highCPUPolicy()], desired: 4)
        Self.run(&upper, seconds: 5, cpu: 80)  // difference 20: lower bound inclusive above the threshold
        #expect(upper.decisions.map(\.decision.newDesired) == [7])
        var quiet = ServiceSimulation(policies: [Self.highCPUPolicy()], desired: 4)
        Self.run(&quiet, seconds: 30, cpu: 59)
        #expect(quiet.decisions.isEmpty)
    }

    @Test("The cooldown spaces the policy's changes")
    func cooldown() {
        var service = ServiceSimulation(policies: [Self.highCPUPolicy(cooldown: 30)], desired: 4)
        Self.run(&service, seconds: 40, cpu: 70)
        #expect(service.decisions.map(\.decision.newDesired) == [5, 6])
        if service.decisions.count == 2 { #expect(service.decisions[1].time - service.decisions[0].time >= 30) }
    }

    @Test("MetricAggregationType picks the window's average, minimum or maximum")
    func aggregation() {
        func run(_ aggregation: MetricAggregationType) -> [Int] {
            var service = ServiceSimulation(policies: [Self.highCPUPolicy(aggregation: aggregation)], desired: 4)
            var second = 0
            for _ in 0..<3 {
                second += 1
                let value: Double = second % 3 == 0 ? 90 : 50  // 50, 50, 90: mean 63.3, min 50, max 90
                service.tick { _ in MetricReadings([Self.cpu: value]) }
            }
            return service.decisions.map(\.decision.newDesired)
        }
        #expect(run(.average) == [5])
        #expect(run(.minimum) == [])
        #expect(run(.maximum) == [7])
    }

    @Test("ExactCapacity sets the count; a low alarm scales in")
    func exactCapacityScaleIn() {
        let policy = ScalingPolicy(name: "cpu-low", kind: .stepScaling(StepScalingConfiguration(
            adjustmentType: .exactCapacity,
            stepAdjustments: [StepAdjustment(lowerBound: nil, upperBound: 0, scalingAdjustment: 2)],
            cooldownSeconds: 0,
            alarm: StepScalingAlarm(metric: Self.cpu, comparison: .lessThanThreshold, threshold: 20, evaluationSeconds: 3))))
        var service = ServiceSimulation(policies: [policy], desired: 6)
        Self.run(&service, seconds: 5, cpu: 5)
        #expect(service.decisions.map(\.decision.newDesired) == [2])
        #expect(service.decisions.first?.decision.direction == .scaleIn)
    }

    @Test("PercentChangeInCapacity rounds as AWS does and honours MinAdjustmentMagnitude")
    func percentRounding() {
        func newCount(current: Int, percent: Int, minimumMagnitude: Int? = nil) -> Int? {
            let policy = ScalingPolicy(name: "pct", kind: .stepScaling(StepScalingConfiguration(
                adjustmentType: .percentChangeInCapacity,
                stepAdjustments: [StepAdjustment(lowerBound: nil, upperBound: nil, scalingAdjustment: percent)],
                minAdjustmentMagnitude: minimumMagnitude, cooldownSeconds: 0,
                alarm: StepScalingAlarm(metric: Self.cpu, comparison: .greaterThanThreshold, threshold: 0, evaluationSeconds: 1))))
            var service = ServiceSimulation(policies: [policy], desired: current)
            Self.run(&service, seconds: 1, cpu: 10)
            return service.decisions.first?.decision.newDesired
        }
        #expect(newCount(current: 10, percent: 127) == 22)   // +12.7 -> +12
        #expect(newCount(current: 2, percent: 10) == 3)      // +0.2 -> +1
        #expect(newCount(current: 30, percent: -22) == 24)   // -6.6 -> -6
        #expect(newCount(current: 4, percent: -10) == 3)     // -0.4 -> -1
        #expect(newCount(current: 10, percent: 10, minimumMagnitude: 3) == 13)  // +1 raised to +3
    }

    @Test("Step bounds are validated as AWS defines them")
    func validation() {
        func check(_ steps: [StepAdjustment], type: AdjustmentType = .changeInCapacity, magnitude: Int? = nil)
            -> StepScalingValidationError?
        {
            do {
                try StepScalingConfiguration(adjustmentType: type, stepAdjustments: steps, minAdjustmentMagnitude: magnitude).validate()
                return nil
            } catch {
                return error
            }
        }
        #expect(check([]) == .noStepAdjustments)
        #expect(check([StepAdjustment(lowerBound: 0, upperBound: 10, scalingAdjustment: 1),
                       StepAdjustment(lowerBound: 10, upperBound: nil, scalingAdjustment: 2)]) == nil)
        #expect(check([StepAdjustment(lowerBound: 0, upperBound: 10, scalingAdjustment: 1),
                       StepAdjustment(lowerBound: 15, upperBound: nil, scalingAdjustment: 2)]) == .gap(from: 10, to: 15))
        #expect(check([StepAdjustment(lowerBound: 0, upperBound: 10, scalingAdjustment: 1),
                       StepAdjustment(lowerBound: 5, upperBound: nil, scalingAdjustment: 2)]) == .overlap(5))
        #expect(check([StepAdjustment(lowerBound: nil, upperBound: 0, scalingAdjustment: -1),
                       StepAdjustment(lowerBound: nil, upperBound: 10, scalingAdjustment: 1)]) == .multipleUnboundedLower)
        #expect(check([StepAdjustment(lowerBound: 0, upperBound: nil, scalingAdjustment: 1),
                       StepAdjustment(lowerBound: 10, upperBound: nil, scalingAdjustment: 1)]) == .multipleUnboundedUpper)
        #expect(check([StepAdjustment(lowerBound: 10, upperBound: 5, scalingAdjustment: 1)]) == .emptyRange(lower: 10, upper: 5))
        #expect(check([StepAdjustment(lowerBound: 0, upperBound: nil, scalingAdjustment: 1)], magnitude: 2)
            == .minAdjustmentMagnitudeWithoutPercent)
        #expect(check([StepAdjustment(lowerBound: 0, upperBound: nil, scalingAdjustment: -1)], type: .exactCapacity)
            == .negativeExactCapacity(-1))
    }

    @Test("Below the threshold the lower bound is exclusive and the upper inclusive")
    func belowThresholdBounds() {
        let policy = ScalingPolicy(name: "low", kind: .stepScaling(StepScalingConfiguration(
            adjustmentType: .changeInCapacity,
            stepAdjustments: [
                StepAdjustment(lowerBound: -10, upperBound: 0, scalingAdjustment: -1),
                StepAdjustment(lowerBound: nil, upperBound: -10, scalingAdjustment: -2),
            ],
            cooldownSeconds: 0,
            alarm: StepScalingAlarm(metric: Self.cpu, comparison: .lessThanOrEqualToThreshold, threshold: 40, evaluationSeconds: 1))))
        var service = ServiceSimulation(policies: [policy], desired: 6)
        Self.run(&service, seconds: 1, cpu: 30)  // difference -10: upper bound of the second step (inclusive)
        #expect(service.decisions.map(\.decision.newDesired) == [4])
    }

    @Test("A step policy without an alarm never acts")
    func noAlarm() {
        let policy = ScalingPolicy(name: "idle", kind: .stepScaling(StepScalingConfiguration(
            adjustmentType: .changeInCapacity, stepAdjustments: [StepAdjustment(lowerBound: 0, upperBound: nil, scalingAdjustment: 1)])))
        var service = ServiceSimulation(policies: [policy], desired: 2)
        Self.run(&service, seconds: 30, cpu: 99)
        #expect(service.decisions.isEmpty)
    }
}
