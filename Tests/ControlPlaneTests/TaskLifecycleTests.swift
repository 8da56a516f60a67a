import Foundation
import Testing
@testable import ControlPlane

/// The task state machine on its own: stored task + host report + clock in, the moved task and
/// the next action out.
@Suite("Task lifecycle")
struct TaskLifecycleTests {
    static let t0 = 1_700_000_000.0
    static let targetGroup = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123"

    /// A PROVISIONING awsvpc task with one essential container "main" (port 8080).
    static func task(loadBalanced: Bool = false) -> StoredTask {
        var document = TaskDocument()
        document.networkMode = "awsvpc"
        document.containers = [TaskContainerState(
            containerArn: "arn:aws:ecs:us-east-1:123456789012:container/default/t/c", name: "main", image: "busybox",
            essential: true, cpu: 0, memory: 64, memoryReservation: nil,
            portMappings: [TaskPortMapping(containerPort: 8080, hostPort: nil, transport: "tcp")],
            lastStatus: "PENDING", exitCode: nil, reason: nil, healthStatus: "UNKNOWN")]
        document.attachment = TaskENIAttachment(id: "att", status: "PRECREATED", subnetId: "subnet-1",
                                                networkInterfaceId: "eni-1", privateDnsName: nil, privateIPv4Address: nil)
        if loadBalanced {
            document.loadBalancers = [TaskLoadBalancer(targetGroupArn: targetGroup, containerName: "main", containerPort: 8080)]
        }
        let id = ECSResourceID.random()
        let record = TaskRecord(id: id, arn: "arn:aws:ecs:us-east-1:123456789012:task/default/\(id)", clusterName: "default",
                                taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1", createdAt: t0)
        return StoredTask(record: record, document: document)
    }

    /// A host report of `task` in `status`, its container in `container` state.
    static func report(_ task: StoredTask, _ status: AgentTaskReport.Status, container: AgentContainerReport.Status,
                       exitCode: Int? = nil, health: String = "UNKNOWN", stopCode: String? = nil, reason: String? = nil) -> AgentTaskReport {
        let at = Date(timeIntervalSince1970: t0 + 1)
        return AgentTaskReport(
            taskID: task.record.id, runtimeTaskID: "r0123", status: status, address: "10.9.0.5", hostname: "ip-10-9-0-5",
            containers: [AgentContainerReport(name: "main", image: "busybox", essential: true, lastStatus: container,
                                              exitCode: exitCode, reason: nil, healthStatus: health,
                                              startedAt: container == .pending ? nil : at,
                                              stoppedAt: container == .stopped ? at.addingTimeInterval(2) : nil)],
            stoppedReason: reason, stopCode: stopCode, createdAt: Date(timeIntervalSince1970: t0 + 0.1),
            networkReadyAt: Date(timeIntervalSince1970: t0 + 0.2), startedAt: container == .pending ? nil : at,
            stoppingAt: status >= .stopping ? at.addingTimeInterval(1) : nil,
            stoppedAt: status == .stopped ? at.addingTimeInterval(3) : nil)
    }

    @Test("an unknown task is launched, then follows its host: PENDING, RUNNING, and STOPPED after an essential exit")
    func plainLifecycle() {
        var task = Self.task()
        #expect(task.advance(report: nil, now: Self.t0) == .launch)

        #expect(task.advance(report: Self.report(task, .pending, container: .pending), now: Self.t0 + 1) == .none)
        #expect(task.record.lastStatus == .pending)
        #expect(task.document.attachment?.status == "ATTACHED")
        #expect(task.document.attachment?.privateIPv4Address == "10.9.0.5")
        #expect(task.document.pullStartedAt == Self.t0 + 0.1 && task.document.pullStoppedAt == Self.t0 + 0.2)

        #expect(task.advance(report: Self.report(task, .running, container: .running), now: Self.t0 + 2) == .none)
        #expect(task.record.lastStatus == .running)
        #expect(task.record.startedAt == Self.t0 + 1)
        #expect(task.document.containers[0].lastStatus == "RUNNING")

        let exited = Self.report(task, .stopping, container: .stopped, exitCode: 3, stopCode: "EssentialContainerExited",
                                 reason: "Essential container in task exited")
        #expect(task.advance(report: exited, now: Self.t0 + 5) == .none)
        #expect(task.record.lastStatus == .deprovisioning, "containers stopped, resources being released")
        #expect(task.record.desiredStatus == .stopped)
        #expect(task.record.stopCode == "EssentialContainerExited")
        #expect(task.record.stoppedReason == "Essential container in task exited")
        #expect(task.document.containers[0].exitCode == 3)

        #expect(task.advance(report: Self.report(task, .stopped, container: .stopped, exitCode: 3), now: Self.t0 + 6) == .none)
        #expect(task.record.lastStatus == .stopped)
        #expect(task.record.stoppedAt == Self.t0 + 4)
        #expect(task.document.attachment?.status == "DELETED")
        // Settled: nothing more to do, whatever comes.
        #expect(task.advance(report: nil, now: Self.t0 + 7) == .none)
        #expect(task.record.lastStatus == .stopped)
    }

    @Test("lastStatus never moves back")
    func forwardOnly() {
        var task = Self.task()
        _ = task.advance(report: Self.report(task, .running, container: .running), now: Self.t0)
        #expect(task.record.lastStatus == .running)
        _ = task.advance(report: Self.report(task, .pending, container: .pending), now: Self.t0 + 1)
        #expect(task.record.lastStatus == .running)
    }

    @Test("with load balancers: ACTIVATING registers before RUNNING; a stop deregisters (DEACTIVATING) before stopping")
    func loadBalancerPhases() {
        var task = Self.task(loadBalanced: true)
        let running = Self.report(task, .running, container: .running)
        guard case .register(let targets) = task.advance(report: running, now: Self.t0) else {
            Issue.record("expected a registration")
            return
        }
        #expect(task.record.lastStatus == .activating)
        #expect(targets == [LoadBalancerTarget(targetGroupArn: Self.targetGroup, loadBalancerName: nil, address: "10.9.0.5",
                                               port: 8080, taskArn: task.record.arn, containerName: "main")])
        task.registered()
        #expect(task.advance(report: running, now: Self.t0 + 1) == .none)
        #expect(task.record.lastStatus == .running)

        task.record.desiredStatus = .stopped
        task.record.stopCode = "UserInitiated"
        task.record.stoppedReason = "scale in"
        guard case .deregister(let leaving) = task.advance(report: running, now: Self.t0 + 2) else {
            Issue.record("expected a deregistration")
            return
        }
        #expect(leaving == targets)
        #expect(task.record.lastStatus == .deactivating)
        task.deregistered()
        #expect(task.advance(report: running, now: Self.t0 + 3) == .stop(reason: "scale in", code: "UserInitiated"))
        task.stopRequested(now: Self.t0 + 3)
        #expect(task.record.lastStatus == .stopping)
        // The host has not acted yet: no second request until the retry interval has passed.
        #expect(task.advance(report: running, now: Self.t0 + 4) == .none)
        #expect(task.advance(report: running, now: Self.t0 + 3 + TaskLifecycle.stopRetryInterval + 1)
                == .stop(reason: "scale in", code: "UserInitiated"))
    }

    @Test("a task that stops on its own while registered is deregistered first")
    func essentialExitWhileRegistered() {
        var task = Self.task(loadBalanced: true)
        let running = Self.report(task, .running, container: .running)
        _ = task.advance(report: running, now: Self.t0)
        task.registered()
        _ = task.advance(report: running, now: Self.t0 + 1)
        let exited = Self.report(task, .stopping, container: .stopped, exitCode: 1, stopCode: "EssentialContainerExited",
                                 reason: "Essential container in task exited")
        guard case .deregister = task.advance(report: exited, now: Self.t0 + 2) else {
            Issue.record("expected a deregistration")
            return
        }
        #expect(task.record.lastStatus == .deactivating)
        #expect(task.record.stopCode == "EssentialContainerExited")
        task.deregistered()
        #expect(task.advance(report: exited, now: Self.t0 + 3) == .none)
        #expect(task.record.lastStatus == .deprovisioning)
    }

    @Test("a task its host no longer knows is recorded stopped; one stopped before it started keeps the StopTask reason")
    func unknownToTheHost() {
        var lost = Self.task()
        _ = lost.advance(report: Self.report(lost, .running, container: .running), now: Self.t0)
        #expect(lost.advance(report: nil, now: Self.t0 + 9) == .none)
        #expect(lost.record.lastStatus == .stopped)
        #expect(lost.record.stopCode == "EssentialContainerExited")
        #expect(lost.record.stoppedReason == TaskLifecycle.lostTaskReason)
        #expect(lost.record.stoppedAt == Self.t0 + 9)

        var early = Self.task()
        early.record.desiredStatus = .stopped
        early.record.stopCode = "UserInitiated"
        early.record.stoppedReason = "changed my mind"
        #expect(early.advance(report: nil, now: Self.t0 + 1) == .none)
        #expect(early.record.lastStatus == .stopped)
        #expect(early.record.stopCode == "UserInitiated" && early.record.stoppedReason == "changed my mind")
        #expect(early.document.containers[0].lastStatus == "STOPPED")
    }

    @Test("a launch the host refuses stops the task with TaskFailedToStart and the host's reason")
    func launchRefused() {
        var task = Self.task()
        task.failLaunch(stoppedReason: "CannotPullContainerError: failed to resolve ref nope", now: Self.t0 + 1)
        #expect(task.record.lastStatus == .stopped && task.record.desiredStatus == .stopped)
        #expect(task.record.stopCode == "TaskFailedToStart")
        #expect(task.document.containers[0].reason == "CannotPullContainerError: failed to resolve ref nope")
    }

    @Test("task health follows the essential containers", arguments: [
        (["HEALTHY"], "HEALTHY"), (["UNHEALTHY"], "UNHEALTHY"), (["UNKNOWN"], "UNKNOWN"),
    ])
    func health(containerHealth: [String], expected: String) {
        let task = Self.task()
        let report = Self.report(task, .running, container: .running, health: containerHealth[0])
        #expect(StoredTask.health(of: report) == expected)
    }
}
