import Foundation
import Testing
@testable import AWSProtocol

/// Requests signed by the real botocore (`SigV4Auth`) at test time must verify, and this
/// module's signer must produce the same `Authorization` header for them.
@Suite("Signatures made by botocore")
struct BotocoreSignatureTests {
    static let wharf = Fixtures.wharf

    static func plain(_ method: String, _ url: String, params: [[String]] = [], headers: [[String]] = [],
                      body: String = "", credential: AWSCredential = wharf, service: String = "ecs",
                      region: String = "us-east-1") -> Botocore.Case {
        Botocore.Case(
            method: method, url: url, params: params, headers: headers, body: body, accessKey: credential.accessKeyID,
            secretKey: credential.secretAccessKey, token: credential.sessionToken, region: region, service: service)
    }

    /// Each case with the SigV4 service it is signed for.
    static let cases: [(name: String, botocore: Botocore.Case)] = [
        ("ECS ListClusters, JSON POST", Fixtures.ecsCall("ListClusters")),
        ("ECS RunTask with a non-ASCII body", Fixtures.ecsCall(
            "RunTask", body: #"{"taskDefinition":"web:3","overrides":{"containerOverrides":[{"name":"naïve ☃","command":["echo","a  b"]}]}}"#)),
        ("Application Auto Scaling, other region", Botocore.Case(
            method: "POST", url: Fixtures.endpoint + "/",
            headers: [["X-Amz-Target", "AnyScaleFrontendService.DescribeScalableTargets"],
                      ["Content-Type", "application/x-amz-json-1.1"]],
            body: #"{"ServiceNamespace":"ecs"}"#, accessKey: wharf.accessKeyID, secretKey: wharf.secretAccessKey,
            token: nil, region: "eu-west-3", service: "application-autoscaling")),
        ("session token", Fixtures.ecsCall("DescribeClusters", body: #"{"clusters":["default"]}"#, credential: Fixtures.session)),
        ("GET, query already encoded in the URL, odd characters", plain(
            "GET", Fixtures.endpoint + "/?b=2&a=%20x%2By&a=1&%C3%BC=%E6%97%A5%E6%9C%AC&empty=&flag&tilde=~a-b_c.d&slash=%2F%3F%3D%26")),
        ("GET, query built by botocore from parameters", plain(
            "GET", Fixtures.endpoint + "/list",
            params: [["Param2", "value 2"], ["Param1", "a+b/c~d"], ["ünï", "ça va?"], ["empty", ""], ["Param1", "0"]])),
        ("GET, path with encoded, reserved and dot segments", plain(
            "GET", Fixtures.endpoint + "/a%20b/./c/../d%2Fe//f~g!$'()*,;=:@/%C3%BC/")),
        ("DELETE, path without trailing slash and a query", plain(
            "DELETE", Fixtures.endpoint + "/v1/clusters/my%2Bcluster/tasks/..%2F", params: [["force", "true"]])),
        ("Several headers: repeats, whitespace, mixed case, unsigned User-Agent", plain(
            "PUT", Fixtures.endpoint + "/objects/k",
            headers: [
                ["X-Custom", "  a   b \t c  "], ["X-Repeated", "one"], ["x-REPEATED", "two"], ["x-lower", "v"],
                ["Content-Type", "application/octet-stream"], ["User-Agent", "aws-cli/1.45 Python/3.11"],
                ["X-Amz-Meta-Empty", ""],
            ],
            body: "payload with\nnewlines and ünïcödé")),
    ]

    static func signedRequests() throws -> [AWSRequest] {
        try Botocore.sign(cases.map(\.botocore), at: Fixtures.time)
    }

    @Test("Every botocore-signed request verifies and yields the signer's identity")
    func verifies() throws {
        let requests = try Self.signedRequests()
        let verifier = Fixtures.verifier()
        for ((name, botocore), request) in zip(Self.cases, requests) {
            do {
                let identity = try verifier.verify(request, service: botocore.service)
                #expect(identity.accessKeyID == botocore.accessKey, "\(name)")
                #expect(identity.region == botocore.region, "\(name)")
                #expect(identity.service == botocore.service, "\(name)")
            } catch {
                Issue.record("\(name): \(error)")
            }
        }
    }

    @Test("A botocore-signed ListClusters through the router reaches its handler with the signer's identity")
    func throughRouter() async throws {
        let request = try #require(try Botocore.sign([Fixtures.ecsCall("ListClusters")], at: Fixtures.time).first)
        let seen = ContextLog()
        var router = AWSJSONRouter(verifier: Fixtures.verifier())
        router.register(.ecs, handlers: [
            "ListClusters": { _, context in
                seen.record(context)
                return ["clusterArns": []]
            },
        ])
        let response = router.handle(request)
        #expect(response.status == 200)
        #expect(try JSONParser().parse(response.body) == ["clusterArns": []])
        let context = try #require(seen.all.first)
        #expect(context.operation == "ListClusters")
        #expect(context.identity == AuthenticatedIdentity(
            accessKeyID: Fixtures.wharf.accessKeyID, profile: "wharf", region: "us-east-1", service: "ecs"))
    }

    @Test("This module's signer writes the same Authorization header as botocore")
    func signerMatchesBotocore() throws {
        let requests = try Self.signedRequests()
        for ((name, botocore), signed) in zip(Self.cases, requests) {
            // Content-Length is added by botocore after signing, so it is not signed; leave it out.
            var unsigned = signed.removingHeader("Authorization").removingHeader("X-Amz-Date")
                .removingHeader("X-Amz-Security-Token").removingHeader("Content-Length")
            let credential = AWSCredential(
                profile: "p", accessKeyID: botocore.accessKey, secretAccessKey: botocore.secretKey,
                sessionToken: botocore.token)
            try SigV4Signer(credential: credential, region: botocore.region, service: botocore.service)
                .sign(&unsigned, date: Fixtures.date(Fixtures.time))
            #expect(unsigned.authorization == signed.authorization, "\(name)")
        }
    }

    @Test("The verifier derives one signing key per scope and reuses it")
    func cachesKeys() throws {
        let requests = try Botocore.sign(
            [Fixtures.ecsCall("ListClusters"), Fixtures.ecsCall("ListServices"),
             Fixtures.ecsCall("ListClusters", region: "eu-west-1")],
            at: Fixtures.time)
        let verifier = Fixtures.verifier()
        _ = try verifier.verify(requests[0], service: "ecs")
        _ = try verifier.verify(requests[1], service: "ecs")
        #expect(verifier.cachedSigningKeys == 1)
        _ = try verifier.verify(requests[2], service: "ecs")
        #expect(verifier.cachedSigningKeys == 2)
    }
}
