import XCTest

@testable import LB

/// Routing decisions of `TargetPicker` on a fake clock.
final class PickerTests: XCTestCase {
    /// A group of targets `10.0.0.<n>:80`, ids 1, 2, 3 ... in order.
    static func group(
        _ targets: [(state: TargetHealthState, weight: Int)],
        algorithm: TargetGroupConfiguration.Algorithm = .roundRobin,
        slowStartSeconds: Double = 0, slowStartSince: [Int: Double] = [:],
        outlier: OutlierDetectionConfiguration = OutlierDetectionConfiguration(), firstID: UInt64 = 1
    ) -> RouteGroup {
        let routeTargets = targets.enumerated().map { index, target in
            let host = "10.0.0.\(index + 1)"
            return RouteTarget(
                id: TargetID(rawValue: firstID + UInt64(index)), endpoint: try! TargetEndpoint(host: host, port: 80),
                host: host,
                port: 80, weight: target.weight, state: target.state, slowStartSince: slowStartSince[index])
        }
        return RouteGroup(
            name: "web", algorithm: algorithm, slowStartSeconds: slowStartSeconds, outlierDetection: outlier,
            targets: routeTargets, inUse: true)
    }

    static func healthy(_ count: Int, algorithm: TargetGroupConfiguration.Algorithm = .roundRobin) -> RouteGroup {
        group(Array(repeating: (.healthy, 1), count: count), algorithm: algorithm)
    }

    /// How often each index is picked in `picks` picks at `now`.
    private func spread(_ picker: inout TargetPicker, picks: Int, now: Double = 0) -> [Int] {
        var counts = Array(repeating: 0, count: picker.group.targets.count)
        for _ in 0..<picks {
            guard let index = picker.pick(now: now) else { continue }
            counts[index] += 1
        }
        return counts
    }

    func testRoundRobinRotatesEvenly() {
        var picker = TargetPicker(group: Self.healthy(3), seed: 1)
        XCTAssertEqual((0..<6).compactMap { _ in picker.pick(now: 0) }, [0, 1, 2, 0, 1, 2])
        XCTAssertEqual(spread(&picker, picks: 3000), [1000, 1000, 1000])
    }

    func testRoundRobinHonoursWeights() {
        var picker = TargetPicker(group: Self.group([(.healthy, 1), (.healthy, 2), (.healthy, 0)]), seed: 1)
        XCTAssertEqual(spread(&picker, picks: 300), [100, 200, 0], "weight 0 gets nothing")
        let sequence = (0..<3).compactMap { _ in picker.pick(now: 0) }
        XCTAssertEqual(sequence.sorted(), [0, 1, 1], "smooth: interleaved within each cycle")
    }

    func testOnlyHealthyTargetsGetTraffic() {
        let states: [TargetHealthState] = [.healthy, .initial, .unhealthy, .draining, .healthy]
        var picker = TargetPicker(group: Self.group(states.map { ($0, 1) }), seed: 1)
        XCTAssertEqual(spread(&picker, picks: 100), [50, 0, 0, 0, 50])
    }

    func testChecksDisabledTargetsAreRoutable() {
        var picker = TargetPicker(group: Self.group([(.unavailable, 1), (.unavailable, 1)]), seed: 1)
        XCTAssertEqual(spread(&picker, picks: 10), [5, 5])
    }

    func testFailsOpenAcrossNonDrainingTargetsWhenNoneIsHealthy() {
        var picker = TargetPicker(
            group: Self.group([(.unhealthy, 1), (.initial, 1), (.draining, 1), (.unhealthy, 1)]), seed: 1)
        XCTAssertEqual(spread(&picker, picks: 300), [100, 100, 0, 100])

        var onlyDraining = TargetPicker(group: Self.group([(.draining, 1), (.draining, 1)]), seed: 1)
        XCTAssertNil(onlyDraining.pick(now: 0), "draining targets never get new requests, even failing open")
        var empty = TargetPicker(group: Self.group([]), seed: 1)
        XCTAssertNil(empty.pick(now: 0))
    }

    func testExcludingSkipsOneTargetWithoutFailingOpen() {
        var picker = TargetPicker(group: Self.healthy(2), seed: 1)
        for _ in 0..<5 { XCTAssertEqual(picker.pick(now: 0, excluding: TargetID(rawValue: 1)), 1) }

        var single = TargetPicker(group: Self.group([(.healthy, 1), (.unhealthy, 1)]), seed: 1)
        XCTAssertNil(single.pick(now: 0, excluding: TargetID(rawValue: 1)))
        var open = TargetPicker(group: Self.group([(.unhealthy, 1), (.unhealthy, 1)]), seed: 1)
        XCTAssertEqual(open.pick(now: 0, excluding: TargetID(rawValue: 1)), 1)
    }

