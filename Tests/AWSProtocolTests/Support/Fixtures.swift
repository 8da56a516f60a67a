import Foundation
@testable import AWSProtocol

/// Keys, times and helpers shared by the tests.
enum Fixtures {
    /// The time every botocore fixture is signed at, and the verifier's clock by default.
    static let time = "20261122T101500Z"
    static let endpoint = "http://127.0.0.1:8080"

    static let wharf = AWSCredential(
        profile: "wharf", accessKeyID: "AKIAWHARFTESTKEY2345", secretAccessKey: "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")
    static let session = AWSCredential(
        profile: "session", accessKeyID: "ASIAWHARFSESSION2345", secretAccessKey: "s3ss10nS3cr3t/Abcdefghijklmnopqrstuvwxy",
        sessionToken: "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+session/token=")
    /// The AWS SigV4 test suite's key.
    static let suite = AWSCredential(
        profile: "suite", accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    /// The key of the S3 API reference's SigV4 examples.
    static let s3Documentation = AWSCredential(
        profile: "s3doc", accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")

    static func date(_ basicFormat: String) -> Date {
        guard let timestamp = SigV4Timestamp(basicFormat: basicFormat) else { preconditionFailure("bad fixture time") }
        return Date(timeIntervalSince1970: TimeInterval(timestamp.secondsSinceEpoch))
    }

    static func store(_ credentials: [AWSCredential] = [wharf, session, suite, s3Documentation]) -> CredentialStore {
        do {
            return try CredentialStore(credentials: credentials)
        } catch {
            preconditionFailure("fixture store: \(error)")
        }
    }

    static func verifier(
        at time: String = time, credentials: [AWSCredential] = [wharf, session, suite, s3Documentation],
        acceptedRegions: Set<String>? = nil
    ) -> SigV4Verifier {
        let now = date(time)
        return SigV4Verifier(credentials: store(credentials), acceptedRegions: acceptedRegions, clock: { now })
    }

    /// A botocore case for an ECS JSON call.
    static func ecsCall(_ operation: String, body: String = "{}", credential: AWSCredential = wharf,
                        region: String = "us-east-1") -> Botocore.Case {
        Botocore.Case(
            method: "POST", url: endpoint + "/",
            headers: [
                ["X-Amz-Target", "AmazonEC2ContainerServiceV20141113.\(operation)"],
                ["Content-Type", "application/x-amz-json-1.1"],
            ],
            body: body, accessKey: credential.accessKeyID, secretKey: credential.secretAccessKey,
            token: credential.sessionToken, region: region, service: "ecs")
    }
}

extension AWSRequest {
    /// This request with the header `name` (any case) removed.
    func removingHeader(_ name: String) -> AWSRequest {
        var copy = self
        copy.headers.removeAll { $0.name.lowercased() == name.lowercased() }
        return copy
    }

    /// This request with every value of header `name` replaced by `value` (added if absent).
    func settingHeader(_ name: String, _ value: String) -> AWSRequest {
        var copy = removingHeader(name)
        copy.headers.append((name: name, value: value))
        return copy
    }

    var authorization: String { headerValue("Authorization") ?? "" }
}

extension SigV4Verifier {
    /// The refusal of `request`, or `nil` when it verifies.
    func refusal(_ request: AWSRequest, service: String) -> SigV4VerificationError? {
        do {
            _ = try verify(request, service: service)
            return nil
        } catch {
            return error
        }
    }
}
