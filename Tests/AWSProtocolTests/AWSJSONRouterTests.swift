import Foundation
import Testing
@testable import AWSProtocol

@Suite("AWS JSON 1.1 router")
struct AWSJSONRouterTests {

    /// A router with a small fake ECS and Application Auto Scaling, recording the contexts
    /// its handlers saw.
    static func router(limits: AWSJSONRouter.Limits = .init(), seen: ContextLog? = nil) -> AWSJSONRouter {
        var router = AWSJSONRouter(verifier: Fixtures.verifier(), limits: limits)
        router.register(.ecs, handlers: [
            "ListClusters": { _, context in
                seen?.record(context)
                return ["clusterArns": []]
            },
            "DescribeClusters": { input, context throws(AWSServiceError) in
                seen?.record(context)
                let members = try JSONMembers(input, errorType: "InvalidParameterException")
                let names = try members.requiredStringList("clusters")
                return ["clusters": .array(names.map { ["clusterName": .string($0)] }), "failures": []]
            },
            "CreateCluster": { input, context in
                seen?.record(context)
                return ["echo": input]
            },
            "Fail": { _, context throws(AWSServiceError) in
                seen?.record(context)
                throw .serverFault("database unavailable")
            },
        ])
        router.register(.applicationAutoScaling, handlers: [
            "DescribeScalableTargets": { _, context in ["ScalableTargets": [], "region": .string(context.identity.region)] },
            "DescribeScalingPolicies": { input, _ in ["echo": input] },
        ])
        return router
    }

    /// A request for `target` signed by this module's signer (botocore-signed requests are
    /// covered by the signature tests; the real AWS CLI by ControlPlaneTests' ServeAWSCLITests).
    static func request(
        _ target: String?, body: String = "{}", service: String = "ecs", region: String = "us-east-1",
        contentType: String? = "application/x-amz-json-1.1", method: String = "POST", path: String = "/", sign: Bool = true
    ) throws -> AWSRequest {
        var headers: [(name: String, value: String)] = [(name: "Host", value: "127.0.0.1:8080")]
        if let contentType { headers.append((name: "Content-Type", value: contentType)) }
        if let target { headers.append((name: "X-Amz-Target", value: target)) }
        var request = AWSRequest(method: method, path: path, headers: headers, body: Array(body.utf8))
        if sign {
            try SigV4Signer(credential: Fixtures.wharf, region: region, service: service)
                .sign(&request, date: Fixtures.date(Fixtures.time))
        }
        return request
    }

    static let listClusters = "AmazonEC2ContainerServiceV20141113.ListClusters"

    static func json(_ response: AWSResponse) throws -> JSONValue {
        try JSONParser().parse(response.body)
    }

    static func expectError(_ response: AWSResponse, status: Int, type: String, message: String?,
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(response.headerValue("Content-Type") == "application/x-amz-json-1.1", sourceLocation: sourceLocation)
        #expect(response.headerValue("x-amzn-RequestId") != nil, sourceLocation: sourceLocation)
        let body = try json(response)
        #expect(body[member: "__type"] == .string(type), sourceLocation: sourceLocation)
        #expect(body[member: "message"] == message.map(JSONValue.string), sourceLocation: sourceLocation)
    }

