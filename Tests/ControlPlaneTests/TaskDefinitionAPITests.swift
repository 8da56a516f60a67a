import Foundation
import Testing
@testable import ControlPlane

@Suite("ECS task definition operations")
struct TaskDefinitionAPITests {
    @Test("RegisterTaskDefinition answers the registered form ECS returns")
    func registeredForm() throws {
        let h = try ECSHarness()
        let data = try h.raw("RegisterTaskDefinition", """
            {"family": "sleep360", "containerDefinitions": [
              {"name": "sleep", "image": "busybox", "memory": 10, "command": ["sleep", "360"]}]}
            """)
        #expect(!(String(data: data, encoding: .utf8) ?? "").contains("null"))
        let response = object(try JSONSerialization.jsonObject(with: data))
        #expect(response["tags"] == nil)
        let td = object(response["taskDefinition"])
        #expect(td["taskDefinitionArn"] as? String == "arn:aws:ecs:us-east-1:123456789012:task-definition/sleep360:1")
        #expect(td["family"] as? String == "sleep360")
        #expect(td["revision"] as? Int == 1)
        #expect(td["status"] as? String == "ACTIVE")
        #expect(strings(td["compatibilities"]) == ["EXTERNAL", "EC2"])
        #expect(array(td["volumes"]).isEmpty && td["volumes"] != nil)
        #expect(array(td["placementConstraints"]).isEmpty && td["placementConstraints"] != nil)
        #expect(td["registeredAt"] as? Double == 1_700_000_000.123)
        #expect(td["registeredBy"] as? String == ECSHarness.caller)
        #expect(td["deregisteredAt"] == nil && td["networkMode"] == nil)
        let c = object(array(td["containerDefinitions"]).first)
        #expect(c["cpu"] as? Int == 0)
        #expect(c["essential"] as? Bool == true)
        for member in ["portMappings", "environment", "mountPoints", "volumesFrom"] {
            #expect(c[member] != nil && array(c[member]).isEmpty, "\(member)")
        }
    }

    @Test("task cpu and memory are stored in integer form; awsvpc port mappings get their host port")
    func normalization() throws {
        let h = try ECSHarness()
        let td = object(try h.call("RegisterTaskDefinition", """
            {"family": "web", "networkMode": "awsvpc", "cpu": "0.5 vCPU", "memory": "1 GB",
             "containerDefinitions": [{"name": "web", "image": "nginx", "essential": true,
               "portMappings": [{"containerPort": 80}], "healthCheck": {"command": ["CMD", "true"]}}]}
            """)["taskDefinition"])
        #expect(td["cpu"] as? String == "512")
        #expect(td["memory"] as? String == "1024")
        let mapping = object(array(object(array(td["containerDefinitions"]).first)["portMappings"]).first)
        #expect(mapping["hostPort"] as? Int == 80 && mapping["protocol"] as? String == "tcp")
        let required = objects(td["requiresAttributes"]).compactMap { $0["name"] as? String }
        #expect(required.contains("ecs.capability.task-eni"))
        #expect(required.contains("ecs.capability.container-health-check"))
        // awsvpc with a Fargate size: EC2 and FARGATE, not EXTERNAL.
        #expect(strings(td["compatibilities"]) == ["EC2", "FARGATE"])
    }

