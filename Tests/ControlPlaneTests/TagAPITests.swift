import Foundation
import Testing
@testable import ControlPlane

@Suite("ECS tagging operations")
struct TagAPITests {
    @Test("TagResource merges, UntagResource removes, ListTagsForResource keeps insertion order")
    func clusterTags() throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster", #"{"clusterName": "a", "tags": [{"key": "team", "value": "edge"}]}"#)
        let arn = h.arn(.cluster(name: "a"))
        let empty = try h.raw("TagResource", #"{"resourceArn": "\#(arn)", "tags": [{"key": "tier", "value": "1"}, {"key": "team", "value": "core"}]}"#)
        #expect(String(data: empty, encoding: .utf8) == "{}")
        var tags = objects(try h.call("ListTagsForResource", #"{"resourceArn": "\#(arn)"}"#)["tags"])
        #expect(tags.map { "\($0["key"] ?? "")=\($0["value"] ?? "")" } == ["team=core", "tier=1"])
        _ = try h.call("UntagResource", #"{"resourceArn": "\#(arn)", "tagKeys": ["team", "absent"]}"#)
        tags = objects(try h.call("ListTagsForResource", #"{"resourceArn": "\#(arn)"}"#)["tags"])
        #expect(tags.map { $0["key"] as? String } == ["tier"])
    }

    @Test("container instances, task definitions, tasks and services can be tagged")
    func otherResources() throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster")
        let instance = try #require(try h.registerInstance()["containerInstanceArn"] as? String)
        _ = try h.call("RegisterTaskDefinition", taskDefinitionBody(family: "web"))
        let task = try h.insertTask().arn
        let service = try h.insertService(name: "web").arn
        for arn in [instance, h.arn(.taskDefinition(family: "web", revision: 1)), task, service] {
            _ = try h.call("TagResource", #"{"resourceArn": "\#(arn)", "tags": [{"key": "owner", "value": "me"}]}"#)
            let tags = objects(try h.call("ListTagsForResource", #"{"resourceArn": "\#(arn)"}"#)["tags"])
            #expect(tags.first?["value"] as? String == "me", "\(arn)")
        }
        let instanceTags = object(array(try h.call("DescribeContainerInstances", """
            {"containerInstances": ["\(instance)"], "include": ["TAGS"]}
            """)["containerInstances"]).first)
        #expect(objects(instanceTags["tags"]).count == 1)
    }

    @Test("tagging refusals", arguments: [
        (#"{"resourceArn": "not-an-arn", "tags": [{"key": "k"}]}"#, ECSError.Kind.invalidParameterException),
        (#"{"resourceArn": "arn:aws:ecs:us-east-1:123456789012:cluster/nope", "tags": [{"key": "k"}]}"#, .clusterNotFoundException),
        (#"{"resourceArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/nope:1", "tags": [{"key": "k"}]}"#, .resourceNotFoundException),
        (#"{"resourceArn": "arn:aws:ecs:us-east-1:999999999999:cluster/default", "tags": [{"key": "k"}]}"#, .resourceNotFoundException),
        (#"{"resourceArn": "arn:aws:ecs:us-east-1:123456789012:service/web", "tags": [{"key": "k"}]}"#, .invalidParameterException),
        (#"{"resourceArn": "arn:aws:ecs:us-east-1:123456789012:task/default/0123", "tags": [{"key": "k"}]}"#, .resourceNotFoundException),
        (#"{"resourceArn": "arn:aws:ecs:us-east-1:123456789012:cluster/default", "tags": [{"key": "AWS:name"}]}"#, .invalidParameterException),
        (#"{"resourceArn": "arn:aws:ecs:us-east-1:123456789012:cluster/default", "tags": [{"key": "bad#key"}]}"#, .invalidParameterException),
        (#"{"resourceArn": "arn:aws:ecs:us-east-1:123456789012:cluster/default"}"#, .invalidParameterException),
        (#"{"tags": [{"key": "k"}]}"#, .invalidParameterException),
    ])
    func refusals(body: String, kind: ECSError.Kind) throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster")
        #expect(h.error("TagResource", body)?.kind == kind)
        #expect(objects(try h.call("ListTagsForResource", #"{"resourceArn": "\#(h.arn(.cluster(name: "default")))"}"#)["tags"]).isEmpty)
    }

    @Test("a resource holds at most 50 tags; keys and values have ECS's length limits")
    func limits() throws {
        let h = try ECSHarness()
        let arn = h.arn(.cluster(name: "default"))
        _ = try h.call("CreateCluster")
        let fifty = (1...50).map { #"{"key": "k\#($0)", "value": "v"}"# }.joined(separator: ",")
        _ = try h.call("TagResource", #"{"resourceArn": "\#(arn)", "tags": [\#(fifty)]}"#)
        #expect(h.error("TagResource", #"{"resourceArn": "\#(arn)", "tags": [{"key": "one-more"}]}"#)?.kind == .limitExceededException)
        #expect(objects(try h.call("ListTagsForResource", #"{"resourceArn": "\#(arn)"}"#)["tags"]).count == 50)
        _ = try h.call("TagResource", #"{"resourceArn": "\#(arn)", "tags": [{"key": "k1", "value": "replaced"}]}"#)

        let longKey = String(repeating: "k", count: 129), longValue = String(repeating: "v", count: 257)
        #expect(h.error("TagResource", #"{"resourceArn": "\#(arn)", "tags": [{"key": "\#(longKey)"}]}"#)?.kind == .invalidParameterException)
        #expect(h.error("TagResource", #"{"resourceArn": "\#(arn)", "tags": [{"key": "k", "value": "\#(longValue)"}]}"#)?.kind == .invalidParameterException)
        #expect(TagValidation.isAllowed("Ünïcödé wörds 123 _.:/=+-@"))
        #expect(!TagValidation.isAllowed("semi;colon"))
        #expect(h.error("UntagResource", #"{"resourceArn": "\#(arn)", "tagKeys": ["aws:x"]}"#)?.kind == .invalidParameterException)
        #expect(h.error("UntagResource", #"{"resourceArn": "\#(arn)"}"#)?.kind == .invalidParameterException)
    }

    @Test("inactive clusters cannot be tagged; their tags are gone")
    func inactive() throws {
        let h = try ECSHarness()
        let arn = h.arn(.cluster(name: "tmp"))
        _ = try h.call("CreateCluster", #"{"clusterName": "tmp", "tags": [{"key": "k", "value": "v"}]}"#)
        _ = try h.call("DeleteCluster", #"{"cluster": "tmp"}"#)
        #expect(h.error("TagResource", #"{"resourceArn": "\#(arn)", "tags": [{"key": "k"}]}"#)?.kind == .clusterNotFoundException)
        #expect(objects(try h.call("ListTagsForResource", #"{"resourceArn": "\#(arn)"}"#)["tags"]).isEmpty)
    }
}
