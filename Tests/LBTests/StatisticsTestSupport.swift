import LB
import XCTest

/// Layouts and clocks shared by the statistics tests.
enum StatisticsFixtures {
    /// Listeners `web` and `admin`; group `api` with targets 1 and 2, group `static` with target 7.
    static func layout() throws -> StatisticsLayout {
        try StatisticsLayout(
            listeners: ["web", "admin"],
            targetGroups: [
                .init(name: "api", targets: [.init(id: 1, key: "10.0.0.1:80"), .init(id: 2, key: "10.0.0.2:80")]),
                .init(name: "static", targets: [.init(id: 7, key: "10.0.0.7:8080")]),
            ]
        )
    }

    /// One forwarded request with a response of `status`, as the engine would record it.
    static func forward(
        _ stats: WorkerStatistics, listener: Int = 0, group: Int = 0, target: Int = 0, status: Int = 200,
        responseTime: UInt64 = 1_000, duration: UInt64 = 1_500
    ) {
        stats.requestStarted(listener: listener, group: group, target: target)
        stats.targetResponded(group: group, target: target, status: status, responseTime: responseTime)
        stats.requestCompleted(listener: listener, group: group, target: target, status: status, duration: duration)
    }
}

extension LBStatisticsSnapshot {
    func listener(_ name: String) throws -> ListenerStatistics {
        try XCTUnwrap(listeners.first { $0.name == name }, "listener \(name) missing from the snapshot")
    }

    func group(_ name: String) throws -> TargetGroupStatistics {
        try XCTUnwrap(targetGroups.first { $0.name == name }, "target group \(name) missing from the snapshot")
    }

    func target(_ group: String, id: UInt64) throws -> TargetStatistics {
        try XCTUnwrap(self.group(group).targets.first { $0.id == id }, "target \(id) of \(group) missing from the snapshot")
    }
}