    @Test("A signed ListClusters reaches the handler; the answer is AWS JSON with a request id")
    func success() async throws {
        let seen = ContextLog()
        let response = Self.router(seen: seen).handle(try Self.request(Self.listClusters))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"clusterArns":[]}"#)
        #expect(response.headerValue("Content-Type") == "application/x-amz-json-1.1")
        let requestID = try #require(response.headerValue("x-amzn-RequestId"))
        #expect(UUID(uuidString: requestID) != nil)
        #expect(requestID == requestID.lowercased())
        let context = try #require(seen.all.first)
        #expect(context.operation == "ListClusters")
        #expect(context.service == .ecs)
        #expect(context.requestID == requestID)
        #expect(context.identity == AuthenticatedIdentity(
            accessKeyID: Fixtures.wharf.accessKeyID, profile: "wharf", region: "us-east-1", service: "ecs"))
    }

    @Test("Each response has its own request id")
    func requestIDs() async throws {
        let router = Self.router()
        var ids = Set<String>()
        for _ in 0..<5 {
            let response = router.handle(try Self.request(Self.listClusters))
            ids.insert(try #require(response.headerValue("x-amzn-RequestId")))
        }
        let refused = router.handle(try Self.request(nil))
        ids.insert(try #require(refused.headerValue("x-amzn-RequestId")))
        #expect(ids.count == 6)
    }

    @Test("Input reaches the handler parsed; member errors come back as AWS errors")
    func input() async throws {
        let router = Self.router()
        let described = router.handle(try Self.request(
            "AmazonEC2ContainerServiceV20141113.DescribeClusters", body: #"{"clusters":["a","b"]}"#))
        #expect(try Self.json(described) == ["clusters": [["clusterName": "a"], ["clusterName": "b"]], "failures": []])
        let missing = router.handle(try Self.request("AmazonEC2ContainerServiceV20141113.DescribeClusters"))
        try Self.expectError(missing, status: 400, type: "InvalidParameterException", message: "Missing required member 'clusters'.")
        let echoed = router.handle(try Self.request(
            "AmazonEC2ContainerServiceV20141113.CreateCluster", body: "", contentType: nil))
        #expect(try Self.json(echoed) == ["echo": [:]])
    }

    @Test("Document handlers get the body as it came ({} when empty) and their output is the response body")
    func documentHandler() async throws {
        var router = AWSJSONRouter(verifier: Fixtures.verifier())
        router.register(.ecs, operations: ["CreateCluster", "Fail", "Conflict"], documentHandler: { operation, body, _ throws(AWSServiceError) in
            if operation == "Fail" { throw AWSServiceError(type: "ClientException", message: "no") }
            if operation == "Conflict" {
                throw AWSServiceError(type: "ConflictException", message: "taken", members: ["resourceIds": .array([.string("t-1")])])
            }
            return Array("{\"got\":".utf8) + body + Array("}".utf8)
        })
        let target = "AmazonEC2ContainerServiceV20141113.CreateCluster"
        let echoed = router.handle(try Self.request(target, body: #"{"clusterName": "a"}"#))
        #expect(echoed.status == 200)
        #expect(String(decoding: echoed.body, as: UTF8.self) == #"{"got":{"clusterName": "a"}}"#)
        let empty = router.handle(try Self.request(target, body: ""))
        #expect(String(decoding: empty.body, as: UTF8.self) == #"{"got":{}}"#)
        let refused = router.handle(try Self.request("AmazonEC2ContainerServiceV20141113.Fail"))
        try Self.expectError(refused, status: 400, type: "ClientException", message: "no")
        // An exception's own members go into the error document beside __type and message.
        let conflict = router.handle(try Self.request("AmazonEC2ContainerServiceV20141113.Conflict"))
        try Self.expectError(conflict, status: 400, type: "ConflictException", message: "taken")
        #expect(try Self.json(conflict)[member: "resourceIds"] == .array([.string("t-1")]))
        let unsigned = router.handle(try Self.request(target, sign: false))
        #expect(unsigned.status == 400 || unsigned.status == 403)
        #expect(try Self.json(unsigned)[member: "__type"] == .string("MissingAuthenticationTokenException"))
    }

    @Test("Handler faults are 5xx")
    func serverFault() async throws {
        let response = Self.router().handle(try Self.request("AmazonEC2ContainerServiceV20141113.Fail"))
        try Self.expectError(response, status: 500, type: "ServerException", message: "database unavailable")
    }

    @Test("Not POST /, or not JSON: 404 UnknownOperationException")
    func notJSONProtocol() async throws {
        let router = Self.router()
        for request in [
            try Self.request(Self.listClusters, method: "GET"),
            try Self.request(Self.listClusters, path: "/v1/clusters"),
            try Self.request(Self.listClusters, contentType: "text/plain"),
            try Self.request(Self.listClusters, contentType: nil),
        ] {
            try Self.expectError(router.handle(request), status: 404, type: "UnknownOperationException", message: nil)
        }
        // application/json (with parameters) is accepted as AWS JSON services accept it.
        let json = router.handle(try Self.request(Self.listClusters, contentType: "application/json; charset=utf-8"))
        #expect(json.status == 200)
    }

    @Test("Missing or unknown X-Amz-Target: 400 UnknownOperationException")
    func unknownTarget() async throws {
        let router = Self.router()
        for target in [nil, "ListClusters", "AmazonEC2ContainerServiceV20141113.DeleteEverything",
                       "AmazonEC2ContainerServiceV20141112.ListClusters", "AmazonEC2ContainerServiceV20141113."] {
            try Self.expectError(router.handle(try Self.request(target)), status: 400, type: "UnknownOperationException",
                                 message: nil)
        }
        for target in ["AnyScaleFrontendService.PutScalingPolicy", "AnyScaleFrontendService.ListClusters"] {
            let request = try Self.request(target, service: "application-autoscaling")
            try Self.expectError(router.handle(request), status: 400, type: "UnknownOperationException", message: nil)
        }
    }

    @Test("Unsigned requests: MissingAuthenticationTokenException")
    func unsigned() async throws {
        let response = Self.router().handle(try Self.request(Self.listClusters, sign: false))
        try Self.expectError(response, status: 400, type: "MissingAuthenticationTokenException", message: "Missing Authentication Token")
    }

    @Test("The signing name must be the addressed service's")
    func signingName() async throws {
        let router = Self.router()
        let wrong = router.handle(try Self.request(Self.listClusters, service: "application-autoscaling"))
        try Self.expectError(wrong, status: 400, type: "InvalidSignatureException",
                             message: "Credential should be scoped to correct service: 'ecs'. ")
        let scaling = router.handle(try Self.request(
            "AnyScaleFrontendService.DescribeScalableTargets", service: "application-autoscaling", region: "eu-west-3"))
        #expect(try Self.json(scaling) == ["ScalableTargets": [], "region": "eu-west-3"])
        let policies = router.handle(try Self.request(
            "AnyScaleFrontendService.DescribeScalingPolicies", body: #"{"ServiceNamespace": "ecs"}"#, service: "application-autoscaling"))
        #expect(try Self.json(policies) == ["echo": ["ServiceNamespace": "ecs"]])
    }

    @Test("Malformed JSON and non-object bodies: SerializationException")
    func serialization() async throws {
        let router = Self.router()
        try Self.expectError(router.handle(try Self.request(Self.listClusters, body: #"{"maxResults":}"#)),
                             status: 400, type: "SerializationException", message: "Unexpected character '}' at byte 14.")
        try Self.expectError(router.handle(try Self.request(Self.listClusters, body: "[]")),
                             status: 400, type: "SerializationException",
                             message: "Expected a JSON object as the request body, got a list.")
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        try Self.expectError(router.handle(try Self.request(Self.listClusters, body: #"{"a":\#(deep)}"#)),
                             status: 400, type: "SerializationException", message: "JSON nested deeper than 64 levels at byte 68.")
    }

    @Test("Bodies over the limit: 413 RequestEntityTooLargeException, before authentication")
    func bodyLimit() async throws {
        let router = Self.router(limits: .init(maximumBodyBytes: 64))
        let body = #"{"clusters":[""# + String(repeating: "x", count: 64) + #""]}"#
        try Self.expectError(
            router.handle(try Self.request("AmazonEC2ContainerServiceV20141113.DescribeClusters", body: body, sign: false)),
            status: 413, type: "RequestEntityTooLargeException",
            message: "Request body of \(body.utf8.count) bytes exceeds the limit of 64 bytes.")
    }

    @Test("A botocore-signed request goes through the router")
    func botocoreThroughRouter() async throws {
        let request = try #require(try Botocore.sign([Fixtures.ecsCall("ListClusters")], at: Fixtures.time).first)
        let response = Self.router().handle(request)
        #expect(response.status == 200)
        #expect(try Self.json(response) == ["clusterArns": []])
    }
}
