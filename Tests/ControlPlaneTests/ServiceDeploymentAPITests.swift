import Foundation
import GRDB
import Testing
import WharfTestSupport
@testable import ControlPlane

/// ListServiceDeployments, DescribeServiceDeployments and DescribeServiceRevisions through the
/// API (no controller runs here: rollouts only start, and a newer one stops the one before).
@Suite("Service deployments and revisions")
struct ServiceDeploymentAPITests {
    static let network = #""networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"]}}"#

    /// A cluster `a` with service `s` of family `web` (desired count 0).
    static func harness(store: ECSStore? = nil) throws -> ECSHarness {
        let h = try ECSHarness(store: store)
        _ = try h.call("CreateCluster", #"{"clusterName": "a"}"#)
        _ = try h.call("RegisterTaskDefinition", taskDefinitionBody(family: "web", extra: #", "networkMode": "awsvpc""#))
        _ = try h.call("CreateService", """
            {"cluster": "a", "serviceName": "s", "taskDefinition": "web", "desiredCount": 0, \(network)}
            """)
        return h
    }

    @Test("each rollout is a service deployment, newest first even within one millisecond; a newer one stops the one going on")
    func rolloutsAreListedNewestFirst() throws {
        let h = try Self.harness()
        // The harness's clock stands still: all three start in the same millisecond.
        _ = try h.call("UpdateService", #"{"cluster": "a", "service": "s", "forceNewDeployment": true}"#)
        let service = object(try h.call("UpdateService", #"{"cluster": "a", "service": "s", "forceNewDeployment": true}"#)["service"])
        let deploymentIDs = objects(service["deployments"]).compactMap { $0["id"] as? String }
        #expect(deploymentIDs.count == 3)
        #expect(objects(service["deployments"]).first?["status"] as? String == "PRIMARY")
        let revisionARN = { (id: String) in
            "arn:aws:ecs:us-east-1:123456789012:service-revision/a/s/" + id.dropFirst("ecs-svc/".count)
        }

        let listed = objects(try h.call("ListServiceDeployments", #"{"cluster": "a", "service": "s"}"#)["serviceDeployments"])
        #expect(listed.map { $0["status"] as? String } == ["IN_PROGRESS", "STOPPED", "STOPPED"])
        // The newest targets the PRIMARY's revision; the other two the older deployments'.
        #expect(listed.first?["targetServiceRevisionArn"] as? String == revisionARN(deploymentIDs[0]))
        #expect(Set(listed.compactMap { $0["targetServiceRevisionArn"] as? String }) == Set(deploymentIDs.map(revisionARN)))
        #expect(listed[1]["statusReason"] as? String == "Stopped by a new service deployment.")
        let newest = try #require(listed.first?["serviceDeploymentArn"] as? String)
        #expect(service["currentServiceDeployment"] as? String == newest)
        #expect(objects(service["currentServiceRevisions"]).map { $0["arn"] as? String } == deploymentIDs.map(revisionARN))

        let described = try h.call("DescribeServiceDeployments", #"{"serviceDeploymentArns": ["\#(newest)"]}"#)
        let deployment = object(array(described["serviceDeployments"]).first)
        #expect(object(deployment["targetServiceRevision"])["arn"] as? String == revisionARN(deploymentIDs[0]))
        #expect(Set(objects(deployment["sourceServiceRevisions"]).compactMap { $0["arn"] as? String })
            == Set(deploymentIDs.dropFirst().map(revisionARN)))
        #expect(object(deployment["deploymentCircuitBreaker"])["status"] as? String == "DISABLED")
        #expect(object(deployment["alarms"])["status"] as? String == "DISABLED")
        #expect(deployment["finishedAt"] == nil)

        let stopped = try #require(listed.last?["serviceDeploymentArn"] as? String)
        let oldAnswer = try h.call("DescribeServiceDeployments", #"{"serviceDeploymentArns": ["\#(stopped)"]}"#)
        let old = object(array(oldAnswer["serviceDeployments"]).first)
        #expect(old["stoppedAt"] != nil && old["finishedAt"] != nil)
        #expect(object(old["targetServiceRevision"])["requestedTaskCount"] as? Int == 0)

        let revisions = try h.call("DescribeServiceRevisions", #"{"serviceRevisionArns": ["\#(revisionARN(deploymentIDs[0]))"]}"#)
        let revision = object(array(revisions["serviceRevisions"]).first)
        #expect((revision["taskDefinition"] as? String)?.hasSuffix(":task-definition/web:1") == true)
        #expect(objects(revision["containerImages"]).first?["image"] as? String == "busybox")
        #expect(revision["guardDutyEnabled"] as? Bool == false)

        // Pages of one, in the same order.
        var tokenBody = #"{"cluster": "a", "service": "s", "maxResults": 1}"#
        var paged: [String] = []
        while true {
            let page = try h.call("ListServiceDeployments", tokenBody)
            paged += objects(page["serviceDeployments"]).compactMap { $0["serviceDeploymentArn"] as? String }
            guard let token = page["nextToken"] as? String else { break }
            tokenBody = #"{"cluster": "a", "service": "s", "maxResults": 1, "nextToken": "\#(token)"}"#
        }
        #expect(paged == listed.compactMap { $0["serviceDeploymentArn"] as? String })
        let onlyStopped = try h.call("ListServiceDeployments", #"{"cluster": "a", "service": "s", "status": ["STOPPED"]}"#)
        #expect(objects(onlyStopped["serviceDeployments"]).count == 2)
    }

    @Test("bad requests are refused with ECS's errors; unknown ARNs are MISSING")
    func badRequests() throws {
        let h = try Self.harness()
        #expect(h.error("ListServiceDeployments", #"{"cluster": "a"}"#)?.kind == .invalidParameterException)
        #expect(h.error("ListServiceDeployments", #"{"cluster": "a", "service": "nope"}"#)?.kind == .serviceNotFoundException)
        #expect(h.error("ListServiceDeployments", #"{"cluster": "nope", "service": "s"}"#)?.kind == .clusterNotFoundException)
        #expect(h.error("ListServiceDeployments", #"{"cluster": "a", "service": "s", "status": ["DONE"]}"#)?.kind
            == .invalidParameterException)
        #expect(h.error("ListServiceDeployments", #"{"cluster": "a", "service": "s", "maxResults": 101}"#)?.kind
            == .invalidParameterException)
        #expect(h.error("ListServiceDeployments", #"{"cluster": "a", "service": "s", "nextToken": "garbage"}"#)?.kind
            == .invalidParameterException)
        #expect(h.error("DescribeServiceDeployments", "{}")?.kind == .invalidParameterException)
        let many = (0..<21).map { #""arn:aws:ecs:us-east-1:123456789012:service-deployment/a/s/x\#($0)""# }.joined(separator: ",")
        #expect(h.error("DescribeServiceDeployments", #"{"serviceDeploymentArns": [\#(many)]}"#)?.kind == .invalidParameterException)
        let unknown = [
            "arn:aws:ecs:us-east-1:123456789012:service-deployment/a/s/nope",
            "arn:aws:ecs:us-east-1:123456789012:service-deployment/a/other/nope",
            "arn:aws:ecs:eu-west-1:123456789012:service-deployment/a/s/nope",
            "not-an-arn",
        ]
        let quoted = unknown.map { "\"\($0)\"" }.joined(separator: ",")
        let described = try h.call("DescribeServiceDeployments", #"{"serviceDeploymentArns": [\#(quoted)]}"#)
        #expect(objects(described["failures"]).map { $0["arn"] as? String } == unknown)
        #expect(objects(described["failures"]).allSatisfy { $0["reason"] as? String == "MISSING" })
        // A service deployment's ARN is not a revision's.
        let listed = objects(try h.call("ListServiceDeployments", #"{"cluster": "a", "service": "s"}"#)["serviceDeployments"])
        let deploymentARN = try #require(listed.first?["serviceDeploymentArn"] as? String)
        let crossed = try h.call("DescribeServiceRevisions", #"{"serviceRevisionArns": ["\#(deploymentARN)"]}"#)
        #expect(objects(crossed["failures"]).count == 1)
    }

    @Test("StopServiceDeployment rolls a service deployment back to the revision before it")
    func stopRollsBack() throws {
        let h = try Self.harness()
        _ = try h.call("RegisterTaskDefinition", taskDefinitionBody(family: "web", extra: #", "networkMode": "awsvpc""#))
        let firstListed = objects(try h.call("ListServiceDeployments", #"{"cluster": "a", "service": "s"}"#)["serviceDeployments"])
        let first = try #require(firstListed.first?["serviceDeploymentArn"] as? String)
        // The first deployment of a service has nothing to roll back to.
        #expect(h.error("StopServiceDeployment", #"{"serviceDeploymentArn": "\#(first)"}"#)?.kind == .invalidParameterException)

        _ = try h.call("UpdateService", #"{"cluster": "a", "service": "s", "taskDefinition": "web:2"}"#)
        let listed = objects(try h.call("ListServiceDeployments", #"{"cluster": "a", "service": "s"}"#)["serviceDeployments"])
        let second = try #require(listed.first?["serviceDeploymentArn"] as? String)
        #expect(h.error("StopServiceDeployment", #"{"serviceDeploymentArn": "\#(second)", "stopType": "ABORT"}"#)?.kind
            == .invalidParameterException)
        #expect(h.error("StopServiceDeployment", #"{"serviceDeploymentArn": "\#(second)", "stopType": "LATER"}"#)?.kind
            == .invalidParameterException)
        let stopped = try h.call("StopServiceDeployment", #"{"serviceDeploymentArn": "\#(second)", "stopType": "ROLLBACK"}"#)
        #expect(stopped["serviceDeploymentArn"] as? String == second)

        let rollingAnswer = try h.call("DescribeServiceDeployments", #"{"serviceDeploymentArns": ["\#(second)"]}"#)
        let rolling = object(array(rollingAnswer["serviceDeployments"]).first)
        #expect(rolling["status"] as? String == "ROLLBACK_IN_PROGRESS")
        #expect(object(rolling["deploymentCircuitBreaker"])["status"] as? String == "DISABLED", "not the breaker's doing")
        let back = try #require(object(rolling["rollback"])["serviceRevisionArn"] as? String)
        let revisionAnswer = try h.call("DescribeServiceRevisions", #"{"serviceRevisionArns": ["\#(back)"]}"#)
        let revision = object(array(revisionAnswer["serviceRevisions"]).first)
        #expect((revision["taskDefinition"] as? String)?.hasSuffix(":task-definition/web:1") == true)
        let service = object(array(try h.call("DescribeServices", #"{"cluster": "a", "services": ["s"]}"#)["services"]).first)
        #expect((service["taskDefinition"] as? String)?.hasSuffix(":task-definition/web:1") == true)
        #expect(objects(service["deployments"]).first?["status"] as? String == "PRIMARY")
        #expect(objects(service["events"]).contains { ($0["message"] as? String)?.contains("rolling back") == true })

        // Asked again while it rolls back: nothing more happens.
        #expect(try h.call("StopServiceDeployment", #"{"serviceDeploymentArn": "\#(second)"}"#)["serviceDeploymentArn"] as? String
            == second)
        let again = object(array(try h.call("DescribeServices", #"{"cluster": "a", "services": ["s"]}"#)["services"]).first)
        #expect(objects(again["deployments"]).count == objects(service["deployments"]).count)
        // One that has ended cannot be stopped; one that does not exist is not found.
        #expect(h.error("StopServiceDeployment", #"{"serviceDeploymentArn": "\#(first)"}"#)?.kind == .conflictException)
        #expect(h.error("StopServiceDeployment", #"{"serviceDeploymentArn": "\#(second.dropLast(3))zzz"}"#)?.kind
            == .serviceDeploymentNotFoundException)
        #expect(h.error("StopServiceDeployment", "{}")?.kind == .invalidParameterException)
    }

    @Test("a database from before service deployments gets a revision for each deployment it has, and its rollout a service deployment")
    func upgradeBackfillsRevisions() throws {
        let dir = try TemporaryDirectory(prefix: "wharf-store-test")
        defer { dir.remove() }
        let path = dir.path + "/ecs.sqlite"
        var current: [String] = []
        do {
            let h = try Self.harness(store: ECSStore(path: path))
            let service = object(try h.call("UpdateService", #"{"cluster": "a", "service": "s", "forceNewDeployment": true}"#)["service"])
            current = objects(service["currentServiceRevisions"]).compactMap { $0["arn"] as? String }
            // Back to the schema before migration v6.
            try h.store.write { db in
                try db.execute(sql: """
                    DROP TABLE serviceDeployment; DROP TABLE serviceRevision;
                    DELETE FROM grdb_migrations WHERE identifier IN ('v6-service-deployments', 'v7-service-deployments-in-progress')
                    """)
            }
        }
        let h = try ECSHarness(store: ECSStore(path: path))
        #expect(current.count == 2)
        let quoted = current.map { "\"\($0)\"" }.joined(separator: ",")
        let revisions = try h.call("DescribeServiceRevisions", #"{"serviceRevisionArns": [\#(quoted)]}"#)
        #expect(objects(revisions["failures"]).isEmpty)
        let described = objects(revisions["serviceRevisions"])
        #expect(described.map { $0["serviceRevisionArn"] as? String } == current)
        #expect(described.allSatisfy { ($0["taskDefinition"] as? String)?.hasSuffix(":task-definition/web:1") == true })
        #expect(described.allSatisfy {
            strings(object(object($0["networkConfiguration"])["awsvpcConfiguration"])["subnets"]) == ["subnet-1"]
        })
        // The rollout going on (no controller ran here) has its service deployment.
        let listed = objects(try h.call("ListServiceDeployments", #"{"cluster": "a", "service": "s"}"#)["serviceDeployments"])
        #expect(listed.count == 1)
        let arn = try #require(listed.first?["serviceDeploymentArn"] as? String)
        let deployment = object(array(try h.call("DescribeServiceDeployments", #"{"serviceDeploymentArns": ["\#(arn)"]}"#)["serviceDeployments"]).first)
        #expect(deployment["status"] as? String == "IN_PROGRESS")
        #expect(object(deployment["targetServiceRevision"])["arn"] as? String == current.first)
        #expect(objects(deployment["sourceServiceRevisions"]).map { $0["arn"] as? String } == Array(current.dropFirst()))
        #expect(object(deployment["deploymentConfiguration"])["maximumPercent"] as? Int == 200)
        // It then ends as any other: a new deployment stops it.
        _ = try h.call("UpdateService", #"{"cluster": "a", "service": "s", "forceNewDeployment": true}"#)
        let after = objects(try h.call("ListServiceDeployments", #"{"cluster": "a", "service": "s"}"#)["serviceDeployments"])
        #expect(after.map { $0["status"] as? String } == ["IN_PROGRESS", "STOPPED"])
    }
}