    func testPassiveEjectionSkipsTargetUntilItReturns() {
        var outlier = OutlierDetectionConfiguration()
        outlier.consecutiveGatewayFailures = 3
        outlier.baseEjectionSeconds = 30
        var picker = TargetPicker(
            group: Self.group([(.healthy, 1), (.healthy, 1), (.healthy, 1)], outlier: outlier), seed: 1)
        XCTAssertNil(picker.requestFinished(0, outcome: .connectFailed, now: 10))
        XCTAssertNil(picker.requestFinished(0, outcome: .response(status: 502), now: 10))
        XCTAssertEqual(picker.requestFinished(0, outcome: .timedOut, now: 10), 30)
        XCTAssertTrue(picker.isEjected(0, now: 10))
        XCTAssertEqual(spread(&picker, picks: 100, now: 20), [0, 50, 50])
        XCTAssertEqual(spread(&picker, picks: 300, now: 40), [100, 100, 100], "back after baseEjectionSeconds")

        // A second ejection lasts twice as long.
        for _ in 0..<3 { picker.requestFinished(0, outcome: .connectFailed, now: 41) }
        XCTAssertTrue(picker.isEjected(0, now: 100))
        XCTAssertFalse(picker.isEjected(0, now: 101))
    }

    func testEjectionNeverExceedsMaxEjectionPercent() {
        var outlier = OutlierDetectionConfiguration()
        outlier.consecutive5xx = 1
        outlier.maxEjectionPercent = 50
        var picker = TargetPicker(
            group: Self.group(Array(repeating: (.healthy, 1), count: 4), outlier: outlier), seed: 1)
        for index in 0..<4 { picker.requestFinished(index, outcome: .response(status: 500), now: 0) }
        XCTAssertEqual((0..<4).filter { picker.isEjected($0, now: 1) }, [0, 1])

        // A small percentage still allows one ejection in a group of more than one target...
        outlier.maxEjectionPercent = 10
        var pair = TargetPicker(group: Self.group([(.healthy, 1), (.healthy, 1)], outlier: outlier), seed: 1)
        pair.requestFinished(0, outcome: .response(status: 500), now: 0)
        pair.requestFinished(1, outcome: .response(status: 500), now: 0)
        XCTAssertEqual([pair.isEjected(0, now: 1), pair.isEjected(1, now: 1)], [true, false])
        // ... but never ejects a group's only target.
        var alone = TargetPicker(group: Self.group([(.healthy, 1)], outlier: outlier), seed: 1)
        alone.requestFinished(0, outcome: .response(status: 500), now: 0)
        XCTAssertFalse(alone.isEjected(0, now: 1))
    }

    func testEjectedTargetsAreIgnoredWhenFailingOpen() {
        var outlier = OutlierDetectionConfiguration()
        outlier.consecutive5xx = 1
        outlier.maxEjectionPercent = 100
        var picker = TargetPicker(group: Self.group([(.healthy, 1), (.unhealthy, 1)], outlier: outlier), seed: 1)
        picker.requestFinished(0, outcome: .response(status: 500), now: 0)
        XCTAssertTrue(picker.isEjected(0, now: 1))
        XCTAssertEqual(spread(&picker, picks: 10, now: 1), [5, 5], "no routable target left: fail open over both")
    }

    func testLeastOutstandingPrefersIdleTarget() {
        var picker = TargetPicker(group: Self.healthy(3, algorithm: .leastOutstandingRequests), seed: 1)
        for _ in 0..<3 { picker.requestStarted(0) }
        picker.requestStarted(1)
        XCTAssertEqual(picker.pick(now: 0), 2)
        picker.requestStarted(2)
        XCTAssertEqual(picker.pick(now: 0), 1, "1 and 2 have one each: the tie goes to the first from the cursor")
        picker.requestFinished(0, outcome: .response(status: 200), now: 0)
        picker.requestFinished(0, outcome: .response(status: 200), now: 0)
        picker.requestFinished(0, outcome: .response(status: 200), now: 0)
        XCTAssertEqual(picker.outstanding(0), 0)
        XCTAssertEqual(picker.pick(now: 0), 0)
    }

    func testLeastOutstandingSpreadsEvenlyWhenIdle() {
        var picker = TargetPicker(group: Self.healthy(4, algorithm: .leastOutstandingRequests), seed: 1)
        var counts = [0, 0, 0, 0]
        for _ in 0..<400 {
            guard let index = picker.pick(now: 0) else { return XCTFail("no pick") }
            picker.requestStarted(index)
            picker.requestFinished(index, outcome: .response(status: 200), now: 0)
            counts[index] += 1
        }
        XCTAssertEqual(counts, [100, 100, 100, 100])
    }

