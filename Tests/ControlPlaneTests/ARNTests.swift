import Testing
@testable import ControlPlane

@Suite("ECS ARNs")
struct ARNTests {
    @Test("every resource format round-trips", arguments: [
        "arn:aws:ecs:us-east-1:123456789012:cluster/default",
        "arn:aws:ecs:us-east-1:123456789012:task-definition/web-app:12",
        "arn:aws:ecs:us-east-1:123456789012:task/default/0123456789abcdef0123456789abcdef",
        "arn:aws:ecs:us-east-1:123456789012:service/prod/web",
        "arn:aws:ecs:eu-west-3:210987654321:container-instance/prod/0123456789abcdef0123456789abcdef",
        "arn:aws:ecs:us-east-1:123456789012:capacity-provider/FARGATE",
        "arn:aws:ecs:us-east-1:123456789012:task-set/prod/web/ecs-svc-1234",
        "arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/ejGvqq2ilnbKT9qj0vLJe",
        "arn:aws:ecs:us-east-1:123456789012:service-revision/prod/web/1485800978477494678",
        "arn:aws:ecs:us-east-1:123456789012:task/0123456789abcdef0123456789abcdef",
        "arn:aws:ecs:us-east-1:123456789012:service/web",
        "arn:aws-cn:ecs:cn-north-1:123456789012:cluster/x",
    ])
    func roundTrip(text: String) throws {
        let arn = try #require(ECSARN(parsing: text))
        #expect(arn.description == text)
    }

    @Test("parts are read into the right members")
    func parts() throws {
        let td = try #require(ECSARN(parsing: "arn:aws:ecs:us-west-2:123456789012:task-definition/web_app-1:7"))
        #expect(td.region == "us-west-2")
        #expect(td.accountID == "123456789012")
        #expect(td.resource == .taskDefinition(family: "web_app-1", revision: 7))
        let task = try #require(ECSARN(parsing: "arn:aws:ecs:us-west-2:123456789012:task/prod/abc"))
        #expect(task.resource == .task(cluster: "prod", id: "abc"))
        let oldTask = try #require(ECSARN(parsing: "arn:aws:ecs:us-west-2:123456789012:task/abc"))
        #expect(oldTask.resource == .task(cluster: nil, id: "abc"))
        let family = try #require(ECSARN(parsing: "arn:aws:ecs:us-west-2:123456789012:task-definition/web"))
        #expect(family.resource == .taskDefinition(family: "web", revision: nil))
        let deployment = try #require(ECSARN(parsing: "arn:aws:ecs:us-west-2:123456789012:service-deployment/prod/web/abc"))
        #expect(deployment.resource == .serviceDeployment(cluster: "prod", service: "web", id: "abc"))
        let revision = try #require(ECSARN(parsing: "arn:aws:ecs:us-west-2:123456789012:service-revision/prod/web/123"))
        #expect(revision.resource == .serviceRevision(cluster: "prod", service: "web", id: "123"))
        #expect(ECSARN(parsing: "arn:aws:ecs:us-west-2:123456789012:service-revision/web/123") == nil)
    }

    @Test("malformed ARNs are refused", arguments: [
        "", "cluster/default", "arn:aws:ecs:us-east-1:123456789012", "arn:aws:ec2:us-east-1:123456789012:cluster/x",
        "arn:aws:ecs::123456789012:cluster/x", "arn:aws:ecs:us-east-1::cluster/x", "arn:aws:ecs:us-east-1:123456789012:cluster/",
        "arn:aws:ecs:us-east-1:123456789012:cluster/a/b", "arn:aws:ecs:us-east-1:123456789012:widget/x",
        "arn:aws:ecs:us-east-1:123456789012:task-definition/web:x", "arn:aws:ecs:us-east-1:123456789012:task-definition/web:0",
        "arn:aws:ecs:us-east-1:123456789012:task-definition/:3", "arn:aws:ecs:us-east-1:123456789012:task/a/b/c",
        "arn:aws:ecs:us-east-1:123456789012:cluster/a:b", "arn:aws:ecs:us-east-1:123456789012:clusterx",
    ])
    func malformed(text: String) {
        #expect(ECSARN(parsing: text) == nil)
    }

    @Test("ARNs are built with the context's region and account")
    func contextBuilds() {
        let context = ECSRequestContext(region: "ap-south-1", accountID: "000000000042")
        #expect(context.arn(.containerInstance(cluster: "c", id: "i")).description
                == "arn:aws:ecs:ap-south-1:000000000042:container-instance/c/i")
        #expect(context.owns(context.arn(.cluster(name: "x"))))
        #expect(!context.owns(ECSARN(region: "us-east-1", accountID: "000000000042", resource: .cluster(name: "x"))))
    }

    @Test("generated IDs are 32 hex digits and differ")
    func resourceIDs() {
        let a = ECSResourceID.random(), b = ECSResourceID.random()
        #expect(a.count == 32 && b.count == 32 && a != b)
        #expect(ECSResourceID.isWellFormed(a))
        #expect(ECSResourceID.isWellFormed("a1b2c3d4-5678-90ab-cdef-11111e0a0b0c"))
        #expect(!ECSResourceID.isWellFormed("xyz"))
    }

    @Test("short names and ARNs are both accepted where ECS accepts either")
    func shortNamesAndARNs() throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster", #"{"clusterName": "prod"}"#)
        let byName = try h.call("DescribeClusters", #"{"clusters": ["prod"]}"#)
        let byARN = try h.call("DescribeClusters", #"{"clusters": ["arn:aws:ecs:us-east-1:123456789012:cluster/prod"]}"#)
        #expect(objects(byName["clusters"]).first?["clusterArn"] as? String == h.arn(.cluster(name: "prod")))
        #expect(objects(byARN["clusters"]).first?["clusterName"] as? String == "prod")
        // Another account's ARN names nothing here.
        let foreign = try h.call("DescribeClusters", #"{"clusters": ["arn:aws:ecs:us-east-1:999999999999:cluster/prod"]}"#)
        #expect(objects(foreign["clusters"]).isEmpty)
        #expect(objects(foreign["failures"]).first?["reason"] as? String == "MISSING")
    }
}
