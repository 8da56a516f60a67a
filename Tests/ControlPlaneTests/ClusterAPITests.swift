import Foundation
import Testing
@testable import ControlPlane

@Suite("ECS cluster operations")
struct ClusterAPITests {
    @Test("CreateCluster without a name creates `default`, answered as ECS does")
    func createDefault() throws {
        let h = try ECSHarness()
        let data = try h.raw("CreateCluster")
        let text = try #require(String(data: data, encoding: .utf8))
        #expect(!text.contains("null"))
        let created = object(object(try JSONSerialization.jsonObject(with: data))["cluster"])
        #expect(created["status"] as? String == "ACTIVE")
        #expect(array(created["statistics"]).isEmpty && array(created["tags"]).isEmpty)
        #expect(created["capacityProviders"] == nil)
        let c = object(try h.call("DescribeClusters", #"{"include": ["SETTINGS"]}"#)["clusters"].map(array)?.first)
        #expect(c["clusterArn"] as? String == "arn:aws:ecs:us-east-1:123456789012:cluster/default")
        #expect(c["clusterName"] as? String == "default")
        #expect(c["status"] as? String == "ACTIVE")
        for count in ["registeredContainerInstancesCount", "runningTasksCount", "pendingTasksCount", "activeServicesCount"] {
            #expect(c[count] as? Int == 0)
        }
        #expect(objects(c["settings"]).first?["name"] as? String == "containerInsights")
        #expect(objects(c["settings"]).first?["value"] as? String == "disabled")
    }

    @Test("CreateCluster returns settings, tags, capacity providers and configuration it was given")
    func createWithMembers() throws {
        let h = try ECSHarness()
        let c = object(try h.call("CreateCluster", """
            {"clusterName": "prod",
             "tags": [{"key": "team", "value": "edge"}, {"key": "tier"}],
             "settings": [{"name": "containerInsights", "value": "enhanced"}],
             "capacityProviders": ["FARGATE", "FARGATE_SPOT"],
             "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1, "base": 2}],
             "configuration": {"executeCommandConfiguration": {"logging": "DEFAULT"}},
             "serviceConnectDefaults": {"namespace": "prod.local"}}
            """)["cluster"])
        #expect(c["clusterArn"] as? String == h.arn(.cluster(name: "prod")))
        #expect(objects(c["tags"]).map { $0["key"] as? String } == ["team", "tier"])
        #expect(objects(c["tags"]).last?["value"] as? String == "")
        #expect(objects(c["settings"]).first?["value"] as? String == "enhanced")
        #expect(strings(c["capacityProviders"]) == ["FARGATE", "FARGATE_SPOT"])
        let strategy = objects(c["defaultCapacityProviderStrategy"])
        #expect(strategy.first?["weight"] as? Int == 1 && strategy.first?["base"] as? Int == 2)
        #expect(object(object(c["configuration"])["executeCommandConfiguration"])["logging"] as? String == "DEFAULT")
        #expect(object(c["serviceConnectDefaults"])["namespace"] as? String == "prod.local")
        #expect(c["statistics"] as? [Any] != nil)
    }

    @Test("CreateCluster is idempotent on the name: the existing cluster comes back unchanged")
    func idempotentCreate() throws {
        let h = try ECSHarness()
        let first = object(try h.call("CreateCluster", #"{"clusterName": "a", "tags": [{"key": "k", "value": "1"}]}"#)["cluster"])
        let second = object(try h.call("CreateCluster", """
            {"clusterName": "a", "tags": [{"key": "k", "value": "2"}], "settings": [{"name": "containerInsights", "value": "enabled"}]}
            """)["cluster"])
        #expect(first["clusterArn"] as? String == second["clusterArn"] as? String)
        #expect(objects(second["tags"]).first?["value"] as? String == "1")
        #expect(objects(second["settings"]).first?["value"] as? String == "disabled")
        #expect(strings(try h.call("ListClusters")["clusterArns"]) == [h.arn(.cluster(name: "a"))])
    }

    @Test("CreateCluster refuses bad input and creates nothing", arguments: [
        (#"{"clusterName": "has space"}"#, ECSError.Kind.invalidParameterException),
        (#"{"clusterName": ""}"#, .invalidParameterException),
        (#"{"clusterName": 42}"#, .serializationException),
        (#"{"clusterName": "a", "settings": [{"name": "insights", "value": "enabled"}]}"#, .invalidParameterException),
        (#"{"clusterName": "a", "settings": [{"name": "containerInsights", "value": "on"}]}"#, .invalidParameterException),
        (#"{"clusterName": "a", "settings": [{"name": "containerInsights"}]}"#, .invalidParameterException),
        (#"{"clusterName": "a", "tags": [{"key": "aws:owner", "value": "x"}]}"#, .invalidParameterException),
        (#"{"clusterName": "a", "tags": [{"value": "x"}]}"#, .invalidParameterException),
        (#"{"clusterName": "a", "tags": [{"key": "k"}, {"key": "k"}]}"#, .invalidParameterException),
        (#"{"clusterName": "a", "tags": {"key": "k"}}"#, .serializationException),
        (#"{"clusterName": "a", "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE"}]}"#, .invalidParameterException),
        (#"{"clusterName": "a", "capacityProviders": ["X"], "defaultCapacityProviderStrategy": [{"capacityProvider": "X", "weight": 1001}]}"#, .invalidParameterException),
        (#"{"clusterName": "a", "capacityProviders": ["MINE"]}"#, .invalidParameterException),
        (#"{"clusterName": "a", "configuration": {"executeCommandConfiguration": {"logging": "LOUD"}}}"#, .invalidParameterException),
        (#"{"clusterName": "a", "configuration": {"executeCommandConfiguration": {"logging": "OVERRIDE"}}}"#, .invalidParameterException),
        (#"{"clusterName": "a", "serviceConnectDefaults": {}}"#, .invalidParameterException),
        (#"[1, 2]"#, .serializationException),
        (#"{"clusterName": "a""#, .serializationException),
    ])
    func createRefusals(body: String, kind: ECSError.Kind) throws {
        let h = try ECSHarness()
        #expect(h.error("CreateCluster", body)?.kind == kind)
        #expect(strings(try h.call("ListClusters")["clusterArns"]).isEmpty)
    }

    @Test("too many tags is InvalidParameterException")
    func tooManyTags() throws {
        let h = try ECSHarness()
        let tags = (0...50).map { #"{"key": "k\#($0)", "value": "v"}"# }.joined(separator: ",")
        #expect(h.error("CreateCluster", #"{"clusterName": "a", "tags": [\#(tags)]}"#)?.kind == .invalidParameterException)
    }

    @Test("DescribeClusters reports missing clusters as failures and honours include")
    func describe() throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster", #"{"clusterName": "a", "tags": [{"key": "k", "value": "v"}]}"#)
        _ = try h.insertTask(cluster: "a", last: .running, launchType: .ec2)
        _ = try h.insertTask(cluster: "a", last: .pending, launchType: .fargate)
        _ = try h.insertTask(cluster: "a", last: .stopped)
        _ = try h.insertService(cluster: "a", name: "web")
        _ = try h.insertService(cluster: "a", name: "old", status: .draining)

        let plain = try h.call("DescribeClusters", #"{"clusters": ["a", "nope", "arn:aws:ecs:us-east-1:123456789012:cluster/gone"]}"#)
        let a = object(array(plain["clusters"]).first)
        #expect(a["runningTasksCount"] as? Int == 1)
        #expect(a["pendingTasksCount"] as? Int == 1)
        #expect(a["activeServicesCount"] as? Int == 1)
        #expect(array(a["tags"]).isEmpty && array(a["statistics"]).isEmpty)
        #expect(a["settings"] == nil && a["configuration"] == nil && a["attachments"] == nil)
        let failures = objects(plain["failures"])
        #expect(failures.map { $0["arn"] as? String } == [h.arn(.cluster(name: "nope")), h.arn(.cluster(name: "gone"))])
        #expect(failures.allSatisfy { $0["reason"] as? String == "MISSING" })

        let full = object(array(try h.call("DescribeClusters", """
            {"clusters": ["a"], "include": ["SETTINGS", "TAGS", "STATISTICS", "ATTACHMENTS", "CONFIGURATIONS"]}
            """)["clusters"]).first)
        #expect(objects(full["tags"]).first?["key"] as? String == "k")
        #expect(array(full["attachments"]).isEmpty && full["attachments"] != nil)
        let statistics = Dictionary(uniqueKeysWithValues: objects(full["statistics"]).map {
            ($0["name"] as? String ?? "", $0["value"] as? String ?? "")
        })
        #expect(statistics["runningEC2TasksCount"] == "1")
        #expect(statistics["pendingFargateTasksCount"] == "1")
        #expect(statistics["activeEC2ServiceCount"] == "1")
        #expect(statistics["drainingEC2ServiceCount"] == "1")

        #expect(h.error("DescribeClusters", #"{"include": ["EVERYTHING"]}"#)?.kind == .invalidParameterException)
        let many = (0...100).map { "\"c\($0)\"" }.joined(separator: ",")
        #expect(h.error("DescribeClusters", #"{"clusters": [\#(many)]}"#)?.kind == .invalidParameterException)
        // Without `clusters`, the default cluster is described (here: missing).
        #expect(objects(try h.call("DescribeClusters")["failures"]).first?["arn"] as? String == h.arn(.cluster(name: "default")))
    }

    @Test("DeleteCluster refuses while instances, services or tasks remain, in that order")
    func deleteRefusals() throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster")
        let instance = try h.registerInstance()
        var service = try h.insertService(name: "web")
        var task = try h.insertTask(last: .pending)

        var error = h.error("DeleteCluster", #"{"cluster": "default"}"#)
        #expect(error?.kind == .clusterContainsContainerInstancesException)
        #expect(error?.message == "The Cluster cannot be deleted while Container Instances are active or draining.")
        _ = try h.call("DeregisterContainerInstance", """
            {"containerInstance": "\(instance["containerInstanceArn"] as? String ?? "")", "force": true}
            """)

        error = h.error("DeleteCluster", #"{"cluster": "default"}"#)
        #expect(error?.kind == .clusterContainsServicesException)
        service.status = .inactive
        try h.store.write { db in try service.update(db) }

        error = h.error("DeleteCluster", #"{"cluster": "default"}"#)
        #expect(error?.kind == .clusterContainsTasksException)
        task.lastStatus = .stopped
        try h.store.write { db in try task.update(db) }

        let deleted = object(try h.call("DeleteCluster", #"{"cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/default"}"#)["cluster"])
        #expect(deleted["status"] as? String == "INACTIVE")
    }

    @Test("a deleted cluster stays describable as INACTIVE, is not listed, and can be created again")
    func deleteLifecycle() throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster", #"{"clusterName": "tmp", "tags": [{"key": "k", "value": "v"}]}"#)
        let deleted = object(try h.call("DeleteCluster", #"{"cluster": "tmp"}"#)["cluster"])
        #expect(deleted["status"] as? String == "INACTIVE")
        #expect(array(deleted["tags"]).isEmpty)
        let described = object(array(try h.call("DescribeClusters", #"{"clusters": ["tmp"]}"#)["clusters"]).first)
        #expect(described["status"] as? String == "INACTIVE")
        #expect(strings(try h.call("ListClusters")["clusterArns"]).isEmpty)

        let again = h.error("DeleteCluster", #"{"cluster": "tmp"}"#)
        #expect(again == ECSError(.clusterNotFoundException, "The referenced cluster was inactive."))
        #expect(h.error("UpdateClusterSettings", """
            {"cluster": "tmp", "settings": [{"name": "containerInsights", "value": "enabled"}]}
            """)?.kind == .clusterNotFoundException)

        let revived = object(try h.call("CreateCluster", #"{"clusterName": "tmp"}"#)["cluster"])
        #expect(revived["status"] as? String == "ACTIVE")
        #expect(revived["clusterArn"] as? String == h.arn(.cluster(name: "tmp")))
    }

    @Test("DeleteCluster needs an existing cluster and the member")
    func deleteMissing() throws {
        let h = try ECSHarness()
        #expect(h.error("DeleteCluster", #"{"cluster": "nope"}"#) == ECSError(.clusterNotFoundException, "Cluster not found."))
        #expect(h.error("DeleteCluster")?.kind == .invalidParameterException)
    }

    @Test("UpdateClusterSettings and UpdateCluster change only what they name")
    func updates() throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster", #"{"clusterName": "a", "tags": [{"key": "k", "value": "v"}]}"#)
        let settings = object(try h.call("UpdateClusterSettings", """
            {"cluster": "a", "settings": [{"name": "containerInsights", "value": "enabled"}]}
            """)["cluster"])
        #expect(objects(settings["settings"]).first?["value"] as? String == "enabled")
        #expect(objects(settings["tags"]).count == 1)

        let updated = object(try h.call("UpdateCluster", """
            {"cluster": "a", "configuration": {"executeCommandConfiguration": {"logging": "OVERRIDE",
              "logConfiguration": {"cloudWatchLogGroupName": "/ecs/exec", "cloudWatchEncryptionEnabled": true}}},
             "serviceConnectDefaults": {"namespace": "svc.local"}}
            """)["cluster"])
        let exec = object(object(updated["configuration"])["executeCommandConfiguration"])
        #expect(object(exec["logConfiguration"])["cloudWatchEncryptionEnabled"] as? Bool == true)
        #expect(objects(updated["settings"]).first?["value"] as? String == "enabled")
        #expect(object(updated["serviceConnectDefaults"])["namespace"] as? String == "svc.local")

        let described = object(array(try h.call("DescribeClusters", #"{"clusters": ["a"], "include": ["CONFIGURATIONS"]}"#)["clusters"]).first)
        #expect(described["configuration"] != nil)

        #expect(h.error("UpdateClusterSettings", #"{"cluster": "a"}"#)?.kind == .invalidParameterException)
        #expect(h.error("UpdateClusterSettings", #"{"cluster": "a", "settings": []}"#)?.kind == .invalidParameterException)
        #expect(h.error("UpdateCluster", #"{"cluster": "missing"}"#)?.kind == .clusterNotFoundException)
        #expect(h.error("UpdateCluster", #"{"settings": []}"#)?.kind == .invalidParameterException)
    }

    @Test("PutClusterCapacityProviders replaces providers and default strategy, and keeps a provider a service uses")
    func putCapacityProviders() throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster", #"{"clusterName": "a"}"#)
        let set = object(try h.call("PutClusterCapacityProviders", """
            {"cluster": "a", "capacityProviders": ["FARGATE", "FARGATE_SPOT"],
             "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}]}
            """)["cluster"])
        #expect(strings(set["capacityProviders"]) == ["FARGATE", "FARGATE_SPOT"])
        let strategy = objects(set["defaultCapacityProviderStrategy"])
        #expect(strategy.first?["capacityProvider"] as? String == "FARGATE_SPOT" && strategy.first?["base"] as? Int == 0)
        for body in [
            #"{"cluster": "a", "capacityProviders": []}"#,
            #"{"cluster": "a", "defaultCapacityProviderStrategy": []}"#,
            #"{"capacityProviders": [], "defaultCapacityProviderStrategy": []}"#,
            #"{"cluster": "a", "capacityProviders": ["MINE"], "defaultCapacityProviderStrategy": []}"#,
            #"{"cluster": "a", "capacityProviders": [], "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE"}]}"#,
        ] {
            #expect(h.error("PutClusterCapacityProviders", body)?.kind == .invalidParameterException, "\(body)")
        }
        #expect(h.error("PutClusterCapacityProviders", #"{"cluster": "nope", "capacityProviders": [], "defaultCapacityProviderStrategy": []}"#)?
            .kind == .clusterNotFoundException)
        let cleared = object(try h.call("PutClusterCapacityProviders", """
            {"cluster": "a", "capacityProviders": [], "defaultCapacityProviderStrategy": []}
            """)["cluster"])
        #expect(cleared["capacityProviders"] == nil && cleared["defaultCapacityProviderStrategy"] == nil)
        _ = try h.call("PutClusterCapacityProviders", """
            {"cluster": "a", "capacityProviders": ["FARGATE", "FARGATE_SPOT"],
             "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}]}
            """)

        // A service created without a launch type runs on the cluster's default strategy, and
        // keeps the providers it names from being removed.
        _ = try h.call("RegisterTaskDefinition", taskDefinitionBody(
            family: "small", extra: #", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512""#))
        let network = #""networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"]}}"#
        let service = object(try h.call("CreateService", """
            {"cluster": "a", "serviceName": "s", "taskDefinition": "small", "desiredCount": 0, \(network)}
            """)["service"])
        #expect(service["launchType"] == nil)
        #expect(objects(service["capacityProviderStrategy"]).first?["capacityProvider"] as? String == "FARGATE_SPOT")
        #expect(service["healthCheckGracePeriodSeconds"] as? Int == 0)
        let retagged = object(try h.call("UpdateService", #"{"cluster": "a", "service": "s", "propagateTags": "SERVICE"}"#)["service"])
        #expect(objects(retagged["deployments"]).count == 2, "a propagateTags change starts a deployment")
        let recounted = object(try h.call("UpdateService", #"{"cluster": "a", "service": "s", "desiredCount": 0}"#)["service"])
        #expect(objects(recounted["deployments"]).count == 2, "a desired count does not")
        #expect(h.error("UpdateService", #"{"cluster": "a", "service": "s", "platformVersion": "9.9.9"}"#)?.kind == .platformUnknownException)
        #expect(h.error("CreateService", """
            {"cluster": "a", "serviceName": "d", "taskDefinition": "small", "schedulingStrategy": "DAEMON", \(network)}
            """)?.kind == .invalidParameterException, "DAEMON on FARGATE")
        #expect(h.error("CreateService", """
            {"cluster": "a", "serviceName": "x", "taskDefinition": "small", "desiredCount": 0,
             "capacityProviderStrategy": [{"capacityProvider": "OTHER"}], \(network)}
            """)?.kind == .invalidParameterException, "a provider the cluster does not have")
        #expect(h.error("PutClusterCapacityProviders", """
            {"cluster": "a", "capacityProviders": ["FARGATE"], "defaultCapacityProviderStrategy": []}
            """)?.kind == .resourceInUseException)
        _ = try h.call("DeleteService", #"{"cluster": "a", "service": "s"}"#)
        let again = object(try h.call("DeleteService", #"{"cluster": "a", "service": "s"}"#)["service"])
        #expect(again["status"] as? String == "DRAINING", "a repeated DeleteService answers the service as it is")
        #expect(h.error("DeleteService", #"{"cluster": "a", "service": "nope"}"#)?.kind == .serviceNotFoundException)
        #expect(strings(try h.call("ListServices", #"{"cluster": "a"}"#)["serviceArns"]).isEmpty, "a deleted service is not listed")
        #expect(h.error("PutClusterCapacityProviders", """
            {"cluster": "a", "capacityProviders": [], "defaultCapacityProviderStrategy": []}
            """)?.kind == .resourceInUseException, "a DRAINING service still has tasks on its providers")
    }

    @Test("DescribeCapacityProviders answers AWS's Fargate providers, by name or ARN, paged, MISSING for others")
    func describeCapacityProviders() throws {
        let h = try ECSHarness()
        let all = try h.call("DescribeCapacityProviders")
        let providers = objects(all["capacityProviders"])
        #expect(providers.compactMap { $0["name"] as? String } == ["FARGATE", "FARGATE_SPOT"])
        #expect(providers.first?["capacityProviderArn"] as? String == h.arn(.capacityProvider(name: "FARGATE")))
        #expect(providers.allSatisfy { $0["status"] as? String == "ACTIVE" && $0["tags"] == nil })
        let first = try h.call("DescribeCapacityProviders", #"{"maxResults": 1}"#)
        #expect(objects(first["capacityProviders"]).compactMap { $0["name"] as? String } == ["FARGATE"])
        let token = try #require(first["nextToken"] as? String)
        let second = try h.call("DescribeCapacityProviders", #"{"maxResults": 1, "nextToken": "\#(token)"}"#)
        #expect(objects(second["capacityProviders"]).compactMap { $0["name"] as? String } == ["FARGATE_SPOT"])
        #expect(second["nextToken"] == nil)
        let named = try h.call("DescribeCapacityProviders", """
            {"capacityProviders": ["\(h.arn(.capacityProvider(name: "FARGATE_SPOT")))", "mine"], "include": ["TAGS"]}
            """)
        #expect(objects(named["capacityProviders"]).first?["name"] as? String == "FARGATE_SPOT")
        let spotTags = objects(named["capacityProviders"]).first?["tags"] as? [Any]
        #expect(spotTags?.isEmpty == true, "tags (none) with include TAGS")
        #expect(objects(named["failures"]).first?["arn"] as? String == h.arn(.capacityProvider(name: "mine")))
        #expect(objects(named["failures"]).first?["reason"] as? String == "MISSING")
        #expect(h.error("DescribeCapacityProviders", #"{"maxResults": 11}"#)?.kind == .invalidParameterException)
        #expect(h.error("DescribeCapacityProviders", #"{"include": ["EVERYTHING"]}"#)?.kind == .invalidParameterException)
        // No Cloud Map namespaces here: every namespace is one that does not exist.
        #expect(h.error("ListServicesByNamespace", #"{"namespace": "svc.local"}"#)?.kind == .namespaceNotFoundException)
        #expect(h.error("ListServicesByNamespace", "{}")?.kind == .invalidParameterException)
    }

    @Test("unknown operations are refused; the X-Amz-Target prefix is accepted")
    func dispatch() throws {
        let h = try ECSHarness()
        #expect(h.error("LaunchRockets")?.kind == .unknownOperationException)
        let c = object(try h.call("AmazonEC2ContainerServiceV20141113.CreateCluster", #"{"clusterName": "p"}"#)["cluster"])
        #expect(c["clusterName"] as? String == "p")
        #expect(try h.call("ListClusters", "")["clusterArns"] != nil)
    }
}