    func testWeightedRandomFollowsWeights() {
        let group = Self.group(
            [(.healthy, 1), (.healthy, 3), (.healthy, 6), (.unhealthy, 5)], algorithm: .weightedRandom)
        var picker = TargetPicker(group: group, seed: 42)
        let picks = 100_000
        let counts = spread(&picker, picks: picks)
        XCTAssertEqual(counts[3], 0)
        for (index, expected) in [0.1, 0.3, 0.6].enumerated() {
            let share = Double(counts[index]) / Double(picks)
            XCTAssertEqual(share, expected, accuracy: 0.01, "target \(index): \(counts)")
        }
        // Seeded: the same seed gives the same choices.
        var first = TargetPicker(group: group, seed: 7)
        var second = TargetPicker(group: group, seed: 7)
        XCTAssertEqual((0..<50).map { _ in first.pick(now: 0) }, (0..<50).map { _ in second.pick(now: 0) })
    }

    func testSlowStartRampsLinearly() {
        // Target 0 is settled; target 1 entered slow start at t=100 with a 100 s window.
        let group = Self.group([(.healthy, 1), (.healthy, 1)], slowStartSeconds: 100, slowStartSince: [1: 100])
        var picker = TargetPicker(group: group, seed: 1)
        func share(at now: Double) -> Double {
            let counts = spread(&picker, picks: 10_000, now: now)
            return Double(counts[1]) / 10_000
        }
        XCTAssertEqual(share(at: 100), 0.001, accuracy: 0.001, "almost nothing at the start")
        XCTAssertEqual(share(at: 125), 0.25 / 1.25, accuracy: 0.002)
        XCTAssertEqual(share(at: 150), 0.5 / 1.5, accuracy: 0.002)
        XCTAssertEqual(share(at: 175), 0.75 / 1.75, accuracy: 0.002)
        XCTAssertEqual(share(at: 200), 0.5, accuracy: 0.001, "a full share once the window has passed")
        XCTAssertEqual(
            SlowStartRamp.effectiveWeight(weight: 2, slowStartSince: 0, durationSeconds: 30, now: 15), 1000)
        XCTAssertEqual(SlowStartRamp.effectiveWeight(weight: 0, slowStartSince: 0, durationSeconds: 30, now: 15), 0)
    }

    func testStateIsCarriedAcrossSnapshotsByTargetID() {
        var outlier = OutlierDetectionConfiguration()
        outlier.consecutive5xx = 1
        let old = Self.group(
            [(.healthy, 1), (.healthy, 1), (.healthy, 1)], algorithm: .leastOutstandingRequests, outlier: outlier)
        var picker = TargetPicker(group: old, seed: 1)
        picker.requestStarted(0)
        picker.requestStarted(0)
        picker.requestStarted(2)
        picker.requestFinished(1, outcome: .response(status: 500), now: 0)
        XCTAssertTrue(picker.isEjected(1, now: 1))

        // Target 1 (index 0) is gone; 2 and 3 stay; 4 and 5 are new.
        let new = Self.group(
            [(.healthy, 1), (.healthy, 1), (.healthy, 1), (.healthy, 1)], algorithm: .leastOutstandingRequests,
            outlier: outlier, firstID: 2)
        var next = TargetPicker(group: new, carryingOver: picker)
        XCTAssertEqual(next.group.targets.map(\.id.rawValue), [2, 3, 4, 5])
        XCTAssertTrue(next.isEjected(0, now: 1), "target 2's ejection survives")
        XCTAssertEqual(next.outstanding(1), 1, "target 3's request in flight survives")
        XCTAssertEqual(next.outstanding(2), 0)
        XCTAssertNil(next.requestFinished(target: TargetID(rawValue: 1), outcome: .response(status: 200), now: 1))
        next.requestFinished(target: TargetID(rawValue: 3), outcome: .response(status: 200), now: 1)
        XCTAssertEqual(next.outstanding(1), 0)
    }

    func testPickIsCheap() {
        var picker = TargetPicker(group: Self.healthy(8), seed: 1)
        let clock = MonotonicClock()
        let picks = 200_000
        var sink = 0
        let start = clock.now()
        for _ in 0..<picks { sink &+= picker.pick(now: 0) ?? 0 }
        let nanoseconds = (clock.now() - start) / Double(picks) * 1e9
        print("TargetPicker round robin over 8 targets: \(Int(nanoseconds)) ns per pick (this build)")
        XCTAssertEqual(sink, picks / 8 * 28)
        XCTAssertLessThan(nanoseconds, 20_000)
    }
}
