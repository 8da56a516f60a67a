import Foundation
import Testing
@testable import AWSProtocol

/// Every way a request can fail authentication, each with the exception and message AWS
/// answers with. The base request is a botocore-signed ECS call.
@Suite("SigV4 refusals")
struct SigV4RefusalTests {
    static func signed(_ botocore: Botocore.Case = Fixtures.ecsCall("ListClusters")) throws -> AWSRequest {
        try #require(try Botocore.sign([botocore], at: Fixtures.time).first)
    }

    static func error(_ request: AWSRequest, verifier: SigV4Verifier = Fixtures.verifier(), service: String = "ecs")
        -> AWSServiceError?
    {
        verifier.refusal(request, service: service)?.serviceError
    }

    static let mismatchPrefix = "The request signature we calculated does not match the signature you provided. "
        + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

    static func expectMismatch(_ request: AWSRequest, verifier: SigV4Verifier = Fixtures.verifier(),
                               sourceLocation: SourceLocation = #_sourceLocation) {
        let refusal = error(request, verifier: verifier)
        #expect(refusal?.type == "InvalidSignatureException", sourceLocation: sourceLocation)
        #expect(refusal?.status == 400, sourceLocation: sourceLocation)
        #expect(refusal?.message.hasPrefix(mismatchPrefix + "\n\nThe Canonical String for this request should have been\n'POST\n/\n") == true,
                sourceLocation: sourceLocation)
    }

    @Test("The untouched request verifies")
    func baseline() throws {
        let identity = try Fixtures.verifier().verify(try Self.signed(), service: "ecs")
        #expect(identity == AuthenticatedIdentity(
            accessKeyID: Fixtures.wharf.accessKeyID, profile: "wharf", region: "us-east-1", service: "ecs"))
    }

    @Test("No Authorization header, or not a SigV4 one: MissingAuthenticationTokenException")
    func missingAuthorization() throws {
        let request = try Self.signed()
        for candidate in [request.removingHeader("Authorization"), request.settingHeader("Authorization", "Bearer abc"),
                          request.settingHeader("Authorization", "AWS AKIAWHARFTESTKEY2345:sig")] {
            #expect(Self.error(candidate) == AWSServiceError(
                type: "MissingAuthenticationTokenException", message: "Missing Authentication Token", status: 400))
        }
    }

    @Test("Wrong secret: InvalidSignatureException")
    func wrongSecret() throws {
        var impostor = Fixtures.wharf
        impostor.secretAccessKey = "0000000000000000000000000000000000000000"
        Self.expectMismatch(try Self.signed(), verifier: Fixtures.verifier(credentials: [impostor]))
    }

    @Test("Unknown access key: UnrecognizedClientException")
    func unknownKey() throws {
        #expect(Self.error(try Self.signed(), verifier: Fixtures.verifier(credentials: [Fixtures.suite])) == AWSServiceError(
            type: "UnrecognizedClientException", message: "The security token included in the request is invalid."))
    }

    @Test("Tampered body, tampered header, missing signed header: InvalidSignatureException")
    func tampering() throws {
        let request = try Self.signed()
        var body = request
        body.body = Array(#"{"maxResults":1}"#.utf8)
        Self.expectMismatch(body)
        Self.expectMismatch(request.settingHeader("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.DeleteCluster"))
        Self.expectMismatch(request.removingHeader("X-Amz-Target"))
        Self.expectMismatch(request.settingHeader("Host", "127.0.0.1:9090"))
        var path = request
        path.path = "/other"
        #expect(Self.error(path)?.type == "InvalidSignatureException")
    }

    @Test("Another time on the same day: InvalidSignatureException")
    func wrongTime() throws {
        Self.expectMismatch(try Self.signed().settingHeader("X-Amz-Date", "20261122T101501Z"))
    }

    @Test("X-Amz-Date on another day than the credential scope")
    func wrongDay() throws {
        let request = try Self.signed().settingHeader("X-Amz-Date", "20261123T000100Z")
        #expect(Self.error(request, verifier: Fixtures.verifier(at: "20261123T000000Z")) == AWSServiceError(
            type: "InvalidSignatureException",
            message: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261122' != '20261123', from '20261123T000100Z'."))
    }

    @Test("Clock skew over 5 minutes either way; exactly 5 minutes is accepted")
    func skew() throws {
        let request = try Self.signed()
        #expect(Self.error(request, verifier: Fixtures.verifier(at: "20261122T102000Z")) == nil)
        #expect(Self.error(request, verifier: Fixtures.verifier(at: "20261122T101000Z")) == nil)
        #expect(Self.error(request, verifier: Fixtures.verifier(at: "20261122T102001Z")) == AWSServiceError(
            type: "InvalidSignatureException",
            message: "Signature expired: 20261122T101500Z is now earlier than 20261122T101501Z (20261122T102001Z - 5 min.)"))
        #expect(Self.error(request, verifier: Fixtures.verifier(at: "20261122T100959Z")) == AWSServiceError(
            type: "InvalidSignatureException",
            message: "Signature not yet current: 20261122T101500Z is still later than 20261122T101459Z (20261122T100959Z + 5 min.)"))
    }

    @Test("Missing X-Amz-Date: IncompleteSignatureException")
    func missingDate() throws {
        let request = try Self.signed().removingHeader("X-Amz-Date")
        #expect(Self.error(request) == AWSServiceError(
            type: "IncompleteSignatureException",
            message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=\(request.authorization)"))
    }

    @Test("Date not in ISO 8601 basic format: IncompleteSignatureException")
    func malformedDate() throws {
        let request = try Self.signed().settingHeader("X-Amz-Date", "Sun, 22 Nov 2026 10:15:00 GMT")
        #expect(Self.error(request) == AWSServiceError(
            type: "IncompleteSignatureException",
            message: "Date must be in ISO-8601 'basic format'. Got 'Sun, 22 Nov 2026 10:15:00 GMT'. See http://en.wikipedia.org/wiki/ISO_8601"))
    }

    @Test("Missing Authorization parameters are listed together")
    func missingParameters() throws {
        let header = "AWS4-HMAC-SHA256 Credential=AKIAWHARFTESTKEY2345/20261122/us-east-1/ecs/aws4_request"
        let request = try Self.signed().settingHeader("Authorization", header).removingHeader("X-Amz-Date")
        #expect(Self.error(request) == AWSServiceError(
            type: "IncompleteSignatureException",
            message: "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
                + "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=\(header)"))
    }

    @Test("A part without '=': IncompleteSignatureException")
    func missingEqualSign() throws {
        let request = try Self.signed()
        let header = request.authorization.replacingOccurrences(of: "Credential=", with: "Credential= ")
        #expect(Self.error(request.settingHeader("Authorization", header)) == AWSServiceError(
            type: "IncompleteSignatureException",
            message: "'AKIAWHARFTESTKEY2345/20261122/us-east-1/ecs/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: '\(header)'."))
    }

    @Test("Host not signed: InvalidSignatureException")
    func hostNotSigned() throws {
        let request = try Self.signed()
        let header = request.authorization.replacingOccurrences(of: "SignedHeaders=content-type;host;", with: "SignedHeaders=content-type;")
        #expect(header != request.authorization)
        #expect(Self.error(request.settingHeader("Authorization", header)) == AWSServiceError(
            type: "InvalidSignatureException", message: "'Host' must be a 'SignedHeader' in the AWS Authorization."))
    }

    @Test("Another algorithm: IncompleteSignatureException")
    func algorithm() throws {
        let request = try Self.signed()
        let header = request.authorization.replacingOccurrences(of: "AWS4-HMAC-SHA256", with: "AWS4-HMAC-SHA512")
        #expect(Self.error(request.settingHeader("Authorization", header)) == AWSServiceError(
            type: "IncompleteSignatureException",
            message: "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). "))
    }

    @Test("Credential with four parts: IncompleteSignatureException")
    func malformedCredential() throws {
        let request = try Self.signed()
        let header = request.authorization.replacingOccurrences(of: "/ecs/aws4_request", with: "/ecs")
        #expect(Self.error(request.settingHeader("Authorization", header)) == AWSServiceError(
            type: "IncompleteSignatureException",
            message: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIAWHARFTESTKEY2345/20261122/us-east-1/ecs'"))
    }

    @Test("Credential scoped to another service: InvalidSignatureException")
    func wrongService() throws {
        #expect(Self.error(try Self.signed(), service: "application-autoscaling") == AWSServiceError(
            type: "InvalidSignatureException", message: "Credential should be scoped to correct service: 'application-autoscaling'. "))
    }

    @Test("Every scope mismatch at once, in AWS's order")
    func wholeScope() throws {
        let request = try Self.signed()
        let header = request.authorization.replacingOccurrences(
            of: "/20261122/us-east-1/ecs/aws4_request", with: "/20261121/mars-north-1/ec2/aws5_request")
        let verifier = Fixtures.verifier(acceptedRegions: ["us-east-1"])
        #expect(Self.error(request.settingHeader("Authorization", header), verifier: verifier) == AWSServiceError(
            type: "InvalidSignatureException",
            message: "Credential should be scoped to a valid region, not 'mars-north-1'. "
                + "Credential should be scoped to correct service: 'ecs'. "
                + "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. "
                + "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261121' != '20261122', from '20261122T101500Z'."))
    }

    @Test("Session tokens: required when the key has one, refused when it has none or another")
    func sessionTokens() throws {
        let withToken = try Self.signed(Fixtures.ecsCall("ListClusters", credential: Fixtures.session))
        #expect(Self.error(withToken) == nil)

        // Signed correctly, but with a token the key does not have.
        var otherToken = Fixtures.session
        otherToken.sessionToken = "another-token"
        let wrongToken = try Self.signed(Fixtures.ecsCall("ListClusters", credential: otherToken))
        #expect(Self.error(wrongToken) == .unrecognizedClient)

        // Signed correctly without the token the key requires.
        var noToken = Fixtures.session
        noToken.sessionToken = nil
        #expect(Self.error(try Self.signed(Fixtures.ecsCall("ListClusters", credential: noToken))) == .unrecognizedClient)

        // A token on a long-term key.
        var tokenOnLongTermKey = Fixtures.wharf
        tokenOnLongTermKey.sessionToken = "token"
        #expect(Self.error(try Self.signed(Fixtures.ecsCall("ListClusters", credential: tokenOnLongTermKey))) == .unrecognizedClient)

        // The token is signed: changing it breaks the signature first.
        Self.expectMismatch(withToken.settingHeader("X-Amz-Security-Token", "forged"))
    }

    @Test("A Date header in basic format stands in for X-Amz-Date")
    func dateHeader() throws {
        var request = AWSRequest(
            method: "POST", path: "/",
            headers: [(name: "Host", value: "127.0.0.1:8080"), (name: "Date", value: Fixtures.time)], body: Array("{}".utf8))
        let scope = "20261122/us-east-1/ecs/aws4_request"
        let key = try SigningKeyCache.derive(
            secret: Fixtures.wharf.secretAccessKey, date: "20261122", region: "us-east-1", service: "ecs")
        let signature = try SigV4Signature(
            request: request, signedHeaders: ["date", "host"], timestamp: Fixtures.time, scope: scope, signingKey: key)
        request.headers.append((
            name: "Authorization",
            value: "AWS4-HMAC-SHA256 Credential=\(Fixtures.wharf.accessKeyID)/\(scope), SignedHeaders=date;host, Signature=\(signature.signature)"))
        #expect(Self.error(request) == nil)
    }
}
