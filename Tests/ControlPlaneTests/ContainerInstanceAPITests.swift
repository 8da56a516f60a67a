import Foundation
import Testing
@testable import ControlPlane

@Suite("ECS container instance operations")
struct ContainerInstanceAPITests {
    @Test("RegisterContainerInstance answers the instance as ECS reports it")
    func register() throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster")
        let ci = try h.registerInstance(extra: #", "tags": [{"key": "rack", "value": "r1"}]"#)
        let arn = try #require(ci["containerInstanceArn"] as? String)
        #expect(arn.hasPrefix("arn:aws:ecs:us-east-1:123456789012:container-instance/default/"))
        #expect(ECSResourceID.isWellFormed(String(arn.split(separator: "/").last ?? "")))
        #expect(ci["ec2InstanceId"] as? String == "i-0123456789abcdef0")
        #expect(ci["version"] as? Int == 1)
        #expect(ci["status"] as? String == "ACTIVE")
        #expect(ci["agentConnected"] as? Bool == true)
        #expect(ci["runningTasksCount"] as? Int == 0 && ci["pendingTasksCount"] as? Int == 0)
        #expect(ci["registeredAt"] as? Double == 1_700_000_000.123)
        #expect(object(ci["versionInfo"])["agentVersion"] as? String == "1.80.0")
        #expect(array(ci["attachments"]).isEmpty)
        #expect(objects(ci["tags"]).first?["key"] as? String == "rack")
        let cpu = try #require(objects(ci["registeredResources"]).first { $0["name"] as? String == "CPU" })
        #expect(cpu["type"] as? String == "INTEGER" && cpu["integerValue"] as? Int == 2048)
        #expect(cpu["longValue"] as? Int == 0 && cpu["doubleValue"] as? Double == 0)
        let remaining = objects(ci["remainingResources"])
        #expect(remaining.count == 4)
        let names = objects(ci["attributes"]).compactMap { $0["name"] as? String }
        #expect(names.contains("ecs.os-type") && names.contains("ecs.capability.task-eni"))
    }

