import AWSProtocol
import Foundation
import Testing
@testable import ControlPlane

@Suite("ECS pagination")
struct PaginationTests {
    /// Calls `operation` page by page with `maxResults`, collecting `member`; returns the items and
    /// the page sizes.
    private func walk(_ h: ECSHarness, _ operation: String, _ member: String, maxResults: Int,
                      extra: String = "") throws -> (items: [String], pages: [Int]) {
        var items: [String] = [], pages: [Int] = []
        var token: String?
        repeat {
            let tokenMember = token.map { #", "nextToken": "\#($0)""# } ?? ""
            let response = try h.call(operation, #"{"maxResults": \#(maxResults)\#(tokenMember)\#(extra)}"#)
            let page = array(response[member]).map { item in
                (item as? String) ?? "\(object(item)["targetId"] ?? "")/\(object(item)["name"] ?? "")"
            }
            items += page
            pages.append(page.count)
            token = response["nextToken"] as? String
        } while token != nil && pages.count < 100
        return (items, pages)
    }

    @Test("ListClusters pages through every ACTIVE cluster once")
    func clusters() throws {
        let h = try ECSHarness()
        let names = (1...7).map { String(format: "c%02d", $0) }
        for name in names { _ = try h.call("CreateCluster", #"{"clusterName": "\#(name)"}"#) }
        let (items, pages) = try walk(h, "ListClusters", "clusterArns", maxResults: 3)
        #expect(items == names.map { h.arn(.cluster(name: $0)) })
        #expect(pages == [3, 3, 1])
        // Exactly a page: no token after the last page.
        let exact = try walk(h, "ListClusters", "clusterArns", maxResults: 7)
        #expect(exact.pages == [7])
    }

    @Test("a page continues after its last item even when the table changes between pages")
    func stableUnderChanges() throws {
        let h = try ECSHarness()
        for name in ["b", "d", "f"] { _ = try h.call("CreateCluster", #"{"clusterName": "\#(name)"}"#) }
        let first = try h.call("ListClusters", #"{"maxResults": 2}"#)
        #expect(strings(first["clusterArns"]) == [h.arn(.cluster(name: "b")), h.arn(.cluster(name: "d"))])
        let token = try #require(first["nextToken"] as? String)
        _ = try h.call("CreateCluster", #"{"clusterName": "a"}"#)
        _ = try h.call("CreateCluster", #"{"clusterName": "e"}"#)
        let second = try h.call("ListClusters", #"{"maxResults": 2, "nextToken": "\#(token)"}"#)
        #expect(strings(second["clusterArns"]) == [h.arn(.cluster(name: "e")), h.arn(.cluster(name: "f"))])
    }

    @Test("ListTaskDefinitions pages in both sort orders")
    func taskDefinitions() throws {
        let h = try ECSHarness()
        for family in ["a", "b", "a", "c", "a", "b"] { _ = try h.call("RegisterTaskDefinition", taskDefinitionBody(family: family)) }
        let expected = [("a", 1), ("a", 2), ("a", 3), ("b", 1), ("b", 2), ("c", 1)].map { h.arn(.taskDefinition(family: $0.0, revision: $0.1)) }
        #expect(try walk(h, "ListTaskDefinitions", "taskDefinitionArns", maxResults: 4).items == expected)
        #expect(try walk(h, "ListTaskDefinitions", "taskDefinitionArns", maxResults: 2, extra: #", "sort": "DESC""#).items
                == expected.reversed())
        #expect(try walk(h, "ListTaskDefinitions", "taskDefinitionArns", maxResults: 1, extra: #", "familyPrefix": "a""#).pages
                == [1, 1, 1])
        #expect(try walk(h, "ListTaskDefinitionFamilies", "families", maxResults: 2).items == ["a", "b", "c"])
    }

    @Test("ListContainerInstances and ListAttributes page too")
    func instancesAndAttributes() throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster")
        var arns: [String] = []
        for i in 0..<5 { arns.append(try #require(try h.registerInstance(ec2: "i-\(i)")["containerInstanceArn"] as? String)) }
        let listed = try walk(h, "ListContainerInstances", "containerInstanceArns", maxResults: 2)
        #expect(listed.items == arns.sorted())
        #expect(listed.pages == [2, 2, 1])
        // Each instance has the agent's 2 attributes.
        let attributes = try walk(h, "ListAttributes", "attributes", maxResults: 3, extra: #", "targetType": "container-instance""#)
        #expect(attributes.items.count == 10)
        #expect(Set(attributes.items).count == 10)
    }

    @Test("maxResults bounds and invalid tokens are InvalidParameterException")
    func invalidInput() throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster")
        for body in [#"{"maxResults": 0}"#, #"{"maxResults": 101}"#, #"{"nextToken": "garbage!"}"#, #"{"nextToken": "e30"}"#] {
            #expect(h.error("ListClusters", body)?.kind == .invalidParameterException, "\(body)")
        }
        #expect(h.error("ListClusters", #"{"maxResults": "10"}"#)?.kind == .serializationException)
        // A token issued by another operation is not accepted.
        let foreign = PaginationToken.encode(operation: "ListTaskDefinitionFamilies", key: ["x"])
        #expect(h.error("ListClusters", #"{"nextToken": "\#(foreign)"}"#)?.kind == .invalidParameterException)
        #expect(h.error("ListTaskDefinitions", #"{"nextToken": "\#(PaginationToken.encode(operation: "ListTaskDefinitions", key: ["a", "x"]))"}"#)?.kind
                == .invalidParameterException)
    }

    @Test("tokens are opaque, URL-safe and round-trip")
    func tokens() throws {
        let token = PaginationToken.encode(operation: "ListClusters", key: ["name/with+odd?chars"])
        #expect(!token.contains("=") && !token.contains("/") && !token.contains("+"))
        #expect(try PaginationToken.decode(token, operation: "ListClusters", keyCount: 1) == ["name/with+odd?chars"])
        #expect(throws: InvalidPaginationToken.self) { try PaginationToken.decode(token, operation: "ListClusters", keyCount: 2) }
        #expect(try PaginationLimits.pageSize(nil, PaginationLimits.listServices) == 10)
        #expect(try PaginationLimits.pageSize(nil, PaginationLimits.listClusters) == 100)
    }
}
