import Foundation
import Testing
@testable import ControlPlane

/// The task operations' input checks, placement results, queries and pagination, on an
/// in-memory store without a reconciler: tasks stay PROVISIONING, which is all these need.
@Suite("ECS task operations")
struct TaskAPITests {
    static let network = #""networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"]}}"#

    /// A cluster with one container instance (2048 CPU, 4096 MiB), the awsvpc definition `web`
    /// (128 MiB), the bridge-mode definition `plain`, and `gone:1` deregistered.
    static func harness() throws -> (ECSHarness, instanceArn: String) {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster")
        let instance = try h.registerInstance()
        _ = try h.call("RegisterTaskDefinition", taskDefinitionBody(family: "web", extra: #", "networkMode": "awsvpc""#))
        _ = try h.call("RegisterTaskDefinition", taskDefinitionBody(family: "plain"))
        _ = try h.call("RegisterTaskDefinition", taskDefinitionBody(family: "gone"))
        _ = try h.call("DeregisterTaskDefinition", #"{"taskDefinition": "gone:1"}"#)
        return (h, try #require(instance["containerInstanceArn"] as? String))
    }

    static func remainingMemory(_ h: ECSHarness, _ arn: String) throws -> Int? {
        let response = try h.call("DescribeContainerInstances", #"{"containerInstances": ["\#(arn)"]}"#)
        let instance = objects(response["containerInstances"]).first
        return objects(instance?["remainingResources"]).first { $0["name"] as? String == "MEMORY" }?["integerValue"] as? Int
    }

    @Test("UpdateTaskProtection protects a service's tasks for a while; GetTaskProtection reports it")
    func taskProtection() throws {
        let (h, _) = try Self.harness()
        let standalone = try #require(objects(try h.call("RunTask", #"{"taskDefinition": "web", \#(Self.network)}"#)["tasks"]).first?["taskArn"] as? String)
        let launched = try h.api.launchTasks(TaskLaunchRequest(
            taskDefinition: "web", placement: .scheduler(count: 1, strategies: [], constraints: []),
            networkConfiguration: TaskNetworkConfiguration(awsvpcConfiguration: .init(subnets: ["subnet-1"])),
            group: "service:s", startedBy: "ecs-svc/1", serviceArn: h.arn(.service(cluster: "default", name: "s"))), context: h.context)
        let serviceTask = try #require(launched.tasks.first?.taskArn)
        let missing = ECSResourceID.random()
        let updated = try h.call("UpdateTaskProtection", """
            {"cluster": "default", "tasks": ["\(serviceTask)", "\(standalone)", "\(missing)"], "protectionEnabled": true, "expiresInMinutes": 60}
            """)
        let protected = objects(updated["protectedTasks"])
        #expect(protected.count == 1 && protected.first?["taskArn"] as? String == serviceTask)
        #expect(protected.first?["protectionEnabled"] as? Bool == true)
        #expect(protected.first?["expirationDate"] as? Double == h.context.timestamp + 3_600)
        #expect(objects(updated["failures"]).compactMap { $0["reason"] as? String } == ["TASK_NOT_VALID", "MISSING"])

        let got = objects(try h.call("GetTaskProtection", #"{"cluster": "default", "tasks": ["\#(serviceTask)", "\#(standalone)"]}"#)["protectedTasks"])
        #expect(got.map { $0["protectionEnabled"] as? Bool } == [true, false])
        #expect(objects(try h.call("GetTaskProtection", #"{"cluster": "default"}"#)["protectedTasks"]).count == 1)

        let cleared = try h.call("UpdateTaskProtection", #"{"cluster": "default", "tasks": ["\#(serviceTask)"], "protectionEnabled": false}"#)
        #expect(objects(cleared["protectedTasks"]).first?["protectionEnabled"] as? Bool == false)
        #expect(objects(cleared["protectedTasks"]).first?["expirationDate"] == nil)
        #expect(objects(try h.call("GetTaskProtection", #"{"cluster": "default"}"#)["protectedTasks"]).isEmpty)
        _ = try h.call("UpdateTaskProtection", #"{"cluster": "default", "tasks": ["\#(serviceTask)"], "protectionEnabled": true}"#)
        _ = try h.call("StopTask", #"{"task": "\#(serviceTask)"}"#)
        let stopping = objects(try h.call("GetTaskProtection", #"{"cluster": "default", "tasks": ["\#(serviceTask)"]}"#)["protectedTasks"])
        #expect(stopping.first?["protectionEnabled"] as? Bool == false, "a stopping task is protected no more")
        #expect(objects(try h.call("GetTaskProtection", #"{"cluster": "default"}"#)["protectedTasks"]).isEmpty)
        #expect(objects(try h.call("UpdateTaskProtection", #"{"cluster": "default", "tasks": ["\#(serviceTask)"], "protectionEnabled": true}"#)["failures"])
            .first?["reason"] as? String == "TASK_NOT_VALID", "a stopping task cannot be protected")
        for body in [#"{"cluster": "default", "tasks": ["\#(serviceTask)"]}"#,
                     #"{"cluster": "default", "tasks": ["\#(serviceTask)"], "protectionEnabled": true, "expiresInMinutes": 2881}"#,
                     #"{"tasks": ["\#(serviceTask)"], "protectionEnabled": true}"#] {
            #expect(h.error("UpdateTaskProtection", body)?.kind == .invalidParameterException, "\(body)")
        }
    }

    @Test("RunTask without a launch type runs on the cluster's default capacity provider strategy")
    func defaultCapacityProviderStrategy() throws {
        let (h, instanceArn) = try Self.harness()
        _ = try h.call("PutAttributes", """
            {"attributes": [{"name": "\(AgentCapabilities.fargateCapacity)", "targetType": "container-instance", "targetId": "\(instanceArn)"}]}
            """)
        _ = try h.call("RegisterTaskDefinition", taskDefinitionBody(
            family: "small", extra: #", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512""#))
        let ec2 = objects(try h.call("RunTask", #"{"taskDefinition": "web", \#(Self.network)}"#)["tasks"]).first
        #expect(ec2?["launchType"] as? String == "EC2" && ec2?["capacityProviderName"] == nil, "no default strategy: EC2")
        let precreated = objects(ec2?["attachments"]).first
        #expect(precreated?["status"] as? String == "PRECREATED")
        #expect(objects(precreated?["details"]).compactMap { $0["name"] as? String } == ["subnetId"], "a PRECREATED ENI names its subnet only")
        #expect(ec2?["connectivity"] == nil && ec2?["connectivityAt"] == nil, "not connected before the host reports the task")

        _ = try h.call("PutClusterCapacityProviders", """
            {"cluster": "default", "capacityProviders": ["FARGATE", "FARGATE_SPOT"],
             "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}]}
            """)
        let spot = objects(try h.call("RunTask", #"{"taskDefinition": "small", \#(Self.network)}"#)["tasks"]).first
        #expect(spot?["launchType"] as? String == "FARGATE" && spot?["capacityProviderName"] as? String == "FARGATE_SPOT")
        let named = objects(try h.call("RunTask", """
            {"taskDefinition": "small", "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1}], \(Self.network)}
            """)["tasks"]).first
        #expect(named?["capacityProviderName"] as? String == "FARGATE")
        #expect(h.error("PutClusterCapacityProviders", """
            {"cluster": "default", "capacityProviders": ["FARGATE"], "defaultCapacityProviderStrategy": []}
            """)?.kind == .resourceInUseException, "a task not yet stopped runs on FARGATE_SPOT")
        #expect(h.error("RunTask", #"{"taskDefinition": "small", "launchType": "FARGATE", "platformVersion": "9.9.9", \#(Self.network)}"#)?
            .kind == .platformUnknownException)
        let pinned = objects(try h.call("RunTask", """
            {"taskDefinition": "small", "launchType": "FARGATE", "platformVersion": "1.4.0", \(Self.network)}
            """)["tasks"]).first
        #expect(pinned?["platformVersion"] as? String == "1.4.0")
        let explicit = objects(try h.call("RunTask", #"{"taskDefinition": "web", "launchType": "EC2", \#(Self.network)}"#)["tasks"]).first
        #expect(explicit?["launchType"] as? String == "EC2" && explicit?["capacityProviderName"] == nil, "a launch type wins")
        #expect(strings(try h.call("ListTasks", #"{"launchType": "MANAGED_INSTANCES"}"#)["taskArns"]).isEmpty)
    }

    @Test("RunTask refuses bad input with ECS's errors and creates nothing", arguments: [
        (#"{}"#, ECSError.Kind.invalidParameterException),
        (#"{"taskDefinition": "web", "count": 0, \#(network)}"#, .invalidParameterException),
        (#"{"taskDefinition": "web", "count": 11, \#(network)}"#, .invalidParameterException),
        (#"{"taskDefinition": "web", "count": "two", \#(network)}"#, .serializationException),
        (#"{"taskDefinition": "web", "launchType": "SPOT", \#(network)}"#, .invalidParameterException),
        (#"{"taskDefinition": "web", "launchType": "EC2", "capacityProviderStrategy": [{"capacityProvider": "FARGATE"}], \#(network)}"#,
         .invalidParameterException),
        (#"{"taskDefinition": "nope", \#(network)}"#, .clientException),
        (#"{"taskDefinition": "web:x", \#(network)}"#, .clientException),
        (#"{"taskDefinition": "gone:1"}"#, .clientException),
        (#"{"taskDefinition": "web"}"#, .invalidParameterException),
        (#"{"taskDefinition": "plain", \#(network)}"#, .invalidParameterException),
        (#"{"taskDefinition": "web", "networkConfiguration": {"awsvpcConfiguration": {"subnets": []}}}"#, .invalidParameterException),
        (#"{"taskDefinition": "web", "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["s"], "assignPublicIp": "ENABLED"}}}"#,
         .invalidParameterException),
        (#"{"taskDefinition": "web", "startedBy": "not allowed!", \#(network)}"#, .invalidParameterException),
        (#"{"taskDefinition": "web", "placementStrategy": [{"type": "binpack", "field": "disk"}], \#(network)}"#, .invalidParameterException),
        (#"{"taskDefinition": "web", "placementConstraints": [{"type": "memberOf"}], \#(network)}"#, .invalidParameterException),
        (#"{"taskDefinition": "web", "overrides": {"containerOverrides": [{"name": "ghost"}]}, \#(network)}"#, .invalidParameterException),
        (#"{"taskDefinition": "web", "overrides": {"containerOverrides": [{"name": "main", "memory": 2}]}, \#(network)}"#,
         .invalidParameterException),
        (#"{"taskDefinition": "web", "launchType": "FARGATE", \#(network)}"#, .invalidParameterException),
        (#"{"taskDefinition": "web", "tags": [{"key": "aws:reserved", "value": "x"}], \#(network)}"#, .invalidParameterException),
        (#"{"taskDefinition": "web", "propagateTags": "EVERYTHING", \#(network)}"#, .invalidParameterException),
        (#"{"taskDefinition": "web", "propagateTags": "SERVICE", \#(network)}"#, .invalidParameterException),
        (#"{"taskDefinition": "web", "capacityProviderStrategy": [{"capacityProvider": "FARGATE"}], \#(network)}"#,
         .invalidParameterException),
        (#"{"taskDefinition": "web", "cluster": "nope", \#(network)}"#, .clusterNotFoundException),
        (#"{"taskDefinition": "web", "clientToken": "", \#(network)}"#, .invalidParameterException),
        (#"{"taskDefinition": "web", "clientToken": "has space", \#(network)}"#, .invalidParameterException),
        (#"{"taskDefinition": "web", "clientToken": "\#(String(repeating: "t", count: 65))", \#(network)}"#,
         .invalidParameterException),
    ])
    func runTaskRefusals(body: String, kind: ECSError.Kind) throws {
        let (h, instance) = try Self.harness()
        #expect(h.error("RunTask", body)?.kind == kind)
        #expect(strings(try h.call("ListTasks")["taskArns"]).isEmpty)
        #expect(strings(try h.call("ListTasks", #"{"desiredStatus": "STOPPED"}"#)["taskArns"]).isEmpty)
        #expect(try Self.remainingMemory(h, instance) == 4096)
    }

    @Test("RunTask with a clientToken used before answers the first call's tasks; other parameters are a ConflictException")
    func clientTokenRetries() throws {
        let (h, instance) = try Self.harness()
        let body = #"{"taskDefinition": "plain", "count": 2, "clientToken": "retry-1", "startedBy": "ci"}"#
        let first = try h.call("RunTask", body)
        let arns = objects(first["tasks"]).compactMap { $0["taskArn"] as? String }
        #expect(arns.count == 2)
        // A retry (its members in another order: what counts is the decoded request) starts
        // nothing and reserves nothing.
        let retry = try h.call("RunTask", #"{"startedBy": "ci", "clientToken": "retry-1", "count": 2, "taskDefinition": "plain"}"#)
        #expect(objects(retry["tasks"]).compactMap { $0["taskArn"] as? String } == arns)
        #expect(strings(try h.call("ListTasks")["taskArns"]).count == 2)
        let reserved = try Self.remainingMemory(h, instance)

        let conflict = h.error("RunTask", #"{"taskDefinition": "plain", "count": 1, "clientToken": "retry-1", "startedBy": "ci"}"#)
        #expect(conflict?.kind == .conflictException)
        #expect(conflict?.resourceIds == arns, "a ConflictException names the tasks the token started")
        // Tokens are per cluster, and a new token is a new request.
        _ = try h.call("CreateCluster", #"{"clusterName": "other"}"#)
        #expect(h.error("RunTask", #"{"cluster": "other", "taskDefinition": "plain", "clientToken": "retry-1"}"#)?.message
                == "No Container Instances were found in your cluster.")
        _ = try h.call("RunTask", #"{"taskDefinition": "plain", "count": 2, "clientToken": "retry-2", "startedBy": "ci"}"#)
        #expect(strings(try h.call("ListTasks")["taskArns"]).count == 4)
        #expect(try Self.remainingMemory(h, instance) != reserved)

        // Failures are answered again too, without placing anew.
        _ = try h.call("RegisterTaskDefinition", #"{"family": "huge", "containerDefinitions": [{"name": "main", "image": "busybox", "memory": 100000}]}"#)
        let refused = try h.call("RunTask", #"{"taskDefinition": "huge", "clientToken": "retry-3"}"#)
        let again = try h.call("RunTask", #"{"taskDefinition": "huge", "clientToken": "retry-3"}"#)
        #expect(objects(refused["failures"]).first?["reason"] as? String == "RESOURCE:MEMORY")
        #expect(objects(again["failures"]).first?["reason"] as? String == "RESOURCE:MEMORY")
        #expect(objects(again["tasks"]).isEmpty)
    }

    @Test("a client token answers after its revision is deregistered, and ends when a task it started is purged or after 24 hours")
    func clientTokenLifetime() throws {
        var (h, _) = try Self.harness()
        func arns(_ body: String) throws -> [String] {
            objects(try h.call("RunTask", body)["tasks"]).compactMap { $0["taskArn"] as? String }
        }
        // Purged (an hour after it stopped): the token is free again, and the retry is a new request.
        let purgedBody = #"{"taskDefinition": "plain", "clientToken": "purged"}"#
        let purged = try arns(purgedBody)
        try h.store.write { db in
            try db.execute(sql: "UPDATE task SET lastStatus = 'STOPPED', stoppedAt = ? WHERE arn = ?",
                           arguments: [ECSHarness.epoch.timeIntervalSince1970 - 2 * TaskRetention.stoppedTaskVisibility, purged[0]])
            #expect(try TaskRetention.purge(db, now: ECSHarness.epoch.timeIntervalSince1970).map(\.arn) == purged)
        }
        let relaunched = try arns(purgedBody)
        #expect(relaunched.count == 1 && relaunched != purged)

        // The first call succeeded, so its retry does even once the revision is INACTIVE...
        let body = #"{"taskDefinition": "plain", "clientToken": "kept"}"#
        let first = try arns(body)
        _ = try h.call("DeregisterTaskDefinition", #"{"taskDefinition": "plain:1"}"#)
        #expect(try arns(body) == first)
        // ... and for 24 hours only: after that the same body is a new request, refused as
        // any RunTask of an INACTIVE revision is.
        h.context = ECSRequestContext(region: ECSHarness.region, accountID: ECSHarness.account,
                                      now: ECSHarness.epoch.addingTimeInterval(RunTaskClientTokenRecord.lifetime + 1),
                                      callerARN: ECSHarness.caller)
        #expect(h.error("RunTask", body)?.kind == .clientException)
    }

    @Test("enableECSManagedTags tags the task with its cluster's name, as ECS does; without it no aws: tag appears")
    func ecsManagedTags() throws {
        let (h, _) = try Self.harness()
        let managed = try #require(objects(try h.call("RunTask", #"""
            {"taskDefinition": "plain", "enableECSManagedTags": true, "tags": [{"key": "team", "value": "edge"}]}
            """#)["tasks"]).first?["taskArn"] as? String)
        let plain = try #require(objects(try h.call("RunTask", #"{"taskDefinition": "plain"}"#)["tasks"]).first?["taskArn"] as? String)
        func tags(_ arn: String) throws -> [String: String] {
            var found: [String: String] = [:]
            for tag in objects(try h.call("ListTagsForResource", #"{"resourceArn": "\#(arn)"}"#)["tags"]) {
                if let key = tag["key"] as? String { found[key] = tag["value"] as? String }
            }
            return found
        }
        #expect(try tags(managed) == ["team": "edge", "aws:ecs:clusterName": "default"])
        #expect(try tags(plain).isEmpty)
        // The managed tag counts against no limit: 50 user tags fit beside it, a 51st does not.
        let fill = (1..<50).map { #"{"key": "k\#($0)", "value": "v"}"# }.joined(separator: ", ")
        _ = try h.call("TagResource", #"{"resourceArn": "\#(managed)", "tags": [\#(fill)]}"#)
        #expect(try tags(managed).count == 51)
        _ = try h.call("TagResource", #"{"resourceArn": "\#(managed)", "tags": [{"key": "team", "value": "core"}]}"#)
        #expect(h.error("TagResource", #"{"resourceArn": "\#(managed)", "tags": [{"key": "one-more", "value": "v"}]}"#)?.kind
                == .limitExceededException)
        #expect(ECSManagedTags.tags(clusterName: "c", serviceArn: "arn:aws:ecs:us-east-1:123456789012:service/c/web")
                == [ECSTag(key: "aws:ecs:clusterName", value: "c"), ECSTag(key: "aws:ecs:serviceName", value: "web")])
    }

    @Test("RunTask on a cluster without container instances is refused as ECS does")
    func noInstances() throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster")
        _ = try h.call("RegisterTaskDefinition", taskDefinitionBody(family: "plain"))
        let error = h.error("RunTask", #"{"taskDefinition": "plain"}"#)
        #expect(error == ECSError(.invalidParameterException, "No Container Instances were found in your cluster."))
    }

    @Test("RunTask places what fits and reports the rest as failures with ECS's reasons")
    func partialPlacement() throws {
        let (h, instance) = try Self.harness()
        _ = try h.call("RegisterTaskDefinition", #"""
            {"family": "big", "containerDefinitions": [{"name": "main", "image": "busybox", "memory": 1500}]}
            """#)
        let response = try h.call("RunTask", #"{"taskDefinition": "big", "count": 3}"#)
        let tasks = objects(response["tasks"])
        #expect(tasks.count == 2)
        // Bridge-mode tasks (no network interface to provision) start at PENDING, as in ECS.
        #expect(tasks.allSatisfy { $0["lastStatus"] as? String == "PENDING" && $0["containerInstanceArn"] as? String == instance })
        #expect(tasks.allSatisfy { $0["group"] as? String == "family:big" && $0["version"] as? Int == 1 })
        let failures = objects(response["failures"])
        #expect(failures.count == 1)
        #expect(failures.first?["arn"] as? String == instance && failures.first?["reason"] as? String == "RESOURCE:MEMORY")
        #expect(try Self.remainingMemory(h, instance) == 4096 - 3000)

        // distinctInstance: a second task of the group has no other instance to go to.
        let distinct = try h.call("RunTask", #"""
            {"taskDefinition": "plain", "count": 2, "group": "solo", "placementConstraints": [{"type": "distinctInstance"}]}
            """#)
        #expect(objects(distinct["tasks"]).count == 1)
        #expect(objects(distinct["failures"]).first?["reason"] as? String == "DistinctInstance placement constraint unsatisfied.")

        // A capability the instance lacks (health checks) is ATTRIBUTE.
        _ = try h.call("RegisterTaskDefinition", #"""
            {"family": "checked", "containerDefinitions": [{"name": "main", "image": "busybox", "memory": 64,
              "healthCheck": {"command": ["CMD-SHELL", "true"]}}]}
            """#)
        let attribute = try h.call("RunTask", #"{"taskDefinition": "checked"}"#)
        #expect(objects(attribute["failures"]).first?["reason"] as? String == "ATTRIBUTE")
    }

    @Test("ListTasks filters by desired status, family, startedBy, service, instance and launch type, and paginates")
    func listTasks() throws {
        let (h, instance) = try Self.harness()
        let service = try h.insertService(name: "api")
        var alpha: [String] = []
        for _ in 0..<3 {
            let response = try h.call("RunTask", #"{"taskDefinition": "plain", "startedBy": "alpha"}"#)
            alpha += objects(response["tasks"]).compactMap { $0["taskArn"] as? String }
        }
        let webTasks = objects(try h.call("RunTask", #"{"taskDefinition": "web", "count": 2, \#(Self.network)}"#)["tasks"])
            .compactMap { $0["taskArn"] as? String }
        let serviceTask = try h.api.launchTasks(
            TaskLaunchRequest(taskDefinition: "plain", placement: .scheduler(count: 1, strategies: [], constraints: []),
                              group: "service:api", startedBy: "ecs-svc/42", serviceArn: service.arn),
            context: h.context).tasks.compactMap(\.taskArn)
        _ = try h.call("StopTask", #"{"task": "\#(alpha[0])", "reason": "enough"}"#)

        func list(_ body: String = "{}") throws -> Set<String> { Set(strings(try h.call("ListTasks", body)["taskArns"])) }
        #expect(try list() == Set(alpha.dropFirst() + webTasks + serviceTask))
        #expect(try list(#"{"desiredStatus": "STOPPED"}"#) == [alpha[0]])
        #expect(try list(#"{"desiredStatus": "PENDING"}"#).isEmpty)
        #expect(try list(#"{"family": "web"}"#) == Set(webTasks))
        #expect(try list(#"{"family": "we"}"#).isEmpty, "a family is matched whole, not as a prefix")
        #expect(try list(#"{"startedBy": "alpha"}"#) == Set(alpha.dropFirst()))
        #expect(try list(#"{"serviceName": "api"}"#) == Set(serviceTask))
        #expect(try list(#"{"containerInstance": "\#(instance)"}"#).count == 5)
        #expect(try list(#"{"containerInstance": "\#(ECSResourceID.random())"}"#).isEmpty)
        #expect(try list(#"{"launchType": "FARGATE"}"#).isEmpty)
        #expect(try list(#"{"launchType": "EC2"}"#).count == 5)
        #expect(h.error("ListTasks", #"{"serviceName": "nope"}"#)?.kind == .serviceNotFoundException)
        #expect(h.error("ListTasks", #"{"desiredStatus": "DONE"}"#)?.kind == .invalidParameterException)
        #expect(h.error("ListTasks", #"{"launchType": "SPOT"}"#)?.kind == .invalidParameterException)
        #expect(h.error("ListTasks", #"{"cluster": "nope"}"#)?.kind == .clusterNotFoundException)

        // Pages of 2: every running task once, in ID order, the last page without a token.
        var seen: [String] = []
        var token: String?
        var pages = 0
        repeat {
            let body = token.map { #"{"maxResults": 2, "nextToken": "\#($0)"}"# } ?? #"{"maxResults": 2}"#
            let page = try h.call("ListTasks", body)
            seen += strings(page["taskArns"])
            token = page["nextToken"] as? String
            pages += 1
        } while token != nil && pages < 10
        #expect(pages == 3)
        let all = try list()
        #expect(seen.count == 5 && Set(seen) == all)
        #expect(seen == seen.sorted { $0.suffix(32) < $1.suffix(32) })
        #expect(h.error("ListTasks", #"{"maxResults": 0}"#)?.kind == .invalidParameterException)
        #expect(h.error("ListTasks", #"{"nextToken": "garbage"}"#)?.kind == .invalidParameterException)
    }

    @Test("DescribeTasks answers tasks by ID or ARN, MISSING for the rest, tags on request")
    func describeTasks() throws {
        let (h, _) = try Self.harness()
        let created = try h.call("RunTask", #"{"taskDefinition": "plain", "tags": [{"key": "team", "value": "edge"}]}"#)
        let arn = try #require(objects(created["tasks"]).first?["taskArn"] as? String)
        let id = String(try #require(arn.split(separator: "/").last))
        let unknown = ECSResourceID.random()
        let response = try h.call("DescribeTasks", #"{"tasks": ["\#(id)", "\#(arn)", "\#(unknown)"], "include": ["TAGS"]}"#)
        let tasks = objects(response["tasks"])
        #expect(tasks.count == 1)
        #expect(objects(tasks.first?["tags"]).first?["value"] as? String == "edge")
        #expect(objects(response["failures"]).map { $0["arn"] as? String } == [h.arn(.task(cluster: "default", id: unknown))])
        #expect(objects(response["failures"]).first?["reason"] as? String == "MISSING")
        let untagged = try h.call("DescribeTasks", #"{"tasks": ["\#(arn)"]}"#)
        let untaggedTags = objects(untagged["tasks"]).first?["tags"] as? [Any]
        #expect(untaggedTags?.isEmpty == true, "without include TAGS: an empty list, as ECS shows it")
        #expect(objects(try h.call("ListTagsForResource", #"{"resourceArn": "\#(arn)"}"#)["tags"]).count == 1)
        #expect(h.error("DescribeTasks", #"{"tasks": []}"#)?.kind == .invalidParameterException)
        #expect(h.error("DescribeTasks", #"{"tasks": ["\#(arn)"], "include": ["EVERYTHING"]}"#)?.kind == .invalidParameterException)
        let many = (0..<101).map { _ in "\"\(ECSResourceID.random())\"" }.joined(separator: ",")
        #expect(h.error("DescribeTasks", #"{"tasks": [\#(many)]}"#)?.kind == .invalidParameterException)
        // A task of another cluster is not found through this one.
        _ = try h.call("CreateCluster", #"{"clusterName": "other"}"#)
        #expect(objects(try h.call("DescribeTasks", #"{"cluster": "other", "tasks": ["\#(id)"]}"#)["failures"]).count == 1)
    }

    @Test("PROVISIONING and DEPROVISIONING show only for awsvpc tasks; other tasks show PENDING and STOPPING there")
    func provisioningIsAnAwsvpcStep() {
        #expect(TaskRendering.shownStatus(.provisioning, networkMode: "awsvpc") == "PROVISIONING")
        #expect(TaskRendering.shownStatus(.deprovisioning, networkMode: "awsvpc") == "DEPROVISIONING")
        for mode in ["bridge", "host", "none"] {
            #expect(TaskRendering.shownStatus(.provisioning, networkMode: mode) == "PENDING")
            #expect(TaskRendering.shownStatus(.deprovisioning, networkMode: mode) == "STOPPING")
            #expect(TaskRendering.shownStatus(.running, networkMode: mode) == "RUNNING")
            #expect(TaskRendering.shownStatus(.activating, networkMode: mode) == "ACTIVATING")
        }
        #expect(TaskRendering.shownStatus(.provisioning, networkMode: nil) == "PROVISIONING")
    }

    @Test("StopTask records the stop once and refuses unknown tasks")
    func stopTask() throws {
        let (h, _) = try Self.harness()
        let arn = try #require(objects(try h.call("RunTask", #"{"taskDefinition": "plain"}"#)["tasks"]).first?["taskArn"] as? String)
        let stopped = object(try h.call("StopTask", #"{"task": "\#(arn)"}"#)["task"])
        #expect(stopped["desiredStatus"] as? String == "STOPPED")
        #expect(stopped["lastStatus"] as? String == "PENDING")
        #expect(stopped["stopCode"] as? String == "UserInitiated")
        #expect(stopped["stoppedReason"] as? String == "Task stopped by user")
        #expect(stopped["stoppingAt"] as? Double == ECSHarness.epoch.timeIntervalSince1970.rounded(toPlaces: 3))
        #expect(stopped["version"] as? Int == 2)
        let again = object(try h.call("StopTask", #"{"task": "\#(arn)", "reason": "second"}"#)["task"])
        #expect(again["version"] as? Int == 2 && again["stoppedReason"] as? String == "Task stopped by user")

        #expect(h.error("StopTask", #"{"task": "\#(ECSResourceID.random())"}"#)
                == ECSError(.invalidParameterException, "The referenced task was not found."))
        #expect(h.error("StopTask", #"{}"#)?.kind == .invalidParameterException)
        let long = String(repeating: "x", count: 256)
        #expect(h.error("StopTask", #"{"task": "\#(arn)", "reason": "\#(long)"}"#)?.kind == .invalidParameterException)
        #expect(h.error("StopTask", #"{"task": "\#(arn)", "cluster": "nope"}"#)?.kind == .clusterNotFoundException)
    }

    @Test("StartTask checks its instances: MISSING, resources, and the 1-10 limit")
    func startTask() throws {
        let (h, instance) = try Self.harness()
        _ = try h.call("RegisterTaskDefinition", #"""
            {"family": "big", "containerDefinitions": [{"name": "main", "image": "busybox", "memory": 3000}]}
            """#)
        let response = try h.call("StartTask", #"{"taskDefinition": "big", "containerInstances": ["\#(instance)", "\#(instance)"]}"#)
        #expect(objects(response["tasks"]).count == 1)
        #expect(objects(response["failures"]).first?["reason"] as? String == "RESOURCE:MEMORY")
        #expect(h.error("StartTask", #"{"taskDefinition": "big"}"#)?.kind == .invalidParameterException)
        #expect(h.error("StartTask", #"{"taskDefinition": "big", "containerInstances": []}"#)?.kind == .invalidParameterException)
        let eleven = Array(repeating: "\"\(instance)\"", count: 11).joined(separator: ",")
        #expect(h.error("StartTask", #"{"taskDefinition": "big", "containerInstances": [\#(eleven)]}"#)?.kind == .invalidParameterException)
    }

    @Test("propagateTags TASK_DEFINITION copies the definition's tags to the task")
    func propagateTags() throws {
        let (h, _) = try Self.harness()
        _ = try h.call("RegisterTaskDefinition", taskDefinitionBody(family: "tagged", extra: #", "tags": [{"key": "owner", "value": "ops"}]"#))
        let response = try h.call("RunTask", #"{"taskDefinition": "tagged", "propagateTags": "TASK_DEFINITION", "tags": [{"key": "run", "value": "1"}]}"#)
        let tags = objects(objects(response["tasks"]).first?["tags"]).compactMap { $0["key"] as? String }
        #expect(tags == ["owner", "run"])
    }

    @Test("a host registers once: again after a restart (same ARN) and after being deregistered (revived)")
    func hostRegistration() throws {
        let h = try ECSHarness()
        let host = AgentHostDescription(
            instanceID: "i-0123456789abcdef0", cpuUnits: 2048, memoryMiB: 3900, reservedTCPPorts: [22], reservedUDPPorts: [],
            attributes: [AgentAttribute(name: "ecs.capability.task-eni")], agentVersion: "1.0.0", agentHash: "wharf",
            runtimeVersion: "WharfRuntime: 1.0.0", availabilityZone: "us-east-1a", instanceType: "wharf.host",
            region: "us-east-1", cpuArchitecture: "x86_64")
        let first = try h.api.registerHost(host, context: h.context)
        #expect(first.clusterName == "default")
        #expect(objects(try h.call("DescribeClusters")["clusters"]).first?["status"] as? String == "ACTIVE", "the cluster is created")
        let again = try h.api.registerHost(host, context: h.context)
        #expect(again == first)
        _ = try h.call("DeregisterContainerInstance", #"{"containerInstance": "\#(first.containerInstanceArn)"}"#)
        let revived = try h.api.registerHost(host, context: h.context)
        #expect(revived.containerInstanceArn == first.containerInstanceArn)
        let listed = strings(try h.call("ListContainerInstances")["containerInstanceArns"])
        #expect(listed == [first.containerInstanceArn])
    }
}

private extension Double {
    func rounded(toPlaces places: Int) -> Double {
        let scale = Foundation.pow(10.0, Double(places))
        return (self * scale).rounded() / scale
    }
}