    @Test("RegisterContainerInstance refuses bad input and unknown clusters", arguments: [
        (#"{"cluster": "nope"}"#, ECSError.Kind.clusterNotFoundException),
        (#"{"totalResources": [{"name": "CPU", "type": "FLOAT", "integerValue": 1}]}"#, .invalidParameterException),
        (#"{"totalResources": [{"name": "CPU", "type": "INTEGER"}]}"#, .invalidParameterException),
        (#"{"totalResources": [{"type": "INTEGER", "integerValue": 1}]}"#, .invalidParameterException),
        (#"{"totalResources": [{"name": "CPU", "type": "INTEGER", "integerValue": 1}, {"name": "CPU", "type": "INTEGER", "integerValue": 2}]}"#, .invalidParameterException),
        (#"{"totalResources": [{"name": "PORTS", "type": "STRINGSET", "stringSetValue": ["http"]}]}"#, .invalidParameterException),
        (#"{"totalResources": [{"name": "CPU", "type": "INTEGER", "integerValue": "1024"}]}"#, .serializationException),
        (#"{"instanceIdentityDocument": "not json"}"#, .invalidParameterException),
        (#"{"attributes": [{"name": "bad name!"}]}"#, .invalidParameterException),
        (#"{"attributes": [{"name": "ok", "value": " padded"}]}"#, .invalidParameterException),
        (#"{"platformDevices": [{"id": "0", "type": "TPU"}]}"#, .invalidParameterException),
    ])
    func registerRefusals(body: String, kind: ECSError.Kind) throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster")
        #expect(h.error("RegisterContainerInstance", body)?.kind == kind)
        #expect(strings(try h.call("ListContainerInstances")["containerInstanceArns"]).isEmpty)
    }

    @Test("registering again (by ARN or by EC2 instance id) updates the same instance")
    func reregister() throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster")
        let first = try h.registerInstance(ec2: "i-aaa")
        let arn = try #require(first["containerInstanceArn"] as? String)
        let byEC2 = try h.registerInstance(ec2: "i-aaa")
        #expect(byEC2["containerInstanceArn"] as? String == arn)
        #expect(byEC2["version"] as? Int == 2)
        let byARN = try h.registerInstance(ec2: "i-aaa", extra: #", "containerInstanceArn": "\#(arn)""#)
        #expect(byARN["containerInstanceArn"] as? String == arn)
        #expect(byARN["version"] as? Int == 3)
        #expect(strings(try h.call("ListContainerInstances")["containerInstanceArns"]) == [arn])
        let unknown = h.arn(.containerInstance(cluster: "default", id: ECSResourceID.random()))
        #expect(h.error("RegisterContainerInstance", #"{"containerInstanceArn": "\#(unknown)"}"#)?.kind == .invalidParameterException)
    }

    @Test("remaining resources and task counts come from the tasks placed on the instance")
    func remainingResources() throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster")
        let arn = try #require(try h.registerInstance()["containerInstanceArn"] as? String)
        let id = String(arn.split(separator: "/").last ?? "")
        _ = try h.insertTask(instanceID: id, last: .running, cpu: 256, memory: 512, ports: [8080], udpPorts: [53])
        _ = try h.insertTask(instanceID: id, last: .pending, cpu: 128, memory: 128, ports: [9090])
        _ = try h.insertTask(instanceID: id, last: .stopped, desired: .stopped, cpu: 1024, memory: 1024, ports: [7070])

        let ci = object(array(try h.call("DescribeContainerInstances", #"{"containerInstances": ["\#(id)"]}"#)["containerInstances"]).first)
        let remaining = Dictionary(uniqueKeysWithValues: objects(ci["remainingResources"]).map { ($0["name"] as? String ?? "", $0) })
        #expect(remaining["CPU"]?["integerValue"] as? Int == 2048 - 384)
        #expect(remaining["MEMORY"]?["integerValue"] as? Int == 4096 - 640)
        #expect(strings(remaining["PORTS"]?["stringSetValue"]) == ["22", "2375", "2376", "51678", "51679", "8080", "9090"])
        #expect(strings(remaining["PORTS_UDP"]?["stringSetValue"]) == ["53"])
        #expect(ci["runningTasksCount"] as? Int == 2)
        #expect(ci["pendingTasksCount"] as? Int == 1)
        let registered = objects(ci["registeredResources"]).first { $0["name"] as? String == "CPU" }
        #expect(registered?["integerValue"] as? Int == 2048)
    }

    @Test("DescribeContainerInstances: IDs or ARNs, MISSING failures, include")
    func describe() throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster")
        let arn = try #require(try h.registerInstance(extra: #", "tags": [{"key": "k", "value": "v"}]"#)["containerInstanceArn"] as? String)
        let id = String(arn.split(separator: "/").last ?? "")
        let missing = ECSResourceID.random()
        let response = try h.call("DescribeContainerInstances", #"{"containerInstances": ["\#(id)", "\#(arn)", "\#(missing)"]}"#)
        let instances = objects(response["containerInstances"])
        #expect(instances.count == 1)
        #expect(instances.first?["tags"] == nil)
        #expect(objects(response["failures"]).first?["arn"] as? String == h.arn(.containerInstance(cluster: "default", id: missing)))
        #expect(objects(response["failures"]).first?["reason"] as? String == "MISSING")

        let included = object(array(try h.call("DescribeContainerInstances", """
            {"cluster": "default", "containerInstances": ["\(arn)"], "include": ["TAGS", "CONTAINER_INSTANCE_HEALTH"]}
            """)["containerInstances"]).first)
        #expect(objects(included["tags"]).count == 1)
        #expect(object(included["healthStatus"])["overallStatus"] as? String == "OK")

        #expect(h.error("DescribeContainerInstances", #"{"containerInstances": ["\#(id)"], "include": ["X"]}"#)?.kind == .invalidParameterException)
        #expect(h.error("DescribeContainerInstances", #"{"containerInstances": []}"#)?.kind == .invalidParameterException)
        #expect(h.error("DescribeContainerInstances", #"{"cluster": "nope", "containerInstances": ["\#(id)"]}"#)?.kind == .clusterNotFoundException)
        // An ARN of another cluster names nothing in this one.
        _ = try h.call("CreateCluster", #"{"clusterName": "other"}"#)
        let other = try h.call("DescribeContainerInstances", #"{"cluster": "other", "containerInstances": ["\#(arn)"]}"#)
        #expect(objects(other["failures"]).count == 1)
    }

    @Test("DeregisterContainerInstance refuses with live tasks unless forced; the instance stays describable")
    func deregister() throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster")
        let arn = try #require(try h.registerInstance()["containerInstanceArn"] as? String)
        let id = String(arn.split(separator: "/").last ?? "")
        _ = try h.insertTask(instanceID: id, last: .running)

        #expect(h.error("DeregisterContainerInstance", #"{"containerInstance": "\#(id)"}"#)?.kind == .invalidParameterException)
        #expect(strings(try h.call("ListContainerInstances")["containerInstanceArns"]) == [arn])

        let gone = object(try h.call("DeregisterContainerInstance", #"{"containerInstance": "\#(arn)", "force": true}"#)["containerInstance"])
        #expect(gone["status"] as? String == "INACTIVE")
        #expect(gone["version"] as? Int == 2)
        #expect(strings(try h.call("ListContainerInstances")["containerInstanceArns"]).isEmpty)
        let described = object(array(try h.call("DescribeContainerInstances", #"{"containerInstances": ["\#(id)"]}"#)["containerInstances"]).first)
        #expect(described["status"] as? String == "INACTIVE")
        #expect(h.error("DeregisterContainerInstance", #"{"containerInstance": "\#(id)"}"#)?.kind == .invalidParameterException)
        #expect(h.error("DeregisterContainerInstance", #"{"cluster": "default"}"#)?.kind == .invalidParameterException)
    }

    @Test("UpdateContainerInstancesState moves instances between ACTIVE and DRAINING")
    func updateState() throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster")
        let a = try #require(try h.registerInstance(ec2: "i-a")["containerInstanceArn"] as? String)
        let b = try #require(try h.registerInstance(ec2: "i-b")["containerInstanceArn"] as? String)
        let missing = ECSResourceID.random()

        let drained = try h.call("UpdateContainerInstancesState", """
            {"containerInstances": ["\(a)", "\(missing)"], "status": "DRAINING"}
            """)
        let updated = objects(drained["containerInstances"])
        #expect(updated.map { $0["status"] as? String } == ["DRAINING"])
        #expect(updated.first?["version"] as? Int == 2)
        #expect(objects(drained["failures"]).first?["reason"] as? String == "MISSING")
        #expect(strings(try h.call("ListContainerInstances", #"{"status": "DRAINING"}"#)["containerInstanceArns"]) == [a])
        #expect(strings(try h.call("ListContainerInstances", #"{"status": "ACTIVE"}"#)["containerInstanceArns"]) == [b])
        // DRAINING instances still count as registered.
        let cluster = object(array(try h.call("DescribeClusters")["clusters"]).first)
        #expect(cluster["registeredContainerInstancesCount"] as? Int == 2)

        let back = objects(try h.call("UpdateContainerInstancesState", #"{"containerInstances": ["\#(a)"], "status": "ACTIVE"}"#)["containerInstances"])
        #expect(back.first?["status"] as? String == "ACTIVE" && back.first?["version"] as? Int == 3)

        #expect(h.error("UpdateContainerInstancesState", #"{"containerInstances": ["\#(a)"], "status": "INACTIVE"}"#)?.kind == .invalidParameterException)
        #expect(h.error("UpdateContainerInstancesState", #"{"containerInstances": ["\#(a)"], "status": "REGISTERING"}"#)?.kind == .invalidParameterException)
        #expect(h.error("UpdateContainerInstancesState", #"{"containerInstances": ["\#(a)"]}"#)?.kind == .invalidParameterException)
        let eleven = (0...10).map { _ in "\"\(a)\"" }.joined(separator: ",")
        #expect(h.error("UpdateContainerInstancesState", #"{"containerInstances": [\#(eleven)], "status": "ACTIVE"}"#)?.kind == .invalidParameterException)
        #expect(h.error("ListContainerInstances", #"{"status": "INACTIVE"}"#)?.kind == .invalidParameterException)
    }

    @Test("ListContainerInstances' filter selects with the cluster query language")
    func filterExpressions() throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster")
        let a = try #require(try h.registerInstance(ec2: "i-a")["containerInstanceArn"] as? String)
        let b = try #require(try h.registerInstance(ec2: "i-b")["containerInstanceArn"] as? String)
        _ = try h.call("PutAttributes", #"{"attributes": [{"name": "stack", "value": "prod", "targetId": "\#(a)"}]}"#)
        func listed(_ filter: String) throws -> Set<String> {
            Set(strings(try h.call("ListContainerInstances", #"{"filter": "\#(filter)"}"#)["containerInstanceArns"]))
        }
        #expect(try listed("attribute:stack == prod") == [a])
        #expect(try listed("attribute:stack !exists") == [b])
        #expect(try listed("ec2InstanceId in [i-b, i-c]") == [b])
        #expect(try listed("agentConnected == true and runningTasksCount == 0") == [a, b])
        #expect(try listed("attribute:ecs.os-type == linux and not(attribute:stack == prod)") == [b])
        #expect(try listed("runningTasksCount > 0").isEmpty)
        #expect(h.error("ListContainerInstances", #"{"filter": "bogus =="}"#)?.kind == .invalidParameterException)
        #expect(h.error("ListContainerInstances", #"{"cluster": "nope"}"#)?.kind == .clusterNotFoundException)
    }
}