    @Test("a health check gets ECS's defaults (interval 30, timeout 5, retries 3; no startPeriod)")
    func healthCheckDefaults() throws {
        let h = try ECSHarness()
        let td = object(try h.call("RegisterTaskDefinition", """
            {"family": "checked", "containerDefinitions": [
              {"name": "web", "image": "busybox", "memory": 16, "healthCheck": {"command": ["CMD", "true"]}},
              {"name": "tuned", "image": "busybox", "memory": 16,
               "healthCheck": {"command": ["CMD", "true"], "interval": 5, "timeout": 2, "retries": 1, "startPeriod": 10}}]}
            """)["taskDefinition"])
        let checks = objects(td["containerDefinitions"]).map { object($0["healthCheck"]) }
        #expect(checks[0]["interval"] as? Int == 30 && checks[0]["timeout"] as? Int == 5 && checks[0]["retries"] as? Int == 3)
        #expect(checks[0]["startPeriod"] == nil)
        #expect(checks[1]["interval"] as? Int == 5 && checks[1]["timeout"] as? Int == 2 && checks[1]["retries"] as? Int == 1)
        #expect(checks[1]["startPeriod"] as? Int == 10)
        let described = object(try h.call("DescribeTaskDefinition", #"{"taskDefinition": "checked"}"#)["taskDefinition"])
        #expect(object(objects(described["containerDefinitions"]).first?["healthCheck"])["interval"] as? Int == 30)
    }

    @Test("FARGATE requires a valid task size from Fargate's table")
    func fargateSizes() throws {
        let h = try ECSHarness()
        func body(cpu: String, memory: String?) -> String {
            let mem = memory.map { #", "memory": "\#($0)""# } ?? ""
            return """
            {"family": "f", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "\(cpu)"\(mem),
             "containerDefinitions": [{"name": "m", "image": "busybox"}]}
            """
        }
        let ok = object(try h.call("RegisterTaskDefinition", body(cpu: "256", memory: "512"))["taskDefinition"])
        #expect(strings(ok["requiresCompatibilities"]) == ["FARGATE"])
        #expect(strings(ok["compatibilities"]).contains("FARGATE"))
        _ = try h.call("RegisterTaskDefinition", body(cpu: "1 vCPU", memory: "8 GB"))
        let badPair = h.error("RegisterTaskDefinition", body(cpu: "256", memory: "4096"))
        #expect(badPair?.kind == .clientException)
        #expect(badPair?.message.hasPrefix("No Fargate configuration exists for given values") == true)
        #expect(h.error("RegisterTaskDefinition", body(cpu: "300", memory: "1024"))?.kind == .clientException)
        #expect(h.error("RegisterTaskDefinition", body(cpu: "256", memory: nil))
                == ECSError(.clientException, "Fargate requires that 'memory' be defined at the task level."))
        // Only the two valid registrations exist.
        #expect(strings(try h.call("ListTaskDefinitions")["taskDefinitionArns"]).count == 2)
    }

    @Test("invalid definitions are refused with ECS's exception and wording, and nothing is stored", arguments: [
        (#"{"containerDefinitions": [{"name": "m", "image": "busybox", "memory": 64}]}"#,
         ECSError(.clientException, "Family should not be null or empty.")),
        (#"{"family": "a b", "containerDefinitions": [{"name": "m", "image": "busybox", "memory": 64}]}"#,
         ECSError(.clientException, "Family contains invalid characters.")),
        (#"{"family": "x"}"#, ECSError(.clientException, "Container list cannot be empty.")),
        (#"{"family": "x", "containerDefinitions": [{"name": "m", "memory": 64}]}"#,
         ECSError(.clientException, "Container.image should not be null or empty.")),
        (#"{"family": "x", "containerDefinitions": [{"name": "m", "image": "busybox", "memory": 64, "environment": [{"name": "PAD", "value": "\#(String(repeating: "p", count: 65_500))"}]}]}"#,
         ECSError(.clientException, "Actual length: '65637'. Max allowed length is '65536' bytes.")),
    ])
    func validationRefusals(body: String, expected: ECSError) throws {
        let h = try ECSHarness()
        #expect(h.error("RegisterTaskDefinition", body) == expected)
        #expect(strings(try h.call("ListTaskDefinitionFamilies")["families"]).isEmpty)
    }

    @Test("port mappings: none with networkMode none, a container port for one protocol only; ephemeral storage 21 to 200 GiB; Fargate's execution role for awslogs and ECR")
    func portAndStorageRules() throws {
        let h = try ECSHarness()
        func container(_ ports: String) -> String {
            #"[{"name": "m", "image": "busybox", "memory": 64, "portMappings": \#(ports)}]"#
        }
        let refused = [
            #"{"family": "x", "networkMode": "none", "containerDefinitions": \#(container(#"[{"containerPort": 80}]"#))}"#,
            #"{"family": "x", "containerDefinitions": \#(container(#"[{"containerPort": 53, "protocol": "tcp"}, {"containerPort": 53, "protocol": "udp"}]"#))}"#,
            #"{"family": "x", "ephemeralStorage": {"sizeInGiB": 20}, "containerDefinitions": \#(container("[]"))}"#,
            #"{"family": "x", "ephemeralStorage": {"sizeInGiB": 201}, "containerDefinitions": \#(container("[]"))}"#,
        ]
        for body in refused {
            #expect(h.error("RegisterTaskDefinition", body)?.kind == .clientException, "\(body)")
        }
        let fargate = #""requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "256", "memory": "512""#
        let awslogs = #"[{"name": "m", "image": "busybox", "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "g"}}}]"#
        #expect(h.error("RegisterTaskDefinition", #"{"family": "f", \#(fargate), "containerDefinitions": \#(awslogs)}"#)
            == ECSError(.clientException, "Fargate requires task definition to have execution role ARN to support log driver awslogs."))
        let ecr = #"[{"name": "m", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1"}]"#
        #expect(h.error("RegisterTaskDefinition", #"{"family": "f", \#(fargate), "containerDefinitions": \#(ecr)}"#)
            == ECSError(.clientException, "Fargate requires task definition to have execution role ARN to support ECR images."))
        let role = #""executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole""#
        _ = try h.call("RegisterTaskDefinition", #"{"family": "f", \#(fargate), \#(role), "containerDefinitions": \#(ecr)}"#)
        _ = try h.call("RegisterTaskDefinition", #"{"family": "bridged", "containerDefinitions": \#(container(#"[{"containerPort": 80, "hostPort": 8080}, {"containerPort": 80, "hostPort": 8081}]"#))}"#)
        _ = try h.call("RegisterTaskDefinition", #"{"family": "x", "ephemeralStorage": {"sizeInGiB": 21}, "containerDefinitions": \#(container(#"[{"containerPort": 53, "protocol": "udp"}, {"containerPort": 80}]"#))}"#)
        #expect(strings(try h.call("ListTaskDefinitions")["taskDefinitionArns"]).count == 3)
    }

    @Test("members of the wrong JSON type are SerializationException")
    func serialization() throws {
        let h = try ECSHarness()
        #expect(h.error("RegisterTaskDefinition", #"{"family": "x", "containerDefinitions": {"name": "m"}}"#)?.kind == .serializationException)
        #expect(h.error("RegisterTaskDefinition", #"{"family": 7}"#)?.kind == .serializationException)
        #expect(h.error("DescribeTaskDefinition", #"{"taskDefinition": ["x"]}"#)?.kind == .serializationException)
    }

    @Test("revisions count up per family; tags are stored with the revision")
    func revisionsAndTags() throws {
        let h = try ECSHarness()
        for expected in 1...3 {
            let td = object(try h.call("RegisterTaskDefinition", taskDefinitionBody(family: "web"))["taskDefinition"])
            #expect(td["revision"] as? Int == expected)
        }
        let other = try h.call("RegisterTaskDefinition", taskDefinitionBody(family: "db", extra: #", "tags": [{"key": "team", "value": "data"}]"#))
        #expect(object(other["taskDefinition"])["revision"] as? Int == 1)
        #expect(objects(other["tags"]).first?["key"] as? String == "team")
        #expect(object(other["taskDefinition"])["tags"] == nil)

        let described = try h.call("DescribeTaskDefinition", #"{"taskDefinition": "db:1", "include": ["TAGS"]}"#)
        #expect(objects(described["tags"]).first?["value"] as? String == "data")
        #expect(try h.call("DescribeTaskDefinition", #"{"taskDefinition": "db:1"}"#)["tags"] == nil)
        let listed = try h.call("ListTagsForResource", #"{"resourceArn": "\#(h.arn(.taskDefinition(family: "db", revision: 1)))"}"#)
        #expect(objects(listed["tags"]).count == 1)
        #expect(h.error("RegisterTaskDefinition", taskDefinitionBody(family: "db", extra: #", "tags": [{"key": "aws:x"}]"#))?.kind
                == .invalidParameterException)
    }

    @Test("DescribeTaskDefinition by family, family:revision and ARN")
    func describe() throws {
        let h = try ECSHarness()
        _ = try h.call("RegisterTaskDefinition", taskDefinitionBody(family: "web"))
        _ = try h.call("RegisterTaskDefinition", taskDefinitionBody(family: "web"))
        _ = try h.call("DeregisterTaskDefinition", #"{"taskDefinition": "web:2"}"#)

        let latest = object(try h.call("DescribeTaskDefinition", #"{"taskDefinition": "web"}"#)["taskDefinition"])
        #expect(latest["revision"] as? Int == 1)
        let inactive = object(try h.call("DescribeTaskDefinition", #"{"taskDefinition": "web:2"}"#)["taskDefinition"])
        #expect(inactive["status"] as? String == "INACTIVE")
        let byARN = object(try h.call("DescribeTaskDefinition", """
            {"taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2"}
            """)["taskDefinition"])
        #expect(byARN["revision"] as? Int == 2)

        let missing = ECSError(.clientException, "Unable to describe task definition.")
        #expect(h.error("DescribeTaskDefinition", #"{"taskDefinition": "web:9"}"#) == missing)
        #expect(h.error("DescribeTaskDefinition", #"{"taskDefinition": "nope"}"#) == missing)
        #expect(h.error("DescribeTaskDefinition", """
            {"taskDefinition": "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:1"}
            """) == missing)
        #expect(h.error("DescribeTaskDefinition", #"{"taskDefinition": "web:abc"}"#)?.kind == .clientException)
        #expect(h.error("DescribeTaskDefinition", #"{"taskDefinition": "web:1", "include": ["ALL"]}"#)?.kind == .invalidParameterException)
        #expect(h.error("DescribeTaskDefinition")?.kind == .clientException)

        _ = try h.call("DeregisterTaskDefinition", #"{"taskDefinition": "web:1"}"#)
        #expect(h.error("DescribeTaskDefinition", #"{"taskDefinition": "web"}"#) == missing)
    }

    @Test("DeregisterTaskDefinition needs a revision and makes it INACTIVE")
    func deregister() throws {
        var h = try ECSHarness()
        _ = try h.call("RegisterTaskDefinition", taskDefinitionBody(family: "web"))
        #expect(h.error("DeregisterTaskDefinition", #"{"taskDefinition": "web"}"#)?.kind == .clientException)
        #expect(h.error("DeregisterTaskDefinition", #"{"taskDefinition": "web:7"}"#)?.kind == .clientException)

        h.context.now = ECSHarness.epoch.addingTimeInterval(60)
        let td = object(try h.call("DeregisterTaskDefinition", #"{"taskDefinition": "web:1"}"#)["taskDefinition"])
        #expect(td["status"] as? String == "INACTIVE")
        #expect(td["deregisteredAt"] as? Double == 1_700_000_060.123)
        h.context.now = ECSHarness.epoch.addingTimeInterval(120)
        let again = object(try h.call("DeregisterTaskDefinition", #"{"taskDefinition": "web:1"}"#)["taskDefinition"])
        #expect(again["deregisteredAt"] as? Double == 1_700_000_060.123)
    }

    @Test("DeleteTaskDefinitions deletes only INACTIVE revisions and reports the rest as failures")
    func delete() throws {
        let h = try ECSHarness()
        for _ in 1...3 { _ = try h.call("RegisterTaskDefinition", taskDefinitionBody(family: "web")) }
        _ = try h.call("DeregisterTaskDefinition", #"{"taskDefinition": "web:1"}"#)

        let response = try h.call("DeleteTaskDefinitions", #"{"taskDefinitions": ["web:1", "web:2", "web:9"]}"#)
        let deleted = objects(response["taskDefinitions"])
        #expect(deleted.map { $0["revision"] as? Int } == [1])
        #expect(deleted.first?["status"] as? String == "DELETE_IN_PROGRESS")
        #expect(deleted.first?["deleteRequestedAt"] as? Double == 1_700_000_000.123)
        let failures = objects(response["failures"])
        #expect(failures.map { $0["arn"] as? String } == [
            h.arn(.taskDefinition(family: "web", revision: 2)), h.arn(.taskDefinition(family: "web", revision: 9)),
        ])
        #expect(failures.last?["reason"] as? String == "MISSING")

        // Already DELETE_IN_PROGRESS: returned again. Still describable by revision.
        #expect(objects(try h.call("DeleteTaskDefinitions", #"{"taskDefinitions": ["web:1"]}"#)["taskDefinitions"]).count == 1)
        let described = object(try h.call("DescribeTaskDefinition", #"{"taskDefinition": "web:1"}"#)["taskDefinition"])
        #expect(described["status"] as? String == "DELETE_IN_PROGRESS")
        #expect(h.error("DeregisterTaskDefinition", #"{"taskDefinition": "web:1"}"#)?.kind == .clientException)

        // A malformed reference refuses the whole request: web:3 stays as it was.
        _ = try h.call("DeregisterTaskDefinition", #"{"taskDefinition": "web:3"}"#)
        #expect(h.error("DeleteTaskDefinitions", #"{"taskDefinitions": ["web:3", "web"]}"#)?.kind == .clientException)
        let web3 = object(try h.call("DescribeTaskDefinition", #"{"taskDefinition": "web:3"}"#)["taskDefinition"])
        #expect(web3["status"] as? String == "INACTIVE")

        let eleven = (1...11).map { "\"web:\($0)\"" }.joined(separator: ",")
        #expect(h.error("DeleteTaskDefinitions", #"{"taskDefinitions": [\#(eleven)]}"#)?.kind == .invalidParameterException)
        #expect(h.error("DeleteTaskDefinitions", #"{"taskDefinitions": []}"#)?.kind == .invalidParameterException)
    }

    @Test("ListTaskDefinitions filters by status and family and sorts both ways")
    func list() throws {
        let h = try ECSHarness()
        for family in ["web", "api", "web", "web-canary"] {
            _ = try h.call("RegisterTaskDefinition", taskDefinitionBody(family: family))
        }
        _ = try h.call("DeregisterTaskDefinition", #"{"taskDefinition": "web:1"}"#)
        func td(_ family: String, _ revision: Int) -> String { h.arn(.taskDefinition(family: family, revision: revision)) }

        #expect(strings(try h.call("ListTaskDefinitions")["taskDefinitionArns"]) == [td("api", 1), td("web", 2), td("web-canary", 1)])
        #expect(strings(try h.call("ListTaskDefinitions", #"{"sort": "DESC"}"#)["taskDefinitionArns"])
                == [td("web-canary", 1), td("web", 2), td("api", 1)])
        #expect(strings(try h.call("ListTaskDefinitions", #"{"familyPrefix": "web"}"#)["taskDefinitionArns"]) == [td("web", 2)])
        #expect(strings(try h.call("ListTaskDefinitions", #"{"status": "INACTIVE"}"#)["taskDefinitionArns"]) == [td("web", 1)])
        #expect(h.error("ListTaskDefinitions", #"{"status": "GONE"}"#)?.kind == .invalidParameterException)
        #expect(h.error("ListTaskDefinitions", #"{"sort": "UP"}"#)?.kind == .invalidParameterException)
    }

    @Test("ListTaskDefinitionFamilies filters by prefix and by whether a family has an ACTIVE revision")
    func families() throws {
        let h = try ECSHarness()
        for family in ["web", "web-canary", "api"] {
            _ = try h.call("RegisterTaskDefinition", taskDefinitionBody(family: family))
        }
        _ = try h.call("DeregisterTaskDefinition", #"{"taskDefinition": "api:1"}"#)
        #expect(strings(try h.call("ListTaskDefinitionFamilies")["families"]) == ["api", "web", "web-canary"])
        #expect(strings(try h.call("ListTaskDefinitionFamilies", #"{"status": "ACTIVE"}"#)["families"]) == ["web", "web-canary"])
        #expect(strings(try h.call("ListTaskDefinitionFamilies", #"{"status": "INACTIVE"}"#)["families"]) == ["api"])
        #expect(strings(try h.call("ListTaskDefinitionFamilies", #"{"familyPrefix": "web"}"#)["families"]) == ["web", "web-canary"])
        #expect(strings(try h.call("ListTaskDefinitionFamilies", #"{"familyPrefix": "web-", "status": "ALL"}"#)["families"]) == ["web-canary"])
        #expect(h.error("ListTaskDefinitionFamilies", #"{"status": "DELETE_IN_PROGRESS"}"#)?.kind == .invalidParameterException)
    }
}
