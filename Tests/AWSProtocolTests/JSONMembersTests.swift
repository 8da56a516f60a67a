import Foundation
import Testing
@testable import AWSProtocol

@Suite("Request member readers")
struct JSONMembersTests {
    static let input: JSONValue = [
        "cluster": "default", "count": 3, "fraction": 2.5, "empty": "", "nothing": nil, "flag": true,
        "services": ["a", 7], "names": ["x", "y"], "launchType": "FARGATE", "labels": ["k": "v"],
        "overrides": ["containerOverrides": [["name": "web"], ["name": 5]]], "startedAt": 1_795_342_500,
    ]

    func members() throws -> JSONMembers {
        try JSONMembers(Self.input, errorType: "InvalidParameterException")
    }

    @Test("Reads present members")
    func reads() throws {
        let members = try members()
        #expect(try members.requiredString("cluster") == "default")
        #expect(try members.optionalString("absent") == nil)
        #expect(try members.optionalString("nothing") == nil)
        #expect(try members.optionalInt("count", range: 1...10) == 3)
        #expect(try members.optionalDouble("fraction") == 2.5)
        #expect(try members.optionalBool("flag") == true)
        #expect(try members.optionalStringList("names", count: 1...100) == ["x", "y"])
        #expect(try members.optionalEnum("launchType", allowed: ["EC2", "FARGATE", "EXTERNAL"]) == "FARGATE")
        #expect(try members.optionalStringMap("labels") == ["k": "v"])
        #expect(try members.optionalTimestamp("startedAt") == Date(timeIntervalSince1970: 1_795_342_500))
        let overrides = try #require(try members.optionalObject("overrides"))
        let containers = try #require(try overrides.optionalObjectList("containerOverrides"))
        #expect(try containers[0].requiredString("name") == "web")
    }

    enum LaunchType: String, CaseIterable { case ec2 = "EC2", fargate = "FARGATE", external = "EXTERNAL" }

    @Test("Enum members read into Swift enums")
    func swiftEnum() throws {
        #expect(try members().optionalEnum("launchType", as: LaunchType.self) == .fargate)
    }

    @Test("Missing required members use the caller's exception type")
    func missing() throws {
        let members = try members()
        #expect(throws: AWSServiceError(type: "InvalidParameterException", message: "Missing required member 'service'.")) {
            try members.requiredString("service")
        }
        #expect(throws: AWSServiceError(type: "InvalidParameterException", message: "Missing required member 'empty'.")) {
            try members.requiredString("empty")
        }
        #expect(throws: AWSServiceError(type: "InvalidParameterException", message: "Cluster can not be blank.")) {
            try members.requiredString("nothing", message: "Cluster can not be blank.")
        }
        let client = try JSONMembers(Self.input, errorType: "ClientException")
        #expect(throws: AWSServiceError(type: "ClientException", message: "Missing required member 'tasks'.")) {
            try client.requiredStringList("tasks")
        }
    }

    @Test("Wrong JSON types are SerializationException, naming the member's path")
    func wrongTypes() throws {
        let members = try members()
        #expect(throws: AWSServiceError.serialization("Unexpected value for 'count': expected a string, got a number.")) {
            try members.optionalString("count")
        }
        #expect(throws: AWSServiceError.serialization("Unexpected value for 'fraction': expected an integer, got a number.")) {
            try members.optionalInt("fraction")
        }
        #expect(throws: AWSServiceError.serialization("Unexpected value for 'services[1]': expected a string, got a number.")) {
            try members.optionalStringList("services")
        }
        #expect(throws: AWSServiceError.serialization("Unexpected value for 'cluster': expected an object, got a string.")) {
            try members.optionalObject("cluster")
        }
        let overrides = try #require(try members.optionalObject("overrides"))
        let containers = try #require(try overrides.optionalObjectList("containerOverrides"))
        #expect(throws: AWSServiceError.serialization(
            "Unexpected value for 'overrides.containerOverrides[1].name': expected a string, got a number.")) {
            try containers[1].requiredString("name")
        }
        #expect(throws: AWSServiceError.serialization("Expected a JSON object as the request body, got a list.")) {
            try JSONMembers(["a"], errorType: "InvalidParameterException")
        }
    }

    @Test("Ranges, counts and allowed values")
    func validation() throws {
        let members = try members()
        #expect(throws: AWSServiceError(type: "InvalidParameterException",
                                        message: "Invalid value 3 for 'count': must be between 4 and 10.")) {
            try members.optionalInt("count", range: 4...10)
        }
        #expect(throws: AWSServiceError(type: "InvalidParameterException", message: "maxResults must be between 4 and 10")) {
            try members.optionalInt("count", range: 4...10, message: "maxResults must be between 4 and 10")
        }
        #expect(throws: AWSServiceError(type: "InvalidParameterException",
                                        message: "'names' must have between 3 and 5 items, got 2.")) {
            try members.optionalStringList("names", count: 3...5)
        }
        #expect(throws: AWSServiceError(type: "InvalidParameterException",
                                        message: "Invalid value 'FARGATE' for 'launchType': must be one of EC2, EXTERNAL.")) {
            try members.optionalEnum("launchType", allowed: ["EC2", "EXTERNAL"])
        }
    }
}
