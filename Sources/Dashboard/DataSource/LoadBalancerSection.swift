import Foundation
import LB

/// Builds the load balancer's part of a ``DashboardSnapshot`` (target groups, their targets'
/// health and recent checks, request rates, latency percentiles, and the request-rate chart)
/// directly from a running ``LoadBalancer``, so a data source only supplies the ECS parts.
///
/// The registry and the statistics hub keep monotonic time; the snapshot shows wall-clock
/// time, converted with the offset between the two clocks at the moment of the call.
public struct LoadBalancerSection: Sendable {
    /// Points per chart: an hour in 10-second steps.
    public static let defaultChartWindowSeconds = 3600
    public static let defaultChartStepSeconds = 10
    /// Whole seconds the "current" request rate is averaged over.
    public static let rateWindowSeconds = 10

    public let balancer: LoadBalancer
    private let wallClock: @Sendable () -> Double

    /// `wallClock` returns Unix seconds (tests pass a fixed clock).
    public init(balancer: LoadBalancer, wallClock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.balancer = balancer
        self.wallClock = wallClock
    }

    /// Every target group in configuration order (then groups only the statistics know), with
    /// its targets ordered failing first, then by address and port.
    public func targetGroups() -> [DashboardTargetGroup] {
        let monotonicNow = balancer.now()
        let offset = wallClock() - monotonicNow
        let statistics = balancer.statistics.snapshot(now: monotonicNow)
        let byName = Dictionary(statistics.targetGroups.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var names = balancer.registry.targetGroupNames
        for group in statistics.targetGroups where !names.contains(group.name) { names.append(group.name) }
        return names.map { name in
            // A group removed by a reload since the names were read has no targets left to show.
            let descriptions = (try? balancer.registry.describeTargetHealth(group: name)) ?? []
            return Self.targetGroup(name: name, descriptions: descriptions, statistics: byName[name], wallClockOffset: offset)
        }
    }

    /// One chart per service that names a target group: that group's request rate against the
    /// service's task counts from `taskCounts` (keyed `cluster/service`).
    public func charts(
        for services: [DashboardService], taskCounts: TaskCountHistory,
        windowSeconds: Int = LoadBalancerSection.defaultChartWindowSeconds,
        stepSeconds: Int = LoadBalancerSection.defaultChartStepSeconds
    ) -> [DashboardChart] {
        let step = max(1, stepSeconds)
        let steps = max(1, windowSeconds / step)
        let monotonicNow = balancer.now()
        let offset = wallClock() - monotonicNow
        var charts: [DashboardChart] = []
        for service in services {
            guard let group = service.targetGroups.first else { continue }
            let key = "\(service.cluster)/\(service.name)"
            let series = balancer.statistics.series(targetGroup: group, seconds: steps * step, now: monotonicNow)
            // The series may be shorter than asked (the hub keeps at most its configured hour).
            let available = series.requests.count / step
            let firstSecond = series.firstSecond + Int64(series.requests.count - available * step)
            let starts = (0..<available).map { Double(firstSecond + Int64($0 * step)) + offset }
            let counts = taskCounts.counts(service: key, at: starts.map { $0 + Double(step) })
            var points: [DashboardChartPoint] = []
            points.reserveCapacity(available)
            let skipped = series.requests.count - available * step
            for index in 0..<available {
                let slice = series.requests[(skipped + index * step)..<(skipped + (index + 1) * step)]
                let rate = Double(slice.reduce(0, +)) / Double(step)
                points.append(DashboardChartPoint(
                    time: starts[index], requestsPerSecond: rate, runningTasks: counts[index]?.running, desiredTasks: counts[index]?.desired))
            }
            charts.append(DashboardChart(service: key, targetGroup: group, stepSeconds: step, points: points))
        }
        return charts
    }

    /// The load balancer's figures in the Prometheus text format (``PrometheusExposition``).
    public func prometheusText() -> String {
        PrometheusExposition.render(balancer.statistics.snapshot(now: balancer.now()))
    }

    /// One group from the registry's descriptions and the hub's figures (nil: no traffic yet).
    static func targetGroup(
        name: String, descriptions: [TargetHealthDescription], statistics: TargetGroupStatistics?, wallClockOffset: Double
    ) -> DashboardTargetGroup {
        let targetFigures = Dictionary(
            (statistics?.targets ?? []).map { ($0.id, $0.traffic) }, uniquingKeysWith: { first, _ in first })
        let targets = descriptions.map { description in
            let traffic = targetFigures[description.id.rawValue]
            return DashboardTarget(
                id: description.id.rawValue, address: description.address, port: description.port,
                state: description.state.rawValue, reason: description.reason?.rawValue, description: description.description,
                lastStateChange: description.lastStateChange + wallClockOffset,
                recentChecks: description.history.map { record in
                    DashboardHealthCheck(
                        time: record.time + wallClockOffset, passed: record.passed, status: record.status,
                        latencyMilliseconds: record.duration.map { $0 * 1000 }, detail: record.result.summary)
                },
                requestsPerSecond: traffic?.requestRates.last10Seconds ?? 0,
                responseTime: traffic.map { latency($0.targetResponseTime.lastMinute) } ?? .empty)
        }
        .sorted { lhs, rhs in
            if lhs.isFailing != rhs.isFailing { return lhs.isFailing }
            return (lhs.address, lhs.port, lhs.id) < (rhs.address, rhs.port, rhs.id)
        }
        return DashboardTargetGroup(
            name: name,
            requestsPerSecond: statistics?.traffic.requestRates.last10Seconds ?? 0,
            requestsPerSecondLastMinute: statistics?.traffic.requestRates.last60Seconds ?? 0,
            requestsTotal: statistics?.traffic.counts.requests ?? 0,
            serverErrorsTotal: statistics?.traffic.counts.serverErrors ?? 0,
            activeConnections: statistics?.traffic.activeConnections ?? 0,
            responseTime: statistics.map { latency($0.traffic.targetResponseTime.lastMinute) } ?? .empty,
            targets: targets)
    }

    static func latency(_ summary: LatencySummary) -> DashboardLatency {
        DashboardLatency(
            count: summary.count, p50: Double(summary.p50) / 1000, p90: Double(summary.p90) / 1000, p99: Double(summary.p99) / 1000)
    }
}
