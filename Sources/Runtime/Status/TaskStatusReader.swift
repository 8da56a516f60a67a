import Foundation
import LinuxHost
import ShimProtocol

/// Builds a `TaskStatus` from a task directory: the launch record plus the supervisor's events.
enum TaskStatusReader {
    static func read(record: TaskRecord, events: [TaskEvent], supervisor: ProcessIdentity?) -> TaskStatus {
        func date(_ nanoseconds: Int64?) -> Date? {
            nanoseconds.map { Date(timeIntervalSince1970: Double($0) / 1e9) }
        }
        var containers = record.spec.containers.enumerated().map { index, container in
            ContainerStatus(
                name: container.name, image: container.image,
                imageDigest: record.imageDigests.flatMap { index < $0.count ? $0[index] : nil },
                essential: container.essential, lastStatus: "PENDING", exitCode: nil, reason: nil,
                healthStatus: "UNKNOWN", pid: nil, startedAt: nil, stoppedAt: nil)
        }
        var status = TaskStatus(
            id: record.id, taskDefinition: record.spec.taskDefinition, labels: record.spec.labels ?? [:],
            lastStatus: "PENDING", desiredStatus: "RUNNING",
            networkMode: record.spec.networkMode, address: record.address, hostname: record.hostname,
            macAddress: record.macAddress, portBindings: record.portBindings ?? [], containers: [],
            stoppedReason: nil, stopCode: nil, createdAt: date(record.launchStartedAt) ?? Date(),
            networkReadyAt: date(record.networkReadyAt), startedAt: nil, stoppingAt: nil, stoppedAt: nil,
            supervisorPID: supervisor?.pid, launchToExecNanoseconds: nil)
        var stopped = false
        var stopping = false
        for event in events {
            switch event {
            case .supervisorStarted:
                break
            case .containerRunning(let name, let pid, let at):
                guard let index = containers.firstIndex(where: { $0.name == name }) else { continue }
                containers[index].lastStatus = "RUNNING"
                containers[index].pid = pid
                containers[index].startedAt = date(at)
                if status.launchToExecNanoseconds == nil { status.launchToExecNanoseconds = at - record.launchStartedAt }
            case .containerStopped(let name, let exitCode, let reason, let at):
                guard let index = containers.firstIndex(where: { $0.name == name }) else { continue }
                containers[index].lastStatus = "STOPPED"
                containers[index].exitCode = exitCode
                containers[index].reason = reason
                containers[index].pid = nil
                containers[index].stoppedAt = date(at)
            case .containerHealth(let name, let health, _, _):
                guard let index = containers.firstIndex(where: { $0.name == name }) else { continue }
                containers[index].healthStatus = health
            case .taskStopping(let reason, let code, let at):
                stopping = true
                status.stoppedReason = reason
                status.stopCode = code
                status.stoppingAt = date(at)
            case .taskStopped(let at):
                stopped = true
                status.stoppedAt = date(at)
            }
        }
        status.containers = containers
        let essentialStarted = containers.filter(\.essential).allSatisfy { $0.lastStatus != "PENDING" }
        if let first = containers.compactMap(\.startedAt).min() { status.startedAt = first }
        if stopped {
            status.lastStatus = "STOPPED"
            status.supervisorPID = nil
            // Its ports were unpublished with its network and may be another task's now.
            status.portBindings = []
        } else if stopping {
            status.lastStatus = "STOPPING"
        } else if essentialStarted && containers.contains(where: { $0.lastStatus == "RUNNING" }) {
            status.lastStatus = "RUNNING"
        }
        if stopping || stopped { status.desiredStatus = "STOPPED" }
        return status
    }
}
