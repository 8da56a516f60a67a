import AutoScaling
import Autoscaler
import Foundation
import GRDB
import LB
import Runtime
import Synchronization

/// The figures Application Auto Scaling policies track, read where they are measured: request
/// counts, response times and connections from the load balancer's per-second statistics, CPU
/// and memory from the tasks' cgroups (as ECS's service utilization: use over reservation).
public final class ECSScalingMetrics: ScalingMetricSource {
    private let store: ECSStore
    private let balancer: LoadBalancer
    private let usage: @Sendable (_ runtimeTaskID: String) -> TaskUsage?
    private let context: ECSRequestContext

    /// The last CPU reading of each task, for the rate since.
    private struct CPUSample {
        var time: Double
        var nanoseconds: Int64
    }

    /// Readings already made this second (several policies may ask for the same figure).
    private struct State {
        var cpu: [String: CPUSample] = [:]
        var cached: [String: (second: Int64, value: Double?)] = [:]
    }

    private let state = Mutex(State())

    public init(store: ECSStore, balancer: LoadBalancer, context: ECSRequestContext,
                usage: @escaping @Sendable (_ runtimeTaskID: String) -> TaskUsage?) {
        self.store = store
        self.balancer = balancer
        self.context = context
        self.usage = usage
    }

    public func reading(of metric: ScalingMetric, for service: ECSServiceReference, at time: Date) -> Double? {
        let key = "\(service.resourceID)|\(metric)"
        let second = Int64(time.timeIntervalSince1970.rounded(.down))
        if let cached = state.withLock({ $0.cached[key] }), cached.second == second { return cached.value }
        let value = measure(metric, for: service)
        state.withLock { $0.cached[key] = (second, value) }
        return value
    }

    private func measure(_ metric: ScalingMetric, for service: ECSServiceReference) -> Double? {
        switch metric {
        case .requestCountPerTarget(let label):
            guard let group = TargetGroupReference(resourceLabel: label)?.targetGroupName else { return nil }
            // The last whole second the statistics have merged (they merge every 250 ms).
            return balancer.statistics.requestRate(targetGroup: group, window: 1, now: balancer.now() - 0.3)
        case .targetResponseTime(let label):
            guard let traffic = traffic(of: label), traffic.targetResponseTime.lastMinute.count > 0 else { return nil }
            return traffic.targetResponseTime.lastMinute.mean / 1_000_000
        case .activeConnectionsPerTarget(let label):
            return traffic(of: label).map { Double($0.activeConnections) }
        case .averageCPUUtilization:
            return utilization(of: service, cpu: true)
        case .averageMemoryUtilization:
            return utilization(of: service, cpu: false)
        }
    }

    private func traffic(of label: String) -> TrafficStatistics? {
        guard let group = TargetGroupReference(resourceLabel: label)?.targetGroupName else { return nil }
        return balancer.statistics.snapshot(now: balancer.now()).targetGroups.first { $0.name == group }?.traffic
    }

    /// The mean over the service's running tasks of CPU (or memory) used against reserved, in
    /// percent. A task's first CPU reading only starts its rate.
    private func utilization(of service: ECSServiceReference, cpu: Bool) -> Double? {
        let arn = context.arn(.service(cluster: service.cluster, name: service.service)).description
        guard let tasks = try? store.read({ db in
            try TaskRecord
                .filter(Column("serviceArn") == arn && Column("lastStatus") == ECSTaskStatus.running.rawValue)
                .fetchAll(db)
        }) else { return nil }
        let now = Date().timeIntervalSince1970
        var values: [Double] = []
        for task in tasks {
            guard let runtimeID = task.decodedDocument.runtimeTaskID, let used = usage(runtimeID) else { continue }
            if cpu {
                let reserved = Double(max(task.reservedCPU, 128)) / 1024
                let previous = state.withLock { state in
                    defer { state.cpu[runtimeID] = CPUSample(time: now, nanoseconds: used.cpuNanoseconds) }
                    return state.cpu[runtimeID]
                }
                guard let previous, now > previous.time else { continue }
                let seconds = Double(used.cpuNanoseconds - previous.nanoseconds) / 1e9
                values.append(100 * seconds / (now - previous.time) / reserved)
            } else if task.reservedMemory > 0 {
                values.append(100 * Double(used.memoryBytes) / (Double(task.reservedMemory) * 1_048_576))
            }
        }
        guard !values.isEmpty else { return nil }
        return values.reduce(0, +) / Double(values.count)
    }
}
