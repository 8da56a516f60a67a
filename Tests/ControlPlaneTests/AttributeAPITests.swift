import Foundation
import Testing
@testable import ControlPlane

@Suite("ECS attribute operations")
struct AttributeAPITests {
    /// A harness with the default cluster and one registered instance; returns its ARN and ID.
    private func setUp() throws -> (ECSHarness, arn: String, id: String) {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster")
        let arn = try #require(try h.registerInstance()["containerInstanceArn"] as? String)
        return (h, arn, String(arn.split(separator: "/").last ?? ""))
    }

    @Test("PutAttributes creates and replaces attributes, by ARN or by ID with targetType")
    func put() throws {
        let (h, arn, id) = try setUp()
        let put = try h.call("PutAttributes", """
            {"attributes": [{"name": "stack", "value": "prod", "targetId": "\(arn)"},
                            {"name": "gpu", "targetType": "container-instance", "targetId": "\(id)"}]}
            """)
        #expect(objects(put["attributes"]).map { $0["name"] as? String } == ["stack", "gpu"])
        _ = try h.call("PutAttributes", #"{"attributes": [{"name": "stack", "value": "staging", "targetId": "\#(arn)"}]}"#)
        let ci = object(array(try h.call("DescribeContainerInstances", #"{"containerInstances": ["\#(id)"]}"#)["containerInstances"]).first)
        let attributes = Dictionary(uniqueKeysWithValues: objects(ci["attributes"]).map { ($0["name"] as? String ?? "", $0["value"]) })
        #expect(attributes["stack"] as? String == "staging")
        #expect(attributes.keys.contains("gpu") && attributes["gpu"] as? String == nil)
        #expect(attributes["ecs.os-type"] as? String == "linux")
    }

    @Test("PutAttributes refusals change nothing", arguments: [
        (#"{"attributes": [{"name": "x", "targetId": "SHORT_ID"}]}"#, ECSError.Kind.invalidParameterException),
        (#"{"attributes": [{"name": "x", "targetType": "task", "targetId": "ARN"}]}"#, .invalidParameterException),
        (#"{"attributes": [{"name": "x"}]}"#, .invalidParameterException),
        (#"{"attributes": [{"value": "x", "targetId": "ARN"}]}"#, .invalidParameterException),
        (#"{"attributes": [{"name": "x", "value": "a|b", "targetId": "ARN"}]}"#, .invalidParameterException),
        (#"{"attributes": []}"#, .invalidParameterException),
        (#"{"attributes": [{"name": "x", "targetId": "ARN"}, {"name": "y", "targetId": "arn:aws:ecs:us-east-1:123456789012:container-instance/default/00000000000000000000000000000000"}]}"#,
         .targetNotFoundException),
        (#"{"cluster": "nope", "attributes": [{"name": "x", "targetId": "ARN"}]}"#, .clusterNotFoundException),
    ])
    func putRefusals(template: String, kind: ECSError.Kind) throws {
        let (h, arn, id) = try setUp()
        let body = template.replacingOccurrences(of: "SHORT_ID", with: id).replacingOccurrences(of: "\"ARN\"", with: "\"\(arn)\"")
        #expect(h.error("PutAttributes", body)?.kind == kind)
        let names = objects(try h.call("ListAttributes", #"{"targetType": "container-instance"}"#)["attributes"]).compactMap { $0["name"] as? String }
        #expect(!names.contains("x"))
    }

    @Test("at most 10 custom attributes per instance; the agent's do not count; the failing call changes nothing")
    func limit() throws {
        let (h, arn, _) = try setUp()
        let ten = (1...10).map { #"{"name": "c\#($0)", "value": "v", "targetId": "\#(arn)"}"# }.joined(separator: ",")
        _ = try h.call("PutAttributes", #"{"attributes": [\#(ten)]}"#)
        let error = h.error("PutAttributes", #"{"attributes": [{"name": "c11", "targetId": "\#(arn)"}, {"name": "c1", "value": "changed", "targetId": "\#(arn)"}]}"#)
        #expect(error?.kind == .attributeLimitExceededException)
        let c1 = objects(try h.call("ListAttributes", #"{"targetType": "container-instance", "attributeName": "c1"}"#)["attributes"])
        #expect(c1.first?["value"] as? String == "v")
        // Replacing an existing one is fine at the limit.
        _ = try h.call("PutAttributes", #"{"attributes": [{"name": "c1", "value": "w", "targetId": "\#(arn)"}]}"#)
        let eleven = (1...11).map { #"{"name": "d\#($0)", "targetId": "\#(arn)"}"# }.joined(separator: ",")
        #expect(h.error("PutAttributes", #"{"attributes": [\#(eleven)]}"#)?.kind == .invalidParameterException)
    }

    @Test("ListAttributes filters by name and value and reports full target ARNs")
    func list() throws {
        let (h, arn, _) = try setUp()
        let other = try #require(try h.registerInstance(ec2: "i-other")["containerInstanceArn"] as? String)
        _ = try h.call("PutAttributes", """
            {"attributes": [{"name": "stack", "value": "prod", "targetId": "\(arn)"},
                            {"name": "stack", "value": "dev", "targetId": "\(other)"}]}
            """)
        let all = objects(try h.call("ListAttributes", #"{"targetType": "container-instance", "attributeName": "stack"}"#)["attributes"])
        #expect(Set(all.compactMap { $0["targetId"] as? String }) == [arn, other])
        #expect(all.allSatisfy { $0["targetType"] as? String == "container-instance" })
        let prod = objects(try h.call("ListAttributes", """
            {"targetType": "container-instance", "attributeName": "stack", "attributeValue": "prod"}
            """)["attributes"])
        #expect(prod.map { $0["targetId"] as? String } == [arn])
        #expect(h.error("ListAttributes", #"{"targetType": "container-instance", "attributeValue": "prod"}"#)?.kind == .invalidParameterException)
        #expect(h.error("ListAttributes")?.kind == .invalidParameterException)
        #expect(h.error("ListAttributes", #"{"targetType": "service"}"#)?.kind == .invalidParameterException)
    }

    @Test("DeleteAttributes removes the named attributes")
    func delete() throws {
        let (h, arn, _) = try setUp()
        _ = try h.call("PutAttributes", #"{"attributes": [{"name": "stack", "value": "prod", "targetId": "\#(arn)"}]}"#)
        let deleted = try h.call("DeleteAttributes", #"{"attributes": [{"name": "stack", "targetId": "\#(arn)"}]}"#)
        #expect(objects(deleted["attributes"]).first?["name"] as? String == "stack")
        #expect(objects(try h.call("ListAttributes", #"{"targetType": "container-instance", "attributeName": "stack"}"#)["attributes"]).isEmpty)
        let ghost = h.arn(.containerInstance(cluster: "default", id: ECSResourceID.random()))
        #expect(h.error("DeleteAttributes", #"{"attributes": [{"name": "stack", "targetId": "\#(ghost)"}]}"#)?.kind == .targetNotFoundException)
    }
}
