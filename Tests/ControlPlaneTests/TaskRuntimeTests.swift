import Foundation
import GRDB
import Runtime
import Testing
@testable import ControlPlane

/// RunTask, StartTask, StopTask, DescribeTasks and ListTasks on the real runtime (as root, with
/// the busybox image), through the ECS API, the reconciler and the local agent. Serialized:
/// each test has its own bridge and subnet, but the host's two cores are shared.
@Suite("ECS tasks on the real runtime", .serialized)
struct TaskRuntimeTests {
    static let webCommand = ["httpd", "-f", "-p", "8080", "-h", "/var/www"]
    static let sleepCommand = ["sleep", "600"]

    @Test("RunTask → RUNNING with its own address serving HTTP; DescribeTasks as ECS; StopTask → STOPPED")
    func runServeStop() async throws {
        try await withTaskFixture { f in
            let definitionArn = try f.register(busyboxDefinition(family: "web", command: Self.webCommand, initProcess: true))
            let memoryBefore = try f.remaining("MEMORY")
            let response = try f.call("RunTask", runTaskBody("web", extra: """
                , "startedBy": "tester", "tags": [{"key": "env", "value": "test"}], "enableExecuteCommand": true
                """))
            #expect(array(response["failures"]).isEmpty)
            let created = try #require(objects(response["tasks"]).first)
            let arn = try #require(created["taskArn"] as? String)
            #expect(arn.hasPrefix("arn:aws:ecs:us-east-1:123456789012:task/default/"))
            #expect(created["lastStatus"] as? String == "PROVISIONING")
            #expect(created["desiredStatus"] as? String == "RUNNING")
            #expect(created["version"] as? Int == 1)
            #expect(created["launchType"] as? String == "EC2")
            #expect(created["group"] as? String == "family:web")
            #expect(created["startedBy"] as? String == "tester")
            #expect(created["taskDefinitionArn"] as? String == definitionArn)
            #expect(created["clusterArn"] as? String == "arn:aws:ecs:us-east-1:123456789012:cluster/default")
            #expect(created["containerInstanceArn"] as? String == f.host.containerInstanceArn)
            #expect(objects(created["attachments"]).first?["status"] as? String == "PRECREATED")
            #expect(objects(created["containers"]).first?["lastStatus"] as? String == "PENDING")
            #expect(objects(created["tags"]).first?["key"] as? String == "env")

            let task = try await f.waitFor(arn, "RUNNING")
            let container = try #require(objects(task["containers"]).first)
            #expect(container["lastStatus"] as? String == "RUNNING")
            #expect(container["name"] as? String == "main" && container["image"] as? String == "busybox")
            #expect(container["memory"] as? String == "64" && container["cpu"] as? String == "0")
            #expect((container["containerArn"] as? String)?.contains(":container/default/") == true)
            #expect(container["runtimeId"] as? String != nil)
            let address = try #require(objects(container["networkInterfaces"]).first?["privateIpv4Address"] as? String)
            #expect(address.hasPrefix("10.238."))
            let eni = try #require(objects(task["attachments"]).first)
            #expect(eni["type"] as? String == "ElasticNetworkInterface" && eni["status"] as? String == "ATTACHED")
            let details = Dictionary(uniqueKeysWithValues: objects(eni["details"]).compactMap { d in
                (d["name"] as? String).map { ($0, d["value"] as? String ?? "") }
            })
            #expect(details["privateIPv4Address"] == address)
            #expect(details["subnetId"] == "subnet-0a1b2c3d")
            #expect(details["networkInterfaceId"]?.hasPrefix("eni-") == true)
            #expect(task["availabilityZone"] as? String == "us-east-1a")
            #expect(task["connectivity"] as? String == "CONNECTED")
            #expect(task["healthStatus"] as? String == "UNKNOWN")
            #expect(task["enableExecuteCommand"] as? Bool == true)
            #expect((task["version"] as? Int ?? 0) > 1)
            let overrides = object(task["overrides"])
            #expect(objects(overrides["containerOverrides"]).map { $0["name"] as? String } == ["main"])
            #expect(array(overrides["inferenceAcceleratorOverrides"]).isEmpty)
            let created_ = try #require(task["createdAt"] as? Double)
            let pullStarted = try #require(task["pullStartedAt"] as? Double)
            let pullStopped = try #require(task["pullStoppedAt"] as? Double)
            let started = try #require(task["startedAt"] as? Double)
            #expect(created_ <= pullStarted + 0.01 && pullStarted <= pullStopped && pullStopped <= started)
            #expect(objects(task["tags"]).first?["value"] as? String == "test")

            #expect(fetchHTTP(address) == "hello from wharf busybox\n", "no answer from the task at \(address)")
            #expect(try f.remaining("MEMORY") == memoryBefore - 64)

            let stopping = object(try f.call("StopTask", #"{"task": "\#(arn)", "reason": "done testing"}"#)["task"])
            #expect(stopping["desiredStatus"] as? String == "STOPPED")
            #expect(stopping["stopCode"] as? String == "UserInitiated")
            let stopped = try await f.waitFor(arn, "STOPPED")
            #expect(stopped["desiredStatus"] as? String == "STOPPED")
            #expect(stopped["stopCode"] as? String == "UserInitiated")
            #expect(stopped["stoppedReason"] as? String == "done testing")
            let final = try #require(objects(stopped["containers"]).first)
            #expect(final["lastStatus"] as? String == "STOPPED")
            #expect(final["exitCode"] as? Int != nil)
            #expect(objects(stopped["attachments"]).first?["status"] as? String == "DELETED")
            let stoppingAt = try #require(stopped["stoppingAt"] as? Double)
            let stoppedAt = try #require(stopped["stoppedAt"] as? Double)
            #expect(stoppingAt <= stoppedAt && stopped["executionStoppedAt"] as? Double != nil)
            #expect(try f.remaining("MEMORY") == memoryBefore)

            // StopTask again: the stopped task comes back unchanged.
            let again = object(try f.call("StopTask", #"{"task": "\#(arn)", "reason": "again"}"#)["task"])
            #expect(again["version"] as? Int == stopped["version"] as? Int)
            #expect(again["stoppedReason"] as? String == "done testing")
            #expect(strings(try f.call("ListTasks", #"{"desiredStatus": "STOPPED"}"#)["taskArns"]) == [arn])
            #expect(strings(try f.call("ListTasks")["taskArns"]).isEmpty)
        }
    }

    @Test("an essential container's exit stops the task with EssentialContainerExited; an OOM kill is reported as ECS does")
    func essentialExitAndOOM() async throws {
        try await withTaskFixture { f in
            let side = #"""
                , {"name": "side", "image": "busybox", "memory": 32, "essential": false, "command": ["sleep", "600"],
                   "linuxParameters": {"initProcessEnabled": true}}
                """#
            _ = try f.register(busyboxDefinition(family: "exits", command: ["sh", "-c", "sleep 0.3; exit 3"], extraContainer: side))
            _ = try f.register(busyboxDefinition(family: "hog", command: ["sh", "-c", "dd if=/dev/zero of=/dev/null bs=64M count=1"],
                                                 memory: 16))
            _ = try f.register(busyboxDefinition(family: "coded", command: ["sh", "-c", "exit $CODE"]))
            let exits = try #require(objects(try f.call("RunTask", runTaskBody("exits"))["tasks"]).first?["taskArn"] as? String)
            // Overrides reach the container: the command and an environment variable replaced.
            let coded = try #require(objects(try f.call("RunTask", runTaskBody("coded", extra: """
                , "overrides": {"containerOverrides": [{"name": "main", "command": ["sh", "-c", "exit $((CODE + 1))"],
                   "environment": [{"name": "CODE", "value": "6"}]}]}
                """))["tasks"]).first?["taskArn"] as? String)
            let hog = try #require(objects(try f.call("RunTask", runTaskBody("hog"))["tasks"]).first?["taskArn"] as? String)

            let exited = try await f.waitFor(exits, "STOPPED")
            #expect(exited["stopCode"] as? String == "EssentialContainerExited")
            #expect(exited["stoppedReason"] as? String == "Essential container in task exited")
            #expect(exited["desiredStatus"] as? String == "STOPPED")
            let containers = objects(exited["containers"])
            #expect(containers.first { $0["name"] as? String == "main" }?["exitCode"] as? Int == 3)
            #expect(containers.first { $0["name"] as? String == "side" }?["lastStatus"] as? String == "STOPPED")

            let overridden = try await f.waitFor(coded, "STOPPED")
            #expect(objects(overridden["containers"]).first?["exitCode"] as? Int == 7)
            let override = objects(object(overridden["overrides"])["containerOverrides"]).first
            #expect(objects(override?["environment"]).first?["value"] as? String == "6")

            let killed = try await f.waitFor(hog, "STOPPED")
            #expect(killed["stopCode"] as? String == "EssentialContainerExited")
            let main = try #require(objects(killed["containers"]).first)
            #expect(main["reason"] as? String == "OutOfMemoryError: Container killed due to memory usage")
            #expect(main["exitCode"] as? Int == 137)
        }
    }

    @Test("a task whose image the host does not have fails to start (TaskFailedToStart, CannotPullContainerError)")
    func missingImage() async throws {
        try await withTaskFixture { f in
            _ = try f.register(busyboxDefinition(family: "ghost", command: Self.sleepCommand)
                .replacingOccurrences(of: #""image": "busybox""#, with: #""image": "registry.invalid/ghost:1""#))
            let memoryBefore = try f.remaining("MEMORY")
            let arn = try #require(objects(try f.call("RunTask", runTaskBody("ghost"))["tasks"]).first?["taskArn"] as? String)
            let failed = try await f.waitFor(arn, "STOPPED")
            #expect(failed["stopCode"] as? String == "TaskFailedToStart")
            #expect((failed["stoppedReason"] as? String)?.hasPrefix("CannotPullContainerError: ") == true)
            let container = objects(failed["containers"]).first
            #expect(container?["lastStatus"] as? String == "STOPPED" && container?["exitCode"] == nil)
            #expect(try f.remaining("MEMORY") == memoryBefore)
            #expect(f.runtime.tasks().isEmpty)
        }
    }

    @Test("asking for more memory or CPU than the host has gives ECS's RESOURCE failures and no task")
    func resourceFailures() async throws {
        try await withTaskFixture { f in
            let hostMemory = try f.registered("MEMORY")
            let hostCPU = try f.registered("CPU")
            #expect(hostCPU == ProcessInfo.processInfo.activeProcessorCount * 1024)
            _ = try f.register(busyboxDefinition(family: "huge", command: Self.sleepCommand, memory: hostMemory + 1))
            let response = try f.call("RunTask", runTaskBody("huge"))
            #expect(array(response["tasks"]).isEmpty)
            let failures = objects(response["failures"])
            #expect(failures.count == 1)
            #expect(failures.first?["arn"] as? String == f.host.containerInstanceArn)
            #expect(failures.first?["reason"] as? String == "RESOURCE:MEMORY")

            _ = try f.register(busyboxDefinition(family: "greedy", command: Self.sleepCommand,
                                                 extra: #", "cpu": "\#(hostCPU + 1024)", "memory": "512""#))
            let cpu = try f.call("RunTask", runTaskBody("greedy"))
            #expect(objects(cpu["failures"]).first?["reason"] as? String == "RESOURCE:CPU")
            #expect(try f.remaining("MEMORY") == hostMemory)
            #expect(strings(try f.call("ListTasks")["taskArns"]).isEmpty)
            #expect(f.runtime.tasks().isEmpty)
        }
    }

    @Test("after a restart of the control plane, running tasks are re-adopted, not restarted, and still obey StopTask")
    func restartReadoptsRunningTasks() async throws {
        try await withTaskFixture { f in
            _ = try f.register(busyboxDefinition(family: "steady", command: Self.sleepCommand, initProcess: true))
            let arn = try #require(objects(try f.call("RunTask", runTaskBody("steady"))["tasks"]).first?["taskArn"] as? String)
            let running = try await f.waitFor(arn, "RUNNING")
            let runtimeID = try #require((objects(running["containers"]).first?["runtimeId"] as? String)?.split(separator: "/").first)
            let before = try f.runtime.status(of: String(runtimeID))
            let instanceArn = f.host.containerInstanceArn

            try await f.restart()

            #expect(f.host.containerInstanceArn == instanceArn, "the host must be re-registered, not registered again")
            #expect(strings(try f.call("ListContainerInstances")["containerInstanceArns"]) == [instanceArn])
            let after = try f.runtime.status(of: String(runtimeID))
            #expect(after.lastStatus == "RUNNING")
            #expect(after.supervisorPID == before.supervisorPID)
            #expect(after.container(named: "main")?.pid == before.container(named: "main")?.pid)
            #expect(f.runtime.tasks().count == 1, "no second launch")
            let adopted = try f.describe(arn)
            #expect(adopted["lastStatus"] as? String == "RUNNING")
            #expect(adopted["version"] as? Int == running["version"] as? Int)
            #expect(adopted["startedAt"] as? Double == running["startedAt"] as? Double)

            _ = try f.call("StopTask", #"{"task": "\#(arn)"}"#)
            let stopped = try await f.waitFor(arn, "STOPPED")
            #expect(stopped["stoppedReason"] as? String == "Task stopped by user")
        }
    }

    @Test("tasks that ended while the control plane was down are recorded STOPPED after the restart")
    func tasksThatDiedWhileDown() async throws {
        try await withTaskFixture { f in
            _ = try f.register(busyboxDefinition(family: "victim", command: Self.sleepCommand))
            _ = try f.register(busyboxDefinition(family: "brief", command: ["sleep", "1"]))
            let victim = try #require(objects(try f.call("RunTask", runTaskBody("victim"))["tasks"]).first?["taskArn"] as? String)
            let brief = try #require(objects(try f.call("RunTask", runTaskBody("brief"))["tasks"]).first?["taskArn"] as? String)
            let running = try await f.waitFor(victim, "RUNNING")
            try await f.waitFor(brief, "RUNNING")
            let runtimeID = String(try #require((objects(running["containers"]).first?["runtimeId"] as? String)?.split(separator: "/").first))
            let status = try f.runtime.status(of: runtimeID)
            let supervisor = try #require(status.supervisorPID)
            let container = try #require(status.container(named: "main")?.pid)

            try await f.restart {
                // The victim's supervisor and container are killed; the brief task exits by itself.
                kill(supervisor, SIGKILL)
                kill(container, SIGKILL)
                Thread.sleep(forTimeInterval: 2)
            }

            let died = try f.describe(victim)
            #expect(died["lastStatus"] as? String == "STOPPED")
            #expect(died["desiredStatus"] as? String == "STOPPED")
            #expect(died["stoppedReason"] as? String == "Task supervisor exited unexpectedly")
            #expect(died["stopCode"] as? String == "EssentialContainerExited")
            let ended = try f.describe(brief)
            #expect(ended["lastStatus"] as? String == "STOPPED")
            #expect(ended["stopCode"] as? String == "EssentialContainerExited")
            #expect(objects(ended["containers"]).first?["exitCode"] as? Int == 0)
            #expect(try f.remaining("MEMORY") == f.registered("MEMORY"))
        }
    }

    @Test("a launch the control plane did not record before a crash is adopted, not repeated")
    func interruptedLaunchIsAdopted() async throws {
        try await withTaskFixture { f in
            _ = try f.register(busyboxDefinition(family: "interrupted", command: Self.sleepCommand, initProcess: true))
            // The API without a reconciler: the row stays PROVISIONING, as after a crash right after RunTask.
            let task = try f.runTaskUnstarted(runTaskBody("interrupted"))
            let arn = try #require(task["taskArn"] as? String)
            let id = String(try #require(arn.split(separator: "/").last))
            // ... and the agent started the task before the crash, but nothing recorded it: the
            // control plane no longer takes the agent's reports (else the launch's report could
            // reach the row before the "crash" below, and the row would no longer be PROVISIONING).
            let definition = try await f.definition(of: task)
            await f.reconciler.shutdown()
            _ = try await f.agent.startTask(AgentTaskStart(taskID: id, taskArn: arn, taskDefinition: definition, overrides: nil))
            #expect(try f.describe(arn)["lastStatus"] as? String == "PROVISIONING")

            // A crash earlier still: the agent had recorded only its intent when the runtime launched.
            let secondArn = try #require(try f.runTaskUnstarted(runTaskBody("interrupted"))["taskArn"] as? String)
            let secondID = String(try #require(secondArn.split(separator: "/").last))
            let spec = try definition.taskSpec()
            var ledger = try LocalAgentLedger(stateDirectory: f.agentConfiguration.stateDirectory)
            try ledger.save(.init(taskID: secondID, runtimeTaskID: nil, familyAndRevision: spec.taskDefinition ?? "",
                                  intentAt: Date().timeIntervalSince1970))
            let launched = try f.runtime.launch(spec)

            try await f.restart()

            try await f.waitFor(arn, "RUNNING")
            let adopted = try await f.waitFor(secondArn, "RUNNING")
            #expect(objects(adopted["containers"]).first?["runtimeId"] as? String == "\(launched.id)/main")
            #expect(f.runtime.tasks().count == 2, "no launch may be repeated")
            for task in [arn, secondArn] { _ = try f.call("StopTask", #"{"task": "\#(task)"}"#) }
            for task in [arn, secondArn] { try await f.waitFor(task, "STOPPED") }
        }
    }

    @Test("interrupted launches of one family are each adopted by the ECS task they ran for, found by the runtime task's labels")
    func interruptedLaunchesFoundByLabels() async throws {
        try await withTaskFixture { f in
            _ = try f.register(busyboxDefinition(family: "twins", command: Self.sleepCommand, initProcess: true))
            let tasks = [try f.runTaskUnstarted(runTaskBody("twins")), try f.runTaskUnstarted(runTaskBody("twins"))]
            let arns = try tasks.map { try #require($0["taskArn"] as? String) }
            let definition = try await f.definition(of: tasks[0])
            // Both crashed after the runtime launch, with only their intents recorded; the
            // runtime launched them in the other order, so family and time alone would swap them.
            var ledger = try LocalAgentLedger(stateDirectory: f.agentConfiguration.stateDirectory)
            var runtimeIDs: [String: String] = [:]
            for arn in arns {
                let id = String(try #require(arn.split(separator: "/").last))
                try ledger.save(.init(taskID: id, runtimeTaskID: nil, familyAndRevision: definition.familyAndRevision() ?? "",
                                      intentAt: Date().timeIntervalSince1970))
            }
            for arn in arns.reversed() {
                let id = String(try #require(arn.split(separator: "/").last))
                var spec = try definition.taskSpec()
                spec.labels = ECSTaskLabels.labels(for: AgentTaskStart(taskID: id, taskArn: arn, taskDefinition: definition, overrides: nil))
                runtimeIDs[arn] = try f.runtime.launch(spec).id
            }

            try await f.restart()

            for arn in arns {
                let adopted = try await f.waitFor(arn, "RUNNING")
                #expect(objects(adopted["containers"]).first?["runtimeId"] as? String == "\(runtimeIDs[arn] ?? "?")/main")
            }
            #expect(f.runtime.tasks().count == 2, "no launch may be repeated")

            // The agent labels what it launches itself.
            let third = try #require(objects(try f.call("RunTask", runTaskBody("twins"))["tasks"]).first?["taskArn"] as? String)
            let running = try await f.waitFor(third, "RUNNING")
            let runtimeID = try #require((objects(running["containers"]).first?["runtimeId"] as? String)?.split(separator: "/").first)
            let labels = try #require(f.runtime.tasks().first { $0.id == String(runtimeID) }?.labels)
            #expect(labels[ECSTaskLabels.taskArn] == third)
            #expect(labels[ECSTaskLabels.taskDefinitionFamily] == "twins")
            #expect(labels[ECSTaskLabels.taskDefinitionVersion] == "1")
            for task in arns + [third] { _ = try f.call("StopTask", #"{"task": "\#(task)"}"#) }
            for task in arns + [third] { try await f.waitFor(task, "STOPPED") }
        }
    }

    @Test("a task whose supervisor is killed is STOPPED within seconds, before and after a restart, not at the next sweep")
    func killedSupervisorIsNoticedAtOnce() async throws {
        try await withTaskFixture { f in
            try #require(f.runtime.reportsSupervisorExits, "this kernel has no pidfds")
            #expect(f.agentConfiguration.sweepInterval >= 30, "the sweep must not be what notices the death")
            _ = try f.register(busyboxDefinition(family: "fragile", command: Self.sleepCommand, initProcess: true))
            func killSupervisor(of arn: String) throws {
                let task = try f.describe(arn)
                let runtimeID = try #require((objects(task["containers"]).first?["runtimeId"] as? String)?.split(separator: "/").first)
                let pid = try #require(f.runtime.tasks().first { $0.id == String(runtimeID) }?.supervisorPID)
                #expect(kill(pid, SIGKILL) == 0)
            }
            let launched = try #require(objects(try f.call("RunTask", runTaskBody("fragile"))["tasks"]).first?["taskArn"] as? String)
            let adopted = try #require(objects(try f.call("RunTask", runTaskBody("fragile"))["tasks"]).first?["taskArn"] as? String)
            for arn in [launched, adopted] { try await f.waitFor(arn, "RUNNING") }

            try killSupervisor(of: launched)
            let stopped = try await f.waitFor(launched, "STOPPED", timeout: 5)
            #expect(stopped["stoppedReason"] as? String == "Task supervisor exited unexpectedly")

            try await f.restart()
            try killSupervisor(of: adopted)
            try await f.waitFor(adopted, "STOPPED", timeout: 5)
        }
    }

    @Test("FARGATE tasks run on the host's capacity without a container instance; StartTask places on named instances")
    func fargateAndStartTask() async throws {
        try await withTaskFixture { f in
            _ = try f.register(busyboxDefinition(family: "serverless", command: Self.sleepCommand, initProcess: true,
                                                 extra: #", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512""#))
            let memoryBefore = try f.remaining("MEMORY")
            let response = try f.call("RunTask", runTaskBody("serverless", extra: #", "launchType": "FARGATE""#))
            let arn = try #require(objects(response["tasks"]).first?["taskArn"] as? String)
            let task = try await f.waitFor(arn, "RUNNING")
            #expect(task["launchType"] as? String == "FARGATE")
            #expect(task["containerInstanceArn"] == nil)
            #expect(task["platformVersion"] as? String == "1.4.0")
            #expect(task["platformFamily"] as? String == "Linux")
            #expect(task["cpu"] as? String == "256" && task["memory"] as? String == "512")
            #expect(object(task["ephemeralStorage"])["sizeInGiB"] as? Int == 20)
            #expect(object(task["fargateEphemeralStorage"])["sizeInGiB"] as? Int == 20)
            #expect(task["connectivity"] as? String == "CONNECTED" && task["connectivityAt"] as? Double != nil)
            let details = objects(objects(task["attachments"]).first?["details"])
            #expect(details.compactMap { $0["name"] as? String }
                == ["subnetId", "networkInterfaceId", "macAddress", "privateDnsName", "privateIPv4Address"])
            let mac = details.first { $0["name"] as? String == "macAddress" }?["value"] as? String
            #expect(mac?.count == 17 && mac?.split(separator: ":").count == 6, "a MAC address: \(mac ?? "none")")
            let dns = details.first { $0["name"] as? String == "privateDnsName" }?["value"] as? String
            #expect(dns?.hasPrefix("ip-") == true && dns?.hasSuffix(".ec2.internal") == true, "EC2's DNS form: \(dns ?? "none")")
            let digest = objects(task["containers"]).first?["imageDigest"] as? String
            #expect(digest?.hasPrefix("sha256:") == true && digest?.count == 71, "the image's manifest digest: \(digest ?? "none")")
            #expect(try f.remaining("MEMORY") == memoryBefore - 512)
            #expect(strings(try f.call("ListTasks", #"{"launchType": "FARGATE"}"#)["taskArns"]) == [arn])
            #expect(strings(try f.call("ListTasks", #"{"launchType": "EC2"}"#)["taskArns"]).isEmpty)

            _ = try f.register(busyboxDefinition(family: "pinned", command: Self.sleepCommand, initProcess: true))
            let missing = ECSResourceID.random()
            let started = try f.call("StartTask", """
                {"taskDefinition": "pinned", "containerInstances": ["\(f.host.containerInstanceID)", "\(missing)"],
                 "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"]}}}
                """)
            let failures = objects(started["failures"])
            #expect(failures.count == 1 && failures.first?["reason"] as? String == "MISSING")
            #expect(failures.first?["arn"] as? String == "arn:aws:ecs:us-east-1:123456789012:container-instance/default/\(missing)")
            let pinned = try #require(objects(started["tasks"]).first)
            #expect(pinned["containerInstanceArn"] as? String == f.host.containerInstanceArn)
            let pinnedArn = try #require(pinned["taskArn"] as? String)
            try await f.waitFor(pinnedArn, "RUNNING")
            let onHost = strings(try f.call("ListTasks", #"{"containerInstance": "\#(f.host.containerInstanceArn)"}"#)["taskArns"])
            #expect(onHost == [pinnedArn], "a FARGATE task belongs to no container instance")

            for task in [arn, pinnedArn] { _ = try f.call("StopTask", #"{"task": "\#(task)"}"#) }
            for task in [arn, pinnedArn] { try await f.waitFor(task, "STOPPED") }
            #expect(try f.remaining("MEMORY") == memoryBefore)
        }
    }

    @Test("a task with load balancers but no registrar walks ACTIVATING and DEACTIVATING and fails to start")
    func loadBalancerPhasesWithoutRegistrar() async throws {
        try await withTaskFixture { f in
            _ = try f.register(busyboxDefinition(family: "balanced", command: Self.webCommand, initProcess: true))
            let changes = f.reconciler.stateChanges()
            let request = TaskLaunchRequest(
                taskDefinition: "balanced", placement: .scheduler(count: 1, strategies: [], constraints: []),
                networkConfiguration: TaskNetworkConfiguration(awsvpcConfiguration: .init(subnets: ["subnet-1"])),
                group: "service:balanced", startedBy: "ecs-svc/1234",
                loadBalancers: [TaskLoadBalancer(targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123",
                                                 containerName: "main", containerPort: 8080)])
            let result = try f.api.launchTasks(request, context: f.context)
            let arn = try #require(result.tasks.first?.taskArn)
            let id = try #require(result.taskIDs.first)
            let stopped = try await f.waitFor(arn, "STOPPED")
            #expect(stopped["stopCode"] as? String == "TaskFailedToStart")
            #expect((stopped["stoppedReason"] as? String)?.contains("no load balancer is configured") == true)
            #expect(stopped["group"] as? String == "service:balanced")

            let collected = Task {
                var statuses: [ECSTaskStatus] = []
                for await change in changes where change.taskID == id {
                    if statuses.last != change.lastStatus { statuses.append(change.lastStatus) }
                    if change.lastStatus == .stopped { break }
                }
                return statuses
            }
            let statuses = await firstOf(seconds: 5) { await collected.value } ?? []
            #expect(statuses.contains(.activating) && statuses.contains(.deactivating), "\(statuses)")
            #expect(!statuses.contains(.running), "\(statuses)")
        }
    }

    @Test("RunTask of 10 tasks until all are RUNNING (measured)")
    func runTenTasksLatency() async throws {
        try await withTaskFixture { f in
            _ = try f.register(busyboxDefinition(family: "fleet", command: Self.sleepCommand, initProcess: true))
            var perTask: [Double] = []
            var batches: [Double] = []
            for _ in 0..<3 {
                let changes = f.reconciler.stateChanges()
                let clock = ContinuousClock()
                let start = clock.now
                let collector = Task {
                    var runningAt: [String: Duration] = [:]
                    for await change in changes where change.lastStatus == .running && runningAt[change.taskID] == nil {
                        runningAt[change.taskID] = start.duration(to: clock.now)
                        if runningAt.count == 10 { break }
                    }
                    return runningAt
                }
                let response = try f.call("RunTask", runTaskBody("fleet", count: 10))
                let arns = objects(response["tasks"]).compactMap { $0["taskArn"] as? String }
                #expect(arns.count == 10)
                let runningAt = await firstOf(seconds: 20) { await collected(collector) } ?? [:]
                #expect(runningAt.count == 10)
                let seconds = runningAt.values.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
                perTask += seconds
                batches.append(seconds.max() ?? .infinity)
                for arn in arns { #expect(try f.describe(arn)["lastStatus"] as? String == "RUNNING") }
                for arn in arns { _ = try f.call("StopTask", #"{"task": "\#(arn)"}"#) }
                for arn in arns { try await f.waitFor(arn, "STOPPED") }
            }
            // One task at a time, for comparison.
            var single: [Double] = []
            for _ in 0..<5 {
                let clock = ContinuousClock()
                let start = clock.now
                let arn = try #require(objects(try f.call("RunTask", runTaskBody("fleet"))["tasks"]).first?["taskArn"] as? String)
                try await f.waitFor(arn, "RUNNING", pollMilliseconds: 1)
                let elapsed = start.duration(to: clock.now)
                single.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                _ = try f.call("StopTask", #"{"task": "\#(arn)"}"#)
                try await f.waitFor(arn, "STOPPED")
            }
            single.sort()
            print("RunTask x1 → RUNNING: p50 \(Int(single[2] * 1000)) ms (5 runs, min \(Int(single[0] * 1000)) ms)")
            perTask.sort()
            batches.sort()
            let p50 = perTask[perTask.count / 2]
            let p90 = perTask[perTask.count * 9 / 10]
            print("RunTask x10 → RUNNING: per task p50 \(Int(p50 * 1000)) ms, p90 \(Int(p90 * 1000)) ms, max \(Int((perTask.last ?? 0) * 1000)) ms; all 10 RUNNING (median of 3 batches) \(Int(batches[1] * 1000)) ms")
            #expect(batches[1] < 3, "all 10 tasks should be RUNNING well within 3 s")
        }
    }
}

/// The collector's result (a helper so the timeout race gets a plain async function).
private func collected(_ task: Task<[String: Duration], Never>) async -> [String: Duration]? {
    await task.value
}
