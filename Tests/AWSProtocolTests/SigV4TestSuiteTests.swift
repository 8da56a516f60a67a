import Testing
@testable import AWSProtocol

/// Vectors published by AWS: the SigV4 test suite (key `AKIDEXAMPLE`, service `service`,
/// 2015-08-30T12:36:00Z) and the S3 API reference's header-signing examples
/// (key `AKIAIOSFODNN7EXAMPLE`, 2013-05-24). The S3 ones use paths that encode the same way
/// under S3's and everybody else's rules, so the non-S3 verifier must accept them too.
@Suite("AWS published SigV4 vectors")
struct SigV4TestSuiteTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let method: String
        let path: String
        let query: String
        let host: String
        let extraHeaders: [(name: String, value: String)]
        let time: String
        let service: String
        let authorization: String
        var testDescription: String { name }

        var request: AWSRequest {
            AWSRequest(
                method: method, path: path, query: query,
                headers: [(name: "Host", value: host)] + extraHeaders + [
                    (name: "X-Amz-Date", value: time), (name: "Authorization", value: authorization),
                ])
        }
    }

    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    static let vectors: [Vector] = [
        Vector(
            name: "get-vanilla", method: "GET", path: "/", query: "", host: "example.amazonaws.com", extraHeaders: [],
            time: "20150830T123600Z", service: "service",
            authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        Vector(
            name: "get-vanilla-query-order-key-case", method: "GET", path: "/", query: "Param2=value2&Param1=value1",
            host: "example.amazonaws.com", extraHeaders: [], time: "20150830T123600Z", service: "service",
            authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        Vector(
            name: "post-vanilla", method: "POST", path: "/", query: "", host: "example.amazonaws.com", extraHeaders: [],
            time: "20150830T123600Z", service: "service",
            authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        Vector(
            name: "S3 GET object with Range", method: "GET", path: "/test.txt", query: "",
            host: "examplebucket.s3.amazonaws.com",
            extraHeaders: [(name: "Range", value: "bytes=0-9"), (name: "x-amz-content-sha256", value: emptyHash)],
            time: "20130524T000000Z", service: "s3",
            authorization: "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"),
        Vector(
            name: "S3 list objects", method: "GET", path: "/", query: "max-keys=2&prefix=J",
            host: "examplebucket.s3.amazonaws.com", extraHeaders: [(name: "x-amz-content-sha256", value: emptyHash)],
            time: "20130524T000000Z", service: "s3",
            authorization: "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"),
    ]

    @Test("The verifier accepts the published signature", arguments: vectors)
    func verifies(vector: Vector) throws {
        let identity = try Fixtures.verifier(at: vector.time).verify(vector.request, service: vector.service)
        #expect(identity.region == "us-east-1")
        #expect(identity.service == vector.service)
    }

    @Test("The verifier refuses the published signature with one digit changed", arguments: vectors)
    func refusesAlteredSignature(vector: Vector) {
        var altered = vector.authorization
        let last = altered.removeLast()
        altered.append(last == "0" ? "1" : "0")
        let request = vector.request.settingHeader("Authorization", altered)
        guard case .signatureMismatch = Fixtures.verifier(at: vector.time).refusal(request, service: vector.service) else {
            Issue.record("altered signature was not refused as a mismatch")
            return
        }
    }

    @Test("The signer reproduces the published Authorization header", arguments: vectors)
    func signerReproduces(vector: Vector) throws {
        var request = vector.request.removingHeader("Authorization").removingHeader("X-Amz-Date")
        let credential = vector.service == "s3" ? Fixtures.s3Documentation : Fixtures.suite
        try SigV4Signer(credential: credential, region: "us-east-1", service: vector.service)
            .sign(&request, date: Fixtures.date(vector.time))
        #expect(request.authorization == vector.authorization)
    }
}
